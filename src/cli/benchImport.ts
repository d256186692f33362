/**
 * The import section of `npm run bench`: `signpost kb import` and `signpost kb review` of 10,000 records, each to run
 * under 10 seconds (issue 17). The records are the shared North Lincolnshire feed's (the ORUK fixture when the shared
 * data is absent), repeated with new ids and seeded changes to names, prose and dates, written to a temporary file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importDirectory } from '../import/importer';
import { threadsFor } from '../import/parallelBuild';
import { reviewPath } from '../import/review';
import { projectRoot } from '../paths';
import { seededRandom } from './random';

const SEED = 20261202;
const SHARED_FEED = path.join('..', 'shared', 'data', 'oruk-north-lincolnshire', 'north_lincolnshire_oruk.json');
const FIXTURE_FEED = path.join('test', 'fixtures', 'import', 'oruk-v1', 'services.json');
const EXTRA = ['Every Tuesday 10am-12pm.', 'Call 01724 297000.', 'Free of charge.', '£3 per session.',
    'For residents of Ashby.', 'Online via Zoom.', 'Women only.', 'Aged 18+.', 'Feel free to call.', ''];

/** `count` ORUK records made from `base`, seeded: new ids, a number in the name, a sentence more, a date. */
export function synthesiseFeed(base: readonly Record<string, unknown>[], count: number, seed = SEED): unknown[] {
    const random = seededRandom(seed);
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) {
        const record = base[i % base.length] as Record<string, unknown>;
        const extra = EXTRA[Math.floor(random() * EXTRA.length)] as string;
        const day = 1 + Math.floor(random() * 28);
        out.push({
            ...record,
            id: `bench-${i}`,
            name: `${String(record.name ?? 'Service')} ${Math.floor(i / base.length) + 1}`,
            description: `${String(record.description ?? '')} <p>${extra}</p>`,
            assured_date: `202${4 + Math.floor(random() * 3)}-0${1 + Math.floor(random() * 9)}-`
                + `${String(day).padStart(2, '0')}`,
        });
    }
    return out;
}

/**
 * Times an import and a review of `count` records; prints both, wall clock and CPU (the CPU time is the fairer
 * number on a shared machine). Returns the wall times in milliseconds.
 */
export async function benchImport(count = 10_000, threads?: number): Promise<{ importMs: number; reviewMs: number }> {
    const root = projectRoot();
    const shared = path.resolve(root, SHARED_FEED);
    const from = fs.existsSync(shared) ? shared : path.resolve(root, FIXTURE_FEED);
    const base = JSON.parse(fs.readFileSync(from, 'utf8')) as Record<string, unknown>[];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-import-'));
    try {
        const feed = path.join(dir, 'feed.json');
        fs.writeFileSync(feed, JSON.stringify(synthesiseFeed(base, count)));
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const report = await importDirectory({ source: feed, format: 'oruk', outDir: path.join(dir, 'kb'),
            progress: false, ...(threads ? { threads } : {}) });
        const importMs = performance.now() - t0;
        const importCpu = process.cpuUsage(c0);
        const c1 = process.cpuUsage();
        const t1 = performance.now();
        const review = await reviewPath(feed, { format: 'oruk', ...(threads ? { threads } : {}) });
        const reviewMs = performance.now() - t1;
        const reviewCpu = process.cpuUsage(c1);
        const cpu = (u: NodeJS.CpuUsage): string => `${((u.user + u.system) / 1e6).toFixed(2)} s CPU`;
        console.log(`\n=== kb import and kb review of ${count.toLocaleString('en-GB')} records `
            + `(${path.basename(from)} repeated, seed ${SEED}; target under 10 s each; `
            + `${threads ?? threadsFor(count)} build thread(s), load average ${os.loadavg()[0]?.toFixed(1)}) ===`);
        console.log(`  kb import: ${(importMs / 1000).toFixed(2)} s, ${cpu(importCpu)} (${report.imported} imported, `
            + `${report.skipped.total} skipped)`);
        console.log(
            `  kb review: ${(reviewMs / 1000).toFixed(2)} s, ${cpu(reviewCpu)} (${review.withFlags} of `
                + `${review.records} records `
            + 'with something to fix)');
        return { importMs, reviewMs };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
