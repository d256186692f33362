/**
 * Loads the directory of opportunities: every `*.json` file in `<kb>/directory/`, each record validated on its own so
 * one bad record names itself instead of hiding the rest. Also checks that ids are unique across files and that every
 * need id is one the taxonomy knows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { directoryFileSchema, opportunitySchema } from './schema';
import type { Opportunity } from './schema';
import { faultsFromZod, KnowledgeError, valueLines } from './faults';
import type { FaultPlace, KnowledgeFault } from './faults';

/** Where the directory lives inside a knowledge directory. */
export const DIRECTORY_FOLDER = 'directory';

/** Options of the directory loaders. */
export interface DirectoryOptions {
    /** Need ids the taxonomy knows. When given, a record naming any other need is a fault. */
    knownNeedIds?: Iterable<string>;
}

/** One directory file's text, named relative to the knowledge directory. */
export interface DirectorySource {
    file: string;
    text: string;
}

/** The valid opportunities and every fault found. */
export interface DirectoryCheck {
    opportunities: Opportunity[];
    faults: KnowledgeFault[];
    /** The files read, relative to the knowledge directory. */
    files: string[];
}

/** The id a fault names: the record's own id when it has a usable one, else its place in the file. */
function recordId(record: unknown, index: number): string {
    const id = (record as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.trim() !== '' ? id : `record ${index + 1}`;
}

/**
 * Validates directory files already read. Pure, so the importer and tests can use it without files.
 * Records with any fault are left out of `opportunities`.
 */
export function checkDirectorySources(
    sources: readonly DirectorySource[],
    options: DirectoryOptions = {},
): DirectoryCheck {
    const known = options.knownNeedIds ? new Set(options.knownNeedIds) : undefined;
    const firstSeen = new Map<string, string>();
    const opportunities: Opportunity[] = [];
    const faults: KnowledgeFault[] = [];

    for (const { file, text } of sources) {
        let json: unknown;
        try {
            json = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch (error) {
            faults.push({ file, message: `is not valid JSON (${(error as Error).message})` });
            continue;
        }
        const shape = directoryFileSchema.safeParse(json, { reportInput: true });
        if (!shape.success) {
            faults.push(...faultsFromZod(shape.error, { file }));
        }
        const records = (json as { opportunities?: unknown } | null)?.opportunities;
        const version = shape.success ? (shape.data.schema_version ?? 1) : 1;
        if (!Array.isArray(records)) {
            continue;
        }
        const lines = valueLines(text, 'id');
        const used = new Map<string, number>();
        records.forEach((record: unknown, index) => {
            const id = recordId(record, index);
            const seen = used.get(id) ?? 0;
            used.set(id, seen + 1);
            const line = lines.get(id)?.[seen];
            const where: FaultPlace = line === undefined ? { file, id } : { file, id, line };
            const parsed = opportunitySchema.safeParse(record, { reportInput: true });
            if (!parsed.success) {
                faults.push(...faultsFromZod(parsed.error, where));
                return;
            }
            const recordFaults: KnowledgeFault[] = [];
            if (parsed.data.needs.length === 0 && version < 2) {
                const message = 'should name at least one need (a record with none needs "schema_version": 2)';
                recordFaults.push({ ...where, field: 'needs', message });
            }
            parsed.data.needs.forEach((need, i) => {
                if (known && !known.has(need)) {
                    const message = `"${need}" is not a need id Signpost knows`;
                    recordFaults.push({ ...where, field: `needs.${i}`, message });
                }
            });
            const other = firstSeen.get(parsed.data.id);
            if (other !== undefined) {
                recordFaults.push({ ...where, field: 'id', message: `is used twice: the same id is also in ${other}` });
            } else {
                firstSeen.set(parsed.data.id, file);
            }
            faults.push(...recordFaults);
            if (recordFaults.length === 0) {
                opportunities.push(parsed.data);
            }
        });
    }
    return { opportunities, faults, files: sources.map((s) => s.file) };
}

/** Reads and checks `<kbDir>/directory/*.json` without throwing for faults in the data: for `kb validate`. */
export function checkDirectory(kbDir: string, options: DirectoryOptions = {}): DirectoryCheck {
    const folder = path.join(kbDir, DIRECTORY_FOLDER);
    let names: string[];
    try {
        names = fs.readdirSync(folder).filter((name) => name.endsWith('.json')).sort();
    } catch {
        return { opportunities: [], faults: [{ file: DIRECTORY_FOLDER, message: 'is missing' }], files: [] };
    }
    if (names.length === 0) {
        return { opportunities: [], faults: [{ file: DIRECTORY_FOLDER, message: 'has no .json files' }], files: [] };
    }
    const sources = names.map((name) => ({
        file: path.posix.join(DIRECTORY_FOLDER, name),
        text: fs.readFileSync(path.join(folder, name), 'utf8'),
    }));
    return checkDirectorySources(sources, options);
}

/**
 * Loads every opportunity in `<kbDir>/directory/*.json`.
 * @throws KnowledgeError listing every fault, when any record or file is invalid.
 */
export function loadDirectory(kbDir: string, options: DirectoryOptions = {}): Opportunity[] {
    const check = checkDirectory(kbDir, options);
    if (check.faults.length > 0) {
        throw new KnowledgeError(check.faults);
    }
    return check.opportunities;
}
