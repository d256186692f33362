import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeError } from '../../src/knowledge/faults';
import {
    checkCrisisRulesText, checkNeedTaxonomyText, expandFragments, loadCrisisRules, loadNeedTaxonomy,
} from '../../src/knowledge/taxonomy';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const KNOWLEDGE = path.join(projectRoot(), 'knowledge');

/** The need ids of shared/spec/needs.json: a stable contract. */
const SPEC_NEED_IDS = [
    'loneliness', 'physical-activity', 'mental-wellbeing', 'money-debt', 'food', 'housing', 'employment', 'learning',
    'volunteering', 'arts-culture', 'nature', 'carers', 'bereavement', 'health-conditions', 'healthy-lifestyle',
    'family-parenting', 'substance-use', 'domestic-abuse', 'practical-help',
];

/** A small valid needs.json, changed by each test to break one thing. */
function needsFile(need: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
    return JSON.stringify({
        about: 'test', source: 'test',
        needs: [{
            id: 'loneliness', label: 'Loneliness and meeting people', askLabel: 'Feeling lonely',
            reflect: 'feeling lonely', terms: ['lonely'], phrases: ['no mates'], patterns: ['\\bhouse is so quiet\\b'],
            ...need,
        }],
        ...top,
    }, null, 2);
}

/** A small valid crisis.json. */
function crisisFile(kind: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
    return JSON.stringify({
        about: 'test', source: 'test',
        routes: [{ id: 'samaritans', name: 'Samaritans', how: 'Call 116 123, any time.', phone: '116 123' }],
        kinds: [{ id: 'suicide', label: 'Thoughts of suicide', routes: ['samaritans'], patterns: ['\\bkill myself\\b'],
            ...kind }],
        ...top,
    }, null, 2);
}

describe('the need taxonomy', () => {
    describe('as shipped in knowledge/needs.json', () => {
        const taxonomy = loadNeedTaxonomy(KNOWLEDGE);

        it('has every need of the spec, in the spec order', () => {
            expect(taxonomy.needs.map((n) => n.id)).to.deep.equal(SPEC_NEED_IDS);
        });

        it('gives each need words to ask with and to reflect back', () => {
            for (const need of taxonomy.needs) {
                expect(need.askLabel, need.id).to.have.length.above(3);
                expect(need.reflect, need.id).to.have.length.above(3);
            }
        });

        it('gives each need terms, phrases and patterns', () => {
            for (const need of taxonomy.needs) {
                expect(need.terms.length + need.phrases.length + need.patterns.length, need.id).to.be.above(10);
            }
        });

        it('says where its words came from', () => {
            expect(taxonomy.source).to.match(/Apache-2\.0/);
            expect(taxonomy.about).to.have.length.above(20);
        });
    });

    describe('when a record is wrong', () => {
        it('names the file, the need and the field of a bad weight', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ terms: ['lonely', { text: 'alone', weight: 2 }] }));
            expect(faults).to.have.length(1);
            expect(faults[0]).to.include({ file: 'needs.json', id: 'loneliness', field: 'terms.1.weight' });
        });

        it('names the pattern that is not a regular expression', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ patterns: ['\\bquiet (house'] }));
            expect(faults[0]).to.include({ id: 'loneliness', field: 'patterns.0.pattern' });
            expect(faults[0]?.message).to.match(/not a regular expression/);
        });

        it('rejects a pattern that would match every message', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ patterns: ['(?:lonely)?'] }));
            expect(faults[0]?.message).to.match(/matches empty text/);
        });

        it('rejects a pattern that uses a fragment the file does not define', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ patterns: ['\\bmy {relative} died\\b'] }));
            expect(faults[0]?.message).to.match(/\{relative\}/);
        });

        it('rejects a term of more than one word', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ terms: ['no mates'] }));
            expect(faults[0]).to.include({ field: 'terms.0.text' });
        });

        it('rejects a need id used twice', () => {
            const text = JSON.stringify({ about: 'a', source: 'b', needs: [
                { id: 'food', label: 'Food', askLabel: 'Food', reflect: 'food' },
                { id: 'food', label: 'Food', askLabel: 'Food', reflect: 'food' },
            ] });
            expect(checkNeedTaxonomyText(text).faults[0]).to.include({ id: 'food', field: 'id' });
        });

        it('names an unknown field so a misspelling is caught', () => {
            const { faults } = checkNeedTaxonomyText(needsFile({ phrazes: ['no mates'] }));
            expect(faults[0]).to.include({ id: 'loneliness', field: 'phrazes' });
        });

        it('says so when the file is not JSON', () => {
            expect(checkNeedTaxonomyText('{ "about": ').faults[0]?.message).to.match(/not valid JSON/);
        });
    });

    describe('when loading a folder with a bad needs.json', () => {
        let dir: { dir: string; remove: () => void };
        beforeEach(() => { dir = tempDir('signpost-taxonomy-'); });
        afterEach(() => dir.remove());

        it('throws an error that names the file, the need and the field', () => {
            fs.writeFileSync(path.join(dir.dir, 'needs.json'), needsFile({ reflect: '' }));
            expect(() => loadNeedTaxonomy(dir.dir))
                .to.throw(KnowledgeError, /needs\.json.*record loneliness.*field reflect/);
        });

        it('throws when the file is missing', () => {
            expect(() => loadNeedTaxonomy(dir.dir)).to.throw(KnowledgeError, /needs\.json: is missing/);
        });

        it('loads a good file, filling in default weights', () => {
            fs.writeFileSync(path.join(dir.dir, 'needs.json'), needsFile());
            const taxonomy = loadNeedTaxonomy(dir.dir);
            expect(taxonomy.defaultWeights).to.deep.equal({ term: 0.8, phrase: 0.85, pattern: 0.85 });
            expect(taxonomy.needs[0]?.terms).to.deep.equal([{ text: 'lonely' }]);
        });
    });
});

describe('the crisis rules', () => {
    describe('as shipped in knowledge/crisis.json', () => {
        const rules = loadCrisisRules(KNOWLEDGE);

        it('covers suicide, self-harm, overdose, harm to a child, danger at home and medical emergencies', () => {
            expect(rules.kinds.map((k) => k.id)).to.include.members(
                ['suicide', 'self-harm', 'overdose', 'child-at-risk', 'danger-at-home', 'medical-emergency']);
        });

        it('has the UK routes with their numbers', () => {
            const byId = new Map(rules.routes.map((r) => [r.id, r]));
            expect(byId.get('emergency-999')?.phone).to.equal('999');
            expect(byId.get('samaritans')?.phone).to.equal('116 123');
            expect(byId.get('shout')).to.include({ sms: '85258', smsText: 'SHOUT' });
            expect(byId.get('domestic-abuse-helpline')?.phone).to.equal('0808 2000 247');
            expect(byId.get('nspcc')?.phone).to.equal('0808 800 5000');
            expect(byId.get('childline')?.phone).to.equal('0800 1111');
            expect(byId.get('nhs-111-mental-health')?.how).to.match(/option 2/);
        });

        it('sends every kind to 999 first', () => {
            for (const kind of rules.kinds) {
                expect(kind.routes[0], kind.id).to.equal('emergency-999');
            }
        });

        it('credits the Suicide Risk Lexicon and its licence', () => {
            expect(rules.source).to.match(/Suicide Risk Lexicon/).and.match(/Apache-2\.0/);
        });
    });

    describe('when a record is wrong', () => {
        it('names the kind and field of a route it does not define', () => {
            const { faults } = checkCrisisRulesText(crisisFile({ routes: ['samaritans', 'childline'] }));
            expect(faults[0]).to.include({ file: 'crisis.json', id: 'suicide', field: 'routes.1' });
        });

        it('names the kind and field of a broken pattern', () => {
            const { faults } = checkCrisisRulesText(crisisFile({ patterns: ['\\bkill (myself'] }));
            expect(faults[0]).to.include({ id: 'suicide', field: 'patterns.0.pattern' });
        });

        it('names a route with no way to contact it', () => {
            const { faults } = checkCrisisRulesText(crisisFile({}, {
                routes: [{ id: 'samaritans', name: 'Samaritans', how: 'Talk to someone.' }],
            }));
            expect(faults[0]).to.include({ id: 'samaritans', field: 'phone' });
        });

        it('names helper lines for a kind it does not define', () => {
            const helping = { other: ['\\bmy friend\\b'], self: ['\\bmyself\\b'], child: ['\\bmy son\\b'],
                intro: 'Here is how to help.', lines: ['Call 999.'], childLine: 'Childline: 0800 1111.',
                kindLines: { 'child-harm': ['Call the NSPCC.'] } };
            const { faults } = checkCrisisRulesText(crisisFile({}, { helping }));
            expect(faults[0]).to.include({ id: 'helping', field: 'helping.kindLines.child-harm' });
        });

        it('names a lethal-means entry with an unknown kind', () => {
            const { faults } = checkCrisisRulesText(crisisFile({}, { means: [{ text: 'noose', kind: 'hanging' }] }));
            expect(faults[0]).to.include({ id: 'noose', field: 'means.0.kind' });
        });

        it('throws on load, naming file, record and field', () => {
            const dir = tempDir('signpost-crisis-');
            try {
                fs.writeFileSync(path.join(dir.dir, 'crisis.json'), crisisFile({ label: '' }));
                expect(() => loadCrisisRules(dir.dir))
                    .to.throw(KnowledgeError, /crisis\.json.*record suicide.*field label/);
            } finally {
                dir.remove();
            }
        });
    });
});

describe('pattern fragments', () => {
    it('puts a fragment in as a group', () => {
        expect(expandFragments('\\bmy {relative} died', { relative: 'mum|dad' })).to.equal('\\bmy (?:mum|dad) died');
    });

    it('leaves regular-expression counts alone', () => {
        expect(expandFragments('a{2}b{1,3}', {})).to.equal('a{2}b{1,3}');
    });
});
