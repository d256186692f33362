/**
 * The directory as Signpost knows it, published back as an Open Referral UK (v1) API, so that the council's other
 * services (its service finder, a family hub directory, the NHS) get what Signpost added to the council's feed:
 * prices, phones, how it is delivered and times read from the prose, need labels, places, curators' fixes and
 * check dates (issue 23). Read-only and anonymous, with CORS open (`Access-Control-Allow-Origin: *`), as the ORUK
 * compliance rules ask; limited per address like every other route (security.ts); on only with SIGNPOST_ORUK_API=on.
 *
 *   GET /oruk/services        a page of services: totalElements, totalPages, number (1-based), size, first, last,
 *                             numberOfElements, empty and content (full services), the v1 shape the ORUK validator's
 *                             Level 1 checks; with the Level 2 searches as query parameters (see `orukQuery`)
 *   GET /oruk/services/{id}   one full service: organization, service_at_locations, contacts, cost_options,
 *                             regular_schedules, eligibilitys, service_areas, service_taxonomys...
 *
 * What Signpost worked out rather than read from the feed's own fields says so in each service's `signpost`
 * extension (`derived`: the field, the value, and the feed field and words it came from); the feed's own texts it
 * was read from (description, eligibility) are served unchanged. A listing a curator hid is never served.
 */
import type restify from 'restify';
import {
    DAY_CODES, SIGNPOST_NEED_VOCABULARY, SIGNPOST_TYPE_VOCABULARY, type AccessFeature, type DayCode, type Opportunity,
} from '../knowledge/schema';
import type { Knowledge } from '../knowledge';
import type { Engine } from '../matching/engine';
import { haversineKm } from '../matching/geo';
import type { ResolvedPlace } from '../matching/types';

/** What the routes serve from: the loaded listings and the labels of their needs and kinds. */
export interface OrukSource {
    opportunities: readonly Opportunity[];
    /** Need id -> its label ("Loneliness and meeting people"). */
    needLabels: ReadonlyMap<string, string>;
    /** Service type id -> its label ("Walking group"). */
    typeLabels: ReadonlyMap<string, string>;
    /** A postcode, district or place name to a point (the engine's gazetteer); undefined when unknown. */
    resolvePlace(text: string): ResolvedPlace | undefined;
}

/** How many services a page holds when the caller does not say, and at most. */
export const ORUK_PAGE_SIZE = 50;
export const ORUK_MAX_PAGE_SIZE = 1000;
/** The radius of a postcode search when `proximity` is not given, in metres. */
export const ORUK_DEFAULT_PROXIMITY_M = 10_000;

const ATTENDING_WORDS: Readonly<Record<Opportunity['attending_type'][number], string>> = {
    'in-person': 'In person', 'online': 'Online', 'phone': 'Telephone', 'home-visit': 'Home visit',
};
const ACCESS_WORDS: Readonly<Record<AccessFeature, string>> = {
    'wheelchair': 'Wheelchair access', 'hearing-loop': 'Hearing loop', 'bsl': 'British Sign Language (BSL)',
    'quiet-space': 'Quiet space', 'accessible-toilet': 'Accessible toilet', 'large-print': 'Large print',
};
/** The ORUK field each field of Signpost's `extracted` list fills. */
const ORUK_FIELD: Readonly<Record<string, string>> = {
    phone: 'contacts.phones.number', email: 'email', cost_options: 'cost_options', attending_type: 'attending_type',
    schedules: 'regular_schedules', schedule_note: 'regular_schedules.description', for_whom: 'eligibilitys',
    location: 'service_at_locations.location',
};

/** A value Signpost worked out, and from what: one entry of a service's `signpost.derived`. */
export interface Derived {
    /** The ORUK field it is in ("contacts.phones.number"). */
    field: string;
    value: string;
    /** What it was derived from: a feed field ("description"), a taxonomy term, or "assumed". */
    from: string;
    /** The words or the term it was read from, when there are some. */
    words?: string;
}

/** The ages a listing is for, from what the importer read (for_whom); open ends are undefined. */
function agesOf(o: Opportunity): { min?: number; max?: number } | undefined {
    const ages = (o.for_whom ?? []).filter((f) => f.kind === 'age' && (f.min_age !== undefined
        || f.max_age !== undefined));
    if (ages.length === 0) return undefined;
    const mins = ages.map((a) => a.min_age).filter((a): a is number => a !== undefined);
    const maxes = ages.map((a) => a.max_age).filter((a): a is number => a !== undefined);
    return {
        ...(mins.length === ages.length ? { min: Math.min(...mins) } : {}),
        ...(maxes.length === ages.length ? { max: Math.max(...maxes) } : {}),
    };
}

/** "10:00" as ORUK's "10:00:00". */
function clock(hhmm: string): string {
    return `${hhmm}:00`;
}

/** What Signpost derived in a listing, each with where it came from. */
function derivedOf(o: Opportunity, needLabels: ReadonlyMap<string, string>): Derived[] {
    const derived: Derived[] = (o.extracted ?? []).map((e) => ({
        field: ORUK_FIELD[e.field] ?? e.field, value: e.value, from: e.from, words: e.span,
    }));
    for (const reason of o.need_reasons ?? []) {
        derived.push({
            field: 'service_taxonomys', value: `${SIGNPOST_NEED_VOCABULARY}:${reason.need}`
                + ` (${needLabels.get(reason.need) ?? reason.need})`,
            from: reason.source === 'taxonomy' ? 'the feed\'s taxonomy terms' : 'its own words',
            words: reason.detail,
        });
    }
    if (o.attending_unknown) {
        derived.push({ field: 'attending_type', value: 'In person', from: 'assumed: the feed does not say' });
    }
    if (o.place_source === 'postcode') {
        derived.push({
            field: 'service_at_locations.location.latitude', value: 'its postcode district\'s centre',
            from: 'service_at_locations.location.physical_addresses.postal_code',
        });
    }
    const ages = agesOf(o);
    if (ages) {
        derived.push({
            field: 'eligibilitys.minimum_age, eligibilitys.maximum_age',
            value: `${ages.min ?? ''}-${ages.max ?? ''}`, from: 'who it is for (for_whom)',
        });
    }
    return derived;
}

/** A stable id for a part of a service ("svc-0001-contact-1"), since ORUK gives every object an id. */
function part(o: Opportunity, name: string, index = 1): string {
    return `${o.id}-${name}-${index}`;
}

/** The organisation's id: its name, made a slug, so one organisation has one id across its services. */
function organisationId(name: string): string {
    return `org-${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown'}`;
}

/**
 * One listing as a full ORUK v1 service. Standard fields carry what Signpost knows (the feed's values, curators'
 * fixes and what it read from the prose); the `signpost` extension says which of them were derived, and from what,
 * and holds Signpost's own fields (summary, keywords, welcome, need reasons, how it was placed).
 */
export function orukService(o: Opportunity, source: Pick<OrukSource, 'needLabels' | 'typeLabels'>)
    : Record<string, unknown> {
    const ages = agesOf(o);
    const service: Record<string, unknown> = {
        id: o.id,
        name: o.name,
        description: o.description,
        url: o.url ?? null,
        email: o.email ?? null,
        status: 'active',
        // "Free" only when Signpost knows it is free; nothing when the price is unknown (residents are told to ask).
        fees: o.cost_options.length === 0 && !o.cost_unknown ? 'Free' : null,
        attending_type: o.attending_type.map((a) => ATTENDING_WORDS[a]).join(', '),
        assured_date: o.assured_date,
        ...(o.last_modified ? { last_modified: o.last_modified } : {}),
        organization: {
            id: organisationId(o.organization.name),
            name: o.organization.name,
            url: o.organization.url ?? null,
        },
        contacts: o.phone ? [{ id: part(o, 'contact'), phones: [{ id: part(o, 'phone'), number: o.phone }] }] : [],
        cost_options: o.cost_options.map((c, i) => ({
            id: part(o, 'cost', i + 1), option: c.option ?? null, amount: c.amount, currency: c.currency,
            amount_description: c.amount_description ?? null,
        })),
        eligibilitys: o.eligibility_description || ages ? [{
            id: part(o, 'eligibility'),
            eligibility: o.eligibility_description ?? null,
            minimum_age: ages?.min ?? null,
            maximum_age: ages?.max ?? null,
        }] : [],
        regular_schedules: [
            ...o.schedules.map((s, i) => ({
                id: part(o, 'schedule', i + 1), freq: 'WEEKLY', interval: 1, byday: s.byday.join(','),
                opens_at: clock(s.opens_at), closes_at: clock(s.closes_at), description: s.description ?? null,
            })),
            ...(o.schedule_note ? [{ id: part(o, 'schedule-note'), description: o.schedule_note }] : []),
        ],
        service_areas: o.area_served ? [{ id: part(o, 'area'), service_area: o.area_served }] : [],
        service_at_locations: o.location ? [{
            id: part(o, 'at-location'),
            location: {
                id: part(o, 'location'),
                name: o.location.name ?? null,
                latitude: o.location.latitude ?? null,
                longitude: o.location.longitude ?? null,
                physical_addresses: o.location.address_1 || o.location.city || o.location.postal_code ? [{
                    id: part(o, 'address'), address_1: o.location.address_1 ?? null, city: o.location.city ?? null,
                    postal_code: o.location.postal_code ?? null, country: 'GB',
                }] : [],
                accessibility_for_disabilities: o.accessibility.map((a, i) => ({
                    id: part(o, 'accessibility', i + 1), accessibility: ACCESS_WORDS[a],
                })),
            },
        }] : [],
        service_taxonomys: [
            ...o.needs.map((need) => ({
                id: part(o, `need-${need}`),
                taxonomy: {
                    id: `${SIGNPOST_NEED_VOCABULARY}:${need}`, name: source.needLabels.get(need) ?? need,
                    vocabulary: SIGNPOST_NEED_VOCABULARY,
                },
            })),
            ...(o.service_types ?? []).map((type) => ({
                id: part(o, `type-${type}`),
                taxonomy: {
                    id: `${SIGNPOST_TYPE_VOCABULARY}:${type}`, name: source.typeLabels.get(type) ?? type,
                    vocabulary: SIGNPOST_TYPE_VOCABULARY,
                },
            })),
        ],
        signpost: {
            derived: derivedOf(o, source.needLabels),
            ...(o.summary ? { summary: o.summary } : {}),
            keywords: o.keywords,
            welcome: o.welcome,
            ...(o.cost_unknown ? { cost_unknown: true } : {}),
            ...(o.place_source ? { place_source: o.place_source } : {}),
        },
    };
    return service;
}

/** A Level 2 search, as query parameters. */
export interface OrukQuery {
    page: number;
    perPage: number;
    /** Every word must be in the name, description, organisation or keywords. */
    text?: string[];
    /** Taxonomy ids (`signpostNeed:loneliness`, or the bare need or service type id); a service with any matches. */
    taxonomyIds?: string[];
    vocabulary?: string;
    /** The ages of the person: a service matches when its ages (open where it gives none) overlap them. */
    minimumAge?: number;
    maximumAge?: number;
    /** A place to search around, and how far (metres). */
    near?: { place: ResolvedPlace; metres: number };
    day?: DayCode;
    /** HH:MM: a session must overlap the window. */
    startTime?: string;
    endTime?: string;
}

/** A query the API cannot answer: 400, with this message. */
export class OrukQueryError extends Error {
    override readonly name = 'OrukQueryError';
}

const DAY_NAMES: Readonly<Record<string, DayCode>> = {
    monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA', sunday: 'SU',
};

/** A whole number from a query value, or undefined when absent; OrukQueryError when it is not one in range. */
function whole(value: string | undefined, name: string, min: number, max: number): number | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
        throw new OrukQueryError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return Number(value);
}

/** HH:MM from "10:00", "10:00:00" or "9:30"; OrukQueryError when it is not a time. */
function time(value: string | undefined, name: string): string | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    const m = /^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(value.trim());
    if (!m) throw new OrukQueryError(`${name} must be a time as HH:MM`);
    return `${(m[1] as string).padStart(2, '0')}:${m[2]}`;
}

/** Reads the query parameters of GET /oruk/services. */
export function orukQuery(params: Readonly<Record<string, string | undefined>>, source: Pick<OrukSource,
    'resolvePlace'>): OrukQuery {
    const query: OrukQuery = {
        page: whole(params.page, 'page', 1, 1_000_000) ?? 1,
        perPage: whole(params.per_page ?? params.size, 'per_page', 1, ORUK_MAX_PAGE_SIZE) ?? ORUK_PAGE_SIZE,
    };
    const words = (params.text ?? '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length > 0) query.text = words;
    const ids = (params.taxonomy_id ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (ids.length > 0) query.taxonomyIds = ids;
    if (params.vocabulary?.trim()) query.vocabulary = params.vocabulary.trim();
    const minimumAge = whole(params.minimum_age, 'minimum_age', 0, 150);
    const maximumAge = whole(params.maximum_age, 'maximum_age', 0, 150);
    if (minimumAge !== undefined) query.minimumAge = minimumAge;
    if (maximumAge !== undefined) query.maximumAge = maximumAge;
    if (params.postcode?.trim()) {
        const place = source.resolvePlace(params.postcode.trim());
        if (!place) throw new OrukQueryError('postcode is not a postcode or place this directory knows');
        const metres = whole(params.proximity, 'proximity', 1, 1_000_000) ?? ORUK_DEFAULT_PROXIMITY_M;
        query.near = { place, metres };
    }
    if (params.day?.trim()) {
        const day = params.day.trim();
        const code = DAY_CODES.find((d) => d === day.toUpperCase()) ?? DAY_NAMES[day.toLowerCase()]
            ?? DAY_NAMES[Object.keys(DAY_NAMES).find((n) => n.startsWith(day.toLowerCase()) && day.length >= 3) ?? ''];
        if (!code) throw new OrukQueryError('day must be a day: MO, TU, WE, TH, FR, SA, SU or its name');
        query.day = code;
    }
    const startTime = time(params.start_time, 'start_time');
    const endTime = time(params.end_time, 'end_time');
    if (startTime) query.startTime = startTime;
    if (endTime) query.endTime = endTime;
    return query;
}

/** The distance from a place to a listing in km, or undefined when the listing has no point. */
function distanceKm(o: Opportunity, place: ResolvedPlace): number | undefined {
    const { latitude, longitude } = o.location ?? {};
    if (latitude === undefined || longitude === undefined) return undefined;
    return haversineKm(place, { latitude, longitude });
}

/** Whether a listing answers a query (paging aside). */
function matches(o: Opportunity, q: OrukQuery): boolean {
    if (q.text) {
        const haystack = [o.name, o.description, o.organization.name, ...o.keywords].join(' ').toLowerCase();
        if (!q.text.every((w) => haystack.includes(w))) return false;
    }
    if (q.taxonomyIds || q.vocabulary) {
        const terms = [
            ...o.needs.map((n) => ({
                id: `${SIGNPOST_NEED_VOCABULARY}:${n}`, bare: n, vocabulary: SIGNPOST_NEED_VOCABULARY,
            })),
            ...(o.service_types ?? []).map((t) => ({
                id: `${SIGNPOST_TYPE_VOCABULARY}:${t}`, bare: t, vocabulary: SIGNPOST_TYPE_VOCABULARY,
            })),
        ].filter((t) => !q.vocabulary || t.vocabulary === q.vocabulary);
        if (terms.length === 0) return false;
        if (q.taxonomyIds && !terms.some((t) => q.taxonomyIds!.includes(t.id) || q.taxonomyIds!.includes(t.bare))) {
            return false;
        }
    }
    if (q.minimumAge !== undefined || q.maximumAge !== undefined) {
        const ages = agesOf(o);
        const lowest = q.minimumAge ?? 0;
        const highest = q.maximumAge ?? 150;
        if (ages && ((ages.min ?? 0) > highest || (ages.max ?? 150) < lowest)) return false;
    }
    if (q.near) {
        const km = distanceKm(o, q.near.place);
        if (km === undefined || km * 1000 > q.near.metres) return false;
    }
    if (q.day || q.startTime || q.endTime) {
        const fits = o.schedules.some((s) => (!q.day || s.byday.includes(q.day))
            && (!q.startTime || s.closes_at > q.startTime) && (!q.endTime || s.opens_at < q.endTime));
        if (!fits) return false;
    }
    return true;
}

/** The page of GET /oruk/services: the listings a query finds (nearest first for a postcode), in the v1 shape. */
export function orukPage(source: OrukSource, q: OrukQuery): Record<string, unknown> {
    let found = source.opportunities.filter((o) => o.hidden !== true && matches(o, q));
    if (q.near) {
        const place = q.near.place;
        found = found.map((o) => ({ o, km: distanceKm(o, place) ?? Infinity }))
            .sort((a, b) => a.km - b.km).map((x) => x.o);
    }
    const total = found.length;
    const totalPages = Math.max(1, Math.ceil(total / q.perPage));
    const content = found.slice((q.page - 1) * q.perPage, q.page * q.perPage).map((o) => orukService(o, source));
    return {
        totalElements: total,
        totalPages,
        number: q.page,
        size: q.perPage,
        numberOfElements: content.length,
        first: q.page === 1,
        last: q.page >= totalPages,
        empty: content.length === 0,
        content,
    };
}

/** CORS open and a short cache: the answer is the same for everyone, and anyone's page may ask for it. */
function publicHeaders(res: restify.Response): void {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
}

/** Mounts GET /oruk/services and GET /oruk/services/:id. Only when SIGNPOST_ORUK_API=on (index.ts). */
export function mountOruk(server: restify.Server, source: OrukSource): void {
    // Worked out again only when the listings change (a curator's decision gives a new array).
    let shownOf: readonly Opportunity[] | undefined;
    let shown = new Map<string, Opportunity>();
    const shownNow = (): ReadonlyMap<string, Opportunity> => {
        if (shownOf !== source.opportunities) {
            shownOf = source.opportunities;
            shown = new Map(shownOf.filter((o) => o.hidden !== true).map((o) => [o.id, o]));
        }
        return shown;
    };
    server.get('/oruk/services', (req, res, next) => {
        publicHeaders(res);
        let query: OrukQuery;
        try {
            const params = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
            query = orukQuery(params, source);
        } catch (err) {
            if (!(err instanceof OrukQueryError)) throw err;
            res.send(400, { error: { code: 'BadQuery', message: err.message } });
            return next(false);
        }
        res.send(200, orukPage(source, query));
        return next(false);
    });
    server.get('/oruk/services/:id', (req, res, next) => {
        publicHeaders(res);
        const listing = shownNow().get(String(req.params.id));
        if (!listing) {
            res.send(404, { error: { code: 'NotFound', message: 'There is no service with that id.' } });
        } else {
            res.send(200, orukService(listing, source));
        }
        return next(false);
    });
}

/** What the routes serve, from the loaded knowledge and the engine (for places). */
export function orukSource(
    knowledge: Pick<Knowledge, 'opportunities' | 'taxonomy' | 'serviceTypes'>, engine: Pick<Engine, 'resolvePlace'>,
    curated?: { served(): readonly Opportunity[] },
): OrukSource {
    return {
        // With the curators' decisions in them when given (issue 21): a listing hidden in the workspace is not served.
        get opportunities() {
            return curated?.served() ?? knowledge.opportunities;
        },
        needLabels: new Map(knowledge.taxonomy.needs.map((n) => [n.id, n.label])),
        typeLabels: new Map(knowledge.serviceTypes.map((t) => [t.id, t.label])),
        resolvePlace: (text) => engine.resolvePlace(text),
    };
}
