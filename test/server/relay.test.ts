import { expect } from 'chai';
import os from 'node:os';
import { storedState, testApp, type TestApp } from '../helpers/app';
import { APP_ID, startBotServer, type BotServer } from '../helpers/botTokens';
import { FakeChannel } from '../helpers/fakeChannel';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

const DL = '/v3/directline';

/** Runs `work` with a fake channel listening on this machine's other address (a different computer, as seen here). */
async function onOtherComputer(web: WebServer, work: (remote: FakeChannel) => Promise<void>): Promise<void> {
    const remote = new FakeChannel(web.url);
    await remote.start(otherAddress());
    try {
        await work(remote);
    } finally {
        await remote.stop();
    }
}

/** An address of this machine that is not loopback, where a "channel elsewhere" can listen; undefined if none. */
function otherAddress(): string | undefined {
    return Object.values(os.networkInterfaces()).flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

/** A resident's website chat over the built-in Direct Line: opened, and one message sent and answered. */
async function websiteChat(web: WebServer) {
    const { token, conversationId } = await pageToken(web.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    expect((await fetch(`${web.url}${DL}/conversations`, { method: 'POST', headers, body: '{}' })).status)
        .to.equal(201);
    const sent = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
        method: 'POST', headers,
        body: JSON.stringify({ type: 'message', text: "I've been lonely since my wife died", from: { id: 'x' } }),
    });
    expect(sent.status).to.equal(200);
    const stored = await storedState(web.app, conversationId, 'directline');
    expect(stored?.dialogState, 'the website chat has state').to.not.equal(undefined);
    return { conversationId, stored };
}

/** Posts an activity to /api/messages as `channel` would; returns the status and the body. */
async function postActivity(web: WebServer, channel: FakeChannel, activity: Record<string, unknown>) {
    const res = await fetch(`${web.url}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
            type: 'message', id: 'a1', channelId: 'emulator', serviceUrl: channel.serviceUrl, locale: 'en-GB',
            from: { id: 'stranger' }, recipient: { id: 'signpost' }, conversation: { id: 'stranger-1' },
            ...activity,
        }),
    });
    return { status: res.status, body: await res.text() };
}

describe('with no MicrosoftAppId, /api/messages is not a relay for strangers', function () {
    this.timeout(30_000);
    let web: WebServer;
    let local: FakeChannel;
    before(async () => {
        web = await startWebServer();
        local = new FakeChannel(web.url);
        await local.start();
    });
    after(async () => {
        await local.stop();
        await web.stop();
    });

    it('still answers the Emulator on this computer (a loopback serviceUrl)', async () => {
        const r = await local.say('emulator-1', 'hello');
        expect(r.status).to.equal(200);
        expect(r.texts.join('\n')).to.match(/computer program/);
    });

    it('refuses a website chat\'s conversation: it cannot be joined, read or deleted from here', async () => {
        const { conversationId, stored } = await websiteChat(web);
        const before = local.replies.length;
        for (const text of ['delete my data', 'start again', 'what have you found']) {
            const r = await postActivity(web, local, { channelId: 'directline', conversation: { id: conversationId },
                text });
            expect(r.status, text).to.equal(403);
        }
        // Reading the replies in the answer itself (deliveryMode expectReplies) is refused the same way.
        const read = await postActivity(web, local, { channelId: 'directline', conversation: { id: conversationId },
            text: 'hello', deliveryMode: 'expectReplies' });
        expect(read.status).to.equal(403);
        expect(read.body).to.not.match(/lonel|computer program/i);
        expect(local.replies.length, 'nothing was sent to the stranger').to.equal(before);
        expect(await storedState(web.app, conversationId, 'directline'), 'the resident\'s state is untouched')
            .to.deep.equal(stored);
    });

    it('refuses channelId "directline" altogether: without authentication no channel can use it', async () => {
        const r = await postActivity(web, local, { channelId: 'directline', conversation: { id: 'made-up-1234' },
            text: 'hello' });
        expect(r.status).to.equal(403);
    });

    it('refuses replies in the answer (expectReplies), which would let anyone read a conversation', async () => {
        const r = await postActivity(web, local, { conversation: { id: 'emulator-1' }, text: 'what have you found',
            deliveryMode: 'expectReplies' });
        expect(r.status).to.equal(403);
        expect(r.body).to.not.match(/computer program|Hello/);
    });

    it('refuses a serviceUrl with a path, a query or credentials, even on this computer', async () => {
        const port = new URL(local.serviceUrl).port;
        for (const serviceUrl of [`http://127.0.0.1:${port}/elsewhere`, `http://127.0.0.1:${port}/?to=x`,
            `http://user:pass@127.0.0.1:${port}`, `ftp://127.0.0.1:${port}`, 'not a url']) {
            const before = local.replies.length;
            const r = await postActivity(web, local, { serviceUrl, text: 'hello' });
            // 400 when the activity's shape check (limits.ts) already refuses it, else 403.
            expect(r.status, serviceUrl).to.be.oneOf([400, 403]);
            expect(local.replies.length, serviceUrl).to.equal(before);
        }
        expect((await postActivity(web, local, { serviceUrl: `http://127.0.0.1:${port}/x`, text: 'hi' })).status)
            .to.equal(403);
    });

    it('sends no reply to a serviceUrl on another computer', async function () {
        if (!otherAddress()) this.skip();
        await onOtherComputer(web, async (remote) => {
            const r = await remote.say('remote-1', 'hello');
            expect(r.status).to.equal(403);
            expect(remote.replies, 'nothing reached the other computer').to.have.length(0);
        });
    });
});

describe('with SIGNPOST_INSECURE_DEV=true and no MicrosoftAppId (a trial on a private network)', function () {
    this.timeout(30_000);
    let web: WebServer;
    before(async () => {
        web = await startWebServer({ app: testApp({ env: { SIGNPOST_INSECURE_DEV: 'true' } }) });
    });
    after(async () => web.stop());

    it('still never lets anyone into a website chat\'s conversation', async () => {
        const local = new FakeChannel(web.url);
        await local.start();
        try {
            const { conversationId, stored } = await websiteChat(web);
            const refused = await postActivity(web, local, { channelId: 'directline',
                conversation: { id: conversationId }, text: 'delete my data' });
            expect(refused.status).to.equal(403);
            expect(local.replies).to.have.length(0);
            expect(await storedState(web.app, conversationId, 'directline')).to.deep.equal(stored);
        } finally {
            await local.stop();
        }
    });

    it('answers a channel on another computer, and still never lets it into a website chat', async function () {
        if (!otherAddress()) this.skip();
        await onOtherComputer(web, async (remote) => {
            const r = await remote.say('remote-1', 'hello');
            expect(r.status).to.equal(200);
            expect(r.texts.join('\n')).to.match(/computer program/);
            const { conversationId, stored } = await websiteChat(web);
            const refused = await postActivity(web, remote, { channelId: 'directline',
                conversation: { id: conversationId }, text: 'delete my data' });
            expect(refused.status).to.equal(403);
            expect(await storedState(web.app, conversationId, 'directline')).to.deep.equal(stored);
        });
    });
});

describe('with MicrosoftAppId, a channel that says "directline" (Azure Direct Line)', function () {
    this.timeout(30_000);
    const SERVICE_URL = 'https://directline.botframework.com/';
    let bot: BotServer;
    let app: TestApp;
    let url = '';
    before(async () => {
        bot = await startBotServer();
        ({ app, url } = bot);
    });
    after(() => bot.close());

    /** A typing activity (no reply, so no outbound token is asked of Microsoft) with a genuine channel token. */
    async function post(conversationId: string) {
        const res = await fetch(`${url}/api/messages`, {
            method: 'POST', headers: {
                'content-type': 'application/json',
                authorization: bot.genuine(SERVICE_URL),
            }, body: JSON.stringify({
                type: 'typing', id: 'a1', channelId: 'directline', serviceUrl: SERVICE_URL,
                from: { id: 'dl_resident' }, recipient: { id: APP_ID }, conversation: { id: conversationId },
            }),
        });
        await res.arrayBuffer();
        return res.status;
    }

    it('is answered in its own conversations, and refused (403) in a built-in website chat\'s', async () => {
        await app.stores.directLine.createConversation({
            id: 'builtInChat0123', userId: 'dl_someone', createdAt: new Date().toISOString(),
        });
        expect(await post('AzureConv0123-uk')).to.equal(200);
        expect(await post('builtInChat0123')).to.equal(403);
    });
});
