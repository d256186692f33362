import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDirectory } from '../../src/knowledge/directory';
import { parseOutcodesCsv } from '../../src/knowledge/places';
import { DEFAULTS } from '../../src/matching/config';
import { buildDirectoryIndex, rankOpportunities } from '../../src/matching/rank';
import type { DirectoryIndex, RankQuery } from '../../src/matching/rank';
import type { NeedScore, Preferences, RankOutcome, ResolvedPlace } from '../../src/matching/types';

const KB = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ranking-kb');
const TODAY = '2026-10-01';
const EASTFIELD: ResolvedPlace = { label: 'Eastfield', latitude: 51.4614, longitude: -2.54992, outcode: 'BS5' };
const MANCHESTER: ResolvedPlace = { label: 'M1', latitude: 53.47862, longitude: -2.23519, outcode: 'M1' };
const LONELY: NeedScore[] = [{ id: 'loneliness', score: 0.9, evidence: ['lonely'] }];
const MONEY: NeedScore[] = [{ id: 'money-debt', score: 0.9, evidence: ['skint'] }];

let index: DirectoryIndex;

function rank(needs: NeedScore[], prefs: Preferences, extra: Partial<RankQuery> = {}): RankOutcome {
    return rankOpportunities(index, { needs, prefs, today: TODAY, limit: 20, ...extra });
}

const ids = (outcome: RankOutcome): string[] => outcome.results.map((r) => r.id);
const whyOf = (outcome: RankOutcome, id: string): string[] => outcome.results.find((r) => r.id === id)?.why ?? [];

describe('ranking opportunities', () => {
    before(() => {
        const outcodes = parseOutcodesCsv(fs.readFileSync(path.join(KB, 'outcodes.csv'), 'utf8')).value;
        index = buildDirectoryIndex(loadDirectory(KB), {
            outcodes,
            needLabels: { 'loneliness': 'feeling lonely', 'money-debt': 'money worries' },
        });
    });

    describe('when a resident says they are lonely', () => {
        it('offers listings that help with loneliness, saying so in plain words', () => {
            const outcome = rank(LONELY, {});
            expect(outcome.results).to.not.be.empty;
            for (const result of outcome.results) {
                expect(result.needs).to.include('loneliness');
            }
            expect(whyOf(outcome, 'r-cafe')[0]).to.equal('helps with: feeling lonely');
        });

        it('gives every score between 0 and 1, best first', () => {
            const outcome = rank(LONELY, { place: EASTFIELD, worries: ['meet-at-door'] }, { text: 'tea and a chat' });
            const scores = outcome.results.map((r) => r.score);
            for (const score of scores) {
                expect(score).to.be.within(0, 1);
            }
            expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
        });

        it('ranks a listing whose main need it is above one where it is a side need', () => {
            const outcome = rank(LONELY, {});
            expect(ids(outcome).indexOf('r-cafe')).to.be.lessThan(ids(outcome).indexOf('r-garden'));
        });
    });

    describe('when the resident wants free things only', () => {
        it('offers only free opportunities', () => {
            const outcome = rank(LONELY, { freeOnly: true });
            expect(ids(outcome)).to.not.include('r-lunch');
            expect(outcome.results.every((r) => r.why.includes('free'))).to.equal(true);
            expect(outcome.widened).to.deep.equal([]);
        });
    });

    describe('when the resident gives a place', () => {
        it('puts the nearer of two otherwise alike listings first', () => {
            const outcome = rank(LONELY, { place: EASTFIELD });
            const cafe = outcome.results.find((r) => r.id === 'r-cafe');
            const lunch = outcome.results.find((r) => r.id === 'r-lunch');
            expect(cafe?.distanceKm).to.be.lessThan(lunch?.distanceKm ?? 0);
            expect(ids(outcome).indexOf('r-cafe')).to.be.lessThan(ids(outcome).indexOf('r-lunch'));
        });

        it('says how far it is', () => {
            const outcome = rank(LONELY, { place: EASTFIELD });
            expect(whyOf(outcome, 'r-cafe')).to.include('0.5 km away');
            expect(outcome.results.find((r) => r.id === 'r-cafe')?.distanceKm).to.equal(0.5);
        });

        it(`leaves out listings further than ${DEFAULTS.maxDistanceKm} km`, () => {
            expect(ids(rank(LONELY, { place: EASTFIELD }))).to.not.include('r-far');
        });

        it('places a listing with only a postcode at the centre of its district', () => {
            const outcome = rank([{ id: 'physical-activity', score: 0.8, evidence: [] }], { place: EASTFIELD });
            expect(outcome.results.find((r) => r.id === 'r-swim')?.distanceKm).to.equal(0);
        });

        it('treats home visits as near and says they come to you', () => {
            const outcome = rank(LONELY, { place: MANCHESTER });
            expect(ids(outcome)).to.include('r-home');
            expect(whyOf(outcome, 'r-home')).to.include('they can visit you at home');
        });
    });

    describe('when online is fine for the resident', () => {
        it('treats online and phone listings as near', () => {
            const outcome = rank(LONELY, { place: EASTFIELD, onlineOk: true });
            const order = ids(outcome);
            expect(order.indexOf('r-online')).to.be.lessThan(order.indexOf('r-lunch'));
            expect(order.indexOf('r-phone')).to.be.lessThan(order.indexOf('r-lunch'));
            expect(whyOf(outcome, 'r-online')).to.include('online');
            expect(whyOf(outcome, 'r-phone')).to.include('by phone');
        });

        it('still offers online listings to someone far away without widening', () => {
            const outcome = rank(LONELY, { place: MANCHESTER, onlineOk: true });
            expect(ids(outcome)).to.include.members(['r-online', 'r-phone']);
            expect(ids(outcome)).to.not.include('r-cafe');
            expect(outcome.widened).to.deep.equal([]);
        });
    });

    describe('when the resident wants online only', () => {
        it('offers only online or phone listings', () => {
            const outcome = rank(LONELY, { onlineOnly: true });
            expect(ids(outcome)).to.have.members(['r-online', 'r-phone']);
        });
    });

    describe('when nothing fits every firm answer', () => {
        it('relaxes the time first and reports it in widened', () => {
            const outcome = rank(MONEY, { days: ['MO'], times: ['evening'] });
            expect(outcome.widened).to.deep.equal(['time']);
            expect(ids(outcome)).to.deep.equal(['r-debt']);
        });

        it('relaxes the day next when the day alone rules everything out', () => {
            const outcome = rank(MONEY, { days: ['SA'] });
            expect(outcome.widened).to.deep.equal(['day']);
            expect(ids(outcome)).to.deep.equal(['r-debt']);
        });

        it('relaxes the distance when everything is too far, and still says how far', () => {
            const outcome = rank(MONEY, { place: MANCHESTER });
            expect(outcome.widened).to.deep.equal(['distance']);
            expect(whyOf(outcome, 'r-debt').some((w) => / km away$/.test(w))).to.equal(true);
        });

        it('names the price of a listing offered after free was relaxed', () => {
            const outcome = rank([{ id: 'learning', score: 0.7, evidence: [] }], { freeOnly: true });
            expect(outcome.widened).to.deep.equal(['cost']);
            expect(whyOf(outcome, 'r-knit')).to.include('costs from £2');
        });

        it('does not widen anything when no listing meets the need at all', () => {
            const outcome = rank([{ id: 'housing', score: 0.9, evidence: [] }], { days: ['MO'], freeOnly: true });
            expect(outcome).to.deep.equal({ results: [], widened: [] });
        });
    });

    describe('when the resident asks for days, times and access', () => {
        it('says the day and time that fits', () => {
            const outcome = rank(LONELY, { days: ['TU'], times: ['morning'] });
            expect(whyOf(outcome, 'r-cafe')).to.include('Tuesday mornings');
            expect(ids(outcome)).to.not.include('r-stale');
        });

        it('keeps listings with no fixed times, since a time is arranged with them', () => {
            expect(ids(rank(LONELY, { days: ['SU'] }))).to.include.members(['r-phone', 'r-home']);
        });

        it('offers only places with wheelchair access, and says so', () => {
            const outcome = rank(LONELY, { access: ['wheelchair'] });
            expect(ids(outcome)).to.include('r-cafe');
            expect(ids(outcome)).to.not.include.members(['r-lunch', 'r-stale', 'r-garden']);
            expect(whyOf(outcome, 'r-cafe')).to.include('wheelchair access');
        });
    });

    describe('when the resident is nervous about going', () => {
        it('prefers listings that welcome newcomers and says how', () => {
            const outcome = rank(LONELY, { worries: ['meet-at-door'] });
            expect(ids(outcome)[0]).to.equal('r-cafe');
            expect(whyOf(outcome, 'r-cafe')).to.include('someone can meet you at the door');
        });
    });

    describe('when the resident asks for someone else (issue 18)', () => {
        it('says the reasons about them: "meet them at the door", their need\'s own words', () => {
            const them = buildDirectoryIndex(loadDirectory(KB), {
                needLabels: { 'loneliness': 'feeling lonely', 'money-debt': 'your money' },
                needLabelsThem: { 'money-debt': 'their money' },
            });
            const query = { needs: [...LONELY, ...MONEY], prefs: { worries: ['meet-at-door' as const] }, today: TODAY,
                limit: 20 };
            const theirs = rankOpportunities(them, { ...query, about: 'other' }).results.flatMap((r) => r.why);
            const yours = rankOpportunities(them, query).results.flatMap((r) => r.why);
            expect(theirs).to.include('someone can meet them at the door').and.not.include(
                'someone can meet you at the door');
            expect(theirs.join(' ')).to.include('their money').and.not.include('your money');
            expect(yours).to.include('someone can meet you at the door');
            expect(yours.join(' ')).to.include('your money').and.not.include('their money');
        });
    });

    describe('when a listing has not been checked for over a year', () => {
        it('ranks it below a fresh listing that is otherwise as good, and says so', () => {
            const outcome = rank(LONELY, {});
            expect(ids(outcome).indexOf('r-stale')).to.be.greaterThan(ids(outcome).indexOf('r-cafe'));
            expect(whyOf(outcome, 'r-stale')).to.include('not checked since March 2024');
            expect(whyOf(outcome, 'r-cafe')).to.include('last checked September 2026');
        });
    });

    describe('when no need is detected but the resident typed words', () => {
        it('ranks by the words, and says which words matched', () => {
            const outcome = rank([], {}, { text: 'I would love to do some knitting' });
            expect(ids(outcome)[0]).to.equal('r-knit');
            expect(whyOf(outcome, 'r-knit')[0]).to.equal('mentions: knitting');
        });

        it('finds different forms of a word', () => {
            expect(ids(rank([], {}, { text: 'swim' }))[0]).to.equal('r-swim');
        });

        it('offers nothing, without widening, for words that match nothing', () => {
            expect(rank([], { days: ['MO'] }, { text: 'hello there' })).to.deep.equal({ results: [], widened: [] });
        });
    });

    describe('the tunables', () => {
        it('are frozen, so no caller can change them for everyone', () => {
            expect(Object.isFrozen(DEFAULTS)).to.equal(true);
            expect(Object.isFrozen(DEFAULTS.weights)).to.equal(true);
            expect(Object.isFrozen(DEFAULTS.fieldBoosts)).to.equal(true);
        });
    });

    describe('when the resident asks for more', () => {
        it('pages through the same order with offset and limit', () => {
            const all = ids(rank(LONELY, {}));
            const second = ids(rank(LONELY, {}, { offset: 2, limit: 2 }));
            expect(second).to.deep.equal(all.slice(2, 4));
        });

        it('returns the default number of results when no limit is given', () => {
            const outcome = rankOpportunities(index, { needs: LONELY, prefs: {}, today: TODAY });
            expect(outcome.results).to.have.length(DEFAULTS.limit);
        });
    });
});
