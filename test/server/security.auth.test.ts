import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { botAdapter } from '../../src/server/botAdapter';
import { createServer } from '../../src/server/createServer';
import { testApp, type TestApp } from '../helpers/app';
import { APP_ID, CHANNEL_ISSUER, channelToken, rsa, startBotServer, type BotServer } from '../helpers/botTokens';

const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';

describe('with MicrosoftAppId set, /api/messages checks the Bot Framework token', function () {
    this.timeout(30_000);
    const attacker = rsa();
    const now = () => Math.floor(Date.now() / 1000);
    let bot: BotServer;
    let trusted: BotServer['trusted'];
    let url = '';
    /** A JWT signed with RS256 by `key`, as Azure Bot Service signs the tokens it sends to a bot. */
    const jwt = (key: BotServer['trusted']['privateKey'], kid: string, claims: Record<string, unknown>) =>
        channelToken(key, kid, APP_ID, SERVICE_URL, claims);

    before(async () => {
        bot = await startBotServer({ env: { SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '2' } });
        ({ trusted, url } = bot);
    });
    after(() => bot.close());

    /** Posts an activity that needs no reply (typing), so no outbound token is ever asked of Microsoft. */
    async function post(authorization: string | undefined, conversationId = 'auth-test') {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (authorization !== undefined) headers.authorization = authorization;
        const res = await fetch(`${url}/api/messages`, {
            method: 'POST', headers, body: JSON.stringify({
                type: 'typing', id: 'a1', channelId: 'msteams', serviceUrl: SERVICE_URL,
                from: { id: 'resident' }, recipient: { id: APP_ID }, conversation: { id: conversationId },
            }),
        });
        await res.arrayBuffer();
        return res.status;
    }

    it('accepts a token signed by a key the Bot Framework publishes (so the refusals below are real)', async () => {
        expect(await post(`Bearer ${jwt(trusted.privateKey, 'trusted-key', {})}`, 'genuine')).to.equal(200);
    });

    it('refuses a request without a token with 401', async () => {
        expect(await post(undefined)).to.equal(401);
        expect(await post('')).to.equal(401);
        expect(await post('Bearer')).to.equal(401);
    });

    it('refuses a token signed by a key it does not trust with 401', async () => {
        expect(await post(`Bearer ${jwt(attacker.privateKey, 'attacker-key', {})}`)).to.equal(401);
    });

    it('refuses a forged signature under a trusted key id with 401 (botbuilder 4.23 alone answers 500)', async () => {
        expect(await post(`Bearer ${jwt(attacker.privateKey, 'trusted-key', {})}`)).to.equal(401);
    });

    it('refuses an expired token with 401', async () => {
        // An hour ago: well past botbuilder's five minutes' allowance for clock skew.
        const hourAgo = now() - 3600;
        const expired = jwt(trusted.privateKey, 'trusted-key', { iat: hourAgo - 60, nbf: hourAgo - 60, exp: hourAgo });
        expect(await post(`Bearer ${expired}`)).to.equal(401);
    });

    it('refuses a genuine token for another bot, or for another channel service, with 401', async () => {
        expect(await post(`Bearer ${jwt(trusted.privateKey, 'trusted-key', { aud: 'another-bot' })}`)).to.equal(401);
        const elsewhere = jwt(trusted.privateKey, 'trusted-key', { serviceurl: 'https://attacker.example/' });
        expect(await post(`Bearer ${elsewhere}`)).to.equal(401);
    });

    it('refuses an unsigned token ("alg": "none") with 401 (botbuilder 4.23 alone answers 500)', async () => {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const unsigned = `${part({ alg: 'none', typ: 'JWT', kid: 'trusted-key' })}.${part({
            iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: SERVICE_URL, exp: now() + 3600,
        })}.`;
        expect(await post(`Bearer ${unsigned}`)).to.equal(401);
    });

    it('does not let refused requests use up a conversation\'s allowance', async () => {
        for (let i = 0; i < 5; i++) {
            expect(await post(`Bearer ${jwt(attacker.privateKey, 'trusted-key', {})}`, 'targeted')).to.equal(401);
        }
        const genuine = `Bearer ${jwt(trusted.privateKey, 'trusted-key', {})}`;
        expect([await post(genuine, 'targeted'), await post(genuine, 'targeted'), await post(genuine, 'targeted')])
            .to.deep.equal([200, 200, 429]);
    });
});

describe('with no MicrosoftAppId (local use only)', () => {
    let app: TestApp;
    let server: restify.Server;
    let url = '';
    before(async () => {
        app = testApp();
        const adapter = botAdapter(app.config.auth, { log: app.log });
        adapter.onTurnError = app.onTurnError;
        server = createServer({ adapter, bot: app.bot, log: app.log, storeKind: app.stores.kind });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await app.dispose();
    });

    it('accepts the same request without a token: the 401s above come from the token check', async () => {
        // A serviceUrl on this computer, as the Emulator's: without an app id no other is taken (test/server/relay).
        const res = await fetch(`${url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
                type: 'typing', id: 'a1', channelId: 'msteams', serviceUrl: 'http://localhost:9',
                from: { id: 'resident' }, recipient: { id: 'bot' }, conversation: { id: 'auth-test' },
            }),
        });
        expect(res.status).to.equal(200);
    });
});
