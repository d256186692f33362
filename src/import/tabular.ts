/**
 * An HSDS 3 tabular package (one CSV file per table plus `datapackage.json`, or the same tables as one JSON object
 * keyed by file name) joined back into nested HSDS 3 service objects, so one mapper serves JSON and CSV alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvRecords } from './csv';
import { ImportError } from './errors';

/** A table's rows; CSV cells are strings, tabular JSON may hold numbers. */
export type Row = Record<string, unknown>;

/** The tables of a package by table name ("services", "locations", ...). */
export type Tables = ReadonlyMap<string, readonly Row[]>;

/** What reading a package gives: nested services, and notes on what was odd about the package. */
export interface TabularServices {
    services: Row[];
    warnings: string[];
}

/** HSDS 3 table names and the file names the standard gives them (some differ: service_at_location.csv). */
const TABLE_FILES: Readonly<Record<string, readonly string[]>> = {
    services: ['services.csv'],
    organizations: ['organizations.csv'],
    service_at_locations: ['service_at_locations.csv', 'service_at_location.csv'],
    locations: ['locations.csv'],
    addresses: ['addresses.csv', 'physical_addresses.csv'],
    phones: ['phones.csv'],
    schedules: ['schedules.csv', 'regular_schedules.csv'],
    cost_options: ['cost_options.csv'],
    service_areas: ['service_areas.csv'],
    accessibility: ['accessibility.csv', 'accessibility_for_disabilities.csv'],
    attributes: ['attributes.csv'],
    taxonomy_terms: ['taxonomy_terms.csv', 'taxonomy_term.csv'],
    taxonomies: ['taxonomies.csv', 'taxonomy.csv'],
    service_taxonomys: ['service_taxonomy.csv', 'service_taxonomys.csv'],
    eligibilitys: ['eligibility.csv', 'eligibilitys.csv'],
};

/** The table a file name holds, or undefined when Signpost does not use it. */
function tableOf(fileName: string): string | undefined {
    const base = path.basename(fileName).toLowerCase();
    return Object.keys(TABLE_FILES).find((table) => (TABLE_FILES[table] as readonly string[]).includes(base));
}

/** The CSV files a datapackage.json lists, or undefined (with a warning) when it cannot be read. */
function packageResources(dir: string, warnings: string[]): string[] | undefined {
    const file = path.join(dir, 'datapackage.json');
    if (!fs.existsSync(file)) {
        warnings.push('datapackage.json is missing: read the tables by their standard file names');
        return undefined;
    }
    try {
        const json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as { resources?: unknown };
        if (!Array.isArray(json.resources)) {
            throw new Error('it lists no resources');
        }
        return json.resources
            .map((r: unknown) => (r as { path?: unknown } | null)?.path)
            .filter((p): p is string => typeof p === 'string');
    } catch (error) {
        // The HSDS example ships datapackage.json as a git symbolic link, which a checkout may turn into a text file.
        warnings.push(`datapackage.json cannot be used (${(error as Error).message}): read the tables by their `
            + 'standard file names');
        return undefined;
    }
}

/** Reads the tables of a tabular package folder. */
export function readTabularFolder(dir: string): { tables: Tables; warnings: string[] } {
    const warnings: string[] = [];
    const listed = packageResources(dir, warnings);
    const files = listed ?? fs.readdirSync(dir).filter((name) => name.toLowerCase().endsWith('.csv'));
    const tables = new Map<string, Row[]>();
    for (const file of files) {
        const table = tableOf(file);
        const full = path.resolve(dir, file);
        if (!table || tables.has(table)) {
            continue;
        }
        if (!full.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(full)) {
            warnings.push(`${file} is listed in datapackage.json but is not in the folder`);
            continue;
        }
        tables.set(table, csvRecords(fs.readFileSync(full, 'utf8')));
    }
    return { tables, warnings };
}

/** Tables from tabular JSON: `{ "services.csv": [ {...} ], ... }`. Undefined when the object is not that. */
export function tablesFromJson(json: unknown): Tables | undefined {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
        return undefined;
    }
    const entries = Object.entries(json as Record<string, unknown>);
    if (!entries.some(([key, value]) => /\.csv$/i.test(key) && Array.isArray(value))) {
        return undefined;
    }
    const tables = new Map<string, Row[]>();
    for (const [key, value] of entries) {
        const table = tableOf(key);
        if (table && Array.isArray(value)) {
            tables.set(table, value.filter((row): row is Row => !!row && typeof row === 'object'));
        }
    }
    return tables;
}

/** Rows grouped by the value of one column, for joins. */
function groupBy(rows: readonly Row[] | undefined, column: string): Map<string, Row[]> {
    const groups = new Map<string, Row[]>();
    for (const row of rows ?? []) {
        const key = row[column];
        if (key === undefined || key === null || key === '') {
            continue;
        }
        const list = groups.get(String(key));
        if (list) {
            list.push(row);
        } else {
            groups.set(String(key), [row]);
        }
    }
    return groups;
}

function byId(rows: readonly Row[] | undefined): Map<string, Row> {
    return new Map((rows ?? []).filter((r) => r.id !== undefined).map((r) => [String(r.id), r]));
}

/**
 * Joins the tables into nested HSDS 3 services: organization, phones, schedules, cost_options, service_areas,
 * service_at_locations (with location, addresses, accessibility, phones, schedules) and attributes (with
 * taxonomy_term). Rows that point at nothing are left out.
 * @throws ImportError when there is no services table.
 */
export function servicesFromTables(tables: Tables, where: string): TabularServices {
    const services = tables.get('services');
    if (!services) {
        throw new ImportError('has no services table (services.csv), so there is nothing to import', where);
    }
    const organizations = byId(tables.get('organizations'));
    const locations = byId(tables.get('locations'));
    const taxonomies = byId(tables.get('taxonomies'));
    const terms = byId(tables.get('taxonomy_terms'));
    const phonesByService = groupBy(tables.get('phones'), 'service_id');
    const phonesByLocation = groupBy(tables.get('phones'), 'location_id');
    const schedules = tables.get('schedules') ?? [];
    const schedulesByService = groupBy(schedules.filter((s) => !s.service_at_location_id), 'service_id');
    const schedulesByLink = groupBy(schedules, 'service_at_location_id');
    const costs = groupBy(tables.get('cost_options'), 'service_id');
    const areas = groupBy(tables.get('service_areas'), 'service_id');
    const links = groupBy(tables.get('service_at_locations'), 'service_id');
    const addresses = groupBy(tables.get('addresses'), 'location_id');
    const access = groupBy(tables.get('accessibility'), 'location_id');
    const attributes = groupBy(tables.get('attributes'), 'link_id');
    const legacyTaxonomy = groupBy(tables.get('service_taxonomys'), 'service_id');
    const eligibility = groupBy(tables.get('eligibilitys'), 'service_id');

    const withTerm = (row: Row): Row | undefined => {
        const term = terms.get(String(row.taxonomy_term_id ?? row.taxonomy_id ?? ''));
        if (!term) {
            return undefined;
        }
        const detail = taxonomies.get(String(term.taxonomy_id ?? ''));
        return { ...row, taxonomy_term: detail ? { ...term, taxonomy_detail: detail } : term };
    };

    const nested = services.map((service): Row => {
        const id = String(service.id ?? '');
        const serviceLinks = (links.get(id) ?? []).map((link): Row => {
            const location = locations.get(String(link.location_id ?? ''));
            const locationId = String(location?.id ?? '');
            return {
                ...link,
                schedules: schedulesByLink.get(String(link.id ?? '')) ?? [],
                ...(location ? {
                    location: {
                        ...location,
                        addresses: addresses.get(locationId) ?? [],
                        accessibility: access.get(locationId) ?? [],
                        phones: phonesByLocation.get(locationId) ?? [],
                    },
                } : {}),
            };
        });
        const organization = organizations.get(String(service.organization_id ?? ''));
        return {
            ...service,
            ...(organization ? { organization } : {}),
            phones: phonesByService.get(id) ?? [],
            schedules: schedulesByService.get(id) ?? [],
            cost_options: costs.get(id) ?? [],
            service_areas: areas.get(id) ?? [],
            service_at_locations: serviceLinks,
            attributes: (attributes.get(id) ?? []).map(withTerm).filter((a): a is Row => a !== undefined),
            service_taxonomys: (legacyTaxonomy.get(id) ?? []).map(withTerm).filter((a): a is Row => a !== undefined)
                .map((row) => ({ taxonomy: row.taxonomy_term })),
            eligibilitys: eligibility.get(id) ?? [],
        };
    });
    return { services: nested, warnings: [] };
}
