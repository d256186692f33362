import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { botAdapter } from '../../src/server/botAdapter';
import { createServer } from '../../src/server/createServer';
import { FakeChannel } from '../helpers/fakeChannel';
import { testApp, type TestApp } from '../helpers/app';
import { requestJourney } from '../channels/journeys';

describe('the server over real HTTP, as the Bot Framework Emulator talks to it', () => {
    let app: TestApp;
    let server: restify.Server;
    let botUrl: string;
    let channel: FakeChannel;

    before(async () => {
        app = testApp();
        const adapter = botAdapter(app.config.auth, { log: app.log, websiteChats: app.stores.directLine });
        adapter.onTurnError = app.onTurnError;
        server = createServer({ adapter, bot: app.bot, log: app.log, storeKind: app.stores.kind });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        channel = new FakeChannel(botUrl);
        await channel.start();
    });
    after(async () => {
        server.close();
        await channel.stop();
        await app.dispose();
    });

    it('answers the health check', async () => {
        const res = await fetch(`${botUrl}/healthz`);
        expect(res.status).to.equal(200);
        expect(await res.json()).to.deep.equal({ status: 'ok', store: 'embedded' });
    });

    it('carries a whole journey, replying to the channel\'s serviceUrl', async () => {
        const w = app.knowledge.wording;
        const conv = 'e2e-journey';
        const joined = await channel.send(conv, {
            type: 'conversationUpdate',
            membersAdded: [{ id: 'resident-http' }, { id: 'signpost-bot' }],
        });
        expect(joined.status).to.equal(200);
        expect(joined.texts.join('\n')).to.match(/computer program/);

        for (const [say, want] of requestJourney(w)) {
            const { status, texts } = await channel.say(conv, say);
            expect(status, say).to.equal(200);
            const all = texts.join('\n');
            if (typeof want === 'string') expect(all, `after "${say}"`).to.include(want);
            else expect(all, `after "${say}"`).to.match(want);
        }
        const requests = await app.stores.escalations.list();
        expect(requests).to.have.length(1);
        expect(requests[0].conversationId).to.equal(conv);
        expect(requests[0].channelId).to.equal('emulator');
    });

    it('rejects a body that is not JSON with 400', async () => {
        const res = await fetch(`${botUrl}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json',
        });
        expect(res.status).to.equal(400);
    });

    it('rejects a body over the size limit with 413', async () => {
        const res = await fetch(`${botUrl}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }),
        });
        expect(res.status).to.equal(413);
    });
});
