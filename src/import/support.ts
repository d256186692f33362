/**
 * The other files a knowledge folder needs besides its directory, so `loadKnowledge`, `kb validate`, `match --kb` and
 * the bot work on an imported folder: the need taxonomy, crisis rules (English's and every other language's),
 * wording (and each language's, knowledge/locales), the intent words (knowledge/intents) and postcode table are
 * copied from the shipped knowledge when
 * absent (never overwritten: an owner may have edited them); places.json is written from the towns the feed names,
 * because the shipped one describes the fictional sample town.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Opportunity, Place } from '../knowledge/schema';
import { nameKey, OUTCODES_FILE, parsePlacesJson, PLACES_FILE } from '../knowledge/places';
import type { Centroid } from '../knowledge/places';
import { CRISIS_FILE, NEEDS_FILE } from '../knowledge/taxonomy';
import { INTENTS_DIR } from '../knowledge/intents';
import { LOCALES_DIR } from '../knowledge/locales';
import { SERVICE_TYPES_FILE } from '../knowledge/serviceTypes';
import { SERVICE_NEEDS_FILE } from './labeller';
import { parsePostcode } from '../matching/postcode';

/** Files copied from the shipped knowledge when a folder lacks them. */
export const COPIED_FILES = [
    NEEDS_FILE, CRISIS_FILE, 'wording.json', OUTCODES_FILE, 'outcodes.SOURCE.txt', SERVICE_TYPES_FILE,
    SERVICE_NEEDS_FILE,
] as const;

/** Copied files a shipped folder may lack (it was written before they existed): then there is nothing to copy. */
const OPTIONAL_FILES: ReadonlySet<string> = new Set([SERVICE_TYPES_FILE, SERVICE_NEEDS_FILE]);

/** What happened to one support file. */
export interface SupportFile {
    file: string;
    action: 'copied' | 'kept' | 'written';
    note?: string;
}

/**
 * The folder of per-language crisis rules and lines (knowledge/languages). Copied file by file like the others, so
 * the imported folder runs on the rules it holds and `kb validate` checks them, and a folder that has some of them
 * gets the rest: the loader reads a folder's own languages/ alone, and a language missing there has no crisis rules.
 */
export const LANGUAGES_DIR = 'languages';

/** Copies each missing support file, and each missing language file, from `shippedDir` into `dir`. */
export function copySupportFiles(dir: string, shippedDir: string): SupportFile[] {
    // Per-language folders, copied file by file: the crisis rules (languages/) and the intent words (intents/).
    const perLanguage = [LANGUAGES_DIR, INTENTS_DIR].flatMap((sub) => {
        fs.mkdirSync(path.join(dir, sub), { recursive: true });
        return fs.readdirSync(path.join(shippedDir, sub)).filter((f) => f.endsWith('.json')).sort()
            .map((f) => `${sub}/${f}`);
    });
    // Each language Signpost converses in (locales/<code>/: its wording, its needs words), file by file too.
    const localesDir = path.join(shippedDir, LOCALES_DIR);
    const perLocale = (fs.existsSync(localesDir) ? fs.readdirSync(localesDir, { withFileTypes: true }) : [])
        .filter((d) => d.isDirectory()).map((d) => d.name).sort().flatMap((code) => {
            fs.mkdirSync(path.join(dir, LOCALES_DIR, code), { recursive: true });
            return fs.readdirSync(path.join(localesDir, code)).filter((f) => f.endsWith('.json')).sort()
                .map((f) => `${LOCALES_DIR}/${code}/${f}`);
        });
    const files = [...COPIED_FILES, ...perLanguage, ...perLocale];
    return files.map((file): SupportFile => {
        const target = path.join(dir, file);
        if (fs.existsSync(target)) {
            return { file, action: 'kept' };
        }
        const from = path.join(shippedDir, file);
        if (OPTIONAL_FILES.has(file) && !fs.existsSync(from)) {
            return { file, action: 'kept', note: 'not in the shipped knowledge either' };
        }
        fs.copyFileSync(from, target);
        return { file, action: 'copied', note: 'from the shipped knowledge' };
    });
}

/**
 * Places from the towns the records name: each city at the mean of its venues' points (coordinates, else postcode
 * district centres), with its most common postcode district. Pure.
 */
export function placesFromRecords(records: readonly Opportunity[], outcodes: ReadonlyMap<string, Centroid>): Place[] {
    const towns = new Map<string, { name: string; points: Centroid[]; districts: Map<string, number> }>();
    for (const record of records) {
        const location = record.location;
        const city = location?.city?.trim();
        if (!location || !city || city.length < 2 || city.length > 80) {
            continue;
        }
        const district = location.postal_code ? parsePostcode(location.postal_code)?.outcode : undefined;
        const point = location.latitude !== undefined && location.longitude !== undefined
            ? { latitude: location.latitude, longitude: location.longitude }
            : district ? outcodes.get(district) : undefined;
        const key = nameKey(city);
        const town = towns.get(key) ?? { name: city, points: [], districts: new Map<string, number>() };
        if (point) town.points.push(point);
        if (district) town.districts.set(district, (town.districts.get(district) ?? 0) + 1);
        towns.set(key, town);
    }
    const places: Place[] = [];
    for (const town of towns.values()) {
        if (town.points.length === 0) {
            continue;
        }
        const mean = (pick: (c: Centroid) => number): number =>
            Math.round(town.points.reduce((sum, c) => sum + pick(c), 0) / town.points.length * 100_000) / 100_000;
        const place: Place = {
            name: town.name, aliases: [], latitude: mean((c) => c.latitude), longitude: mean((c) => c.longitude),
        };
        const district = [...town.districts].sort((a, b) => b[1] - a[1])[0]?.[0];
        if (district && /^[A-Z]{1,2}\d[A-Z\d]?$/.test(district)) {
            place.outcode = district;
        }
        places.push(place);
    }
    return places.sort((a, b) => a.name.localeCompare(b.name));
}

/** Writes places.json from the records when the folder has none; keeps an existing one. */
export function writePlaces(
    dir: string,
    records: readonly Opportunity[],
    outcodes: ReadonlyMap<string, Centroid>,
    origin: string,
): SupportFile {
    const target = path.join(dir, PLACES_FILE);
    if (fs.existsSync(target)) {
        return { file: PLACES_FILE, action: 'kept' };
    }
    const places = placesFromRecords(records, outcodes);
    const text = JSON.stringify({
        about: places.length > 0
            ? `Towns and areas named by the venues of ${origin}, each at the centre of its venues, written by `
                + '`signpost kb import`. Add aliases and other local names residents use.'
            : `The feed ${origin} names no towns for its venues, so this list is empty: residents can still give a `
                + 'postcode. Add the towns and areas residents name, each with its centre.',
        source: 'Written by `signpost kb import` from the imported directory. Centres are venue coordinates or '
            + 'postcode district centroids derived from ONS/OS open data: Contains OS data (c) Crown copyright and '
            + 'database right; Contains Royal Mail data (c) Royal Mail copyright and database right; Contains '
            + 'National Statistics data (c) Crown copyright.',
        places,
    }, null, 2) + '\n';
    // Checked as the loader will check it: two towns spelt alike must not break start-up.
    const checked = parsePlacesJson(text);
    const safe = checked.faults.length === 0
        ? text
        : JSON.stringify({ ...JSON.parse(text) as object, places: [] }, null, 2) + '\n';
    fs.writeFileSync(target, safe);
    const note = checked.faults.length > 0 ? 'town names clashed, so it is empty'
        : places.length === 0 ? 'empty: the feed names no towns' : `${places.length} towns from the venues`;
    return { file: PLACES_FILE, action: 'written', note };
}
