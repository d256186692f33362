import { expect } from 'chai';
import fc from 'fast-check';
import { loadConfig } from '../../src/config';
import { directLineLimits } from '../../src/server/limits';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { rawRequest } from '../helpers/rawHttp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** A server whose app reads these settings, as `npm start` would from its environment. */
function serverWith(env: NodeJS.ProcessEnv): Promise<WebServer> {
    return startWebServer({ app: testApp({ env }), limits: directLineLimits(loadConfig(env).http.limits) });
}

/** The limits count per minute: a test that needs one window waits when the next minute is about to start. */
async function awayFromMinuteEdge(needMs = 10_000): Promise<void> {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < needMs) await new Promise((r) => setTimeout(r, left + 100));
}

/**
 * `path` as a client could write it for the same route: any character percent-encoded (upper or lower case hex),
 * sometimes a trailing slash, a query string, or a doubled slash (which the router does not take as the route).
 */
function spellings(path: string): fc.Arbitrary<string> {
    const chars = [...path].map((c) => c === '/'
        ? fc.constant('/')
        : fc.constantFrom(c, `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
            `%${c.charCodeAt(0).toString(16).toLowerCase()}`));
    return fc.tuple(fc.tuple(...chars), fc.constantFrom('', '/', '?x=1', '/?a=%74'), fc.boolean())
        .map(([parts, tail, doubled]) => {
            const written = parts.join('') + tail;
            return doubled ? written.replace('/', '//') : written;
        });
}

describe('the rate limit a request draws on is the one of the route the router runs', function () {
    this.timeout(60_000);
    let web: WebServer;
    before(async () => (web = await serverWith({
        SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '3', SIGNPOST_LIMIT_SIGNINS_PER_MINUTE: '3',
    })));
    after(async () => web.stop());
    beforeEach(() => awayFromMinuteEdge(20_000));

    const json = { 'content-type': 'application/json' };
    const routes = [
        // The page's token route answers 200; once its allowance is used, 429. 404 when the router has no route.
        { path: '/api/directline/token', body: '{}', ran: 200 },
        // The workspace's sign-in answers 401 to a wrong password.
        {
            path: '/workspace/api/session', ran: 401,
            body: JSON.stringify({ email: 'a@example.org', password: 'wrong' }),
        },
    ];
    for (const route of routes) {
        it(`gives ${route.path} however spelt no more than its own allowance`, async () => {
            const statuses: number[] = [];
            for (let i = 0; i < 4; i++) {
                const res = await rawRequest(web.url, { path: route.path, body: route.body, headers: json });
                statuses.push(res.status);
            }
            expect(statuses).to.deep.equal([route.ran, route.ran, route.ran, 429]);
            let refused = 0;
            await fc.assert(fc.asyncProperty(spellings(route.path), async (path) => {
                const res = await rawRequest(web.url, { path, body: route.body, headers: json });
                // Either the router ran the route (and then only a 429 is right now) or it found none.
                expect(res.status, path).to.be.oneOf([429, 404]);
                if (res.status === 429) refused++;
            }), { seed: 1304, numRuns: 60 });
            // Many spellings are the route itself (a doubled or trailing slash is not), so this is not all 404s.
            expect(refused).to.be.greaterThan(5);
        });
    }
});

describe('the per-conversation allowance on /api/messages under a burst', function () {
    this.timeout(60_000);
    let web: WebServer;
    let channel: FakeChannel;
    before(async () => {
        web = await serverWith({ SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '5' });
        channel = new FakeChannel(web.url);
        await channel.start();
    });
    after(async () => {
        await channel.stop();
        await web.stop();
    });
    beforeEach(() => awayFromMinuteEdge(20_000));

    it('accepts no more than the allowance of many messages sent at once', async () => {
        const statuses = await Promise.all(Array.from({ length: 60 }, () => channel.say('burst', 'hello')));
        const accepted = statuses.filter((s) => s.status < 300).length;
        expect(accepted, statuses.map((s) => s.status).join(' ')).to.equal(5);
        expect(statuses.filter((s) => s.status === 429).length).to.equal(55);
    });
});
