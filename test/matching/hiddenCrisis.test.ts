/**
 * Crisis words hidden by invisible characters, look-alike letters, digits for letters or missing spaces must still
 * be heard (issue 13, item 9). Property tests take every crisis phrase of the evaluation sets, hide it in each of
 * these ways, and require crisis routes.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCrisisRules, loadNeedTaxonomy } from '../../src/knowledge/taxonomy';
import { buildCrisisModel, detectCrisis } from '../../src/matching/crisis';
import { buildNeedModel, detectNeeds } from '../../src/matching/needs';
import { canonical } from '../../src/matching/text';
import { projectRoot } from '../../src/paths';

/** Seeded, so a failure is the same failure on every machine; fast-check prints the seed and the shrunk case. */
const SEED = Number(process.env.FC_SEED ?? 1301);
const RUNS = Number(process.env.FC_RUNS ?? 300);

const knowledge = path.join(projectRoot(), 'knowledge');
const model = buildCrisisModel(loadCrisisRules(knowledge));
const needModel = buildNeedModel(loadNeedTaxonomy(knowledge));

/** The evaluation sets: the shared development set (when present) and the team's two sets. */
const SETS = ['../shared/eval/dev-crisis.jsonl', 'test/fixtures/eval/paraphrases-crisis.jsonl',
    'test/fixtures/eval/heldout-crisis.jsonl'];
const PHRASES: string[] = SETS.map((file) => path.join(projectRoot(), file)).filter((file) => fs.existsSync(file))
    .flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { text: string; crisis: boolean }))
    .filter((c) => c.crisis).map((c) => c.text);

/** One of each class of format character (Cf) and default-ignorable code point. */
const INVISIBLES: Readonly<Record<string, string>> = {
    'soft hyphen': '\u00AD', 'zero-width space': '\u200B', 'zero-width non-joiner': '\u200C',
    'zero-width joiner': '\u200D', 'left-to-right mark': '\u200E', 'right-to-left mark': '\u200F',
    'right-to-left embedding': '\u202B', 'right-to-left override': '\u202E', 'pop directional formatting': '\u202C',
    'first strong isolate': '\u2068', 'word joiner': '\u2060', 'invisible times': '\u2062',
    'byte order mark': '\uFEFF', 'variation selector 16': '\uFE0F', 'variation selector 256': '\u{E01EF}',
    'tag letter': '\u{E0041}', 'Mongolian vowel separator': '\u180E', 'Arabic letter mark': '\u061C',
    'combining grapheme joiner': '\u034F', 'Hangul filler': '\u3164',
};

/** Cyrillic and Greek letters drawn like Latin ones. */
const LOOKALIKES: Readonly<Record<string, readonly string[]>> = {
    a: ['а', 'α'], c: ['с', 'ϲ'], e: ['е'], i: ['і', 'ι'], j: ['ј'], k: ['к', 'κ'], o: ['о', 'ο'], p: ['р', 'ρ'],
    s: ['ѕ'], x: ['х', 'χ'], y: ['у'], h: ['һ'], l: ['ӏ'], t: ['т', 'τ'], v: ['ν'], u: ['υ'], n: ['η'], w: ['ԝ'],
};

/** Digits and signs written for letters. */
const LEET: Readonly<Record<string, readonly string[]>> = {
    o: ['0'], i: ['1', '!'], l: ['1', '|'], e: ['3'], a: ['4', '@'], s: ['5', '$'], t: ['7'],
};

/** Positions (index into the phrase) of letters inside words, as candidates to hide. */
const letterPositions = (text: string): number[] => [...text].flatMap((c, i) => (/[a-z]/i.test(c) ? [i] : []));

/** Applies `swap` to a random, non-empty subset of the letters. */
function swapSome(text: string, picks: readonly number[], swap: (c: string, k: number) => string): string {
    const chars = [...text];
    const positions = letterPositions(text);
    for (const [n, k] of picks.entries()) {
        const at = positions[k % positions.length] as number;
        chars[at] = swap(chars[at] as string, n);
    }
    return chars.join('');
}

const phrase = fc.constantFrom(...PHRASES);
const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 6 });

/** The phrase with invisible characters of one class put inside words. */
const withInvisibles = fc.tuple(phrase, fc.constantFrom(...Object.keys(INVISIBLES)), picks).map(([p, name, at]) =>
    ({ name, text: swapSome(p, at, (c) => `${c}${INVISIBLES[name]}`) }));
/** Letters swapped for look-alikes (full words, or some letters). */
const withLookalikes = fc.tuple(phrase, picks, fc.boolean()).map(([p, at, all]) => ({
    name: 'look-alikes',
    text: all ? [...p].map((c) => LOOKALIKES[c]?.[0] ?? c).join('')
        : swapSome(p, at, (c, n) => LOOKALIKES[c.toLowerCase()]?.[n % 2] ?? c),
}));
/** Some letters of longer words written as digits or signs ("k1ll", "d13", "$uicide"); each keeps a letter. */
const withLeet = fc.tuple(phrase, picks).map(([p, at]) => ({
    name: 'leetspeak',
    text: p.replace(/[a-z']{3,}/gi, (word, offset: number) => {
        const swapped = swapSome(word, at.map((k) => k + offset), (c, n) => LEET[c.toLowerCase()]?.[n % 2] ?? c);
        return /[a-z]/i.test(swapped) ? swapped : word;
    }),
}));
/** Spaces removed: all of them, or one. */
const withoutSpaces = fc.tuple(phrase, fc.nat()).map(([p, k]) => {
    const spaces = [...p.matchAll(/ /g)].map((m) => m.index);
    const one = spaces[k % Math.max(1, spaces.length)];
    const text = k % 3 === 0 || one === undefined ? p.replace(/ /g, '') : p.slice(0, one) + p.slice(one + 1);
    return { name: 'spaces removed', text };
});
/** Letters repeated for emphasis ("kiiiill", "diiiie"). */
const withRepeats = fc.tuple(phrase, picks, fc.integer({ min: 3, max: 6 })).map(([p, at, times]) => ({
    name: 'repeated letters', text: swapSome(p, at, (c) => c.repeat(times)),
}));
/** Full-width letters, as some keyboards type them. */
const fullWidth = phrase.map((p) => ({
    name: 'full-width', text: p.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0)),
}));

/** Words of a phrase that may be hidden: letters only, three or more. */
const wordsOf = (text: string): RegExpMatchArray[] => [...text.matchAll(/(?<![a-z'])[a-z]{3,}(?![a-z'])/gi)];

/** The phrase with one word rewritten by `hide`, the word chosen by `k`. */
function hideOneWord(text: string, k: number, hide: (word: string) => string): string {
    const words = wordsOf(text);
    const word = words[k % Math.max(1, words.length)];
    if (word === undefined) return text;
    const at = word.index as number;
    return text.slice(0, at) + hide(word[0]) + text.slice(at + word[0].length);
}

/** One word spaced out or punctuated apart, letter by letter ("k i l l", "k-i-l-l", "k.i.l.l", "k_i_l_l"). */
const withSpacedLetters = fc.tuple(phrase, fc.nat(), fc.constantFrom(' ', '-', '.', '_', '*')).map(([p, k, sep]) => ({
    name: `letters apart by ${JSON.stringify(sep)}`, text: hideOneWord(p, k, (word) => [...word].join(sep)),
}));
/** One letter inside one word of four letters or more masked by a sign ("k*ll", "su#cide", "o%erdose"). */
const withMaskedLetter = fc.tuple(phrase, fc.nat(), fc.nat(), fc.constantFrom('*', '#', '%')).map(([p, k, n, sign]) =>
    ({ name: `one letter as ${sign}`, text: hideOneWord(p, k, (word) => {
        if (word.length < 4) return word;
        const at = 1 + (n % (word.length - 2));
        return word.slice(0, at) + sign + word.slice(at + 1);
    }) }));
/**
 * One word of five letters or more split in two by a space or a hyphen ("sui cidal", "sui-cidal"), each half two
 * letters or more. A split into two real words ("end less") is read as those words: not generated here.
 */
const withSplitWord = fc.tuple(phrase, fc.nat(), fc.nat(), fc.constantFrom(' ', '-')).map(([p, k, n, sep]) => ({
    name: `one word split by ${JSON.stringify(sep)}`, text: hideOneWord(p, k, (word) => {
        if (word.length < 5) return word;
        const at = 2 + (n % (word.length - 3));
        const [head, tail] = [word.slice(0, at), word.slice(at)];
        return model.whole.has(head.toLowerCase()) && model.whole.has(tail.toLowerCase()) ? word : head + sep + tail;
    }),
}));
/** A full stop after one word, and the next word capitalised ("Kill. Myself."). */
const withFullStops = fc.tuple(phrase, fc.nat()).map(([p, k]) => {
    const spaces = [...p.matchAll(/(?<=[a-z]) (?=[a-z])/gi)].map((m) => m.index as number);
    const at = spaces[k % Math.max(1, spaces.length)];
    const text = at === undefined ? `${p}.`
        : `${p.slice(0, at)}. ${(p[at + 1] as string).toUpperCase()}${p.slice(at + 2)}.`;
    return { name: 'full stops between words', text };
});

describe('hearing crisis words that are hidden', () => {
    describe('the examples of the issue', () => {
        const examples: ReadonlyArray<readonly [string, string]> = [
            ['soft hyphen', 'I feel sui\u00ADcidal'],
            ['zero-width space', 'k\u200Bill myself'],
            ['zero-width joiner', 'I want to ki\u200Dll myself'],
            ['right-to-left override', 'I want to kil\u202El myself'],
            ['digit for a letter', 'k1ll myself'],
            ['Cyrillic look-alike', 'k\u0456ll myself'],
            ['joined words', 'iwanttokillmyself'],
            ['zero-width space for a space', 'I want to kill\u200Bmyself'],
            ['full-width letters', 'ｉ ｗａｎｔ ｔｏ ｄｉｅ'],
            ['tag characters', 'sui\u{E0041}cide'],
            ['letters repeated for emphasis', 'I want to diiiiie'],
        ];
        for (const [how, text] of examples) {
            it(`answers a crisis hidden by a ${how}: ${JSON.stringify(text)}`, () => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            });
        }
    });

    it('answers every crisis phrase of the evaluation sets with invisible characters inside', () => {
        expect(PHRASES.length).to.be.greaterThan(100);
        fc.assert(fc.property(withInvisibles, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
        // And each class of character in every phrase, once.
        for (const [name, ch] of Object.entries(INVISIBLES)) {
            const missed = PHRASES.map((p) => p.replace(/([a-z])([a-z])/gi, `$1${ch}$2`))
                .filter((text) => !detectCrisis(text, model).crisis);
            expect(missed, name).to.deep.equal([]);
        }
    });

    it('answers every crisis phrase with look-alike letters of other scripts', () => {
        fc.assert(fc.property(withLookalikes, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
    });

    it('answers every crisis phrase with digits or signs for letters', () => {
        fc.assert(fc.property(withLeet, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
    });

    it('answers every crisis phrase with its spaces removed', () => {
        fc.assert(fc.property(withoutSpaces, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
    });

    it('answers every crisis phrase with letters repeated for emphasis', () => {
        fc.assert(fc.property(withRepeats, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
    });

    it('answers every crisis phrase in full-width letters, and any of these ways together', () => {
        fc.assert(fc.property(fullWidth, ({ text }) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
        const mixed = fc.tuple(withLookalikes, fc.constantFrom(...Object.values(INVISIBLES)))
            .map(([{ text }, ch]) => text.replace(/(\S)(\S)/, `$1${ch}$2`));
        fc.assert(fc.property(mixed, (text) => {
            expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
        }), { seed: SEED, numRuns: RUNS });
    });

    describe('letters spaced, split or masked, and words cut apart by full stops', () => {
        const examples = ['k-i-l-l myself', 'k.i.l.l myself', 'k i l l myself', 's u i c i d a l', 'sui cidal',
            "I'm sui-cidal", 'k*ll myself', 'Kill. Myself.', 'I took an overd ose', 'I want to commit su*cide',
            'i w a n t t o d i e', 'I feel s u i cidal'];
        for (const text of examples) {
            it(`answers a crisis written ${JSON.stringify(text)}`, () => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            });
        }

        it('answers every crisis phrase with one word spaced or punctuated apart letter by letter', () => {
            fc.assert(fc.property(withSpacedLetters, ({ text }) => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            }), { seed: SEED, numRuns: RUNS });
        });

        it('answers every crisis phrase with one letter of a word masked by *, # or %', () => {
            fc.assert(fc.property(withMaskedLetter, ({ text }) => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            }), { seed: SEED, numRuns: RUNS });
        });

        it('answers every crisis phrase with one word split in two by a space or a hyphen', () => {
            fc.assert(fc.property(withSplitWord, ({ text }) => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            }), { seed: SEED, numRuns: RUNS });
        });

        it('answers every crisis phrase with a full stop between two of its words', () => {
            fc.assert(fc.property(withFullStops, ({ text }) => {
                expect(detectCrisis(text, model).crisis, JSON.stringify(text)).to.equal(true);
            }), { seed: SEED, numRuns: RUNS });
        });

        it('does not join letters, halves or masked words into crisis words where none was meant', () => {
            for (const text of ['I am a carer', 'I live in the U K', 'my son has A D H D', 'a b c d e f',
                'p.s. see you at 5', 'e.g. the N.H.S. app', 'what a sh*t day', 'f**k this weather', '50% off food',
                '#metoo group', 'I re-do the co-op forms by e-mail', 'I feel ill. Over it now', 'I had a good day.',
                'I am so tired. Of everything at work', 'my mum is well. Myself, I am fine', 'T I R E D',
                'we went to the i c e rink', 'mum & dad. Kill time at the park', 'r e s t and relax']) {
                expect(detectCrisis(text, model).kinds, text).to.deep.equal([]);
            }
        });
    });

    describe('the same reading for needs', () => {
        it('finds a need whose words are hidden the same ways', () => {
            for (const text of ['I feel so lon\u00ADely', 'I\u200Bm so l0nely', 'I feel so l\u043Enely', 'ｌｏｎｅｌｙ']) {
                expect(detectNeeds(text, needModel).map((n) => n.id), JSON.stringify(text)).to.include('loneliness');
            }
        });
    });

    describe('what is not a hidden word', () => {
        it('keeps postcodes, times, phone numbers and text-speak as they are', () => {
            expect(canonical('meet at 5pm in bs5 6xx, call 07700 900123').text)
                .to.equal('meet at 5pm in bs5 6xx , call 07700 900123');
            expect(canonical('c u 2day b4 10am, gr8').text).to.equal('c you today before 10am , great');
        });

        it('keeps other scripts in their own letters, so they can be matched in their own language', () => {
            expect(canonical('Я хочу умереть').text).to.equal('я хочу умереть');
            expect(canonical('θέλω να πεθάνω').tokens.length).to.equal(3);
            expect(canonical('أريد أن أموت').tokens.map((t) => t.text)).to.deep.equal(['أريد', 'أن', 'أموت']);
        });

        it('does not raise an alarm for ordinary words that hide crisis words inside them', () => {
            for (const text of ['I want to learn a new skill myself', "I can't stop myself eating",
                'my therapist is nice', 'I want to spend it all on food', 'I want the deadline moved',
                'see you at the 5k run', 'I was at the skills centre', 'my kids are 5 and 7', 'I was avoiding people',
                'brooding about it', 'accommodation for over50s', 'good food at fair prices', 'goodfoodatfairprices',
                'suicidebereavementgroup', 'figurativespeech', 'this|that', 'no!']) {
                expect(detectCrisis(text, model).kinds, text).to.deep.equal([]);
            }
        });
    });
});
