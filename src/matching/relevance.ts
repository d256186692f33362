/**
 * Text relevance: how well the resident's own words match each listing, BM25 over the stemmed inverted index.
 * Only listings sharing a term with the query are touched, so the cost follows the query, not the directory size.
 */
import type { DirectoryIndex, Posting } from './directory-index';
import { contentWords, stemWord, terms } from './terms';

/** BM25 scores of the listings that share a term with the query, and the query's terms. */
export interface TextMatch {
    /** Listing position -> raw BM25 score. */
    readonly scores: ReadonlyMap<number, number>;
    /** The highest score, to bring scores into 0..1. */
    readonly best: number;
    /** Query stem -> the resident's word it came from, for "mentions: knitting". */
    readonly words: ReadonlyMap<string, string>;
}

/** Scores the listings for a text. An empty or stop-word-only text gives no scores. */
export function textRelevance(index: DirectoryIndex, text: string | undefined): TextMatch {
    const words = new Map<string, string>();
    for (const word of contentWords(text ?? '')) {
        const stem = stemWord(word);
        if (!words.has(stem) && terms(word).length > 0) {
            words.set(stem, word);
        }
    }
    const scores = new Map<number, number>();
    const { bm25K1: k1, bm25B: b } = index.tuning;
    const total = index.listings.length;
    const averageLength = index.averageLength || 1;
    for (const stem of words.keys()) {
        const postings = index.postings.get(stem);
        if (!postings) {
            continue;
        }
        const idf = Math.log(1 + (total - postings.length + 0.5) / (postings.length + 0.5));
        for (const { doc, tf } of postings) {
            const length = index.listings[doc]?.length ?? averageLength;
            const score = idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / averageLength));
            scores.set(doc, (scores.get(doc) ?? 0) + score);
        }
    }
    let best = 0;
    for (const score of scores.values()) {
        best = Math.max(best, score);
    }
    return { scores, best, words };
}

/** Whether a listing contains a term; postings are in listing order, so a binary search does. */
function hasTerm(postings: readonly Posting[] | undefined, doc: number): boolean {
    if (!postings) {
        return false;
    }
    let low = 0;
    let high = postings.length - 1;
    while (low <= high) {
        const middle = (low + high) >> 1;
        const found = postings[middle].doc;
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
