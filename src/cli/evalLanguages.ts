/**
 * The other languages in `npm run eval` (issue 14): per language, crisis recall and false alarms of the product's
 * detector (English rules and every language's rules on every message), whether the line before the routes is in
 * the right language, and language identification by the plain baseline and by the chosen identifier (baseline
 * with tinyld); English look-alikes and English need messages misread as another language. The held-out set is
 * measured in its own section, clearly marked.
 */
import type { Engine } from '../matching/engine';
import { identifyBaseline } from '../matching/language';
import { performance } from 'node:perf_hooks';
import { percent, percentile, ratio } from './measure';

export interface LanguageCase {
    lang: string;
    text: string;
    crisis: boolean;
    kind: string;
    about: string;
    form: string;
}

interface Row {
    crisis: number;
    found: number;
    rightLine: number;
    negatives: number;
    alarms: number;
    lines: number;
    baseline: number;
    chosen: number;
}

const empty = (): Row => ({
    crisis: 0, found: 0, rightLine: 0, negatives: 0, alarms: 0, lines: 0, baseline: 0, chosen: 0,
});

function add(total: Row, row: Row): void {
    for (const key of Object.keys(total) as (keyof Row)[]) total[key] += row[key];
}

/**
 * Measures one set and prints its table; with `list`, misses and false alarms are listed with their text (not for
 * the held-out set, whose lines stay unseen by whoever tunes the rules).
 */
export function evalLanguageSet(title: string, cases: readonly LanguageCase[], engine: Engine, list = true): Row {
    console.log(`\n--- ${title} ---`);
    const rows = new Map<string, Row>();
    const misses: string[] = [];
    const alarms: string[] = [];
    const forms = new Map<string, { n: number; baseline: number; chosen: number }>();
    const times: number[] = [];
    for (const c of cases) {
        const row = rows.get(c.lang) ?? empty();
        rows.set(c.lang, row);
        const started = performance.now();
        const kinds = engine.crisisKinds(c.text);
        times.push(performance.now() - started);
        if (c.crisis) {
            row.crisis++;
            if (kinds.length) {
                row.found++;
                if (engine.crisisLanguage(c.text)?.language === c.lang) row.rightLine++;
            } else {
                misses.push(`  missed (${c.lang}, ${c.kind}, ${c.form}): "${c.text}"`);
            }
        } else {
            row.negatives++;
            if (kinds.length) {
                row.alarms++;
                alarms.push(`  false alarm (${c.lang}, ${c.kind}): "${c.text}" -> ${kinds.join(', ')}`);
            }
        }
        row.lines++;
        const base = identifyBaseline(c.text) === c.lang;
        const chosen = engine.language(c.text) === c.lang;
        if (base) row.baseline++;
        if (chosen) row.chosen++;
        const form = forms.get(c.form) ?? { n: 0, baseline: 0, chosen: 0 };
        forms.set(c.form, {
            n: form.n + 1, baseline: form.baseline + (base ? 1 : 0), chosen: form.chosen + (chosen ? 1 : 0),
        });
    }
    console.log('  lang  crisis recall   line in it   false alarms   identified: baseline   baseline+tinyld');
    const total = empty();
    for (const [lang, r] of [...rows].sort()) {
        add(total, r);
        console.log(`  ${lang.padEnd(4)}  ${ratio(r.found, r.crisis).padEnd(14)}  `
            + `${ratio(r.rightLine, r.found).padEnd(11)}`
            + `  ${ratio(r.alarms, r.negatives).padEnd(13)}  ${ratio(r.baseline, r.lines).padEnd(20)}  `
            + `${ratio(r.chosen, r.lines)}`);
    }
    console.log(`  all   recall ${percent(total.found, total.crisis)} (${total.found}/${total.crisis}), line in the `
        + `language ${percent(total.rightLine, total.found)}, false alarms ${percent(total.alarms, total.negatives)} `
        + `(${total.alarms}/${total.negatives}), identification baseline ${percent(total.baseline, total.lines)}, `
        + `baseline+tinyld ${percent(total.chosen, total.lines)}`);
    const worst = [...rows].filter(([, r]) => r.alarms * 8 > r.negatives).map(([l]) => l);
    console.log(`  languages over 1 false alarm in 8: ${worst.join(', ') || 'none'}`);
    console.log(`  identification by form: ${[...forms].map(([f, s]) => `${f} ${percent(s.baseline, s.n)} / `
        + `${percent(s.chosen, s.n)}`).join(', ')} (baseline / baseline+tinyld)`);
    times.sort((a, b) => a - b);
    console.log(`  crisis detection, English and every language's rules: p50 ${percentile(times, 50).toFixed(3)} ms, `
        + `p95 ${percentile(times, 95).toFixed(3)} ms, max ${(times[times.length - 1] ?? 0).toFixed(3)} ms`);
    if (list) {
        misses.forEach((m) => console.log(m));
        alarms.forEach((a) => console.log(a));
    }
    return total;
}

/** English messages: how many each identifier calls another language, and how many other-language rules fire on. */
export function evalEnglish(title: string, texts: readonly string[], engine: Engine,
    englishCrisis: (t: string) => boolean): void {
    const baseline = texts.filter((t) => identifyBaseline(t) !== 'en');
    const chosen = texts.filter((t) => engine.language(t) !== 'en');
    // A crisis the English rules did not find but another language's did: a false alarm from another language.
    const fired = texts.filter((t) => !englishCrisis(t) && engine.crisisKinds(t).length > 0);
    console.log(`  ${title}: called another language by the baseline ${ratio(baseline.length, texts.length)}, by `
        + `baseline+tinyld ${ratio(chosen.length, texts.length)}; other languages' crisis rules fired on `
        + `${ratio(fired.length, texts.length)}`);
    chosen.forEach((t) => console.log(`    misread as ${engine.language(t)}: "${t}"`));
    fired.forEach((t) => console.log(`    fired: "${t}" -> ${engine.crisisKinds(t).join(', ')}`));
}
