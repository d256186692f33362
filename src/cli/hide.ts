/**
 * Ways a message can hide its words from a detector while a person still reads them (issue 13, item 9): invisible
 * characters inside words, look-alike letters of other scripts, digits for letters, spaces removed, letters
 * repeated for emphasis, full-width forms; and the longest word spaced or punctuated apart letter by letter, split
 * in two, or with a letter masked, and a full stop between two words. Deterministic, so `npm run eval` gives the
 * same numbers every run.
 */

/** Invisible characters of several classes, put between the letters of longer words in turn. */
const INVISIBLE = ['\u00AD', '\u200B', '\u200D', '\u202E', '\u2060', '\uFEFF', '\uFE0F', '\u{E0041}'];

/** Cyrillic letters drawn like Latin ones. */
const CYRILLIC: Readonly<Record<string, string>> = {
    a: 'а', c: 'с', e: 'е', i: 'і', o: 'о', p: 'р', s: 'ѕ', x: 'х', y: 'у', j: 'ј', h: 'һ', k: 'к',
};

/** Digits and signs written for letters. */
const LEET: Readonly<Record<string, string>> = { o: '0', i: '1', e: '3', a: '4', s: '5', t: '7' };

/** The text with its longest word of `least` letters or more (the first of equals) rewritten by `hide`. */
function longestWord(text: string, least: number, hide: (word: string, n: number) => string): string {
    const words = [...text.matchAll(/(?<![a-z'])[a-z]+(?![a-z'])/gi)].filter((m) => m[0].length >= least);
    const word = words.reduce<RegExpMatchArray | undefined>((a, b) => (!a || b[0].length > a[0].length ? b : a),
        undefined);
    if (word === undefined) return text;
    const at = word.index as number;
    return text.slice(0, at) + hide(word[0], text.length) + text.slice(at + word[0].length);
}

/** Signs between spaced-out letters, chosen by the message's length so every sign is used. */
const APART = [' ', '-', '.', '_', '*'];

/** Each way of hiding, by name. */
export const HIDINGS: ReadonlyArray<readonly [string, (text: string) => string]> = [
    ['invisible characters', (text) => {
        let n = 0;
        return text.replace(/([a-z])([a-z]{2,})/gi, (_, first: string, rest: string) =>
            `${first}${INVISIBLE[n++ % INVISIBLE.length]}${rest}`);
    }],
    ['look-alike letters', (text) => text.replace(/[a-z]/g, (c) => CYRILLIC[c] ?? c)],
    // Letters after the first of words of four letters or more, so that each word keeps a letter.
    ['digits for letters', (text) => text.replace(/\b([a-z])([a-z']{3,})/gi, (_, first: string, rest: string) =>
        first + rest.replace(/[oieast]/g, (c) => LEET[c] ?? c))],
    ['spaces removed', (text) => text.replace(/\s+/g, '')],
    // The first vowel of each word of three letters or more written four times ("diiiie").
    ['repeated letters', (text) => text.replace(/\b([a-z]*?)([aeiou])(?=[a-z']{1,})/gi,
        (_, before: string, vowel: string) => `${before}${vowel.repeat(4)}`)],
    ['full-width letters', (text) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xFEE0))],
    ['letters apart', (text) => longestWord(text, 3, (word, n) => [...word].join(APART[n % APART.length]))],
    // In the middle, by a space or (odd lengths) a hyphen: "sui cidal", "sui-cidal".
    ['word split in two', (text) => longestWord(text, 5, (word, n) => {
        const at = Math.floor(word.length / 2);
        return `${word.slice(0, at)}${n % 2 ? '-' : ' '}${word.slice(at)}`;
    })],
    ['letter masked', (text) => longestWord(text, 4, (word, n) => {
        const at = Math.floor(word.length / 2);
        return `${word.slice(0, at)}${'*#%'[n % 3]}${word.slice(at + 1)}`;
    })],
    // At the middle space, the next word capitalised, and one at the end: "I want to. Kill myself."
    ['full stops', (text) => {
        const spaces = [...text.matchAll(/(?<=[a-z]) (?=[a-z])/gi)].map((m) => m.index as number);
        const at = spaces[Math.floor(spaces.length / 2)];
        return at === undefined ? text
            : `${text.slice(0, at)}. ${(text[at + 1] as string).toUpperCase()}${text.slice(at + 2)}.`;
    }],
];
