import { expect } from 'chai';
import http from 'node:http';
import { APP_ID, channelToken, rsa, startBotServer, type BotServer } from '../helpers/botTokens';

const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
const attacker = rsa();
/** A token the attacker signed under the key id the Bot Framework publishes: refused (401). */
const forged = () => `Bearer ${channelToken(attacker.privateKey, 'trusted-key', APP_ID, SERVICE_URL)}`;

/** An activity that needs no reply (typing), so no outbound token is ever asked of Microsoft. */
function activity(conversationId: string): string {
    return JSON.stringify({
        type: 'typing', id: 'a1', channelId: 'msteams', serviceUrl: SERVICE_URL,
        from: { id: 'resident' }, recipient: { id: APP_ID }, conversation: { id: conversationId },
    });
}

async function post(bot: BotServer, authorization: string, conversationId: string, from = '203.0.113.1') {
    const res = await fetch(`${bot.url}/api/messages`, {
        method: 'POST', body: activity(conversationId),
        headers: { 'content-type': 'application/json', authorization, 'x-forwarded-for': from },
    });
    await res.arrayBuffer();
    return res.status;
}

/** A promise and the function that settles it. */
function gate() {
    let open = () => undefined as void;
    const opened = new Promise<void>((resolve) => { open = resolve; });
    return { opened, open };
}

/**
 * Requests to /api/messages are counted per conversation on arrival and given back unless they authenticate, so
 * a stranger inventing conversation ids (from as many addresses as they like) cannot use up, or crowd out, a
 * resident's allowance (issue 13, review finding 1c).
 */
describe('forged requests and the per-conversation allowance of /api/messages', function () {
    this.timeout(30_000);
    // Two messages a conversation a minute; room for 20 keys a minute (100,000 in production); one proxy in front.
    const env = { SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '2', SIGNPOST_TRUST_PROXY: 'true' };
    const protection = { limiterKeys: 20 };
    let bot: BotServer | undefined;
    afterEach(async () => {
        await bot?.close();
        bot = undefined;
    });

    it('leaves other conversations their whole allowance after many forged conversation ids', async () => {
        bot = await startBotServer({ env, protection });
        const started = bot;
        // 60 made-up conversations, three times the limiter's room, from four addresses: every one refused.
        const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) =>
            post(started, forged(), `forged-${i}`, `198.51.100.${i % 4}`)));
        expect(new Set(statuses)).to.deep.equal(new Set([401]));
        const genuine = bot.genuine(SERVICE_URL);
        const first = [await post(bot, genuine, 'resident-a'), await post(bot, genuine, 'resident-a'),
            await post(bot, genuine, 'resident-a')];
        expect(first, 'the first resident: two, then 429').to.deep.equal([200, 200, 429]);
        expect(await post(bot, genuine, 'resident-b'), 'another resident, whom the first does not crowd out')
            .to.equal(200);
    });

    it('gives back the count of a forged request whose client closed the connection before the answer', async () => {
        const asked = gate();
        const hold = gate();
        bot = await startBotServer({ env, protection, keys: { asked: asked.open, hold: hold.opened } });
        // The token check waits for the key server; the client hangs up meanwhile.
        const req = http.request(`${bot.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: forged() },
        });
        const closed = new Promise<void>((resolve) => req.on('close', () => resolve()));
        req.on('error', () => undefined);
        req.end(activity('hung-up'));
        await asked.opened;
        req.destroy();
        await closed;
        hold.open();
        // The refused check has finished (the next request checks its token against the same keys).
        expect(await post(bot, forged(), 'someone-else')).to.equal(401);
        const genuine = bot.genuine(SERVICE_URL);
        expect([await post(bot, genuine, 'hung-up'), await post(bot, genuine, 'hung-up'),
            await post(bot, genuine, 'hung-up')]).to.deep.equal([200, 200, 429]);
    });

    it('still lets a resident in while forged requests in flight hold every key the limiter has room for', async () => {
        const asked = gate();
        const hold = gate();
        bot = await startBotServer({ env, protection, keys: { asked: asked.open, hold: hold.opened } });
        const started = bot;
        const strangers = Array.from({ length: 30 }, (_, i) =>
            post(started, forged(), `in-flight-${i}`, `198.51.100.${i % 4}`));
        await asked.opened;
        // Time for all 30 to arrive and be counted (they then wait on the key server).
        await new Promise((resolve) => setTimeout(resolve, 300));
        const resident = post(bot, bot.genuine(SERVICE_URL), 'resident-c', '192.0.2.7');
        await new Promise((resolve) => setTimeout(resolve, 100));
        hold.open();
        expect(await resident).to.equal(200);
        expect(new Set(await Promise.all(strangers))).to.deep.equal(new Set([401]));
    });
});
