/**
 * The need-label part of `npm run eval:import` (evalImport.ts): how well `signpost kb import` labels a real council
 * feed's services with needs, against labels written blind by hand (test/fixtures/eval/import/needs.jsonl, issue 17).
 * Imports the feed with the product's importer into a temporary folder, twice: with the service labeller
 * (src/import/labeller.ts) and with the residents' need detector it replaced, and prints per labeller:
 * - exact: the same set of needs as the gold; overlap: some need in common, not the same set; wrong: none in common
 *   (a record the gold gives no need counts as exact when it gets none too, else wrong);
 * - first need right: our first need is one of the gold's;
 * - wrong-need rate: records given at least one need the gold does not give (the issue's aim: under 10%).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDirectory } from '../import/importer';
import { loadKnowledge } from '../knowledge';

/** Named in messages about a malformed gold line. */
const GOLD = 'test/fixtures/eval/import/needs.jsonl';

/** One gold record: the feed's service id, the needs a person gave it (maybe none), and its part. */
interface Gold {
    id: string;
    needs: string[];
    split: string;
}

function readGold(file: string): Gold[] {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
        const raw = JSON.parse(line) as Record<string, unknown>;
        const id = raw.id ?? raw.service_id;
        const needs = raw.needs ?? raw.gold_needs ?? raw.labels;
        if (typeof id !== 'string' || !Array.isArray(needs)) {
            throw new Error(`${GOLD} line ${i + 1}: needs "id" (or "service_id") and a "needs" list`);
        }
        return { id, needs: needs.map(String), split: typeof raw.split === 'string' ? raw.split : 'dev' };
    });
}

/** The scores of one labeller over some gold records. */
export interface NeedScores {
    records: number;
    exact: number;
    overlap: number;
    wrong: number;
    firstRight: number;
    withWrongNeed: number;
    missing: number;
}

/** Compares the needs given with the gold's, record by record. Pure, for tests. */
export function scoreNeeds(gold: readonly Gold[], given: ReadonlyMap<string, readonly string[]>): NeedScores {
    const s: NeedScores = { records: 0, exact: 0, overlap: 0, wrong: 0, firstRight: 0, withWrongNeed: 0, missing: 0 };
    for (const g of gold) {
        const ours = given.get(g.id);
        if (!ours) {
            s.missing++;
            continue;
        }
        s.records++;
        const want = new Set(g.needs);
        const common = ours.filter((n) => want.has(n)).length;
        if (common === want.size && ours.length === want.size) {
            s.exact++;
        } else if (common > 0) {
            s.overlap++;
        } else {
            s.wrong++;
        }
        if ((ours.length === 0 && want.size === 0) || (ours[0] !== undefined && want.has(ours[0]))) {
            s.firstRight++;
        }
        if (ours.some((n) => !want.has(n))) {
            s.withWrongNeed++;
        }
    }
    return s;
}

function pct(n: number, d: number): string {
    return d === 0 ? '-' : `${n}/${d} = ${((100 * n) / d).toFixed(1)}%`;
}

async function needsOf(feed: string, labeller: boolean): Promise<Map<string, string[]>> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-evalimport-'));
    try {
        await importDirectory({ source: feed, format: 'oruk', outDir: dir, progress: false, serviceLabeller: labeller });
        return new Map(loadKnowledge(dir).opportunities.map((o) => [o.id, o.needs]));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Prints the need-label scores of both labellers on one split of the gold ('all': both splits). `feed` is the feed's
 * path; `goldFile` the needs.jsonl.
 */
export async function printNeedLabels(feed: string, goldFile: string, split: 'dev' | 'heldout' | 'all')
    : Promise<void> {
    const gold = readGold(goldFile).filter((g) => split === 'all' || g.split === split);
    console.log(`\nNeed labels on ${gold.length} ${split} gold records:`);
    for (const [name, labeller] of [['service labeller', true], ['residents\' lexicon (before)', false]] as const) {
        const s = scoreNeeds(gold, await needsOf(feed, labeller));
        console.log(`  ${name}: exact ${pct(s.exact, s.records)}, overlap ${pct(s.overlap, s.records)}, `
            + `wrong ${pct(s.wrong, s.records)}; first need right ${pct(s.firstRight, s.records)}; `
            + `wrong-need rate ${pct(s.withWrongNeed, s.records)}`
            + (s.missing ? `; ${s.missing} gold record(s) not imported` : ''));
    }
}
