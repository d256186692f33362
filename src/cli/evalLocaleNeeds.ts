/**
 * Issue 18, part 2: needs read in Welsh and Polish (test/fixtures/eval/languages/needs-<code>.jsonl, written and
 * labelled blind). Each line carries its split ("dev" or "heldout", chosen by a hash rule in the set's README): the
 * dev part is tuned against and printed with its misses; the held-out part is printed as numbers only, never its
 * lines. Run alone (`node dist/src/cli/evalLocaleNeeds.js`, `--english` for the English detector alone, as before
 * the lexicons) or as a section of `npm run eval`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledge } from '../knowledge';
import { createEngine, type Engine } from '../matching/engine';
import type { NeedScore } from '../matching/types';
import { projectRoot } from '../paths';
import { percent, ratio, readJsonl } from './measure';

/** Where the sets are, relative to the project root: one `needs-<code>.jsonl` per language. */
export const LOCALE_NEEDS_DIR = 'test/fixtures/eval/languages';

/** The sets, by language code, relative to the project root: every needs-<code>.jsonl, so a new one needs no code. */
export function localeNeedsSets(root: string): Record<string, string> {
    const files = fs.readdirSync(path.join(root, LOCALE_NEEDS_DIR)).sort();
    return Object.fromEntries(files.map((f) => /^needs-([a-z]{2,3})\.jsonl$/.exec(f))
        .filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], `${LOCALE_NEEDS_DIR}/${m[0]}`]));
}

/** One line of a set. */
export interface LocaleNeedCase {
    id: string;
    lang: string;
    text: string;
    needs: string[];
    split: 'dev' | 'heldout';
}

/** What a part of a set measures. */
export interface LocaleNeedStats {
    messages: number;
    /** The first need found is the first labelled. */
    firstRight: number;
    /** The first labelled need is among the first three found. */
    firstTop3: number;
    /** Some need found is labelled. */
    anyRight: number;
    /** Messages given a need that is not labelled, and how many such needs in all. */
    withInvented: number;
    invented: number;
    /** Messages given no need at all. */
    none: number;
    /** The first labelled need is among the first three found when the conversation's locale is given. */
    firstTop3Locale: number;
    misses: string[];
}

/** Scores one part of a set with a detector; `withLocale` is the same detector told the conversation's language. */
export function measureLocaleNeeds(cases: readonly LocaleNeedCase[], detect: (text: string) => NeedScore[],
    withLocale: (text: string, locale: string) => NeedScore[]): LocaleNeedStats {
    const stats: LocaleNeedStats = {
        messages: cases.length, firstRight: 0, firstTop3: 0, anyRight: 0, withInvented: 0, invented: 0, none: 0,
        firstTop3Locale: 0, misses: [],
    };
    for (const c of cases) {
        const found = detect(c.text).map((n) => n.id);
        const first = c.needs[0] as string;
        const invented = found.filter((id) => !c.needs.includes(id));
        stats.firstRight += found[0] === first ? 1 : 0;
        stats.firstTop3 += found.slice(0, 3).includes(first) ? 1 : 0;
        stats.anyRight += found.some((id) => c.needs.includes(id)) ? 1 : 0;
        stats.withInvented += invented.length ? 1 : 0;
        stats.invented += invented.length;
        stats.none += found.length ? 0 : 1;
        stats.firstTop3Locale += withLocale(c.text, c.lang).slice(0, 3).map((n) => n.id).includes(first) ? 1 : 0;
        if (found[0] !== first || invented.length) {
            stats.misses.push(`    ${c.id} "${c.text}" wanted [${c.needs.join(', ')}] got [${found.join(', ')}]`);
        }
    }
    return stats;
}

/** Prints one part; `showMisses` false for a held-out part, whose lines are never printed. */
export function printLocaleNeeds(title: string, stats: LocaleNeedStats, showMisses: boolean): void {
    console.log(`\n${title}: ${stats.messages} messages`);
    console.log(`  first need right            ${ratio(stats.firstRight, stats.messages)}`);
    console.log(`  first need in top 3         ${ratio(stats.firstTop3, stats.messages)}  (aim: 90%)`);
    console.log(`  ... with the chosen locale  ${ratio(stats.firstTop3Locale, stats.messages)}`);
    console.log(`  any need right              ${ratio(stats.anyRight, stats.messages)}`);
    console.log(`  messages with invented need ${ratio(stats.withInvented, stats.messages)} (${stats.invented} needs)`);
    console.log(`  no need found               ${ratio(stats.none, stats.messages)}`);
    if (showMisses) {
        console.log(stats.misses.length ? `  misses (${stats.misses.length}):\n${stats.misses.join('\n')}`
            : '  misses: none');
    }
}

/** One line for the summary. */
export function localeNeedsSummary(name: string, stats: LocaleNeedStats): string {
    return `  ${name.padEnd(12)} first need right ${percent(stats.firstRight, stats.messages)}, in top 3 `
        + `${percent(stats.firstTop3, stats.messages)} `
        + `(chosen locale ${percent(stats.firstTop3Locale, stats.messages)}), `
        + `any right ${percent(stats.anyRight, stats.messages)}, invented ${stats.withInvented}/${stats.messages}`;
}

/** The results of every language's parts, for the summary. */
export interface LocaleNeedsResult {
    language: string;
    dev: LocaleNeedStats;
    heldOut?: LocaleNeedStats;
}

/**
 * Every language's set: the dev part with its misses, the held-out part (unless SIGNPOST_EVAL_NO_HELDOUT is set)
 * as numbers only.
 */
export function evalLocaleNeeds(engine: Pick<Engine, 'detectNeeds'>, root: string): LocaleNeedsResult[] {
    const detect = (text: string) => engine.detectNeeds(text);
    const withLocale = (text: string, locale: string) => engine.detectNeeds(text, locale);
    const results: LocaleNeedsResult[] = [];
    for (const [language, file] of Object.entries(localeNeedsSets(root))) {
        const cases = readJsonl<LocaleNeedCase>(path.join(root, file));
        const dev = measureLocaleNeeds(cases.filter((c) => c.split === 'dev'), detect, withLocale);
        printLocaleNeeds(`Needs in ${language}, dev (${file}; tuned against)`, dev, true);
        const heldOut = process.env.SIGNPOST_EVAL_NO_HELDOUT ? undefined
            : measureLocaleNeeds(cases.filter((c) => c.split === 'heldout'), detect, withLocale);
        if (heldOut) printLocaleNeeds(`Needs in ${language}, HELD-OUT (numbers only, its lines are not printed)`,
            heldOut, false);
        results.push({ language, dev, ...(heldOut ? { heldOut } : {}) });
    }
    return results;
}

/** Prints the summary lines of `evalLocaleNeeds`. */
export function printLocaleNeedsSummary(results: readonly LocaleNeedsResult[]): void {
    console.log('Needs in other languages (aim: first need in top 3 >= 90% held-out):');
    for (const r of results) {
        console.log(localeNeedsSummary(`${r.language} dev`, r.dev));
        if (r.heldOut) console.log(localeNeedsSummary(`${r.language} held-out`, r.heldOut));
    }
}

if (require.main === module) {
    const root = projectRoot();
    const knowledge = loadKnowledge(path.join(root, 'knowledge'));
    const english = process.argv.includes('--english');
    const engine = createEngine({
        ...knowledge, ...(english ? { localeNeeds: [] } : {}), whyWording: knowledge.wording.why,
        wishWords: knowledge.wording.wishes,
    });
    if (english) console.log('The English detector alone (as before the Welsh and Polish lexicons):');
    const results = evalLocaleNeeds(engine, root);
    console.log('');
    printLocaleNeedsSummary(results);
}
