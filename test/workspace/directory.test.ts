/**
 * The directory from the workspace: searched with the bot's engine, filters and reasons; a listing's details; and
 * chosen listings sent to the resident in their chat, recorded on the request as suggested by the connector.
 */
import { expect } from 'chai';
import { whySentences } from '../../src/conversation/describe';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from './helpers';

describe('the workspace directory search', function () {
    this.timeout(60_000);
    let web: WebServer;
    let sam: ApiClient;
    let samId: string;

    before(async () => {
        web = await startWebServer();
        samId = (await addUser(web.app, 'Sam')).id;
        sam = new ApiClient(web.url);
        await sam.signIn('sam@example.org');
    });
    after(async () => web?.stop());

    it('finds what the bot would, in its order, with the same reasons, for words or a need', async () => {
        const res = await sam.call('GET', '/directory?text=' + encodeURIComponent('I feel lonely since my wife died'));
        expect(res.status).to.equal(200);
        expect(res.body.needs.map((n: { id: string }) => n.id)).to.include('loneliness');
        expect(res.body.needs.find((n: { id: string }) => n.id === 'loneliness').label)
            .to.equal('Feeling lonely or wanting company');
        // The engine itself, asked as the bot asks it, gives the same listings in the same order and reasons.
        const m = web.app.services.matcher;
        const text = 'I feel lonely since my wife died';
        const engine = m.rank({ needs: m.detectNeeds(text), text, prefs: m.readWishes(text), limit: 5, offset: 0 });
        expect(res.body.results.map((r: { id: string }) => r.id)).to.deep.equal(engine.results.map((r) => r.id));
        expect(res.body.results[0].why).to.deep.equal(whySentences(engine.results[0]!.reasons!, web.app.knowledge.wording));
        expect(res.body.results[0]).to.include.keys('name', 'where', 'when', 'cost', 'why', 'n');
        expect(res.body.results[0].n).to.equal(1);
        // A need by its label instead of words; the next page numbers on.
        const byNeed = await sam.call('GET', '/directory?need=' + encodeURIComponent('Feeling lonely or wanting company')
            + '&offset=5');
        expect(byNeed.body.needs).to.deep.equal([{ id: 'loneliness', label: 'Feeling lonely or wanting company' }]);
        expect(byNeed.body.results[0].n).to.equal(6);
    });

    it('applies the bot\'s filters: a place (or says it is unknown), free only', async () => {
        const near = await sam.call('GET', '/directory?text=lonely&place=BS5');
        expect(near.body).to.deep.include({ place: 'BS5', placeUnknown: false });
        expect(near.body.results.some((r: { where: string }) => /km away|in your area/.test(r.where))).to.equal(true);
        const nowhere = await sam.call('GET', '/directory?text=lonely&place=Narnia');
        expect(nowhere.body).to.deep.include({ place: null, placeUnknown: true });
        const free = await sam.call('GET', '/directory?text=lonely&free=true&limit=10');
        const freeWord = web.app.knowledge.wording.text('free');
        expect(free.body.results.length).to.be.greaterThan(0);
        for (const r of free.body.results as { cost: string; name: string }[]) {
            expect(r.cost, r.name).to.include(freeWord);
        }
    });

    it('gives one listing\'s details, and a 404 for an id it does not have; refuses without a session', async () => {
        const first = (await sam.call('GET', '/directory?text=lonely')).body.results[0];
        const res = await sam.call('GET', `/directory/${encodeURIComponent(first.id)}`);
        expect(res.status).to.equal(200);
        expect(res.body.listing).to.include({ name: first.name }).and.include.keys('description', 'checked');
        expect((await sam.call('GET', '/directory/no-such-listing')).status).to.equal(404);
        expect((await new ApiClient(web.url).call('GET', '/directory?text=lonely')).status).to.equal(401);
    });

    it('sends chosen listings to the resident in their chat, recorded as suggested by the connector', async () => {
        const channel = new FakeChannel(web.url);
        await channel.start();
        try {
            const reference = await askForAPerson(channel, 'directory-send');
            const chosen = (await sam.call('GET', '/directory?text=lonely')).body.results.slice(0, 2) as
                { id: string; name: string }[];
            const ids = chosen.map((r) => r.id);
            // Not before the request is claimed; never without the CSRF token.
            const early = await sam.call('POST', `/escalations/${reference}/suggestions`, { ids });
            expect(early.status).to.equal(409);
            expect((await sam.call('POST', `/escalations/${reference}/suggestions`, { ids }, { 'x-csrf-token': 'x' }))
                .status).to.equal(403);
            expect((await sam.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            expect((await sam.call('POST', `/escalations/${reference}/suggestions`, { ids: ['no-such'] })).status)
                .to.equal(404);
            const before = channel.replies.length;
            const res = await sam.call('POST', `/escalations/${reference}/suggestions`, { ids });
            expect(res.status).to.equal(201);
            expect(res.body.suggested).to.deep.equal(chosen.map((r) => r.name));
            const w = web.app.knowledge.wording;
            const said = channel.replies.slice(before).map((r) => r.activity.text ?? '');
            expect(said[0]).to.equal(w.text('relayStarted', { name: 'Sam' }));
            expect(said[1]).to.match(/^Sam: /).and.include(w.text('connectorSuggests'))
                .and.include(`1. ${chosen[0]!.name}`).and.include(`2. ${chosen[1]!.name}`);
            const trail = await web.app.stores.escalations.auditTrail(reference);
            expect(trail.find((a) => a.action === 'suggested')).to.deep.include({
                actor: samId, detail: chosen.map((r) => r.name).join('; '),
            });
            const chat = await web.app.stores.escalations.chat(reference);
            expect(chat!.lines.map((l) => l.action)).to.deep.equal(['message-sent']);
        } finally {
            await channel.stop();
        }
    });
});
