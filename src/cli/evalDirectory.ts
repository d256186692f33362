/**
 * `npm run eval:directory [-- --pool FILE [--pool-depth N]] [-- --all]`: how well Signpost ranks a real council
 * directory, on a judged set of residents' questions (test/fixtures/eval/directory, see its README).
 *
 * Imports ../shared/data/oruk-north-lincolnshire/north_lincolnshire_oruk.json with the product's own importer into a
 * temporary knowledge folder, then ranks every query with three systems: Signpost with the query's postcode (when it
 * has one), Signpost without a postcode, and a plain BM25 baseline over name + description.
 * - `--pool FILE` writes the blind judging pool: every (query, service) pair in any system's top 10 (`--pool-depth N`:
 *   top N, so the top 5 that the metrics read can be judged first) not yet judged,
 *   deduplicated, in a seeded random order, with no system names or ranks.
 * - Otherwise prints nDCG@5, precision@5, hit@5 and recall@20 per system for the dev and held-out parts, the
 *   unjudged top-5 results (counted as 0), and the ten worst dev queries for Signpost (`--all`: held-out too;
 *   `--worst N`: the N worst).
 *   `--scores FILE` also writes each query's nDCG@5 and top 5 per system (JSON lines), to compare two versions.
 * The feed is read only from ../shared; when it is missing the script says so and exits 0 (CI does not run it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledge } from '../knowledge';
import { cleanText } from '../import/html';
import { importDirectory } from '../import/importer';
import { createEngine, type Engine } from '../matching/engine';
import { projectRoot } from '../paths';
import {
    buildBm25, hitAt, mean, ndcgAt, precisionAt, recallAt, shuffled, unjudgedAt, type Bm25Index, type Grades,
} from './directoryMetrics';
import { matchOne } from './match';

const FEED = '../shared/data/oruk-north-lincolnshire/north_lincolnshire_oruk.json';
const FIXTURES = 'test/fixtures/eval/directory';
const POOL_DEPTH = 10;
const RANK_DEPTH = 20;
const POOL_SEED = 17;
const DESCRIPTION_CHARS = 1200;
const WORST = 10;

interface Query {
    id: string;
    text: string;
    postcode: string | null;
    kind: 'specific' | 'general';
    split: 'dev' | 'heldout';
}

interface Judgment {
    query_id: string;
    service_id: string;
    grade: 0 | 1 | 2;
}

interface FeedService {
    id: string;
    name: string;
    description: string;
    organization: string;
}

const SYSTEMS = ['Signpost + postcode', 'Signpost, no postcode', 'BM25'] as const;
type System = (typeof SYSTEMS)[number];

function readJsonl<T>(file: string): T[] {
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
        try {
            return JSON.parse(l) as T;
        } catch {
            throw new Error(`${file} line ${i + 1} is not valid JSON`);
        }
    });
}

function feedServices(raw: unknown): FeedService[] {
    const records = Array.isArray(raw) ? raw : ((raw as { content?: unknown[] }).content ?? []);
    return records.filter((r): r is Record<string, unknown> => !!r && typeof r === 'object' && typeof r.id === 'string')
        .map((r) => ({
            id: r.id as string,
            name: cleanText(r.name),
            description: cleanText(r.description),
            organization: cleanText((r.organization as { name?: unknown } | undefined)?.name),
        }));
}

/** Service ids best first, up to RANK_DEPTH, for one query and system. */
function rankOf(system: System, q: Query, engine: Engine, bm25: Bm25Index): string[] {
    if (system === 'BM25') return bm25.search(q.text, RANK_DEPTH).map((r) => r.id);
    const postcode = system === 'Signpost + postcode' && q.postcode ? { postcode: q.postcode } : {};
    return matchOne(engine, { text: q.text, limit: RANK_DEPTH, ...postcode }).results.map((r) => r.id);
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { pool: { type: 'string' }, 'pool-depth': { type: 'string' }, all: { type: 'boolean' },
            scores: { type: 'string' }, worst: { type: 'string' } },
    });
    const worstCount = values.worst === undefined ? WORST : Number(values.worst);
    if (!Number.isInteger(worstCount) || worstCount < 1) {
        console.error('--worst must be a whole number of 1 or more.');
        return 2;
    }
    const depth = values['pool-depth'] === undefined ? POOL_DEPTH : Number(values['pool-depth']);
    if (!Number.isInteger(depth) || depth < 1 || depth > RANK_DEPTH) {
        console.error(`--pool-depth must be a whole number from 1 to ${RANK_DEPTH}.`);
        return 2;
    }
    const root = projectRoot();
    const feedFile = path.join(root, FEED);
    if (!fs.existsSync(feedFile)) {
        console.log(`${FEED} is missing (the shared data sits beside the project, not in it): nothing to measure.`);
        return 0;
    }
    const queries = readJsonl<Query>(path.join(root, FIXTURES, 'queries.jsonl'));
    const judgments = readJsonl<Judgment>(path.join(root, FIXTURES, 'judgments.jsonl'));
    const grades = new Map<string, Map<string, number>>();
    for (const j of judgments) {
        if (![0, 1, 2].includes(j.grade)) {
            throw new Error(`judgment ${j.query_id}/${j.service_id}: grade must be 0, 1 or 2`);
        }
        if (!grades.has(j.query_id)) grades.set(j.query_id, new Map());
        grades.get(j.query_id)!.set(j.service_id, j.grade);
    }

    const services = feedServices(JSON.parse(fs.readFileSync(feedFile, 'utf8')));
    const byId = new Map(services.map((s) => [s.id, s]));
    const bm25 = buildBm25(services);

    const kbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-direval-'));
    try {
        const report = await importDirectory({ source: feedFile, format: 'oruk', outDir: kbDir, progress: false });
        if (!report.written) throw new Error(`the importer wrote nothing from ${FEED}`);
        console.log(`Imported ${report.imported} of ${services.length} feed services (skipped ${report.skipped.total}) `
            + "with the product's importer into a temporary folder.");
        const knowledge = loadKnowledge(kbDir);
        const engine = createEngine({
            ...knowledge, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes,
        });
        const rankings = new Map<string, Record<System, string[]>>();
        for (const q of queries) {
            const ranked = SYSTEMS.map((s) => [s, rankOf(s, q, engine, bm25)]);
            rankings.set(q.id, Object.fromEntries(ranked) as Record<System, string[]>);
        }
        if (values.pool) return writePool(values.pool, queries, rankings, grades, byId, depth);
        if (values.scores) writeScores(values.scores, queries, rankings, grades);
        printReport(queries, rankings, grades, byId, values.all === true, worstCount);
        return 0;
    } finally {
        fs.rmSync(kbDir, { recursive: true, force: true });
    }
}

function writePool(
    file: string, queries: Query[], rankings: Map<string, Record<System, string[]>>,
    grades: Map<string, Map<string, number>>, byId: Map<string, FeedService>, depth: number,
): number {
    const pairs: { query: Query; serviceId: string }[] = [];
    for (const q of queries) {
        const seen = new Set<string>();
        for (const s of SYSTEMS) {
            for (const id of rankings.get(q.id)![s].slice(0, depth)) {
                if (seen.has(id) || grades.get(q.id)?.has(id)) continue;
                seen.add(id);
                pairs.push({ query: q, serviceId: id });
            }
        }
    }
    // Sort first so the shuffle does not depend on which system found a pair first.
    pairs.sort((a, b) => (a.query.id + a.serviceId < b.query.id + b.serviceId ? -1 : 1));
    const lines = shuffled(pairs, POOL_SEED).map(({ query, serviceId }) => {
        const s = byId.get(serviceId);
        return JSON.stringify({
            query_id: query.id, query: query.text, service_id: serviceId, name: s?.name ?? '',
            description: (s?.description ?? '').slice(0, DESCRIPTION_CHARS), organization: s?.organization ?? '',
        });
    });
    fs.writeFileSync(file, lines.length ? lines.join('\n') + '\n' : '');
    console.log(`Wrote ${lines.length} unjudged (query, service) pairs to ${file} `
        + `(top ${depth} of ${SYSTEMS.length} systems, ${queries.length} queries; already judged: left out).`);
    return 0;
}

/** Each query's nDCG@5 and top 5 per system, one JSON line a query, to compare two versions query by query. */
function writeScores(
    file: string, queries: Query[], rankings: Map<string, Record<System, string[]>>,
    grades: Map<string, Map<string, number>>,
): void {
    const empty: Grades = new Map();
    const lines = queries.map((q) => JSON.stringify({
        query_id: q.id,
        ...Object.fromEntries(SYSTEMS.map((s) => [s, {
            ndcg5: ndcgAt(rankings.get(q.id)![s], grades.get(q.id) ?? empty) ?? null,
            top5: rankings.get(q.id)![s].slice(0, 5),
        }])),
    }));
    fs.writeFileSync(file, lines.join('\n') + '\n');
}

function fmt(v: number | undefined): string {
    return v === undefined ? '  -  ' : v.toFixed(3);
}

function printReport(
    queries: Query[], rankings: Map<string, Record<System, string[]>>, grades: Map<string, Map<string, number>>,
    byId: Map<string, FeedService>, all: boolean, worstCount: number,
): void {
    const empty: Grades = new Map();
    const g = (q: Query) => grades.get(q.id) ?? empty;
    console.log(`Judgments: ${[...grades.values()].reduce((s, m) => s + m.size, 0)} over ${grades.size} queries.`);
    for (const split of ['dev', 'heldout'] as const) {
        const part = queries.filter((q) => q.split === split);
        console.log(`\n${split} (${part.length} queries, ${part.filter((q) => q.postcode).length} with a postcode; `
            + 'nDCG over queries with a judged gain, hit and recall over queries with a relevant judged service):');
        console.log(`  ${'system'.padEnd(22)} nDCG@5 (n)  P@5   hit@5 (n)  R@20  unjudged in top 5`);
        for (const s of SYSTEMS) {
            const r = (q: Query) => rankings.get(q.id)![s];
            const ndcg = mean(part.map((q) => ndcgAt(r(q), g(q))));
            const p5 = mean(part.map((q) => precisionAt(r(q), g(q))));
            const hit = mean(part.map((q) => hitAt(r(q), g(q))));
            const r20 = mean(part.map((q) => recallAt(r(q), g(q))));
            const unjudged = part.reduce((sum, q) => sum + unjudgedAt(r(q), g(q)), 0);
            console.log(`  ${s.padEnd(22)} ${fmt(ndcg.mean)} (${String(ndcg.n).padStart(2)}) ${fmt(p5.mean)} `
                + `${fmt(hit.mean)} (${String(hit.n).padStart(2)}) ${fmt(r20.mean)} ${unjudged}`
                + (unjudged ? ' (counted as 0: judge them)' : ''));
        }
    }
    const shown = queries.filter((q) => all || q.split === 'dev');
    const worst = shown.map((q) => ({ q, ndcg: ndcgAt(rankings.get(q.id)!['Signpost + postcode'], g(q)) ?? 0 }))
        .sort((a, b) => a.ndcg - b.ndcg || (a.q.id < b.q.id ? -1 : 1)).slice(0, worstCount);
    console.log(`\nThe ${worstCount} worst ${all ? '' : 'dev '}queries for Signpost + postcode (nDCG@5; grade or ? if unjudged):`);
    for (const { q, ndcg } of worst) {
        console.log(`  ${q.id} ${fmt(ndcg)} "${q.text}"${q.postcode ? ` (${q.postcode})` : ''}`);
        const top = rankings.get(q.id)!['Signpost + postcode'].slice(0, 5);
        if (!top.length) console.log('      (no results)');
        top.forEach((id, i) => console.log(`      ${i + 1}. [${g(q).get(id) ?? '?'}] ${byId.get(id)?.name ?? id}`));
    }
    if (!all) console.log('(held-out queries are left out of this list; --all shows them)');
}

main().then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
});
