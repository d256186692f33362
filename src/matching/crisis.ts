/**
 * Crisis detection: does a message show immediate risk (suicide, self-harm, overdose, danger at home or to others, a
 * medical emergency)? It must never miss, so it errs towards yes: the message is checked as typed and again with
 * misspellings corrected ("sucidal"), and a match in either counts. Figurative speech ("this heat is killing me",
 * "dead tired", "suicide bereavement group") is removed first by narrow exclusions, so the patterns that follow can
 * stay broad. A message that is nothing but a lethal-means word ("noose", "razor blades") also counts.
 */
import { expandFragments } from '../knowledge/taxonomy';
import type { CrisisRules } from '../knowledge/taxonomy';
import { buildSpeller, correctWords, patternWords } from './spelling';
import type { Speller } from './spelling';
import { canonical, FUNCTION_WORDS, fromWords } from './text';

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
}

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
    return { kinds, exclusions, means, speller: buildSpeller(vocabulary, rules.notTypos) };
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
    const typed = canonical(text);
    if (typed.tokens.length === 0) {
        return { crisis: false, kinds: [] };
    }
    const variants = [typed.text];
    const corrected = correctWords(typed.tokens.map((t) => t.text), model.speller);
    if (corrected.changed.size > 0) {
        variants.push(fromWords(corrected.words).text);
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
