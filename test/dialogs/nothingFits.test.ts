import { expect } from 'chai';
import type { Opportunity } from '../../src/knowledge/schema';
import { Conversation, shippedKnowledge, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

/** A directory of two listings, so what fits and what does not is known exactly. */
function twoListings(): Opportunity[] {
    const base = {
        organization: { name: 'Test Org' },
        keywords: [],
        attending_type: ['in-person' as const],
        location: { name: 'Eastfield Hall', postal_code: 'BS5 6XX', latitude: 51.4627, longitude: -2.5585 },
        cost_options: [],
        accessibility: [],
        welcome: [],
        phone: '01632 960001',
        assured_date: '2026-10-01',
    };
    return [
        {
            ...base, id: 'only-monday', name: 'Monday Friendship Club', needs: ['loneliness'],
            description: 'A friendly club for a cup of tea and a chat.',
            schedules: [{ byday: ['MO'], opens_at: '10:00', closes_at: '12:00' }],
        },
        {
            ...base, id: 'food-only', name: 'Eastfield Pantry', needs: ['food'],
            description: 'Low-cost food shopping for local people.',
            schedules: [{ byday: ['WE'], opens_at: '13:00', closes_at: '15:00' }],
        },
    ];
}

describe('when nothing fits everything the resident asked for', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ knowledge: { ...shippedKnowledge(), opportunities: twoListings() } });
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    it('relaxes the least important preference and says so, rather than answering with nothing', async () => {
        await play(c, [
            { say: 'I feel lonely', expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('askWhere')] }, { say: 'BS5', expect: ['Monday Friendship Club'] },
        ]);
        // A time said at the results narrows them; when nothing fits it, the time is relaxed and that is said.
        const [turn] = await play(c, [{ say: 'Friday evenings', expect: ['Monday Friendship Club'] }]);
        expect(turn.all).to.include(w.text('widened', {
            widened: `${w.text('widenedTime')} and ${w.text('widenedDay')}`,
        }));
    });

    it('says nothing was found when no listing meets the need, and offers a person', async () => {
        // Nothing meets in person, so no place is asked: the answer comes straight after the need is confirmed.
        await play(c, [
            { say: 'I need help with debt', expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('noResults'), w.text('offerHandoff')], not: [w.text('askWhere')] },
        ]);
    });

    it('counts the need as unmet for the lead report, by week only', async () => {
        await play(c, [
            { say: 'I need help with debt', expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('noResults')] },
        ]);
        const counts = await app.stores.analytics.unmetSince('2000-01-03');
        expect(counts).to.have.length(1);
        expect(counts[0]).to.have.keys(['week', 'needId', 'count']);
        expect(counts[0]).to.include({ count: 1 });
        expect(counts[0]!.needId).to.be.a('string').and.not.equal('');
    });
});
