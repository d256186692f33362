/**
 * Where and how a service happens: its venue (coordinates when the feed gives usable ones, else a normalised UK
 * postcode whose district centroid matching uses), how people take part (in person, online, phone, home visits),
 * and the area it covers. Online services and services across a whole area are marked so, never "far away".
 */
import type { AttendingType, PlaceSource } from '../knowledge/schema';
import type { Centroid } from '../knowledge/places';
import { parsePostcode } from '../matching/postcode';
import type { Note } from './fields';
import { cleanText, shorten } from './html';
import type { FeedLocation, FeedService } from './feed';

/** A venue as the schema takes it. */
export interface Venue {
    name?: string;
    address_1?: string;
    city?: string;
    postal_code?: string;
    latitude?: number;
    longitude?: number;
}

/** Where and how, as the record will say it. */
export interface Placed {
    attending_type: AttendingType[];
    /** False when neither the feed nor its prose said how people take part. */
    attending_known: boolean;
    /** True when attending_type came from the prose. */
    attending_from_text: boolean;
    location?: Venue;
    area_served?: string;
    place_source: PlaceSource;
}

const ATTENDING_WORDS: readonly [AttendingType, RegExp][] = [
    ['in-person', /\b(?:venue|in[ -]?person|face[ -]to[ -]face|drop[ -]?in|physical|on[ -]?site|attend in)\b/i],
    ['online', /\b(?:online|virtual|video|zoom|teams|internet|remote(?:ly)?|web(?:site|inar)?)\b/i],
    ['phone', /\b(?:phone|telephone|helpline|call us)\b/i],
    ['home-visit', /\bhome[ -]?visits?\b|\bin your (?:own )?home\b|\bat home\b/i],
];

/** UK bounds, as in the schema. */
const UK = { minLat: 49, maxLat: 61, minLon: -9, maxLon: 3 };

function number(value: unknown): number | undefined {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function inUk(lat: number, lon: number): boolean {
    return lat >= UK.minLat && lat <= UK.maxLat && lon >= UK.minLon && lon <= UK.maxLon;
}

/** Full postcodes written in a text ("DN15 6NL"); districts alone are not trusted (road names look like them). */
function postcodesIn(text: string): string[] {
    const found = new Set<string>();
    for (const m of text.matchAll(/\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b/g)) {
        const parsed = parsePostcode(`${m[1]}${m[2]}`);
        if (parsed?.kind === 'full') {
            found.add(parsed.postcode);
        }
    }
    return [...found];
}

/** A venue from a feed location, with bad coordinates and postcodes left out (and noted). */
function venueOf(feed: FeedLocation, outcodes: ReadonlyMap<string, Centroid>, notes: Note[]): Venue {
    const venue: Venue = {};
    const name = cleanText(feed.name);
    const address = cleanText(feed.address_1);
    const city = cleanText(feed.city);
    if (name) venue.name = shorten(name, 120);
    if (address) venue.address_1 = shorten(address, 200);
    if (city) venue.city = shorten(city, 80);
    let lat = number(feed.latitude);
    let lon = number(feed.longitude);
    if (lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)) {
        if (!inUk(lat, lon) && inUk(lon, lat)) {
            [lat, lon] = [lon, lat];
            notes.push({ field: 'location.latitude', message: 'latitude and longitude were swapped: put right' });
        }
        if (inUk(lat, lon)) {
            venue.latitude = lat;
            venue.longitude = lon;
        } else {
            notes.push({ field: 'location.latitude', message: 'the coordinates are outside the UK: left out' });
        }
    }
    if (feed.postal_code !== undefined) {
        const parsed = parsePostcode(feed.postal_code);
        if (!parsed) {
            notes.push({ field: 'location.postal_code', message: 'is not a UK postcode: left out' });
        } else {
            venue.postal_code = parsed.kind === 'full' ? parsed.postcode : parsed.outcode;
            if (venue.latitude === undefined && !outcodes.has(parsed.outcode)) {
                const message = `its district ${parsed.outcode} is not in outcodes.csv, so it cannot be placed`;
                notes.push({ field: 'location.postal_code', message });
            }
        }
    }
    return venue;
}

/**
 * How people take part: the feed's own words and location types first, else what its prose says (`fromText`).
 * When nothing says, the matcher's assumption (in person) is kept but marked unknown, never passed off as a fact.
 */
function attendingOf(
    feed: FeedService,
    fromText: readonly AttendingType[],
): { types: AttendingType[]; known: boolean; fromText: boolean } {
    const words = feed.attending.join(' ');
    const found = new Set<AttendingType>(ATTENDING_WORDS.filter(([, re]) => re.test(words)).map(([type]) => type));
    for (const location of feed.locations) {
        if (location.type === 'virtual') {
            found.add('online');
        } else if (location.type === 'physical' || location.type === undefined) {
            if (found.size === 0) found.add('in-person');
        }
    }
    if (found.size > 0) return { types: [...found], known: true, fromText: false };
    return fromText.length > 0 ? { types: [...fromText], known: true, fromText: true }
        : { types: ['in-person'], known: false, fromText: false };
}

/**
 * Places a service. `text` is its cleaned description: when the feed gives no venue, a single full postcode written
 * there places it (reported as such, so an owner can check).
 */
export function placeService(
    feed: FeedService,
    text: string,
    outcodes: ReadonlyMap<string, Centroid>,
    notes: Note[],
    fromText: readonly AttendingType[] = [],
): Placed {
    const how = attendingOf(feed, fromText);
    const attending = how.types;
    const placed: Placed = {
        attending_type: attending, attending_known: how.known, place_source: 'unknown',
        attending_from_text: how.fromText,
    };
    const area = feed.areas.map(cleanText).find((a) => a !== '');
    if (area) {
        placed.area_served = shorten(area, 120);
    }
    const physical = feed.locations.filter((l) => l.type !== 'virtual' && l.type !== 'postal');
    const venues = physical.map((l) => venueOf(l, outcodes, notes));
    const venue = venues.find((v) => v.latitude !== undefined)
        ?? venues.find((v) => v.postal_code !== undefined)
        ?? venues.find((v) => Object.keys(v).length > 0);
    if (venue && Object.keys(venue).length > 0) {
        placed.location = venue;
    }
    const inPerson = attending.includes('in-person');
    if (venue?.latitude !== undefined) {
        placed.place_source = 'coordinates';
    } else if (venue?.postal_code !== undefined && outcodes.has(parsePostcode(venue.postal_code)?.outcode ?? '')) {
        placed.place_source = 'postcode';
    } else if (inPerson && physical.length === 0) {
        const written = postcodesIn(text).filter((p) => outcodes.has(parsePostcode(p)?.outcode ?? ''));
        if (written.length === 1) {
            placed.location = { postal_code: written[0] as string };
            placed.place_source = 'postcode-in-text';
        }
    }
    if (placed.place_source === 'unknown') {
        placed.place_source = placed.area_served ? 'area' : inPerson ? 'unknown' : 'remote';
    }
    return placed;
}
