import { expect } from 'chai';
import * as path from 'node:path';
import { labelService, loadServiceLabeller } from '../../src/import/labeller';
import type { ServiceLabeller } from '../../src/import/labeller';
import { loadNeedTaxonomy } from '../../src/knowledge/taxonomy';
import { scoreNeeds } from '../../src/cli/evalImportNeeds';

const SHIPPED = path.join(__dirname, '..', '..', '..', 'knowledge');
const known = new Set(loadNeedTaxonomy(SHIPPED).needs.map((n) => n.id));
const labeller = loadServiceLabeller(SHIPPED, known) as ServiceLabeller;
const needsOf = (name: string, description: string): string[] =>
    labelService({ name, description }, labeller).map((n) => n.need);

describe('the service labeller (knowledge/service-needs.json)', () => {
    it('is shipped, and every need it names is one the taxonomy knows', () => {
        expect(labeller).to.not.equal(undefined);
        const all = loadServiceLabeller(SHIPPED) as ServiceLabeller;
        const named = new Set([...all.phrases.values()].flatMap((entries) => entries.map((e) => e.need)));
        expect([...named].filter((need) => !known.has(need))).to.deep.equal([]);
        // A folder written before the file existed has none: the importer then reads words as it did before.
        expect(loadServiceLabeller(path.join(SHIPPED, 'directory'))).to.equal(undefined);
    });

    describe('does not read the words the residents\' lexicon misread on a real feed (issue 17)', () => {
        const cases: [string, string, string, string][] = [
            ['"email" is not learning', 'Walking Football', 'Gentle football for over 50s. Email us to join.',
                'learning'],
            ['"book" is not arts', 'Chair Yoga', 'Seated yoga for all abilities. Book your place online.', 'arts-culture'],
            ['"park" and "wood" are not nature', 'Monday Meet', 'Meet at the park gates by the woods.', 'nature'],
            ['"university" is not learning', 'Brigg Hub', 'Run by the university and a local charity.', 'learning'],
            ['"park" is not nature beside a need', 'Debt Advice Drop-in', 'Free debt advice. Free car park.', 'nature'],
            ['"charity" is not volunteering', 'Food Bank', 'Emergency food parcels from a local charity.',
                'volunteering'],
            ['"friend" and "company" in a gig are not loneliness', 'Jazz Night',
                'A great night out: bring a friend, good company and live jazz.', 'loneliness'],
        ];
        for (const [title, name, description, wrong] of cases) {
            it(title, () => {
                expect(needsOf(name, description)).to.not.include(wrong);
            });
        }
    });

    describe('reads the words services use', () => {
        const cases: [string, string, string][] = [
            ['Coffee and chat', 'Pop in on Thursday mornings at the church hall.', 'loneliness'],
            ['Barton Women\'s Institute', 'We meet on the second Tuesday of the month.', 'loneliness'],
            ['Taiji', 'Slow flowing movement for balance, on Mondays at 10am.', 'physical-activity'],
            ['Village Hall Mornings', 'General chat with neighbours over a hot drink.', 'loneliness'],
        ];
        for (const [name, description, need] of cases) {
            it(`"${name}": ${need}`, () => {
                expect(needsOf(name, description)).to.include(need);
            });
        }
    });

    it('weighs the name and the first sentence above a mention deep in the description', () => {
        const labelled = labelService({
            name: 'Knit and Natter',
            description: 'Bring your knitting and have a natter. Some members also volunteer at the library, and '
                + 'one used to run a debt advice line.',
        }, labeller);
        expect(labelled[0]?.need).to.be.oneOf(['loneliness', 'arts-culture']);
        expect(labelled.map((n) => n.need)).to.not.include('money-debt');
        expect(labelled[0]?.where).to.equal('name');
    });

    it('gives no need when nothing in the words names one with confidence', () => {
        expect(needsOf('Parish Council Meeting', 'The monthly meeting of the parish council, open to the public.'))
            .to.deep.equal([]);
    });
});

describe('scoring need labels against gold labels (npm run eval:import)', () => {
    it('counts exact, overlapping and wrong records, the first need, and records with a need the gold lacks', () => {
        const gold = [
            { id: 'a', needs: ['loneliness'], split: 'dev' },
            { id: 'b', needs: ['food', 'money-debt'], split: 'dev' },
            { id: 'c', needs: ['nature'], split: 'dev' },
            { id: 'd', needs: [], split: 'dev' },
            { id: 'e', needs: ['learning'], split: 'dev' },
        ];
        const given = new Map([['a', ['loneliness']], ['b', ['money-debt', 'housing']], ['c', ['learning']],
            ['d', []]]);
        expect(scoreNeeds(gold, given)).to.deep.equal({
            records: 4, exact: 2, overlap: 1, wrong: 1, firstRight: 3, withWrongNeed: 2, missing: 1,
        });
    });
});
