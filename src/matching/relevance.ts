/**
 * Text relevance: how well the resident's own words match each listing, BM25 over the stemmed inverted index.
 * Only listings sharing a term with the query are touched, so the cost follows the query, not the directory size;
 * each touch is one addition, since every term's BM25 contribution was worked out when the index was built.
 */
import type { DirectoryIndex, PostingList, RankScratch } from './directory-index';
import { contentWords, stemWord, terms } from './terms';

/** What the resident's words matched. The scores themselves are in the ranking's scratch space. */
export interface TextMatch {
    /** The highest score, to bring scores into 0..1; 0 when no listing shares a word with the text. */
    readonly best: number;
    /** Query stem -> the resident's word it came from, for "mentions: knitting". */
    readonly words: ReadonlyMap<string, string>;
}

/**
 * Family words in a resident's message say who it is about ("my mum has been lonely since dad died"), not what they
 * are looking for, so they are no search terms: matched against listings they would bring up "Single Parents'
 * Coffee Morning" ("single mum") or a dads-and-kids club. Parenting itself is found by need detection.
 */
const WHO_WORDS: ReadonlySet<string> = new Set([
    'mum', 'mums', 'mam', 'mom', 'mother', 'dad', 'dads', 'father', 'nan', 'nana', 'nanna', 'gran', 'granny', 'grandma',
    'grandad', 'granddad', 'grandpa', 'husband', 'wife', 'hubby',
]);

/** The search terms of a text, each with the first word the resident typed for it. Stop words give none. */
export function queryWords(text: string | undefined): Map<string, string> {
    const words = new Map<string, string>();
    for (const word of contentWords(text ?? '')) {
        const stem = stemWord(word);
        if (!words.has(stem) && !WHO_WORDS.has(word) && terms(word).length > 0) {
            words.set(stem, word);
        }
    }
    return words;
}

/**
 * Adds each listing's BM25 score for the text to `scratch.text` and appends every listing not yet seen to
 * `scratch.candidates` from position `count`. Returns the match and the new number of candidates.
 */
export function scoreText(
    index: DirectoryIndex,
    text: string | undefined,
    scratch: RankScratch,
    count: number,
): { match: TextMatch; count: number } {
    const words = queryWords(text);
    const { text: scores, seen, candidates } = scratch;
    let added = count;
    for (const stem of words.keys()) {
        const postings = index.postings.get(stem);
        if (!postings) {
            continue;
        }
        const { docs, impacts } = postings;
        for (let i = 0; i < docs.length; i++) {
            const doc = docs[i] as number;
            scores[doc] = (scores[doc] as number) + (impacts[i] as number);
            if (seen[doc] === 0) {
                seen[doc] = 1;
                candidates[added++] = doc;
            }
        }
    }
    let best = 0;
    for (let i = count; i < added; i++) {
        best = Math.max(best, scores[candidates[i] as number] as number);
    }
    // A listing seen for a need before this call may also have a text score.
    for (let i = 0; i < count; i++) {
        best = Math.max(best, scores[candidates[i] as number] as number);
    }
    return { match: { best, words }, count: added };
}

/** Whether a listing contains a term; postings are in listing order, so a binary search does. */
function hasTerm(postings: PostingList | undefined, doc: number): boolean {
    if (!postings) {
        return false;
    }
    const docs = postings.docs;
    let low = 0;
    let high = docs.length - 1;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const found = docs[middle] as number;
        if (found === doc) {
            return true;
        }
        if (found < doc) {
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return false;
}

/** The resident's words that a listing contains, in the order they wrote them. */
export function matchedWords(index: DirectoryIndex, match: TextMatch, doc: number): string[] {
    return [...match.words].filter(([stem]) => hasTerm(index.postings.get(stem), doc)).map(([, word]) => word);
}
