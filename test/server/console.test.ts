import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { readyLine } from '../../src/index';
import { projectRoot } from '../../src/paths';

/** Runs a few lines of Node in a child process from the project folder; what it wrote to stderr. */
function stderrOf(script: string): string {
    const r = spawnSync(process.execPath, ['-e', script], { cwd: projectRoot(), encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).to.equal(0);
    return r.stderr;
}

describe('the console at start (issue 23)', () => {
    it('loads the server without restify\'s DEP0111 warning about process.binding(\'http_parser\') on Node 20', () => {
        const stderr = stderrOf(`require('./${path.posix.join('dist', 'src', 'server', 'createServer.js')}')`);
        expect(stderr).not.to.include('DEP0111');
        expect(stderr).not.to.include('http_parser');
    });

    it('still shows every other warning, deprecations too', () => {
        const stderr = stderrOf(`require('./dist/src/server/createServer.js');
            process.emitWarning('Something else is deprecated.', 'DeprecationWarning', 'DEP0999');
            process.emitWarning('A warning of another kind.');`);
        expect(stderr).to.include('[DEP0999] DeprecationWarning: Something else is deprecated.');
        expect(stderr).to.include('Warning: A warning of another kind.');
    });

    it('says in one plain line where the chat page and the workspace are, and how to make the first account', () => {
        const line = readyLine({ host: '127.0.0.1', port: 3978 }, 0);
        expect(line.split('\n').filter(Boolean)).to.have.length(1);
        expect(line).to.include('http://localhost:3978/ ');
        expect(line).to.include('http://localhost:3978/workspace');
        expect(line).to.include('npm run --silent signpost -- users add --email EMAIL --name NAME --role lead');
    });

    it('uses the public address when there is one, and leaves out the first account once there are accounts', () => {
        const line = readyLine({ host: '0.0.0.0', port: 8080, publicUrl: 'https://signpost.example.org/' }, 2);
        expect(line).to.include('https://signpost.example.org/ ');
        expect(line).to.include('https://signpost.example.org/workspace');
        expect(line).not.to.include('users add');
    });
});
