/**
 * Crisis detection: does a message show immediate risk (suicide, self-harm, overdose, danger at home or to others, a
 * medical emergency)? It must never miss, so it errs towards yes: the message is checked as typed and again with
 * misspellings corrected ("sucidal"), and a match in either counts. Figurative speech ("this heat is killing me",
 * "dead tired", "suicide bereavement group") is removed first by narrow exclusions, so the patterns that follow can
 * stay broad. A message that is nothing but a lethal-means word ("noose", "razor blades") also counts.
 */
import { expandFragments } from '../knowledge/taxonomy';
import type { CrisisRules } from '../knowledge/taxonomy';
import { boundedEditDistance, buildSpeller, correctWord, correctWords, patternWords } from './spelling';
import type { Speller } from './spelling';
import { foldForMatching } from '../unicode';
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
    /**
     * Every exclusion as one expression (see `anyOf`), or undefined when they cannot be joined: where it finds
     * nothing, no exclusion changes the text. (The kinds' patterns are not joined so: they begin with `\b`, and
     * joined, the engine tries every one at every letter, three times slower than one at a time.)
     */
    readonly anyExclusion?: RegExp;
    /** Lethal means, longest first, as canonical words. */
    readonly means: readonly CompiledMeans[];
    readonly speller: Speller;
    /** Words a message run together ("iwanttokillmyself") may be split into: every word of the rules. */
    readonly joinable: ReadonlySet<string>;
    /**
     * Real words never split, though made of crisis words ("therapist" is not "the rapist"); a split may use them
     * too, so that "suicidebereavement" is split into words the exclusions know.
     */
    readonly whole: ReadonlySet<string>;
    /**
     * The words the model knows (`whole`) and every literal word of the rules, three letters or more, by length:
     * what a masked letter, letters apart or two halves may make.
     */
    readonly ruleWords: ReadonlyMap<number, readonly string[]>;
}

/** A word the model knows, or a misspelling of one a letter away ("$uc1da1" read as "sucidal"). */
function knownOrNear(word: string, model: CrisisModel): boolean {
    if (model.whole.has(word)) {
        return true;
    }
    const fixed = correctWord(word, model.speller);
    return fixed !== undefined && boundedEditDistance(word, fixed, 1) <= 1;
}

/** How a message is read: with its digits as typed, then with every look-alike and digit read as a letter. */
const READINGS: readonly Reading[] = ['typed', 'wide', 'wide-l'];

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
    // Text-speak for contractions and phrases ("im", "wanna") may be run together too, but not for single words:
    // "bro" and "sis" are found inside too many words ("brooding").
    const joinable = new Set<string>([...FUNCTION_WORDS,
        ...Object.entries(WORD_MAP).filter(([, to]) => /['\s]/.test(to)).map(([from]) => from)]);
    for (const kind of kinds) {
        kind.patterns.forEach((p) => literalWords(p.source).forEach((w) => joinable.add(w)));
    }
    means.forEach((m) => m.words.forEach((w) => joinable.add(w)));
    // Single letters other than "i" and "a" would let almost any run of letters be split.
    [...joinable].filter((w) => w.length === 1 && w !== 'i' && w !== 'a').forEach((w) => joinable.delete(w));
    // Nor are the words of the exclusions: split, "killing myself laughing" would lose what makes it figurative.
    const excluded = rules.exclusions.flatMap((e) => literalWords(expandFragments(e.pattern, rules.fragments)));
    const whole = new Set([...joinable, ...vocabulary, ...rules.notTypos, ...excluded]);
    const ruleWords = new Map<number, string[]>();
    const ruleSet = new Set([...whole, ...kinds.flatMap((k) => k.patterns.flatMap((p) => literalWords(p.source)))]);
    for (const word of ruleSet) {
        if (/^[a-z]{3,}$/.test(word)) ruleWords.set(word.length, [...(ruleWords.get(word.length) ?? []), word]);
    }
    const model: CrisisModel = {
        kinds, exclusions, means, speller: buildSpeller(vocabulary, rules.notTypos), joinable, whole, ruleWords,
        anyExclusion: anyOf(exclusions),
    };
    // JavaScript compiles a regular expression on its first use: done here, at start-up, not in a resident's turn.
    detectCrisis('warm up', model);
    return model;
}

/**
 * Expressions joined as alternatives of one, which matches a text exactly when one of them does: a prefilter made
 * from the rules themselves, so rules added later are always in it. Undefined when one holds a back-reference or
 * a named group (joined, their numbers and names would change) or their flags differ.
 */
export function anyOf(expressions: readonly RegExp[]): RegExp | undefined {
    const flags = new Set(expressions.map((e) => e.flags.replace('g', '')));
    if (expressions.length === 0 || flags.size !== 1) return undefined;
    if (expressions.some((e) => /\\[1-9k]|\(\?<[a-zA-Z]/.test(e.source))) return undefined;
    return new RegExp(expressions.map((e) => `(?:${e.source})`).join('|'), [...flags][0]);
}

/** Every literal word of a pattern, short ones too: "\\b(?:i|i'll) end it\\b" gives i, i'll, end, it. */
function literalWords(source: string): string[] {
    const literal = source.replace(/\\[a-zA-Z]/g, ' ').replace(/\(\?(?:[:=!]|<[=!])/g, ' ');
    return literal.match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
}

/**
 * Letters of runs split per message and way of reading: a few times the longest crisis phrase run together, and
 * a bound on the work (a few milliseconds) however long the message. A run past it is not split.
 */
const SPLIT_BUDGET = 600;

/** The longest word `splitJoined` looks for. */
const LONGEST_JOINABLE = 24;
/** Runs longer than this are split on exact words only: looking for misspelt words in every part costs too much. */
const LONGEST_CORRECTED_RUN = 40;

/** A split of the first letters of a run: its score, its words, and how many are crisis words or unknown letters. */
interface Split {
    score: number;
    /** The last piece, and the split before it (undefined at the start): a list, so a step never copies. */
    piece: string;
    before?: Split;
    known: number;
    unknown: number;
    /** Misspelt words among the pieces: one at most. */
    corrected: number;
    /** Letters in the unknown piece at the end, which the next unknown letter joins; 0 when it ends in a word. */
    run: number;
}

/** The shortest run of unknown letters that may stand as a word of its own. */
const SHORTEST_UNKNOWN = 3;

/**
 * A run of words typed without spaces, split back into words of the crisis rules ("iwanttokillmyself" -> "i want to
 * kill myself"), or undefined when it is not one. Dynamic programming over the letters: each word scores its length
 * squared (long words win over short ones: "feel" and "suicidal", not "feels" and "uicidal"), one misspelt word of
 * six letters or more scores less and is written corrected ("ifeelsucidal"), and each piece and each letter left
 * over costs. It is a split only with at least two known words and at most a third of the letters left over, as
 * words of three letters or more: ordinary words that hold crisis words ("avoiding", "brooding") are not split.
 * Known words are the rules' words and the real words the model knows (`whole`).
 */
export function splitJoined(word: string, model: CrisisModel, favour: 'long' | 'common' = 'long'): string | undefined {
    const n = word.length;
    const correct = n <= LONGEST_CORRECTED_RUN;
    // Favouring common words, fewest pieces come first, then common words, then long ones.
    const pieceCost = favour === 'long' ? 4 : 100;
    const letterCost = favour === 'long' ? 4 : 100;
    // best[i][r]: the best split of word[0..i) that ends in an unknown run of r letters (3 standing for 3 or more).
    const start: Split = { score: 0, piece: '', known: 0, unknown: 0, corrected: 0, run: 0 };
    const best: Array<Array<Split | undefined>> = [[start]];
    // closed[i]: the splits of word[0..i) a word may follow (not ending in one or two unknown letters).
    const closed: Split[][] = [[start]];
    const close = (states: Array<Split | undefined>): Split[] => states.filter((s): s is Split => s !== undefined
        && (s.run === 0 || s.run >= SHORTEST_UNKNOWN));
    for (let i = 1; i <= n; i++) {
        const states: Array<Split | undefined> = [];
        const offer = (candidate: Split) => {
            const r = Math.min(candidate.run, SHORTEST_UNKNOWN);
            const current = states[r];
            if (!current || candidate.score > current.score) states[r] = candidate;
        };
        for (let j = Math.max(0, i - LONGEST_JOINABLE); j < i; j++) {
            const followed = closed[j] as Split[];
            if (followed.length === 0) continue;
            const piece = word.slice(j, i);
            const common = FUNCTION_WORDS.has(piece) || WORD_MAP[piece] !== undefined;
            // A known word may carry a possessive ("friend's").
            const bare = piece.endsWith("'s") ? piece.slice(0, -2) : piece;
            let value: number | undefined;
            let corrected = 0;
            let written = piece;
            // Short rule words ("od", "co") are found inside too many ordinary words ("good") to be split out; "ex",
            // a former partner, is the one two-letter word of the rules a run often holds ("myexhasaknife").
            if ((model.joinable.has(bare) || model.whole.has(bare)) && (common || bare.length >= 3 || bare === 'ex')) {
                // Common short words get a little more, standing in for how often they are written: "ending it
                // all", not "ending i tall".
                value = favour === 'long' ? piece.length ** 1.5 + (common ? 3 : 0)
                    : (common ? 10 : 0) + piece.length;
            } else if (correct && piece.length >= 6) {
                const fixed = correctWord(piece, model.speller);
                if (fixed !== undefined) {
                    // Costlier than splitting into known words: "endingit" is "ending it", not "ending" misspelt.
                    value = favour === 'long' ? 0.4 * piece.length ** 1.5 : -150 + piece.length / 2;
                    corrected = 1;
                    written = fixed;
                }
            }
            if (value === undefined) continue;
            for (const before of followed) {
                // One misspelt word at most, and only in a split that leaves nothing over: "fig urative" is not
                // "fig unalive".
                if (before.corrected + corrected > 1 || (corrected > 0 && before.unknown > 0)) continue;
                offer({ score: before.score + value - pieceCost, piece: written, before,
                    known: before.known + 1, unknown: before.unknown, corrected: before.corrected + corrected,
                    run: 0 });
            }
        }
        for (const before of best[i - 1] ?? []) {
            if (!before || before.corrected > 0) continue;
            // The letter joins the unknown run the split ends in, or starts one.
            const joins = before.run > 0;
            const score = before.score - letterCost - (joins ? 0 : pieceCost);
            offer({ score, piece: (joins ? before.piece : '') + word[i - 1], before: joins ? before.before : before,
                known: before.known, unknown: before.unknown + 1, corrected: before.corrected, run: before.run + 1 });
        }
        best[i] = states;
        closed[i] = close(states);
    }
    const result = (closed[n] as Split[]).sort((x, y) => y.score - x.score)[0];
    if (!result || result.known < 2 || result.unknown * 3 > n) {
        return undefined;
    }
    const pieces: string[] = [];
    for (let at: Split | undefined = result; at?.before !== undefined; at = at.before) {
        pieces.push(at.piece);
    }
    return pieces.reverse().join(' ');
}

/**
 * The canonical text with every run of words typed without spaces split back into words, favouring long words and
 * then common ones ("is having", not "i shaving"); none when there is no run to split. Only words that are not real
 * words themselves are split, so "therapist" or "skillset" stay whole.
 */
function withJoinedSplit(typed: CanonicalText, model: CrisisModel): string[] {
    const texts: string[] = [];
    for (const favour of ['long', 'common'] as const) {
        let changed = false;
        let budget = SPLIT_BUDGET;
        const words = typed.tokens.map((t) => {
            if (t.boundary || t.text.length < 3 || model.whole.has(t.text) || !/^[a-z0-9']+$/.test(t.text)) {
                return t.text;
            }
            // Numbers in the run stand apart ("itook30tablets"); the letters either side are split into words.
            return t.text.split(/(\d+)/).filter(Boolean).map((part) => {
                if (/\d/.test(part) || part.length < 3 || model.whole.has(part) || budget <= 0) {
                    changed ||= part !== t.text;
                    return part;
                }
                // Only the letters left in the budget are split; the rest of a very long run stays as it is.
                const head = part.slice(0, budget);
                budget -= head.length;
                const split = splitJoined(head, model, favour);
                changed ||= split !== undefined || part !== t.text;
                return split === undefined ? part : `${split} ${part.slice(head.length)}`.trim();
            }).join(' ');
        });
        // Normalised again, so text-speak and contractions in the run are read as usual ("imgonna" -> "i'm going to").
        if (changed) texts.push(normalise(words.join(' ')));
    }
    return texts;
}

/** Signs people put for one letter they would rather not write ("k*ll", "su#cide"). */
const MASKS = '*#%';
/** A word with a masked letter inside: letters either side of each sign. */
const MASKED_WORD = /(?<![\p{L}\p{N}])[a-z]+(?:[*#%]+[a-z]+)+(?![\p{L}\p{N}])/gu;
/** Three or more single letters, each apart from the next by the same one space, '.', '-', '_' or '*'. */
const LETTERS_APART = /(?<![\p{L}\p{N}'])[a-z]([ ._*-])[a-z](?:\1[a-z]){1,}(?![\p{L}\p{N}'])/gu;
/** Punctuation that ends a sentence or clause between two words ("Kill. Myself."). */
const SENTENCE_PUNCTUATION = /(?<=[\p{L}\p{N}])[.,;:!?]+(?=\s|$)/gu;
/** The longest word a run of letters apart, a masked word or two halves may make: longer is not one word. */
const LONGEST_HIDDEN = 24;
/** Rewrites of each kind per message: a bound on the work whatever the message. */
const HIDDEN_BUDGET = 64;
/** Masked words per message looked for with a misspelling too (each against every rule word). */
const FUZZY_MASKED = 8;
/** Endings of words, which the rules hold as words of their own ("end(?:ing)?" gives "ing"). */
const ENDING = /^(?:[tnpmlgd]?ing|[td]?ed|e?s|ly)$/;
/** Readings of a message whose masked words may be more than one rule word. */
const MASK_CHOICES = 4;

/**
 * The rule words the masked word may stand for, each sign one letter ("li*e" -> "life", "like", "live"). A word of six
 * letters or more may also be misspelt, as the wide reading allows (one letter, two from eight): "d*ssapear".
 */
function unmask(word: string, model: CrisisModel, fuzzy: boolean): string[] {
    // Single letters apart by '*' ("k*i*l*l") are letters apart, joined below.
    if (word.length > LONGEST_HIDDEN || /^[a-z](?:[*#%][a-z])+$/.test(word)) return [];
    const letters = [...word];
    const exact = model.ruleWords.get(word.length)
        ?.filter((rule) => letters.every((c, i) => MASKS.includes(c) || c === rule[i])) ?? [];
    if (exact.length > 0 || !fuzzy || word.length < 6) return exact;
    const limit = word.length >= 8 ? 2 : 1;
    for (let length = word.length - limit; length <= word.length + limit; length++) {
        const found = model.ruleWords.get(length)?.find((rule) => maskedDistance(word, rule, limit) <= limit);
        if (found !== undefined) return [found];
    }
    return [];
}

/** Edit distance where a mask sign matches any letter, or `limit + 1` once past the limit. */
function maskedDistance(word: string, rule: string, limit: number): number {
    let previous = Array.from({ length: rule.length + 1 }, (_, j) => j);
    for (let i = 1; i <= word.length; i++) {
        const row = [i];
        let least = i;
        for (let j = 1; j <= rule.length; j++) {
            const same = word[i - 1] === rule[j - 1] || MASKS.includes(word[i - 1] as string);
            const cost = Math.min((previous[j - 1] as number) + (same ? 0 : 1), (previous[j] as number) + 1,
                (row[j - 1] as number) + 1);
            row.push(cost);
            least = Math.min(least, cost);
        }
        if (least > limit) return limit + 1;
        previous = row;
    }
    return previous[rule.length] as number;
}

/**
 * Whether letters joined make a word the crisis rules could read: a known word, one with a short ending ("killing"
 * from "kill"), or words run together that `splitJoined` splits ("killmyself").
 */
function readsAsWords(joined: string, model: CrisisModel): boolean {
    if (joined.length > LONGEST_HIDDEN * 2) return false;
    if (model.whole.has(joined) || nearRuleWord(joined, model) !== undefined) return true;
    for (let end = joined.length - 1; end >= Math.max(4, joined.length - 3); end--) {
        if (model.whole.has(joined.slice(0, end)) && joined.slice(0, end).length >= 4) return true;
    }
    return joined.length >= 4 && splitJoined(joined, model) !== undefined;
}

/**
 * Two words apart by one space or hyphen joined where neither is a known word and together they make a rule word
 * ("sui cidal", "sui-cidal", "overd ose"); words with digits, apostrophes or signs next to them stay.
 */
function joinHalves(text: string, model: CrisisModel): string {
    const words = [...text.matchAll(/[a-z]+/g)];
    const pure = (i: number): boolean => {
        const w = words[i] as RegExpMatchArray;
        const at = w.index as number;
        const apart = (ch: string | undefined) => !/[\p{L}\p{N}'*#%]/u.test(ch ?? ' ');
        return apart(text[at - 1]) && apart(text[at + w[0].length]);
    };
    let out = '';
    let from = 0;
    let budget = HIDDEN_BUDGET;
    for (let i = 0; i + 1 < words.length && budget > 0; i++) {
        const [head, tail] = [words[i] as RegExpMatchArray, words[i + 1] as RegExpMatchArray];
        const gap = text.slice((head.index as number) + head[0].length, tail.index);
        // One half may be a word ("table ts"), not both: "re-do" and "some one" are read as written. An ending is no
        // word, though the rules know it as one ("cut ting", "end-ing").
        const word = (half: string) => model.whole.has(half) && !ENDING.test(half);
        if ((gap !== ' ' && gap !== '-') || (word(head[0]) && word(tail[0]))) continue;
        if (!pure(i) || !pure(i + 1)) continue;
        budget--;
        const joined = head[0] + tail[0];
        // A misspelt join counts only where the word it is read as needs both halves: "nobody wo" is not "nobody";
        // and only where neither half is a word already: "a balance" is not "ambulance".
        const near = isRuleWord(joined, model) || word(head[0]) || word(tail[0]) ? undefined
            : nearRuleWord(joined, model);
        const halves = Math.max(head[0].length, tail[0].length) + 2;
        if (joined.length > LONGEST_HIDDEN || !(isRuleWord(joined, model) || (near !== undefined
            && near.length >= halves))) continue;
        out += text.slice(from, head.index) + joined;
        from = (tail.index as number) + tail[0].length;
        i++;
    }
    return out + text.slice(from);
}

/** A misspelling of a rule word of six letters or more, as far as the wide reading corrects ("di ssapear"). */
function nearRuleWord(word: string, model: CrisisModel): string | undefined {
    if (word.length < 6) return undefined;
    const fixed = correctWord(word, model.speller);
    return fixed !== undefined && boundedEditDistance(word, fixed, 2) <= (word.length >= 8 ? 2 : 1) ? fixed : undefined;
}

/** A rule word of three letters or more: what two halves must make to be joined. */
function isRuleWord(word: string, model: CrisisModel): boolean {
    return model.ruleWords.get(word.length)?.includes(word) ?? false;
}

/**
 * The message with words hidden by spacing, splitting or masking put back, and the same again without sentence
 * punctuation; only those that differ from the message. Read in the wide reading as well as the message itself:
 * - a letter masked by '*', '#' or '%' inside a word is read as any letter, only where that makes a word of the rules
 *   ("k*ll" -> "kill"; "sh*t" stays, being no rule word);
 * - three or more single letters apart by one space, '.', '-', '_' or '*' are joined where the run makes a known
 *   word or words, or a rule word with the word next to it ("k i l l" -> "kill", "s u i cidal"; "I am a" stays);
 * - two words apart by a space or hyphen, neither of them a known word, are joined where they make a rule word
 *   ("sui cidal", "overd ose"; "re-do" and "some one" stay);
 * - sentence punctuation between words is removed in the second text, so that "Kill. Myself." reads as a phrase.
 * Linear in the length; at most `HIDDEN_BUDGET` words rewritten of each kind.
 */
export function revealHidden(text: string, model: CrisisModel): string[] {
    const folded = foldForMatching(text, true).toLowerCase();
    // Each masked word's rule words, found once; a masked word with several ("li*e") is read as each in turn, in
    // as many texts as the most any word has (at most MASK_CHOICES).
    const masked = new Map<string, string[]>();
    let budget = HIDDEN_BUDGET;
    for (const [word] of folded.matchAll(MASKED_WORD)) {
        if (budget-- <= 0) break;
        if (!masked.has(word)) masked.set(word, unmask(word, model, budget >= HIDDEN_BUDGET - FUZZY_MASKED));
    }
    const choices = Math.max(1, Math.min(MASK_CHOICES, ...[...masked.values()].map((c) => c.length)));
    const texts: string[] = [];
    for (let choice = 0; choice < choices; choice++) {
        const unmasked = folded.replace(MASKED_WORD, (word) => {
            const rules = masked.get(word) ?? [];
            return rules[Math.min(choice, rules.length - 1)] ?? word;
        });
        const revealed = joinHalves(joinLettersApart(unmasked, model), model);
        texts.push(revealed, revealed.replace(SENTENCE_PUNCTUATION, ' '));
    }
    return [...new Set(texts)].filter((t) => t !== folded);
}

/** Runs of single letters apart joined where they make words (see `revealHidden`). */
function joinLettersApart(text: string, model: CrisisModel): string {
    let budget = HIDDEN_BUDGET;
    return text.replace(LETTERS_APART, (run, _sep: string, offset: number, whole: string) => {
        if (budget-- <= 0) return run;
        const joined = run.replace(/[^a-z]/g, '');
        if (readsAsWords(joined, model)) return joined;
        // A run that is the start or end of a word typed next to it ("s u i cidal", "overd o s e").
        const after = /^ ([a-z]+)/.exec(whole.slice(offset + run.length))?.[1];
        const before = /([a-z]+) $/.exec(whole.slice(0, offset))?.[1];
        // Kept a word of its own, to be joined by `joinHalves`, where it makes a rule word with the word next to it.
        if (after !== undefined && isRuleWord(joined + after, model)) return joined;
        if (before !== undefined && isRuleWord(before + joined, model)) return joined;
        return run;
    });
}

/** The text with every figurative or non-risk use blanked out. */
function withoutExclusions(text: string, model: CrisisModel): string {
    // Each exclusion reads the text the ones before it left: when none matches the text itself, none changes it.
    if (model.anyExclusion && !model.anyExclusion.test(text)) return text;
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
    // Read the usual way, then with every look-alike and digit read as a letter: a crisis found in any counts. Words
    // spaced, split or masked, and phrases cut by full stops, are read put back, in the wide reading only.
    const readings: Array<readonly [string, Reading]> = [...READINGS.map((r) => [text, r] as const),
        ...revealHidden(text, model).map((t) => [t, 'wide'] as const)];
    for (const [raw, reading] of readings) {
        const typed = canonical(raw, reading, {
            known: (word) => model.whole.has(word), near: (word) => knownOrNear(word, model),
        });
        if (typed.tokens.length === 0 || variants.has(typed.text)) {
            continue;
        }
        variants.add(typed.text);
        // Read wide, a misspelling is corrected only one letter away ("d1sapear"), two in long words: otherwise
        // ordinary words drift into crisis words ("over50s" -> "oversos" -> "overdose").
        const corrected = correctWords(typed.tokens.map((t) => t.text), model.speller);
        if (reading !== 'typed') {
            for (const [i, was] of corrected.changed) {
                const limit = was.length >= 8 ? 2 : 1;
                if (boundedEditDistance(was, corrected.words[i] as string, limit) > limit) {
                    corrected.words[i] = was;
                    corrected.changed.delete(i);
                }
            }
        }
        const spelt = corrected.changed.size > 0 ? fromWords(corrected.words) : undefined;
        if (spelt) {
            variants.add(spelt.text);
        }
        // Runs split as typed and as corrected ("iwant to dissapear"); what a split leaves over is not corrected.
        for (const text of spelt ? [typed, spelt] : [typed]) {
            withJoinedSplit(text, model).forEach((split) => variants.add(split));
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

/** The crisis kind of a threat from someone at home: never answered as a helper (see helpingReply). */
const DANGER_AT_HOME = 'danger-at-home';

/** The compiled reply for a helper (knowledge/crisis.json "helping"): built once, like the crisis model. */
export interface HelpingModel {
    other: RegExp[];
    self: RegExp[];
    child: RegExp[];
    helping: NonNullable<CrisisRules['helping']>;
}

/** Compiles the helper's reply, or undefined when the crisis file has none (everyone gets the usual reply). */
export function buildHelpingModel(rules: CrisisRules): HelpingModel | undefined {
    const helping = rules.helping;
    if (!helping) return undefined;
    const compile = (patterns: string[]) => patterns.map((p) => new RegExp(expandFragments(p, rules.fragments), ''));
    return { other: compile(helping.other), self: compile(helping.self), child: compile(helping.child), helping };
}

/** What a helper is told: the line said first, and the lines after the routes. */
export interface HelpingReply {
    intro: string;
    lines: string[];
}

/**
 * The reply for a helper when a crisis message is about someone else ("my friend says she wants to kill herself"),
 * else undefined (the usual reply). Only when a person word is there and nothing says the writer is at risk
 * themselves ("myself", "he hits me", "us", "me and my sister"): a message that is both keeps the usual reply, which
 * speaks to the writer; so does any danger at home, where the person named is usually the danger.
 * The routes are the same either way; only the words around them change. A kind found (`kinds`, from
 * `detectCrisis`) with lines of its own (`kindLines`: harm to a child) gets those instead of the Childline line,
 * whose numbers its routes already carry; the general lines stay when another kind was found too. Pure.
 */
export function helpingReply(text: string, model: HelpingModel | undefined, kinds: readonly string[] = [])
    : HelpingReply | undefined {
    if (!model) return undefined;
    // Danger at home: the person named is usually the one causing it ("my husband has a knife"), so the writer is
    // spoken to, never told to "stay with them".
    if (kinds.includes(DANGER_AT_HOME)) return undefined;
    const t = ` ${canonical(text).text} `;
    if (!model.other.some((p) => p.test(t)) || model.self.some((p) => p.test(t))) return undefined;
    const { helping } = model;
    const own = kinds.filter((k) => helping.kindLines?.[k] !== undefined);
    const kindLines = own.flatMap((k) => helping.kindLines?.[k] ?? []);
    if (own.length > 0) {
        const general = kinds.some((k) => !own.includes(k)) ? helping.lines : [];
        return { intro: helping.intro, lines: [...general, ...kindLines] };
    }
    const child = model.child.some((p) => p.test(t));
    return { intro: helping.intro, lines: [...helping.lines, ...(child ? [helping.childLine] : [])] };
}
