/**
 * Builds a feed's records on every core. Building is the import's work (prose, needs, kinds, checks: about 0.6 ms of
 * CPU a record) and it is pure per record, so a large feed is cut into contiguous slices: worker threads build all but
 * the first, this thread builds the first, and the slices are joined in order. The result is the same, record for
 * record, as building them one by one (the tests compare the written folders byte for byte).
 *
 * Why: on the shared two-core machine `kb import` of 10,000 records took 7.2 s of CPU but about 15 to 30 s of wall
 * time. None of the gap was disk (no fsync, one write of the folder, 0.1 s): the process was runnable and waiting
 * for a core (involuntary context switches outnumbered voluntary ones), and one thread uses one core at most. Extra
 * threads are started only when cores are free (threadsFor): on a busy machine they cost CPU and win nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadServiceTypes } from '../knowledge/serviceTypes';
import { loadNeedTaxonomy } from '../knowledge/taxonomy';
import { OUTCODES_FILE, parseOutcodesCsv } from '../knowledge/places';
import { buildServiceTypeMatcher } from '../matching/serviceTypes';
import { buildOpportunity } from './build';
import type { Built, BuildContext } from './build';
import { readHsdsService } from './hsds';
import { loadServiceLabeller } from './labeller';
import { createNeedDetector } from './needs';
import { readOrukService } from './oruk';
import { loadTaxonomyMap, TAXONOMY_MAP_FILE } from './taxonomy-map';

/** What a worker needs to make the same BuildContext as this thread: folders and flags, nothing live. */
export interface BuildPlan {
    /** The folder holding needs.json, outcodes, service-types.json and service-needs.json. */
    supportDir: string;
    /** The shipped knowledge folder, for the taxonomy map. */
    shippedDir: string;
    /** YYYY-MM-DD. */
    today: string;
    /** Read needs with the service labeller (the import's default), or with the residents' lexicon. */
    labeller: boolean;
    /** Tag kinds of service (knowledge/service-types.json). */
    types: boolean;
    /** Which reader turns a raw record into a feed service. */
    reader: 'oruk' | 'hsds';
}

/** Fewer records than this are built on this thread alone: a worker's start (about 0.3 s of CPU) would not pay. */
export const PARALLEL_MIN_RECORDS = 2000;
/** At most this many threads, whatever the machine has: beyond it, starting them costs more than they save. */
const MAX_THREADS = 4;

/** The build context a plan describes; a worker and this thread make the same one. */
export function contextFor(plan: BuildPlan): BuildContext {
    const taxonomy = loadNeedTaxonomy(plan.supportDir);
    const knownNeedIds = new Set(taxonomy.needs.map((n) => n.id));
    return {
        today: plan.today,
        outcodes: parseOutcodesCsv(fs.readFileSync(path.join(plan.supportDir, OUTCODES_FILE), 'utf8')).value,
        map: loadTaxonomyMap(path.join(plan.shippedDir, TAXONOMY_MAP_FILE), knownNeedIds),
        detect: createNeedDetector(taxonomy),
        knownNeedIds,
        ...(plan.types ? { types: buildServiceTypeMatcher(loadServiceTypes(plan.supportDir)) } : {}),
        ...(plan.labeller ? { labeller: loadServiceLabeller(plan.supportDir, knownNeedIds) } : {}),
    };
}

/** Builds a slice of records, `offset` being the first one's position in the feed (it names a record without id). */
export function buildSlice(records: readonly unknown[], offset: number, plan: BuildPlan, ctx: BuildContext): Built[] {
    const read = plan.reader === 'hsds' ? readHsdsService : readOrukService;
    return records.map((raw, i) => buildOpportunity(read(raw), offset + i, ctx));
}

/** The compiled worker beside this file, or undefined (run from TypeScript sources: build on this thread). */
function workerFile(): string | undefined {
    const file = path.join(__dirname, 'buildWorker.js');
    return __filename.endsWith('.js') && fs.existsSync(file) ? file : undefined;
}

/**
 * How many threads to build `count` records on: 1 for a small feed or a one-core machine; else one per core that is
 * free (the load average says how many are busy), at most MAX_THREADS. A thread costs its own start (the readers'
 * patterns compiled again, about 1 to 3 s of CPU for 10,000 records), which pays only when a core would otherwise sit
 * idle: measured on the shared machine at load 13 to 16, two threads took as long as one and more CPU.
 */
export function threadsFor(count: number, cores = os.availableParallelism(), load = os.loadavg()[0] ?? 0): number {
    if (count < PARALLEL_MIN_RECORDS) {
        return 1;
    }
    const free = Math.floor(cores - load + 0.5);
    return Math.max(1, Math.min(cores, MAX_THREADS, free, Math.floor(count / (PARALLEL_MIN_RECORDS / 2))));
}

/** Runs one slice in a worker thread; resolves with its records built. */
function inWorker(file: string, records: readonly unknown[], offset: number, plan: BuildPlan): Promise<Built[]> {
    return new Promise((resolve, reject) => {
        const worker = new Worker(file, { workerData: { records, offset, plan } });
        worker.once('message', (built: Built[]) => resolve(built));
        worker.once('error', reject);
        worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`the build worker stopped with code ${code}`));
        });
    });
}

/** Every record built, and how: into how many slices, and how many of them worker threads built. */
export interface BuildOutcome {
    built: Built[];
    slices: number;
    /**
     * Slices a worker thread built. Fewer than `slices - 1` means a worker failed and this thread built its slice
     * again: the records are the same, only slower, so without this count a broken worker goes unseen.
     */
    byWorkers: number;
}

/**
 * Builds every record, in order, on up to `threads` threads (default: threadsFor). `ctx` is this thread's context,
 * made from the same plan. A worker that fails has its slice built again here, so a fault costs time, not records;
 * the outcome says how many slices workers built.
 */
export async function buildAll(
    records: readonly unknown[], plan: BuildPlan, ctx: BuildContext, threads?: number,
): Promise<BuildOutcome> {
    threads ??= threadsFor(records.length);
    const file = workerFile();
    if (threads <= 1 || !file) {
        return { built: buildSlice(records, 0, plan, ctx), slices: 1, byWorkers: 0 };
    }
    const size = Math.ceil(records.length / threads);
    const slices = Array.from({ length: threads }, (_, t) => ({ offset: t * size,
        records: records.slice(t * size, (t + 1) * size) })).filter((s) => s.records.length > 0);
    // The workers start first; this thread builds the first slice while they work.
    let byWorkers = 0;
    const pending = slices.slice(1).map((s) => inWorker(file, s.records, s.offset, plan).then((built) => {
        byWorkers++;
        return built;
    }, () => buildSlice(s.records, s.offset, plan, ctx)));
    const first = buildSlice(slices[0]?.records ?? [], 0, plan, ctx);
    const rest = await Promise.all(pending);
    return { built: first.concat(...rest), slices: slices.length, byWorkers };
}
