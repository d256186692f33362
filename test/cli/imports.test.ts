/**
 * The import check (src/cli/imports.ts) on small trees under test/fixtures/imports/, each the clean tree plus one
 * import against its own docs/architecture.md, so each kind of failure is shown to be caught, and on import lines
 * written every way TypeScript allows.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
    buildGraph, checkImports, checkTree, importsOf, layerRoots, MERMAID_END, MERMAID_START, mermaidGraph, parseLayers,
    pastedMermaid, withMermaid,
} from '../../src/cli/imports';
import { projectRoot } from '../../src/paths';

const fixture = (name: string) => path.join(projectRoot(), 'test/fixtures/imports', name);
const kinds = (name: string) => checkTree(fixture(name)).violations.map((v) => v.kind);
const found = (name: string) => checkTree(fixture(name)).violations;

describe('the import check', () => {
    describe('reading the imports of a file', () => {
        it('reads every form of import and export, type-only ones marked', () => {
            const text = [
                "import a from './a.js';",
                "import { b, type B } from './b.js';",
                "import type { C } from './c.js';",
                "import * as d from './d.js';",
                "import './e.js';",
                "export * from './f.js';",
                "export { g } from './g.js';",
                "export type { H } from './h.js';",
                "import i = require('./i.js');",
                "const j = await import('./j.js');",
                "const k = require('./k.js');",
                "type L = typeof import('./l.js');",
                "import type Default from './m.js';",
                "import {",
                '    n,',
                "} from './n.js';",
            ].join('\n');
            expect(importsOf(text)).to.deep.equal([
                { specifier: './a.js', line: 1, typeOnly: false },
                { specifier: './b.js', line: 2, typeOnly: false },
                { specifier: './c.js', line: 3, typeOnly: true },
                { specifier: './d.js', line: 4, typeOnly: false },
                { specifier: './e.js', line: 5, typeOnly: false },
                { specifier: './f.js', line: 6, typeOnly: false },
                { specifier: './g.js', line: 7, typeOnly: false },
                { specifier: './h.js', line: 8, typeOnly: true },
                { specifier: './i.js', line: 9, typeOnly: false },
                { specifier: './j.js', line: 10, typeOnly: false },
                { specifier: './k.js', line: 11, typeOnly: false },
                { specifier: './l.js', line: 12, typeOnly: true },
                { specifier: './m.js', line: 13, typeOnly: true },
                { specifier: './n.js', line: 16, typeOnly: false },
            ]);
        });

        it('does not take an import from a comment, a string, a template or a regular expression', () => {
            const text = [
                "// import { a } from './comment.js';",
                "/* export * from './block.js'; */",
                "const s = \"import { b } from './string.js'\";",
                "const t = `${s} import { c } from './template.js' ${`${s}`}`;",
                "const r = /['\"]/.test(s) && !/[?#]/.test(s) ? s.split('/') : [];",
                "export { t, r };",
                "const n = 4 / 2; const m = n / 2; // a division, then a regular-expression-like comment",
                "const q = /`/.test(s);",
                "import { after } from './after.js';",
                "const z = `${q}`;",
                "import { last } from './last.js';",
            ].join('\n');
            expect(importsOf(text).map((i) => i.specifier)).to.deep.equal(['./after.js', './last.js']);
        });
    });

    describe('the layer list', () => {
        it('reads floors, siblings split by " | " and rooms of several entries split by ", "', () => {
            const doc = 'Text\n\n```layers\nsrc/a.ts, src/cli/\n\nsrc/x/ | src/y/   # two\nsrc/z/\n```\n';
            const layers = parseLayers(doc);
            expect(layers).to.deep.equal([[['src/a.ts', 'src/cli/']], [['src/x/'], ['src/y/']], [['src/z/']]]);
            expect(layerRoots(layers)).to.deep.equal(['src']);
        });

        it('refuses a doc without a layers block, or one naming an entry twice', () => {
            expect(() => parseLayers('# no list')).to.throw(/No ```layers block/);
            expect(() => parseLayers('```layers\nsrc/a/\nsrc/a/\n```\n')).to.throw(/src\/a\/ more than once/);
        });
    });

    describe('on small trees', () => {
        it('passes a clean tree, whose imports are of every kind and all point down', () => {
            const { graph, violations } = checkTree(fixture('clean'));
            expect(violations).to.deep.equal([]);
            expect(graph.edges.some((e) => e.typeOnly)).to.equal(true);
            expect(graph.edges.map((e) => `${e.from} -> ${e.to}`)).to.include.members([
                'src/top/app.ts -> src/mid/later.ts', // a dynamic import()
                'src/side/index.ts -> src/base.ts', // a require()
                'src/top/app.ts -> src/base.ts', // an export * from
            ]);
        });

        it('fails an upward import, naming the file, its line and what it imports', () => {
            const upward = found('upward').filter((v) => v.kind === 'upward');
            expect(upward.map((v) => v.key)).to.deep.equal(['upward: src/base.ts -> src/top/extra.ts']);
            expect(upward[0].message).to.include('src/base.ts:1 imports src/top/extra.ts');
        });

        it('fails an import between siblings of one floor', () => {
            expect(found('sibling').map((v) => v.key))
                .to.deep.equal(['sibling: src/mid/later.ts -> src/side/index.ts']);
        });

        it('counts a type-only import', () => {
            const upward = found('type-only').filter((v) => v.kind === 'upward');
            expect(upward.map((v) => v.key)).to.deep.equal(['upward: src/mid/later.ts -> src/top/extra.ts']);
            expect(upward[0].message).to.include('(type only)');
        });

        it('fails a cycle between files, listing it', () => {
            const cycle = found('file-cycle');
            expect(cycle.map((v) => v.key)).to.deep.equal(['file cycle: src/mid/later.ts, src/mid/middle.ts']);
            expect(cycle[0].message).to.include('src/mid/later.ts -> src/mid/middle.ts -> src/mid/later.ts');
        });

        it('fails a cycle between folders where no file cycle and no layer rule is broken', () => {
            expect(kinds('folder-cycle')).to.deep.equal(['folder cycle']);
            expect(found('folder-cycle')[0].message).to.include('src/mid/later.ts:1 imports src/top/extra.ts');
        });

        it('fails a file that is in no floor of the list', () => {
            expect(found('unlisted').map((v) => v.key)).to.deep.equal(['unlisted: src/stray/loose.ts']);
        });

        it('prints the violations and exits 1 from the command line, 0 on a clean tree', () => {
            const run = (name: string) => spawnSync(process.execPath,
                [path.join(projectRoot(), 'dist/src/cli/imports.js'), '--root', fixture(name)], { encoding: 'utf8' });
            const bad = run('sibling');
            expect(bad.status).to.equal(1);
            expect(bad.stdout).to.include('sibling import: src/mid/later.ts:1 imports src/side/index.ts');
            const good = run('clean');
            expect(good.status, good.stderr).to.equal(0);
        });
    });

    describe('the Mermaid picture', () => {
        it('draws one box per sibling and one arrow per pair of boxes, the arrows against the list in red', () => {
            const root = fixture('upward');
            const { layers, graph } = checkTree(root);
            const picture = mermaidGraph(graph, layers);
            expect(picture).to.include('F1a["src/top/"]');
            expect(picture).to.include('F2b["src/side/"]');
            expect(picture).to.include('F3a -.-> F1a');
            expect(picture).to.include('F1a --> F2a');
            expect(picture).to.match(/linkStyle \d+ stroke:#c00/);
            expect(mermaidGraph(buildGraph(root, ['src']), layers)).to.equal(picture);
        });

        it('is pasted between the markers and read back the same', () => {
            const doc = withMermaid(`# Doc\n${MERMAID_START}\nold\n${MERMAID_END}\nafter\n`, 'NEW');
            expect(pastedMermaid(doc)).to.equal('NEW');
            expect(doc).to.match(/after\n$/);
        });
    });

    it('checks whatever graph it is given against whatever list it is given', () => {
        const edges = [{ from: 'b/y.ts', to: 'a/x.ts', line: 3, typeOnly: true }];
        const graph = { files: ['a/x.ts', 'b/y.ts'], edges };
        expect(checkImports(graph, [[['b/']], [['a/']]])).to.deep.equal([]);
        expect(checkImports(graph, [[['a/']], [['b/']]]).map((v) => v.key)).to.deep.equal(['upward: b/y.ts -> a/x.ts']);
    });
});
