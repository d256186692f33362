/**
 * Issue 16 (d-correct-place): when the resident gave a place and nothing on the first page meets near it, the best
 * listing of their need that is near takes the page's last place, said as such; never above the kind they named,
 * never an irrelevant one, never without a place.
 */
import { expect } from 'chai';
import * as path from 'node:path';
import { opportunitySchema } from '../../src/knowledge/schema';
import type { Opportunity } from '../../src/knowledge/schema';
import { loadServiceTypes } from '../../src/knowledge/serviceTypes';
import { buildDirectoryIndex, rankOpportunities } from '../../src/matching/rank';
import type { NeedScore, ResolvedPlace } from '../../src/matching/types';

const SHIPPED = path.join(__dirname, '..', '..', '..', 'knowledge');
const types = loadServiceTypes(SHIPPED);
const TODAY = '2026-10-01';
const HERE: ResolvedPlace = { label: 'Eastfield', latitude: 51.46, longitude: -2.55, outcode: 'BS5' };
const active: NeedScore[] = [{ id: 'physical-activity', score: 0.85, evidence: ['walking'] }];

/** A listing at a point `dLat` degrees north of HERE (0.01 is about 1.1 km). */
function at(id: string, name: string, needs: string[], dLat: number, extra: object = {}): Opportunity {
    return opportunitySchema.parse({
        id, name, description: `${name}. Everyone welcome.`, needs, organization: { name: 'Test' },
        attending_type: ['in-person'], assured_date: '2026-09-01',
        location: { latitude: HERE.latitude + dLat, longitude: HERE.longitude }, ...extra,
    });
}

const walks = [
    at('walk-1', 'Riverside Walking Group', ['physical-activity'], 0.03),
    at('walk-2', 'Hillcrest Walking Group', ['physical-activity'], 0.035),
    at('walk-3', 'Southfields Walking Group', ['physical-activity'], 0.04),
    at('walk-4', 'Moor Walking Group', ['physical-activity'], 0.045),
];
const gymNear = at('gym-near', 'Eastfield Chair Exercise', ['physical-activity'], 0.004);
const knitNear = at('knit-near', 'Eastfield Knit and Natter', ['loneliness'], 0.001);
const query = (extra: object = {}) => ({
    needs: active, text: 'I\'d like to join a walking group', prefs: { place: HERE }, today: TODAY,
    limit: 3, nearbySlot: 3, ...extra,
});

describe('ranking: something near the resident on the first page', () => {
    it('puts the best nearby listing of their need last on the first page, and says it is near', () => {
        const index = buildDirectoryIndex([...walks, gymNear, knitNear], { serviceTypes: types });
        const { results } = rankOpportunities(index, query());
        expect(results.map((r) => r.id)).to.deep.equal(['walk-1', 'walk-2', 'gym-near']);
        const near = results[2]!;
        expect(near.reasons?.[0]?.kind).to.equal('near');
        expect(near.why[0]).to.match(/near you/);
        expect(near.distanceKm).to.be.below(1.5);
    });

    it('moves the listing it pushed down to the next page, with nothing shown twice', () => {
        const index = buildDirectoryIndex([...walks, gymNear, knitNear], { serviceTypes: types });
        const first = rankOpportunities(index, query()).results.map((r) => r.id);
        const second = rankOpportunities(index, query({ offset: 3 })).results.map((r) => r.id);
        expect(second).to.deep.equal(['walk-3', 'walk-4']);
        expect(new Set([...first, ...second]).size).to.equal(first.length + second.length);
    });

    it('does nothing when the first page already has something near', () => {
        const closeWalk = at('walk-close', 'Eastfield Walking Group', ['physical-activity'], 0.01);
        const index = buildDirectoryIndex([...walks, closeWalk, gymNear], { serviceTypes: types });
        const ids = rankOpportunities(index, query()).results.map((r) => r.id);
        expect(ids).to.not.include('gym-near');
        expect(ids[0]).to.equal('walk-close');
    });

    it('does nothing when the one near is hardly nearer than the page (1.4 km against 1.6 km)', () => {
        const justOver = [
            at('walk-a', 'Riverside Walking Group', ['physical-activity'], 0.0145),
            at('walk-b', 'Hillcrest Walking Group', ['physical-activity'], 0.02),
            at('walk-c', 'Southfields Walking Group', ['physical-activity'], 0.025),
        ];
        const gymJustNear = at('gym-1.4', 'Eastfield Chair Exercise', ['physical-activity'], 0.0126);
        const index = buildDirectoryIndex([...justOver, gymJustNear], { serviceTypes: types });
        const { results } = rankOpportunities(index, query());
        expect(results[0]?.distanceKm).to.be.above(1.5);
        expect(results.map((r) => r.id)).to.not.include('gym-1.4');
    });

    it('never adds a listing that meets none of their needs, however near', () => {
        const index = buildDirectoryIndex([...walks, knitNear], { serviceTypes: types });
        const ids = rankOpportunities(index, query()).results.map((r) => r.id);
        expect(ids).to.deep.equal(['walk-1', 'walk-2', 'walk-3']);
    });

    it('never adds one that leaves them out (a children\'s service for an adult)', () => {
        const kids = at('kids-near', 'Eastfield Kids Sport', ['physical-activity'], 0.002,
            { eligibility_description: 'Children aged 5 to 11' });
        const index = buildDirectoryIndex([...walks, kids], { serviceTypes: types });
        expect(index.listings.find((l) => l.opportunity.id === 'kids-near')?.eligibility?.children).to.equal(true);
        const ids = rankOpportunities(index, query({ prefs: { place: HERE, who: { age: 70 } } })).results
            .map((r) => r.id);
        expect(ids).to.not.include('kids-near');
    });

    it('does nothing when no place was given, or when the caller does not ask for it', () => {
        const index = buildDirectoryIndex([...walks, gymNear], { serviceTypes: types });
        expect(rankOpportunities(index, query({ prefs: {} })).results.map((r) => r.id)).to.not.include('gym-near');
        const { nearbySlot: _unused, ...plain } = query();
        expect(rankOpportunities(index, plain).results.map((r) => r.id)).to.deep.equal(['walk-1', 'walk-2', 'walk-3']);
    });
});
