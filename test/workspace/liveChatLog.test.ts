/**
 * A request's live chat in the workspace: kept apart from the audit trail, capped (the oldest go, and the page is
 * told how many), and paged, so the page's refresh every few seconds asks only for what it has not got.
 */
import { expect } from 'chai';
import { STORE_LIMITS } from '../../src/storage/limits';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from './helpers';

describe('the live chat of a request, in the workspace API over real HTTP', () => {
    let web: WebServer;
    let channel: FakeChannel;
    let api: ApiClient;
    let reference: string;

    beforeEach(async () => {
        web = await startWebServer();
        channel = new FakeChannel(web.url);
        await channel.start();
        const sam = await addUser(web.app, 'Sam');
        reference = await askForAPerson(channel, 'log-conv');
        api = new ApiClient(web.url);
        await api.signIn(sam.email);
        expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
        expect((await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hello, I am Sam.' })).status)
            .to.equal(201);
    });
    afterEach(async () => {
        await channel.stop();
        await web.stop();
    });

    it('gives only the messages after the last one the page has, numbered', async () => {
        expect((await channel.say('log-conv', 'Hello Sam')).status).to.equal(200);
        const detail = await api.call('GET', `/escalations/${reference}`);
        expect(detail.body.messages.map((m: { n: number; from: string; text: string }) => [m.n, m.from, m.text]))
            .to.deep.equal([[1, 'connector', 'Hello, I am Sam.'], [2, 'resident', 'Hello Sam']]);
        expect(detail.body.chat).to.deep.equal({ total: 2, dropped: 0, keeps: STORE_LIMITS.liveChatLines });
        // The live chat is not repeated in the audit trail: that keeps the lifecycle.
        expect(detail.body.audit.map((a: { action: string }) => a.action))
            .to.not.include('message-sent').and.not.include('resident-message');

        const none = await api.call('GET', `/escalations/${reference}/messages?after=2`);
        expect(none.status).to.equal(200);
        expect(none.body.messages).to.deep.equal([]);
        expect(none.body.chat).to.include({ total: 2, dropped: 0 });
        expect(none.body.live).to.deep.include({ status: 'claimed', relay: { id: none.body.live.relay.id, name: 'Sam' } });
        expect((await channel.say('log-conv', 'Are you still there?')).status).to.equal(200);
        const next = await api.call('GET', `/escalations/${reference}/messages?after=2`);
        expect(next.body.messages.map((m: { n: number; text: string }) => [m.n, m.text]))
            .to.deep.equal([[3, 'Are you still there?']]);
        for (const bad of ['-1', 'abc', '1.5', '99999999999999']) {
            const res = await api.call('GET', `/escalations/${reference}/messages?after=${bad}`);
            expect(res.status, bad).to.equal(400);
            expect(res.body.error.message).to.match(/after/);
        }
        expect((await api.call('GET', '/escalations/SP-ZZZZZZ/messages')).status).to.equal(404);
        const doc = (await api.call('GET', '/openapi.json')).body;
        expect(doc.paths['/escalations/{reference}/messages'].get.parameters.map((p: { name: string }) => p.name))
            .to.deep.equal(['reference', 'after']);
    });

    it('keeps the newest messages only, and says how many earlier ones went; a refresh stays small', async () => {
        const cap = STORE_LIMITS.liveChatLines;
        const long = 'I have been thinking about what you said. '.repeat(95); // about 4,000 characters
        for (let i = 0; i < cap + 9; i++) {
            await web.app.stores.escalations.appendChat(reference,
                { at: new Date().toISOString(), actor: 'resident', action: 'resident-message', detail: `${i} ${long}` });
        }
        const detail = await api.call('GET', `/escalations/${reference}`);
        expect(detail.body.chat).to.deep.equal({ total: cap + 10, dropped: 10, keeps: cap });
        expect(detail.body.messages).to.have.length(cap);
        expect(detail.body.messages[0].n).to.equal(11);
        const poll = await fetch(`${web.url}/workspace/api/escalations/${reference}/messages?after=${cap + 10}`,
            { headers: { cookie: api.cookie } });
        const bytes = (await poll.text()).length;
        expect(bytes, 'bytes of a refresh with nothing new').to.be.below(1024);
    });
});
