/**
 * `npm run bench`: how fast and how well matching works on big directories, against the plain approach, in one run.
 *
 * For 1,000, 10,000 and 100,000 opportunities (synthetic, seeded, copied from the shipped sample with new ids, names,
 * places and dates), it builds the engine once and times a full `signpost match` per query (crisis check, need
 * detection, place lookup, ranking, the JSON answer: matchOne in src/cli/match.ts) over the development utterances
 * and the team's paraphrases, some with a postcode, "free" or a day. It prints the build time, p50 / p95 / max
 * latency, the heap used, and the top-5 quality (a listing tagged with the first labelled need in the top 5). In the
 * same run it does the same for the plain approach: one fuse.js index over name, description and keywords with
 * default options, searched with the raw text. fuse.js scans every record, so it runs on a seeded sample of the
 * queries within a time budget per size, and our quality is also given on that same sample. Last, it spawns
 * `signpost match --batch -` on a few thousand lines for throughput.
 *
 * Then the turn bench (benchTurns.ts): turns per second and turn latency over the real server's /api/messages with
 * each store (embedded; MongoDB too when MONGODB_URI is set), beside a bare echo bot on the same stack, at 1 and 50
 * residents at once, in three alternating rounds of 10 seconds. Its two aims (issue 15), each met or not met with both
 * bots' figures, are the bench's last lines.
 *
 * Last, the page bench (benchPage.ts): the website chat's first and repeat visits in headless Chromium on Lighthouse's
 * Slow 4G with a 4x CPU slowdown: bytes transferred, time to the welcome and to a box the resident can type in.
 *
 * First of all, the start bench (benchStart.ts): the time from starting the built server to /healthz answering, with
 * the shipped knowledge and with a directory of 10,000 synthetic listings (issue 23).
 *
 * Usage: node dist/src/cli/bench.js [--sizes 1000,10000,100000] [--fuse-seconds 15,45,100] [--batch-lines 5000]
 *        [--seconds 10] [--conversations 50] [--rounds 3] [--only echo|signpost] [--profile <folder>] [--per-step]
 *        [--turns-only | --matching-only | --page-only | --import-only | --start-only] [--skip-page] [--cpu 4]
 *        [--screenshots DIR] [--import-records 10000] [--import-threads N] [--start-listings 10000] [--start-runs 3]
 * After matching, it times `signpost kb import` and `signpost kb review` of 10,000 records (benchImport.ts).
 * It prints numbers and asserts nothing; exit 0 when it ran, 1 when an input is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import Fuse from 'fuse.js';
import { loadKnowledge } from '../knowledge';
import type { Knowledge } from '../knowledge';
import type { Opportunity } from '../knowledge/schema';
import { createEngine } from '../matching/engine';
import type { Engine } from '../matching/engine';
import { projectRoot } from '../paths';
import { matchOne } from './match';
import { CPU_SLOWDOWN, runPageBench } from './benchPage';
import { runTurnBench, turnAims, turnBenchOptions } from './benchTurns';
import { benchImport } from './benchImport';
import { benchStart, knowledgeWith } from './benchStart';
import { PARAPHRASE_NEEDS, percent, percentile, readJsonl, topHit, UTTERANCES } from './measure';
import type { LabelledUtterance } from './measure';
import { seededRandom as seeded } from './random';

const TODAY = '2026-10-01';
const SEED = 20261001;
/**
 * Timed rounds over every query per size, after one round to warm up. A query's latency is the median of its rounds,
 * so a moment's pause in the shared machine (another process, a collection) does not become a query's time.
 */
const ROUNDS = 5;
const TOWNS = ['Ashby', 'Brook', 'Carlton', 'Dene', 'Elm', 'Fairfield', 'Glen', 'Hartley', 'Ivy', 'Kingsley'];
const EXTRA_WORDS = ['friendly', 'weekly', 'relaxed', 'outdoor', 'community', 'local', 'volunteer', 'group', 'drop-in',
    'support', 'creative', 'gentle', 'social', 'learning', 'family', 'advice', 'healthy', 'together'];
/** Preferences some queries carry, as `signpost match` options. Places are in the sample's own districts. */
const POSTCODES = ['BS5 6XX', 'BS16', 'bs7 8aa', 'Eastfield', 'BS3 4HX'];
const DAYS = ['tue', 'sat', 'mon,thu'];

/** One query of the set: a --batch request, and the needs its text was labelled with. */
interface BenchQuery {
    request: { text: string; postcode?: string; free?: boolean; day?: string; time?: string };
    want: string[];
}

/** What one size measured for one approach. */
interface Measured {
    p50: number;
    p95: number;
    max: number;
    /** Queries with a labelled need that were judged, and how many had the first need in the top 5. */
    judged: number;
    firstHits: number;
    allHits: number;
}


function pick<T>(random: () => number, items: readonly T[]): T {
    return items[Math.floor(random() * items.length)] as T;
}

function isoDaysBefore(today: string, days: number): string {
    return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A synthetic directory: copies of the sample's records, each with a town in its name, a few extra everyday words,
 * a new check date within three years, and its venue moved within a ~35 km square around the original.
 */
function synthesise(sample: readonly Opportunity[], count: number, random: () => number): Opportunity[] {
    return Array.from({ length: count }, (_, i) => {
        const base = sample[i % sample.length] as Opportunity;
        const town = pick(random, TOWNS);
        const words = Array.from({ length: 3 }, () => pick(random, EXTRA_WORDS));
        const copy: Opportunity = {
            ...base,
            id: `${base.id}-syn-${i}`,
            name: `${base.name} ${town} ${i}`,
            description: `${base.description} ${words.join(' ')} in ${town}.`.slice(0, 2000),
            keywords: [...base.keywords, ...words],
            assured_date: isoDaysBefore(TODAY, Math.floor(random() * 3 * 365)),
        };
        if (base.location?.latitude !== undefined && base.location.longitude !== undefined) {
            copy.location = {
                ...base.location,
                latitude: base.location.latitude + (random() - 0.5) * 0.3,
                longitude: base.location.longitude + (random() - 0.5) * 0.5,
            };
        }
        return copy;
    });
}

/** The query set: every labelled message, a third with a place, a quarter free only, a fifth with a day. */
function querySet(root: string): BenchQuery[] {
    const utterances = [
        ...readJsonl<LabelledUtterance>(path.resolve(root, UTTERANCES)),
        ...readJsonl<LabelledUtterance>(path.resolve(root, PARAPHRASE_NEEDS)),
    ];
    return utterances.map((u, i) => {
        const request: BenchQuery['request'] = { text: u.text };
        if (i % 3 === 0) {
            request.postcode = POSTCODES[(i / 3) % POSTCODES.length] as string;
        }
        if (i % 4 === 1) {
            request.free = true;
        }
        if (i % 5 === 2) {
            request.day = DAYS[i % DAYS.length] as string;
        }
        if (i % 10 === 7) {
            request.time = 'morning';
        }
        return { request, want: u.needs };
    });
}

/** Positions 0..n-1 in a seeded random order, so the first few are a fair sample of the whole set. */
function sampleOrder(n: number, random: () => number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    return order;
}

let gc: (() => void) | undefined;

/** Garbage collection before reading the heap, so the figures mean what is still held, not what awaits collection. */
function collectGarbage(): void {
    if (!gc) {
        // npm runs the bench without --expose-gc; the flag can still be set, and the function fetched, at run time.
        v8.setFlagsFromString('--expose-gc');
        gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
}

function heapMb(): number {
    collectGarbage();
    return process.memoryUsage().heapUsed / 1024 / 1024;
}

function summarise(times: number[], judged: number, firstHits: number, allHits: number): Measured {
    const sorted = [...times].sort((a, b) => a - b);
    return {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        max: sorted[sorted.length - 1] ?? NaN,
        judged,
        firstHits,
        allHits,
    };
}

type MatchOutput = ReturnType<typeof matchOne>;

/** Times our full match over every query, ROUNDS times after a warm-up round, and judges the warm-up's top 5. */
function measureOurs(
    engine: Engine,
    queries: readonly BenchQuery[],
): { measured: Measured; outputs: MatchOutput[]; misses: string[] } {
    const outputs = queries.map((q) => matchOne(engine, q.request));
    const rounds: number[][] = queries.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
        queries.forEach((q, i) => {
            const start = performance.now();
            matchOne(engine, q.request);
            rounds[i]?.push(performance.now() - start);
        });
    }
    const medians = rounds.map((times) => percentile([...times].sort((a, b) => a - b), 50));
    const { judged, firstHits, allHits, misses } = judgeOurs(queries, outputs, queries.map((_, i) => i));
    const measured = summarise(medians, judged, firstHits, allHits);
    return { measured: { ...measured, max: Math.max(...rounds.flat()) }, outputs, misses };
}

/**
 * Top-5 quality of our answers over the given query positions. A message flagged as a crisis gets no listings on
 * purpose (the bot shows crisis routes), so it is left out rather than counted as a miss.
 */
function judgeOurs(
    queries: readonly BenchQuery[],
    outputs: readonly MatchOutput[],
    positions: readonly number[],
): { judged: number; firstHits: number; allHits: number; misses: string[] } {
    let judged = 0;
    let firstHits = 0;
    let allHits = 0;
    const misses: string[] = [];
    for (const i of positions) {
        const q = queries[i] as BenchQuery;
        const out = outputs[i] as MatchOutput;
        if (q.want.length === 0 || out.crisis) {
            continue;
        }
        judged++;
        const hit = topHit(out.results.map((r) => r.needs), q.want);
        firstHits += hit.first ? 1 : 0;
        allHits += hit.all ? 1 : 0;
        if (!hit.first) {
            const got = out.results.map((r) => r.needs[0]).join(', ') || 'no results';
            misses.push(`         ${JSON.stringify(q.request)} wants ${q.want.join(', ')}; top 5 mainly: ${got}`
                + (out.widened.length ? ` (widened: ${out.widened.join(', ')})` : ''));
        }
    }
    return { judged, firstHits, allHits, misses };
}

/** The plain approach on the queries at `order`, until the budget runs out; the positions it managed. */
function measureFuse(
    fuse: Fuse<Opportunity>,
    queries: readonly BenchQuery[],
    order: readonly number[],
    budgetMs: number,
    skip: ReadonlySet<number>,
): { measured: Measured; ran: number[] } {
    const times: number[] = [];
    const ran: number[] = [];
    let judged = 0;
    let firstHits = 0;
    let allHits = 0;
    const started = performance.now();
    for (const i of order) {
        if (performance.now() - started > budgetMs && ran.length >= 3) {
            break;
        }
        const q = queries[i] as BenchQuery;
        const start = performance.now();
        const found = fuse.search(q.request.text);
        times.push(performance.now() - start);
        ran.push(i);
        if (q.want.length === 0 || skip.has(i)) {
            continue;
        }
        judged++;
        const hit = topHit(found.slice(0, 5).map((r) => r.item.needs), q.want);
        firstHits += hit.first ? 1 : 0;
        allHits += hit.all ? 1 : 0;
    }
    return { measured: summarise(times, judged, firstHits, allHits), ran };
}

const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : n.toFixed(0));

function qualityLine(m: Measured): string {
    return `first need in top 5 ${m.firstHits}/${m.judged} = ${percent(m.firstHits, m.judged)}, `
        + `all needs in top 5 ${m.allHits}/${m.judged} = ${percent(m.allHits, m.judged)}`;
}

/** Everything for one directory size; returns ours and fuse's numbers for the summary. */
function benchSize(
    knowledge: Knowledge,
    queries: readonly BenchQuery[],
    size: number,
    fuseBudgetMs: number,
): { ours: Measured; oursOnSample: Measured; fuse: Measured; fuseRan: number } {
    const random = seeded(SEED + size);
    const baseHeap = heapMb();
    const directory = synthesise(knowledge.opportunities, size, random);
    const directoryHeap = heapMb() - baseHeap;
    let start = performance.now();
    const engine = createEngine({
        ...knowledge, opportunities: directory, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes,
    });
    const buildMs = performance.now() - start;
    const engineHeap = heapMb() - baseHeap - directoryHeap;

    const { measured: ours, outputs, misses } = measureOurs(engine, queries);
    const crisis = new Set(outputs.flatMap((o, i) => (o.crisis ? [i] : [])));

    start = performance.now();
    const fuse = new Fuse(directory, { keys: ['name', 'description', 'keywords'] });
    const fuseBuildMs = performance.now() - start;
    const fuseHeap = heapMb() - baseHeap - directoryHeap - engineHeap;
    const order = sampleOrder(queries.length, seeded(SEED));
    const { measured: plain, ran } = measureFuse(fuse, queries, order, fuseBudgetMs, crisis);
    const same = judgeOurs(queries, outputs, ran);
    const oursOnSample = { ...ours, ...same };

    const label = size.toLocaleString('en-GB');
    console.log(`\n=== ${label} opportunities (synthetic directory ${directoryHeap.toFixed(0)} MB of heap) ===`);
    console.log(`ours   build ${ms(buildMs)} ms (index, need and crisis models, places); `
        + `heap ${engineHeap.toFixed(0)} MB`);
    console.log(`       full match over ${queries.length} queries (each the median of ${ROUNDS} runs): `
        + `p50 ${ms(ours.p50)} ms, p95 ${ms(ours.p95)} ms; slowest single run ${ms(ours.max)} ms`);
    console.log(`       all queries: ${qualityLine(ours)}`
        + (crisis.size ? ` (${crisis.size} flagged as crisis, left out: they get crisis routes, not listings)` : ''));
    misses.forEach((line) => console.log(line));
    console.log(`fuse   build ${ms(fuseBuildMs)} ms; heap ${fuseHeap.toFixed(0)} MB`);
    const sampled = ran.length < queries.length
        ? `a seeded sample of ${ran.length} of ${queries.length} queries `
            + `(time-boxed to ${(fuseBudgetMs / 1000).toFixed(0)} s)`
        : `all ${queries.length} queries`;
    console.log(`       search with the raw text, ${sampled}: p50 ${ms(plain.p50)} ms, p95 ${ms(plain.p95)} ms, `
        + `max ${ms(plain.max)} ms`);
    console.log(`       on that sample: fuse ${qualityLine(plain)}`);
    console.log(`                       ours ${qualityLine(oursOnSample)}`);
    console.log(`speed  ours is ${(plain.p50 / ours.p50).toFixed(0)}x faster at p50, `
        + `${(plain.p95 / ours.p95).toFixed(0)}x at p95`);
    return { ours, oursOnSample, fuse: plain, fuseRan: ran.length };
}

/**
 * Spawns `signpost match --batch -` on `lines` lines of the query set and reports lines per second. Each run is made
 * twice and the faster kept, the usual way to see past other work on a shared machine.
 */
function benchBatch(root: string, queries: readonly BenchQuery[], lines: number): void {
    const main = path.join(root, 'dist', 'src', 'cli', 'main.js');
    const once = (input: string): { ms: number; out: number; ok: boolean } => {
        const start = performance.now();
        const r = spawnSync(process.execPath, [main, 'match', '--batch', '-'], {
            cwd: root, input, encoding: 'utf8', timeout: 120_000, maxBuffer: 512 * 1024 * 1024,
        });
        const out = r.stdout ? r.stdout.split('\n').filter((l) => l !== '').length : 0;
        return { ms: performance.now() - start, out, ok: r.status === 0 };
    };
    const run = (input: string): { ms: number; out: number; ok: boolean } => {
        const [a, b] = [once(input), once(input)];
        return a.ok && (!b.ok || a.ms <= b.ms) ? a : b;
    };
    const body = Array.from({ length: lines }, (_, i) => JSON.stringify((queries[i % queries.length] as BenchQuery)
        .request)).join('\n') + '\n';
    const one = run(`${JSON.stringify((queries[0] as BenchQuery).request)}\n`);
    const all = run(body);
    console.log('\n=== signpost match --batch (spawned: node dist/src/cli/main.js match --batch -, '
        + 'shipped knowledge; faster of two runs) ===');
    if (!one.ok || !all.ok || all.out !== lines) {
        console.log(`  the batch run failed (exit ok: ${all.ok}, ${all.out} of ${lines} lines out)`);
        return;
    }
    const perSecond = (lines * 1000) / all.ms;
    const afterStart = ((lines - 1) * 1000) / Math.max(1, all.ms - one.ms);
    console.log(`  ${lines} lines in ${(all.ms / 1000).toFixed(2)} s: ${perSecond.toFixed(0)} lines/s including `
        + `start-up (${(one.ms / 1000).toFixed(2)} s for one line), ${afterStart.toFixed(0)} lines/s after start-up; `
        + 'one JSON line out per line in');
}

function numbers(text: string | undefined, fallback: number[]): number[] {
    return text ? text.split(',').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n > 0) : fallback;
}

const OPTIONS = {
    'sizes': { type: 'string' },
    'fuse-seconds': { type: 'string' },
    'batch-lines': { type: 'string' },
    'seconds': { type: 'string' },
    'conversations': { type: 'string' },
    'rounds': { type: 'string' },
    'only': { type: 'string' },
    'profile': { type: 'string' },
    'per-step': { type: 'boolean' },
    'turns-only': { type: 'boolean' },
    'matching-only': { type: 'boolean' },
    'import-only': { type: 'boolean' },
    'import-records': { type: 'string' },
    'import-threads': { type: 'string' },
    'page-only': { type: 'boolean' },
    'skip-page': { type: 'boolean' },
    'cpu': { type: 'string' },
    'screenshots': { type: 'string' },
    'start-only': { type: 'boolean' },
    'start-listings': { type: 'string' },
    'start-runs': { type: 'string' },
} as const;

/**
 * The start bench: the built server from start to /healthz answering with the shipped knowledge, then with a
 * knowledge folder whose directory is `listings` synthetic listings (as the matching bench makes them).
 */
async function startSection(listings: number, runs: number): Promise<void> {
    const root = projectRoot();
    const knowledge = loadKnowledge(path.join(root, 'knowledge'));
    console.log(`Start: the built server (dist/src/index.js) from start to /healthz answering, embedded store, a new `
        + `data folder each time. Node ${process.version}, ${os.cpus().length} CPUs, `
        + `load ${os.loadavg()[0]?.toFixed(1)}.`);
    await benchStart(`shipped knowledge (${knowledge.opportunities.length} listings)`, {}, runs);
    const dir = knowledgeWith(synthesise(knowledge.opportunities, listings, seeded(SEED)));
    try {
        await benchStart(`${listings.toLocaleString('en-GB')} listings`, { SIGNPOST_KNOWLEDGE_DIR: dir }, runs);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log('');
}

function main(values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values']): number {
    const sizes = numbers(values.sizes, [1_000, 10_000, 100_000]).map(Math.floor);
    const budgets = numbers(values['fuse-seconds'], [15, 45, 100]);
    const batchLines = Math.floor(numbers(values['batch-lines'], [5000])[0] ?? 5000);
    const root = projectRoot();
    for (const file of [UTTERANCES, PARAPHRASE_NEEDS]) {
        if (!fs.existsSync(path.resolve(root, file))) {
            console.error(`Cannot run the bench: ${path.resolve(root, file)} is missing.`);
            return 1;
        }
    }
    const knowledge = loadKnowledge(path.join(root, 'knowledge'));
    const queries = querySet(root);
    const labelled = queries.filter((q) => q.want.length > 0).length;
    console.log(`Signpost matching bench. Node ${process.version}, ${process.arch}; `
        + `${queries.length} queries (${UTTERANCES} + ${PARAPHRASE_NEEDS}; ${labelled} with a labelled need), `
        + `a third with a place, a quarter free only, a fifth with a day; seed ${SEED}; `
        + `directories copied from the ${knowledge.opportunities.length} shipped listings.`);
    console.log('Quality: share of queries whose top 5 holds a listing tagged with the first labelled need '
        + '(and with every labelled need). Plain = one fuse.js 7 index over name, description and keywords, '
        + 'default options, searched with the raw text.');
    const summary: string[] = [];
    sizes.forEach((size, i) => {
        const budget = (budgets[Math.min(i, budgets.length - 1)] ?? 30) * 1000;
        const { ours, oursOnSample, fuse, fuseRan } = benchSize(knowledge, queries, size, budget);
        summary.push(`  ${size.toLocaleString('en-GB').padStart(7)}: ours p50 ${ms(ours.p50)} ms, `
            + `p95 ${ms(ours.p95)} ms, top-5 ${percent(ours.firstHits, ours.judged)} (all) / `
            + `${percent(oursOnSample.firstHits, oursOnSample.judged)} (fuse's sample) | `
            + `fuse.js p50 ${ms(fuse.p50)} ms, p95 ${ms(fuse.p95)} ms, `
            + `top-5 ${percent(fuse.firstHits, fuse.judged)} (${fuseRan} queries) | `
            + `ours ${(fuse.p95 / ours.p95).toFixed(0)}x faster at p95`);
    });
    benchBatch(root, queries, batchLines);
    console.log('\nSummary (targets at 100,000: our p95 under 10 ms, at least 20x faster than fuse.js, top-5 at '
        + 'least as good):');
    summary.forEach((line) => console.log(line));
    return 0;
}

async function run(): Promise<number> {
    const { values } = parseArgs({ options: OPTIONS });
    const records = Math.floor(numbers(values['import-records'], [10_000])[0] ?? 10_000);
    // Unset: as `kb import` chooses (one thread per free core, at most 4); 1 shows what a single thread takes.
    const importThreads = values['import-threads'] === undefined ? undefined
        : Math.max(1, Math.floor(numbers(values['import-threads'], [1])[0] ?? 1));
    const only = values['import-only'] || values['page-only'] || values['turns-only'] || values['matching-only'];
    if (values['start-only'] || !only) {
        await startSection(Math.floor(numbers(values['start-listings'], [10_000])[0] ?? 10_000),
            Math.max(1, Math.floor(numbers(values['start-runs'], [3])[0] ?? 3)));
        if (values['start-only']) return 0;
    }
    if (values['import-only']) {
        await benchImport(records, importThreads);
        return 0;
    }
    const pageOptions = { screenshots: values.screenshots, cpu: numbers(values.cpu, [CPU_SLOWDOWN])[0] };
    if (values['page-only']) {
        await runPageBench(pageOptions);
        return 0;
    }
    const code = values['turns-only'] ? 0 : main(values);
    if (code === 0 && !values['turns-only']) await benchImport(records, importThreads);
    const turnOptions = turnBenchOptions(values);
    const turns = code === 0 && !values['matching-only'] ? await runTurnBench(turnOptions) : undefined;
    if (code === 0 && !values['matching-only'] && !values['turns-only'] && !values['skip-page']) {
        await runPageBench(pageOptions);
    }
    if (turns) {
        // Last of all, so the turn aims are the bench's final lines, not scrolled away by the page bench.
        console.log('');
        turnAims(turns, turnOptions.conversations).forEach((l) => console.log(l));
    }
    return code;
}

run().then((code) => {
    process.exitCode = Math.max(code, Number(process.exitCode ?? 0));
}, (error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
});
