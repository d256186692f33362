/**
 * The curation queue over the API (issue 21): who may see it, what brings a listing into it (residents' reports,
 * a check date past the stale limit, the importer's review flags), and what a curator's action does to what the bot
 * and the workspace's search suggest, with its audit line. On the embedded store, one instance; the cross-instance
 * poll is in curationPage.test.ts (two instances on MongoDB) and curationPoll.test.ts.
 */
import { expect } from 'chai';
import { reviewFlagsOf } from '../../src/import/review';
import { londonDay } from '../../src/workspace/routes/curation';
import { DEFAULTS } from '../../src/matching/config';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { testApp } from '../helpers/app';
import { ApiClient, addUser } from './helpers';

type Item = {
    id: string; name: string; reasons: string[]; reports?: { count: number; problems: Record<string, number>;
        firstAt: string; lastAt: string }; checkedOn: string; stale: boolean; review: { flag: string }[];
    decision?: { hidden: boolean; checkedOn?: string; by: string; lapsed: boolean;
        audit: { actor: string; action: string; detail?: string }[] };
};

describe('the curation queue in the workspace API', function () {
    this.timeout(60_000);
    let web: WebServer;
    let cleo: ApiClient;
    let lee: ApiClient;
    let sam: ApiClient;
    let cleoId: string;

    before(async () => {
        web = await startWebServer({ app: testApp({ review: reviewFlagsOf }), oruk: true });
        cleoId = (await addUser(web.app, 'Cleo', 'curator')).id;
        await addUser(web.app, 'Lee', 'lead');
        await addUser(web.app, 'Sam', 'connector');
        cleo = new ApiClient(web.url);
        lee = new ApiClient(web.url);
        sam = new ApiClient(web.url);
        await cleo.signIn('cleo@example.org');
        await lee.signIn('lee@example.org');
        await sam.signIn('sam@example.org');
    });
    after(async () => web?.stop());

    const queue = async (client: ApiClient, query = '') =>
        (await client.call('GET', `/curation${query}`)).body as { items: Item[]; total: number;
            staleAfterDays: number };
    const lonely = async (client: ApiClient) => ((await client.call('GET', '/directory?text=lonely&limit=20')).body
        .results as { id: string }[]).map((r) => r.id);
    const botIds = () => {
        const m = web.app.services.matcher;
        return m.rank({ needs: m.detectNeeds('lonely'), text: 'lonely', prefs: {}, limit: 50, offset: 0 }).results
            .map((r) => r.id);
    };

    it('is for curators and leads; curators see no requests; connectors see no queue', async () => {
        expect((await cleo.call('GET', '/session')).body.user.role).to.equal('curator');
        expect((await cleo.call('GET', '/curation')).status).to.equal(200);
        expect((await lee.call('GET', '/curation')).status).to.equal(200);
        expect((await sam.call('GET', '/curation')).status).to.equal(403);
        expect((await sam.call('POST', '/curation/svc-0001', { action: 'hidden' })).status).to.equal(403);
        expect((await cleo.call('GET', '/escalations')).status).to.equal(403);
        expect((await cleo.call('GET', '/users')).status).to.equal(403);
        // Curators may search the directory, as connectors do.
        expect((await cleo.call('GET', '/directory?text=lonely')).status).to.equal(200);
    });

    it('lists reported listings first with counts, dates and problems, then those past the stale limit and flagged',
        async () => {
            const [first, second] = await lonely(sam);
            const report = (listingId: string, problem: 'phone' | 'closed', at: string) =>
                web.app.stores.listingFeedback.recordReport({ listingId, problem, at, channel: 'webchat' });
            await report(second!, 'phone', '2026-11-20T10:00:00.000Z');
            await report(second!, 'phone', '2026-11-21T10:00:00.000Z');
            await report(second!, 'closed', '2026-11-22T10:00:00.000Z');
            await report(first!, 'closed', '2026-11-23T10:00:00.000Z');
            const q = await queue(lee);
            expect(q.staleAfterDays).to.equal(DEFAULTS.staleAfterDays);
            expect(q.items[0]).to.deep.include({ id: second, reasons: q.items[0]!.reasons });
            expect(q.items[0]!.reports).to.deep.equal({ count: 3, problems: { phone: 2, closed: 1 },
                firstAt: '2026-11-20T10:00:00.000Z', lastAt: '2026-11-22T10:00:00.000Z' });
            expect(q.items[1]!.id).to.equal(first);
            expect(q.items[0]!.reasons).to.include('reported');
            // Every listing past the stale limit is there, by its check date.
            const today = londonDay(new Date());
            const days = (d: string) => (Date.parse(today) - Date.parse(d)) / 86_400_000;
            const stale = web.app.knowledge.opportunities.filter((o) => days(o.assured_date) > DEFAULTS.staleAfterDays);
            expect(stale.length).to.be.greaterThan(0);
            const staleQueue = await queue(cleo, '?reason=stale&limit=500');
            expect(staleQueue.items.map((i) => i.id).sort()).to.deep.equal(stale.map((o) => o.id).sort());
            expect(staleQueue.items.every((i) => i.stale && i.reasons.includes('stale'))).to.equal(true);
            // The importer's review flags, as `kb review` gives them for the shipped directory ('stale' aside).
            const flagged = [...reviewFlagsOf(web.app.knowledge.opportunities, today)]
                .filter(([, f]) => f.some((x) => x.flag !== 'stale')).map(([id]) => id);
            const review = await queue(cleo, '?reason=review&limit=500');
            expect(review.items.map((i) => i.id).sort()).to.deep.equal(flagged.sort());
            expect(review.items[0]!.review.length).to.be.greaterThan(0);
        });

    it('hides a listing from the bot and the search at once, shows it again, and keeps who did what', async () => {
        const [first] = await lonely(sam);
        expect(botIds()).to.include(first);
        const hidden = await cleo.call('POST', `/curation/${first}`, { action: 'hidden' });
        expect(hidden.status).to.equal(200);
        expect(hidden.body.decision).to.deep.include({ listingId: first, hidden: true, by: cleoId });
        expect(await lonely(sam)).to.not.include(first);
        expect(botIds()).to.not.include(first);
        expect((await sam.call('GET', `/directory/${first}`)).status).to.equal(404);
        // Nor is it published as Open Referral UK.
        const oruk = async (id: string) => (await fetch(`${web.url}/oruk/services/${id}`)).status;
        expect(await oruk(first!)).to.equal(404);
        // Still in the queue, marked hidden, so it can be shown again.
        const item = (await queue(cleo)).items.find((i) => i.id === first)!;
        expect(item.decision).to.deep.include({ hidden: true, lapsed: false, by: cleoId });
        const shown = await lee.call('POST', `/curation/${first}`, { action: 'shown' });
        expect(shown.body.decision.hidden).to.equal(false);
        expect(await lonely(sam)).to.include(first);
        expect(botIds()).to.include(first);
        expect(await oruk(first!)).to.equal(200);
        expect(shown.body.decision.audit.map((a: { action: string }) => a.action)).to.deep.equal(['hidden', 'shown']);
        expect(shown.body.decision.audit[0].actor).to.equal(cleoId);
    });

    it('makes today the check date the bot gives, so the listing leaves the stale list', async () => {
        const stale = (await queue(cleo, '?reason=stale')).items[0]!;
        const before = web.app.services.matcher.opportunity(stale.id)!.assured_date;
        expect(before).to.equal(stale.checkedOn);
        const res = await cleo.call('POST', `/curation/${stale.id}`, { action: 'checked' });
        const today = londonDay(new Date());
        expect(res.body.decision).to.deep.include({ checkedOn: today });
        expect(res.body.decision.audit.at(-1)).to.deep.include({ action: 'checked', detail: today, actor: cleoId });
        expect(web.app.services.matcher.opportunity(stale.id)!.assured_date).to.equal(today);
        const details = (await sam.call('GET', `/directory/${stale.id}`)).body.listing;
        const month = new Date(`${today}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
        expect(details.checked).to.include(month);
        expect((await queue(cleo, '?reason=stale&limit=500')).items.map((i) => i.id)).to.not.include(stale.id);
    });

    it('clears a listing\'s reports when marked fixed', async () => {
        const reported = (await queue(cleo, '?reason=reported')).items[0]!;
        const res = await cleo.call('POST', `/curation/${reported.id}`, { action: 'fixed' });
        expect(res.status).to.equal(200);
        expect((await queue(cleo, '?reason=reported')).items.map((i) => i.id)).to.not.include(reported.id);
    });

    it('keeps a listing\'s reports when one came after the last the curator saw', async () => {
        const listingId = (await lonely(cleo))[0]!;
        const seen = '2026-11-30T10:00:00.000Z';
        await web.app.stores.listingFeedback.recordReport({ listingId, problem: 'phone', at: seen, channel: 'sms' });
        const reported = (await queue(cleo, '?reason=reported&limit=500')).items.find((i) => i.id === listingId)!;
        expect(reported.reports!.lastAt).to.equal(seen);
        // Another resident reports it while the curator looks at the page.
        await web.app.stores.listingFeedback.recordReport({ listingId, problem: 'closed',
            at: '2026-11-30T10:05:00.000Z', channel: 'webchat' });
        const res = await cleo.call('POST', `/curation/${reported.id}`, { action: 'fixed', reportsUpTo: seen });
        expect(res.status).to.equal(200);
        const still = (await queue(cleo, '?reason=reported&limit=500')).items.find((i) => i.id === reported.id);
        expect(still?.reports?.count).to.equal(reported.reports!.count + 1);
        expect((await cleo.call('POST', `/curation/${reported.id}`, { action: 'fixed', reportsUpTo: 'soon' })).status)
            .to.equal(400);
    });

    it('refuses an unknown listing, an unknown action and a change without the CSRF token', async () => {
        expect((await cleo.call('POST', '/curation/no-such-listing', { action: 'hidden' })).status).to.equal(404);
        expect((await cleo.call('POST', '/curation/svc-0001', { action: 'deleted' })).status).to.equal(400);
        expect((await cleo.call('POST', '/curation/svc-0001', { action: 'hidden' }, { 'x-csrf-token': 'wrong' }))
            .status).to.equal(403);
        expect((await cleo.call('GET', '/curation?limit=100000')).status).to.equal(400);
    });
});
