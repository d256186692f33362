/**
 * `signpost kb import`: reads a source, builds and checks every record, merges with the previous import of the same
 * source, and writes `<out>/directory/<name>.json` plus whatever else the folder needs to load. Returns the report;
 * the command decides the exit code (non-zero only when nothing usable came in).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledge } from '../knowledge/index';
import { DIRECTORY_FOLDER } from '../knowledge/directory';
import { formatFault, KnowledgeError } from '../knowledge/faults';
import { OUTCODES_FILE, parseOutcodesCsv } from '../knowledge/places';
import { KNOWLEDGE_SCHEMA_VERSION, opportunitySchema } from '../knowledge/schema';
import type { Opportunity } from '../knowledge/schema';
import { checkNeedTaxonomy } from '../knowledge/taxonomy';
import { DEFAULTS } from '../matching/config';
import { projectRoot } from '../paths';
import { ImportError } from './errors';
import type { FetchOptions } from './fetch';
import { mergeRecords } from './merge';
import { buildAll, contextFor } from './parallelBuild';
import type { BuildPlan } from './parallelBuild';
import { progressBar } from './progress';
import type { ProgressStream } from './progress';
import { Tallies } from './report';
import type { ImportReport } from './report';
import { readSource } from './source';
import type { ImportFormat } from './source';
import { copySupportFiles, writePlaces } from './support';

/** What to import and where. */
export interface ImportOptions {
    /** A JSON file, an HSDS tabular folder or an http(s) URL. */
    source: string;
    format: ImportFormat;
    /** The knowledge folder to write into; made when missing. */
    outDir: string;
    /** The directory file's name without .json; default from the source's name. */
    name?: string;
    /** Licence or attribution to record in the file's `source`. */
    licence?: string;
    /** "Today", for stale listings and ended schedules. */
    today?: Date;
    fetch?: FetchOptions;
    /** Where the shipped knowledge is (support files and the taxonomy map); default the project's. */
    shippedDir?: string;
    /** Where progress bars go; false for none. Default standard error (drawn only on a terminal). */
    progress?: ProgressStream | false;
    /**
     * false: read needs from a service's words with the residents' need detector, as before the service labeller
     * (so `npm run eval:import` can print both). Default true: the labeller, when the folder has service-needs.json.
     */
    serviceLabeller?: boolean;
    /**
     * How many threads build the records (parallelBuild.ts). Default: one per free core, at most 4, for a feed of
     * 2,000 records or more; 1 for a smaller one or a busy machine. The records built are the same whatever the number.
     */
    threads?: number;
}

/** A file name from the source: "north_lincolnshire_oruk.json" -> "north-lincolnshire-oruk". */
export function directoryName(source: string): string {
    let base: string;
    try {
        const url = new URL(source);
        base = url.protocol.startsWith('http') ? `${url.hostname}${url.pathname}` : path.basename(source);
    } catch {
        base = path.basename(path.resolve(source)).replace(/\.json$/i, '');
    }
    const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
    return slug || 'imported';
}

/** The valid records of the previous import's file, or none. */
function previousRecords(file: string): { records: Opportunity[]; invalid: number } {
    if (!fs.existsSync(file)) {
        return { records: [], invalid: 0 };
    }
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
        throw new ImportError(`is not valid JSON (${(error as Error).message}), so it cannot be updated: `
            + 'move it away and import again', file);
    }
    const raw = (json as { opportunities?: unknown } | null)?.opportunities;
    const records: Opportunity[] = [];
    let invalid = 0;
    for (const record of Array.isArray(raw) ? raw : []) {
        const parsed = opportunitySchema.safeParse(record);
        if (parsed.success) {
            records.push(parsed.data);
        } else {
            invalid++;
        }
    }
    return { records, invalid };
}

/**
 * Whether the folder now loads as Signpost will load it (the bot, `match --kb`, `kb validate`): another file in it
 * may use the same ids, or an owner's edit may have broken one. The first faults, or [] when it loads.
 */
function checkLoads(dir: string): string[] {
    try {
        loadKnowledge(dir);
        return [];
    } catch (error) {
        if (error instanceof KnowledgeError) {
            return error.faults.slice(0, 5).map(formatFault);
        }
        throw error;
    }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a directory file. */
function writeAtomically(file: string, text: string): void {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
}

function isoDay(date: Date): string {
    return date.toISOString().slice(0, 10);
}

/**
 * Imports a source into a knowledge folder.
 * @throws ImportError when the source cannot be read at all; KnowledgeError when the folder's own needs.json is bad.
 */
export async function importDirectory(options: ImportOptions): Promise<ImportReport> {
    const started = performance.now();
    const today = options.today ?? new Date();
    const shipped = options.shippedDir ?? path.join(projectRoot(), 'knowledge');
    const stream = options.progress === false ? { write: () => true } : options.progress;
    const name = options.name ?? directoryName(options.source);
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) {
        throw new ImportError('should be letters, digits, dots, dashes or underscores', `--name ${name}`);
    }

    const fetching = progressBar('fetching', stream);
    const fetchOptions: FetchOptions = {
        ...options.fetch,
        onPage: (info) => {
            fetching.update(info.page, info.pages, `${info.records} services`);
            options.fetch?.onPage?.(info);
        },
    };
    let source;
    try {
        source = await readSource(options.source, fetchOptions);
    } finally {
        fetching.finish();
    }

    const folder = path.join(options.outDir, DIRECTORY_FOLDER);
    fs.mkdirSync(folder, { recursive: true });
    const support = copySupportFiles(options.outDir, shipped);
    const taxonomy = checkNeedTaxonomy(options.outDir);
    if (!taxonomy.value) {
        throw new KnowledgeError(taxonomy.faults);
    }
    const outcodes = parseOutcodesCsv(fs.readFileSync(path.join(options.outDir, OUTCODES_FILE), 'utf8')).value;
    const plan: BuildPlan = {
        supportDir: options.outDir, shippedDir: shipped, today: isoDay(today),
        labeller: options.serviceLabeller !== false, types: true,
        reader: source.shape === 'tabular' || options.format === 'hsds' ? 'hsds' : 'oruk',
    };
    const ctx = contextFor(plan);

    const fresh: Opportunity[] = [];
    const skipped = new Tallies();
    const notes = new Tallies();
    const invalidIds = new Set<string>();
    const seen = new Set<string>();
    let skippedCount = 0;
    const mapping = progressBar('checking', stream);
    mapping.update(0, source.records.length);
    // Built on every core for a large feed (parallelBuild.ts), then taken in the source's order as before.
    const { built: builtAll, slices, byWorkers } = await buildAll(source.records, plan, ctx, options.threads);
    builtAll.forEach((built, index) => {
        if (index % 250 === 0) {
            mapping.update(index, source.records.length);
        }
        if (built.ok && seen.has(built.id)) {
            skippedCount++;
            skipped.add('id: is used twice in the source; the later record is skipped', built.id);
            return;
        }
        if (!built.ok) {
            skippedCount++;
            built.faults.forEach((f) => skipped.add(`${f.field}: ${f.message}`, built.id));
            if (!built.faults.some((f) => f.field === 'status') && !built.id.startsWith('record ')) {
                invalidIds.add(built.id);
            }
            return;
        }
        seen.add(built.id);
        fresh.push(built.opportunity);
        // Notes only for what is imported: a skipped record's faults already say what to fix.
        built.notes.forEach((n) => notes.add(`${n.field}: ${n.message}`, built.id));
    });
    mapping.finish();

    const fileName = `${name}.json`;
    const target = path.join(folder, fileName);
    const previous = previousRecords(target);
    const merged = mergeRecords(previous.records, fresh, invalidIds);
    const written = fresh.length > 0;
    const sourceNotes = [...source.warnings];
    if (previous.invalid > 0) {
        sourceNotes.push(`${previous.invalid} record(s) of the previous file were invalid and are not carried over`);
    }
    if (written) {
        const licence = options.licence
            ?? 'Licence: not stated by the feed; check the publisher\'s terms before sharing.';
        const file = {
            schema_version: KNOWLEDGE_SCHEMA_VERSION,
            about: `Imported by \`signpost kb import\` from ${source.origin} (format ${options.format}) on `
                + `${isoDay(today)}. Import again to update it: edits made here are replaced by the next import.`,
            source: `${source.origin}. ${licence}`,
            opportunities: merged.opportunities,
        };
        writeAtomically(target, JSON.stringify(file, null, 2) + '\n');
    }
    const kept = written ? merged.opportunities : previous.records;
    support.push(writePlaces(options.outDir, kept, outcodes, source.origin));
    const loads = checkLoads(options.outDir);

    const perNeed: Record<string, number> = Object.fromEntries(taxonomy.value.needs.map((n) => [n.id, 0]));
    const places: Record<string, number> = {};
    let fromTaxonomy = 0;
    let fromText = 0;
    let none = 0;
    let stale = 0;
    const staleMs = DEFAULTS.staleAfterDays * 86_400_000;
    for (const o of kept) {
        o.needs.forEach((need) => { perNeed[need] = (perNeed[need] ?? 0) + 1; });
        const how = o.place_source ?? 'unknown';
        places[how] = (places[how] ?? 0) + 1;
        if (o.need_reasons?.[0]?.source === 'taxonomy') fromTaxonomy++;
        if (o.need_reasons?.[0]?.source === 'text') fromText++;
        if (o.needs.length === 0) none++;
        if (today.getTime() - Date.parse(`${o.assured_date}T00:00:00Z`) > staleMs) stale++;
    }

    const report: ImportReport = {
        loads,
        source: source.origin,
        format: options.format,
        file: path.posix.join(DIRECTORY_FOLDER, fileName),
        written,
        read: source.records.length,
        imported: fresh.length,
        skipped: { total: skippedCount, byReason: skipped.list() },
        changes: {
            added: written ? merged.added.length : 0,
            updated: written ? merged.updated.length : 0,
            unchanged: written ? merged.unchanged.length : 0,
            removed: written ? merged.removed : [],
            keptPrevious: written ? merged.keptPrevious : [],
        },
        notes: notes.list(),
        needs: { perNeed, fromTaxonomy, fromText, none },
        places,
        stale,
        support,
        sourceNotes,
        build: { slices, byWorkers },
        elapsedMs: Math.round(performance.now() - started),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (source.pages !== undefined) report.pages = source.pages;
    if (source.retries !== undefined) report.retries = source.retries;
    return report;
}
