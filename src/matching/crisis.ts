/**
 * Crisis detection: does a message show immediate risk (suicide, self-harm, overdose, danger at home or to others, a
 * medical emergency)? It must never miss, so it errs towards yes: the message is checked as typed and again with
 * misspellings corrected ("sucidal"), and a match in either counts. Figurative speech ("this heat is killing me",
 * "dead tired", "suicide bereavement group") is removed first by narrow exclusions, so the patterns that follow can
 * stay broad. A message that is nothing but a lethal-means word ("noose", "razor blades") also counts.
 */
import { expandFragments } from '../knowledge/taxonomy';
import type { CrisisRules } from '../knowledge/taxonomy';
import { buildSpeller, correctWord, correctWords, patternWords } from './spelling';
import type { Speller } from './spelling';
import { canonical, FUNCTION_WORDS, fromWords, normalise, WORD_MAP } from './text';
import type { CanonicalText, Reading } from './text';

/** What `detectCrisis` found. `kinds` are crisis kind ids of knowledge/crisis.json, in that file's order. */
export interface CrisisResult {
    crisis: boolean;
    kinds: string[];
}

interface CompiledKind {
    id: string;
    patterns: RegExp[];
}

interface CompiledMeans {
    words: string[];
    kind: string;
}

/** The compiled crisis rules. Build once with `buildCrisisModel` and share. */
export interface CrisisModel {
    readonly kinds: readonly CompiledKind[];
    readonly exclusions: readonly RegExp[];
    /** Lethal means, longest first, as canonical words. */
    readonly means: readonly CompiledMeans[];
    readonly speller: Speller;
    /** Words a message run together ("iwanttokillmyself") may be split into: every word of the rules. */
    readonly joinable: ReadonlySet<string>;
    /** Real words never split, though made of crisis words ("therapist" is not "the rapist"). */
    readonly whole: ReadonlySet<string>;
}

/** How a message is read: as usual, then with every look-alike and digit read as a letter. */
const READINGS: readonly Reading[] = ['usual', 'wide', 'wide-l'];

/** Stands in for removed figurative words, so no pattern can join the words either side of them. */
const REMOVED = ' ~ ';

/** Compiles validated crisis rules (see src/knowledge/taxonomy.ts) for `detectCrisis`. Call once at start-up. */
export function buildCrisisModel(rules: CrisisRules): CrisisModel {
    const vocabulary = new Set<string>();
    const compile = (pattern: string, flags: string): RegExp => {
        const source = expandFragments(pattern, rules.fragments);
        patternWords(source).forEach((w) => vocabulary.add(w));
        return new RegExp(source, flags);
    };
    const kinds = rules.kinds.map((kind) => ({
        id: kind.id,
        patterns: kind.patterns.map((p) => compile(p.pattern, '')),
    }));
    // Exclusion words are not added to the vocabulary: correcting towards "bereavement" would only hide risk.
    const exclusions = rules.exclusions.map((e) => new RegExp(expandFragments(e.pattern, rules.fragments), 'g'));
    const means = rules.means
        .map((m) => ({ words: canonical(m.text).tokens.map((t) => t.text), kind: m.kind }))
        .filter((m) => m.words.length > 0)
        .sort((a, b) => b.words.length - a.words.length);
    means.forEach((m) => m.words.forEach((w) => vocabulary.add(w)));
    const joinable = new Set<string>([...FUNCTION_WORDS, ...Object.keys(WORD_MAP)]);
    for (const kind of kinds) {
        kind.patterns.forEach((p) => literalWords(p.source).forEach((w) => joinable.add(w)));
    }
    means.forEach((m) => m.words.forEach((w) => joinable.add(w)));
    // Single letters other than "i" and "a" would let almost any run of letters be split.
    [...joinable].filter((w) => w.length === 1 && w !== 'i' && w !== 'a').forEach((w) => joinable.delete(w));
    // Nor are the words of the exclusions: split, "killing myself laughing" would lose what makes it figurative.
    const excluded = rules.exclusions.flatMap((e) => literalWords(expandFragments(e.pattern, rules.fragments)));
    const whole = new Set([...joinable, ...vocabulary, ...rules.notTypos, ...excluded]);
    return { kinds, exclusions, means, speller: buildSpeller(vocabulary, rules.notTypos), joinable, whole };
}

/** Every literal word of a pattern, short ones too: "\\b(?:i|i'll) end it\\b" gives i, i'll, end, it. */
function literalWords(source: string): string[] {
    const literal = source.replace(/\\[a-zA-Z]/g, ' ').replace(/\(\?(?:[:=!]|<[=!])/g, ' ');
    return literal.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
}

/** The longest word `splitJoined` looks for. */
const LONGEST_JOINABLE = 24;
/** Runs longer than this are split on exact words only: looking for misspelt words in every part costs too much. */
const LONGEST_CORRECTED_RUN = 40;

/** A split of the first letters of a run: its score, its words, and how many are crisis words or unknown letters. */
interface Split {
    score: number;
    pieces: string[];
    known: number;
    unknown: number;
    /** Whether the last piece is unknown letters, which the next unknown letter joins. */
    open: boolean;
}

/**
 * A run of words typed without spaces, split back into words of the crisis rules ("iwanttokillmyself" -> "i want to
 * kill myself"), or undefined when it is not one. Dynamic programming over the letters: each word scores its length
 * squared (long words win over short ones: "feel" and "suicidal", not "feels" and "uicidal"), a misspelt word the
 * speller knows scores a little less, and each piece and each unknown letter costs. At least two crisis words, and
 * at most a quarter of the letters unknown, or it is not a split.
 */
export function splitJoined(word: string, model: CrisisModel): string | undefined {
    const n = word.length;
    const correct = n <= LONGEST_CORRECTED_RUN;
    const best: Array<Split | undefined> = [{ score: 0, pieces: [], known: 0, unknown: 0, open: false }];
    for (let i = 1; i <= n; i++) {
        let choice: Split | undefined;
        const offer = (candidate: Split) => {
            if (!choice || candidate.score > choice.score) choice = candidate;
        };
        for (let j = Math.max(0, i - LONGEST_JOINABLE); j < i; j++) {
            const before = best[j];
            const piece = word.slice(j, i);
            if (!before) continue;
            let value = 0;
            if (model.joinable.has(piece)) {
                // Common short words get a little more, standing in for how often they are written: "ending it
                // all", not "ending i tall".
                value = piece.length * piece.length + (FUNCTION_WORDS.has(piece) ? 6 : 0);
            } else if (correct && piece.length >= 5 && correctWord(piece, model.speller) !== undefined) {
                value = 0.4 * piece.length * piece.length;
            }
            if (value > 0) {
                offer({ score: before.score + value - 2, pieces: [...before.pieces, piece], known: before.known + 1,
                    unknown: before.unknown, open: false });
            }
        }
        const before = best[i - 1];
        if (before) {
            const pieces = [...before.pieces];
            const run = before.open ? pieces.pop() as string : '';
            offer({ score: before.score - 4 - (before.open ? 0 : 2), pieces: [...pieces, run + word[i - 1]],
                known: before.known, unknown: before.unknown + 1, open: true });
        }
        best[i] = choice;
    }
    const result = best[n];
    return result && result.known >= 2 && result.unknown * 4 <= n ? result.pieces.join(' ') : undefined;
}

/**
 * The canonical text with every run of words typed without spaces split back into words, or undefined when there
 * is none. Only words that are not real words themselves are split, so "therapist" or "skillset" stay whole.
 */
function withJoinedSplit(typed: CanonicalText, model: CrisisModel): string | undefined {
    let changed = false;
    const words = typed.tokens.map((t) => {
        if (t.boundary || t.text.length < 3 || model.whole.has(t.text) || !/^[a-z0-9']+$/.test(t.text)) {
            return t.text;
        }
        // Numbers in the run stand apart ("itook30tablets"); the letters either side are split into words.
        return t.text.split(/(\d+)/).filter(Boolean).map((part) => {
            const split = /\d/.test(part) || part.length < 3 || model.whole.has(part) ? undefined
                : splitJoined(part, model);
            changed ||= split !== undefined || part !== t.text;
            return split ?? part;
        }).join(' ');
    });
    // Normalised again, so text-speak and contractions inside the run are read as usual ("imgonna" -> "i'm going to").
    return changed ? normalise(words.join(' ')) : undefined;
}

/** The text with every figurative or non-risk use blanked out. */
function withoutExclusions(text: string, model: CrisisModel): string {
    let cleaned = text;
    for (const exclusion of model.exclusions) {
        cleaned = cleaned.replace(exclusion, REMOVED);
    }
    return cleaned;
}

/** The kind of the lethal means when the message names nothing but them ("a noose", "razor blades"). */
function meansOnly(text: string, model: CrisisModel): string[] {
    const words = text.split(' ')
        .filter((w) => w !== '' && w !== '~' && !/^[.,;:!?]+$/.test(w) && !FUNCTION_WORDS.has(w));
    if (words.length === 0) {
        return [];
    }
    const kinds: string[] = [];
    let i = 0;
    while (i < words.length) {
        const found = model.means.find((m) => m.words.every((w, k) => words[i + k] === w));
        if (!found) {
            return [];
        }
        kinds.push(found.kind);
        i += found.words.length;
    }
    return kinds;
}

/**
 * Whether a message shows immediate risk, and which kinds. Checks the message as typed and with misspellings
 * corrected. Pure; a fraction of a millisecond per message.
 */
export function detectCrisis(text: string, model: CrisisModel): CrisisResult {
    const variants = new Set<string>();
    // Read the usual way, then with every look-alike and digit read as a letter: a crisis found in any counts.
    for (const reading of READINGS) {
        const typed = canonical(text, reading, (word) => model.whole.has(word));
        if (typed.tokens.length === 0 || variants.has(typed.text)) {
            continue;
        }
        variants.add(typed.text);
        const corrected = correctWords(typed.tokens.map((t) => t.text), model.speller);
        if (corrected.changed.size > 0) {
            variants.add(fromWords(corrected.words).text);
        }
        const split = withJoinedSplit(typed, model);
        if (split !== undefined) {
            variants.add(split);
            const words = split.split(' ');
            const splitCorrected = correctWords(words, model.speller);
            if (splitCorrected.changed.size > 0) {
                variants.add(fromWords(splitCorrected.words).text);
            }
        }
    }
    const found = new Set<string>();
    for (const variant of variants) {
        const cleaned = withoutExclusions(variant, model);
        for (const kind of model.kinds) {
            if (!found.has(kind.id) && kind.patterns.some((p) => p.test(cleaned))) {
                found.add(kind.id);
            }
        }
        meansOnly(cleaned, model).forEach((k) => found.add(k));
    }
    const kinds = model.kinds.map((k) => k.id).filter((id) => found.has(id));
    return { crisis: kinds.length > 0, kinds };
}
