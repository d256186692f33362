import { expect } from 'chai';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/cli/serverProcess';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

interface Started {
    /** The exit code, when it stopped by itself. */
    code: number | null;
    stdout: string;
    stderr: string;
    /** The server.started log line, when it started. */
    started?: Record<string, unknown>;
}

/** Starts the built server (as `npm start` does) and waits until it has started or stopped; then stops it. */
async function start(env: NodeJS.ProcessEnv, whileUp?: (port: number) => Promise<void>): Promise<Started> {
    const tmp = tempDir();
    const port = await freePort();
    // Only what the test gives: none of this machine's own settings.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HOST|Microsoft|SIGNPOST_)/.test(k)));
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/index.js')], {
        env: { ...clean, SIGNPOST_DATA_DIR: tmp.dir, PORT: String(port), LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: Started = { code: null, stdout: '', stderr: '' };
    try {
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`neither started nor stopped: ${result.stderr}`)), 20_000);
            child.stderr.on('data', (d: Buffer) => (result.stderr += d.toString()));
            child.stdout.on('data', (d: Buffer) => {
                result.stdout += d.toString();
                const line = result.stdout.split('\n').find((l) => l.includes('"server.started"'));
                if (line) {
                    result.started = JSON.parse(line) as Record<string, unknown>;
                    clearTimeout(timer);
                    resolve();
                }
            });
            child.once('exit', (code) => {
                result.code = code;
                clearTimeout(timer);
                resolve();
            });
        });
        if (result.started && whileUp) await whileUp(port);
        return result;
    } finally {
        if (child.exitCode === null) {
            await new Promise((resolve) => {
                child.once('exit', resolve);
                child.kill('SIGTERM');
            });
        }
        tmp.remove();
    }
}

/** An address of this machine that is not loopback; undefined if none. */
function otherAddress(): string | undefined {
    return Object.values(os.networkInterfaces()).flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe('where the server listens without MicrosoftAppId', function () {
    this.timeout(60_000);

    it('refuses to start on an address other computers can reach, saying what to do', async () => {
        for (const host of ['0.0.0.0', '::', otherAddress()].filter(Boolean) as string[]) {
            const r = await start({ HOST: host });
            expect(r.started, `it started on ${host}`).to.equal(undefined);
            expect(r.code).to.equal(1);
            expect(r.stderr).to.include('HOST').and.include('MicrosoftAppId').and.include('SIGNPOST_INSECURE_DEV');
        }
    });

    it('listens on this computer only by default, so `npm start` with no settings still works', async () => {
        const address = otherAddress();
        const r = await start({}, async (port) => {
            expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
            if (address) {
                const reached = await fetch(`http://${address}:${port}/healthz`).then(() => true, () => false);
                expect(reached, 'reachable from another address').to.equal(false);
            }
        });
        expect(r.started).to.include({ host: '127.0.0.1', auth: 'none (this computer only)' });
        expect(r.stderr).to.not.include('SIGNPOST_INSECURE_DEV');
    });

    it('starts anywhere with SIGNPOST_INSECURE_DEV=true, and warns in the log and on stderr', async () => {
        const r = await start({ HOST: '0.0.0.0', SIGNPOST_INSECURE_DEV: 'true' });
        expect(r.started).to.include({ host: '0.0.0.0', auth: 'none (SIGNPOST_INSECURE_DEV)' });
        expect(r.stdout).to.include('"server.insecure_dev"');
        expect(r.stderr).to.match(/^Warning: SIGNPOST_INSECURE_DEV is on/m);
    });

    it('listens on every address by default with MicrosoftAppId', async () => {
        const r = await start({ MicrosoftAppId: '00000000-1111-2222-3333-444444444444',
            MicrosoftAppPassword: 'not-used-no-request-is-made' });
        expect(r.started).to.include({ host: '0.0.0.0', auth: 'bot-framework' });
        expect(r.stderr).to.not.include('SIGNPOST_INSECURE_DEV');
    });
});
