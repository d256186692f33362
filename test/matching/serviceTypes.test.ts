import { expect } from 'chai';
import * as path from 'node:path';
import { opportunitySchema } from '../../src/knowledge/schema';
import type { Opportunity } from '../../src/knowledge/schema';
import { loadServiceTypes } from '../../src/knowledge/serviceTypes';
import { loadNeedTaxonomy } from '../../src/knowledge/taxonomy';
import { catchmentOf } from '../../src/matching/eligibility';
import { buildDirectoryIndex, rankOpportunities } from '../../src/matching/rank';
import { buildServiceTypeMatcher, phrasePrefixes, typesInQuery, typesOfService } from '../../src/matching/serviceTypes';
import type { NeedScore, ResolvedPlace } from '../../src/matching/types';

const SHIPPED = path.join(__dirname, '..', '..', '..', 'knowledge');
const types = loadServiceTypes(SHIPPED);
const matcher = buildServiceTypeMatcher(types);
const TODAY = '2026-10-01';

/** A listing with the schema's defaults; `needs` first is its main need. */
function listing(id: string, name: string, description: string, needs: string[], extra: object = {}): Opportunity {
    return opportunitySchema.parse({
        id, name, description, needs, organization: { name: 'Test' }, attending_type: ['in-person'],
        assured_date: '2026-09-01', ...extra,
    });
}

describe('service types (knowledge/service-types.json)', () => {
    it('loads, each type with a source, a known broad need and unique words', () => {
        const needIds = new Set(loadNeedTaxonomy(SHIPPED).needs.map((n) => n.id));
        expect(types.length).to.be.above(60);
        for (const type of types) {
            expect(type.source, type.id).to.match(/openActiveActivity:|esdServiceType:|signpost/);
            expect(needIds.has(type.need), `${type.id}: ${type.need}`).to.equal(true);
        }
    });

    it('loads as none from a folder written before the file existed', () => {
        expect(loadServiceTypes(path.join(SHIPPED, 'directory'))).to.deep.equal([]);
    });

    describe('in a resident\'s words', () => {
        const cases: [string, string][] = [
            ['tai chi', 'tai-chi'], ['taiji near me', 'tai-chi'], ['tia chi classes', 'tai-chi'],
            ['I\'m losing my hearing', 'hearing-loss'], ['hard of hearing', 'hearing-loss'], ['deaf club', 'hearing-loss'],
            ['a running club', 'running'], ['couch to 5k', 'running'], ['parkrun', 'running'], ['jogging', 'running'],
            ['support for Parkinson\'s', 'parkinsons'], ['parkinsins group', 'parkinsons'],
            ['help with my council tax bill', 'council-tax'], ['knitting group', 'knitting'], ['bowls', 'bowls'],
            ['epilepsy', 'epilepsy'], ['diabetis', 'diabetes'], ['cooking on a budget', 'cooking'],
            ['i need food for my kids', 'food-bank'], ['no food in the house', 'food-bank'],
            ['computer lessons for a beginner', 'digital-help'], ['draughts', 'board-games'],
            ['insomnia', 'sleep'], ['trouble sleeping', 'sleep'], ['post covid tiredness', 'long-covid'],
            ['chronic fatigue', 'fatigue'],
            // Falls: the kind of class a falls service sends people to, in residents' words and misspellings.
            ['i keep fallin over', 'strength-balance'], ['balance class for falls near BS9', 'strength-balance'],
            ['im unsteady on my feet', 'strength-balance'], ['get a bit steadier on me feet', 'strength-balance'],
            ['strength and balance', 'strength-balance'], ['a balence class', 'strength-balance'],
            ['my mum had a fall last month', 'strength-balance'],
        ];
        for (const [text, id] of cases) {
            it(`"${text}" names ${id}`, () => {
                expect(typesInQuery(text, matcher)).to.include(id);
            });
        }

        it('takes the longest phrase at a place: "learning disability" is not also learning or disability', () => {
            expect(typesInQuery('learning disability day activities', matcher)).to.deep.equal(['learning-disability']);
        });

        it('does not ask for a kind the resident turns down', () => {
            expect(typesInQuery('I don\'t need the food bank, I need a job club', matcher)).to.deep.equal(['job-help']);
        });

        it('reads a struggle as asking, not turning down: "can\'t afford", "can\'t pay", "don\'t know any"', () => {
            expect(typesInQuery('cant afford my energy bills', matcher)).to.deep.equal(['energy-bills']);
            expect(typesInQuery('I can\'t pay my council tax', matcher)).to.deep.equal(['council-tax']);
            expect(typesInQuery('I don\'t know any running clubs', matcher)).to.deep.equal(['running']);
            expect(typesInQuery('I can\'t cope with my debts', matcher)).to.deep.equal(['debt-advice']);
            // A refusal still turns it down.
            expect(typesInQuery('I don\'t want a running club', matcher)).to.deep.equal([]);
        });

        it('reads sleep as a problem only when it is one: "nowhere to sleep tonight" is housing, not insomnia', () => {
            expect(typesInQuery('nowhere to sleep tonight', matcher)).to.not.include('sleep');
            expect(typesInQuery('sleeping on a mate\'s sofa', matcher)).to.not.include('sleep');
        });

        it('names computers, not adult learning in general, for computer classes', () => {
            expect(typesInQuery('computer classes', matcher)).to.deep.equal(['digital-help']);
        });

        it('names no kind in a message about a feeling', () => {
            expect(typesInQuery('I\'m lonely', matcher)).to.deep.equal([]);
            expect(typesInQuery('stressed all the time, need someone to talk to', matcher)).to.deep.equal([]);
        });
    });

    describe('in a service\'s own words', () => {
        it('reads the name and the first sentence, not what a later sentence mentions in passing', () => {
            const evidence = {
                name: 'Riverside Community Hub',
                description: 'A friendly hub for everyone. We also host a monthly tai chi taster and a knitting circle.',
            };
            expect(typesOfService(evidence, matcher)).to.deep.equal([]);
            expect(typesOfService({ ...evidence, name: 'Taiji and Qigong' }, matcher)).to.deep.equal(['tai-chi']);
        });

        it('reads a falls prevention class by its name: "Tai Chi for Balance", "Strength and Balance Classes"', () => {
            expect(typesOfService({ name: 'Tai Chi for Balance', description: 'Slow, flowing moves.' }, matcher))
                .to.include.members(['tai-chi', 'strength-balance']);
            expect(typesOfService({ name: 'Strength and Balance Classes', description: 'Get stronger.' }, matcher))
                .to.include('strength-balance');
            expect(typesOfService({ name: 'Chair-Based Exercise', description: 'Gentle exercise.' }, matcher))
                .to.not.include('strength-balance');
        });

        it('reads a men\'s shed that calls itself "The Shed" or a community shed', () => {
            expect(typesOfService({ name: 'The Shed on The Isle', description: 'A creative space to tinker.' }, matcher))
                .to.deep.equal(['mens-shed']);
            expect(typesOfService({ name: 'Brigg Sheds', description: 'Community shed group: tea and tinkering.' },
                matcher)).to.deep.equal(['mens-shed']);
        });

        it('does not read a loose resident word in a service\'s prose ("we run...", "hearing")', () => {
            const evidence = { name: 'Friday Club', description: 'We run a club where everyone gets a hearing.' };
            expect(typesOfService(evidence, matcher)).to.deep.equal([]);
        });
    });
});

describe('ranking: specific beats general', () => {
    const exercise: NeedScore[] = [{ id: 'physical-activity', score: 0.9, evidence: ['exercise'] }];
    const opportunities = [
        ...['Zumba Gold', 'Circuit Training', 'Yoga for All', 'Walking Football', 'Aqua Fit'].map((name, i) =>
            listing(`gym-${i}`, name, `${name}: exercise class for all abilities, keep fit and have fun.`,
                ['physical-activity'])),
        listing('taiji', 'Taiji and Qigong', 'Gentle flowing movement in the church hall on Mondays.',
            ['healthy-lifestyle', 'physical-activity']),
    ];

    it('puts the listing of the kind the resident named first, even as a side need, under another name', () => {
        const index = buildDirectoryIndex(opportunities, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: exercise, text: 'tai chi', prefs: {}, today: TODAY });
        expect(outcome.results[0]?.id).to.equal('taiji');
    });

    it('(without the vocabulary the broad need alone decides, and the tai chi class is last)', () => {
        const index = buildDirectoryIndex(opportunities, {});
        const outcome = rankOpportunities(index, { needs: exercise, text: 'tai chi', prefs: {}, today: TODAY, limit: 6 });
        expect(outcome.results.map((r) => r.id).indexOf('taiji')).to.equal(5);
    });

    it('uses the kinds the importer tagged when a listing has them', () => {
        const tagged = opportunities.map((o) => ({ ...o, service_types: o.id === 'gym-0' ? ['tai-chi'] : [] }));
        const index = buildDirectoryIndex(tagged, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: exercise, text: 'tai chi', prefs: {}, today: TODAY });
        expect(outcome.results[0]?.id).to.equal('gym-0');
    });
});

describe('ranking: a kind the directory lacks', () => {
    const money: NeedScore[] = [{ id: 'money-debt', score: 0.96, evidence: ['bill'] }];
    const opportunities = [
        listing('reseller', 'Bills Club', 'I can help you save money on household bills. Send me an email.',
            ['money-debt']),
        listing('debtline', 'Debtline', 'Free, impartial debt advice by phone and web chat.', ['money-debt']),
    ];

    it('lets the broader kinds it names stand in: council tax trouble finds debt advice first', () => {
        const index = buildDirectoryIndex(opportunities, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: money, text: 'help with my council tax bill', prefs: {},
            today: TODAY });
        expect(outcome.results[0]?.id).to.equal('debtline');
    });

    it('(a kind the directory has is used as it is)', () => {
        const tagged = opportunities.map((o) => ({ ...o, service_types: o.id === 'reseller' ? ['council-tax'] : [] }));
        const index = buildDirectoryIndex(tagged, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: money, text: 'help with my council tax bill', prefs: {},
            today: TODAY });
        expect(outcome.results[0]?.id).to.equal('reseller');
    });

    it('puts a narrower kind named first: chess lifts the board games group, not bingo as well', () => {
        const lonely: NeedScore[] = [{ id: 'loneliness', score: 0.5, evidence: ['play'] }];
        const same = (id: string, kinds: string[]) => listing(id, 'Friday Club', 'A friendly club every Friday.',
            ['loneliness'], { service_types: kinds });
        const index = buildDirectoryIndex([same('bingo', ['games']), same('board', ['games', 'board-games']),
            same('cafe', [])], { serviceTypes: types });
        expect(typesInQuery('where can I play chess', matcher)).to.include.members(['games', 'board-games']);
        const outcome = rankOpportunities(index, { needs: lonely, text: 'where can I play chess', prefs: {},
            today: TODAY });
        const score = (id: string) => outcome.results.find((r) => r.id === id)?.score;
        expect(outcome.results[0]?.id).to.equal('board');
        // Bingo is a game but not the board game asked for: no lift over a club of no kind at all.
        expect(score('bingo')).to.equal(score('cafe'));
        // "games" names the broad kind alone: both games count.
        const broad = rankOpportunities(index, { needs: lonely, text: 'games', prefs: {}, today: TODAY });
        expect(broad.results.find((r) => r.id === 'bingo')?.score).to.be.above(
            broad.results.find((r) => r.id === 'cafe')?.score as number);
    });

    it('keeps two kinds that stand in for each other: debt and benefits advice both count', () => {
        const both = opportunities.map((o) => ({ ...o,
            service_types: o.id === 'debtline' ? ['debt-advice'] : o.id === 'reseller' ? ['benefits-advice'] : [] }));
        const index = buildDirectoryIndex(both, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: money, text: 'debt advice and benefits advice',
            prefs: {}, today: TODAY });
        expect(outcome.results.slice(0, 2).map((r) => r.id)).to.have.members(['debtline', 'reseller']);
    });

    it('names only kinds the file has as broader kinds', () => {
        const ids = new Set(types.map((t) => t.id));
        for (const type of types) {
            for (const id of type.broader) expect(ids.has(id), `${type.id} -> ${id}`).to.equal(true);
        }
    });
});

describe('ranking: businesses and one-off events below services', () => {
    const older: NeedScore[] = [{ id: 'practical-help', score: 0.6, evidence: ['older'] }];
    const opportunities = [
        listing('alarm', 'Pendant Alarms', 'Things for older people: personal alarms for older people to wear.',
            ['practical-help'],
            { looks_like: 'business', service_types: ['equipment-aids', 'older-people'] }),
        listing('club', 'Friendship Club', 'A friendly club with tea and a chat, for the over 60s.', ['practical-help'],
            { service_types: ['older-people'] }),
    ];

    it('puts a service before a business for a general question, even one of the audience named', () => {
        const index = buildDirectoryIndex(opportunities, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: older, text: 'things for older people', prefs: {},
            today: TODAY });
        expect(outcome.results.map((r) => r.id)).to.deep.equal(['club', 'alarm']);
    });

    it('keeps a business first when the resident names the kind of thing it is', () => {
        const index = buildDirectoryIndex(opportunities, { serviceTypes: types });
        expect(typesInQuery('a personal alarm for my dad', matcher)).to.include('equipment-aids');
        const outcome = rankOpportunities(index, { needs: older, text: 'a personal alarm for my dad', prefs: {},
            today: TODAY });
        expect(outcome.results[0]?.id).to.equal('alarm');
    });

    it('(without the flag the business, with more of the resident\'s words, comes first)', () => {
        const plain = opportunities.map((o) => ({ ...o, looks_like: undefined }));
        const index = buildDirectoryIndex(plain, { serviceTypes: types });
        const outcome = rankOpportunities(index, { needs: older, text: 'things for older people', prefs: {},
            today: TODAY });
        expect(outcome.results[0]?.id).to.equal('alarm');
    });
});

describe('folding words: plurals in -es', () => {
    it('"art classes" names the kind "art class" names, "a hot flush" the kind "hot flushes" names', () => {
        expect(typesInQuery('art classes', matcher)).to.deep.equal(['crafts']);
        expect(typesInQuery('a hot flush at night', matcher)).to.deep.equal(['menopause']);
    });
});

describe('ranking: places when most listings have none', () => {
    const here: ResolvedPlace = { label: 'DN15', latitude: 53.59, longitude: -0.65, outcode: 'DN15' };
    const outcodes = new Map([['DN15', { latitude: 53.59, longitude: -0.65 }], ['DN19', { latitude: 53.68, longitude: -0.32 }]]);
    const lonely: NeedScore[] = [{ id: 'loneliness', score: 0.9, evidence: ['lonely'] }];

    it('keeps a strongly relevant listing with no place above a weakly relevant one next door', () => {
        const opportunities = [
            listing('unplaced', 'Friendship Cafe', 'A friendly cafe for anyone feeling lonely.', ['loneliness']),
            listing('placed', 'Hall Hire', 'Hire the hall for parties; lonely hearts welcome.', ['practical-help'],
                { location: { postal_code: 'DN15 6XX' } }),
        ];
        const index = buildDirectoryIndex(opportunities, { outcodes });
        const outcome = rankOpportunities(index,
            { needs: lonely, text: 'lonely', prefs: { place: here }, today: TODAY });
        expect(outcome.results.map((r) => r.id)).to.deep.equal(['unplaced', 'placed']);
    });

    it('still ranks a nearby placed listing above an equally relevant one with no place', () => {
        const opportunities = [
            listing('unplaced', 'Friendship Cafe', 'A friendly cafe for anyone feeling lonely.', ['loneliness']),
            listing('placed', 'Friendship Club', 'A friendly club for anyone feeling lonely.', ['loneliness'],
                { location: { postal_code: 'DN15 6XX' } }),
        ];
        const index = buildDirectoryIndex(opportunities, { outcodes });
        const outcome = rankOpportunities(index,
            { needs: lonely, text: 'lonely', prefs: { place: here }, today: TODAY });
        expect(outcome.results.map((r) => r.id)).to.deep.equal(['placed', 'unplaced']);
    });

    it('says "in your area", not "0.0 km away", of a listing placed only by the resident\'s own district', () => {
        const opportunities = [
            listing('district', 'Friendship Club', 'A friendly club.', ['loneliness'],
                { location: { postal_code: 'DN15' } }),
            listing('exact', 'Friendship Cafe', 'A friendly cafe.', ['loneliness'],
                { location: { latitude: 53.59, longitude: -0.65 } }),
        ];
        const index = buildDirectoryIndex(opportunities, { outcodes });
        const outcome = rankOpportunities(index, { needs: lonely, prefs: { place: here }, today: TODAY });
        const district = outcome.results.find((r) => r.id === 'district');
        expect(district?.why).to.include('in your area');
        expect(district?.why.join(' ')).to.not.include('km away');
        expect(district?.inYourArea).to.equal(true);
        expect(outcome.results.find((r) => r.id === 'exact')?.why).to.include('0.0 km away');
    });

    it('ranks down a listing only for the residents of another town, and says so', () => {
        const places = [{ name: 'Goxhill', aliases: [], latitude: 53.68, longitude: -0.34 },
            { name: 'Scunthorpe', aliases: [], latitude: 53.59, longitude: -0.65 }];
        const opportunities = [
            listing('goxhill', 'Lawn Bowls Club', 'Friendly bowls, only for residents of Goxhill.', ['loneliness']),
            listing('anyone', 'Friendship Club', 'A friendly club.', ['loneliness']),
            listing('home', 'Social Club', 'A social club, only for residents of Scunthorpe.', ['loneliness']),
        ];
        const index = buildDirectoryIndex(opportunities, { outcodes, places });
        const outcome = rankOpportunities(index, { needs: lonely, prefs: { place: here }, today: TODAY });
        expect(outcome.results.map((r) => r.id).at(-1)).to.equal('goxhill');
        expect(outcome.results.find((r) => r.id === 'goxhill')?.why)
            .to.include('This one is only for people who live in Goxhill');
        expect(outcome.results.find((r) => r.id === 'home')?.why.join(' ')).to.not.include('only for people');
        // Without a place we cannot tell: nothing is ranked down.
        const nowhere = rankOpportunities(index, { needs: lonely, prefs: {}, today: TODAY });
        expect(nowhere.results.find((r) => r.id === 'goxhill')?.why.join(' ')).to.not.include('only for people');
    });
});

describe('reading a catchment from a listing\'s words', () => {
    it('reads a hyphenated town, and a long hyphenated run that names none in linear time', () => {
        const said = (description: string) => catchmentOf({ description } as Opportunity);
        expect(said('A friendly club, only for residents of Barton-upon-Humber.')).to.equal('Barton-upon-Humber');
        expect(said('Stoke-on-Trent residents only.')).to.equal('Stoke-on-Trent');
        const started = performance.now();
        expect(said(`${Array.from({ length: 40 }, () => 'Ab').join('-')} and more.`)).to.equal(undefined);
        expect(performance.now() - started).to.be.below(200);
    });
});

describe('phrasePrefixes (how a text is scanned for phrases)', () => {
    it('holds every phrase and each of its shorter word prefixes, and nothing else', () => {
        const set = phrasePrefixes(new Map([['couch to 5k', 1], ['tai chi', 2], ['bowls', 3]]));
        expect([...set].sort()).to.deep.equal(['bowls', 'couch', 'couch to', 'couch to 5k', 'tai', 'tai chi']);
    });

    it('finds a long phrase after a stretch of words that start no phrase', () => {
        const matcher = buildServiceTypeMatcher(types);
        expect(typesInQuery('well um I would really like to try a couch to 5k please', matcher)).to.include('running');
    });
});
