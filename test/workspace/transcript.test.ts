import { expect } from 'chai';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from './helpers';

describe('the chat before a request, as a connector sees it', () => {
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

    it('is stored and returned by the request detail when the resident says yes', async () => {
        const reference = await askForAPerson(channel, 'share-yes', true);
        const stored = await web.app.stores.escalations.getByReference(reference);
        expect(stored!.consent.transcriptShared).to.equal(true);
        expect(stored!.transcript!.map((t) => t.text)).to.include('talk to a person');
        expect(stored!.transcript!.some((t) => t.from === 'bot')).to.equal(true);
        const sam = await addUser(web.app, 'Sam');
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        const res = await api.call('GET', `/escalations/${reference}`);
        expect(res.status).to.equal(200);
        expect(res.body.escalation.transcript).to.deep.equal(stored!.transcript);
    });

    it('is not stored when the resident says no, and nothing else changes', async () => {
        const reference = await askForAPerson(channel, 'share-no', false);
        const stored = await web.app.stores.escalations.getByReference(reference);
        expect(stored!.consent).to.include({ given: true, transcriptShared: false });
        expect(stored!.transcript).to.equal(undefined);
        expect(stored!.contact.value).to.equal('07700900456');
    });
});
