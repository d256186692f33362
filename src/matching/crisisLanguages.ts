/**
 * Crisis detection in the other languages of knowledge/languages. Every language's rules run on every message,
 * whatever language it seems to be in: safety must not depend on guessing the language right. The language whose
 * rules fired only chooses the line shown before the routes. Pure: no I/O, no botbuilder.
 *
 * Rules are regular expressions over the text folded by `foldForLanguages` (lower case, marks people leave out
 * removed, Arabic-script letters made one), and are folded the same way themselves, so they may be written with or
 * without diacritics. In a rule, `\b` is a word edge in any script and `\w` a letter of any script (JavaScript's own
 * know only a-z). Exclusions (figurative speech: "dying of laughter", "my mum will kill me") are blanked out first.
 */
import type { LanguageFile } from '../knowledge/languages';
import { expandFragments } from '../knowledge/taxonomy';
import { foldForLanguages, foldRule } from '../unicode';
import { anyOf } from './crisis';

interface CompiledRule {
    kind: string;
    all: RegExp[];
}

interface CompiledLanguage {
    code: string;
    rules: CompiledRule[];
    /**
     * The first expression of every rule as one (undefined when they cannot be joined): a rule fires only where its
     * first expression matches, so where this finds nothing the language is done after one read of the message.
     */
    anyRule?: RegExp;
    exclusions: RegExp[];
    child: RegExp[];
}

/** The compiled rules of every language. Build once with `buildLanguageCrisisModel`. */
export interface LanguageCrisisModel {
    readonly languages: readonly CompiledLanguage[];
}

/** What the other languages' rules found in a message. */
export interface LanguageCrisis {
    /** Crisis kinds found, in knowledge/crisis.json's kind ids; empty when none. */
    kinds: string[];
    /** The languages whose rules fired, in file order. */
    languages: string[];
    /** The languages whose rules fired and that also name a child in the message. */
    aboutChild: string[];
}

/**
 * The text a rule reads is folded, then made words of letters and digits, each between single spaces (punctuation
 * and apostrophes become spaces). So a word edge is just a space on one side, and a letter anything but a space:
 * far faster than Unicode classes in look-behinds, over some 200 rules per message.
 */
const LETTER = '[^ ]';
/** A word edge anywhere: slow in front of every alternative (a look-behind the engine cannot scan for). */
const EDGE = '(?:(?<= )|(?= ))';
/** A word edge before a word: the text starts with a space, so a literal one, which the engine scans for quickly. */
const LEADING_EDGE = ' ';
/** A word edge after a word: the text ends with a space. */
const TRAILING_EDGE = '(?= )';

/**
 * `\b` as a word edge over the spaced text: at the start of an alternative that begins the rule (of the rule, or of
 * a group that itself begins the rule or one of its leading alternatives), a literal space; after a letter, a group
 * or a quantifier, a space ahead; anywhere else (inside a group after other parts, after a space in the rule) the
 * general edge. Before a word, an edge is the space before it, so a literal space there finds the same messages, and
 * the engine scans for it quickly instead of trying a look-behind at every character. Measured: every language's
 * rules on a 5,000-character message went from some 55 ms to some 3.5 ms with literal spaces at the top level, and
 * to some 2 ms with them in leading groups too (`(?:\bfoo|\bbar)`, as `all` rules begin), with the same results
 * on every line of the eval sets.
 */
function edges(source: string): string {
    let out = '';
    // Per open group: whether its alternatives begin where the rule begins (a word edge there is a space before).
    const groups: boolean[] = [];
    let alternativeStart = true;
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i] as string;
        const leading = alternativeStart && (groups.length === 0 || groups[groups.length - 1] === true);
        if (ch === '\\') {
            const next = source[i + 1] ?? '';
            if (next === 'b' && !inClass) {
                const before = out[out.length - 1];
                const after = source[i + 2];
                if (leading) out += LEADING_EDGE;
                else if (after === undefined || after === '|' || after === ')' || after === ' ') out += TRAILING_EDGE;
                else if (before !== undefined && /[\p{L}\p{N}]/u.test(before)) out += TRAILING_EDGE;
                else out += EDGE;
            } else {
                out += ch + next;
            }
            i++;
            alternativeStart = false;
            continue;
        }
        if (inClass) {
            if (ch === ']') inClass = false;
        } else if (ch === '[') {
            inClass = true;
        } else if (ch === '(') {
            // A plain or non-capturing group leads when it begins a leading alternative; look-arounds never do.
            const opener = ['(?<=', '(?<!', '(?:', '(?=', '(?!'].find((o) => source.startsWith(o, i)) ?? '(';
            groups.push(leading && (opener === '(?:' || opener === '('));
            out += opener;
            i += opener.length - 1;
            alternativeStart = true;
            continue;
        } else if (ch === ')') {
            groups.pop();
        } else if (ch === '|') {
            out += ch;
            alternativeStart = true;
            continue;
        }
        out += ch;
        alternativeStart = false;
    }
    return out;
}

/** Hyphens between letters outside character classes ("m-am", "matar-me") as the spaces the text has there. */
function hyphensAsSpaces(source: string): string {
    let out = '';
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
        const ch = source[i] as string;
        if (ch === '\\') {
            out += ch + (source[i + 1] ?? '');
            i++;
            continue;
        }
        if (ch === '[') inClass = true;
        else if (ch === ']') inClass = false;
        const between = /\p{L}/u.test(source[i - 1] ?? '') && /\p{L}/u.test(source[i + 1] ?? '');
        out += ch === '-' && !inClass && between ? ' ' : ch;
    }
    return out;
}

/** A rule's source with fragments filled in, its letters folded, and `\b` and `\w` made to work in every script. */
function compile(source: string, fragments: Readonly<Record<string, string>>, flags: string): RegExp {
    const expanded = hyphensAsSpaces(foldRule(expandFragments(source, fragments)));
    return new RegExp(edges(expanded).replace(/\\w/g, LETTER), `${flags}u`);
}

/** Compiles validated language files (src/knowledge/languages.ts). Call once at start-up. */
export function buildLanguageCrisisModel(files: readonly LanguageFile[]): LanguageCrisisModel {
    const model: LanguageCrisisModel = {
        languages: files.map((file) => {
            const { fragments } = file.crisis;
            const rules = file.crisis.rules.map((r) => ({
                kind: r.kind,
                all: (r.all ?? [r.pattern as string]).map((p) => compile(p, fragments, '')),
            }));
            return {
                code: file.code,
                rules,
                anyRule: anyOf(rules.map((r) => r.all[0]).filter((p): p is RegExp => p !== undefined)),
                exclusions: file.crisis.exclusions.map((p) => compile(p, fragments, 'g')),
                child: file.crisis.child.map((p) => compile(p, fragments, '')),
            };
        }),
    };
    // JavaScript compiles a regular expression on its first use: done here, at start-up, not in a resident's turn.
    detectLanguageCrisis('warm up', model);
    return model;
}

/** Stands in for removed figurative words, so no rule joins the words either side of them. */
const REMOVED = ' ~ ';

/** Every language's rules on one message. Pure; well under a millisecond for a short message. */
export function detectLanguageCrisis(text: string, model: LanguageCrisisModel): LanguageCrisis {
    const folded = ` ${foldForLanguages(text).replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ').trim()} `;
    const kinds = new Set<string>();
    const languages: string[] = [];
    const aboutChild: string[] = [];
    for (const language of model.languages) {
        // Exclusions only take figurative words away, so a language none of whose rules fire on the whole text is
        // done: most messages skip its exclusions, a third of the work (the same result on every eval line).
        if (language.anyRule && !language.anyRule.test(folded)) continue;
        if (!language.rules.some((r) => r.all.every((p) => p.test(folded)))) continue;
        let cleaned = folded;
        for (const exclusion of language.exclusions) cleaned = cleaned.replace(exclusion, REMOVED);
        const found = language.rules.filter((r) => r.all.every((p) => p.test(cleaned)));
        if (found.length === 0) continue;
        found.forEach((r) => kinds.add(r.kind));
        languages.push(language.code);
        if (language.child.some((p) => p.test(cleaned))) aboutChild.push(language.code);
    }
    return { kinds: [...kinds], languages, aboutChild };
}
