/**
 * Text -> needs. The taxonomy's lexicon is compiled once into a model; each message is then normalised, spelling-
 * corrected against the lexicon's own words, and matched in three passes, most specific first:
 *
 * 1. patterns: regular expressions for indirect statements ("the house is so quiet", "don't know anyone");
 * 2. phrases: several words in a row, compared without plural endings ("walking groups" meets "walking group");
 * 3. terms: single words, compared the same way.
 *
 * Words a pattern or phrase used are not counted again as terms, so "my partner controls my money" is domestic abuse
 * and not also money worries; a phrase inside a pattern of its own need counts once, at the higher weight. Phrases
 * and terms after a negation in the same clause are dropped ("I'm not lonely"), but "no", "can't" and "don't have"
 * are not negations here: "no mates" and "can't pay" are what people need help with. A pattern is dropped after a
 * negation too ("I'm not in debt"); patterns carry any negation they need inside them ("don't know anyone"). Evidence
 * for a need combines as independent signals (noisy-OR), so two weak words make a fair guess.
 */
import { expandFragments } from '../knowledge/taxonomy';
import type { NeedTaxonomy } from '../knowledge/taxonomy';
import { buildSpeller, correctWords, patternWords } from './spelling';
import type { Speller } from './spelling';
import { canonical, fromWords, lexiconKey } from './text';
import type { CanonicalText, Token } from './text';
import type { NeedScore } from './types';

/** Tunables of need detection, frozen (as in config.ts). */
export interface NeedTuning {
    /** At or above this a need is confident: the bot may reflect it back without asking. */
    confident: number;
    /** Below this a need is dropped; between this and `confident` the bot should check. */
    minScore: number;
    /** A word we had to correct counts for a little less than one typed right. */
    correctedFactor: number;
    /** How many words back from a term a negation still reaches. */
    negationWindow: number;
    /**
     * What lexicon words and typed words are compared on. lexiconKey by default (plural and possessive endings off);
     * `npm run eval` compares it with natural's Porter and Lancaster stemmers (docs/matching.md).
     */
    wordKey: (word: string) => string;
    /**
     * True for what residents type: misspellings are corrected and first-person patterns ("the house is so quiet")
     * apply. False for edited prose such as service descriptions, where correction invents matches ("gritting" read
     * as "grieving") and the patterns, most of the cost, never match.
     */
    residentSpeech: boolean;
}

/** The defaults; `buildNeedModel` takes overrides. */
export const NEED_TUNING: Readonly<NeedTuning> = Object.freeze({
    confident: 0.6,
    minScore: 0.35,
    correctedFactor: 0.9,
    negationWindow: 5,
    wordKey: lexiconKey,
    residentSpeech: true,
});

interface CompiledPattern {
    needId: string;
    regex: RegExp;
    weight: number;
    /** False for patterns that only add a related need ("gambling" -> money): their words still count as terms. */
    usesWords: boolean;
}

interface CompiledPhrase {
    needId: string;
    keys: string[];
    weight: number;
}

interface CompiledTerm {
    needId: string;
    weight: number;
}

/** The compiled taxonomy. Build once with `buildNeedModel` and share: detection never changes it. */
export interface NeedModel {
    /** Need ids in taxonomy order, which breaks ties between equal scores. */
    readonly needIds: readonly string[];
    readonly patterns: readonly CompiledPattern[];
    /** Phrases by the key (tuning.wordKey, lexiconKey by default) of their first word. */
    readonly phrases: ReadonlyMap<string, readonly CompiledPhrase[]>;
    /** Terms by key (tuning.wordKey). */
    readonly terms: ReadonlyMap<string, readonly CompiledTerm[]>;
    readonly speller: Speller;
    readonly tuning: Readonly<NeedTuning>;
    /** The third person read as the first before detection (knowledge/needs.json asFirstPerson; issue 18). */
    readonly asFirstPerson?: readonly { from: RegExp; to: string }[];
}

/** Words that negate what follows in their clause. */
const NEGATIONS: ReadonlySet<string> = new Set([
    'not', "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't", 'never', 'nor',
    'neither', "ain't",
]);

/** Words between a negation and a term that turn "not" into "lack of": "don't have any friends", "not enough money". */
const LACK_WORDS: ReadonlySet<string> = new Set([
    'have', 'got', 'any', 'enough', 'many', 'much', 'get', 'sure', 'know',
]);

/** Words that start a new clause, so a negation before them does not reach past them. */
const CLAUSE_WORDS: ReadonlySet<string> = new Set([
    'but', 'just', 'although', 'though', 'however', 'because', 'so', 'except', 'only', 'whereas', 'instead', 'rather',
]);

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) {
        list.push(value);
    } else {
        map.set(key, [value]);
    }
}

/**
 * Compiles a validated taxonomy (see src/knowledge/taxonomy.ts) into a model for `detectNeeds`. Costs a few tens of
 * milliseconds; call it once at start-up.
 */
export function buildNeedModel(taxonomy: NeedTaxonomy, tuning: Partial<NeedTuning> = {}): NeedModel {
    const settings: Readonly<NeedTuning> = Object.freeze({ ...NEED_TUNING, ...tuning });
    const key = settings.wordKey;
    const patterns: CompiledPattern[] = [];
    const phrases = new Map<string, CompiledPhrase[]>();
    const terms = new Map<string, CompiledTerm[]>();
    const vocabulary = new Set<string>();
    const defaults = taxonomy.defaultWeights;

    for (const need of taxonomy.needs) {
        for (const entry of settings.residentSpeech ? need.patterns : []) {
            const source = expandFragments(entry.pattern, taxonomy.fragments);
            patterns.push({
                needId: need.id,
                regex: new RegExp(source, 'g'),
                weight: entry.weight ?? defaults.pattern,
                usesWords: entry.keepsWords !== true,
            });
            patternWords(source).forEach((w) => vocabulary.add(w));
        }
        // Lexicon entries go through the same normaliser as messages, so "self-esteem" and "men's shed" line up.
        const lexicon = [
            ...need.phrases.map((e) => ({ e, weight: e.weight ?? defaults.phrase })),
            ...need.terms.map((e) => ({ e, weight: e.weight ?? defaults.term })),
        ];
        for (const { e, weight } of lexicon) {
            const words = canonical(e.text).tokens.filter((t) => !t.boundary).map((t) => t.text);
            words.forEach((w) => vocabulary.add(w));
            if (words.length === 1) {
                const termKey = key(words[0] as string);
                const existing = terms.get(termKey)?.find((t) => t.needId === need.id);
                if (existing) {
                    existing.weight = Math.max(existing.weight, weight);
                } else {
                    add(terms, termKey, { needId: need.id, weight });
                }
            } else if (words.length > 1) {
                const keys = words.map(key);
                add(phrases, keys[0] as string, { needId: need.id, keys, weight });
            }
        }
    }
    // Longest phrases first, so "walking football" is tried before "walking".
    for (const list of phrases.values()) {
        list.sort((a, b) => b.keys.length - a.keys.length);
    }
    return {
        needIds: taxonomy.needs.map((n) => n.id),
        patterns,
        phrases,
        terms,
        speller: settings.residentSpeech ? buildSpeller(vocabulary, taxonomy.notTypos, key) : buildSpeller([]),
        tuning: settings,
        asFirstPerson: settings.residentSpeech ? (taxonomy.asFirstPerson ?? []).map((r) => ({
            from: new RegExp(expandFragments(r.from, taxonomy.fragments), 'g'), to: r.to,
        })) : [],
    };
}

/** Whether the word at `index` sits after a negation in its clause ("not really that lonely"). */
export function isNegated(tokens: readonly Token[], index: number, window: number): boolean {
    let lack = false;
    for (let i = index - 1; i >= 0 && i >= index - window; i--) {
        const word = (tokens[i] as Token).text;
        if ((tokens[i] as Token).boundary || CLAUSE_WORDS.has(word)) {
            return false;
        }
        if (word === 'longer' && tokens[i - 1]?.text === 'no') {
            return true;
        }
        if (NEGATIONS.has(word)) {
            return !lack;
        }
        if (LACK_WORDS.has(word)) {
            lack = true;
        }
    }
    return false;
}

/** One word's signal for a need: its weight, and the words as the resident wrote them. */
export interface Evidence {
    needId: string;
    weight: number;
    text: string;
}

/**
 * Token indices covered by the characters [start, end) of the canonical text. Tokens are in text order, so a binary
 * search finds the first: a long message (pasted text, 100 KB) has thousands of pattern matches and tokens.
 */
function tokenSpan(tokens: readonly Token[], start: number, end: number): number[] {
    let low = 0;
    let high = tokens.length;
    while (low < high) {
        const middle = (low + high) >> 1;
        if ((tokens[middle] as Token).end <= start) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    const span: number[] = [];
    for (let i = low; i < tokens.length && (tokens[i] as Token).start < end; i++) {
        span.push(i);
    }
    return span;
}

/**
 * Every non-empty match of a global regular expression. Not String.prototype.matchAll, which copies the expression on
 * each call: with some two hundred patterns per message, the copies cost more than the matching.
 */
function allMatches(regex: RegExp, text: string): RegExpExecArray[] {
    const matches: RegExpExecArray[] = [];
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(text)) !== null) {
        if (match[0].length === 0) {
            // Step past an empty match, or exec would find it again for ever.
            regex.lastIndex++;
        } else {
            matches.push(match);
        }
    }
    return matches;
}

/**
 * The needs a message names, best first, each with a score in 0..1 and the words that suggested it.
 * Scores of `tuning.confident` (0.6) and above are confident; those from `tuning.minScore` (0.35) are unsure;
 * lower ones are dropped. Empty for small talk ("hello", "thanks"). Pure; well under a millisecond per message.
 */
export function detectNeeds(text: string, model: NeedModel): NeedScore[] {
    const typed = canonical(text);
    const found = detectIn(typed, model);
    // "My dad is on his own" names the need "on my own" does: the lexicon is in the first person (issue 18). The
    // message is read again as if the writer said it of themselves, and each need keeps its higher score, so what
    // the words found as typed ("he was killed", "his passing") is never lost.
    if (!model.asFirstPerson?.length) return found;
    const mine = model.asFirstPerson.reduce((t, r) => t.replace(r.from, r.to), typed.text);
    if (mine === typed.text) return found;
    const best = new Map(found.map((n) => [n.id, n]));
    for (const n of detectIn(canonical(mine), model)) {
        const had = best.get(n.id);
        if (!had || n.score > had.score) best.set(n.id, n);
    }
    const order = new Map(model.needIds.map((id, i) => [id, i]));
    return [...best.values()].sort((a, b) => b.score - a.score || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

/** The needs one reading of a message names, scored. */
function detectIn(typed: CanonicalText, model: NeedModel): NeedScore[] {
    if (typed.tokens.length === 0) {
        return [];
    }
    const { words, changed } = correctWords(typed.tokens.map((t) => t.text), model.speller);
    const message = changed.size > 0 ? fromWords(words) : typed;
    const tokens = message.tokens;
    const used = new Array<boolean>(tokens.length).fill(false);
    // The pattern evidence over each word, by need: a phrase inside a pattern of its own need is the same words
    // again, one signal, so it raises that pattern's weight to its own instead of counting twice (issue 18).
    const patternAt: (Map<string, Evidence> | undefined)[] = [];
    const evidence: Evidence[] = [];
    const { correctedFactor, negationWindow } = model.tuning;
    const factor = (span: readonly number[]): number => (span.some((i) => changed.has(i)) ? correctedFactor : 1);

    const keys = tokens.map((t) => (t.boundary ? '' : model.tuning.wordKey(t.text)));
    // A pattern that uses a word says at least what that word says alone for its need: "had a stroke" (0.75) is no
    // weaker than "stroke" (0.8), which it takes from the terms (issue 18).
    const termWeight = (span: readonly number[], needId: string): number => span.reduce((best, i) => Math.max(best,
        model.terms.get(keys[i] as string)?.find((t) => t.needId === needId)?.weight ?? 0), 0);
    for (const pattern of model.patterns) {
        for (const match of allMatches(pattern.regex, message.text)) {
            const span = tokenSpan(tokens, match.index, match.index + match[0].length);
            if (pattern.usesWords) {
                span.forEach((i) => { used[i] = true; });
            }
            // A pattern that starts with its own negation ("don't know anyone") is not negated by it; one that
            // follows a negation ("I'm not in debt") is.
            if (span.length > 0 && !isNegated(tokens, span[0] as number, negationWindow)) {
                const weight = pattern.usesWords ? Math.max(pattern.weight, termWeight(span, pattern.needId))
                    : pattern.weight;
                const found = { needId: pattern.needId, weight: weight * factor(span), text: match[0].trim() };
                evidence.push(found);
                span.forEach((i) => { (patternAt[i] ??= new Map()).set(pattern.needId, found); });
            }
        }
    }

    for (let i = 0; i < tokens.length; i++) {
        const candidates = model.phrases.get(keys[i] as string);
        if (!candidates) {
            continue;
        }
        for (const phrase of candidates) {
            const n = phrase.keys.length;
            if (i + n > tokens.length || !phrase.keys.every((key, k) => keys[i + k] === key)) {
                continue;
            }
            const span = Array.from({ length: n }, (_, k) => i + k);
            span.forEach((k) => { used[k] = true; });
            const inside = patternAt[i]?.get(phrase.needId);
            if (inside && span.every((k) => patternAt[k]?.get(phrase.needId) === inside)) {
                inside.weight = Math.max(inside.weight, phrase.weight * factor(span));
                continue;
            }
            if (!isNegated(tokens, i, negationWindow)) {
                const words = span.map((k) => (tokens[k] as Token).text).join(' ');
                evidence.push({ needId: phrase.needId, weight: phrase.weight * factor(span), text: words });
            }
        }
    }

    tokens.forEach((token, i) => {
        if (used[i] || token.boundary) {
            return;
        }
        const candidates = model.terms.get(keys[i] as string);
        if (!candidates || isNegated(tokens, i, negationWindow)) {
            return;
        }
        for (const term of candidates) {
            evidence.push({ needId: term.needId, weight: term.weight * factor([i]), text: token.text });
        }
    });

    return scoreEvidence(evidence, model.needIds, model.tuning.minScore);
}

/**
 * Combines evidence per need (noisy-OR over distinct words) and keeps the needs at or above `minScore`, highest
 * first, ties in the taxonomy's order. Every language's lexicon scores this way (localeNeeds.ts too).
 */
export function scoreEvidence(evidence: readonly Evidence[], needIds: readonly string[], minScore: number)
    : NeedScore[] {
    const byNeed = new Map<string, Map<string, number>>();
    for (const e of evidence) {
        const texts = byNeed.get(e.needId) ?? new Map<string, number>();
        // The same words twice ("lonely, so lonely") are one signal, not two.
        texts.set(e.text, Math.max(texts.get(e.text) ?? 0, e.weight));
        byNeed.set(e.needId, texts);
    }
    const results: NeedScore[] = [];
    for (const [id, texts] of byNeed) {
        let miss = 1;
        for (const w of texts.values()) {
            miss *= 1 - Math.min(w, 0.99);
        }
        const value = Math.round((1 - miss) * 100) / 100;
        if (value >= minScore) {
            const ranked = [...texts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
            results.push({ id, score: value, evidence: ranked });
        }
    }
    const order = (id: string): number => needIds.indexOf(id);
    return results.sort((a, b) => b.score - a.score || order(a.id) - order(b.id));
}
