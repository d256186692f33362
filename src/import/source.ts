/**
 * The raw service records of an import source: a JSON file (a list, a page of one, a single service, or tabular
 * JSON), an HSDS tabular package folder, or an http(s) URL of an ORUK / HSDS API, read page by page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportError } from './errors';
import { asPage, fetchAllPages, printableUrl } from './fetch';
import type { FetchOptions } from './fetch';
import { readTabularFolder, servicesFromTables, tablesFromJson } from './tabular';

/** The feed formats `--format` names. */
export const IMPORT_FORMATS = ['oruk', 'hsds'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What a source gave. */
export interface SourceRecords {
    records: unknown[];
    /** The source as it may be printed: a file path, or a URL without its query. */
    origin: string;
    kind: 'file' | 'folder' | 'url';
    /** The dialect found: services as JSON, or tables joined into services. */
    shape: 'services' | 'tabular';
    warnings: string[];
    pages?: number;
    retries?: number;
}

/** True for an http or https URL. */
export function isUrl(source: string): boolean {
    return /^https?:\/\//i.test(source);
}

/** Records from a parsed JSON document. */
function recordsOfJson(json: unknown, where: string): Pick<SourceRecords, 'records' | 'shape' | 'warnings'> {
    const tables = tablesFromJson(json);
    if (tables) {
        const joined = servicesFromTables(tables, where);
        return { records: joined.services, shape: 'tabular', warnings: joined.warnings };
    }
    const page = asPage(json);
    if (!page) {
        throw new ImportError('is JSON but not a list of services, a page of them, a service or tabular JSON', where);
    }
    const warnings: string[] = [];
    if (page.pages !== undefined && page.pages > 1) {
        warnings.push(`this file is page ${page.number ?? 1} of ${page.pages}: import the API's URL to get them all`);
    }
    return { records: page.records, shape: 'services', warnings };
}

/**
 * Reads a source.
 * @throws ImportError when it is missing, unreadable, not JSON, or an API that fails after its retries.
 */
export async function readSource(source: string, fetchOptions: FetchOptions = {}): Promise<SourceRecords> {
    if (isUrl(source)) {
        const fetched = await fetchAllPages(source, fetchOptions);
        return {
            records: fetched.records, origin: printableUrl(source), kind: 'url', shape: 'services',
            warnings: fetched.warnings, pages: fetched.pages, retries: fetched.retries,
        };
    }
    const full = path.resolve(source);
    let stat: fs.Stats;
    try {
        stat = fs.statSync(full);
    } catch {
        throw new ImportError('does not exist (give a file, an HSDS tabular folder or an http(s) URL)', source);
    }
    if (stat.isDirectory()) {
        const { tables, warnings } = readTabularFolder(full);
        const joined = servicesFromTables(tables, source);
        return {
            records: joined.services, origin: source, kind: 'folder', shape: 'tabular',
            warnings: [...warnings, ...joined.warnings],
        };
    }
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(full, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
        throw new ImportError(`is not valid JSON (${(error as Error).message})`, source);
    }
    return { ...recordsOfJson(json, source), origin: source, kind: 'file' };
}
