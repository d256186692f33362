/**
 * The locales' needs lexicons (knowledge/locales/<code>/needs.json): every need of the taxonomy has words in every
 * locale, so a third language's file is checked by this run too; a fault names its file and field.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeError } from '../../src/knowledge/faults';
import { loadLocaleNeeds } from '../../src/knowledge/localeNeeds';
import { loadNeedTaxonomy } from '../../src/knowledge/taxonomy';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const knowledge = path.join(projectRoot(), 'knowledge');
const needIds = loadNeedTaxonomy(knowledge).needs.map((n) => n.id);

/** A knowledge folder with one locale's needs file. */
function folderWith(code: string, file: unknown): string {
    const { dir } = tempDir('locale-needs-');
    fs.mkdirSync(path.join(dir, 'locales', code), { recursive: true });
    fs.writeFileSync(path.join(dir, 'locales', code, 'needs.json'), JSON.stringify(file));
    return dir;
}

function faultsOf(dir: string): string[] {
    try {
        loadLocaleNeeds(dir, needIds);
    } catch (error) {
        if (error instanceof KnowledgeError) return error.faults.map((f) => `${f.file} ${f.field ?? ''} ${f.message}`);
        throw error;
    }
    return [];
}

describe('the locales\' needs lexicons', () => {
    const files = loadLocaleNeeds(knowledge, needIds);

    it('are there for Welsh and Polish (and any other locale), each with words for every need', () => {
        expect(files.map((f) => f.locale)).to.include.members(['cy', 'pl']);
        for (const f of files) {
            for (const id of needIds) {
                const lexicon = f.needs[id];
                expect(lexicon, `${f.locale} ${id}`).to.not.equal(undefined);
                const words = (lexicon?.terms.length ?? 0) + (lexicon?.phrases.length ?? 0);
                expect(words, `${f.locale} ${id}`).to.be.above(2);
            }
        }
    });

    it('say Welsh and Polish are not yet reviewed by a fluent speaker (a council must have them reviewed)', () => {
        for (const f of files.filter((l) => ['cy', 'pl'].includes(l.locale))) expect(f.reviewed, f.locale).to.equal(false);
    });

    it('name a need id that is not in the taxonomy, a pattern that does not compile, and a wrong locale', () => {
        const faults = faultsOf(folderWith('xx', {
            locale: 'yy', reviewed: false,
            needs: { 'not-a-need': { terms: ['abc'] }, loneliness: { patterns: ['(unclosed'] } },
        }));
        expect(faults.join('\n')).to.contain('locales/xx/needs.json needs.not-a-need is not a need id')
            .and.contain('needs.loneliness.patterns.0').and.contain('locale should be the folder name');
    });

    it('ask who reviewed a file marked reviewed', () => {
        expect(faultsOf(folderWith('xx', { locale: 'xx', reviewed: true, needs: {} })).join('\n'))
            .to.contain('reviewedBy');
    });

    it('fall back to the shipped ones for a knowledge folder without locales/', () => {
        const { dir } = tempDir('locale-needs-none-');
        expect(loadLocaleNeeds(dir, needIds).map((f) => f.locale)).to.deep.equal(['cy', 'pl']);
    });
});
