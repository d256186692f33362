import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';

async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

/** Starts the built server as `npm start` does, and waits until /healthz answers. */
async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/index.js')], {
        // The embedded store in dataDir, even when the test run has MONGODB_URI set for the MongoDB suites.
        env: {
            ...process.env, MONGODB_URI: '', PORT: String(port), HOST: '127.0.0.1', SIGNPOST_DATA_DIR: dataDir,
            LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`server exited early: ${stderr}`);
        try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`);
            if (res.ok) return child;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`server did not start: ${stderr}`);
}

async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
    });
}

describe('when the server is killed after confirming a request for contact', () => {
    const tmp = tempDir();
    let server: ChildProcess | undefined;
    let channel: FakeChannel;
    after(async () => {
        if (server) await kill(server);
        await channel?.stop();
        tmp.remove();
    });

    it('still has the request and the conversation after a restart', async () => {
        const port = await freePort();
        server = await startServer(port, tmp.dir);
        channel = new FakeChannel(`http://127.0.0.1:${port}`);
        await channel.start();
        const conv = 'restart-journey';
        let reference = '';
        for (const say of ['talk to a person', 'phone', '07700 900789', 'skip', 'mornings', 'yes', 'no']) {
            const { status, texts } = await channel.say(conv, say);
            expect(status, say).to.equal(200);
            reference = /SP-[A-Z2-9]{6}/.exec(texts.join('\n'))?.[0] ?? reference;
        }
        expect(reference, 'the bot gave a reference').to.match(/^SP-/);

        await kill(server);
        server = await startServer(port, tmp.dir);

        const stores = openEmbeddedStores(tmp.dir);
        const stored = await stores.escalations.getByReference(reference);
        await stores.close();
        expect(stored?.contact.value).to.equal('07700900789');

        const { texts } = await channel.say(conv, 'delete my data');
        expect(texts.join('\n')).to.include(reference);
    });
});
