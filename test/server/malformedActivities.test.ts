import { expect } from 'chai';
import type { Logger } from '../../src/log';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { openConversation, startWebServer, upgradeStatus, type WebServer } from '../helpers/webServer';

const DL = '/v3/directline';

/** A logger that keeps the events of errors, so a turn that failed (and was answered 200) is seen. */
function recordingLogger(errors: string[]): Logger {
    const none = () => undefined;
    return { debug: none, info: none, warn: none, error: (event: string) => errors.push(event) };
}

/** Stands for a value nested 5,000 levels deep, written into the JSON text after JSON.stringify. */
const DEEP = '\u0000deep';

/** The activity as JSON, with DEEP written out. */
function json(activity: Record<string, unknown>): string {
    return JSON.stringify(activity).replace(JSON.stringify(DEEP), '['.repeat(5000) + ']'.repeat(5000));
}

/** Activities botbuilder or the bot would trip on, each a field of the wrong type or text that is not Unicode. */
const MALFORMED: [string, Record<string, unknown>][] = [
    ['membersAdded holding null', { type: 'conversationUpdate', membersAdded: [null] }],
    ['membersAdded holding an account without an id', { type: 'conversationUpdate', membersAdded: [{ name: 'x' }] }],
    ['locale as an object', { text: 'hello', locale: { x: 1 } }],
    ['replyToId as an object', { text: 'hello', replyToId: { x: 1 } }],
    ['conversation.isGroup as "yes"', { text: 'hello', conversation: { id: 'malformed-1', isGroup: 'yes' } }],
    ['from.name as an object', { text: 'hello', from: { id: 'resident', name: { first: 'x' } } }],
    ['a conversation id with a lone surrogate', { text: 'hello', conversation: { id: 'malformed-\uD800' } }],
    ['a conversation id with a NUL', { text: 'hello', conversation: { id: 'malformed-\u0000' } }],
    ['a from.id with a control character', { text: 'hello', from: { id: 'resident\u001b', name: 'x' } }],
    ['text with a lone surrogate', { text: 'hello \uDC00' }],
    ['channelData as a string', { text: 'hello', channelData: 'x' }],
    ['entities holding a number', { text: 'hello', entities: [1] }],
    ['attachments holding null', { text: 'hello', attachments: [null] }],
    ['value nested 5,000 levels deep', { text: 'hello', value: DEEP }],
];

describe('malformed activities on /api/messages are refused with 400 before the turn', function () {
    this.timeout(60_000);
    const errors: string[] = [];
    let web: WebServer;
    let channel: FakeChannel;
    before(async () => {
        web = await startWebServer({ app: testApp({ log: recordingLogger(errors), env: {
            SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '100000',
        } }) });
        channel = new FakeChannel(web.url);
        await channel.start();
    });
    after(async () => {
        await channel.stop();
        await web.stop();
    });

    for (const [what, partial] of MALFORMED) {
        it(`refuses ${what}`, async () => {
            errors.length = 0;
            const activity = {
                type: 'message', id: 'a1', channelId: 'emulator', serviceUrl: channel.serviceUrl,
                from: { id: 'resident-http', name: 'resident' }, recipient: { id: 'signpost-bot', name: 'Signpost' },
                conversation: { id: 'malformed-conversation' }, locale: 'en-GB', ...partial,
            };
            const res = await fetch(`${web.url}/api/messages`, {
                method: 'POST', headers: { 'content-type': 'application/json' }, body: json(activity),
            });
            await res.arrayBuffer();
            expect(res.status).to.equal(400);
            expect(errors, 'no turn failed').to.deep.equal([]);
        });
    }

    it('still answers a well-formed activity with every optional field', async () => {
        const { status, texts } = await channel.send('well-formed', {
            text: 'hello', locale: 'en-GB', replyToId: 'abc', textFormat: 'plain', channelData: { tenant: { id: 't' } },
            conversation: { id: 'well-formed', isGroup: false, conversationType: 'personal', tenantId: 't' },
            from: { id: 'resident', name: 'Sam', role: 'user', aadObjectId: 'aad' }, entities: [{ type: 'mention' }],
            value: { a: [1, { b: 'c' }] },
        });
        expect(status).to.equal(200);
        expect(texts.length).to.be.greaterThan(0);
        const added = await channel.send('well-formed-2', {
            type: 'conversationUpdate', membersAdded: [{ id: 'resident', name: 'Sam' }, { id: 'signpost-bot' }],
        });
        expect(added.status).to.equal(200);
        expect(errors).to.deep.equal([]);
    });
});

describe('malformed activities posted to the built-in Direct Line endpoint are refused with 400', function () {
    this.timeout(60_000);
    const errors: string[] = [];
    let web: WebServer;
    let token: string;
    let conversationId: string;
    before(async () => {
        web = await startWebServer({
            app: testApp({ log: recordingLogger(errors) }), limits: { requestsPerWindow: 1000 },
        });
        ({ token, conversationId } = await openConversation(web.url));
    });
    after(async () => web.stop());

    async function post(activity: Record<string, unknown>): Promise<number> {
        const res = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: json(activity),
        });
        await res.arrayBuffer();
        return res.status;
    }

    const cases: [string, Record<string, unknown>][] = [
        ['locale as an object', { type: 'message', text: 'hello', locale: { x: 1 } }],
        ['from.name as an object', { type: 'message', text: 'hello', from: { id: 'x', name: { first: 'x' } } }],
        ['from as a string', { type: 'message', text: 'hello', from: 'me' }],
        ['text with a lone surrogate', { type: 'message', text: 'hello \uD800' }],
        ['a value with a lone surrogate', { type: 'event', name: 'x', value: { k: '\uDFFF' } }],
        ['textFormat as a number', { type: 'message', text: 'hello', textFormat: 1 }],
        ['channelData as a string', { type: 'message', text: 'hello', channelData: 'x' }],
        ['entities holding null', { type: 'message', text: 'hello', entities: [null] }],
        // Written out, since JSON.stringify itself runs out of stack on it.
        ['value nested 5,000 levels deep', { type: 'event', name: 'x', value: DEEP }],
    ];
    for (const [what, activity] of cases) {
        it(`refuses ${what}`, async () => {
            errors.length = 0;
            expect(await post(activity)).to.equal(400);
            expect(errors, 'no turn failed').to.deep.equal([]);
        });
    }

    it('still takes what Web Chat sends', async () => {
        expect(await post({
            type: 'message', text: 'hello', locale: 'en-GB', textFormat: 'plain',
            from: { id: 'dl_x', name: '', role: 'user' },
            channelData: { clientActivityID: 'abc', clientTimestamp: new Date().toISOString() },
            entities: [{ type: 'ClientCapabilities', requiresBotState: true }],
        })).to.equal(200);
        // Clients may leave the id empty: the server sets it from the token.
        expect(await post({ type: 'message', text: 'hello', from: { id: '' } })).to.equal(200);
        expect(errors).to.deep.equal([]);
    });

    it('answers a WebSocket path with a broken escape with 400, not 500', async () => {
        const base = web.url.replace(/^http/, 'ws');
        const status = await upgradeStatus(`${base}${DL}/conversations/%E0%A4%A/stream?t=${encodeURIComponent(token)}`);
        expect(status).to.equal(400);
        expect(errors).to.deep.equal([]);
    });
});
