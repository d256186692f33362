/**
 * `npm run eval`: how well need and crisis detection do on the shared development sets, in numbers, with every miss
 * listed. Reads the project's knowledge/ and, relative to the project root, ../shared/eval/dev-utterances.jsonl,
 * ../shared/eval/dev-crisis.jsonl and (when present) the Suicide Risk Lexicon in ../shared/data/suicide-risk-lexicon.
 * Then the conversation set of issue 16 (evalConversations.ts): scripted conversations played against the real app.
 * Exit 0 when it ran (whatever the numbers), 1 when an input is missing or the knowledge files have faults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import LancasterStemmer from 'natural/lib/natural/stemmers/lancaster_stemmer';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import { loadKnowledge } from '../knowledge';
import type { NeedTaxonomy } from '../knowledge/taxonomy';
import { buildCrisisModel, detectCrisis } from '../matching/crisis';
import type { CrisisModel } from '../matching/crisis';
import { createEngine } from '../matching/engine';
import { mergeWishes } from '../matching/wishes';
import type { Engine } from '../matching/engine';
import { buildNeedModel, detectNeeds } from '../matching/needs';
import type { NeedModel } from '../matching/needs';
import { lexiconKey } from '../matching/text';
import type { NeedScore } from '../matching/types';
import { parseCsv } from '../import/csv';
import { behalfSummary, isBehalfHeldOut, measureBehalf, PARAPHRASE_BEHALF, printBehalf } from './evalBehalf';
import type { BehalfCase } from './evalBehalf';
import { evalConversations } from './evalConversations';
import { evalLocaleNeeds, printLocaleNeedsSummary } from './evalLocaleNeeds';
import { evalEnglish, evalLanguageSet, type LanguageCase } from './evalLanguages';
import { HIDINGS } from './hide';
import { projectRoot } from '../paths';
import { PARAPHRASE_NEEDS, percent, ratio, readJsonl, topHit, UTTERANCES } from './measure';
import type { LabelledUtterance } from './measure';

const CRISIS = '../shared/eval/dev-crisis.jsonl';
const PARAPHRASE_CRISIS = 'test/fixtures/eval/paraphrases-crisis.jsonl';
/** Harm to a child, told by a parent, a sibling, a neighbour or the child, and look-alikes; written first. */
const PARAPHRASE_CRISIS_CHILD = 'test/fixtures/eval/paraphrases-crisis-child.jsonl';
/** Written before its first run; its misses were fixed only by general patterns (see docs/matching.md). */
const HELDOUT_CRISIS = 'test/fixtures/eval/heldout-crisis.jsonl';
const LANGUAGES_DEV = 'test/fixtures/eval/languages/dev.jsonl';
const LANGUAGES_LOOKALIKES = 'test/fixtures/eval/languages/english-lookalikes.jsonl';
/** Written before the detector; read only by the eval, and only its numbers are printed. */
const LANGUAGES_HELDOUT = 'test/fixtures/eval/languages/heldout.jsonl';
/** Written after the rules of the first round were finished, by someone who had not seen them (its README). */
const LANGUAGES_HELDOUT2 = 'test/fixtures/eval/languages/heldout2.jsonl';
/** Written after the second set had been measured and seen, by someone who had seen neither the rules nor the sets. */
const LANGUAGES_HELDOUT3 = 'test/fixtures/eval/languages/heldout3.jsonl';
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

type Utterance = LabelledUtterance;

/** Freshness is judged against this date, so the ranking numbers do not drift with the calendar. */
const RANK_TODAY = '2026-10-01';

interface CrisisCase {
    text: string;
    crisis: boolean;
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

/** Everything measured for need detection on one labelled set. */
interface NeedStats {
    total: number;
    exact: number;
    tp: number;
    fp: number;
    fn: number;
    perNeed: Map<string, { hit: number; total: number }>;
    misses: string[];
    smallTalk: number;
    smallTalkFalse: number;
    unsure: number;
    /** Messages with at least one labelled need, and how many have the first one in the top 3 predicted. */
    withNeeds: number;
    firstTop3: number;
    /** Labelled needs in all, and how many of them are in the top 3 predicted of their message. */
    labelled: number;
    labelledTop3: number;
    /** Messages whose labelled needs are all in the top 3. */
    allTop3: number;
    top3Misses: string[];
    /** Predicted needs per score band, and how many of them were labelled (calibration). */
    bands: Array<{ from: number; to: number; found: number; right: number }>;
    /** How the first labelled need was scored: confident, unsure (reflected but not confident), not found. */
    firstConfident: number;
    firstUnsure: number;
    firstMissing: number;
}

/** Score bands for calibration: the dialog reflects from 0.35, and 0.6 and up is confident. */
const BANDS: ReadonlyArray<readonly [number, number]> = [
    [0.35, 0.5], [0.5, 0.6], [0.6, 0.75], [0.75, 0.9], [0.9, 1.01],
];

function shown(found: readonly NeedScore[]): string {
    return found.map((n) => `${n.id} ${n.score.toFixed(2)}`).join(', ') || '(none)';
}

function measureNeeds(utterances: readonly Utterance[], model: NeedModel): NeedStats {
    const stats: NeedStats = {
        total: utterances.length, exact: 0, tp: 0, fp: 0, fn: 0, perNeed: new Map(), misses: [], smallTalk: 0,
        smallTalkFalse: 0, unsure: 0, withNeeds: 0, firstTop3: 0, labelled: 0, labelledTop3: 0, allTop3: 0,
        top3Misses: [], bands: BANDS.map(([from, to]) => ({ from, to, found: 0, right: 0 })), firstConfident: 0,
        firstUnsure: 0, firstMissing: 0,
    };
    const { confident } = model.tuning;
    for (const u of utterances) {
        const found = detectNeeds(u.text, model);
        const got = new Set(found.map((n) => n.id));
        const want = new Set(u.needs);
        stats.unsure += found.filter((n) => n.score < confident).length;
        for (const n of found) {
            const band = stats.bands.find((b) => n.score >= b.from && n.score < b.to);
            if (band) {
                band.found++;
                band.right += want.has(n.id) ? 1 : 0;
            }
        }
        for (const id of want) {
            const entry = stats.perNeed.get(id) ?? { hit: 0, total: 0 };
            entry.total++;
            if (got.has(id)) {
                entry.hit++;
                stats.tp++;
            } else {
                stats.fn++;
            }
            stats.perNeed.set(id, entry);
        }
        stats.fp += [...got].filter((id) => !want.has(id)).length;
        const same = got.size === want.size && [...got].every((id) => want.has(id));
        if (same) {
            stats.exact++;
        } else {
            const wanted = [...want].join(', ') || '(none)';
            stats.misses.push(`  "${u.text}"\n      want: ${wanted}\n      got:  ${shown(found)}`);
        }
        if (want.size === 0) {
            stats.smallTalk++;
            stats.smallTalkFalse += got.size > 0 ? 1 : 0;
            continue;
        }
        const top3 = new Set(found.slice(0, 3).map((n) => n.id));
        const first = u.needs[0] as string;
        const firstFound = found.find((n) => n.id === first);
        stats.withNeeds++;
        stats.firstTop3 += top3.has(first) ? 1 : 0;
        stats.labelled += want.size;
        const inTop3 = [...want].filter((id) => top3.has(id)).length;
        stats.labelledTop3 += inTop3;
        stats.allTop3 += inTop3 === want.size ? 1 : 0;
        if (inTop3 < want.size) {
            stats.top3Misses.push(`  "${u.text}"\n      want: ${u.needs.join(', ')}\n      got:  ${shown(found)}`);
        }
        if (!firstFound) {
            stats.firstMissing++;
        } else if (firstFound.score >= confident) {
            stats.firstConfident++;
        } else {
            stats.firstUnsure++;
        }
    }
    return stats;
}

function evalNeeds(
    utterances: readonly Utterance[], model: NeedModel, needIds: readonly string[], source = UTTERANCES,
): NeedStats {
    const stats = measureNeeds(utterances, model);
    const { tp, fp, fn } = stats;
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
    const { confident, minScore } = model.tuning;
    console.log(`\nNeeds: ${utterances.length} utterances (${source})`);
    console.log(`  first need in top 3       ${ratio(stats.firstTop3, stats.withNeeds)}  (aim: 95%)`);
    console.log(`  all needs in top 3        recall ${ratio(stats.labelledTop3, stats.labelled)} of labelled needs; `
        + `every need of the message: ${ratio(stats.allTop3, stats.withNeeds)}  (aim: 85%)`);
    const quiet = stats.smallTalk - stats.smallTalkFalse;
    console.log(`  no-need messages, no need ${ratio(quiet, stats.smallTalk)}  (aim: 100%)`);
    console.log(`  exact-set accuracy        ${ratio(stats.exact, utterances.length)}`);
    console.log(`  micro precision           ${(100 * precision).toFixed(1)}%  (${tp} right, ${fp} extra)`);
    console.log(`  micro recall              ${(100 * recall).toFixed(1)}%  (${fn} missed)`);
    console.log(`  micro F1                  ${(100 * f1).toFixed(1)}%`);
    console.log(`  small talk with any need  ${ratio(stats.smallTalkFalse, stats.smallTalk)}`);
    console.log(`  needs found below ${confident} (unsure): ${stats.unsure}`);
    console.log(`  calibration (the dialog reflects needs from ${minScore}; ${confident} and up is confident):`);
    console.log('    score band   needs found   of them labelled');
    for (const band of stats.bands) {
        const to = band.to > 1 ? '1.00' : band.to.toFixed(2);
        console.log(`    ${band.from.toFixed(2)}-${to}    ${String(band.found).padStart(5)}         `
            + `${band.found ? ratio(band.right, band.found) : '-'}`);
    }
    console.log(`    first labelled need: confident ${ratio(stats.firstConfident, stats.withNeeds)}, unsure `
        + `${stats.firstUnsure}, not found ${stats.firstMissing}; small talk given nothing: `
        + `${stats.smallTalk - stats.smallTalkFalse}/${stats.smallTalk}`);
    console.log('  per-need recall:');
    for (const id of needIds) {
        const e = stats.perNeed.get(id);
        if (e) {
            console.log(`    ${id.padEnd(20)} ${ratio(e.hit, e.total)}`);
        }
    }
    console.log(stats.top3Misses.length
        ? `  top-3 misses (${stats.top3Misses.length}):\n${stats.top3Misses.join('\n')}` : '  top-3 misses: none');
    console.log(stats.misses.length
        ? `  misses (${stats.misses.length}):\n${stats.misses.join('\n')}` : '  misses: none');
    return stats;
}

/**
 * Ranking quality end to end: detected needs and the message's words rank the shipped directory, and the top 5 is
 * judged against the labels. No preferences, so the text alone decides; ranked even when the message is a crisis
 * (the bot would show crisis routes instead), since this measures the ranking.
 */
function evalRanking(utterances: readonly Utterance[], engine: Engine, source: string): void {
    let judged = 0;
    let first = 0;
    let all = 0;
    const misses: string[] = [];
    for (const u of utterances) {
        if (u.needs.length === 0) {
            continue;
        }
        judged++;
        const needs = engine.detectNeeds(u.text);
        // As `signpost match` and the bot do: what the words say about wishes and who it is for counts too.
        const prefs = mergeWishes({}, engine.readWishes(u.text));
        const { results } = engine.rank({ needs, text: u.text, prefs, limit: 5, today: RANK_TODAY });
        const hit = topHit(results.map((r) => r.needs), u.needs);
        first += hit.first ? 1 : 0;
        all += hit.all ? 1 : 0;
        if (!hit.all) {
            const top = results.map((r) => `${r.name} [${r.needs.join(', ')}]`).join('; ') || '(no results)';
            misses.push(`  "${u.text}"\n      want: ${u.needs.join(', ')}; needs: ${shown(needs)}`
                + `\n      top 5: ${top}`);
        }
    }
    console.log(`\nRanking: ${judged} messages with needs (${source}) ranked over the shipped directory`);
    console.log(`  top 5 has a listing for the first need   ${ratio(first, judged)}`);
    console.log(`  top 5 covers every labelled need         ${ratio(all, judged)}`);
    console.log(misses.length
        ? `  not every need covered (${misses.length}):\n${misses.join('\n')}` : '  misses: none');
}

/** One set's crisis numbers, for the summary. */
interface CrisisStats {
    found: number;
    positives: number;
    alarms: number;
    negatives: number;
}

function evalCrisis(
    cases: readonly CrisisCase[], model: CrisisModel, source = CRISIS, listHits = true,
): CrisisStats {
    const positives = cases.filter((c) => c.crisis);
    const negatives = cases.filter((c) => !c.crisis);
    const missed = positives.filter((c) => !detectCrisis(c.text, model).crisis);
    const alarms = negatives.filter((c) => detectCrisis(c.text, model).crisis);
    console.log(`\nCrisis: ${cases.length} messages (${source})`);
    console.log(`  recall                    ${ratio(positives.length - missed.length, positives.length)}`);
    console.log(`  false alarms              ${ratio(alarms.length, negatives.length)}`);
    missed.forEach((c) => console.log(`  MISSED: "${c.text}"`));
    alarms.forEach((c) => console.log(`  false alarm: "${c.text}" -> ${detectCrisis(c.text, model).kinds.join(', ')}`));
    const stats = {
        found: positives.length - missed.length, positives: positives.length,
        alarms: alarms.length, negatives: negatives.length,
    };
    if (!listHits) return stats;
    for (const c of positives) {
        console.log(`    "${c.text}" -> ${detectCrisis(c.text, model).kinds.join(', ')}`);
    }
    return stats;
}

/**
 * Crisis recall and false alarms on the sets' messages hidden in each way of `HIDINGS`: what someone hiding crisis
 * words (or a keyboard) does to them, and whether ordinary messages so changed start raising alarms.
 */
function evalHidden(sets: ReadonlyArray<readonly [string, readonly CrisisCase[]]>, model: CrisisModel): CrisisStats {
    console.log('\nHidden words: every crisis set with its messages hidden each way (recall; false alarms)');
    const total: CrisisStats = { found: 0, positives: 0, alarms: 0, negatives: 0 };
    for (const [hiding, hide] of HIDINGS) {
        const cells: string[] = [];
        for (const [name, cases] of sets) {
            const hidden = cases.map((c) => ({ text: hide(c.text), crisis: c.crisis }));
            const positives = hidden.filter((c) => c.crisis);
            const negatives = hidden.filter((c) => !c.crisis);
            const found = positives.filter((c) => detectCrisis(c.text, model).crisis).length;
            const alarms = negatives.filter((c) => detectCrisis(c.text, model).crisis);
            cells.push(`${name} ${found}/${positives.length}; ${alarms.length}/${negatives.length}`);
            alarms.forEach((c) => console.log(`    false alarm (${hiding}, ${name}): ${JSON.stringify(c.text)}`));
            Object.assign(total, {
                found: total.found + found, positives: total.positives + positives.length,
                alarms: total.alarms + alarms.length, negatives: total.negatives + negatives.length,
            });
        }
        console.log(`  ${hiding.padEnd(22)} ${cells.join(', ')}`);
    }
    console.log(`  all ways, all sets       recall ${ratio(total.found, total.positives)}, `
        + `false alarms ${ratio(total.alarms, total.negatives)}`);
    return total;
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

/** Word keys the need detector can compare on; the first is what ships (see docs/matching.md). */
const WORD_KEYS: ReadonlyArray<{ name: string; key: (word: string) => string }> = [
    { name: 'light (lexiconKey, shipped)', key: lexiconKey },
    { name: 'none (the word as typed)', key: (w) => w },
    { name: 'natural Porter', key: (w) => PorterStemmer.stem(lexiconKey(w)) },
    { name: 'natural Lancaster', key: (w) => LancasterStemmer.stem(lexiconKey(w)) },
];

/** Share of the Suicide Risk Lexicon's social-need phrases in which a matching need is found (held out: unseen). */
function lexiconNeedHits(
    rows: ReadonlyArray<{ construct: string; token: string }>,
    model: NeedModel,
): [number, number] {
    let hit = 0;
    let total = 0;
    for (const [construct, needs] of Object.entries(NEED_CONSTRUCTS)) {
        const tokens = [...new Set(rows.filter((r) => r.construct === construct).map((r) => r.token))];
        hit += tokens.filter((t) => detectNeeds(t, model).some((n) => needs.includes(n.id))).length;
        total += tokens.length;
    }
    return [hit, total];
}

/**
 * The issue asked for natural's tokenising and stemming; the detector compares words on a light key instead. This
 * rebuilds the model with each key and prints the headline numbers side by side, so the choice rests on numbers.
 */
function compareWordKeys(
    taxonomy: NeedTaxonomy,
    sets: ReadonlyArray<{ name: string; utterances: readonly Utterance[] }>,
    lexiconRows: ReadonlyArray<{ construct: string; token: string }> | undefined,
): void {
    console.log('\nWord keys for need detection (each row rebuilds the model; first-in-top-3 / all-needs-in-top-3 '
        + 'recall / exact set / extra needs / no-need messages given none):');
    for (const { name, key } of WORD_KEYS) {
        const model = buildNeedModel(taxonomy, { wordKey: key });
        const parts = sets.map((set) => {
            const s = measureNeeds(set.utterances, model);
            return `${set.name} ${percent(s.firstTop3, s.withNeeds)} / ${percent(s.labelledTop3, s.labelled)} / `
                + `${percent(s.exact, s.total)} / ${s.fp} / ${s.smallTalk - s.smallTalkFalse}/${s.smallTalk}`;
        });
        if (lexiconRows) {
            const [hit, total] = lexiconNeedHits(lexiconRows, model);
            parts.push(`SRL social phrases ${ratio(hit, total)}`);
        }
        console.log(`  ${name.padEnd(28)} ${parts.join('; ')}`);
    }
}

async function main(): Promise<number> {
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
    const knowledgeDir = path.join(root, 'knowledge');
    let start = performance.now();
    const knowledge = loadKnowledge(knowledgeDir);
    const { taxonomy, crisis: rules } = knowledge;
    const loadMs = performance.now() - start;
    start = performance.now();
    const needModel = buildNeedModel(taxonomy);
    const crisisModel = buildCrisisModel(rules);
    const buildMs = performance.now() - start;
    const engine = createEngine({
        ...knowledge, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes,
    });
    console.log(`Signpost matching eval. Knowledge: ${knowledgeDir} (loaded in ${loadMs.toFixed(0)} ms, models built `
        + `in ${buildMs.toFixed(0)} ms; ${knowledge.opportunities.length} listings)`);

    const needIds = taxonomy.needs.map((n) => n.id);
    const utterances = readJsonl<Utterance>(utterancesFile);
    const paraphrases = readJsonl<Utterance>(path.join(root, PARAPHRASE_NEEDS));
    const cases = readJsonl<CrisisCase>(crisisFile);
    const dev = evalNeeds(utterances, needModel, needIds);
    evalRanking(utterances, engine, UTTERANCES);
    const devCrisis = evalCrisis(cases, crisisModel);
    const needAlarms = utterances.filter((u) => detectCrisis(u.text, crisisModel).crisis);
    console.log(`  crisis flagged on need utterances: ${needAlarms.length}`
        + (needAlarms.length ? ` (${needAlarms.map((u) => `"${u.text}"`).join(', ')})` : ''));

    // Our own paraphrases: written before tuning, then tuned against, so a regression check, not a held-out score.
    console.log('\n--- Team paraphrases (test/fixtures/eval; tuned against, so not held out) ---');
    const team = evalNeeds(paraphrases, needModel, needIds, PARAPHRASE_NEEDS);
    evalRanking(paraphrases, engine, PARAPHRASE_NEEDS);
    const teamCrisis = evalCrisis(readJsonl<CrisisCase>(path.join(root, PARAPHRASE_CRISIS)), crisisModel,
        PARAPHRASE_CRISIS, false);

    console.log('\n--- Harm to a child (test/fixtures/eval; written before its rules, then tuned against) ---');
    const childCrisis = evalCrisis(readJsonl<CrisisCase>(path.join(root, PARAPHRASE_CRISIS_CHILD)), crisisModel,
        PARAPHRASE_CRISIS_CHILD, false);

    console.log('\n--- Held-out crisis set (test/fixtures/eval; written before its first run) ---');
    const heldOut = evalCrisis(readJsonl<CrisisCase>(path.join(root, HELDOUT_CRISIS)), crisisModel, HELDOUT_CRISIS,
        false);
    const hidden = evalHidden([['dev', cases], ['team', readJsonl<CrisisCase>(path.join(root, PARAPHRASE_CRISIS))],
        ['held-out', readJsonl<CrisisCase>(path.join(root, HELDOUT_CRISIS))]], crisisModel);

    const lexicon = path.resolve(root, LEXICON);
    const lexiconRows = fs.existsSync(lexicon) ? readConstructCsv(lexicon) : undefined;
    if (lexiconRows) {
        evalLexicon(lexicon, crisisModel, needModel);
    } else {
        console.log(`\nSuicide Risk Lexicon not found at ${lexicon}: that part is skipped.`);
    }
    compareWordKeys(taxonomy, [{ name: 'dev', utterances }, { name: 'team', utterances: paraphrases }], lexiconRows);
    timing([...utterances.map((u) => u.text), ...cases.map((c) => c.text)], needModel, crisisModel);

    // Other languages (issue 14): the product's detector, English rules and every language's rules together.
    const languagesDev = evalLanguageSet(`Other languages, dev (${LANGUAGES_DEV}; tuned against)`,
        readJsonl<LanguageCase>(path.join(root, LANGUAGES_DEV)), engine);
    console.log('  English messages and other languages:');
    const englishCrisis = (t: string) => detectCrisis(t, crisisModel).crisis;
    evalEnglish('English look-alikes', readJsonl<{ text: string }>(path.join(root, LANGUAGES_LOOKALIKES))
        .map((c) => c.text), engine, englishCrisis);
    evalEnglish('English need messages (dev and team)', [...utterances, ...paraphrases].map((u) => u.text), engine,
        englishCrisis);
    const englishNegatives = [...cases, ...readJsonl<CrisisCase>(path.join(root, PARAPHRASE_CRISIS)),
        ...readJsonl<CrisisCase>(path.join(root, HELDOUT_CRISIS))].filter((c) => !c.crisis).map((c) => c.text);
    evalEnglish('English non-crisis lines of the crisis sets', englishNegatives, engine, englishCrisis);
    const heldOutFile = path.join(root, LANGUAGES_HELDOUT);
    // While rules are being written, SIGNPOST_EVAL_NO_HELDOUT=1 leaves the held-out set unmeasured, and so unseen.
    const measureHeldOut = fs.existsSync(heldOutFile) && !process.env.SIGNPOST_EVAL_NO_HELDOUT;
    const languagesHeldOut = measureHeldOut ? evalLanguageSet(`HELD-OUT other languages `
        + `(${LANGUAGES_HELDOUT}; numbers only, its lines are not printed)`, readJsonl<LanguageCase>(heldOutFile),
        engine, false) : undefined;
    const heldOut2File = path.join(root, LANGUAGES_HELDOUT2);
    const languagesHeldOut2 = measureHeldOut && fs.existsSync(heldOut2File) ? evalLanguageSet(`HELD-OUT 2 other `
        + `languages (${LANGUAGES_HELDOUT2}; numbers only, its lines are not printed)`,
    readJsonl<LanguageCase>(heldOut2File), engine, false) : undefined;
    const heldOut3File = path.join(root, LANGUAGES_HELDOUT3);
    const languagesHeldOut3 = measureHeldOut && fs.existsSync(heldOut3File) ? evalLanguageSet(`HELD-OUT 3 other `
        + `languages (${LANGUAGES_HELDOUT3}; numbers only, its lines are not printed)`,
    readJsonl<LanguageCase>(heldOut3File), engine, false) : undefined;

    // Issue 18: messages for someone else; the held-out lines only unless SIGNPOST_EVAL_NO_HELDOUT.
    const behalfCases = readJsonl<BehalfCase>(path.join(root, PARAPHRASE_BEHALF));
    const behalfDev = measureBehalf(behalfCases.filter((c) => !isBehalfHeldOut(c)), needModel);
    printBehalf('dev', behalfDev, true);
    const behalfHeldOut = process.env.SIGNPOST_EVAL_NO_HELDOUT ? undefined
        : measureBehalf(behalfCases.filter((c) => isBehalfHeldOut(c)), needModel);
    if (behalfHeldOut) {
        printBehalf('HELD-OUT (numbers only)', behalfHeldOut, false);
    }

    // Issue 18 part 2: needs in Welsh and Polish; held-out parts as numbers only, unless SIGNPOST_EVAL_NO_HELDOUT.
    const localeNeeds = evalLocaleNeeds(engine, root);

    // Issue 16: scripted conversations on the real app (held-out part unless SIGNPOST_EVAL_NO_HELDOUT is set).
    await evalConversations(knowledge);

    console.log('\nSummary (aims: first need in top 3 >= 95%, all needs in top 3 >= 85%, no need on small talk):');
    for (const [name, s] of [['dev', dev], ['team', team]] as const) {
        console.log(`  ${name.padEnd(5)} first need in top 3 ${percent(s.firstTop3, s.withNeeds)}, all needs in top 3 `
            + `${percent(s.labelledTop3, s.labelled)} (messages with every need: ${percent(s.allTop3, s.withNeeds)}), `
            + `no-need messages given none ${ratio(s.smallTalk - s.smallTalkFalse, s.smallTalk)}`);
    }
    console.log('On behalf of someone else (aims: first need right 90%, no invented family-parenting):');
    console.log(behalfSummary('dev', behalfDev));
    if (behalfHeldOut) {
        console.log(behalfSummary('held-out', behalfHeldOut));
    }
    printLocaleNeedsSummary(localeNeeds);
    console.log('Crisis (aims: recall 100%, false alarms under 10%):');
    const crisisSets = [['dev', devCrisis], ['team', teamCrisis], ['child', childCrisis], ['held-out', heldOut],
        ['hidden', hidden]] as const;
    for (const [name, c] of crisisSets) {
        console.log(`  ${name.padEnd(9)} recall ${percent(c.found, c.positives)}, `
            + `false alarms ${percent(c.alarms, c.negatives)} (${c.alarms}/${c.negatives})`);
    }
    console.log('Other languages (aims: recall 100%, at most 1 false alarm in 8 per language on held-out):');
    const languageSets = [
        ['dev', languagesDev], ['HELD-OUT', languagesHeldOut], ['HELD-OUT 2', languagesHeldOut2],
        ['HELD-OUT 3', languagesHeldOut3],
    ] as const;
    for (const [name, t] of languageSets) {
        if (!t) continue;
        console.log(`  ${name.padEnd(10)} recall ${percent(t.found, t.crisis)}, `
            + `false alarms ${percent(t.alarms, t.negatives)}`
            + ` (${t.alarms}/${t.negatives}), identified: baseline ${percent(t.baseline, t.lines)}, baseline+tinyld `
            + `${percent(t.chosen, t.lines)}`);
    }
    return 0;
}

main().then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
});
