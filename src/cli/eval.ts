/**
 * `npm run eval`: how well need and crisis detection do on the shared development sets, in numbers, with every miss
 * listed. Reads the project's knowledge/ and, relative to the project root, ../shared/eval/dev-utterances.jsonl,
 * ../shared/eval/dev-crisis.jsonl and (when present) the Suicide Risk Lexicon in ../shared/data/suicide-risk-lexicon.
 * Exit 0 when it ran (whatever the numbers), 1 when an input is missing or the knowledge files have faults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCrisisRules, loadNeedTaxonomy } from '../knowledge/taxonomy';
import { buildCrisisModel, detectCrisis } from '../matching/crisis';
import type { CrisisModel } from '../matching/crisis';
import { buildNeedModel, detectNeeds } from '../matching/needs';
import type { NeedModel } from '../matching/needs';
import { projectRoot } from '../paths';

const UTTERANCES = '../shared/eval/dev-utterances.jsonl';
const CRISIS = '../shared/eval/dev-crisis.jsonl';
const PARAPHRASE_NEEDS = 'test/fixtures/eval/paraphrases-needs.jsonl';
const PARAPHRASE_CRISIS = 'test/fixtures/eval/paraphrases-crisis.jsonl';
const LEXICON = '../shared/data/suicide-risk-lexicon/srl_prototypical_tokens_long.csv';
const FULL_LEXICON = '../shared/data/suicide-risk-lexicon/suicide_risk_lexicon_validated_24-08-02T21-27-35.csv';

/** Constructs of the Suicide Risk Lexicon whose phrases must all be crises. */
const CRISIS_CONSTRUCTS = [
    'Passive suicidal ideation',
    'Active suicidal ideation & suicidal planning',
    'Lethal means for suicide',
    'Direct self-injury',
];
/** Reported too, but not part of the target: broader "suicidal language" (e.g. "kill me", "suicidal tendencies"). */
const EXTRA_CRISIS_CONSTRUCTS = ['Other suicidal language'];
/** Social-need constructs: their phrases should find one of these needs and should not be crises. */
const NEED_CONSTRUCTS: Readonly<Record<string, readonly string[]>> = {
    'Loneliness & isolation': ['loneliness'],
    'Poverty & homelessness': ['money-debt', 'housing', 'food'],
    'Finances & work stress': ['money-debt', 'employment'],
    'Grief & bereavement': ['bereavement'],
    'Physical health issues & disability': ['health-conditions'],
};

interface Utterance {
    text: string;
    needs: string[];
}

interface CrisisCase {
    text: string;
    crisis: boolean;
}

function percent(n: number, d: number): string {
    return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

function ratio(n: number, d: number): string {
    return `${n}/${d} = ${percent(n, d)}`;
}

function readJsonl<T>(file: string): T[] {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

/** Rows of a CSV text, with quoted fields (which may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i] as string;
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            } else if (c === '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c === '"') {
            quoted = true;
        } else if (c === ',') {
            row.push(field);
            field = '';
        } else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') {
                i++;
            }
            row.push(field);
            rows.push(row);
            row = [];
            field = '';
        } else {
            field += c;
        }
    }
    if (field !== '' || row.length > 0) {
        row.push(field);
        rows.push(row);
    }
    return rows;
}

/** Rows of the long CSV (construct, token). */
function readConstructCsv(file: string): Array<{ construct: string; token: string }> {
    return parseCsv(fs.readFileSync(file, 'utf8')).slice(1)
        .filter((r) => r.length >= 2 && r[1])
        .map((r) => ({ construct: r[0] as string, token: r.slice(1).join(',') }));
}

/**
 * Phrases of one construct in the full validated lexicon (wide format: a column per construct, four rows of
 * metadata, then the phrases as written followed by the same phrases lemmatised, which we drop).
 */
function fullLexiconPhrases(rows: readonly string[][], construct: string): string[] {
    const column = (rows[0] ?? []).indexOf(construct);
    if (column < 0) {
        return [];
    }
    const values = rows.slice(5).map((r) => (r[column] ?? '').trim()).filter((v) => v !== '');
    const written = values.length % 2 === 0 ? values.slice(0, values.length / 2) : values;
    return [...new Set(written)];
}

function evalNeeds(
    utterances: readonly Utterance[], model: NeedModel, needIds: readonly string[], source = UTTERANCES,
): void {
    let exact = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const perNeed = new Map<string, { hit: number; total: number }>();
    const misses: string[] = [];
    let smallTalk = 0;
    let smallTalkFalse = 0;
    let unsure = 0;
    for (const u of utterances) {
        const found = detectNeeds(u.text, model);
        const got = new Set(found.map((n) => n.id));
        const want = new Set(u.needs);
        unsure += found.filter((n) => n.score < model.tuning.confident).length;
        for (const id of want) {
            const entry = perNeed.get(id) ?? { hit: 0, total: 0 };
            entry.total++;
            if (got.has(id)) {
                entry.hit++;
                tp++;
            } else {
                fn++;
            }
            perNeed.set(id, entry);
        }
        fp += [...got].filter((id) => !want.has(id)).length;
        const same = got.size === want.size && [...got].every((id) => want.has(id));
        if (same) {
            exact++;
        } else {
            const shown = found.map((n) => `${n.id} ${n.score.toFixed(2)}`).join(', ') || '(none)';
            misses.push(`  "${u.text}"\n      want: ${[...want].join(', ') || '(none)'}\n      got:  ${shown}`);
        }
        if (want.size === 0) {
            smallTalk++;
            if (got.size > 0) {
                smallTalkFalse++;
            }
        }
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
    console.log(`\nNeeds: ${utterances.length} utterances (${source})`);
    console.log(`  exact-set accuracy        ${ratio(exact, utterances.length)}`);
    console.log(`  micro precision           ${(100 * precision).toFixed(1)}%  (${tp} right, ${fp} extra)`);
    console.log(`  micro recall              ${(100 * recall).toFixed(1)}%  (${fn} missed)`);
    console.log(`  micro F1                  ${(100 * f1).toFixed(1)}%`);
    console.log(`  small talk with any need  ${ratio(smallTalkFalse, smallTalk)}`);
    console.log(`  needs found below ${model.tuning.confident} (unsure): ${unsure}`);
    console.log('  per-need recall:');
    for (const id of needIds) {
        const e = perNeed.get(id);
        if (e) {
            console.log(`    ${id.padEnd(20)} ${ratio(e.hit, e.total)}`);
        }
    }
    console.log(misses.length ? `  misses (${misses.length}):\n${misses.join('\n')}` : '  misses: none');
}

function evalCrisis(cases: readonly CrisisCase[], model: CrisisModel, source = CRISIS, listHits = true): void {
    const positives = cases.filter((c) => c.crisis);
    const negatives = cases.filter((c) => !c.crisis);
    const missed = positives.filter((c) => !detectCrisis(c.text, model).crisis);
    const alarms = negatives.filter((c) => detectCrisis(c.text, model).crisis);
    console.log(`\nCrisis: ${cases.length} messages (${source})`);
    console.log(`  recall                    ${ratio(positives.length - missed.length, positives.length)}`);
    console.log(`  false alarms              ${ratio(alarms.length, negatives.length)}`);
    missed.forEach((c) => console.log(`  MISSED: "${c.text}"`));
    alarms.forEach((c) => console.log(`  false alarm: "${c.text}" -> ${detectCrisis(c.text, model).kinds.join(', ')}`));
    if (!listHits) return;
    for (const c of positives) {
        console.log(`    "${c.text}" -> ${detectCrisis(c.text, model).kinds.join(', ')}`);
    }
}

function evalLexicon(file: string, crisisModel: CrisisModel, needModel: NeedModel): void {
    const rows = readConstructCsv(file);
    console.log(`\nSuicide Risk Lexicon v1.0, prototypical phrases (${LEXICON}; Apache-2.0)`);
    const report = (constructs: readonly string[], title: string): void => {
        let hit = 0;
        let total = 0;
        const misses: string[] = [];
        for (const construct of constructs) {
            const tokens = [...new Set(rows.filter((r) => r.construct === construct).map((r) => r.token))];
            const caught = tokens.filter((t) => detectCrisis(t, crisisModel).crisis);
            hit += caught.length;
            total += tokens.length;
            console.log(`    ${construct.padEnd(46)} ${ratio(caught.length, tokens.length)}`);
            misses.push(...tokens.filter((t) => !caught.includes(t)).map((t) => `      MISSED (${construct}): "${t}"`));
        }
        console.log(`  ${title}: ${ratio(hit, total)}`);
        misses.forEach((m) => console.log(m));
    };
    console.log('  crisis recall, target constructs:');
    report(CRISIS_CONSTRUCTS, 'crisis recall (suicidal ideation, self-injury, lethal means)');
    console.log('  crisis recall, other suicidal language (not in the target):');
    report(EXTRA_CRISIS_CONSTRUCTS, 'crisis recall (other suicidal language)');

    const fullFile = path.resolve(path.dirname(file), path.basename(FULL_LEXICON));
    if (fs.existsSync(fullFile)) {
        const full = parseCsv(fs.readFileSync(fullFile, 'utf8'));
        console.log('  full validated lexicon (broader; includes single ambiguous words such as "bridge", "pills",'
            + ' "dying" and habits such as "skin picking", which are deliberately not crises on their own):');
        let hit = 0;
        let total = 0;
        for (const construct of [...CRISIS_CONSTRUCTS, ...EXTRA_CRISIS_CONSTRUCTS]) {
            const phrases = fullLexiconPhrases(full, construct);
            const missed = phrases.filter((t) => !detectCrisis(t, crisisModel).crisis);
            hit += phrases.length - missed.length;
            total += phrases.length;
            console.log(`    ${construct.padEnd(46)} ${ratio(phrases.length - missed.length, phrases.length)}`);
            if (missed.length) {
                console.log(`      not flagged: ${missed.map((m) => `"${m}"`).join(', ')}`);
            }
        }
        console.log(`  full lexicon crisis recall: ${ratio(hit, total)}`);
    }

    console.log('  social-need constructs (need found / flagged as crisis):');
    for (const [construct, needs] of Object.entries(NEED_CONSTRUCTS)) {
        const tokens = [...new Set(rows.filter((r) => r.construct === construct).map((r) => r.token))];
        const found = tokens.filter((t) => detectNeeds(t, needModel).some((n) => needs.includes(n.id)));
        const alarms = tokens.filter((t) => detectCrisis(t, crisisModel).crisis);
        console.log(`    ${construct.padEnd(38)} needs ${ratio(found.length, tokens.length)}; crisis ${alarms.length}`
            + (alarms.length ? ` (${alarms.map((a) => `"${a}"`).join(', ')})` : ''));
    }
}

function timing(texts: readonly string[], needModel: NeedModel, crisisModel: CrisisModel): void {
    const rounds = 20;
    const needTimes: number[] = [];
    const crisisTimes: number[] = [];
    for (let r = 0; r < rounds; r++) {
        for (const t of texts) {
            let start = performance.now();
            detectNeeds(t, needModel);
            needTimes.push(performance.now() - start);
            start = performance.now();
            detectCrisis(t, crisisModel);
            crisisTimes.push(performance.now() - start);
        }
    }
    const stats = (xs: number[]): string => {
        const sorted = [...xs].sort((a, b) => a - b);
        const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
        return `p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, max ${at(1).toFixed(3)} ms`;
    };
    console.log(`\nTiming over ${texts.length} messages x ${rounds} (after warm-up):`);
    console.log(`  detectNeeds   ${stats(needTimes)}`);
    console.log(`  detectCrisis  ${stats(crisisTimes)}`);
}

function main(): number {
    const root = projectRoot();
    const utterancesFile = path.resolve(root, UTTERANCES);
    const crisisFile = path.resolve(root, CRISIS);
    for (const file of [utterancesFile, crisisFile]) {
        if (!fs.existsSync(file)) {
            console.error(`Cannot run the eval: ${file} is missing.`
                + ' The eval sets live in shared/eval, beside the project folder.');
            return 1;
        }
    }
    const knowledge = path.join(root, 'knowledge');
    let start = performance.now();
    const taxonomy = loadNeedTaxonomy(knowledge);
    const rules = loadCrisisRules(knowledge);
    const loadMs = performance.now() - start;
    start = performance.now();
    const needModel = buildNeedModel(taxonomy);
    const crisisModel = buildCrisisModel(rules);
    const buildMs = performance.now() - start;
    console.log(`Signpost matching eval. Knowledge: ${knowledge} (loaded in ${loadMs.toFixed(0)} ms, models built in `
        + `${buildMs.toFixed(0)} ms)`);

    const utterances = readJsonl<Utterance>(utterancesFile);
    const cases = readJsonl<CrisisCase>(crisisFile);
    evalNeeds(utterances, needModel, taxonomy.needs.map((n) => n.id));
    evalCrisis(cases, crisisModel);
    const needAlarms = utterances.filter((u) => detectCrisis(u.text, crisisModel).crisis);
    console.log(`  crisis flagged on need utterances: ${needAlarms.length}`
        + (needAlarms.length ? ` (${needAlarms.map((u) => `"${u.text}"`).join(', ')})` : ''));

    // Our own paraphrases: written before tuning, then tuned against, so a regression check, not a held-out score.
    console.log('\n--- Team paraphrases (test/fixtures/eval; tuned against, so not held out) ---');
    evalNeeds(readJsonl<Utterance>(path.join(root, PARAPHRASE_NEEDS)), needModel, taxonomy.needs.map((n) => n.id),
        PARAPHRASE_NEEDS);
    evalCrisis(readJsonl<CrisisCase>(path.join(root, PARAPHRASE_CRISIS)), crisisModel, PARAPHRASE_CRISIS, false);

    const lexicon = path.resolve(root, LEXICON);
    if (fs.existsSync(lexicon)) {
        evalLexicon(lexicon, crisisModel, needModel);
    } else {
        console.log(`\nSuicide Risk Lexicon not found at ${lexicon}: that part is skipped.`);
    }
    timing([...utterances.map((u) => u.text), ...cases.map((c) => c.text)], needModel, crisisModel);
    return 0;
}

try {
    process.exitCode = main();
} catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
}
