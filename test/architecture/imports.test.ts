/**
 * Keeps the house as docs/architecture.md draws it: every import of src/ and dialogs/ (type-only ones too) points
 * down the layer list the doc states, no folders and no files import each other round a cycle, and the picture in
 * the doc is the code's. What is known to be wrong while issue 15's moves land is named in known-violations.json;
 * anything else fails, and so does a listed violation that is gone, so the list can only shrink.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { ARCHITECTURE_DOC_PATH, checkTree, mermaidGraph, pastedMermaid } from '../../src/cli/imports';
import { projectRoot } from '../../src/paths';

/** One allowed violation: its key as the check prints it, and the issue that removes it. */
interface KnownViolation {
    issue: number;
    violation: string;
}

const root = projectRoot();
const KNOWN_PATH = 'test/architecture/known-violations.json';
const known = (JSON.parse(fs.readFileSync(path.join(root, KNOWN_PATH), 'utf8')) as { violations: KnownViolation[] })
    .violations;

describe('the architecture (docs/architecture.md)', () => {
    const { layers, graph, violations } = checkTree(root);

    it('states the layer list in a block the check reads, from the ways in down to the ground', () => {
        expect(layers.length).to.be.greaterThan(5);
        expect(layers[0].flat()).to.include('src/index.ts');
        expect(layers[layers.length - 1].flat()).to.include('src/config.ts');
        expect(graph.files).to.include('dialogs/mainDialog.ts');
        expect(graph.edges.length).to.be.greaterThan(100);
    });

    it('has no import against the layer list and no cycle, apart from the known violations', () => {
        const allowed = new Set(known.map((k) => k.violation));
        const unexpected = violations.filter((v) => !allowed.has(v.key)).map((v) => v.message);
        expect(unexpected, `Against the layer list of ${ARCHITECTURE_DOC_PATH} (npm run imports):\n`
            + unexpected.join('\n')).to.deep.equal([]);
    });

    it(`lists in ${KNOWN_PATH} only violations that still exist, each once, each with its issue`, () => {
        const present = new Set(violations.map((v) => v.key));
        const gone = known.filter((k) => !present.has(k.violation)).map((k) => k.violation);
        expect(gone, `Fixed: remove from ${KNOWN_PATH}:\n${gone.join('\n')}`).to.deep.equal([]);
        const keys = known.map((k) => k.violation);
        expect(keys.filter((k, i) => keys.indexOf(k) !== i), 'listed twice').to.deep.equal([]);
        const noIssue = known.filter((k) => !Number.isInteger(k.issue) || k.issue < 1).map((k) => k.violation);
        expect(noIssue, 'no issue number').to.deep.equal([]);
    });

    it('shows the folder graph of the code as it is (npm run imports -- --write-doc)', () => {
        const doc = fs.readFileSync(path.join(root, ARCHITECTURE_DOC_PATH), 'utf8');
        expect(pastedMermaid(doc), 'The picture in the doc is out of date: npm run imports -- --write-doc')
            .to.equal(mermaidGraph(graph, layers));
    });

    it('links every other doc in docs/', () => {
        const doc = fs.readFileSync(path.join(root, ARCHITECTURE_DOC_PATH), 'utf8');
        const others = fs.readdirSync(path.join(root, 'docs'))
            .filter((name) => name.endsWith('.md') && name !== path.basename(ARCHITECTURE_DOC_PATH));
        expect(others.filter((name) => !doc.includes(`](${name})`))).to.deep.equal([]);
    });
});
