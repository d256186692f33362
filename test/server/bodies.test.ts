import { expect } from 'chai';
import zlib from 'node:zlib';
import { freePort, startServer, stopServer, type ServerProcess } from '../../src/cli/serverProcess';
import { memoryOf, rawRequest } from '../helpers/rawHttp';
import { tempDir } from '../helpers/tmp';

/** The routes the issue named: the workspace's sign-in, the bot, the page's token route, and the health check. */
const ROUTES: [string, string][] = [
    ['POST', '/workspace/api/session'], ['POST', '/api/messages'], ['POST', '/api/directline/token'],
    ['GET', '/healthz'], ['POST', '/healthz'],
];

/** JSON that is `mb` megabytes once unpacked: an activity whose text is one long run of the same letter. */
function bombJson(mb: number): Buffer {
    const head = Buffer.from('{"type":"message","text":"');
    const tail = Buffer.from('"}');
    return Buffer.concat([head, Buffer.alloc(mb * 1024 * 1024, 'a'), tail]);
}

describe('compressed request bodies against the real server process', function () {
    this.timeout(120_000);
    const tmp = tempDir();
    let server: ServerProcess;

    before(async () => {
        server = await startServer({
            port: await freePort(), dataDir: tmp.dir, timeoutMs: 30_000,
            // The embedded store; a bot identity, so /api/messages answers 401 to anyone without a token; limits high
            // enough that these requests are not refused for their number.
            env: {
                MONGODB_URI: '', MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x',
                SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: '100000', SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: '100000',
                SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '100000', SIGNPOST_LIMIT_SIGNINS_PER_MINUTE: '100000',
            },
        });
    });
    after(async () => {
        await stopServer(server, 'SIGKILL');
        tmp.remove();
    });

    async function alive(): Promise<void> {
        expect(server.child.exitCode, `the server exited: ${server.stderr()}`).to.equal(null);
        expect(server.child.signalCode, 'the server was killed').to.equal(null);
        const res = await rawRequest(server.url, { method: 'GET', path: '/healthz' });
        expect(res.status, 'the server still answers /healthz').to.equal(200);
    }

    const json = Buffer.from(JSON.stringify({ email: 'a@example.org', password: 'not this one' }));
    const bad: [string, string, Buffer][] = [
        ['not gzip at all', 'gzip', Buffer.from('abcd')],
        ['a truncated gzip stream', 'gzip', zlib.gzipSync(json).subarray(0, 20)],
        ['not deflate at all', 'deflate', Buffer.from('abcd')],
        ['a truncated deflate stream', 'deflate', zlib.deflateSync(json).subarray(0, 8)],
        ['not brotli at all', 'br', Buffer.from('abcd')],
        ['an unknown encoding', 'compress', Buffer.from('abcd')],
    ];
    for (const [what, encoding, body] of bad) {
        it(`answers ${what} with a 4xx on every route, and keeps serving`, async () => {
            for (const [method, path] of ROUTES) {
                const res = await rawRequest(server.url, {
                    method, path, body, headers: { 'content-type': 'application/json', 'content-encoding': encoding },
                });
                await alive();
                expect(res.status, `${encoding} ${path}`).to.be.within(400, 499);
            }
        });
    }

    it('refuses a gzip bomb with 413 before authentication, and stays small', async () => {
        // 200 MB of JSON in about 200 KB of gzip, under the 256 KB body limit as sent.
        const bomb = zlib.gzipSync(bombJson(200), { level: 9 });
        expect(bomb.length).to.be.below(256 * 1024);
        const before = memoryOf(server.child.pid!);
        const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => rawRequest(server.url, {
            path: ROUTES[i % 3][1], body: bomb,
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        })));
        await alive();
        const after = memoryOf(server.child.pid!);
        if (before && after) {
            // The process's peak, not just its memory now: unpacking one bomb would need 200 MB, sixteen 3 GB.
            expect(after.peakMb - before.rssMb, `peak ${after.peakMb} MB from ${before.rssMb} MB`).to.be.below(100);
        }
        for (const res of answers) expect(res.status).to.be.oneOf([413, 415]);
    });

    it('reads a gzip or deflate body within the limit, as it reads a plain one', async () => {
        const activity = Buffer.from(JSON.stringify({ type: 'message', channelId: 'msteams' }));
        for (const [encoding, body] of [['gzip', zlib.gzipSync(activity)], ['deflate', zlib.deflateSync(activity)],
            ['identity', activity]] as const) {
            const res = await rawRequest(server.url, {
                path: '/api/messages', body,
                headers: { 'content-type': 'application/json', 'content-encoding': encoding },
            });
            // Read and parsed: the activity check names the first field missing.
            expect(res.status, encoding).to.equal(400);
            expect(res.body, encoding).to.include('serviceUrl');
        }
    });

    it('refuses JSON nested thousands of levels deep with 400', async () => {
        const value = '['.repeat(5000) + ']'.repeat(5000);
        for (const [method, path] of ROUTES.filter(([m]) => m === 'POST').slice(0, 3)) {
            const res = await rawRequest(server.url, {
                method, path, body: `{"type":"message","value":${value}}`,
                headers: { 'content-type': 'application/json' },
            });
            expect(res.status, path).to.equal(400);
        }
        await alive();
    });

    it('still reads an ordinary JSON body', async () => {
        const res = await rawRequest(server.url, {
            path: '/workspace/api/session', body: json, headers: { 'content-type': 'application/json' },
        });
        expect(res.status).to.equal(401);
    });
});
