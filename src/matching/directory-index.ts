/**
 * The directory, prepared once for fast ranking: an inverted index from stemmed words to listings (so a query
 * touches only the listings that share a word with it, not all 100,000), listings by need, and per-listing facts
 * (point on the map, free or not, how people take part, when it meets) worked out once instead of on every chat turn.
 *
 * The per-listing facts are kept twice: as an object per listing (IndexedListing, read when explaining a result) and
 * as flat typed arrays (ListingColumns, read while scoring). A query may score tens of thousands of listings; reading
 * numbers from a few arrays costs a fraction of following an object per listing, and allocates nothing.
 */
import { ACCESS_FEATURES, DAY_CODES, TIMES_OF_DAY, WELCOME_FEATURES } from '../knowledge/schema';
import type { AccessFeature, DayCode, Opportunity, Place, TimeOfDay, WelcomeFeature } from '../knowledge/schema';
import { withTuning } from './config';
import type { MatchingTuning, TuningOverrides } from './config';
import { eligibilityOf, type Eligibility } from './eligibility';
import type { LatLng } from './geo';
import { parsePostcode } from './postcode';
import { partsOfDay } from './schedule';
import { buildServiceTypeMatcher, typesOfService } from './serviceTypes';
import type { ServiceTypeMatcher } from './serviceTypes';
import type { ServiceType } from '../knowledge/serviceTypes';
import { terms } from './terms';
import { aboutThem, withWording } from './why';
import type { WhyWording } from './why';

/** One listing and the facts the ranker needs about it. */
export interface IndexedListing {
    readonly opportunity: Opportunity;
    /** Where it happens: the listing's coordinates, else the centre of its postcode district, else unknown. */
    readonly point?: LatLng;
    /** No price, or every price is 0, and the source did not leave the price unknown. */
    readonly free: boolean;
    /** The source gave no price (cost_unknown): neither free nor paid as far as we know. */
    readonly costUnknown: boolean;
    /** The lowest price; 0 when free. */
    readonly lowestCost: number;
    readonly inPerson: boolean;
    readonly online: boolean;
    readonly phone: boolean;
    readonly homeVisit: boolean;
    /** Set when it covers a whole area rather than one venue. */
    readonly areaServed?: string;
    /** assured_date as milliseconds since 1970 (UTC). */
    readonly assuredMs: number;
    /** Weighted number of terms, for BM25 length normalisation. */
    readonly length: number;
    /** Who it is for (ages, children only, referral only), read once from its fields (eligibility.ts). */
    readonly eligibility: Eligibility;
    /** Its point is only the centre of its postcode district: a resident in that district is "in your area". */
    readonly approximate: boolean;
    /** The town its text says it is only for ("for residents of Goxhill"), when that town is a known place. */
    readonly catchment?: { readonly name: string; readonly point: LatLng };
}

/** The listings that contain one term, in listing order, with the term's BM25 contribution to each. */
export interface PostingList {
    /** Listing positions, ascending, so a binary search can say whether a listing has the term. */
    readonly docs: Int32Array;
    /**
     * BM25 score of this term for each listing. Every input of BM25 (term frequency, the listing's length, the
     * average length, how many listings have the term) is fixed once the directory is, so it is worked out here.
     */
    readonly impacts: Float64Array;
}

/** Bits of ListingColumns.flags. */
export const FLAG = Object.freeze({
    free: 1,
    inPerson: 2,
    online: 4,
    phone: 8,
    homeVisit: 16,
    /** In person across an area with no single venue: it comes to the resident. */
    areaNoVenue: 32,
    /** Has at least one regular session; without one a time is arranged. */
    scheduled: 64,
    /** Has a point on the map. */
    placed: 128,
    /** The source gave no price: it passes a firm "free only" (we cannot rule it out) but fits less. */
    costUnknown: 256,
});

/** The per-listing facts the scorer reads, one array slot per listing position. */
export interface ListingColumns {
    /** Degrees; NaN when the listing has no point. */
    readonly latitude: Float64Array;
    readonly longitude: Float64Array;
    /** cos(latitude), for the haversine formula. */
    readonly cosLatitude: Float64Array;
    /** FLAG bits. */
    readonly flags: Uint16Array;
    readonly lowestCost: Float64Array;
    /** Bit `day * 3 + part` is set when some session meets on that day in that part of the day (see slotBit). */
    readonly slots: Int32Array;
    /** Bit per ACCESS_FEATURES entry the listing meets; venue features count as met when it has no venue. */
    readonly access: Uint8Array;
    /** Bit per WELCOME_FEATURES entry. */
    readonly welcome: Uint8Array;
    readonly assuredMs: Float64Array;
    /** Position in `needIds` of the listing's first (main) need; -1 when it has none. */
    readonly mainNeed: Int16Array;
    /**
     * Place of the listing's name in alphabetical order (as localeCompare sorts), to break ties between equal scores
     * with one integer comparison instead of comparing two strings.
     */
    readonly nameRank: Int32Array;
}

/**
 * Working space for one ranking, sized to the directory and reused so a query allocates nothing in proportion to
 * it. Ranking is synchronous, so two queries never share it at once; every slot a query touches is reset before it
 * returns.
 */
export interface RankScratch {
    readonly need: Float64Array;
    /** Share of the kinds of service the resident named that the listing is (0..1). */
    readonly type: Float64Array;
    readonly text: Float64Array;
    readonly seen: Uint8Array;
    readonly candidates: Int32Array;
}

/** What buildDirectoryIndex returns; pass it to rankOpportunities. Read-only after it is built, but for `scratch`. */
export interface DirectoryIndex {
    readonly listings: readonly IndexedListing[];
    readonly postings: ReadonlyMap<string, PostingList>;
    /** Need id -> positions in `listings` of the listings that help with it, ascending. */
    readonly byNeed: ReadonlyMap<string, Int32Array>;
    /** Service type id -> positions of the listings of that kind, ascending (see src/matching/serviceTypes.ts). */
    readonly byType: ReadonlyMap<string, Int32Array>;
    /** Finds the kinds of service a resident names; none when the knowledge has no service types. */
    readonly types?: ServiceTypeMatcher;
    /** Every need id a listing names, in order of first appearance; ListingColumns.mainNeed points into it. */
    readonly needIds: readonly string[];
    readonly columns: ListingColumns;
    /** 1 at the position of a listing a curator hid (curateIndex): never a candidate. None when nothing is hidden. */
    readonly hidden?: Uint8Array;
    readonly scratch: RankScratch;
    readonly averageLength: number;
    readonly needLabels: ReadonlyMap<string, string>;
    /** The needs' words about someone else ("losing someone close to them"), where they differ (issue 18). */
    readonly needLabelsThem: ReadonlyMap<string, string>;
    readonly wording: Readonly<WhyWording>;
    /** The same phrases said about someone else ("near them"): for a query made on someone's behalf. */
    readonly wordingThem: Readonly<WhyWording>;
    readonly tuning: Readonly<MatchingTuning>;
}

/** Options of buildDirectoryIndex. */
export interface DirectoryIndexOptions {
    /** Need id -> the words residents read in "helps with: ..." (from the need taxonomy). Default: the id. */
    needLabels?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
    /** Need id -> those words said about someone else, where they differ (needs.json `reflectThem`). */
    needLabelsThem?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
    /** Outcode centroids, to place listings that have a postcode but no coordinates. */
    outcodes?: ReadonlyMap<string, LatLng>;
    /** Named places (knowledge/places.json), to find the town a listing's catchment text names. */
    places?: readonly Place[];
    tuning?: TuningOverrides;
    wording?: Partial<WhyWording>;
    /**
     * The kinds of service (knowledge/service-types.json). A listing is of the kinds the importer tagged it with
     * (`service_types`); one written by hand, without the field, is tagged here from its own words the same way.
     */
    serviceTypes?: readonly ServiceType[];
}

/** Access features that belong to a venue: a listing that never meets in one cannot fall short on them. */
export const VENUE_FEATURES: ReadonlySet<AccessFeature> = new Set(
    ['wheelchair', 'hearing-loop', 'quiet-space', 'accessible-toilet'],
);

/** The bit of a day and part of the day in ListingColumns.slots; 0 for a value that is neither. */
export function slotBit(day: DayCode, part: TimeOfDay): number {
    const d = DAY_CODES.indexOf(day);
    const p = TIMES_OF_DAY.indexOf(part);
    return d < 0 || p < 0 ? 0 : 1 << (d * TIMES_OF_DAY.length + p);
}

/** The bit of an access feature in ListingColumns.access; 0 for an unknown one. */
export function accessBit(feature: AccessFeature): number {
    const i = ACCESS_FEATURES.indexOf(feature);
    return i < 0 ? 0 : 1 << i;
}

/** The bit of a welcome feature in ListingColumns.welcome; 0 for an unknown one. */
export function welcomeBit(feature: WelcomeFeature): number {
    const i = WELCOME_FEATURES.indexOf(feature);
    return i < 0 ? 0 : 1 << i;
}

function pointOf(opportunity: Opportunity, outcodes?: ReadonlyMap<string, LatLng>): LatLng | undefined {
    const location = opportunity.location;
    if (location?.latitude !== undefined && location.longitude !== undefined) {
        return { latitude: location.latitude, longitude: location.longitude };
    }
    const parsed = location?.postal_code ? parsePostcode(location.postal_code) : undefined;
    return parsed && outcodes?.get(parsed.outcode);
}

/** Place names (and aliases), folded, to their points. */
function placeIndex(places: readonly Place[] | undefined): Map<string, { name: string; point: LatLng }> {
    const byName = new Map<string, { name: string; point: LatLng }>();
    for (const place of places ?? []) {
        const point = { latitude: place.latitude, longitude: place.longitude };
        for (const name of [place.name, ...place.aliases]) {
            byName.set(name.toLowerCase().trim(), { name: place.name, point });
        }
    }
    return byName;
}

function describeListing(
    opportunity: Opportunity,
    length: number,
    outcodes: ReadonlyMap<string, LatLng> | undefined,
    places: ReadonlyMap<string, { name: string; point: LatLng }>,
): IndexedListing {
    const attending = opportunity.attending_type;
    const amounts = opportunity.cost_options.map((c) => c.amount);
    const point = pointOf(opportunity, outcodes);
    const eligibility = eligibilityOf(opportunity);
    const catchment = eligibility.catchment ? places.get(eligibility.catchment.toLowerCase()) : undefined;
    const location = opportunity.location;
    return {
        opportunity,
        eligibility,
        approximate: point !== undefined && (location?.latitude === undefined || location.longitude === undefined),
        ...(catchment ? { catchment } : {}),
        ...(point ? { point } : {}),
        free: opportunity.cost_unknown !== true && amounts.every((a) => a === 0),
        costUnknown: opportunity.cost_unknown === true,
        lowestCost: amounts.length === 0 ? 0 : Math.min(...amounts),
        inPerson: attending.includes('in-person'),
        online: attending.includes('online'),
        phone: attending.includes('phone'),
        homeVisit: attending.includes('home-visit'),
        ...(opportunity.area_served ? { areaServed: opportunity.area_served } : {}),
        assuredMs: Date.parse(`${opportunity.assured_date}T00:00:00Z`),
        length,
    };
}

/** The day-and-part bits of a timetable: a session sets every pair of its days and the parts of the day it spans. */
function slotsOf(schedules: Opportunity['schedules']): number {
    let bits = 0;
    for (const session of schedules) {
        const parts = partsOfDay(session);
        for (const day of session.byday) {
            for (const part of parts) {
                bits |= slotBit(day, part);
            }
        }
    }
    return bits;
}

function emptyColumns(count: number): ListingColumns {
    return {
        latitude: new Float64Array(count),
        longitude: new Float64Array(count),
        cosLatitude: new Float64Array(count),
        flags: new Uint16Array(count),
        lowestCost: new Float64Array(count),
        slots: new Int32Array(count),
        access: new Uint8Array(count),
        welcome: new Uint8Array(count),
        assuredMs: new Float64Array(count),
        mainNeed: new Int16Array(count),
        nameRank: new Int32Array(count),
    };
}

function fillColumns(columns: ListingColumns, doc: number, listing: IndexedListing, mainNeed: number): void {
    const { opportunity, point } = listing;
    columns.latitude[doc] = point ? point.latitude : NaN;
    columns.longitude[doc] = point ? point.longitude : NaN;
    // Written as geo.ts writes it, so distances come out to the same last bit as haversineKm.
    columns.cosLatitude[doc] = point ? Math.cos((point.latitude * Math.PI) / 180) : NaN;
    columns.flags[doc] = (listing.free ? FLAG.free : 0) | (listing.inPerson ? FLAG.inPerson : 0)
        | (listing.online ? FLAG.online : 0) | (listing.phone ? FLAG.phone : 0)
        | (listing.homeVisit ? FLAG.homeVisit : 0)
        | (listing.inPerson && listing.areaServed !== undefined && !point ? FLAG.areaNoVenue : 0)
        | (opportunity.schedules.length > 0 ? FLAG.scheduled : 0) | (point ? FLAG.placed : 0)
        | (listing.costUnknown ? FLAG.costUnknown : 0);
    columns.lowestCost[doc] = listing.lowestCost;
    columns.slots[doc] = slotsOf(opportunity.schedules);
    let access = 0;
    for (const feature of ACCESS_FEATURES) {
        if (opportunity.accessibility.includes(feature) || (!listing.inPerson && VENUE_FEATURES.has(feature))) {
            access |= accessBit(feature);
        }
    }
    columns.access[doc] = access;
    columns.welcome[doc] = opportunity.welcome.reduce((bits, w) => bits | welcomeBit(w), 0);
    columns.assuredMs[doc] = listing.assuredMs;
    columns.mainNeed[doc] = mainNeed;
}

/** A growable list of numbers, turned into a typed array when the index is complete. */
interface Growing {
    docs: number[];
    tfs: number[];
}

/** Builds the index once, at start-up or after the directory changes. Pure: the opportunities are not changed. */
export function buildDirectoryIndex(
    opportunities: readonly Opportunity[],
    options: DirectoryIndexOptions = {},
): DirectoryIndex {
    const tuning = withTuning(options.tuning);
    const boosts = tuning.fieldBoosts;
    const count = opportunities.length;
    const growing = new Map<string, Growing>();
    const needDocs = new Map<string, number[]>();
    const needPosition = new Map<string, number>();
    const places = placeIndex(options.places);
    const typeDocs = new Map<string, number[]>();
    const types = options.serviceTypes && options.serviceTypes.length > 0
        ? buildServiceTypeMatcher(options.serviceTypes) : undefined;
    const listings: IndexedListing[] = [];
    const columns = emptyColumns(count);
    let totalLength = 0;

    opportunities.forEach((opportunity, doc) => {
        const weights = new Map<string, number>();
        let length = 0;
        const add = (text: string | undefined, boost: number): void => {
            for (const term of terms(text ?? '')) {
                weights.set(term, (weights.get(term) ?? 0) + boost);
                length += boost;
            }
        };
        add(opportunity.name, boosts.name);
        add(opportunity.keywords.join(' '), boosts.keywords);
        add(opportunity.summary, boosts.summary);
        add(opportunity.organization.name, boosts.organization);
        add(opportunity.description, boosts.description);
        for (const [term, tf] of weights) {
            let list = growing.get(term);
            if (!list) {
                list = { docs: [], tfs: [] };
                growing.set(term, list);
            }
            list.docs.push(doc);
            list.tfs.push(tf);
        }
        for (const need of new Set(opportunity.needs)) {
            let list = needDocs.get(need);
            if (!list) {
                list = [];
                needDocs.set(need, list);
                needPosition.set(need, needPosition.size);
            }
            list.push(doc);
        }
        if (types) {
            const kinds = opportunity.service_types ?? typesOfService({
                name: opportunity.name, keywords: opportunity.keywords, description: opportunity.description,
            }, types);
            for (const kind of new Set(kinds)) {
                const list = typeDocs.get(kind) ?? [];
                list.push(doc);
                typeDocs.set(kind, list);
            }
        }
        totalLength += length;
        const listing = describeListing(opportunity, length, options.outcodes, places);
        listings.push(listing);
        const main = opportunity.needs[0];
        fillColumns(columns, doc, listing, main === undefined ? -1 : (needPosition.get(main) as number));
    });

    const collator = new Intl.Collator();
    const byName = listings.map((_, doc) => doc)
        .sort((a, b) => collator.compare(listings[a].opportunity.name, listings[b].opportunity.name) || a - b);
    byName.forEach((doc, rank) => {
        columns.nameRank[doc] = rank;
    });

    const averageLength = count > 0 ? totalLength / count : 0;
    const postings = new Map<string, PostingList>();
    const { bm25K1: k1, bm25B: b } = tuning;
    const average = averageLength || 1;
    for (const [term, list] of growing) {
        const n = list.docs.length;
        const idf = Math.log(1 + (count - n + 0.5) / (n + 0.5));
        const impacts = new Float64Array(n);
        for (let i = 0; i < n; i++) {
            const tf = list.tfs[i] as number;
            const length = (listings[list.docs[i] as number] as IndexedListing).length;
            impacts[i] = idf * (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / average));
        }
        postings.set(term, { docs: Int32Array.from(list.docs), impacts });
    }
    const byNeed = new Map<string, Int32Array>();
    for (const [need, docs] of needDocs) {
        byNeed.set(need, Int32Array.from(docs));
    }

    const byType = new Map<string, Int32Array>();
    for (const [kind, docs] of typeDocs) {
        byType.set(kind, Int32Array.from(docs));
    }

    const labels = options.needLabels;
    const needLabels = labels instanceof Map ? new Map(labels) : new Map(Object.entries(labels ?? {}));
    const themLabels = options.needLabelsThem;
    const needLabelsThem = themLabels instanceof Map ? new Map(themLabels)
        : new Map(Object.entries(themLabels ?? {}));
    const wording = withWording(options.wording);
    return {
        listings,
        postings,
        byNeed,
        byType,
        ...(types ? { types } : {}),
        needIds: [...needPosition.keys()],
        columns,
        scratch: {
            need: new Float64Array(count),
            type: new Float64Array(count),
            text: new Float64Array(count),
            seen: new Uint8Array(count),
            candidates: new Int32Array(count),
        },
        averageLength,
        needLabels,
        needLabelsThem,
        wording,
        wordingThem: aboutThem(wording),
        tuning,
    };
}

/** Curators' decisions as data: listings kept back, and check dates (YYYY-MM-DD) that replace the feed's. */
export interface IndexCuration {
    readonly hidden: ReadonlySet<string>;
    readonly checked: ReadonlyMap<string, string>;
}

/** Each index's listing positions by id, worked out the first time it is curated. */
const positions = new WeakMap<DirectoryIndex, ReadonlyMap<string, number>>();

/**
 * The index with curators' decisions laid over it, without building it again: a shallow copy that shares the
 * postings, the need lists and the scratch, with a hidden mark per listing and copies of only what a check date
 * changes (the freshness column and the listings re-dated). Ranks exactly as an index built over the curated records
 * would, in milliseconds where a build takes a second with 10,000 listings. Pure: `index` is not changed, and each
 * call starts from it (decisions replace, never stack).
 */
export function curateIndex(index: DirectoryIndex, curation: IndexCuration): DirectoryIndex {
    let at = positions.get(index);
    if (!at) {
        at = new Map(index.listings.map((l, doc) => [l.opportunity.id, doc]));
        positions.set(index, at);
    }
    let hidden: Uint8Array | undefined;
    for (const id of curation.hidden) {
        const doc = at.get(id);
        if (doc === undefined) continue;
        hidden ??= new Uint8Array(index.listings.length);
        hidden[doc] = 1;
    }
    let listings = index.listings;
    let assuredMs = index.columns.assuredMs;
    for (const [id, date] of curation.checked) {
        const doc = at.get(id);
        if (doc === undefined) continue;
        if (listings === index.listings) {
            listings = index.listings.slice();
            assuredMs = Float64Array.from(index.columns.assuredMs);
        }
        const listing = listings[doc] as IndexedListing;
        const ms = Date.parse(`${date}T00:00:00Z`);
        (listings as IndexedListing[])[doc] = { ...listing, assuredMs: ms,
            opportunity: { ...listing.opportunity, assured_date: date } };
        assuredMs[doc] = ms;
    }
    const { hidden: _before, ...rest } = index;
    return { ...rest, listings, columns: { ...index.columns, assuredMs }, ...(hidden ? { hidden } : {}) };
}
