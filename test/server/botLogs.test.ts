import { expect } from 'chai';
import { createLogger } from '../../src/log';
import { APP_ID, channelToken, rsa, startBotServer, type BotServer } from '../helpers/botTokens';

const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
/** What a refused request carries that must never reach a log: an SMS conversation id (a phone number), words. */
const PHONE = '+447700900123';
const WORDS = 'I feel so alone since my husband died';

/**
 * Refused requests to /api/messages are an outsider's to make as often as they like: each must cost one log line
 * through the logger (LOG_LEVEL applies), never botbuilder's console.error with its stack, and never what the
 * request said.
 */
describe('when /api/messages refuses a request', function () {
    this.timeout(30_000);
    const attacker = rsa();
    const lines: string[] = [];
    let bot: BotServer;
    let trusted: BotServer['trusted'];
    let url = '';

    before(async () => {
        bot = await startBotServer({ log: createLogger('debug', (line) => lines.push(line)) });
        ({ trusted, url } = bot);
    });
    after(() => bot.close());

    /** Posts a message from an SMS number; returns the status and what reached stderr meanwhile. */
    async function post(authorization: string | undefined) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (authorization !== undefined) headers.authorization = authorization;
        const written: string[] = [];
        const write = process.stderr.write;
        process.stderr.write = ((chunk: string | Uint8Array) => {
            written.push(String(chunk));
            return true;
        }) as typeof process.stderr.write;
        try {
            const res = await fetch(`${url}/api/messages`, {
                method: 'POST', headers, body: JSON.stringify({
                    type: 'message', id: 'a1', channelId: 'sms', serviceUrl: SERVICE_URL, text: WORDS,
                    from: { id: PHONE }, recipient: { id: APP_ID }, conversation: { id: PHONE },
                }),
            });
            const body = await res.text();
            return { status: res.status, body, stderr: written.join('') };
        } finally {
            process.stderr.write = write;
        }
    }

    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    /** A missing token, and each way a token can be wrong. */
    const refusals: [string, () => string | undefined][] = [
        ['no token', () => undefined],
        ['a token signed by a key it does not trust', () => `Bearer ${channelToken(attacker.privateKey,
            'attacker-key', APP_ID, SERVICE_URL)}`],
        ['a forged signature under a trusted key id', () => `Bearer ${channelToken(attacker.privateKey,
            'trusted-key', APP_ID, SERVICE_URL)}`],
        ['an expired token', () => `Bearer ${channelToken(trusted.privateKey, 'trusted-key', APP_ID, SERVICE_URL,
            { iat: hourAgo - 60, nbf: hourAgo - 60, exp: hourAgo })}`],
    ];
    it('writes nothing to stderr and one log line, without the message or the number, for each', async () => {
        for (const [what, authorization] of refusals) {
            lines.length = 0;
            const r = await post(authorization());
            expect(r.status, what).to.equal(401);
            expect(r.stderr, `nothing on stderr for ${what}`).to.equal('');
            const refused = lines.filter((l) => !/"event":"http\.request"/.test(l));
            expect(refused, `exactly one log line for ${what}`).to.have.length(1);
            const line = JSON.parse(refused[0]) as Record<string, unknown>;
            expect(line, what).to.include({ level: 'warn', event: 'http.bot_refused', status: 401, reason: 'token' });
            for (const text of [lines.join('\n'), r.body]) {
                expect(text, what).to.not.include('7700900123');
                expect(text, what).to.not.include('alone');
            }
        }
    });
});
