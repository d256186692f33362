import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadNeedTaxonomy } from '../../src/knowledge/taxonomy';
import { deriveTaxonomyMap, formatTaxonomyMap } from '../../src/import/derive-taxonomy-map';
import {
    activitiesNamed, checkTaxonomyMapText, loadTaxonomyMap, recogniseTerm, TAXONOMY_MAP_FILE,
} from '../../src/import/taxonomy-map';
import type { TermRef } from '../../src/import/taxonomy-map';
import { projectRoot } from '../../src/paths';
import { SHARED_DATA } from './helpers';

const KNOWLEDGE = path.join(projectRoot(), 'knowledge');
const FILE = path.join(KNOWLEDGE, TAXONOMY_MAP_FILE);

describe('the shipped taxonomy map (knowledge/taxonomy-map.json)', () => {
    const needIds = loadNeedTaxonomy(KNOWLEDGE).needs.map((n) => n.id);
    const map = loadTaxonomyMap(FILE, needIds);

    it('is valid and names only need ids the taxonomy knows', () => {
        expect(checkTaxonomyMapText(fs.readFileSync(FILE, 'utf8'), needIds).faults).to.deep.equal([]);
    });

    it('names its sources and licences', () => {
        for (const vocabulary of Object.values(map.file.vocabularies)) {
            expect(vocabulary.source).to.match(/licen[cs]e|CC BY|OGL/i);
        }
    });

    it('is what the derivation makes from the shared lists, so it can be made again', function () {
        if (!fs.existsSync(path.join(SHARED_DATA, 'esd-lga-services-list'))) {
            console.log('      (skipped: the shared lists are not here)');
            this.skip();
        }
        expect(formatTaxonomyMap(deriveTaxonomyMap(SHARED_DATA))).to.equal(fs.readFileSync(FILE, 'utf8'));
    });

    it('faults a need id the taxonomy does not know', () => {
        const text = fs.readFileSync(FILE, 'utf8').replace('"needs":["learning"]', '"needs":["astrology"]');
        const faults = checkTaxonomyMapText(text, needIds).faults;
        expect(faults.length).to.be.above(0);
        expect(faults[0]?.message).to.include('astrology');
    });

    describe('when a feed gives a term', () => {
        it('recognises an LGA service type by CURIE, by URI and by vocabulary name', () => {
            const needs = (ref: TermRef): string[] | undefined => recogniseTerm(ref, map).term?.needs;
            expect(needs({ id: 'esdServiceType:1818' })).to.deep.equal(['food']);
            expect(needs({ uri: 'http://id.esd.org.uk/service/1818' })).to.deep.equal(['food']);
            expect(needs({ id: '1818', vocabulary: 'esdServiceTypes' })).to.deep.equal(['food']);
        });

        it('knows an LGA council function but gives it no need', () => {
            expect(recogniseTerm({ id: 'esdServiceType:372', name: 'Abandoned vehicles' }, map))
                .to.deep.equal({ vocabulary: 'esdServiceType', key: '372' });
        });

        it('recognises an OpenActive activity by id or by label, and an LGA need', () => {
            expect(recogniseTerm({ id: 'openActiveActivity:95092977-5a20-4d6e-b312-8fddabe71544' }, map).term?.label)
                .to.equal('Walking');
            expect(recogniseTerm({ name: 'walking football', vocabulary: 'OpenActive' }, map).term?.label)
                .to.equal('Walking Football');
            expect(recogniseTerm({ id: 'esdNeed:5', name: 'Loneliness' }, map).vocabulary).to.equal('esdNeed');
        });

        it('finds OpenActive activities named in a service\'s name, longest first, not everyday words', () => {
            expect(activitiesNamed('Over 50\'s Walking Football', map).map((t) => t.label))
                .to.deep.equal(['Walking Football']);
            expect(activitiesNamed('Victor House', map)).to.deep.equal([]);
        });
    });
});
