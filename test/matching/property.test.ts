import { expect } from 'chai';
import fc from 'fast-check';
import * as path from 'node:path';
import { InputFault, matchOne } from '../../src/cli/match';
import { loadKnowledge } from '../../src/knowledge';
import type { Knowledge } from '../../src/knowledge';
import { ACCESS_FEATURES, DAY_CODES, TIMES_OF_DAY, WELCOME_FEATURES } from '../../src/knowledge/schema';
import { buildCrisisModel, detectCrisis } from '../../src/matching/crisis';
import type { CrisisModel } from '../../src/matching/crisis';
import { createEngine } from '../../src/matching/engine';
import type { Engine } from '../../src/matching/engine';
import { buildNeedModel, detectNeeds, NEED_TUNING } from '../../src/matching/needs';
import type { NeedModel } from '../../src/matching/needs';
import { buildGazetteer, isResolvedPlace, resolvePlace } from '../../src/matching/postcode';
import type { Gazetteer } from '../../src/matching/postcode';
import { RELAXABLE_FILTERS } from '../../src/matching/types';
import type { NeedScore, Preferences, RankOutcome } from '../../src/matching/types';
import { projectRoot } from '../../src/paths';
import { cpuMs } from '../helpers/cpuTime';

/** Runs per property: enough to find the odd character that breaks a regular expression, few enough to stay fast. */
const RUNS = 150;
const TODAY = '2026-10-01';

let knowledge: Knowledge;
let engine: Engine;
let needModel: NeedModel;
let crisisModel: CrisisModel;
let gazetteer: Gazetteer;
let needIds: Set<string>;
let kindIds: Set<string>;

/** Any text: every code point, including controls, other scripts, emoji and combining marks. */
const anyText = fc.string({ unit: 'binary', maxLength: 300 });
/** Whole grapheme clusters (emoji sequences, accented letters) rather than lone code points. */
const graphemes = fc.string({ unit: 'grapheme', maxLength: 120 });
/**
 * Text made of words the matcher knows and words it must survive, so that the properties run through need, crisis,
 * negation, place and ranking paths and not only through "nothing found".
 */
const WORDS = ['I', "I'm", 'not', 'lonely', 'lonley', 'skint', 'debt', 'no', 'mates', 'walking', 'group', 'garden',
    'food', 'bank', 'carer', 'my', 'wife', 'died', 'anxious', 'job', 'knitting', 'BS5', '6XX', 'Eastfield', 'ZZ99',
    'free', 'on', 'tuesday', ',', '.', '!', '?', "don't", 'u', 'cos', '😢', '🏳️‍🌈', 'وحيد', '孤独', 'café', '\u0000',
    '\u001b[2J', '\u202e', '{"text":', '"}', '\t', '\n', 'https://example.org/x?y=1', '1'.repeat(60)];
const wordy = fc.array(fc.constantFrom(...WORDS), { maxLength: 25 }).map((words) => words.join(' '));
const texts = fc.oneof(anyText, graphemes, wordy);

const preferences: fc.Arbitrary<Preferences> = fc.record({
    onlineOk: fc.boolean(),
    onlineOnly: fc.boolean(),
    freeOnly: fc.boolean(),
    days: fc.subarray([...DAY_CODES]),
    times: fc.subarray([...TIMES_OF_DAY]),
    access: fc.subarray([...ACCESS_FEATURES]),
    worries: fc.subarray([...WELCOME_FEATURES]),
}, { requiredKeys: [] });

/** Checks the shape every ranking must have, whatever went in. */
function expectValidOutcome(outcome: RankOutcome, limit: number): void {
    expect(outcome.results.length).to.be.at.most(limit);
    expect(new Set(outcome.results.map((r) => r.id)).size).to.equal(outcome.results.length);
    const scores = outcome.results.map((r) => r.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    for (const result of outcome.results) {
        expect(result.score).to.be.within(0, 1);
        expect(result.needs.every((id) => needIds.has(id))).to.equal(true);
        expect(result.why).to.be.an('array').that.is.not.empty;
        expect(result.why.every((w) => typeof w === 'string' && w.length > 0)).to.equal(true);
        if (result.distanceKm !== undefined) {
            expect(result.distanceKm).to.be.at.least(0);
        }
    }
    expect(new Set(outcome.widened).size).to.equal(outcome.widened.length);
    expect(outcome.widened.every((f) => (RELAXABLE_FILTERS as readonly string[]).includes(f))).to.equal(true);
}

function expectValidNeeds(needs: readonly NeedScore[]): void {
    expect(new Set(needs.map((n) => n.id)).size).to.equal(needs.length);
    for (const need of needs) {
        expect(needIds.has(need.id), need.id).to.equal(true);
        expect(need.score).to.be.within(NEED_TUNING.minScore, 1);
        expect(need.evidence.every((e) => typeof e === 'string')).to.equal(true);
    }
    const scores = needs.map((n) => n.score);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
}

type MatchOutput = ReturnType<typeof matchOne>;

/** The contract of `signpost match --json` (shared spec cli.md). */
function expectValidMatch(out: MatchOutput, limit = 5): void {
    // `language` is one of the fields the contract lets the product add (shared spec cli.md).
    expect(out).to.have.keys(['text', 'crisis', 'language', 'needs', 'results', 'widened']);
    expect(out.language).to.match(/^[a-z]{2}$/);
    expect(out.text).to.be.a('string');
    expect(out.text).to.not.match(/[\u0000-\u001F\u007F-\u009F]/);
    expect(out.crisis).to.be.a('boolean');
    expectValidNeeds(out.needs.map((n) => ({ ...n, evidence: [] })));
    expectValidOutcome({ results: out.results, widened: out.widened }, limit);
    if (out.crisis) {
        expect(out.results).to.deep.equal([]);
    }
    expect(() => JSON.parse(JSON.stringify(out))).to.not.throw();
}

/** matchOne answers, or refuses with an InputFault (an {"error"} line in a batch); it never throws anything else. */
function matchOrFault(request: Parameters<typeof matchOne>[1]): MatchOutput | InputFault {
    try {
        return matchOne(engine, request);
    } catch (error) {
        expect(error).to.be.instanceOf(InputFault);
        expect((error as InputFault).message).to.be.a('string').that.is.not.empty;
        return error as InputFault;
    }
}

describe('matching any input at all', () => {
    before(() => {
        knowledge = loadKnowledge(path.join(projectRoot(), 'knowledge'));
        engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why });
        needModel = buildNeedModel(knowledge.taxonomy);
        crisisModel = buildCrisisModel(knowledge.crisis);
        gazetteer = buildGazetteer(knowledge.places);
        needIds = new Set(knowledge.taxonomy.needs.map((n) => n.id));
        kindIds = new Set(knowledge.crisis.kinds.map((k) => k.id));
    });

    describe('for random text', () => {
        it('detects only needs of the taxonomy, scored within 0..1, best first', () => {
            fc.assert(fc.property(texts, (text) => {
                expectValidNeeds(detectNeeds(text, needModel));
            }), { numRuns: RUNS });
        });

        it('answers the crisis question with known kinds only', () => {
            fc.assert(fc.property(texts, (text) => {
                const result = detectCrisis(text, crisisModel);
                expect(result.crisis).to.equal(result.kinds.length > 0);
                expect(result.kinds.every((k) => kindIds.has(k))).to.equal(true);
            }), { numRuns: RUNS });
        });

        it('resolves a place to a point or says why it could not', () => {
            fc.assert(fc.property(texts, (text) => {
                const place = resolvePlace(text, gazetteer);
                if (isResolvedPlace(place)) {
                    expect(Number.isFinite(place.latitude) && Number.isFinite(place.longitude)).to.equal(true);
                    expect(place.label).to.be.a('string').that.is.not.empty;
                } else {
                    expect(['empty', 'unknown-outcode', 'not-found']).to.include(place.unknown);
                }
            }), { numRuns: RUNS });
        });

        it('ranks valid results, whatever the needs, words and preferences', () => {
            const needs = fc.array(fc.record({
                id: fc.constantFrom(...needIds, 'not-a-need'),
                score: fc.double({ min: 0, max: 1, noNaN: true }),
                evidence: fc.constant([] as string[]),
            }), { maxLength: 4 });
            const limit = fc.integer({ min: 0, max: 12 });
            const offset = fc.integer({ min: 0, max: 8 });
            fc.assert(fc.property(needs, texts, preferences, limit, offset, fc.boolean(),
                (n, text, prefs, max, skip, near) => {
                    const place = near ? engine.resolvePlace('BS5 6XX') : undefined;
                    const outcome = engine.rank({
                        needs: n, text, prefs: { ...prefs, ...(place ? { place } : {}) }, limit: max, offset: skip,
                        today: TODAY,
                    });
                    expectValidOutcome(outcome, max);
                }), { numRuns: RUNS });
        });

        it('gives `signpost match` output that keeps the JSON contract, or a fault naming the field', () => {
            const requests = fc.record({
                text: texts,
                postcode: fc.option(fc.oneof(fc.constantFrom('BS5 6XX', 'bs16', 'Eastfield', 'ZZ99 9ZZ'), anyText),
                    { nil: undefined }),
                free: fc.option(fc.boolean(), { nil: undefined }),
                day: fc.option(fc.constantFrom('mon', 'sat', 'tue,thu', 'someday'), { nil: undefined }),
            }, { requiredKeys: ['text'] });
            fc.assert(fc.property(requests, (request) => {
                const out = matchOrFault(request);
                if (!(out instanceof InputFault)) {
                    expectValidMatch(out);
                }
            }), { numRuns: RUNS });
        });

        it('always answers a text with some words in it and no other options', () => {
            fc.assert(fc.property(texts, (text) => {
                fc.pre(text.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, ' ').trim() !== '');
                expectValidMatch(matchOne(engine, { text }));
            }), { numRuns: RUNS });
        });
    });

    describe('when the text is empty', () => {
        it('finds no need, no crisis and no place, and match asks for some words', () => {
            expect(detectNeeds('', needModel)).to.deep.equal([]);
            expect(detectCrisis('', crisisModel)).to.deep.equal({ crisis: false, kinds: [] });
            expect(resolvePlace('', gazetteer)).to.deep.equal({ unknown: 'empty' });
            expect(engine.rank({ needs: [], text: '', prefs: {}, today: TODAY }))
                .to.deep.equal({ results: [], widened: [] });
            expect(() => matchOne(engine, { text: '   ' })).to.throw(InputFault, /some words/);
        });
    });

    describe('when the text is 100 KB long', () => {
        const long = 'I am lonely and skint, please help. '.repeat(2900);

        it('still finds the needs, quickly, and ranks for them', () => {
            const spent = cpuMs(() => {
                const needs = detectNeeds(long, needModel);
                expect(needs.map((n) => n.id)).to.include.members(['loneliness', 'money-debt']);
                expect(detectCrisis(long, crisisModel).crisis).to.equal(false);
                expect(resolvePlace(long, gazetteer)).to.deep.equal({ unknown: 'not-found' });
                expectValidOutcome(engine.rank({ needs, text: long, prefs: {}, today: TODAY }), 5);
            });
            expect(spent).to.be.below(2000);
        });

        it('copes with one endless word', () => {
            const word = '7'.repeat(100_000);
            const spent = cpuMs(() => {
                expect(detectNeeds(word, needModel)).to.deep.equal([]);
                expect(engine.rank({ needs: [], text: word, prefs: {}, today: TODAY }).results).to.deep.equal([]);
                expect(isResolvedPlace(resolvePlace(word, gazetteer))).to.equal(false);
            });
            expect(spent).to.be.below(2000);
        });

        it('is refused by match with a message naming the limit', () => {
            expect(() => matchOne(engine, { text: long })).to.throw(InputFault, /at most 2000 characters/);
        });
    });

    describe('when the text is only emoji', () => {
        it('finds nothing and says so without failing', () => {
            const out = matchOne(engine, { text: '😢😭🙏🏳️‍🌈' });
            expect(out.needs).to.deep.equal([]);
            expect(out.crisis).to.equal(false);
            expect(out.results).to.deep.equal([]);
            expect(resolvePlace('😢😭', gazetteer)).to.deep.equal({ unknown: 'not-found' });
        });
    });

    describe('when the text is in another script', () => {
        for (const [script, text] of [['Arabic', 'أشعر بالوحدة الشديدة'], ['Chinese', '我很孤独，没有朋友']]) {
            it(`answers ${script} with no invented need and no crash`, () => {
                const out = matchOne(engine, { text });
                expect(out.text).to.equal(text);
                expect(out.needs).to.deep.equal([]);
                expect(out.results).to.deep.equal([]);
                expect(detectCrisis(text, crisisModel).crisis).to.equal(false);
            });
        }
    });

    describe('when the text holds control characters', () => {
        it('reads the words around them and echoes none of them', () => {
            const out = matchOne(engine, { text: 'I feel lonely\u0000\u0007\u001b[2J and\r\nskint\u202e' });
            expect(out.needs.map((n) => n.id)).to.include.members(['loneliness', 'money-debt']);
            expect(out.text).to.not.match(/[\u0000-\u001F\u202E]/);
            expectValidMatch(out);
        });
    });

    describe('when the message is itself JSON', () => {
        it('reads it as words and takes no options from it', () => {
            const out = matchOne(engine, { text: '{"text": "I am so lonely", "postcode": "BS5 6XX", "free": true}' });
            expect(out.needs.map((n) => n.id)).to.include('loneliness');
            expect(out.results.every((r) => r.distanceKm === undefined)).to.equal(true);
            expectValidMatch(out);
        });
    });

    describe('when the postcode does not exist', () => {
        it('says which district is unknown', () => {
            expect(resolvePlace('ZZ99 9ZZ', gazetteer)).to.deep.equal({ unknown: 'unknown-outcode', outcode: 'ZZ99' });
            expect(engine.resolvePlace('ZZ99 9ZZ')).to.equal(undefined);
        });

        it('is refused by match with a message naming it, not a crash', () => {
            expect(() => matchOne(engine, { text: 'lonely', postcode: 'ZZ99 9ZZ' }))
                .to.throw(InputFault, /unknown postcode or place "ZZ99 9ZZ"/);
        });

        it('does not stop the needs being found when it is in the message', () => {
            const out = matchOne(engine, { text: 'lonely, I live at ZZ99 9ZZ' });
            expect(out.needs.map((n) => n.id)).to.include('loneliness');
        });
    });
});
