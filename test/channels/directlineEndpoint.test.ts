import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { TokenSigner } from '../../src/channels/directline/tokens';
import { openConversation, pageToken, startWebServer, upgradeStatus, type WebServer } from '../helpers/webServer';

const DL = '/v3/directline';

/** Opens a conversation as a client would; returns its token and id. */
const open = (web: WebServer) => openConversation(web.url);

async function post(web: WebServer, conversationId: string, token: string | undefined, body: string,
    type = 'application/json') {
    const headers: Record<string, string> = { 'content-type': type };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const url = `${web.url}${DL}/conversations/${conversationId}/activities`;
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) as { error?: { code: string; message: string } } : {};
    return { status: res.status, body: parsed, res };
}

describe('when a client sends bad input to the Direct Line endpoint', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer({ limits: { requestsPerWindow: 1000 } })));
    after(async () => web.stop());
    afterEach(async () => {
        const health = await fetch(`${web.url}/healthz`);
        expect(health.status, 'the server is still up').to.equal(200);
    });

    it('answers an unknown conversation with 404', async () => {
        const { token, conversationId } = await pageToken(web.url); // a real token, but never opened
        const res = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).to.equal(404);
        expect((await res.json() as { error: { code: string } }).error.code).to.equal('NotFound');
    });

    it('answers a missing or forged token with 401, and an expired one with 403', async () => {
        const { token, conversationId } = await open(web);
        const activity = JSON.stringify({ type: 'message', text: 'hi' });
        const missing = await post(web, conversationId, undefined, activity);
        expect(missing.status).to.equal(401);
        expect(missing.body.error?.message).to.match(/token/i);
        const forged = await post(web, conversationId, token.slice(0, -4) + 'AAAA', activity);
        expect(forged.status).to.equal(401);
        const otherKey = new TokenSigner(Buffer.alloc(32, 9)).issue(conversationId, 'dl_x').token;
        expect((await post(web, conversationId, otherKey, activity)).status).to.equal(401);
        const expired = new TokenSigner(web.signerKeyForTests(), () => Date.now() - 3_600_000)
            .issue(conversationId, 'dl_x').token;
        const old = await post(web, conversationId, expired, activity);
        expect(old.status).to.equal(403);
        expect(old.body.error?.code).to.equal('TokenExpired');
    });

    it('answers a token for another conversation with 403', async () => {
        const a = await open(web);
        const b = await open(web);
        const res = await post(web, b.conversationId, a.token, JSON.stringify({ type: 'message', text: 'hi' }));
        expect(res.status).to.equal(403);
    });

    it('answers malformed activities with 400 and says what is wrong', async () => {
        const { token, conversationId } = await open(web);
        expect((await post(web, conversationId, token, '{not json')).status).to.equal(400);
        const array = await post(web, conversationId, token, '[1, 2]');
        expect(array.status).to.equal(400);
        const untyped = await post(web, conversationId, token, JSON.stringify({ text: 'hi' }));
        expect(untyped.status).to.equal(400);
        expect(untyped.body.error?.code).to.equal('MissingProperty');
        const strange = await post(web, conversationId, token, JSON.stringify({ type: 'conversationUpdate' }));
        expect(strange.status).to.equal(400);
        expect(strange.body.error?.message).to.match(/message, event or typing/);
        const numeric = await post(web, conversationId, token, JSON.stringify({ type: 'message', text: 42 }));
        expect(numeric.status).to.equal(400);
        const files = await post(web, conversationId, token,
            JSON.stringify({ type: 'message', attachments: [{ contentType: 'image/png', contentUrl: 'x' }] }));
        expect(files.status).to.equal(400);
        const badWatermark = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities?watermark=abc`, {
            headers: { authorization: `Bearer ${token}` },
        });
        expect(badWatermark.status).to.equal(400);
    });

    it('answers oversized activities with 413', async () => {
        const { token, conversationId } = await open(web);
        const message = (text: string) => JSON.stringify({ type: 'message', text });
        const big = await post(web, conversationId, token,
            JSON.stringify({ type: 'message', text: 'hi', channelData: { pad: 'x'.repeat(40_000) } }));
        expect(big.status).to.equal(413);
        const huge = await post(web, conversationId, token, message('x'.repeat(300_000)));
        expect(huge.status).to.equal(413);
    });

    it('keeps the first part of a very long message and answers it, crisis routes first', async () => {
        const { token, conversationId } = await open(web);
        const long = 'I want to end my life. ' + 'Everything has gone wrong this year. '.repeat(300) + '\u{1F600}';
        expect(long.length).to.be.greaterThan(5000);
        const sent = await post(web, conversationId, token, JSON.stringify({ type: 'message', text: long }));
        expect(sent.status, 'not refused: a refusal would leave the resident with no answer').to.equal(200);
        const res = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            headers: { authorization: `Bearer ${token}` },
        });
        const { activities } = await res.json() as { activities: { from: { role?: string }; text?: string }[] };
        const stored = activities.find((a) => a.from.role === 'user');
        expect(stored?.text?.length, 'only the first part is kept').to.equal(5000);
        const replies = activities.filter((a) => a.from.role !== 'user').map((a) => a.text ?? '').join('\n');
        expect(replies).to.match(/116 123/);
        const ordinary = 'I would like to find a choir. '.repeat(200);
        const again = await post(web, conversationId, token, JSON.stringify({ type: 'message', text: ordinary }));
        expect(again.status).to.equal(200);
        const later = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities?watermark=`
            + String(activities.length), { headers: { authorization: `Bearer ${token}` } });
        const next = (await later.json() as { activities: { from: { role?: string }; text?: string }[] }).activities;
        expect(next.filter((a) => a.from.role !== 'user').map((a) => a.text).join('\n')).to.include('too long');
    });

    it('refuses WebSockets with a bad token or for an unknown conversation', async () => {
        const { token, conversationId } = await open(web);
        const base = web.url.replace('http', 'ws');
        const stream = (id: string, t: string) => `${base}${DL}/conversations/${id}/stream?t=${encodeURIComponent(t)}`;
        expect(await upgradeStatus(stream(conversationId, token))).to.equal(101);
        expect(await upgradeStatus(stream(conversationId, 'nonsense'))).to.equal(401);
        const other = await pageToken(web.url);
        expect(await upgradeStatus(stream(other.conversationId, other.token))).to.equal(404);
        expect(await upgradeStatus(stream(other.conversationId, token))).to.equal(403);
        expect(await upgradeStatus(`${base}/somewhere/else`)).to.equal(404);
    });

    it('survives a client that drops its connection while its WebSocket is being checked', async () => {
        // Node takes its own error listener off a socket it hands to 'upgrade'; an error there with no listener
        // would be an uncaught exception, which stops the whole server (src/index.ts guardProcess).
        const { token, conversationId } = await open(web);
        const socket = new PassThrough();
        const req = {
            url: `${DL}/conversations/${conversationId}/stream?t=${encodeURIComponent(token)}`,
            headers: { upgrade: 'websocket', connection: 'Upgrade', host: 'localhost' }, method: 'GET',
            socket,
        } as unknown as IncomingMessage;
        web.server.server.emit('upgrade', req, socket, Buffer.alloc(0));
        expect(() => socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })))
            .to.not.throw();
        expect(socket.destroyed, 'the broken connection is closed').to.equal(true);
    });
});

describe('when one conversation sends too many requests', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer({ limits: { requestsPerWindow: 5, windowMs: 60_000 } })));
    after(async () => web.stop());

    it('answers 429 with Retry-After, and other conversations carry on', async () => {
        const { token, conversationId } = await open(web);
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 8; i++) {
            const res = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities?watermark=`, {
                headers: { authorization: `Bearer ${token}` },
            });
            statuses.push(res.status);
            if (res.status === 429) {
                retryAfter = res.headers.get('retry-after');
                expect((await res.json() as { error: { code: string } }).error.code).to.equal('TooManyRequests');
            }
        }
        expect(statuses.slice(0, 4).every((s) => s === 200)).to.equal(true);
        expect(statuses).to.include(429);
        expect(Number(retryAfter)).to.be.within(1, 60);
        const other = await open(web);
        const res = await fetch(`${web.url}${DL}/conversations/${other.conversationId}/activities`, {
            headers: { authorization: `Bearer ${other.token}` },
        });
        expect(res.status).to.equal(200);
    });
});

describe('when a client refreshes its token', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer()));
    after(async () => web.stop());

    it('gets a new token for the same conversation, and the old conversation still answers', async () => {
        const { token, conversationId } = await open(web);
        const res = await fetch(`${web.url}${DL}/tokens/refresh`, {
            method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-length': '0' },
        });
        expect(res.status).to.equal(200);
        const body = await res.json() as { conversationId: string; token: string; expires_in: number };
        expect(body.conversationId).to.equal(conversationId);
        expect(body.expires_in).to.equal(1800);
        const poll = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            headers: { authorization: `Bearer ${body.token}` },
        });
        expect(poll.status).to.equal(200);
        const { activities } = await poll.json() as { activities: { text?: string }[] };
        expect(activities[0].text).to.match(/computer program/);
    });
});

describe('when a website-chat resident asks to delete their data', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer()));
    after(async () => web.stop());

    it('forgets what they typed from the stored chat, keeping only the confirmation', async () => {
        const { token, conversationId } = await open(web);
        for (const text of ["I'm lonely and my number is 07700 900999", 'delete my data']) {
            const res = await post(web, conversationId, token, JSON.stringify({ type: 'message', text }));
            expect(res.status).to.equal(200);
        }
        const poll = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            headers: { authorization: `Bearer ${token}` },
        });
        const { activities } = await poll.json() as { activities: { text?: string }[] };
        const texts = activities.map((a) => a.text ?? '').join('\n');
        expect(texts).to.not.include('07700').and.not.include('lonely');
        expect(texts).to.include(web.app.knowledge.wording.text('deleted'));
    });
});
