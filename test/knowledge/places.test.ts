import { expect } from 'chai';
import * as path from 'node:path';
import { checkPlaceData, loadPlaceData, parseOutcodesCsv, parsePlacesJson } from '../../src/knowledge/places';
import { KnowledgeError } from '../../src/knowledge/faults';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('loading places and postcode districts', () => {
    describe('when an outcode row is wrong', () => {
        const csv = [
            'outcode,latitude,longitude',
            'BS5,51.4614,-2.54992',
            'bs6,51.47,-2.59',
            'BS7,abc,-2.58',
            'BS8,0,0',
            'BS5,51.1,-2.1',
            'BS9,51.4',
            '',
        ].join('\n');

        it('names the file, line and field of each fault', () => {
            const { faults } = parseOutcodesCsv(csv);
            expect(faults).to.deep.equal([
                { file: 'outcodes.csv', line: 3, field: 'outcode',
                    message: 'should be a postcode district such as BS5' },
                { file: 'outcodes.csv', line: 4, field: 'latitude', message: 'should be a number, not "abc"' },
                { file: 'outcodes.csv', line: 5, field: 'latitude',
                    message: 'is 0,0, a placeholder: leave this row out' },
                { file: 'outcodes.csv', line: 6, id: 'BS5', field: 'outcode', message: 'is listed twice' },
                { file: 'outcodes.csv', line: 7, message: 'should have 3 values separated by commas, not 2' },
            ]);
        });

        it('keeps the good rows', () => {
            expect([...parseOutcodesCsv(csv).value.keys()]).to.deep.equal(['BS5']);
        });

        it('rejects a file with the wrong header', () => {
            const { faults } = parseOutcodesCsv('id,postcode,latitude,longitude\n');
            expect(faults[0]).to.include({ line: 1, field: 'header' });
        });
    });

    describe('when a place is wrong', () => {
        it('names the place, its line and the field', () => {
            const text = ['{', '"about": "x",', '"source": "y",', '"places": [',
                '{ "name": "Eastfield", "latitude": 10, "longitude": -2.5 }', ']', '}'].join('\n');
            expect(parsePlacesJson(text).faults).to.deep.equal([
                { file: 'places.json', id: 'Eastfield', line: 5, field: 'latitude', message: 'should be at least 49' },
            ]);
        });

        it('reports a name two places share', () => {
            const text = JSON.stringify({ about: 'x', source: 'y', places: [
                { name: 'Eastfield', latitude: 51.4, longitude: -2.5 },
                { name: 'Redfield', aliases: ['eastfield'], latitude: 51.4, longitude: -2.5 },
            ] });
            expect(parsePlacesJson(text).faults[0]).to.include({ id: 'Redfield', field: 'aliases' });
        });
    });

    describe('when a knowledge directory lacks its place files', () => {
        it('throws a KnowledgeError saying which are missing', () => {
            const kb = path.join(ROOT, 'test', 'fixtures', 'faulty-kb');
            expect(() => loadPlaceData(kb)).to.throw(KnowledgeError, 'places.json: is missing');
        });
    });

    describe('the shipped places and outcodes', () => {
        it('are valid, and the outcode table has every district of the sample town', () => {
            const { value, faults } = checkPlaceData(path.join(ROOT, 'knowledge'));
            expect(faults).to.deep.equal([]);
            expect(value.outcodes.size).to.be.greaterThan(2900);
            expect(value.places).to.not.be.empty;
            for (const place of value.places) {
                if (place.outcode) {
                    expect(value.outcodes.has(place.outcode), place.outcode).to.equal(true);
                }
            }
        });
    });
});
