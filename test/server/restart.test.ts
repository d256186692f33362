import { expect } from 'chai';
import { freePort, startServer, stopServer, type ServerProcess } from '../../src/cli/serverProcess';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';

/** Starts the built server as `npm start` does, and waits until /healthz answers. */
function start(port: number, dataDir: string): Promise<ServerProcess> {
    // The embedded store in dataDir, even when the test run has MONGODB_URI set for the MongoDB suites.
    return startServer({ port, dataDir, env: { MONGODB_URI: '' }, timeoutMs: 15_000 });
}

describe('when the server is killed after confirming a request for contact', () => {
    const tmp = tempDir();
    let server: ServerProcess | undefined;
    let channel: FakeChannel;
    after(async () => {
        if (server) await stopServer(server, 'SIGKILL');
        await channel?.stop();
        tmp.remove();
    });

    it('still has the request and the conversation after a restart', async () => {
        const port = await freePort();
        server = await start(port, tmp.dir);
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

        await stopServer(server, 'SIGKILL');
        server = await start(port, tmp.dir);

        const stores = openEmbeddedStores(tmp.dir);
        const stored = await stores.escalations.getByReference(reference);
        await stores.close();
        expect(stored?.contact.value).to.equal('07700900789');

        const { texts } = await channel.say(conv, 'delete my data');
        expect(texts.join('\n')).to.include(reference);
    });
});
