import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Runs `body` in a Node process that has the server's process guard (src/index.ts guardProcess) in place. */
function guarded(body: string): { status: number | null; stdout: string; stderr: string } {
    const index = path.join(__dirname, '..', '..', 'src', 'index.js');
    const log = path.join(__dirname, '..', '..', 'src', 'log.js');
    const script = `
        const { guardProcess } = require(${JSON.stringify(index)});
        const { createLogger } = require(${JSON.stringify(log)});
        guardProcess(createLogger('info'));
        ${body}`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The JSON lines a process wrote. */
function lines(stdout: string): Record<string, unknown>[] {
    return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('errors nothing else caught, in the server process', function () {
    this.timeout(30_000);

    it('logs a rejection nobody awaited in one line, without its message, and keeps serving', () => {
        const run = guarded(`
            Promise.reject(new TypeError('07700 900123 said something private'));
            setTimeout(() => process.stdout.write(JSON.stringify({ event: 'still.running' }) + '\\n'), 200);`);
        expect(run.status).to.equal(0);
        const events = lines(run.stdout);
        expect(events.map((e) => e.event)).to.deep.equal(['process.unhandled_rejection', 'still.running']);
        expect(events[0].error).to.equal('TypeError');
        expect(run.stdout + run.stderr).not.to.include('07700');
    });

    it('logs an uncaught exception (an error event with no listener) in one line and exits 1 for a restart', () => {
        const run = guarded(`
            const { EventEmitter } = require('node:events');
            setTimeout(() => new EventEmitter().emit('error', new RangeError('07700 900123 said something private')));
            setTimeout(() => process.stdout.write(JSON.stringify({ event: 'still.running' }) + '\\n'), 500);`);
        expect(run.status).to.equal(1);
        const events = lines(run.stdout);
        expect(events.map((e) => e.event)).to.deep.equal(['process.uncaught_exception']);
        expect(events[0].error).to.equal('RangeError');
        expect(run.stdout + run.stderr).not.to.include('07700');
    });
});
