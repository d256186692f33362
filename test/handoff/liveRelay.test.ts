import { expect } from 'chai';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { WebChatResident } from '../helpers/webChatResident';
import { ApiClient, addUser, askForAPerson } from '../workspace/helpers';

describe('a live chat between a connector and a resident, over real HTTP', () => {
    let web: WebServer;
    let channel: FakeChannel;
    let sam: { id: string; email: string; name: string };

    beforeEach(async () => {
        web = await startWebServer();
        channel = new FakeChannel(web.url);
        await channel.start();
        sam = await addUser(web.app, 'Sam');
    });
    afterEach(async () => {
        await channel.stop();
        await web.stop();
    });

    it('carries the whole loop: claim, reply, silence, crisis routes, end, and the bot resumes', async () => {
        const w = web.app.knowledge.wording;
        const conv = 'live-loop';
        const reference = await askForAPerson(channel, conv);

        // The conversation reference is kept with the request, without the resident's display name.
        const stored = await web.app.stores.escalations.getByReference(reference);
        expect(stored!.conversationReference).to.include({ channelId: 'emulator', serviceUrl: channel.serviceUrl });
        expect(stored!.conversationReference!.user).to.deep.equal({ id: 'resident-http' });

        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        const early = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello' });
        expect(early.status).to.equal(409);
        expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);

        const before = channel.replies.length;
        const sent = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello, I can help today.' });
        expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
        expect(sent.body.escalation.relay).to.deep.equal({ id: sam.id, name: 'Sam' });
        const received = channel.replies.slice(before);
        expect(received.map((r) => r.conversationId)).to.deep.equal([conv, conv]);
        expect(received.map((r) => r.activity.text)).to.deep.equal([
            w.text('relayStarted', { name: 'Sam' }),
            w.text('relayMessage', { name: 'Sam', text: 'Hello, I can help today.' }),
        ]);
        expect(received[0].activity.text).to.equal('You\'re now chatting with Sam, a community connector.');

        // A second message: no second greeting.
        const again = channel.replies.length;
        expect((await api.call('POST', `/escalations/${reference}/messages`, { text: 'Are you there?' })).status)
            .to.equal(201);
        expect(channel.replies.slice(again).map((r) => r.activity.text)).to.deep.equal(['Sam: Are you there?']);

        // The bot stays silent; the message reaches the connector.
        const quiet = await channel.say(conv, 'yes, I am lonely and would like to talk');
        expect(quiet.status).to.equal(200);
        expect(quiet.texts).to.deep.equal([]);

        // A crisis still gets the routes at once, first, with call buttons; no call-back offer (a connector is
        // already there), and the connector is told in the live chat.
        const crisis = await channel.say(conv, 'I want to kill myself');
        expect(crisis.texts[0]).to.include(w.text('crisisIntro')).and.match(/116 123/);
        expect(crisis.texts.join('\n')).to.not.include(w.text('crisisOffer')).and.not.include(w.text('crisisCallBack'));
        const routes = channel.replies.at(-1)!.activity;
        expect(routes.attachments?.[0]?.content.actions.map((a: { url?: string }) => a.url)).to.include('tel:999');

        const detail = await api.call('GET', `/escalations/${reference}`);
        expect(detail.body.messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`)).to.deep.equal([
            'connector: Hello, I can help today.',
            'connector: Are you there?',
            'resident: yes, I am lonely and would like to talk',
            'resident: I want to kill myself',
            'signpost: suicide',
        ]);
        expect(detail.body.audit.map((a: { action: string }) => a.action)).to.include('relay-started')
            .and.include('crisis-routes-shown');

        // The connector ends it; the bot says so and answers again.
        const ending = channel.replies.length;
        const ended = await api.call('POST', `/escalations/${reference}/end-chat`);
        expect(ended.status).to.equal(200);
        expect(ended.body).to.include({ ended: true, told: true });
        expect(ended.body.escalation.relay).to.equal(undefined);
        expect(channel.replies.slice(ending).map((r) => r.activity.text))
            .to.deep.equal(['Sam has left the chat. I\'m here if you need me.']);
        const resumed = await channel.say(conv, 'help');
        expect(resumed.texts.length).to.be.greaterThan(0);
        expect((await api.call('POST', `/escalations/${reference}/end-chat`)).status).to.equal(409);
    });

    it('lets only the holder or a lead write, validates the text, needs the CSRF token', async () => {
        const reference = await askForAPerson(channel, 'live-rules');
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        await api.call('POST', `/escalations/${reference}/claim`);
        const alex = await addUser(web.app, 'Alex');
        const other = new ApiClient(web.url);
        await other.signIn(alex.email);
        const notYours = await other.call('POST', `/escalations/${reference}/messages`, { text: 'Hi' });
        expect(notYours.status).to.equal(403);
        expect(notYours.body.error.code).to.equal('NotYours');
        for (const body of [{}, { text: '' }, { text: 'x'.repeat(2001) }, { text: 'hi', extra: 1 }]) {
            expect((await api.call('POST', `/escalations/${reference}/messages`, body)).status).to.equal(400);
        }
        const noCsrf = await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hi' },
            { 'x-csrf-token': 'wrong' });
        expect(noCsrf.status).to.equal(403);
        expect(channel.replies.filter((r) => /Sam|Alex/.test(r.activity.text ?? ''))).to.deep.equal([]);
    });

    it('ends the live chat when the request is closed, so the bot resumes', async () => {
        const conv = 'live-close';
        const reference = await askForAPerson(channel, conv);
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        await api.call('POST', `/escalations/${reference}/claim`);
        await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello' });
        const before = channel.replies.length;
        const closed = await api.call('POST', `/escalations/${reference}/close`, { outcome: 'advice-given' });
        expect(closed.status).to.equal(200);
        expect(closed.body.escalation.relay).to.equal(undefined);
        expect(channel.replies.slice(before).map((r) => r.activity.text))
            .to.deep.equal(['Sam has left the chat. I\'m here if you need me.']);
        expect((await channel.say(conv, 'help')).texts.length).to.be.greaterThan(0);
    });
});

describe('a live chat with a resident on the website chat (self-hosted Direct Line)', () => {
    let web: WebServer;

    before(async () => (web = await startWebServer({ limits: { requestsPerWindow: 1000 } })));
    after(async () => web.stop());

    it('reaches the resident\'s page, keeps the bot silent, and resumes when the connector ends it', async () => {
        const resident = new WebChatResident(web.url);
        await resident.open();
        for (const say of ['talk to a person', 'email', 'me@example.org', 'skip', 'any time', 'yes']) {
            await resident.say(say);
        }
        const done = (await resident.say('no')).join('\n');
        const reference = /Your reference is (SP-[A-Z2-9]{6})/.exec(done)?.[1];
        expect(reference, done).to.be.a('string');

        const sam = await addUser(web.app, 'Sam');
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        await api.call('POST', `/escalations/${reference}/claim`);
        expect((await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hi, it is Sam.' })).status)
            .to.equal(201);
        expect(await resident.read()).to.deep.equal([
            'You\'re now chatting with Sam, a community connector.', 'Sam: Hi, it is Sam.',
        ]);
        expect(await resident.say('thank you')).to.deep.equal([]);
        expect((await api.call('POST', `/escalations/${reference}/end-chat`)).status).to.equal(200);
        expect(await resident.read()).to.deep.equal(['Sam has left the chat. I\'m here if you need me.']);
        expect((await resident.say('help')).length).to.be.greaterThan(0);
    });
});
