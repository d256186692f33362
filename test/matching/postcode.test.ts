import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseOutcodesCsv, parsePlacesJson } from '../../src/knowledge/places';
import { haversineKm } from '../../src/matching/geo';
import {
    buildGazetteer, fuzzyPlace, isPostcode, isResolvedPlace, normalisePostcode, parsePostcode, POSTCODE_PATTERN,
    resolvePlace,
} from '../../src/matching/postcode';
import { shippedKnowledge } from '../helpers/app';
import type { Gazetteer } from '../../src/matching/postcode';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURE_KB = path.join(ROOT, 'test', 'fixtures', 'ranking-kb');

let gazetteer: Gazetteer;

describe('postcodes and places', () => {
    before(() => {
        // The shipped national outcode table, with the fixture's fictional places.
        const outcodes = parseOutcodesCsv(fs.readFileSync(path.join(ROOT, 'knowledge', 'outcodes.csv'), 'utf8'));
        const places = parsePlacesJson(fs.readFileSync(path.join(FIXTURE_KB, 'places.json'), 'utf8'));
        expect(outcodes.faults).to.deep.equal([]);
        expect(places.faults).to.deep.equal([]);
        gazetteer = buildGazetteer({ places: places.value, outcodes: outcodes.value });
    });

    describe('when a resident types a postcode however they like', () => {
        it('normalises "bs56xx" to "BS5 6XX"', () => {
            expect(normalisePostcode('bs56xx')).to.equal('BS5 6XX');
            expect(POSTCODE_PATTERN.test('BS5 6XX')).to.equal(true);
        });

        it('copes with odd spacing and case', () => {
            expect(normalisePostcode('  Bs5   6xX ')).to.equal('BS5 6XX');
            expect(normalisePostcode('ec1a1bb')).to.equal('EC1A 1BB');
            expect(normalisePostcode('M1 1AE')).to.equal('M1 1AE');
        });

        it('reads a district on its own as an outcode', () => {
            expect(parsePostcode('bs5')).to.deep.equal({ kind: 'outcode', outcode: 'BS5' });
            expect(parsePostcode('cf10')).to.deep.equal({ kind: 'outcode', outcode: 'CF10' });
        });

        it('splits a full postcode into district and inward code', () => {
            expect(parsePostcode('bs56xx'))
                .to.deep.equal({ kind: 'full', postcode: 'BS5 6XX', outcode: 'BS5', inward: '6XX' });
        });

        it('says words and numbers are not postcodes', () => {
            for (const input of ['hello', 'Eastfield', '12345', '', 'BS', '5BS']) {
                expect(isPostcode(input), input).to.equal(false);
            }
        });
    });

    describe('when resolving where the resident is', () => {
        it('places a full postcode at the centre of its district', () => {
            const place = resolvePlace('bs56xx', gazetteer);
            expect(place).to.deep.equal({ label: 'BS5', latitude: 51.4614, longitude: -2.54992, outcode: 'BS5' });
        });

        it('places a district on its own', () => {
            const place = resolvePlace('bs2', gazetteer);
            expect(isResolvedPlace(place) && place.label).to.equal('BS2');
        });

        it('finds a place by name or alias, in any case', () => {
            expect(resolvePlace('eastfield', gazetteer)).to.include({ label: 'Eastfield', outcode: 'BS5' });
            expect(resolvePlace('TOWN CENTRE', gazetteer)).to.include({ label: 'Brackenford' });
            expect(resolvePlace('st annes', gazetteer)).to.include({ label: "St Anne's Wood" });
        });

        it('finds a misspelt place name such as "eastfeild"', () => {
            expect(resolvePlace('eastfeild', gazetteer)).to.include({ label: 'Eastfield' });
            expect(resolvePlace('Milbrook', gazetteer)).to.include({ label: 'Millbrook' });
        });

        it('finds a place or postcode inside a short sentence', () => {
            expect(resolvePlace('I live in eastfeild', gazetteer)).to.include({ label: 'Eastfield' });
            expect(resolvePlace('my postcode is bs4 1aa thanks', gazetteer)).to.include({ label: 'BS4' });
            expect(resolvePlace('I am near bs2', gazetteer)).to.include({ label: 'BS2' });
        });

        it('prefers a place name to a road number that looks like a district', () => {
            expect(resolvePlace('Millbrook, near the B4 junction', gazetteer)).to.include({ label: 'Millbrook' });
        });

        it('does not guess a place from part of a name', () => {
            expect(resolvePlace('east', gazetteer)).to.deep.equal({ unknown: 'not-found' });
            expect(resolvePlace('in the', gazetteer)).to.deep.equal({ unknown: 'not-found' });
        });

        it('uses our own place for a district missing from the national table', () => {
            expect(resolvePlace('BS77 1AA', gazetteer)).to.deep.equal(
                { label: 'BS77', latitude: 51.47, longitude: -2.52, outcode: 'BS77' });
        });
    });

    describe('when the place cannot be found', () => {
        it('gives a value for an unknown postcode, not an error', () => {
            expect(resolvePlace('ZZ99 9ZZ', gazetteer)).to.deep.equal({ unknown: 'unknown-outcode', outcode: 'ZZ99' });
        });

        it('treats a non-geographic district (0,0 in the source) as unknown', () => {
            expect(resolvePlace('BS0', gazetteer)).to.deep.equal({ unknown: 'unknown-outcode', outcode: 'BS0' });
        });

        it('says empty input is empty, and unknown names are not found', () => {
            expect(resolvePlace('   ', gazetteer)).to.deep.equal({ unknown: 'empty' });
            expect(resolvePlace('Narnia', gazetteer)).to.deep.equal({ unknown: 'not-found' });
            expect(isResolvedPlace(resolvePlace('Narnia', gazetteer))).to.equal(false);
        });

        it('never throws, whatever it is given', () => {
            for (const input of [undefined, null, 42, {}, '💥', 'x'.repeat(10000), '%%%']) {
                expect(() => resolvePlace(input as unknown as string, gazetteer)).to.not.throw();
            }
        });
    });

    describe('when measuring distance', () => {
        it('gives about 0 km for the same point and the right order of magnitude between cities', () => {
            const bristol = { latitude: 51.4545, longitude: -2.5879 };
            const london = { latitude: 51.5074, longitude: -0.1278 };
            expect(haversineKm(bristol, bristol)).to.equal(0);
            expect(haversineKm(bristol, london)).to.be.within(168, 174);
        });
    });
});

describe('a fuzzy place-name search that looks only at names that could match', () => {
    it('finds the same place as a search of every name, for typos of every place and every few words residents wrote',
        () => {
            const knowledge = shippedKnowledge();
            const shipped = buildGazetteer(knowledge.places);
            const keys = new Set<string>();
            for (const { name } of shipped.fuzzy.getIndex().docs as unknown as { name: string }[]) {
                keys.add(name);
                for (let i = 0; i < name.length; i++) {
                    keys.add(name.slice(0, i) + name.slice(i + 1));
                    keys.add(`${name.slice(0, i)}x${name.slice(i + 1)}`);
                    keys.add(`${name.slice(0, i)}e${name.slice(i)}`);
                    keys.add(name.slice(0, i) + name.slice(i + 1, i + 2) + name.slice(i, i + 1) + name.slice(i + 2));
                }
            }
            const file = path.join(ROOT, 'test', 'fixtures', 'eval', 'paraphrases-needs.jsonl');
            const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
                .map((l) => (JSON.parse(l) as { text: string }).text);
            for (const line of lines) {
                const words = line.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
                for (let size = 1; size <= 3; size++) {
                    for (let start = 0; start + size <= words.length; start++) {
                        keys.add(words.slice(start, start + size).join(' '));
                    }
                }
            }
            let found = 0;
            for (const key of keys) {
                const everyName = shipped.fuzzy.search(key, { limit: 1 })[0];
                const best = fuzzyPlace(key, shipped);
                expect(best?.item, key).to.equal(everyName?.item);
                expect(best?.score, key).to.equal(everyName?.score);
                if (everyName) found++;
            }
            expect(keys.size).to.be.greaterThan(3000);
            expect(found).to.be.greaterThan(1000);
        });
});
