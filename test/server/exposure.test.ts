import { expect } from 'chai';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/cli/serverProcess';
import { ConfigError, exposureProblem, loadConfig } from '../../src/config';
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
    const clean = Object.fromEntries(Object.entries(process.env)
        .filter(([name]) => !/^(HOST|Microsoft|SIGNPOST_)/.test(name)));
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
            expect(r.stderr).to.include('HOST').and.include('MicrosoftAppId').and.include('SIGNPOST_INSECURE_DEV')
                .and.include('SIGNPOST_WEBSITE_CHAT_ONLY');
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

    it('serves the website chat anywhere with SIGNPOST_WEBSITE_CHAT_ONLY, and takes no activities', async () => {
        const r = await start({ HOST: '0.0.0.0', SIGNPOST_WEBSITE_CHAT_ONLY: 'true' }, async (port) => {
            const base = `http://127.0.0.1:${port}`;
            const token = await fetch(`${base}/api/directline/token`, {
                method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
            });
            expect(token.status, 'the website chat starts').to.equal(200);
            const refused = await fetch(`${base}/api/messages`, {
                method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
                    type: 'message', text: 'hello', channelId: 'emulator', serviceUrl: 'http://localhost:9',
                    from: { id: 'x' }, recipient: { id: 'bot' }, conversation: { id: 'c1' },
                }),
            });
            expect(refused.status, '/api/messages takes nothing').to.equal(403);
        });
        expect(r.started).to.include({ host: '0.0.0.0', auth: 'closed (website chat only)' });
        expect(r.stderr).to.not.include('SIGNPOST_INSECURE_DEV');
    });

    it('listens on every address by default with MicrosoftAppId', async () => {
        const r = await start({ MicrosoftAppId: '00000000-1111-2222-3333-444444444444',
            MicrosoftAppPassword: 'not-used-no-request-is-made' });
        expect(r.started).to.include({ host: '0.0.0.0', auth: 'bot-framework' });
        expect(r.stderr).to.not.include('SIGNPOST_INSECURE_DEV');
    });
});

describe('the settings that decide who may reach /api/messages', () => {
    const APP = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' };

    it('listen on 127.0.0.1 by default without MicrosoftAppId, and on every address with it', () => {
        expect(loadConfig({}).host).to.equal('127.0.0.1');
        expect(loadConfig(APP).host).to.equal('0.0.0.0');
        expect(loadConfig({ HOST: '192.0.2.7' }).host).to.equal('192.0.2.7');
    });

    it('take only true or false for the two switches, naming the setting', () => {
        for (const name of ['SIGNPOST_INSECURE_DEV', 'SIGNPOST_WEBSITE_CHAT_ONLY']) {
            expect(() => loadConfig({ [name]: 'yes' })).to.throw(ConfigError, name);
            expect(loadConfig({ [name]: 'TRUE' }).auth[name === 'SIGNPOST_INSECURE_DEV' ? 'insecureDev'
                : 'websiteChatOnly']).to.equal(true);
        }
    });

    it('ignore SIGNPOST_INSECURE_DEV when there is a bot identity, or when only the website chat is served', () => {
        expect(loadConfig({ ...APP, SIGNPOST_INSECURE_DEV: 'true' }).auth.insecureDev).to.equal(false);
        expect(loadConfig({ SIGNPOST_WEBSITE_CHAT_ONLY: 'true', SIGNPOST_INSECURE_DEV: 'true' }).auth.insecureDev)
            .to.equal(false);
    });

    it('refuse the website chat only with Azure Direct Line, which comes in on /api/messages', () => {
        expect(() => loadConfig({ SIGNPOST_WEBSITE_CHAT_ONLY: 'true', DIRECT_LINE_SECRET: 'x' }))
            .to.throw(ConfigError, 'SIGNPOST_WEBSITE_CHAT_ONLY');
    });

    it('find a problem only with a reachable address, no bot identity and neither switch', () => {
        const problem = (env: NodeJS.ProcessEnv) => exposureProblem(loadConfig(env));
        for (const host of ['0.0.0.0', '::', '192.0.2.7', 'chat.example.org']) {
            expect(problem({ HOST: host }), host).to.be.a('string');
            expect(problem({ HOST: host, ...APP }), host).to.equal(undefined);
            expect(problem({ HOST: host, SIGNPOST_INSECURE_DEV: 'true' }), host).to.equal(undefined);
            expect(problem({ HOST: host, SIGNPOST_WEBSITE_CHAT_ONLY: 'true' }), host).to.equal(undefined);
        }
        for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
            expect(problem({ HOST: host }), host).to.equal(undefined);
        }
    });
});
