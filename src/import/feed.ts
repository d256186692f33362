/**
 * A service as read from a feed, before it becomes a Signpost record: the values the ORUK and HSDS readers found,
 * still raw (HTML, odd dates, strings for numbers). One shape for every format, so building and checking the record
 * is written once (build.ts).
 */
import type { TermRef } from './taxonomy-map';

/** A place a service happens, as the feed gave it. */
export interface FeedLocation {
    name?: string;
    address_1?: string;
    city?: string;
    postal_code?: string;
    latitude?: unknown;
    longitude?: unknown;
    /** HSDS 3 location_type: physical, postal or virtual. */
    type?: string;
    /** Accessibility notes in words ("Wheelchair access on all floors"). */
    accessibility: string[];
}

/** A regular time, as the feed gave it. */
export interface FeedSchedule {
    byday?: unknown;
    opens_at?: unknown;
    closes_at?: unknown;
    freq?: unknown;
    description?: unknown;
    /** The last day it runs (valid_to or until), when given. */
    ends?: unknown;
}

/** A price, as the feed gave it. */
export interface FeedCost {
    option?: unknown;
    amount?: unknown;
    currency?: unknown;
    amount_description?: unknown;
}

/** One service read from a feed. */
export interface FeedService {
    id?: unknown;
    name?: unknown;
    description?: unknown;
    url?: unknown;
    email?: unknown;
    status?: unknown;
    organization?: { name?: unknown; url?: unknown; description?: unknown };
    /** Phone numbers, the service's own first. */
    phones: unknown[];
    locations: FeedLocation[];
    /** How people take part, in the feed's words (ORUK attending_type, HSDS schedule attending_type). */
    attending: string[];
    /** Service areas, in the feed's words. */
    areas: string[];
    schedules: FeedSchedule[];
    costs: FeedCost[];
    /** Fees in words (ORUK fees, HSDS fees_description). */
    fees?: unknown;
    eligibility: string[];
    minimumAge?: unknown;
    maximumAge?: unknown;
    /** Who it is for, as labels (a supplier's target audience list). */
    audiences: string[];
    terms: TermRef[];
    /** A short category (ORUK v1 deliverable_type). */
    category?: unknown;
    assuredDate?: unknown;
    lastModified?: unknown;
}

/** An object's fields, or an empty object for anything else. */
export function obj(value: unknown): Record<string, unknown> {
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** A list's objects; a single object is a list of one; anything else is empty. */
export function list(value: unknown): Record<string, unknown>[] {
    const items = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
    return items.filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v));
}

/** A trimmed string from a string or number; undefined for anything else or blank. */
export function str(value: unknown): string | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) {
        return String(value);
    }
    if (typeof value !== 'string') {
        return undefined;
    }
    const text = value.trim();
    return text === '' ? undefined : text;
}

/** The strings among some values, blanks dropped. */
export function strings(...values: unknown[]): string[] {
    return values.map(str).filter((s): s is string => s !== undefined);
}

/** A term reference from an ORUK v1 taxonomy or an HSDS 3 taxonomy_term. */
export function termRef(value: unknown): TermRef | undefined {
    const t = obj(value);
    const detail = obj(t.taxonomy_detail);
    const ref: TermRef = {};
    const id = str(t.id);
    const code = str(t.code);
    const name = str(t.name) ?? str(t.label);
    const vocabulary = str(t.vocabulary) ?? str(t.taxonomy) ?? str(detail.name);
    const uri = str(t.term_uri) ?? str(t.uri) ?? str(detail.uri);
    if (id) ref.id = id;
    if (code) ref.code = code;
    if (name) ref.name = name;
    if (vocabulary) ref.vocabulary = vocabulary;
    if (uri) ref.uri = uri;
    return Object.keys(ref).length > 0 ? ref : undefined;
}

/** A location from a feed's location object and its chosen address; only the fields the feed gives are set. */
export function feedLocation(
    l: Record<string, unknown>, address: Record<string, unknown>, city: string | undefined, accessibility: string[],
): FeedLocation {
    const location: FeedLocation = { latitude: l.latitude, longitude: l.longitude, accessibility };
    const name = str(l.name);
    const address1 = str(address.address_1);
    const postcode = str(address.postal_code);
    if (name) location.name = name;
    if (address1) location.address_1 = address1;
    if (city) location.city = city;
    if (postcode) location.postal_code = postcode;
    return location;
}
