import { expect } from 'chai';
import { FakeChannel } from '../helpers/fakeChannel';
import { testApp } from '../helpers/app';
import { WebChatResident } from '../helpers/webChatResident';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from '../workspace/helpers';

/** A resident on the website chat who asks for a person; the reference of their request. */
async function websiteRequest(resident: WebChatResident): Promise<string> {
    await resident.open();
    for (const say of ['talk to a person', 'email', 'me@example.org', 'skip', 'any time', 'yes']) {
        await resident.say(say);
    }
    const done = (await resident.say('no')).join('\n');
    const reference = /Your reference is (SP-[A-Z2-9]{6})/.exec(done)?.[1];
    expect(reference, done).to.be.a('string');
    return reference!;
}

interface ChatMessage {
    from: string;
    name?: string;
    text: string;
    delivered?: boolean;
}

describe('a connector\'s live message is delivered, or the connector is told (real HTTP, real store)', () => {
    let web: WebServer;
    let skewMs = 0;
    let api: ApiClient;

    beforeEach(async () => {
        skewMs = 0;
        // The app's clock (the relay, presence) can be moved on; Direct Line's tokens keep real time.
        const app = testApp({ now: () => new Date(Date.now() + skewMs) });
        web = await startWebServer({ app, limits: { requestsPerWindow: 1000 } });
        const sam = await addUser(web.app, 'Sam');
        api = new ApiClient(web.url);
        await api.signIn(sam.email);
    });
    afterEach(async () => web.stop());

    const messages = async (reference: string) =>
        (await api.call('GET', `/escalations/${reference}`)).body.messages as ChatMessage[];

    it('shows the resident as there while their page polls, and marks a message that reached it delivered',
        async () => {
            const resident = new WebChatResident(web.url);
            const reference = await websiteRequest(resident);
            expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            await resident.read();

            const detail = await api.call('GET', `/escalations/${reference}`);
            expect(detail.body.escalation.presence).to.include({ channel: 'directline', here: true });
            const seen = Date.parse(detail.body.escalation.presence.lastSeenAt);
            expect(Date.now() - seen).to.be.within(0, 20_000);

            const sent = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hi, it is Sam.' });
            expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
            expect(await resident.read()).to.include('Sam: Hi, it is Sam.');
            expect((await messages(reference)).map((m) => [m.from, m.name, m.text, m.delivered])).to.deep.equal([
                ['connector', 'Sam', 'Hi, it is Sam.', true],
            ]);
        });

    it('does not say "Sent" when the resident\'s page has gone: an error, and the message kept, not delivered',
        async () => {
            const resident = new WebChatResident(web.url);
            const reference = await websiteRequest(resident);
            await api.call('POST', `/escalations/${reference}/claim`);
            await resident.read();

            // Two minutes on, with no poll: the resident reloaded into a new chat, or closed the page.
            skewMs = 120_000;
            const detail = await api.call('GET', `/escalations/${reference}`);
            expect(detail.body.escalation.presence.here).to.equal(false);
            const sent = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Are you still there?' });
            expect(sent.status).to.equal(409);
            expect(sent.body.error.code).to.equal('NotDelivered');
            expect(sent.body.error.message).to.match(/^Not delivered: the resident has left the chat\./);
            expect(await resident.read(), 'nothing went into the old chat').to.deep.equal([]);
            const after = await api.call('GET', `/escalations/${reference}`);
            expect(after.body.escalation.relay ?? null, 'nobody has the chat: the bot answers anyone there')
                .to.equal(null);
            expect(after.body.messages.map((m: ChatMessage) => [m.text, m.delivered])).to.deep.equal([
                ['Are you still there?', false],
            ]);

            // They come back (a poll): the next message is delivered, and both are in the chat, each marked.
            await resident.read();
            expect((await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello again.' })).status)
                .to.equal(201);
            expect(await resident.read()).to.include('Sam: Hello again.');
            expect((await messages(reference)).map((m) => [m.text, m.delivered])).to.deep.equal([
                ['Are you still there?', false], ['Hello again.', true],
            ]);
        });

    it('says not delivered when the resident\'s Direct Line conversation is gone', async () => {
        const resident = new WebChatResident(web.url);
        const reference = await websiteRequest(resident);
        await api.call('POST', `/escalations/${reference}/claim`);
        const stored = await web.app.stores.escalations.getByReference(reference);
        // The conversation the request points at no longer exists (swept, or never kept on this store).
        await web.app.stores.escalations.setConversationReference(reference, {
            ...stored!.conversationReference, conversation: { id: 'gone-conversation-0001' },
        });
        const sent = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello?' });
        expect(sent.status).to.equal(409);
        expect(sent.body.error.message).to.match(/^Not delivered: the resident has left the chat\./);
        expect((await messages(reference)).map((m) => m.delivered)).to.deep.equal([false]);
    });
});

describe('a connector\'s live message over the Bot Framework protocol when the chat has ended', () => {
    let web: WebServer;
    let channel: FakeChannel;

    beforeEach(async () => {
        web = await startWebServer();
        channel = new FakeChannel(web.url);
        await channel.start();
    });
    afterEach(async () => {
        await channel.stop();
        await web.stop();
    });

    it('is an error on the connector\'s screen, kept in the chat not delivered, and nobody holds the chat',
        async () => {
            const reference = await askForAPerson(channel, 'ended-chat');
            const sam = await addUser(web.app, 'Sam');
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            await api.call('POST', `/escalations/${reference}/claim`);
            const seen = (await api.call('GET', `/escalations/${reference}`)).body.escalation.presence;
            expect(seen.channel).to.equal('emulator');
            expect(seen.lastSeenAt).to.be.a('string');

            // The terminal chat (or another channel) ended: nothing answers at its service address.
            await channel.stop();
            const sent = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello, Sam here.' });
            expect(sent.status, JSON.stringify(sent.body)).to.equal(409);
            expect(sent.body.error.code).to.equal('NotDelivered');
            expect(sent.body.error.message).to.match(/^Not delivered:/);
            const detail = await api.call('GET', `/escalations/${reference}`);
            expect(detail.body.escalation.relay ?? null).to.equal(null);
            expect(detail.body.messages.map((m: ChatMessage) => [m.text, m.delivered])).to.deep.equal([
                ['Hello, Sam here.', false],
            ]);
        });
});
