import { expect } from 'chai';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { weekStart } from '../../src/storage/analyticsStore';
import { ApiClient, addEscalation, addUser, PASSWORD } from './helpers';

describe('the workspace API over real HTTP', () => {
    let web: WebServer;
    let sam: { id: string; email: string; name: string };
    let lead: { id: string; email: string; name: string };

    beforeEach(async () => {
        web = await startWebServer();
        sam = await addUser(web.app, 'Sam');
        lead = await addUser(web.app, 'Lee', 'lead');
    });
    afterEach(async () => web.stop());

    describe('when someone is not signed in', () => {
        it('refuses every route but sign-in and the OpenAPI document', async () => {
            const api = new ApiClient(web.url);
            for (const [method, path] of [['GET', '/escalations'], ['GET', '/escalations/SP-ABCDEF'], ['GET', '/session'],
                ['POST', '/escalations/SP-ABCDEF/claim'], ['GET', '/users'], ['DELETE', '/session']] as const) {
                const res = await api.call(method, path);
                expect(res.status, `${method} ${path}`).to.equal(401);
                expect(res.body.error.code).to.equal('SignInNeeded');
            }
            const doc = await api.call('GET', '/openapi.json');
            expect(doc.status).to.equal(200);
            expect(doc.body.openapi).to.equal('3.1.0');
            expect(doc.body.paths).to.include.keys('/escalations/{reference}/claim', '/session');
        });
    });

    describe('when a connector signs in', () => {
        it('sets a secure, http-only, same-site session cookie and gives a CSRF token', async () => {
            const api = new ApiClient(web.url);
            const res = await api.signIn('SAM@example.org');
            expect(res.status).to.equal(200);
            const cookie = res.headers.get('set-cookie')!;
            expect(cookie).to.match(/^signpost_workspace=[\w-]{40,};/);
            expect(cookie).to.include('HttpOnly').and.include('Secure').and.include('SameSite=Strict')
                .and.include('Path=/workspace');
            expect(res.body.user).to.deep.equal({ id: sam.id, name: 'Sam', email: sam.email, role: 'connector' });
            expect(res.body.csrfToken).to.be.a('string');
            expect(res.headers.get('cache-control')).to.equal('no-store');
            expect((await api.call('GET', '/session')).body.user.name).to.equal('Sam');
        });

        it('does not say whether the email or the password was wrong', async () => {
            const api = new ApiClient(web.url);
            const wrongPassword = await api.signIn(sam.email, 'not the password at all');
            const unknown = await api.signIn('nobody@example.org');
            expect(wrongPassword.status).to.equal(401);
            expect(unknown.body).to.deep.equal(wrongPassword.body);
        });

        it('locks the account after five failed sign-ins, even for the right password, and says until when', async () => {
            const api = new ApiClient(web.url);
            const answers = [];
            for (let i = 0; i < 5; i++) answers.push((await api.signIn(sam.email, 'wrong password guess')).status);
            expect(answers).to.deep.equal([401, 401, 401, 401, 423]);
            const locked = await api.signIn(sam.email, PASSWORD);
            expect(locked.status).to.equal(423);
            expect(locked.body.error.message).to.match(/Too many failed sign-ins\. Try again after \d\d:\d\d UTC/);
            expect((await new ApiClient(web.url).signIn(lead.email)).status).to.equal(200);
        });

        it('answers an e-mail with no account exactly as one with an account, lock and all', async () => {
            const answers = async (email: string) => {
                const out = [];
                for (let i = 0; i < 6; i++) {
                    const res = await new ApiClient(web.url).signIn(email, 'wrong password guess');
                    out.push({ status: res.status, body: res.body });
                }
                return out;
            };
            const known = await answers(sam.email);
            const unknown = await answers('nobody@example.org');
            expect(known.map((a) => a.status)).to.deep.equal([401, 401, 401, 401, 423, 423]);
            // The lock's end is a minute apart at most (both were made within the same seconds).
            const strip = (a: { status: number; body: Record<string, any> }) =>
                ({ ...a, body: { ...a.body, error: { ...a.body.error, until: undefined, message: undefined } } });
            expect(unknown.map(strip)).to.deep.equal(known.map(strip));
            expect(unknown[5]!.body.error.message.replace(/\d\d:\d\d/, 'T'))
                .to.equal(known[5]!.body.error.message.replace(/\d\d:\d\d/, 'T'));
        });

        it('lets a lead unlock a locked account, and only a lead', async () => {
            for (let i = 0; i < 5; i++) await new ApiClient(web.url).signIn(sam.email, 'wrong password guess');
            expect((await new ApiClient(web.url).signIn(sam.email)).status).to.equal(423);
            const users = new ApiClient(web.url);
            await users.signIn(lead.email);
            const listed = await users.call('GET', '/users');
            expect(listed.body.users.find((u: { id: string }) => u.id === sam.id).locked).to.equal(true);
            const connector = new ApiClient(web.url);
            await addUser(web.app, 'Kim');
            await connector.signIn('kim@example.org');
            expect((await connector.call('POST', `/users/${sam.id}/unlock`)).status).to.equal(403);
            const unlocked = await users.call('POST', `/users/${sam.id}/unlock`);
            expect(unlocked.status).to.equal(200);
            expect(unlocked.body.user).to.include({ id: sam.id, locked: false });
            expect((await new ApiClient(web.url).signIn(sam.email)).status).to.equal(200);
            expect((await users.call('POST', '/users/no-such-id/unlock')).status).to.equal(404);
        });

        it('ends the session on sign-out', async () => {
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const out = await api.call('DELETE', '/session');
            expect(out.status).to.equal(200);
            expect(out.headers.get('set-cookie')).to.include('Max-Age=0');
            expect((await api.call('GET', '/escalations')).status).to.equal(401);
        });
    });

    describe('when a change arrives', () => {
        it('refuses it without the CSRF token, with a wrong one, or from another site', async () => {
            await addEscalation(web.app);
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const noToken = await api.call('POST', '/escalations/SP-ABCDEF/claim', {}, { 'x-csrf-token': '' });
            expect(noToken.status).to.equal(403);
            expect(noToken.body.error.code).to.equal('CsrfTokenMissing');
            const wrong = await api.call('POST', '/escalations/SP-ABCDEF/claim', {}, { 'x-csrf-token': 'x'.repeat(32) });
            expect(wrong.status).to.equal(403);
            const foreign = await api.call('POST', '/escalations/SP-ABCDEF/claim', {}, { origin: 'https://evil.example' });
            expect(foreign.body.error.code).to.equal('WrongOrigin');
            const signIn = await api.call('POST', '/session', { email: sam.email, password: PASSWORD },
                { origin: 'https://evil.example' });
            expect(signIn.status).to.equal(403);
            expect((await web.app.stores.escalations.getByReference('SP-ABCDEF'))?.status).to.equal('new');
        });

        it('validates every body and query with a clear error naming the field', async () => {
            await addEscalation(web.app);
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            await api.call('POST', '/escalations/SP-ABCDEF/claim', {});
            const badOutcome = await api.call('POST', '/escalations/SP-ABCDEF/close', { outcome: 'sorted' });
            expect(badOutcome.status).to.equal(400);
            expect(badOutcome.body.error.problems[0].field).to.equal('outcome');
            const longNote = await api.call('POST', '/escalations/SP-ABCDEF/notes', { text: 'x'.repeat(2001) });
            expect(longNote.status).to.equal(400);
            expect(longNote.body.error.message).to.equal('Please check: text.');
            const extra = await api.call('POST', '/escalations/SP-ABCDEF/notes', { text: 'ok', admin: true });
            expect(extra.status).to.equal(400);
            const badQuery = await api.call('GET', '/escalations?status=lost');
            expect(badQuery.status).to.equal(400);
            const signIn = await new ApiClient(web.url).call('POST', '/session', { email: 'x' });
            expect(signIn.status).to.equal(400);
        });

        it('keeps lead-only routes for leads', async () => {
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            expect((await api.call('GET', '/users')).status).to.equal(403);
            await addEscalation(web.app);
            const assign = await api.call('POST', '/escalations/SP-ABCDEF/assign', { userId: sam.id });
            expect(assign.status).to.equal(403);
            const leadApi = new ApiClient(web.url);
            await leadApi.signIn(lead.email);
            expect((await leadApi.call('GET', '/users')).body.users).to.have.length(2);
            const given = await leadApi.call('POST', '/escalations/SP-ABCDEF/assign', { userId: sam.id });
            expect(given.status).to.equal(200);
            expect(given.body.escalation.assignee).to.deep.equal({ id: sam.id, name: 'Sam' });
        });

        it('gives a request only to a connector or a lead, never to a curator', async () => {
            const cara = await addUser(web.app, 'Cara', 'curator');
            await addEscalation(web.app);
            const leadApi = new ApiClient(web.url);
            await leadApi.signIn(lead.email);
            const refused = await leadApi.call('POST', '/escalations/SP-ABCDEF/assign', { userId: cara.id });
            expect(refused.status).to.equal(400);
            expect(refused.body.error.message).to.equal(
                'That account is a curator\'s: a request can be given only to a connector or a lead.');
            const e = await web.app.stores.escalations.getByReference('SP-ABCDEF');
            expect(e).to.include({ status: 'new' });
            expect(e!.assignee).to.equal(undefined);
        });
    });

    describe('when a request goes through its lifecycle', () => {
        it('is claimed, contacted, noted and closed with an outcome, all in the audit trail', async () => {
            await addEscalation(web.app);
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            expect((await api.call('POST', '/escalations/SP-ABCDEF/claim', {})).body.escalation.status).to.equal('claimed');
            expect((await api.call('POST', '/escalations/SP-ABCDEF/contact')).body.escalation.status)
                .to.equal('in-contact');
            expect((await api.call('POST', '/escalations/SP-ABCDEF/notes', { text: 'Rang, booked a visit' })).status)
                .to.equal(201);
            const closed = await api.call('POST', '/escalations/SP-ABCDEF/close', { outcome: 'connected' });
            expect(closed.body.escalation).to.include({ status: 'closed', outcome: 'connected' });
            const again = await api.call('POST', '/escalations/SP-ABCDEF/close', { outcome: 'declined' });
            expect(again.status).to.equal(409);
            expect(again.body.error.message).to.equal('This request is closed, so that cannot be done now.');
            const detail = await api.call('GET', '/escalations/SP-ABCDEF');
            expect(detail.body.audit.map((a: { action: string }) => a.action))
                .to.deep.equal(['created', 'claimed', 'in-contact', 'note', 'closed']);
            expect(detail.body.audit[3]).to.include({ actor: sam.id, actorName: 'Sam', detail: 'Rang, booked a visit' });
            expect(detail.body.escalation).to.not.have.property('residentKey');
            expect(detail.body.needLabels).to.deep.equal({ loneliness: 'Feeling lonely or wanting company' });
        });

        it('lets only the holder (or a lead) move it on', async () => {
            await addEscalation(web.app);
            const alex = await addUser(web.app, 'Alex');
            const samApi = new ApiClient(web.url);
            await samApi.signIn(sam.email);
            await samApi.call('POST', '/escalations/SP-ABCDEF/claim', {});
            const alexApi = new ApiClient(web.url);
            await alexApi.signIn(alex.email);
            const close = await alexApi.call('POST', '/escalations/SP-ABCDEF/close', { outcome: 'declined' });
            expect(close.status).to.equal(409);
            expect(close.body.error.message).to.equal('Sam already has this request.');
            const leadApi = new ApiClient(web.url);
            await leadApi.signIn(lead.email);
            expect((await leadApi.call('POST', '/escalations/SP-ABCDEF/release', {})).status).to.equal(200);
        });

        it('lists the queue urgent first, then overdue, and filters it', async () => {
            const now = Date.now();
            const iso = (days: number) => new Date(now + days * 86_400_000).toISOString();
            await addEscalation(web.app, { reference: 'SP-AAAAAA', dueBy: iso(2) });
            await addEscalation(web.app, { reference: 'SP-BBBBBB', dueBy: iso(1), priority: 'urgent',
                summary: { needs: ['money'], preferences: [], suggested: [], crisisShown: true } });
            await addEscalation(web.app, { reference: 'SP-CCCCCC', dueBy: iso(-1) });
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const queue = await api.call('GET', '/escalations');
            expect(queue.body.escalations.map((e: { reference: string }) => e.reference))
                .to.deep.equal(['SP-BBBBBB', 'SP-CCCCCC', 'SP-AAAAAA']);
            expect(queue.body.escalations[1].overdue).to.equal(true);
            const filtered = async (q: string) => (await api.call('GET', `/escalations?${q}`)).body.escalations
                .map((e: { reference: string }) => e.reference);
            expect(await filtered('priority=urgent')).to.deep.equal(['SP-BBBBBB']);
            expect(await filtered('need=money')).to.deep.equal(['SP-BBBBBB']);
            expect(await filtered('overdue=true')).to.deep.equal(['SP-CCCCCC']);
            expect(await filtered('status=closed')).to.deep.equal([]);
        });

        it('no longer calls a request overdue once "I have made contact" meets its due time', async () => {
            const due = new Date(Date.now() - 60_000).toISOString();
            await addEscalation(web.app, { reference: 'SP-LATEKM', dueBy: due });
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const overdue = async () => (await api.call('GET', '/escalations/SP-LATEKM')).body.escalation.overdue;
            expect(await overdue()).to.equal(true);
            await api.call('POST', '/escalations/SP-LATEKM/claim');
            expect(await overdue(), 'claimed is not contact').to.equal(true);
            expect((await api.call('POST', '/escalations/SP-LATEKM/contact')).status).to.equal(200);
            expect(await overdue()).to.equal(false);
            expect((await api.call('GET', '/escalations?overdue=true')).body.escalations).to.deep.equal([]);
        });
    });

    describe('when the queue is long', () => {
        it('gives it in pages (limit and cursor), the same order as one page, and refuses a bad cursor', async () => {
            const now = Date.now();
            const iso = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
            for (let i = 0; i < 120; i++) {
                const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
                await addEscalation(web.app, { reference: `SP-${abc[Math.floor(i / 32)]}${abc[i % 32]}AAAA`,
                    dueBy: iso(i % 10 === 0 ? -i : (i * 7) % 50), priority: i % 4 === 0 ? 'urgent' : 'normal' });
            }
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const whole = await api.call('GET', '/escalations?limit=200');
            expect(whole.status).to.equal(200);
            expect(whole.body.escalations).to.have.length(120);
            expect(whole.body.nextCursor).to.equal(undefined);
            const pages: string[][] = [];
            let cursor: string | undefined;
            do {
                const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
                const page = await api.call('GET', `/escalations?limit=50${q}`);
                expect(page.status).to.equal(200);
                expect(page.body.total).to.equal(120);
                pages.push(page.body.escalations.map((e: { reference: string }) => e.reference));
                cursor = page.body.nextCursor;
            } while (cursor);
            expect(pages.map((p) => p.length)).to.deep.equal([50, 50, 20]);
            expect(pages.flat()).to.deep.equal(whole.body.escalations.map((e: { reference: string }) => e.reference));
            const first = await api.call('GET', '/escalations');
            expect(first.body.escalations, 'the default page').to.have.length(50);
            expect(first.body.nextCursor).to.be.a('string');
            const bad = await api.call('GET', '/escalations?cursor=not-a-cursor');
            expect(bad.status).to.equal(400);
            expect(bad.body.error.problems[0].field).to.equal('cursor');
            expect((await api.call('GET', '/escalations?limit=0')).status).to.equal(400);
            expect((await api.call('GET', '/escalations?limit=201')).status).to.equal(400);
        });
    });

    describe('when twenty connectors claim the same request at once', () => {
        it('gives it to exactly one, and tells the other nineteen who has it', async () => {
            await addEscalation(web.app);
            const clients = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
                const user = await addUser(web.app, `Connector${i}`);
                const api = new ApiClient(web.url);
                await api.signIn(user.email);
                return api;
            }));
            const answers = await Promise.all(clients.map((api) => api.call('POST', '/escalations/SP-ABCDEF/claim', {})));
            const won = answers.filter((a) => a.status === 200);
            expect(won).to.have.length(1);
            const holder = won[0]!.body.escalation.assignee as { name: string };
            const lost = answers.filter((a) => a.status !== 200);
            expect(lost).to.have.length(19);
            for (const a of lost) {
                expect(a.status).to.equal(409);
                expect(a.body.error).to.deep.include({ code: 'AlreadyClaimed', message: `${holder.name} already has this request.` });
            }
            const trail = await web.app.stores.escalations.auditTrail('SP-ABCDEF');
            expect(trail.filter((a) => a.action === 'claimed')).to.have.length(1);
        });
    });

    describe('when a lead asks for the report', () => {
        it('refuses connectors, and checks the number of weeks', async () => {
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            const refused = await api.call('GET', '/reports');
            expect(refused.status).to.equal(403);
            expect(refused.body.error.code).to.equal('NotAllowed');
            const leadApi = new ApiClient(web.url);
            await leadApi.signIn(lead.email);
            for (const bad of ['weeks=0', 'weeks=53', 'weeks=two', 'weeks=1.5', 'other=1']) {
                const res = await leadApi.call('GET', `/reports?${bad}`);
                expect(res.status, bad).to.equal(400);
                expect(res.body.error.code).to.equal('Invalid');
            }
            expect((await new ApiClient(web.url).call('GET', '/reports')).status).to.equal(401);
        });

        it('counts requests per week by need and outcome, the median wait for first contact, and unmet needs',
            async () => {
                // Up to four hours back, but never before this week began (Monday 00:00 UTC), so all are this week's.
                const sinceMonday = Date.now() - Date.parse(`${weekStart(new Date())}T00:00:00.000Z`);
                const span = Math.min(4 * 3_600_000, sinceMonday * 0.9);
                const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
                await addEscalation(web.app, { reference: 'SP-AAAAAA', createdAt: ago(span / 2),
                    summary: { needs: ['loneliness', 'housing'], preferences: [], suggested: [],
                        crisisShown: false } });
                await addEscalation(web.app, { reference: 'SP-BBBBBB', createdAt: ago(span),
                    summary: { needs: ['loneliness'], preferences: [], suggested: [], crisisShown: false } });
                await addEscalation(web.app, { reference: 'SP-CCCCCC', createdAt: ago(span / 4) });
                await addEscalation(web.app, { reference: 'SP-EEEEEE', createdAt: ago(span / 4),
                    summary: { needs: [], preferences: [], suggested: [], crisisShown: false } });
                await addEscalation(web.app, { reference: 'SP-DDDDDD', createdAt: ago(400 * 86_400_000) });
                const api = new ApiClient(web.url);
                await api.signIn(sam.email);
                await api.call('POST', '/escalations/SP-AAAAAA/claim');
                await api.call('POST', '/escalations/SP-AAAAAA/contact');
                await api.call('POST', '/escalations/SP-AAAAAA/close', { outcome: 'connected' });
                await api.call('POST', '/escalations/SP-BBBBBB/claim');
                await api.call('POST', '/escalations/SP-BBBBBB/contact');
                // Claimed but not marked in contact: not first contact.
                await api.call('POST', '/escalations/SP-CCCCCC/claim');
                await web.app.stores.analytics.recordUnmet(['money-debt', 'housing'], new Date().toISOString());
                await web.app.stores.analytics.recordUnmet(['money-debt'], new Date().toISOString());

                const leadApi = new ApiClient(web.url);
                await leadApi.signIn(lead.email);
                const res = await leadApi.call('GET', '/reports?weeks=1');
                expect(res.status, JSON.stringify(res.body)).to.equal(200);
                const r = res.body;
                expect(r.weeks).to.equal(1);
                expect(r.from).to.equal(r.to);
                expect(r.perWeek).to.have.length(1);
                expect(r.perWeek[0].total).to.equal(4);
                expect(r.byNeed).to.deep.equal([
                    { key: 'loneliness', label: 'Feeling lonely or wanting company', count: 3, shown: 'fewer than 5' },
                    { key: 'housing', label: 'Housing or a place to live', count: 1, shown: 'fewer than 5' },
                    { key: '(none)', label: 'No need named', count: 1, shown: 'fewer than 5' },
                ]);
                expect(r.byOutcome).to.deep.equal([
                    { key: 'connected', label: 'Connected to a service', count: 1, shown: 'fewer than 5' },
                    { key: 'open', label: 'Still open', count: 3, shown: 'fewer than 5' },
                ]);
                // Marked in contact span/2 and span after asking: the median is three quarters of the span.
                expect(r.firstContact.count).to.equal(2);
                const expected = (0.75 * span) / 60_000;
                expect(r.firstContact.medianMinutes).to.be.within(expected - 2, expected + 2);
                expect(r.unmet).to.deep.equal([
                    { key: 'money-debt', label: 'Money, debt or benefits worries', count: 2, shown: 'fewer than 5' },
                    { key: 'housing', label: 'Housing or a place to live', count: 1, shown: 'fewer than 5' },
                ]);
                expect((await leadApi.call('GET', '/reports')).body.perWeek).to.have.length(12);
            });

        it('is in the OpenAPI document', async () => {
            const doc = (await new ApiClient(web.url).call('GET', '/openapi.json')).body;
            expect(doc.paths['/reports'].get.parameters[0]).to.include({ name: 'weeks', in: 'query' });
        });
    });
});
