import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

/**
 * bin/build.js on a tiny project of its own (a fresh clone's shape: src/, tsconfig.json, the real node_modules), so
 * each build takes a second: npm install's prepare step builds, npm start only starts unless a source is newer.
 */
describe('bin/build.js: build once at install, npm start only starts (issue 23)', function () {
    this.timeout(120_000);
    let tmp: ReturnType<typeof tempDir>;
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(tmp.dir, 'bin', 'build.js'), ...args],
        { cwd: tmp.dir, encoding: 'utf8', timeout: 100_000 });
    const entry = () => path.join(tmp.dir, 'dist', 'src', 'index.js');

    beforeEach(() => {
        tmp = tempDir();
        fs.mkdirSync(path.join(tmp.dir, 'bin'));
        fs.copyFileSync(path.join(projectRoot(), 'bin', 'build.js'), path.join(tmp.dir, 'bin', 'build.js'));
        fs.symlinkSync(path.join(projectRoot(), 'node_modules'), path.join(tmp.dir, 'node_modules'), 'dir');
        fs.mkdirSync(path.join(tmp.dir, 'src', 'cli'), { recursive: true });
        fs.writeFileSync(path.join(tmp.dir, 'src', 'index.ts'), 'export const started = true;\n');
        fs.writeFileSync(path.join(tmp.dir, 'src', 'cli', 'buildAssets.ts'), "console.log('assets');\n");
        fs.writeFileSync(path.join(tmp.dir, 'tsconfig.json'), JSON.stringify({
            compilerOptions: { target: 'ES2022', module: 'nodenext', rootDir: '.', outDir: 'dist', types: [] },
            include: ['src/**/*.ts'],
        }));
    });
    afterEach(() => tmp.remove());

    it('builds a fresh clone, then starts without building, and builds again only when a source is newer', () => {
        const first = run('--if-stale');
        expect(first.status, first.stderr).to.equal(0);
        expect(first.stderr).to.match(/^signpost: not built yet: building first/);
        expect(fs.existsSync(entry())).to.equal(true);
        expect(fs.existsSync(path.join(tmp.dir, 'dist', '.built'))).to.equal(true);
        const built = fs.statSync(entry()).mtimeMs;

        const again = run('--if-stale');
        expect(again.status).to.equal(0);
        expect(again.stderr).to.equal('');
        expect(again.stdout).to.equal('');
        expect(fs.statSync(entry()).mtimeMs).to.equal(built);

        const later = new Date(Date.now() + 60_000);
        fs.utimesSync(path.join(tmp.dir, 'src', 'index.ts'), later, later);
        const changed = run('--if-stale');
        expect(changed.status, changed.stderr).to.equal(0);
        expect(changed.stderr.split('\n')[0]).to.equal('signpost: the sources changed since the last build: '
            + 'building first.');
        expect(changed.stdout).to.equal('');
    });

    it('builds nothing where there are no sources yet (a container\'s build stage installs first)', () => {
        fs.rmSync(path.join(tmp.dir, 'src'), { recursive: true });
        const r = run();
        expect(r.status).to.equal(0);
        expect(r.stderr).to.include('nothing to build');
        expect(fs.existsSync(path.join(tmp.dir, 'dist'))).to.equal(false);
    });

    it('is what npm install (prepare) runs, and what npm start, chat and signpost run first', () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as {
            scripts: Record<string, string>;
        };
        expect(pkg.scripts.prepare).to.equal('node bin/build.js');
        expect(pkg.scripts.build).to.equal('node bin/build.js');
        for (const script of ['prestart', 'prechat', 'presignpost']) {
            expect(pkg.scripts[script], script).to.equal('node bin/build.js --if-stale');
        }
        expect(pkg.scripts.pretest).to.match(/build/);
    });
});
