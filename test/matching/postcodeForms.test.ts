/**
 * Only a postcode's district is ever kept (issue 13, item 5): `districtOnly` must cut the inward code in every form
 * the bot understands, however it is spaced, punctuated or encoded, and leave alone what is not a postcode.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseOutcodesCsv } from '../../src/knowledge/places';
import {
    buildGazetteer, districtOnly, isResolvedPlace, parsePostcode, resolvePlace,
} from '../../src/matching/postcode';
import type { Gazetteer } from '../../src/matching/postcode';
import { projectRoot } from '../../src/paths';

/** Seeded, so a failure is the same failure on every machine; fast-check prints the seed and the shrunk case. */
const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = Number(process.env.FC_RUNS ?? 400);

/** Letters and digits only, upper case, after Unicode compatibility folding and with invisible characters gone. */
function compact(text: string): string {
    return text.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The outward code's district and the full postcode, as the parser reads them. */
interface Postcode {
    outcode: string;
    inward: string;
}

/** Every shape of outward code, with real districts of that shape from the shipped table. */
const SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
    ['A9', /^[A-Z]\d$/], ['A99', /^[A-Z]\d\d$/], ['AA9', /^[A-Z]{2}\d$/], ['AA99', /^[A-Z]{2}\d\d$/],
    ['A9A', /^[A-Z]\d[A-Z]$/], ['AA9A', /^[A-Z]{2}\d[A-Z]$/],
];

/** Inward letters the Royal Mail uses (never C, I, K, M, O or V). */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'.split('');

/** Ways people separate the two halves, or the characters of a postcode. */
const SEPARATORS = ['', ' ', '  ', '\t', '\u00A0', '\u202F', '\u3000', '-', '.', '/', ' - ', '\u2013', '\n', '\u200B'];

const FULL_WIDTH = (text: string): string => text.replace(/[!-~]/g,
    (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0));

let gazetteer: Gazetteer;
let districts: Map<string, string[]>;

before(() => {
    const table = parseOutcodesCsv(fs.readFileSync(path.join(projectRoot(), 'knowledge', 'outcodes.csv'), 'utf8'));
    gazetteer = buildGazetteer({ places: [], outcodes: table.value });
    districts = new Map(SHAPES.map(([shape, re]) => [shape, [...table.value.keys()].filter((o) => re.test(o))]));
});

/** A real district of each shape, and an inward code. */
const postcodes = (): fc.Arbitrary<Postcode> => fc.constantFrom(...SHAPES.map(([shape]) => shape))
    .chain((shape) => fc.record({
        outcode: fc.constantFrom(...(districts.get(shape) as string[]).slice(0, 60)),
        inward: fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...INWARD_LETTERS),
            fc.constantFrom(...INWARD_LETTERS)).map(([d, a, b]) => `${d}${a}${b}`),
    }));

/** How a resident might type it: case, separators between the halves and inside them, full-width forms. */
const typed = (p: Postcode): fc.Arbitrary<string> => fc.record({
    between: fc.constantFrom(...SEPARATORS),
    inside: fc.constantFrom('', '', ' ', '.', '\u00A0'),
    spacedOut: fc.boolean(),
    insideInward: fc.boolean(),
    lower: fc.constantFrom('upper', 'lower', 'mixed'),
    fullWidth: fc.boolean(),
}).map((o) => {
    const spaced = (part: string, sep: string) => part.split('').join(sep);
    const outward = o.spacedOut ? spaced(p.outcode, o.inside || ' ') : p.outcode;
    const inward = o.spacedOut || o.insideInward ? `${p.inward[0]}${o.inside || ' '}${p.inward.slice(1)}` : p.inward;
    let text = `${outward}${o.between}${inward}`;
    if (o.spacedOut) {
        text = `${outward}${o.between || ' '}${spaced(p.inward, o.inside || ' ')}`;
    }
    if (o.lower === 'lower') text = text.toLowerCase();
    if (o.lower === 'mixed') text = text.replace(/[A-Z]/g, (c, i: number) => (i % 2 ? c.toLowerCase() : c));
    return o.fullWidth ? FULL_WIDTH(text) : text;
});

const BEFORE = ['', 'I live at ', 'my postcode is ', 'Postcode: ', 'near ', '(', 'Hi.\n'];
const AFTER = ['', ' thanks', '.', ', can you help?', ')', '!', '\n'];

describe('keeping only the district of a postcode', () => {
    describe('when a resident types a full postcode in an unusual form', () => {
        const forms = ['BS5  6XX', 'BS5\t6XX', 'BS5\u00A06XX', 'BS5\u202F6XX', 'BS5-6XX', 'BS5.6XX', 'BS5/6XX',
            'B S 5 6 X X', 'BS5 6 XX', 'ＢＳ５ ６ＸＸ', 'bs5\u200B6xx', 'BS\u00AD5 6XX'];
        for (const form of forms) {
            it(`cuts ${JSON.stringify(form)} to its district, alone or in a sentence, and still understands it`, () => {
                // The bot understands the whole form...
                expect(parsePostcode(form), form).to.deep.include({ kind: 'full', outcode: 'BS5', inward: '6XX' });
                for (const text of [form, `I live at ${form} thanks`, `${form}, near the park`]) {
                    const cut = districtOnly(text);
                    expect(compact(cut), JSON.stringify(cut)).to.not.include('BS56XX');
                    expect(compact(cut), JSON.stringify(cut)).to.include('BS5');
                }
                // ...and the district once cut.
                const alone = districtOnly(form);
                expect(parsePostcode(alone), JSON.stringify(alone)).to.deep.equal({ kind: 'outcode', outcode: 'BS5' });
            });
        }
    });

    it('never keeps the inward code, in any format, separator, case or width, and keeps the district', () => {
        fc.assert(fc.property(
            postcodes().chain((p) => fc.tuple(fc.constant(p), typed(p), fc.constantFrom(...BEFORE),
                fc.constantFrom(...AFTER))),
            ([p, form, before, after]) => {
                expect(parsePostcode(form), form).to.deep.include({ kind: 'full', outcode: p.outcode });
                const cut = districtOnly(`${before}${form}${after}`);
                const letters = compact(cut);
                expect(letters, JSON.stringify(cut)).to.not.include(`${p.outcode}${p.inward}`);
                expect(letters, JSON.stringify(cut)).to.include(p.outcode);
                expect(parsePostcode(cut)?.kind, JSON.stringify(cut)).to.not.equal('full');
                if (before === '' && after === '') {
                    const place = resolvePlace(cut, gazetteer);
                    expect(isResolvedPlace(place) && place.outcode, JSON.stringify(cut)).to.equal(p.outcode);
                }
            },
        ), { seed: SEED, numRuns: RUNS });
    });

    it('leaves alone times, phone numbers, references, e-mail addresses and districts on their own', () => {
        const untouched = ['Tuesday at 10:30 am', 'after 6pm', 'call me on 07700 900123', 'ring 0117 496 0000',
            'my reference is SP-7K3Q9M', 'SP-2A3BCD', 'SP-23ABDE', 'ab12cd@example.com', 'me.bs56xx@example.com',
            'I am in BS5', 'near the B4 junction', 'I am 5 foot 6', 'from 9 to 5', 'room 12B', 'in BS5, free at 6pm',
            'my son is in year 7', 'A1 road'];
        for (const text of untouched) {
            expect(districtOnly(text), text).to.equal(text);
        }
    });

    it('leaves alone any reference number or phone number', () => {
        const reference = fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'.split('')),
            { minLength: 6, maxLength: 6 }).map((c) => `SP-${c.join('')}`);
        const phone = fc.tuple(fc.constantFrom('07', '01', '02', '+447', '0800 '), fc.array(
            fc.constantFrom(...'0123456789 -'.split('')), { minLength: 9, maxLength: 12 }))
            .map(([start, rest]) => `${start}${rest.join('')}`);
        fc.assert(fc.property(fc.oneof(reference, phone), fc.constantFrom(...BEFORE), fc.constantFrom(...AFTER),
            (value, before, after) => {
                const text = `${before}${value}${after}`;
                expect(districtOnly(text)).to.equal(text);
            }), { seed: SEED, numRuns: RUNS });
    });
});

describe('a postcode after a word ending in "sp", or far from its district', () => {
    /** A word ending in "sp" in any case ("wasp", "CRISP", "Lisp"), which is not a Signpost reference's "SP-". */
    const spWord = fc.tuple(
        fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
            { minLength: 1, maxLength: 8 }),
        fc.constantFrom('sp', 'SP', 'Sp', 'sP'),
    ).map(([head, end]) => `${head.join('')}${end}`);
    const between = fc.constantFrom(' ', '  ', '\n', ', ', ' - ', '-', ' -', '\u00A0');

    it('cuts a postcode in every form after any word ending in "sp" ("wasp BS5 6XX")', () => {
        for (const text of ['wasp BS5 6XX', 'crisp BS5 6XX ok', 'WASP-BS5 6XX', 'lisp  bs56xx']) {
            expect(compact(districtOnly(text)), text).to.not.match(/BS56XX/);
        }
        fc.assert(fc.property(
            postcodes().chain((p) => fc.tuple(fc.constant(p), typed(p), spWord, between, fc.constantFrom(...AFTER))),
            ([p, form, word, sep, after]) => {
                const text = `${word}${sep}${form}${after}`;
                const cut = districtOnly(text);
                expect(compact(cut), JSON.stringify(cut)).to.not.include(`${p.outcode}${p.inward}`);
                expect(compact(cut), JSON.stringify(cut)).to.include(`${p.outcode}`);
            },
        ), { seed: SEED, numRuns: RUNS });
    });

    it('still leaves alone a reference, after a word ending in "sp" or not', () => {
        const reference = fc.array(fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'.split('')),
            { minLength: 6, maxLength: 6 }).map((c) => c.join(''));
        fc.assert(fc.property(reference, fc.constantFrom('', 'wasp ', 'crisp, ', 'my ref: '),
            fc.constantFrom('SP-', 'sp-', 'SP ', 'SP', 'Sp  ', 'SP -'), fc.constantFrom(...AFTER),
            (code, before, prefix, after) => {
                const text = `${before}${prefix}${code}${after}`;
                expect(districtOnly(text)).to.equal(text);
            }), { seed: SEED, numRuns: RUNS });
    });

    it('cuts the inward code whenever the district before it is understood, however far ("BS5   -   6XX")', () => {
        const gap = fc.array(fc.constantFrom(' ', '-', '.', ',', '\t', '\n', '/', '\u00A0'),
            { minLength: 1, maxLength: 40 }).map((chars) => chars.join(''));
        fc.assert(fc.property(postcodes(), gap, fc.constantFrom(...BEFORE.filter(Boolean)), fc.constantFrom(...AFTER),
            (p, sep, before, after) => {
                const text = `${before}${p.outcode}${sep}${p.inward}${after}`;
                // The bot understands the district in this sentence...
                const place = resolvePlace(text, gazetteer);
                expect(isResolvedPlace(place) && place.outcode, JSON.stringify(text)).to.equal(p.outcode);
                // ...so the inward code that follows it must go.
                // (A message that is nothing but a postcode loses its trailing punctuation too: "(B1 0AA!" -> "(B1".)
                expect([`${before}${p.outcode}${after}`, `${before}${p.outcode}`], JSON.stringify(text))
                    .to.include(districtOnly(text));
            }), { seed: SEED, numRuns: RUNS });
        expect(districtOnly('at BS5   -   6XX')).to.equal('at BS5');
    });
});
