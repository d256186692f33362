import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDirectory } from '../../src/knowledge/directory';
import { parseOutcodesCsv } from '../../src/knowledge/places';
import { DAY_CODES, TIMES_OF_DAY } from '../../src/knowledge/schema';
import type { Opportunity } from '../../src/knowledge/schema';
import { buildDirectoryIndex, FLAG } from '../../src/matching/directory-index';
import type { DirectoryIndex } from '../../src/matching/directory-index';
import { rankOpportunities } from '../../src/matching/rank';
import type { RankQuery } from '../../src/matching/rank';
import { whenFit } from '../../src/matching/schedule';
import type { ResolvedPlace } from '../../src/matching/types';

const KB = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'ranking-kb');
const TODAY = '2026-10-01';
const EASTFIELD: ResolvedPlace = { label: 'Eastfield', latitude: 51.4614, longitude: -2.54992, outcode: 'BS5' };
/** Copies of the fixture: enough for pruning and the top-k heap to matter, small enough to build in a moment. */
const COPIES = 300;

let sample: Opportunity[];
let big: DirectoryIndex;

/** The fixture many times over, each copy with its own id, name and a venue moved a little. */
function copies(count: number): Opportunity[] {
    return Array.from({ length: count }, (_, i) => {
        const base = sample[i % sample.length] as Opportunity;
        const copy: Opportunity = { ...base, id: `${base.id}-${i}`, name: `${base.name} ${i % 7}` };
        if (base.location?.latitude !== undefined && base.location.longitude !== undefined) {
            copy.location = { ...base.location, latitude: base.location.latitude + ((i % 11) - 5) * 0.01 };
        }
        return copy;
    });
}

function rank(query: Partial<RankQuery>): string[] {
    return rankOpportunities(big, { needs: [], prefs: {}, today: TODAY, ...query }).results.map((r) => r.id);
}

describe('the directory index', () => {
    before(() => {
        const outcodes = parseOutcodesCsv(fs.readFileSync(path.join(KB, 'outcodes.csv'), 'utf8')).value;
        sample = loadDirectory(KB);
        big = buildDirectoryIndex(copies(sample.length * COPIES), { outcodes });
    });

    describe('when it keeps a timetable as day and part-of-day bits', () => {
        it('agrees with whenFit for any sessions, days and times', () => {
            const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
                .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
            const session = fc.record({
                byday: fc.subarray([...DAY_CODES], { minLength: 1 }),
                opens_at: clock,
                closes_at: clock,
            });
            fc.assert(fc.property(
                fc.array(session, { maxLength: 3 }),
                fc.subarray([...DAY_CODES]),
                fc.subarray([...TIMES_OF_DAY]),
                (schedules, days, times) => {
                    const opportunity: Opportunity = { ...(sample[0] as Opportunity), schedules };
                    const index = buildDirectoryIndex([opportunity]);
                    const scheduled = ((index.columns.flags[0] as number) & FLAG.scheduled) !== 0;
                    let bits = 0;
                    for (const day of days.length ? days : DAY_CODES) {
                        for (const time of times.length ? times : TIMES_OF_DAY) {
                            bits |= 1 << (DAY_CODES.indexOf(day) * 3 + TIMES_OF_DAY.indexOf(time));
                        }
                    }
                    const fromBits = !scheduled ? 'arranged'
                        : ((index.columns.slots[0] as number) & bits) !== 0 ? 'fits' : 'misses';
                    expect(fromBits).to.equal(whenFit(schedules, days, times));
                },
            ), { numRuns: 300 });
        });
    });

    describe('when a big directory is ranked', () => {
        const lonelyNear: Partial<RankQuery> = {
            needs: [{ id: 'loneliness', score: 0.9, evidence: [] }],
            text: 'a cup of tea and a chat',
            prefs: { place: EASTFIELD, worries: ['meet-at-door'] },
        };

        it('gives a first page that is the start of a longer list', () => {
            const long = rank({ ...lonelyNear, limit: 40 });
            expect(long).to.have.length(40);
            expect(rank({ ...lonelyNear, limit: 5 })).to.deep.equal(long.slice(0, 5));
            expect(rank({ ...lonelyNear, limit: 5, offset: 5 })).to.deep.equal(long.slice(5, 10));
            expect(rank({ ...lonelyNear, limit: 7, offset: 30 })).to.deep.equal(long.slice(30, 37));
        });

        it('ranks the same however many queries ran before', () => {
            const first = rank(lonelyNear);
            rank({ needs: [{ id: 'money-debt', score: 0.8, evidence: [] }], prefs: { days: ['SA'] } });
            rank({ text: 'swimming knitting', prefs: { freeOnly: true } });
            expect(rank(lonelyNear)).to.deep.equal(first);
        });

        it('breaks ties between equal listings by name, then by position', () => {
            const outcome = rankOpportunities(big, {
                needs: [{ id: 'money-debt', score: 0.9, evidence: [] }], prefs: {}, today: TODAY, limit: 10,
            });
            const names = outcome.results.map((r) => r.name);
            expect(new Set(outcome.results.map((r) => r.score)).size).to.equal(1);
            expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b)));
        });

        it('still widens when nothing passes the firm filters', () => {
            const outcome = rankOpportunities(big, {
                needs: [{ id: 'money-debt', score: 0.9, evidence: [] }], prefs: { days: ['SA'] }, today: TODAY,
            });
            expect(outcome.widened).to.deep.equal(['day']);
            expect(outcome.results).to.have.length(5);
        });

        it('counts a page of nothing as a ranking, without widening', () => {
            const outcome = rankOpportunities(big, {
                needs: [{ id: 'loneliness', score: 0.9, evidence: [] }], prefs: { days: ['TU'] }, today: TODAY, limit: 0,
            });
            expect(outcome).to.deep.equal({ results: [], widened: [] });
        });
    });
});
