/**
 * Loads what we need to place a resident without any online service: `<kb>/places.json` (town and neighbourhood
 * names, with aliases) and `<kb>/outcodes.csv` (postcode district centroids). Every row is checked, and a fault names
 * the file, line and field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { placesFileSchema } from './schema';
import type { Place } from './schema';
import { faultsFromZod, KnowledgeError, valueLines } from './faults';
import type { KnowledgeFault } from './faults';

export const PLACES_FILE = 'places.json';
export const OUTCODES_FILE = 'outcodes.csv';

/** The header outcodes.csv must start with. */
export const OUTCODES_HEADER = 'outcode,latitude,longitude';

/** Same rule as placeSchema.outcode: "BS5", "M1", "CF10", "EC1A". */
const OUTCODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** A centroid; structurally the same as matching's LatLng, so knowledge need not import matching. */
export interface Centroid {
    latitude: number;
    longitude: number;
}

/** The places and outcode table, as buildGazetteer takes them. */
export interface PlaceData {
    places: Place[];
    outcodes: Map<string, Centroid>;
}

/** A result with the faults found; the value holds only what was valid. */
export interface Checked<T> {
    value: T;
    faults: KnowledgeFault[];
}

function checkCoordinate(raw: string, min: number, max: number): string | number {
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (Number.isNaN(value)) {
        return raw.trim() === '' ? 'is missing' : `should be a number, not "${raw}"`;
    }
    return value < min || value > max ? `should be between ${min} and ${max} for the UK` : value;
}

/** Parses and checks outcodes.csv text. Pure. `file` is how faults name it. */
export function parseOutcodesCsv(text: string, file: string = OUTCODES_FILE): Checked<Map<string, Centroid>> {
    const outcodes = new Map<string, Centroid>();
    const faults: KnowledgeFault[] = [];
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    if ((lines[0] ?? '').trim() !== OUTCODES_HEADER) {
        faults.push({ file, line: 1, field: 'header', message: `should be "${OUTCODES_HEADER}"` });
        return { value: outcodes, faults };
    }
    lines.forEach((raw, index) => {
        const line = index + 1;
        if (index === 0 || raw.trim() === '') {
            return;
        }
        const cells = raw.split(',');
        if (cells.length !== 3) {
            faults.push({ file, line, message: `should have 3 values separated by commas, not ${cells.length}` });
            return;
        }
        const [outcode, latitudeText, longitudeText] = cells.map((c) => c.trim()) as [string, string, string];
        const rowFaults: KnowledgeFault[] = [];
        if (!OUTCODE.test(outcode)) {
            rowFaults.push({ file, line, field: 'outcode', message: 'should be a postcode district such as BS5' });
        } else if (outcodes.has(outcode)) {
            rowFaults.push({ file, line, id: outcode, field: 'outcode', message: 'is listed twice' });
        }
        const latitude = checkCoordinate(latitudeText, 49, 61);
        const longitude = checkCoordinate(longitudeText, -9, 3);
        if (Number(latitudeText) === 0 && Number(longitudeText) === 0) {
            // The source table marks non-geographic districts with 0,0; they must be left out, not placed at sea.
            rowFaults.push({ file, line, field: 'latitude', message: 'is 0,0, a placeholder: leave this row out' });
        } else {
            if (typeof latitude === 'string') {
                rowFaults.push({ file, line, field: 'latitude', message: latitude });
            }
            if (typeof longitude === 'string') {
                rowFaults.push({ file, line, field: 'longitude', message: longitude });
            }
        }
        if (rowFaults.length > 0) {
            faults.push(...rowFaults);
        } else {
            outcodes.set(outcode, { latitude: latitude as number, longitude: longitude as number });
        }
    });
    return { value: outcodes, faults };
}

/** Names as place lookup compares them (matching's placeKey): "St. Anne's" and "st annes" are the same name. */
export function nameKey(name: string): string {
    return name.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Parses and checks places.json text. Pure. A name or alias used by two places is a fault: we could not choose. */
export function parsePlacesJson(text: string, file: string = PLACES_FILE): Checked<Place[]> {
    let json: unknown;
    try {
        json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
        return { value: [], faults: [{ file, message: `is not valid JSON (${(error as Error).message})` }] };
    }
    const parsed = placesFileSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
        // Name each bad place and its line, rather than "places.3.latitude".
        const lines = valueLines(text, 'name');
        const places = (json as { places?: unknown[] } | null)?.places;
        const faults = parsed.error.issues.flatMap((issue) => {
            const [top, index, ...rest] = issue.path;
            const place = top === 'places' && typeof index === 'number' ? places?.[index] : undefined;
            const name = (place as { name?: unknown } | undefined)?.name;
            if (typeof name !== 'string') {
                return faultsFromZod({ issues: [issue] }, { file });
            }
            const line = lines.get(name)?.[0];
            const where = line === undefined ? { file, id: name } : { file, id: name, line };
            return faultsFromZod({ issues: [{ ...issue, path: rest }] }, where);
        });
        return { value: [], faults };
    }
    const faults: KnowledgeFault[] = [];
    const owner = new Map<string, string>();
    for (const place of parsed.data.places) {
        for (const name of new Set([place.name, ...place.aliases].map(nameKey))) {
            const other = owner.get(name);
            if (other !== undefined && other !== place.name) {
                const message = `"${name}" is also a name of ${other}`;
                faults.push({ file, id: place.name, field: 'aliases', message });
            } else {
                owner.set(name, place.name);
            }
        }
    }
    return { value: parsed.data.places, faults };
}

function readKnowledgeFile(kbDir: string, file: string): Checked<string | undefined> {
    try {
        return { value: fs.readFileSync(path.join(kbDir, file), 'utf8'), faults: [] };
    } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const message = missing ? 'is missing' : `cannot be read (${String(error)})`;
        return { value: undefined, faults: [{ file, message }] };
    }
}

/** Reads and checks places.json and outcodes.csv without throwing for faults in the data: for `kb validate`. */
export function checkPlaceData(kbDir: string): Checked<PlaceData> {
    const placesText = readKnowledgeFile(kbDir, PLACES_FILE);
    const outcodesText = readKnowledgeFile(kbDir, OUTCODES_FILE);
    const places = placesText.value === undefined ? { value: [], faults: [] } : parsePlacesJson(placesText.value);
    const outcodes = outcodesText.value === undefined
        ? { value: new Map<string, Centroid>(), faults: [] }
        : parseOutcodesCsv(outcodesText.value);
    return {
        value: { places: places.value, outcodes: outcodes.value },
        faults: [...placesText.faults, ...places.faults, ...outcodesText.faults, ...outcodes.faults],
    };
}

/**
 * Loads `<kbDir>/places.json` and `<kbDir>/outcodes.csv`; pass the result to matching's buildGazetteer.
 * @throws KnowledgeError listing every fault, when either file is missing or any row is invalid.
 */
export function loadPlaceData(kbDir: string): PlaceData {
    const checked = checkPlaceData(kbDir);
    if (checked.faults.length > 0) {
        throw new KnowledgeError(checked.faults);
    }
    return checked.value;
}
