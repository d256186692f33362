import { expect } from 'chai';
import fc from 'fast-check';
import type { Logger } from '../../src/log';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

/** Seeded, so a failure is the same failure on every machine; fast-check prints the seed and the shrunk case. */
const SEED = 3_978;
/** Requests per property: each is a real HTTP round trip, some through the whole bot. */
const RUNS = 120;

/** Content types a client may claim, rightly or wrongly (JSON most often, so most bodies are read). */
const contentType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x', 'application/octet-stream', 'application/xml', 'text/html', 'image/png',
    'application/json; charset=utf-16', 'APPLICATION/JSON', '',
));

/** A field that is sometimes right and sometimes anything at all. */
const sometimes = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: right }, fc.anything());

/** Things shaped like Bot Framework activities, with any field missing, wrong or strange. */
function activityLike(serviceUrl: () => string) {
    return fc.record({
        type: sometimes(fc.constantFrom('message', 'conversationUpdate', 'typing', 'event', 'messageReaction',
            'installationUpdate', 'endOfConversation', 'unknown', '')),
        text: sometimes(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constant('x'.repeat(6000)),
            fc.constantFrom('help', 'stop', 'delete my data', 'talk to a person', '1', '😀'))),
        channelId: sometimes(fc.constantFrom('webchat', 'msteams', 'sms', 'directline', 'emulator', 'unknown')),
        serviceUrl: sometimes(fc.constant(null).map(() => serviceUrl())),
        conversation: sometimes(fc.record({ id: fc.string({ minLength: 1, maxLength: 80 }) })),
        from: sometimes(fc.record({ id: fc.string({ maxLength: 40 }), name: fc.string({ maxLength: 40 }) })),
        recipient: sometimes(fc.record({ id: fc.string({ maxLength: 40 }) })),
        id: sometimes(fc.string({ maxLength: 40 })),
        timestamp: sometimes(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
        locale: sometimes(fc.constantFrom('en-GB', 'cy', '')),
        membersAdded: sometimes(fc.array(fc.record({ id: fc.string({ maxLength: 20 }) }), { maxLength: 3 })),
        attachments: sometimes(fc.array(fc.record({
            contentType: fc.constantFrom('image/png', 'application/vnd.microsoft.card.adaptive', 'text/html'),
            contentUrl: fc.constant('http://127.0.0.1:9/never-fetched'),
            content: fc.jsonValue({ maxDepth: 2 }),
        }), { maxLength: 3 })),
        entities: sometimes(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })),
        value: fc.jsonValue({ maxDepth: 3 }),
        channelData: sometimes(fc.jsonValue({ maxDepth: 3 })),
        name: sometimes(fc.string({ maxLength: 120 })),
    }, { requiredKeys: [] }).map((a) => JSON.stringify(a) ?? 'null');
}

/** Activities a channel could really send, with odd text, attachments, entities, values and channel data. */
function validActivity(serviceUrl: () => string) {
    return fc.record({
        type: fc.constantFrom('message', 'message', 'message', 'conversationUpdate', 'typing', 'event'),
        text: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 50 }),
            fc.constant('x'.repeat(6000)), fc.constantFrom('help', 'stop', 'start', 'delete my data',
                'talk to a person', 'start again', '1', '2', 'yes', '😀', '\u0000\u001b[2J', '')),
        channelId: fc.constantFrom('webchat', 'msteams', 'sms', 'directline', 'emulator', 'unknown'),
        serviceUrl: fc.constant(null).map(() => serviceUrl()),
        conversation: fc.record({ id: fc.oneof(fc.constantFrom('fuzz-1', 'fuzz-2', 'fuzz-3'),
            fc.string({ minLength: 1, maxLength: 80 })) }),
        from: fc.record({ id: fc.constantFrom('+447700900001', 'resident-a', 'resident-b'), name: fc.string() }),
        recipient: fc.constant({ id: 'signpost-bot' }),
        membersAdded: fc.array(fc.record({ id: fc.constantFrom('resident-a', 'signpost-bot', '') }), { maxLength: 2 }),
        attachments: fc.array(fc.record({
            contentType: fc.constantFrom('image/png', 'application/vnd.microsoft.card.adaptive', 'text/html'),
            contentUrl: fc.constant('http://127.0.0.1:9/never-fetched'),
            content: fc.jsonValue({ maxDepth: 2 }),
        }), { maxLength: 2 }),
        value: fc.jsonValue({ maxDepth: 3 }),
        channelData: fc.jsonValue({ maxDepth: 3 }),
        entities: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }),
        locale: fc.constantFrom('en-GB', 'cy', 'xx', ''),
    }, { requiredKeys: ['type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient'] })
        .map((a) => JSON.stringify(a));
}

/** What Web Chat posts to Direct Line: a message (or event, or typing) with odd text, values and channel data. */
const webChatActivity = fc.record({
    type: fc.constantFrom('message', 'message', 'message', 'event', 'typing'),
    text: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 50 }),
        fc.constantFrom('help', 'stop', 'delete my data', 'talk to a person', '1', '😀', 'x'.repeat(4999), '')),
    from: fc.record({ id: fc.string({ maxLength: 40 }), name: fc.string({ maxLength: 80 }) }),
    locale: fc.constantFrom('en-GB', 'cy', ''),
    name: fc.constantFrom('webchat/join', 'startConversation', ''),
    value: fc.jsonValue({ maxDepth: 3 }),
    channelData: fc.jsonValue({ maxDepth: 3 }),
    entities: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }),
}, { requiredKeys: ['type'] }).map((a) => JSON.stringify(a));

/** Any body: real activities, activity-like JSON, any JSON, broken JSON, big JSON, text that is not JSON at all. */
function anyBody(serviceUrl: () => string) {
    return fc.oneof(
        { weight: 5, arbitrary: validActivity(serviceUrl) },
        { weight: 3, arbitrary: activityLike(serviceUrl) },
        { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
        { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
        { weight: 1, arbitrary: fc.constantFrom('', '{', '[', '{"type":', 'null', 'true', '0', '"message"', '{}{}',
            '{"__proto__": {"type": "message"}}', '{"constructor": {"prototype": {"x": 1}}}', '\u0000\u0000') },
        // Past the body limit (256 KB), and just under it.
        { weight: 1, arbitrary: fc.constantFrom(300 * 1024, 250 * 1024).map((n) =>
            JSON.stringify({ type: 'message', text: 'x'.repeat(n) })) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 4000 }).map((d) => '['.repeat(d) + ']'.repeat(d)) },
    );
}

/** Direct Line routes, with a real token, a token for another conversation, a made-up one, or none. */
const DL_ROUTES: { method: string; path: (conversationId: string) => string }[] = [
    { method: 'POST', path: () => '/v3/directline/conversations' },
    { method: 'POST', path: () => '/v3/directline/tokens/generate' },
    { method: 'POST', path: () => '/v3/directline/tokens/refresh' },
    { method: 'GET', path: (id) => `/v3/directline/conversations/${id}` },
    { method: 'GET', path: (id) => `/v3/directline/conversations/${id}/activities?watermark=0` },
    // Index 5, drawn most often: where a resident's messages go.
    { method: 'POST', path: (id) => `/v3/directline/conversations/${id}/activities` },
    { method: 'POST', path: (id) => `/v3/directline/conversations/${id}/upload` },
    { method: 'POST', path: () => '/api/directline/token' },
];

/** Text as one path segment; a lone surrogate (which cannot be encoded) as a broken escape instead. */
function pathSegment(text: string): string {
    try {
        return encodeURIComponent(text);
    } catch {
        return 'bad%ZZescape';
    }
}

/** A logger that keeps the events of errors, so a request that failed inside (and was hidden) is seen. */
function recordingLogger(errors: string[]): Logger {
    const none = () => undefined;
    return { debug: none, info: none, warn: none, error: (event: string) => errors.push(event) };
}

describe('whatever a client posts, the public routes never answer with a server error', function () {
    this.timeout(120_000);
    const errors: string[] = [];
    let web: WebServer;
    let channel: FakeChannel;
    before(async () => {
        // Limits raised: these tests post hundreds of requests from one address in a few seconds.
        web = await startWebServer({
            app: testApp({ log: recordingLogger(errors), env: {
                SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: '100000', SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: '100000',
                SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '100000', SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '100000',
            } }),
            limits: { requestsPerWindow: 100_000 },
        });
        channel = new FakeChannel(web.url);
        await channel.start();
    });
    after(async () => {
        await channel.stop();
        await web.stop();
    });
    afterEach(async () => {
        expect((await fetch(`${web.url}/healthz`)).status, 'the server is still up').to.equal(200);
    });

    async function send(method: string, path: string, body: string | undefined, headers: Record<string, string>) {
        const res = await fetch(`${web.url}${path}`, { method, headers, body: method === 'GET' ? undefined : body });
        await res.arrayBuffer();
        return res.status;
    }

    it('POST /api/messages: 2xx or 4xx for any body and content type', async () => {
        errors.length = 0;
        await fc.assert(fc.asyncProperty(
            anyBody(() => channel.serviceUrl), contentType, fc.boolean(),
            async (body, type, withAuth) => {
                const headers: Record<string, string> = type ? { 'content-type': type } : {};
                if (withAuth) headers.authorization = 'Bearer not-a-token';
                const status = await send('POST', '/api/messages', body, headers);
                // botbuilder's answer to an invoke the bot has no handler for (Teams then shows the action failed).
                const unhandledInvoke = status === 501 && /"type":"invoke"/.test(body);
                expect(status < 500 || unhandledInvoke, `status ${status}`).to.equal(true);
            },
        ), { seed: SEED, numRuns: RUNS });
        expect(errors, 'nothing failed inside').to.deep.equal([]);
    });

    it('the Direct Line routes: 2xx or 4xx for any body, content type, token and conversation id', async () => {
        errors.length = 0;
        const own = await pageToken(web.url);
        const other = await pageToken(web.url);
        for (const grant of [own, other]) {
            await send('POST', '/v3/directline/conversations', '{}', {
                authorization: `Bearer ${grant.token}`, 'content-type': 'application/json',
            });
        }
        const tokens = fc.oneof({ weight: 4, arbitrary: fc.constant(own.token) },
            fc.constantFrom(other.token, 'made-up', `${own.token}x`, '', undefined));
        const ids = fc.oneof(
            { weight: 3, arbitrary: fc.constant(own.conversationId) },
            { weight: 1, arbitrary: fc.constant(other.conversationId) },
            { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map(pathSegment) },
            { weight: 1, arbitrary: fc.constantFrom('..', '%2e%2e', 'a'.repeat(300), '%00', '%F0%9F%98%80') },
        );
        await fc.assert(fc.asyncProperty(
            fc.oneof({ weight: 3, arbitrary: fc.constant(DL_ROUTES[5]) }, fc.constantFrom(...DL_ROUTES)), ids, tokens,
            fc.oneof({ weight: 2, arbitrary: webChatActivity }, anyBody(() => channel.serviceUrl)),
            contentType,
            async (route, id, token, body, type) => {
                const headers: Record<string, string> = type ? { 'content-type': type } : {};
                if (token !== undefined) headers.authorization = `Bearer ${token}`;
                const status = await send(route.method, route.path(id), body, headers);
                expect(status, `${route.method} ${route.path(id)}: ${status}`).to.be.below(500);
            },
        ), { seed: SEED, numRuns: RUNS });
        expect(errors, 'nothing failed inside').to.deep.equal([]);
    });
});
