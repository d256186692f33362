import http from 'node:http';
/**
 * The workspace's live feed (GET /workspace/api/events): server-sent events for new requests and residents'
 * messages, for a signed-in session only, resuming after Last-Event-ID, closed when the session ends.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { LIVE_SETTINGS, LiveFeed } from '../../src/workspace/live';
import { testApp } from '../helpers/app';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addEscalation, addUser } from './helpers';
import { openStream, type SseStream } from './sse';

/** Quick enough for tests: the store asked every 100 ms, a heartbeat every 300 ms, two streams per session. */
const FAST = { ...LIVE_SETTINGS, pollMs: 100, heartbeatMs: 300, perSession: 2 };

describe('the workspace live feed', function () {
    this.timeout(30_000);
    let web: WebServer;
    let sam: ApiClient;
    const open: SseStream[] = [];

    before(async () => {
        const app = testApp();
        app.workspace.live = new LiveFeed({
            escalations: app.stores.escalations, log: app.log, now: () => new Date(),
            sessionLive: (id) => app.workspace.auth.sessionLive(id),
        }, FAST);
        web = await startWebServer({ app });
        await addUser(web.app, 'Sam');
    });
    beforeEach(async () => {
        sam = new ApiClient(web.url);
        expect((await sam.signIn('sam@example.org')).status).to.equal(200);
    });
    afterEach(() => {
        for (const s of open.splice(0)) s.close();
    });
    after(async () => web?.stop());

    async function stream(client: ApiClient, lastEventId?: string): Promise<SseStream> {
        const s = await openStream(web.url, client.cookie, lastEventId);
        open.push(s);
        return s;
    }

    it('refuses a page that is not signed in, or whose session is not the one it claims', async () => {
        const none = await stream(new ApiClient(web.url));
        expect(none.status).to.equal(401);
        expect(none.body).to.deep.include({ error: { code: 'SignInNeeded', message: 'Please sign in.' } });
        const forged = new ApiClient(web.url);
        forged.cookie = `signpost_workspace=${randomBytes(32).toString('base64url')}`;
        expect((await stream(forged)).status).to.equal(401);
    });

    it('sends a new request as it is made: its reference and kind only, nothing about the resident', async () => {
        const s = await stream(sam);
        expect(s.status).to.equal(200);
        expect(s.contentType).to.match(/^text\/event-stream/);
        await s.next('ready');
        expect(s.events[0]).to.deep.include({ event: 'retry', data: String(FAST.retryMs) });
        const e = await addEscalation(web.app, { reference: 'SP-LIVE22', createdAt: new Date().toISOString() });
        const got = await s.next('request');
        expect(JSON.parse(got.data)).to.deep.equal({ kind: 'request', reference: 'SP-LIVE22' });
        expect(got.id).to.equal(`${e.createdAt}_request_SP-LIVE22`);
        // Nothing from the request's contact details or story is in the stream.
        const all = JSON.stringify(s.events);
        expect(all).to.not.include(e.contact.value).and.not.include(e.residentKey);
        // Said once, though the store is asked again and again.
        await new Promise((resolve) => setTimeout(resolve, FAST.pollMs * 4));
        expect(s.events.filter((x) => x.event === 'request')).to.have.length(1);
    });

    it('sends a resident\'s message in the live chat, and not a connector\'s', async () => {
        await addEscalation(web.app, { reference: 'SP-LIVE33', createdAt: '2026-01-01T09:00:00.000Z' });
        const s = await stream(sam);
        await s.next('ready');
        await web.app.stores.escalations.appendChat('SP-LIVE33',
            { at: new Date().toISOString(), actor: 'sam', action: 'message-sent', detail: 'Hello, I am Sam' });
        await web.app.stores.escalations.appendChat('SP-LIVE33',
            { at: new Date().toISOString(), actor: 'resident', action: 'resident-message', detail: 'hi Sam' });
        const got = await s.next('message');
        expect(JSON.parse(got.data)).to.deep.equal({ kind: 'message', reference: 'SP-LIVE33' });
        expect(JSON.stringify(s.events)).to.not.include('hi Sam').and.not.include('Hello, I am Sam');
        expect(s.events.filter((x) => x.event === 'message')).to.have.length(1);
    });

    it('resumes after Last-Event-ID: what came after it, not what came before', async () => {
        const first = await stream(sam);
        await first.next('ready');
        await addEscalation(web.app, { reference: 'SP-RESUM1', createdAt: new Date().toISOString() });
        const had = await first.next('request', 10_000, (e) => e.data.includes('SP-RESUM1'));
        first.close();
        // While the page is away: one more request.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await addEscalation(web.app, { reference: 'SP-RESUM2', createdAt: new Date().toISOString() });
        const again = await stream(sam, had.id);
        const ready = await again.next('ready');
        expect(JSON.parse(ready.data)).to.deep.equal({ resumed: true });
        expect(ready.id).to.equal(had.id);
        await again.next('request', 10_000, (e) => e.data.includes('SP-RESUM2'));
        await new Promise((resolve) => setTimeout(resolve, FAST.pollMs * 3));
        expect(again.events.filter((e) => e.event === 'request').map((e) => JSON.parse(e.data).reference))
            .to.deep.equal(['SP-RESUM2']);
        // An id it did not write is ignored: a fresh start, told it did not resume.
        const odd = await stream(sam, 'not-an-id');
        expect(JSON.parse((await odd.next('ready')).data)).to.deep.equal({ resumed: false });
    });

    it('ends the stream when its session signs out, here or on another instance', async () => {
        const s = await stream(sam);
        await s.next('ready');
        expect((await sam.call('DELETE', '/session')).status).to.equal(200);
        expect(JSON.parse((await s.next('end')).data)).to.deep.equal({ reason: 'signed-out' });
        await s.closed();
        // Signed out elsewhere: the session is gone from the store, and the next round sees it.
        const robin = new ApiClient(web.url);
        await addUser(web.app, `Robin${randomUUID().slice(0, 4)}`).then((u) => robin.signIn(u.email));
        const t = await stream(robin);
        await t.next('ready');
        const token = robin.cookie.split('=')[1]!;
        await web.app.stores.sessions.delete(createHash('sha256').update(token).digest('base64url'));
        expect(JSON.parse((await t.next('end')).data)).to.deep.equal({ reason: 'signed-out' });
        await t.closed();
        expect((await stream(robin)).status).to.equal(401);
    });

    it('ends the stream when its session expires', async () => {
        const user = (await web.app.stores.users.getByEmail('sam@example.org'))!;
        const token = randomBytes(32).toString('base64url');
        const now = Date.now();
        await web.app.stores.sessions.create({
            id: createHash('sha256').update(token).digest('base64url'), userId: user.id, csrfToken: 'x',
            createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 1500).toISOString(),
        });
        const brief = new ApiClient(web.url);
        brief.cookie = `signpost_workspace=${token}`;
        const s = await stream(brief);
        await s.next('ready');
        expect(JSON.parse((await s.next('end', 5000)).data)).to.deep.equal({ reason: 'expired' });
        await s.closed();
    });

    it('keeps a quiet stream open with heartbeat comments, and limits the streams of one session', async () => {
        const a = await stream(sam);
        const b = await stream(sam);
        await a.next(':', 3000);
        expect(b.status).to.equal(200);
        const c = await stream(sam);
        expect(c.status).to.equal(429);
        expect(c.body).to.have.nested.property('error.code', 'TooManyConnections');
        // Another session is not limited by this one's.
        const other = new ApiClient(web.url);
        await other.signIn('sam@example.org');
        expect((await stream(other)).status).to.equal(200);
        // Once a tab goes, another may open.
        a.close();
        const deadline = Date.now() + 3000;
        let d = await stream(sam);
        while (d.status !== 200 && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            d = await stream(sam);
        }
        expect(d.status).to.equal(200);
    });

    it('asks the store only while a page is connected', async () => {
        const feed = web.app.workspace.live!;
        for (const s of open.splice(0)) s.close();
        const deadline = Date.now() + 3000;
        while (feed.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
        expect(feed.size).to.equal(0);
        let asked = 0;
        const store = web.app.stores.escalations;
        const real = store.liveChanges.bind(store);
        store.liveChanges = async (since, limit) => {
            asked++;
            return real(since, limit);
        };
        try {
            await new Promise((resolve) => setTimeout(resolve, FAST.pollMs * 4));
            expect(asked, 'no page connected').to.equal(0);
            const s = await stream(sam);
            await s.next('ready');
            await new Promise((resolve) => setTimeout(resolve, FAST.pollMs * 4));
            expect(asked, 'a page connected').to.be.greaterThan(1);
        } finally {
            store.liveChanges = real;
        }
    });
});

describe('the workspace live stream, when the page goes before its stream begins', function () {
    this.timeout(30_000);
    it('keeps no stream for it, so the connector\'s next tab is not refused', async () => {
        const app = testApp();
        const live = new LiveFeed({ escalations: app.stores.escalations, log: app.log, now: () => new Date(),
            sessionLive: (id) => app.workspace.auth.sessionLive(id) }, { ...LIVE_SETTINGS, pollMs: 100 });
        app.workspace.live = live;
        // A slow store: reading the session takes 150 ms (a remote MongoDB under load), and the page goes meanwhile.
        const auth = app.workspace.auth as unknown as { authenticate: (t: string) => Promise<unknown> };
        const read = auth.authenticate.bind(auth);
        auth.authenticate = async (t: string) => {
            await new Promise((resolve) => setTimeout(resolve, 150));
            return read(t);
        };
        const web = await startWebServer({ app });
        try {
            await addUser(web.app, 'Sam');
            const sam = new ApiClient(web.url);
            await sam.signIn('sam@example.org');
            const url = new URL(`${web.url}/workspace/api/events`);
            for (let i = 0; i < 4; i++) {
                const req = http.get({ host: url.hostname, port: url.port, path: url.pathname,
                    headers: { cookie: sam.cookie, accept: 'text/event-stream' } });
                req.on('error', () => undefined);
                setTimeout(() => req.destroy(), 30);
            }
            await new Promise((resolve) => setTimeout(resolve, 1000));
            expect(live.size, 'no stream kept for pages that went').to.equal(0);
            const controller = new AbortController();
            const next = await fetch(url, { headers: { cookie: sam.cookie }, signal: controller.signal });
            expect(next.status, 'a new tab still gets its stream').to.equal(200);
            controller.abort();
        } finally {
            live.close();
            await web.stop();
        }
    });
});
