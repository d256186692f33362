import { expect } from 'chai';
import type { Opportunity } from '../../src/knowledge/schema';
import { buildDirectoryIndex, rankOpportunities } from '../../src/matching/rank';

/** Two lunch clubs: one says it is free, the other's directory gave no price at all. */
function listings(): Opportunity[] {
    const base = {
        organization: { name: 'Test' }, needs: ['loneliness'], keywords: [], attending_type: ['in-person' as const],
        schedules: [], cost_options: [], accessibility: [], welcome: [], assured_date: '2026-10-01',
        description: 'A friendly lunch club with a hot meal and a chat.',
    };
    return [
        { ...base, id: 'free-club', name: 'Free Lunch Club' },
        { ...base, id: 'unknown-club', name: 'Lunch Club', cost_unknown: true },
    ];
}

describe('when a directory gives no price for a listing', () => {
    const index = buildDirectoryIndex(listings());
    const lonely = [{ id: 'loneliness', score: 0.9, evidence: [] }];

    it('never calls it free, and says to ask', () => {
        const { results } = rankOpportunities(index, { needs: lonely, prefs: {}, today: '2026-11-01' });
        const unknown = results.find((r) => r.id === 'unknown-club');
        expect(unknown?.why).to.not.include('free');
        expect(unknown?.why).to.include('ask them about the cost');
        expect(results.find((r) => r.id === 'free-club')?.why).to.include('free');
    });

    it('still offers it to a resident who wants free things, below the free one', () => {
        const outcome = rankOpportunities(index, { needs: lonely, prefs: { freeOnly: true }, today: '2026-11-01' });
        expect(outcome.results.map((r) => r.id)).to.deep.equal(['free-club', 'unknown-club']);
        expect(outcome.widened).to.deep.equal([]);
    });
});
