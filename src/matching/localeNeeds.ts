/**
 * Text -> needs in a language other than English (Welsh, Polish: knowledge/locales/<code>/needs.json). The English
 * detector (needs.ts) is built around English: its canonical text spells out English contractions, its negations are
 * English words, and its spelling corrector pulls any unknown word towards an English lexicon word, which turns a
 * Polish message about loneliness into "money worries". This one knows nothing of any language but what its file
 * says, so a third language is a new file, not code:
 *
 * - words are folded (lower case, diacritics off, "ł" as "l"), so "samotność" and "samotnosc" are one word, as
 *   are Welsh "grŵp" and "grwp";
 * - endings listed in the file are stripped (Polish "samotna", "samotny" and "samotnie" all meet "samotn"), and a
 *   lexicon word ending in * matches any ending;
 * - initial letters listed as mutations are undone (Welsh "nghefn" also reads as "cefn", "gymorth" as "cymorth",
 *   "harian" as "arian");
 * - a word that matches nothing, five letters or more, is compared within one typo (Damerau) of the language's own
 *   lexicon, and counts for a little less;
 * - evidence combines per need by noisy-OR, as in English, with the same thresholds.
 *
 * There is no negation here: in both languages "no" and "not" mostly say what is missing ("nie mam pieniędzy",
 * "does dim bwyd"), which is the need. Pure, well under a millisecond per message.
 */
import type { LocaleNeedsFile } from '../knowledge/localeNeeds';
import { NEED_TUNING, scoreEvidence } from './needs';
import type { NeedScore } from './types';

/** One word of a lexicon entry: matched whole, on its stem, or (with a trailing *) as a prefix. */
interface WordTest {
    /** The folded word, or its stem (suffixes off). */
    key: string;
    prefix: boolean;
}

interface Entry {
    needId: string;
    words: WordTest[];
    weight: number;
    /** The entry as written, for the evidence. */
    text: string;
}

interface Pattern {
    needId: string;
    regex: RegExp;
    weight: number;
}

/** One language's compiled lexicon: build once with `buildLocaleNeedModel`. */
export interface LocaleNeedModel {
    readonly locale: string;
    readonly needIds: readonly string[];
    readonly entries: readonly Entry[];
    readonly patterns: readonly Pattern[];
    readonly suffixes: readonly string[];
    readonly minStem: number;
    readonly mutations: ReadonlyArray<readonly [string, string]>;
    readonly typoMinLength: number;
    /** Real words never read as a typo; a word ending in * stands for every word it begins. */
    readonly notTypos: readonly WordTest[];
    /**
     * Words the bot itself knows in this language (its intent words: yes, no, ordinals, question words), folded:
     * real words, never read as a typo either ("druga", the second, is not "drugs").
     */
    readonly known: ReadonlySet<string>;
}

/** Lower case, marks off, "ł" as "l", apostrophes and punctuation as spaces: how lexicon and text are both read. */
export function foldLocaleText(text: string): string {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ł/g, 'l')
        .replace(/[^a-z0-9]+/g, ' ').trim();
}

/** The word with the longest listed ending off, never below `minStem` letters. */
function stem(word: string, suffixes: readonly string[], minStem: number): string {
    for (const suffix of suffixes) {
        if (word.length - suffix.length >= minStem && word.endsWith(suffix)) return word.slice(0, -suffix.length);
    }
    return word;
}

/**
 * Compiles one language's file. `needIds` is the taxonomy's order, which breaks ties between equal scores.
 * `knownWords`: other real words of the language (the words of its knowledge/intents file), never read as a typo.
 */
export function buildLocaleNeedModel(file: LocaleNeedsFile, needIds: readonly string[],
    knownWords: Iterable<string> = []): LocaleNeedModel {
    const suffixes = [...file.words.suffixes].sort((a, b) => b.length - a.length);
    const { minStem } = file.words;
    const entries: Entry[] = [];
    const patterns: Pattern[] = [];
    const defaults = file.defaultWeights;
    for (const [needId, lexicon] of Object.entries(file.needs)) {
        const lexiconEntries = [
            ...lexicon.terms.map((e) => ({ e, weight: e.weight ?? defaults.term })),
            ...lexicon.phrases.map((e) => ({ e, weight: e.weight ?? defaults.phrase })),
        ];
        for (const { e, weight } of lexiconEntries) {
            const words = e.text.split(/\s+/).map((w): WordTest | undefined => {
                const prefix = w.endsWith('*');
                const folded = foldLocaleText(prefix ? w.slice(0, -1) : w).replace(/ /g, '');
                if (!folded) return undefined;
                return prefix ? { key: folded, prefix } : { key: stem(folded, suffixes, minStem), prefix };
            }).filter((w): w is WordTest => w !== undefined);
            if (words.length) entries.push({ needId, words, weight, text: e.text });
        }
        for (const p of lexicon.patterns) {
            patterns.push({ needId, regex: new RegExp(p.pattern, 'g'), weight: p.weight ?? defaults.pattern });
        }
    }
    // Longest entries first, so "bank zywnosci" takes its words before "bank" alone could.
    entries.sort((a, b) => b.words.length - a.words.length);
    return {
        locale: file.locale,
        needIds,
        entries,
        patterns,
        suffixes,
        minStem,
        mutations: file.words.mutations,
        typoMinLength: file.words.typoMinLength,
        notTypos: file.words.notTypos.map((w) => (w.endsWith('*') ? { key: w.slice(0, -1), prefix: true }
            : { key: w, prefix: false })),
        known: new Set([...knownWords].flatMap((w) => foldLocaleText(w).split(' ')).filter(Boolean)),
    };
}

/**
 * Whether a word (as typed) is a real word of the model's language that its lexicon lists as one: a word it must
 * never read as a typo, nor the English reader either ("druga" in a Polish conversation is not "drug").
 */
export function isLanguageWord(word: string, model: LocaleNeedModel): boolean {
    const w = foldLocaleText(word);
    return model.known.has(w) || model.notTypos.some((t) => (t.prefix ? w.startsWith(t.key) : w === t.key));
}

/** The forms a typed word may stand for: itself, and each listed initial mutation undone. */
function forms(word: string, model: LocaleNeedModel): string[] {
    const out = [word];
    if (word.length < 3) return out;
    for (const [typed, radical] of model.mutations) {
        if (word.startsWith(typed) && word.length - typed.length + radical.length >= 3) {
            out.push(radical + word.slice(typed.length));
        }
    }
    return out;
}

/** Damerau-Levenshtein distance (adjacent swaps count one), stopping early above 1. */
function withinOne(a: string, b: string): boolean {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
        if (a.slice(i + 1) === b.slice(i + 1)) return true;
        return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    const [long, short] = a.length > b.length ? [a, b] : [b, a];
    return long.slice(i + 1) === short.slice(i);
}

/** Shortest lexicon word or stem compared within one typo: shorter ones sit one letter from too many real words. */
const TYPO_MIN_KEY = 5;
/** Shortest prefix (a word with *) compared within one typo: "ciaz*" is one letter from "ciagle" (always). */
const TYPO_MIN_PREFIX = 6;

/**
 * How a typed word meets one word of an entry: 1 right, `corrected` within one typo, 0 not at all. Only the word as
 * typed is compared within a typo (a mutation undone and a typo on top is two guesses), and never its first letter.
 */
function meets(typed: readonly string[], stems: readonly string[], test: WordTest, typo: boolean,
    corrected: number): number {
    if (test.prefix) {
        if (typed.some((f) => f.startsWith(test.key))) return 1;
    } else if (stems.includes(test.key) || typed.includes(test.key)) {
        return 1;
    }
    const word = typed[0] as string;
    if (!typo || word[0] !== test.key[0]) return 0;
    if (test.prefix) {
        const n = test.key.length;
        if (n < TYPO_MIN_PREFIX) return 0;
        return [n - 1, n, n + 1].some((k) => word.length >= k && withinOne(word.slice(0, k), test.key)) ? corrected : 0;
    }
    if (test.key.length < TYPO_MIN_KEY) return 0;
    return withinOne(stems[0] as string, test.key) || withinOne(word, test.key) ? corrected : 0;
}

/**
 * The needs a message in the model's language names, best first, each with a score in 0..1 and the words that
 * suggested it; the same thresholds as English (NEED_TUNING): 0.6 and up confident, below 0.35 dropped.
 */
export function detectLocaleNeeds(text: string, model: LocaleNeedModel): NeedScore[] {
    const folded = foldLocaleText(text);
    if (!folded) return [];
    const words = folded.split(' ');
    const typed = words.map((w) => forms(w, model));
    const stems = typed.map((fs) => fs.map((f) => stem(f, model.suffixes, model.minStem)));
    // A word may be compared within one typo only when it is long enough, not listed as a real word, and meets
    // no entry as typed.
    const typo = words.map((w, i) => w.length >= model.typoMinLength
        && !model.known.has(w) && !model.notTypos.some((t) => (t.prefix ? w.startsWith(t.key) : w === t.key))
        && !model.entries.some((e) => e.words.some((t) => meets(typed[i] as string[], stems[i] as string[], t, false,
            0) > 0)));
    const used = new Array<boolean>(words.length).fill(false);
    const evidence: Array<{ needId: string; weight: number; text: string }> = [];
    const { correctedFactor } = NEED_TUNING;

    for (const pattern of model.patterns) {
        pattern.regex.lastIndex = 0;
        let match: RegExpExecArray | null;
        while ((match = pattern.regex.exec(folded)) !== null) {
            if (match[0].length === 0) {
                pattern.regex.lastIndex++;
                continue;
            }
            evidence.push({ needId: pattern.needId, weight: pattern.weight, text: match[0].trim() });
            const first = folded.slice(0, match.index).split(' ').filter(Boolean).length;
            const count = match[0].trim().split(' ').length;
            for (let k = first; k < first + count && k < used.length; k++) used[k] = true;
        }
    }
    for (const entry of model.entries) {
        const n = entry.words.length;
        for (let i = 0; i + n <= words.length; i++) {
            if (n === 1 && used[i]) continue;
            let factor = 1;
            for (let k = 0; k < n && factor > 0; k++) {
                factor = Math.min(factor, meets(typed[i + k] as string[], stems[i + k] as string[],
                    entry.words[k] as WordTest, typo[i + k] as boolean, correctedFactor));
            }
            if (factor === 0) continue;
            if (n > 1) for (let k = i; k < i + n; k++) used[k] = true;
            const text = words.slice(i, i + n).join(' ');
            evidence.push({ needId: entry.needId, weight: entry.weight * factor, text });
        }
    }
    return scoreEvidence(evidence, model.needIds, NEED_TUNING.minScore);
}

