import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import { ConfigError, loadConfig } from '../../src/config';
import { RateLimiter, clientAddress, directLineLimits, normaliseAddress } from '../../src/server/limits';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

/** A server whose app reads these settings, as `npm start` would from its environment. */
function serverWith(env: NodeJS.ProcessEnv): Promise<WebServer> {
    return startWebServer({ app: testApp({ env }), limits: directLineLimits(loadConfig(env).http.limits) });
}

/** The limits count per minute: a test that needs one window waits when the next minute is about to start. */
async function awayFromMinuteEdge(): Promise<void> {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5000) await new Promise((r) => setTimeout(r, left + 100));
}

/** The chat page, the embed script, and the hashed files the page loads (its script, styles, the Web Chat bundle). */
async function chatPaths(web: WebServer): Promise<string[]> {
    const page = await (await fetch(`${web.url}/`)).text();
    const files = [...page.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(files).to.have.length(3);
    return ['/', '/embed.js', ...files];
}

describe('security headers on every page and API answer', () => {
    describe('with the default settings', () => {
        let web: WebServer;
        before(async () => (web = await serverWith({})));
        after(async () => web.stop());

        it('lets only this server frame the chat page, and loads scripts only from it', async () => {
            for (const path of await chatPaths(web)) {
                const res = await fetch(`${web.url}${path}`);
                await res.arrayBuffer();
                expect(res.status, path).to.equal(200);
                const csp = res.headers.get('content-security-policy') ?? '';
                expect(csp, path).to.match(/frame-ancestors 'self'$/);
                expect(csp, path).to.include("script-src 'self'").and.include("object-src 'none'");
                expect(csp, path).to.match(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
                expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
                expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
                // Embeddable pages do not say DENY in the old header; the CSP says who may frame them.
                expect(res.headers.get('x-frame-options'), path).to.equal(null);
                expect(res.headers.get('strict-transport-security'), path).to.equal(null);
            }
        });

        it('never lets the workspace be framed', async () => {
            for (const path of ['/workspace', '/workspace/', '/workspace/workspace.js', '/workspace/workspace.css']) {
                const res = await fetch(`${web.url}${path}`);
                await res.arrayBuffer();
                expect(res.status, path).to.equal(200);
                expect(res.headers.get('content-security-policy'), path).to.include("frame-ancestors 'none'");
                expect(res.headers.get('x-frame-options'), path).to.equal('DENY');
                expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
            }
        });

        it('sends API answers and errors with a policy that allows nothing and no framing', async () => {
            const requests: [string, string, string?][] = [
                ['GET', '/healthz'],
                ['GET', '/workspace/api/openapi.json'],
                ['GET', '/workspace/api/escalations'],
                ['POST', '/api/directline/token', '{}'],
                ['POST', '/v3/directline/conversations', '{}'],
                ['POST', '/api/messages', '{"type": 5}'],
                ['GET', '/no-such-page'],
            ];
            for (const [method, path, body] of requests) {
                const res = await fetch(`${web.url}${path}`, {
                    method, body, headers: body ? { 'content-type': 'application/json' } : {},
                });
                await res.arrayBuffer();
                expect(res.status, path).to.be.below(500);
                expect(res.headers.get('content-security-policy'), path)
                    .to.equal("default-src 'none'; frame-ancestors 'none'");
                expect(res.headers.get('x-frame-options'), path).to.equal('DENY');
                expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
                expect(res.headers.get('referrer-policy'), path).to.equal('no-referrer');
            }
        });
    });

    describe('with an allow-list of embedding sites and an https public address', () => {
        let web: WebServer;
        before(async () => (web = await serverWith({
            SIGNPOST_EMBED_ORIGINS: 'https://www.example.gov.uk, https://charity.example.org',
            SIGNPOST_PUBLIC_URL: 'https://chat.example.org',
        })));
        after(async () => web.stop());

        it('lets exactly those sites frame the chat, and connects to the public address\'s WebSocket', async () => {
            const csp = (await fetch(`${web.url}/`)).headers.get('content-security-policy') ?? '';
            expect(csp).to.include("frame-ancestors 'self' https://www.example.gov.uk https://charity.example.org");
            expect(csp).to.include("connect-src 'self' wss://chat.example.org;");
        });

        it('tells browsers to use https only, on pages and API answers alike', async () => {
            for (const path of ['/', '/workspace', '/healthz']) {
                const res = await fetch(`${web.url}${path}`);
                await res.arrayBuffer();
                expect(res.headers.get('strict-transport-security'), path)
                    .to.equal('max-age=31536000; includeSubDomains');
            }
        });

        it('still never lets the workspace be framed, even by those sites', async () => {
            const res = await fetch(`${web.url}/workspace`);
            await res.arrayBuffer();
            expect(res.headers.get('content-security-policy')).to.include("frame-ancestors 'none'")
                .and.not.include('example.gov.uk');
            expect(res.headers.get('x-frame-options')).to.equal('DENY');
        });
    });

    describe('the proxy setting', () => {
        it('takes false, true (one proxy) or a number of proxies, and nothing else', () => {
            expect(['', 'false', 'true', '2'].map((v) => loadConfig({ SIGNPOST_TRUST_PROXY: v }).http.trustProxy))
                .to.deep.equal([0, 0, 1, 2]);
            expect(() => loadConfig({ SIGNPOST_TRUST_PROXY: 'yes' })).to.throw(ConfigError, /SIGNPOST_TRUST_PROXY/);
        });
    });

    describe('the embedding allow-list setting', () => {
        it('takes https origins, and http only for localhost', () => {
            const { http } = loadConfig({ SIGNPOST_EMBED_ORIGINS: 'https://a.example.org/, http://localhost:8080' });
            expect(http.embedOrigins).to.deep.equal(['https://a.example.org', 'http://localhost:8080']);
        });

        it('refuses a wildcard, a path, or plain http to another site, naming the setting', () => {
            for (const bad of ['*', 'https://a.example.org/page', 'http://a.example.org', 'example.org']) {
                expect(() => loadConfig({ SIGNPOST_EMBED_ORIGINS: bad }), bad)
                    .to.throw(ConfigError, /SIGNPOST_EMBED_ORIGINS must be https origins/);
            }
        });
    });
});

describe('request limits', () => {
    describe('per client address', () => {
        let web: WebServer;
        before(async () => (web = await serverWith({
            SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: '8',
            SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '3',
            SIGNPOST_LIMIT_SIGNINS_PER_MINUTE: '3',
            SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: '3',
        })));
        after(async () => web.stop());
        beforeEach(awayFromMinuteEdge);

        /** Sends `n` requests; the statuses, and the last answer. */
        async function burst(n: number, method: string, path: string, body?: string) {
            const statuses: number[] = [];
            let last: Response | undefined;
            for (let i = 0; i < n; i++) {
                last = await fetch(`${web.url}${path}`, {
                    method, body, headers: body ? { 'content-type': 'application/json', origin: web.url } : {},
                });
                await last.arrayBuffer();
                statuses.push(last.status);
            }
            return { statuses, last: last! };
        }

        it('answers 429 with Retry-After once a route\'s allowance is used, each route kind on its own', async () => {
            const routes: [string, string, number, string?][] = [
                ['POST', '/api/directline/token', 3, '{}'],
                ['POST', '/workspace/api/session', 3, '{"email": "a@example.org", "password": "not the password"}'],
                ['POST', '/api/messages', 3, '{}'],
                ['GET', '/chat.css', 8],
            ];
            for (const [method, path, allowed, body] of routes) {
                const { statuses, last } = await burst(allowed + 1, method, path, body);
                expect(statuses.slice(0, allowed), path).to.not.include(429);
                expect(statuses[allowed], path).to.equal(429);
                const retryAfter = Number(last.headers.get('retry-after'));
                expect(retryAfter, path).to.be.within(1, 60);
            }
            // The general allowance is spent: every other page, file and API route refuses too, with a JSON body.
            for (const path of ['/', '/v3/directline/conversations/abcdefgh12/activities', '/workspace', '/healthz']) {
                const res = await fetch(`${web.url}${path}`);
                expect(res.status, path).to.equal(429);
                expect(res.headers.get('retry-after'), path).to.match(/^\d+$/);
                expect(res.headers.get('x-content-type-options'), path).to.equal('nosniff');
                expect(await res.json()).to.deep.equal({ error: {
                    code: 'TooManyRequests', message: 'Too many requests. Please wait a moment and try again.',
                } });
            }
        });

        it('ignores X-Forwarded-For unless told to trust a proxy: a client cannot pick its address', async () => {
            const statuses: number[] = [];
            for (let i = 0; i < 9; i++) {
                const res = await fetch(`${web.url}/chat.css`, { headers: { 'x-forwarded-for': `198.51.100.${i}` } });
                await res.arrayBuffer();
                statuses.push(res.status);
            }
            expect(statuses[8]).to.equal(429);
        });
    });

    describe('behind a trusted proxy (SIGNPOST_TRUST_PROXY)', () => {
        let web: WebServer;
        before(async () => (web = await serverWith({
            SIGNPOST_TRUST_PROXY: 'true', SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '2',
        })));
        after(async () => web.stop());
        beforeEach(awayFromMinuteEdge);

        async function token(forwardedFor: string): Promise<number> {
            const res = await fetch(`${web.url}/api/directline/token`, {
                method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
                body: '{}',
            });
            await res.arrayBuffer();
            return res.status;
        }

        it('counts each resident by the address the proxy saw, port and made-up entries ignored', async () => {
            // As Azure App Service writes it: the client's address and port, after anything the client sent.
            expect(await token('203.0.113.5:50001')).to.equal(200);
            expect(await token('made-up, 203.0.113.5:50002')).to.equal(200);
            expect(await token('another-made-up, 203.0.113.5:50003')).to.equal(429);
            expect(await token('203.0.113.6:50004')).to.equal(200);
            expect(await token('2001:db8:1:2::10')).to.equal(200);
            expect(await token('[2001:db8:1:2::11]:443')).to.equal(200);
            // The same /64: one household or server.
            expect(await token('2001:db8:1:2:aaaa::1')).to.equal(429);
        });
    });

    describe('per conversation on /api/messages', () => {
        let web: WebServer;
        let channel: FakeChannel;
        before(async () => {
            web = await serverWith({ SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '3' });
            channel = new FakeChannel(web.url);
            await channel.start();
        });
        after(async () => {
            await channel.stop();
            await web.stop();
        });
        beforeEach(awayFromMinuteEdge);

        it('answers 429 with Retry-After after the allowance, and other conversations carry on', async () => {
            const statuses: number[] = [];
            for (let i = 0; i < 4; i++) statuses.push((await channel.say('busy-conversation', 'hello')).status);
            expect(statuses).to.deep.equal([200, 200, 200, 429]);
            const { status, texts } = await channel.say('quiet-conversation', 'hello');
            expect(status).to.equal(200);
            expect(texts.length).to.be.greaterThan(0);
        });

        it('does not count requests refused before the bot, such as a malformed activity', async () => {
            for (let i = 0; i < 5; i++) {
                const res = await channel.send('refused-conversation', { type: 12 });
                expect(res.status).to.equal(400);
            }
            expect((await channel.say('refused-conversation', 'hello')).status).to.equal(200);
        });
    });

    describe('on sizes', () => {
        let web: WebServer;
        let channel: FakeChannel;
        before(async () => {
            web = await serverWith({
                SIGNPOST_LIMIT_BODY_KB: '16', SIGNPOST_LIMIT_ACTIVITY_KB: '4', SIGNPOST_LIMIT_MESSAGE_CHARS: '1000',
            });
            channel = new FakeChannel(web.url);
            await channel.start();
        });
        after(async () => {
            await channel.stop();
            await web.stop();
        });

        it('refuses a body over SIGNPOST_LIMIT_BODY_KB with 413 on every route', async () => {
            const body = JSON.stringify({ type: 'message', text: 'x'.repeat(20 * 1024) });
            for (const path of ['/api/messages', '/api/directline/token', '/workspace/api/session']) {
                const res = await fetch(`${web.url}${path}`, {
                    method: 'POST', headers: { 'content-type': 'application/json' }, body,
                });
                expect(res.status, path).to.equal(413);
            }
        });

        it('applies SIGNPOST_LIMIT_ACTIVITY_KB and SIGNPOST_LIMIT_MESSAGE_CHARS to the website chat', async () => {
            const { token, conversationId } = await pageToken(web.url);
            const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
            await (await fetch(`${web.url}/v3/directline/conversations`, { method: 'POST', headers, body: '{}' }))
                .arrayBuffer();
            const url = `${web.url}/v3/directline/conversations/${conversationId}/activities`;
            const send = async (activity: object) => {
                const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
                await res.arrayBuffer();
                return res.status;
            };
            expect(await send({ type: 'message', text: 'hi', channelData: { pad: 'x'.repeat(5000) } })).to.equal(413);
            expect(await send({ type: 'message', text: 'x'.repeat(999) })).to.equal(200);
            // Longer text is not refused (the resident would get no answer): only its first part is kept.
            expect(await send({ type: 'message', text: 'y'.repeat(1001) })).to.equal(200);
            const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
            const { activities } = await res.json() as { activities: { text?: string }[] };
            const kept = activities.find((a) => a.text?.startsWith('y'));
            expect(kept?.text).to.equal('y'.repeat(1000));
        });

        it('takes JSON only: a file upload or a form is 415, and nothing is written to disk', async () => {
            const uploads = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('upload_')).length;
            const before = uploads();
            const multipart = ['--b', 'Content-Disposition: form-data; name="file"; filename="a.txt"',
                'Content-Type: text/plain', '', 'x'.repeat(10_000), '--b--', ''].join('\r\n');
            const bodies: [string, string][] = [
                ['multipart/form-data; boundary=b', multipart],
                ['application/x-www-form-urlencoded', 'type=message&text=hello'],
                ['text/plain', '{"type": "message"}'],
            ];
            for (const path of ['/api/messages', '/api/directline/token', '/workspace/api/session']) {
                for (const [type, body] of bodies) {
                    const res = await fetch(`${web.url}${path}`, {
                        method: 'POST', headers: { 'content-type': type }, body,
                    });
                    expect(res.status, `${path} ${type}`).to.equal(415);
                    const { error } = await res.json() as { error: { code: string } };
                    expect(error.code).to.equal('UnsupportedMediaType');
                }
            }
            expect(uploads()).to.equal(before);
            const json = await fetch(`${web.url}/api/directline/token`, {
                method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}',
            });
            expect(json.status).to.equal(200);
        });

        it('reads only the words of a message with attachments, and answers it', async () => {
            const attachments = [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/never-fetched.png' }];
            const withText = await channel.send('attachments', { text: 'help', attachments });
            expect(withText.status).to.equal(200);
            expect(withText.texts.join('\n')).to.match(/You can type/);
            const alone = await channel.send('attachments', { attachments });
            expect(alone.status).to.equal(200);
            expect(alone.texts.length).to.be.greaterThan(0);
        });
    });
});

describe('the limiter', () => {
    it('counts per key per minute, says when to come back, and forgets at the next minute', () => {
        let t = 60_000 * 1000 + 15_000;
        const limiter = new RateLimiter(60_000, () => t);
        expect([1, 2, 3].map(() => limiter.hit('a', 2).allowed)).to.deep.equal([true, true, false]);
        expect(limiter.hit('a', 2)).to.include({ allowed: false, retryAfterSeconds: 45, firstRefusal: false });
        expect(limiter.hit('b', 2).allowed).to.equal(true);
        t += 45_000;
        expect(limiter.hit('a', 2).allowed).to.equal(true);
    });

    it('keeps at most its key limit, so made-up keys cannot fill memory', () => {
        const limiter = new RateLimiter(60_000, () => 0, 100);
        for (let i = 0; i < 10_000; i++) limiter.hit(`key-${i}`, 1_000_000);
        expect(limiter.size).to.be.at.most(101);
    });

    it('forgets a key whose count is given back to nothing, so refused requests leave no key behind', () => {
        const limiter = new RateLimiter(60_000, () => 0, 100);
        const verdicts = [limiter.hit('a', 5), limiter.hit('a', 5), limiter.hit('b', 5)];
        for (const v of verdicts) limiter.giveBack(v);
        expect(limiter.size).to.equal(0);
        expect(limiter.hit('a', 1).allowed).to.equal(true);
    });

    it('when full, shares one count among newcomers, or (per conversation) does not count them at all', () => {
        const shared = new RateLimiter(60_000, () => 0, 2);
        const passing = new RateLimiter(60_000, () => 0, 2, 'pass');
        for (const limiter of [shared, passing]) ['x', 'y'].forEach((k) => limiter.hit(k, 1));
        expect([shared.hit('new-1', 1).allowed, shared.hit('new-2', 1).allowed]).to.deep.equal([true, false]);
        expect([1, 2, 3].map(() => passing.hit('new-1', 1).allowed)).to.deep.equal([true, true, true]);
        expect(passing.hit('x', 1).allowed, 'the keys it has are still counted').to.equal(false);
        expect(passing.size).to.equal(2);
    });

    it('reads addresses as proxies and sockets write them', () => {
        expect(normaliseAddress('203.0.113.5:51234')).to.equal('203.0.113.5');
        expect(normaliseAddress('::ffff:203.0.113.5')).to.equal('203.0.113.5');
        expect(normaliseAddress('[2001:db8::1]:443')).to.equal('2001:db8:0:0::/64');
        expect(normaliseAddress('2001:DB8:0:0:1::1')).to.equal('2001:db8:0:0::/64');
        const req = (xff?: string) => ({ socket: { remoteAddress: '10.0.0.1' }, header: () => xff }) as never;
        expect(clientAddress(req('1.1.1.1, 2.2.2.2'), 0)).to.equal('10.0.0.1');
        expect(clientAddress(req('1.1.1.1, 2.2.2.2'), 1)).to.equal('2.2.2.2');
        expect(clientAddress(req('1.1.1.1, 2.2.2.2'), 2)).to.equal('1.1.1.1');
        expect(clientAddress(req('2.2.2.2'), 3)).to.equal('2.2.2.2');
        expect(clientAddress(req(undefined), 1)).to.equal('10.0.0.1');
    });
});
