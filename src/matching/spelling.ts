/**
 * Corrects misspelt words against a known vocabulary (the words of the need lexicon, or of the crisis patterns), so
 * "lonley" meets "lonely" and "beravement" meets "bereavement". Correction runs before matching: a stemmed typo no
 * longer looks like its word (MATCHING-NOTES.md).
 *
 * Why edit distance over a first-letter bucket and not fuse.js: the vocabulary is a few thousand words, a bucket a
 * few hundred, and a bounded edit distance over a bucket takes microseconds; fuse.js scores whole strings and cannot
 * say "one transposition", which is what most typos are.
 */
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import { FUNCTION_WORDS, lexiconKey } from './text';

/** What a speller knows, built once from a vocabulary. */
export interface Speller {
    /** Vocabulary words by first letter. */
    readonly buckets: ReadonlyMap<string, readonly string[]>;
    readonly vocabulary: ReadonlySet<string>;
    /** Vocabulary words without plural or possessive endings (see lexiconKey), or whatever `key` makes of them. */
    readonly vocabularyKeys: ReadonlySet<string>;
    /** The word key the matcher compares on; a word whose key is known is left as typed. */
    readonly key: (word: string) => string;
    /** Real words that sit near a vocabulary word and must stay as typed ("lovely" is not "lonely"). */
    readonly protectedWords: ReadonlySet<string>;
    /** Corrections already worked out; bounded. */
    readonly cache: Map<string, string | null>;
}

/** Words shorter than this are never corrected: too many real words sit one letter from "gym" or "job". */
export const MIN_CORRECTABLE_LENGTH = 4;
const CACHE_LIMIT = 10_000;

/**
 * The largest edit distance accepted for a word of this length. One edit up to six letters ("dept" -> "debt",
 * "lonley" -> "lonely"), two for longer words, where two edits still leave the word recognisable ("exersize").
 */
export function maxEdits(length: number): number {
    return length <= 6 ? 1 : 2;
}

/**
 * The literal words (four letters or more) a regular expression looks for, so a pattern's words join the vocabulary
 * a misspelling can be corrected to: "(?:wife|husband) died" gives wife, husband, died.
 */
export function patternWords(source: string): string[] {
    const literal = source.replace(/\\[a-zA-Z]/g, ' ').replace(/\(\?[:=!<]+/g, ' ');
    return literal.match(/[a-z]{4,}/g) ?? [];
}

/**
 * Builds a speller. `vocabulary` is every word a correction may produce; `protectedWords` are real words never to
 * be changed even though they sit close to a vocabulary word; `key` is what the matcher compares words on.
 */
export function buildSpeller(
    vocabulary: Iterable<string>,
    protectedWords: Iterable<string> = [],
    key: (word: string) => string = lexiconKey,
): Speller {
    const words = new Set<string>();
    for (const word of vocabulary) {
        if (word.length >= MIN_CORRECTABLE_LENGTH && /^[a-z]+$/.test(word)) {
            words.add(word);
        }
    }
    const buckets = new Map<string, string[]>();
    for (const word of [...words].sort()) {
        const list = buckets.get(word[0] as string) ?? [];
        list.push(word);
        buckets.set(word[0] as string, list);
    }
    const protectedSet = new Set([...protectedWords].map((w) => w.toLowerCase()));
    return {
        buckets,
        vocabulary: words,
        vocabularyKeys: new Set([...words].map(key)),
        key,
        protectedWords: protectedSet,
        cache: new Map(),
    };
}

/**
 * Optimal string alignment distance (Damerau-Levenshtein where a transposition counts as one edit), giving up as
 * soon as it must exceed `limit`. Returns `limit + 1` when the distance is larger than `limit`.
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
    if (Math.abs(a.length - b.length) > limit) {
        return limit + 1;
    }
    let before: number[] = [];
    let previous: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current: number[] = [i];
        let rowMin = i;
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1,
                (previous[j - 1] as number) + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                value = Math.min(value, (before[j - 2] as number) + 1);
            }
            current.push(value);
            rowMin = Math.min(rowMin, value);
        }
        if (rowMin > limit) {
            return limit + 1;
        }
        before = previous;
        previous = current;
    }
    return Math.min(previous[b.length] as number, limit + 1);
}

/**
 * Whether a word is left as typed: short, a function word, known, or a protected real word. Known means the same
 * key the lexicon is matched on; not a Porter stem, which would let "bereavment" (stem "bereav") pass as known and
 * then match nothing.
 */
function keepAsTyped(word: string, speller: Speller): boolean {
    if (word.length < MIN_CORRECTABLE_LENGTH || !/^[a-z]+$/.test(word) || FUNCTION_WORDS.has(word)) {
        return true;
    }
    const key = speller.key(word);
    return speller.vocabulary.has(word) || speller.vocabularyKeys.has(key)
        || speller.protectedWords.has(word) || speller.protectedWords.has(key);
}

/** Closest vocabulary word within the edit limit, or undefined. Ties go to the higher Jaro-Winkler similarity. */
function closest(word: string, speller: Speller): string | undefined {
    const limit = maxEdits(word.length);
    // Typos rarely change the first letter, and insisting on it stops "good" becoming "food" or "look" "cook".
    const candidates = [...(speller.buckets.get(word[0] as string) ?? [])];
    if (word.length > 1 && word[1] !== word[0]) {
        // ...except a swap of the first two letters ("ecxercise").
        candidates.push(...(speller.buckets.get(word[1] as string) ?? []).filter((c) => c[1] === word[0]));
    }
    let best: string | undefined;
    let bestDistance = limit + 1;
    let bestSimilarity = 0;
    for (const candidate of candidates) {
        const distance = boundedEditDistance(word, candidate, Math.min(limit, bestDistance));
        if (distance > limit || distance > bestDistance) {
            continue;
        }
        const similarity = JaroWinklerDistance(word, candidate);
        if (distance < bestDistance || similarity > bestSimilarity) {
            best = candidate;
            bestDistance = distance;
            bestSimilarity = similarity;
        }
    }
    return best;
}

/** The vocabulary word a misspelt word stands for, or undefined when the word should stay as typed. */
export function correctWord(word: string, speller: Speller): string | undefined {
    const cached = speller.cache.get(word);
    if (cached !== undefined) {
        return cached ?? undefined;
    }
    const corrected = keepAsTyped(word, speller) ? undefined : closest(word, speller);
    if (speller.cache.size >= CACHE_LIMIT) {
        speller.cache.clear();
    }
    speller.cache.set(word, corrected ?? null);
    return corrected;
}

/** Words with misspellings corrected, and which positions changed (position -> word as typed). */
export interface Corrected {
    words: string[];
    changed: Map<number, string>;
}

/** Corrects each word of a list; the list keeps its length so token positions still line up. */
export function correctWords(words: readonly string[], speller: Speller): Corrected {
    const changed = new Map<number, string>();
    const out = words.map((word, i) => {
        const corrected = correctWord(word, speller);
        if (corrected === undefined) {
            return word;
        }
        changed.set(i, word);
        return corrected;
    });
    return { words: out, changed };
}
