/** Shared set-up for the importer tests: fixture paths, a quiet import into a temporary folder, reading it back. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importDirectory } from '../../src/import/importer';
import type { ImportOptions } from '../../src/import/importer';
import type { ImportReport } from '../../src/import/report';
import type { Opportunity } from '../../src/knowledge/schema';
import { projectRoot } from '../../src/paths';

export const FIXTURES = path.join(projectRoot(), 'test', 'fixtures', 'import');

/** The shared data folder, which tests may read but the product must run without. */
export const SHARED_DATA = path.join(projectRoot(), '..', 'shared', 'data');

/** "Today" for the fixtures, so stale listings and ended schedules do not depend on the clock. */
export const TODAY = new Date('2026-11-01T12:00:00Z');

/** Imports without progress bars, on the fixed day. */
export function quietImport(
    source: string,
    format: ImportOptions['format'],
    outDir: string,
    extra: Partial<ImportOptions> = {},
): Promise<ImportReport> {
    return importDirectory({ source, format, outDir, progress: false, today: TODAY, ...extra });
}

/** The records of the directory file an import wrote. */
export function written(outDir: string, report: ImportReport): Opportunity[] {
    const text = fs.readFileSync(path.join(outDir, report.file), 'utf8');
    return (JSON.parse(text) as { opportunities: Opportunity[] }).opportunities;
}

/** One record by id, or a failure naming the ids there are. */
export function byId(records: readonly Opportunity[], id: string): Opportunity {
    const found = records.find((r) => r.id === id);
    if (!found) {
        throw new Error(`no record ${id}; have ${records.map((r) => r.id).join(', ')}`);
    }
    return found;
}

/** The count of a skip reason that starts with `prefix`, or 0. */
export function skippedFor(report: ImportReport, prefix: string): { count: number; ids: string[] } {
    const tally = report.skipped.byReason.find((t) => t.reason.startsWith(prefix));
    return tally ? { count: tally.count, ids: tally.ids } : { count: 0, ids: [] };
}
