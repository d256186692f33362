/**
 * Words to search terms for the directory index: lower case, stop words dropped, Porter-stemmed, so "walking",
 * "walks" and "walk" meet. The same function runs over listings and over the resident's words.
 */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

/** Words too common to say anything about a listing. Kept short: "alone", "out" and "together" carry meaning. */
const STOP_WORDS: ReadonlySet<string> = new Set([
    'a', 'about', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'could', 'do', 'for',
    'from', 'get', 'got', 'had', 'has', 'have', 'he', 'her', 'him', 'his', 'i', 'if', 'im', 'in', 'into', 'is', 'it',
    'its', 'just', 'me', 'my', 'of', 'on', 'or', 'our', 'she', 'so', 'some', 'that', 'the', 'their', 'them', 'then',
    'there', 'they', 'this', 'to', 'too', 'us', 'was', 'we', 'were', 'what', 'when', 'which', 'who', 'will', 'with',
    'would', 'you', 'your', 'ive', 'id', 'dont', 'really', 'very', 'want', 'like', 'need', 'help', 'please',
]);

// Stemming is the costly step of building the index; a directory repeats the same few thousand words. The cap keeps
// a long-running server's memory flat however many odd words residents type.
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 100_000;

/** The Porter stem of one lower-case word, memoised. */
export function stemWord(word: string): string {
    let stem = stemCache.get(word);
    if (stem === undefined) {
        stem = PorterStemmer.stem(word);
        if (stemCache.size >= STEM_CACHE_LIMIT) {
            stemCache.clear();
        }
        stemCache.set(word, stem);
    }
    return stem;
}

/**
 * Longer "words" are never real ones (a pasted run of digits, a squashed link) and are dropped: stemming a
 * 100,000-letter word takes the Porter stemmer many seconds.
 */
export const MAX_WORD_LENGTH = 40;

/**
 * The words of a text, lower case, apostrophes dropped ("don't" -> "dont"), stop words, 1-letter words and words
 * over MAX_WORD_LENGTH removed.
 */
export function contentWords(text: string): string[] {
    return text.toLowerCase().replace(/['’]/g, '').split(/[^a-z0-9]+/)
        .filter((w) => w.length > 1 && w.length <= MAX_WORD_LENGTH && !STOP_WORDS.has(w));
}

/** Search terms of a text: its content words, stemmed. Repeats are kept, since they count towards term frequency. */
export function terms(text: string): string[] {
    // Checked again after stemming, so "helps" goes the way of "help".
    return contentWords(text).map(stemWord).filter((s) => !STOP_WORDS.has(s));
}
