/**
 * Types for the parts of `natural` we import directly. We never `require('natural')` from its root: that takes about
 * half a second, loads database drivers and reads `.env`, printing to standard output (see MATCHING-NOTES.md).
 * Shared by every matching file that uses natural; add a module here rather than in a second declaration file.
 */
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
    const PorterStemmer: {
        /** The Porter stem of one lower-case word. */
        stem(token: string): string;
        /** Splits, drops English stop words (unless keepStops) and stems. */
        tokenizeAndStem(text: string, keepStops?: boolean): string[];
    };
    export = PorterStemmer;
}

declare module 'natural/lib/natural/distance/jaro-winkler_distance' {
    /** Similarity in 0..1 (1 = the same). */
    function JaroWinklerDistance(s1: string, s2: string, options?: { ignoreCase?: boolean }): number;
    export = JaroWinklerDistance;
}

declare module 'natural/lib/natural/stemmers/lancaster_stemmer' {
    const LancasterStemmer: {
        /** The Lancaster (Paice/Husk) stem of one word; more aggressive than Porter. */
        stem(token: string): string;
    };
    export = LancasterStemmer;
}
