/**
 * Turns what a resident typed into one canonical form that the need and crisis patterns are written against:
 * lower case, straight apostrophes, hyphens as spaces, text-speak spelt out ("u" -> "you", "im" -> "i'm") and
 * negations contracted ("do not" -> "don't", "cannot" -> "can't"). Writing every pattern against one form keeps the
 * knowledge files short: an editor writes "don't" once instead of "dont|don't|do not". Text hidden from the
 * patterns is read as it looks first: invisible characters, look-alike letters of other scripts and digits for
 * letters (see unicode.ts and `Reading`). For matching only: the text shown and stored is never changed.
 */
import { foldForMatching } from '../unicode';

/** One word or punctuation mark of the canonical text, with where it sits in that text. */
export interface Token {
    /** The word as it appears in the canonical text ("don't", "walking", ","). */
    text: string;
    /** Punctuation that ends a clause: negation and phrases never reach across it. */
    boundary: boolean;
    /** Offsets in the canonical text, end exclusive. */
    start: number;
    end: number;
}

/** A text in canonical form, and its tokens. */
export interface CanonicalText {
    text: string;
    tokens: Token[];
}

/**
 * Text-speak, slang spellings and contractions typed without the apostrophe, one word to one or more words.
 * Only unambiguous ones: "ill" (unwell) and "its" stay as they are, and "wont" is almost always "won't".
 */
export const WORD_MAP: Readonly<Record<string, string>> = {
    u: 'you', ya: 'you', yu: 'you', ur: 'your', yr: 'year', yrs: 'years', r: 'are',
    im: "i'm", ive: "i've", iam: "i'm", il: "i'll", id: "i'd",
    dont: "don't", doesnt: "doesn't", didnt: "didn't", cant: "can't", cannot: "can't", couldnt: "couldn't",
    wont: "won't", wouldnt: "wouldn't", shouldnt: "shouldn't", isnt: "isn't", arent: "aren't", wasnt: "wasn't",
    werent: "weren't", havent: "haven't", hasnt: "hasn't", hadnt: "hadn't", aint: "ain't", mustnt: "mustn't",
    youre: "you're", theyre: "they're", thats: "that's", theres: "there's", whats: "what's", hes: "he's",
    shes: "she's", lets: "let's", youve: "you've", theyve: "they've", weve: "we've",
    dunno: "don't know", wanna: 'want to', gonna: 'going to', gotta: 'got to', hafta: 'have to', kinda: 'kind of',
    sorta: 'sort of', lemme: 'let me', gimme: 'give me', outta: 'out of', coulda: 'could have', shoulda: 'should have',
    idk: "i don't know", idc: "i don't care", tbh: 'to be honest', imo: 'in my opinion', atm: 'at the moment',
    pls: 'please', plz: 'please', thx: 'thanks', thnx: 'thanks', thanx: 'thanks', ty: 'thank you', ta: 'thanks',
    cos: 'because', coz: 'because', cuz: 'because', bc: 'because', b4: 'before', gr8: 'great', l8r: 'later',
    '2day': 'today', '2nite': 'tonight', tonite: 'tonight', '2moro': 'tomorrow', '2morrow': 'tomorrow',
    tmrw: 'tomorrow', tmw: 'tomorrow', abt: 'about', bout: 'about', wat: 'what', wot: 'what', wen: 'when',
    ppl: 'people', peeps: 'people', sum1: 'someone', some1: 'someone', any1: 'anyone', every1: 'everyone',
    no1: 'no one', noone: 'no one', msg: 'message', txt: 'text', luv: 'love', alot: 'a lot',
    nothin: 'nothing', somethin: 'something', anythin: 'anything', everythin: 'everything', nuthin: 'nothing',
    mom: 'mum', mam: 'mum', mummy: 'mum', mommy: 'mum', mams: 'mums', moms: 'mums', hubby: 'husband',
    missus: 'wife', missis: 'wife', bf: 'boyfriend', gf: 'girlfriend', bro: 'brother', sis: 'sister',
    mens: "men's", womens: "women's", childrens: "children's", peoples: "people's",
    n: 'and', '&': 'and', ok: 'okay', okey: 'okay', k: 'okay', kk: 'okay', hiya: 'hi', heya: 'hi', hey: 'hi',
};

/** Two or more words written short, so patterns only need the short form. Longest first where they overlap. */
const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
    [/\bcan not\b/g, "can't"],
    [/\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must) not\b/g, "$1n't"],
    [/\bwill not\b/g, "won't"],
    [/\bi am\b/g, "i'm"],
    [/\bi will\b/g, "i'll"],
    [/\bi would\b/g, "i'd"],
    [/\b(he|she|it|that|there|what) is\b/g, "$1's"],
    [/\b(you|we|they) are\b/g, "$1're"],
    [/\bno one\b|\bno-one\b/g, 'no one'],
    [/\bmy self\b/g, 'myself'],
    [/\b(him|her|your|them) self\b/g, '$1self'],
    [/\bwould of\b/g, 'would have'],
    [/\bcould of\b/g, 'could have'],
    [/\bshould of\b/g, 'should have'],
];

/** Digits and signs written for letters ("k1ll", "d13", "$uicide"); "1" may be "l" too (see `Reading`). */
const LEET: Readonly<Record<string, string>> = {
    0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't', '@': 'a', $: 's', '!': 'i', '|': 'l',
};

/**
 * Where digits may stand for letters: a run of letters, digits, apostrophes and the signs @ $ ! |, not ending in "!"
 * (which ends sentences).
 */
const LEET_WORD = /[\p{L}\p{M}\p{N}@$!|']*[\p{L}\p{M}\p{N}@$|]/gu;

/**
 * Words with digits in them that are not letters in disguise: postcodes and districts ("bs5", "m1 1ae"), numbers
 * with a unit or an ending ("5pm", "10am", "3rd", "5k", "40mg", "100s").
 */
const NOT_LEET = new RegExp('^(?:[a-z]{1,2}\\d[a-z\\d]?|\\d[a-z]{2}|\\d+(?:[.,]\\d+)?'
    + '(?:st|nd|rd|th|am|pm|s|k|m|x|p|h|hrs?|mins?|yrs?|mg|g|kg|ml|l|lbs?|km|kms|mi|ft|cm|mm|mph))$');

/** How `normalise` reads digits and look-alikes. */
export type Reading =
    /** Look-alikes folded in Latin words; digits read as letters only where the word cannot be a number or postcode. */
    | 'usual'
    /**
     * Look-alikes folded in Latin words, digits left as they are: crisis detection reads a message this way and
     * 'wide', so that a message is read with all its digits as letters or none ("su1c1d3 b3r34v3m3nt").
     */
    | 'typed'
    /**
     * Look-alikes folded in every word, digits in every word of letters and digits read as letters; "1" is read as
     * "l" where that makes a known word and "i" does not ("ki11", "w!1|").
     */
    | 'wide'
    /**
     * As 'wide', but "1" is read as "l" first ("f1at" is "flat", though "fiat" is a word too), and a repeated letter
     * as two first ("toooo many" is "too many").
     */
    | 'wide-l';

/** Digits and signs read as letters in words that mix them with Latin letters (see `Reading`). */
function unLeet(text: string, reading: Reading, known: (word: string) => boolean): string {
    if (reading === 'typed') {
        return text;
    }
    return text.replace(LEET_WORD, (found) => {
        // "!" and "|" are read as letters in the wide reading only: as usual, "this|that" and "no!" stay as typed.
        const word = reading === 'usual' ? found.replace(/[!|].*$/, '') : found;
        const rest = found.slice(word.length);
        return unLeetWord(word, reading, known) + rest;
    });
}

/** One word of `unLeet`: its digits and signs as letters, or the word as it was. */
function unLeetWord(word: string, reading: Reading, known: (word: string) => boolean): string {
    // A word needs a letter to be a word in disguise; in the wide reading a sign will do ("4||" is "all").
    const letter = /[a-z]/.test(word) || (reading !== 'usual' && /[@$!|]/.test(word));
    if (!letter || !/[013457@$!|]/.test(word) || /[2689]/.test(word)) {
        return word;
    }
    if (reading === 'usual' && (WORD_MAP[word] !== undefined || NOT_LEET.test(word))) {
        return word;
    }
    if (reading === 'usual' && /\d\d/.test(word)) {
        // Digits together are a number ("over50s", "took30tablets"), not letters; the wide reading tries them.
        return word;
    }
    const asI = word.replace(/[013457@$!|]/g, (c) => LEET[c] as string);
    const ones = word.split('1').length - 1;
    if (reading === 'usual' || ones === 0 || ones > 4) {
        return asI;
    }
    // Each "1" as "i" or "l" ("11fe" is "life"): the first reading that makes a known word, trying "i" first in
    // the wide reading and "l" first in the other.
    const all = 2 ** ones - 1;
    const readAs = (choice: number): string => {
        let k = 0;
        return word.replace(/[013457@$!|]/g, (c) => (c !== '1' ? LEET[c] as string : (choice >> k++) & 1 ? 'l' : 'i'));
    };
    for (let n = 0; n <= all; n++) {
        const candidate = readAs(reading === 'wide-l' ? all - n : n);
        if (known(candidate)) {
            return candidate;
        }
    }
    return readAs(reading === 'wide-l' ? all : 0);
}

/** A letter written three times or more in a row ("soooo", "diiiie"): for emphasis, not spelling. */
const LONGEST_EMPHASISED = 20;
const REPEATED = /(\p{L})\1{2,}/gu;

/**
 * Letters repeated for emphasis cut back: each run to two letters, or, where a known word says which (crisis
 * detection passes `known`), to one or two ("kiiiill" -> "kill", "diiiie" -> "die", "sooo" -> "so").
 */
function collapseRepeats(text: string, known: ((word: string) => boolean) | undefined, twiceFirst: boolean): string {
    return text.replace(/[\p{L}\p{M}']+/gu, (word) => {
        const runs = word.match(REPEATED);
        const twice = word.replace(REPEATED, '$1$1');
        // A long run of letters is words run together, split later, where "offfrom" is "off from".
        if (!runs || twice.length > LONGEST_EMPHASISED) {
            return word;
        }
        if (!known || runs.length > 5) {
            return twice;
        }
        // Once before twice ("dieee" is "die", "tooo to" is "to"), or twice first ("toooo many" is "too many").
        const all = 2 ** runs.length - 1;
        const readAs = (choice: number): string => {
            let k = 0;
            return word.replace(REPEATED, (_, letter: string) => ((choice >> k++) & 1 ? letter + letter : letter));
        };
        for (let n = 0; n <= all; n++) {
            const candidate = readAs(twiceFirst ? all - n : n);
            if (known(candidate)) {
                return candidate;
            }
        }
        return readAs(twiceFirst ? all : 0);
    });
}

/** Punctuation that ends a clause. Kept as tokens so patterns can see sentence edges. */
const BOUNDARY = /^[.,;:!?]+$/;

/**
 * Words a caller knows, to choose between readings of a word: `known` exactly (for letters repeated for emphasis),
 * `near` also a letter away (for digits read as letters: "$uc1da1" is the misspelling "sucidal").
 */
export interface KnownWords {
    known(word: string): boolean;
    near(word: string): boolean;
}

/**
 * Canonical text of what a resident typed, read the given way (`Reading`), choosing between readings of a word by
 * `vocabulary` when given. Pure and cheap (a few string passes), so callers may normalise the same message more
 * than once.
 */
export function normalise(raw: string, reading: Reading = 'usual', vocabulary?: KnownWords): string {
    // Invisible characters, compatibility forms, look-alike letters and accents on Latin letters: see unicode.ts.
    let text = foldForMatching(raw, reading === 'wide' || reading === 'wide-l').toLowerCase()
        .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
        .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
        .replace(/[\u2010-\u2015\u2212]/g, '-');
    const known = vocabulary && ((word: string) => vocabulary.known(word));
    const near = vocabulary ? (word: string) => vocabulary.near(word) : () => false;
    text = unLeet(collapseRepeats(text, known, reading === 'wide-l'), reading, near);
    // Dropped g's ("walkin'", "nothin'") are restored here: without the apostrophe they are left to spelling.
    text = text.replace(/\b([a-z]{3,})in'(?=[^a-z]|$)/g, '$1ing');
    const words: string[] = [];
    // Words of every script are kept (with their marks), so that other languages can be matched in their letters.
    for (const match of text.matchAll(/[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}]+)*|[.,;:!?]+|&/gu)) {
        const word = match[0];
        const mapped = WORD_MAP[word];
        words.push(mapped ?? word);
    }
    let joined = words.join(' ');
    for (const [pattern, short] of CONTRACTIONS) {
        joined = joined.replace(pattern, short);
    }
    return joined;
}

/** Tokens of a canonical text (as `normalise` returns it), with their offsets. */
export function tokenise(canonical: string): Token[] {
    const tokens: Token[] = [];
    for (const match of canonical.matchAll(/\S+/g)) {
        const word = match[0];
        tokens.push({ text: word, boundary: BOUNDARY.test(word), start: match.index, end: match.index + word.length });
    }
    return tokens;
}

/** Normalises and tokenises in one step. */
export function canonical(raw: string, reading: Reading = 'usual', vocabulary?: KnownWords): CanonicalText {
    const text = normalise(raw, reading, vocabulary);
    return { text, tokens: tokenise(text) };
}

/** Joins words back into a canonical text with fresh offsets, e.g. after spelling correction replaced some. */
export function fromWords(words: readonly string[]): CanonicalText {
    const text = words.join(' ');
    return { text, tokens: tokenise(text) };
}

/**
 * Words that say nothing about what someone needs. They are never spelling-corrected, and they are ignored when
 * deciding whether a message is nothing but a lethal-means word.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
    'a', 'about', 'after', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'anyone', 'anything', 'are', 'as', 'at',
    'be', 'because', 'been', 'before', 'being', 'both', 'but', 'by', 'can', "can't", 'could', 'did', 'do', 'does',
    'doing', 'done', 'each', 'even', 'ever', 'every', 'for', 'from', 'get', 'gets', 'getting', 'got', 'had', 'has',
    'have', 'having', 'he', "he's", 'her', 'here', 'hers', 'him', 'his', 'how', 'i', "i'd", "i'll", "i'm", "i've",
    'if', 'in', 'into', 'is', 'it', "it's", 'its', 'just', 'like', 'me', 'might', 'more', 'most', 'much', 'must',
    'my', 'near', 'need', 'needs', 'no', 'not', 'now', 'of', 'off', 'on', 'once', 'one', 'only', 'or', 'other', 'our',
    'out', 'over', 'please', 'quite', 'rather', 'really', 'same', 'she', "she's", 'should', 'so', 'some', 'someone',
    'something', 'still', 'such', 'than', 'that', "that's", 'the', 'their', 'them', 'then', 'there', "there's",
    'these', 'they', 'thing', 'things', 'this', 'those', 'through', 'to', 'too', 'under', 'until', 'up', 'us', 'very',
    'was', 'we', 'well', 'were', 'what', "what's", 'when', 'where', 'which', 'while', 'who', 'why', 'will', 'with',
    'would', 'yes', 'yet', 'you', 'your', 'okay', 'hi', 'hello', 'thanks', 'thank', 'bit', 'lot', 'maybe', 'think',
    'know', 'want', 'wanted', 'going', 'go', 'try', 'trying', 'tried', 'around', 'able', 'ago', 'already', 'always',
    'another', 'away', 'back', 'day', 'days', 'down', 'feel', 'feeling', 'find', 'good', 'great', 'help', 'keep',
    'last', 'let', 'look', 'looking', 'lots', 'make', 'many', 'never', 'new', 'next', 'nice', 'own', 'people', 'put',
    'said', 'say', 'says', 'see', 'since', 'take', 'tell', 'time', 'today', 'two', 'use', 'used', 'way', 'week',
    'weeks', 'year', 'years', 'yeah',
]);

/**
 * The key a lexicon word is matched on: the word without a possessive or plural ending ("groups" -> "group",
 * "classes" -> "class", "activities" -> "activity"). Deliberately lighter than Porter stemming, which joins words of
 * different meaning ("house" and "housing", "active" and "activities", "care" and "caring"); other forms of a word
 * ("walking", "walked") are listed in the lexicon where they mean the same.
 */
export function lexiconKey(word: string): string {
    const w = word.replace(/'s$/, '').replace(/'$/, '');
    if (w.length > 4 && w.endsWith('ies')) {
        return `${w.slice(0, -3)}y`;
    }
    if (w.length > 4 && /(?:sses|shes|ches|xes|zes)$/.test(w)) {
        return w.slice(0, -2);
    }
    if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is|'s)$/.test(w)) {
        return w.slice(0, -1);
    }
    return w;
}
