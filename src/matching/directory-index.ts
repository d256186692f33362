/**
 * The directory, prepared once for fast ranking: an inverted index from stemmed words to listings (so a query
 * touches only the listings that share a word with it, not all 10,000), listings by need, and per-listing facts
 * (point on the map, free or not, how people take part) worked out once instead of on every chat turn.
 */
import type { Opportunity } from '../knowledge/schema';
import { withTuning } from './config';
import type { MatchingTuning, TuningOverrides } from './config';
import type { LatLng } from './geo';
import { parsePostcode } from './postcode';
import { terms } from './terms';
import { withWording } from './why';
import type { WhyWording } from './why';

/** One listing and the facts the ranker needs about it. */
export interface IndexedListing {
    readonly opportunity: Opportunity;
    /** Where it happens: the listing's coordinates, else the centre of its postcode district, else unknown. */
    readonly point?: LatLng;
    /** No price, or every price is 0. */
    readonly free: boolean;
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
}

/** A listing that contains a term, and how often (weighted by field). */
export interface Posting {
    readonly doc: number;
    readonly tf: number;
}

/** What buildDirectoryIndex returns; pass it to rankOpportunities. Read-only after it is built. */
export interface DirectoryIndex {
    readonly listings: readonly IndexedListing[];
    readonly postings: ReadonlyMap<string, readonly Posting[]>;
    /** Need id -> positions in `listings` of the listings that help with it. */
    readonly byNeed: ReadonlyMap<string, readonly number[]>;
    readonly averageLength: number;
    readonly needLabels: ReadonlyMap<string, string>;
    readonly wording: Readonly<WhyWording>;
    readonly tuning: Readonly<MatchingTuning>;
}

/** Options of buildDirectoryIndex. */
export interface DirectoryIndexOptions {
    /** Need id -> the words residents read in "helps with: ..." (from the need taxonomy). Default: the id. */
    needLabels?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
    /** Outcode centroids, to place listings that have a postcode but no coordinates. */
    outcodes?: ReadonlyMap<string, LatLng>;
    tuning?: TuningOverrides;
    wording?: Partial<WhyWording>;
}

function pointOf(opportunity: Opportunity, outcodes?: ReadonlyMap<string, LatLng>): LatLng | undefined {
    const location = opportunity.location;
    if (location?.latitude !== undefined && location.longitude !== undefined) {
        return { latitude: location.latitude, longitude: location.longitude };
    }
    const parsed = location?.postal_code ? parsePostcode(location.postal_code) : undefined;
    return parsed && outcodes?.get(parsed.outcode);
}

function describeListing(
    opportunity: Opportunity,
    length: number,
    outcodes?: ReadonlyMap<string, LatLng>,
): IndexedListing {
    const attending = opportunity.attending_type;
    const amounts = opportunity.cost_options.map((c) => c.amount);
    const point = pointOf(opportunity, outcodes);
    return {
        opportunity,
        ...(point ? { point } : {}),
        free: amounts.every((a) => a === 0),
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

/** Builds the index once, at start-up or after the directory changes. Pure: the opportunities are not changed. */
export function buildDirectoryIndex(
    opportunities: readonly Opportunity[],
    options: DirectoryIndexOptions = {},
): DirectoryIndex {
    const tuning = withTuning(options.tuning);
    const boosts = tuning.fieldBoosts;
    const postings = new Map<string, Posting[]>();
    const byNeed = new Map<string, number[]>();
    const listings: IndexedListing[] = [];
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
            let list = postings.get(term);
            if (!list) {
                list = [];
                postings.set(term, list);
            }
            list.push({ doc, tf });
        }
        for (const need of new Set(opportunity.needs)) {
            let list = byNeed.get(need);
            if (!list) {
                list = [];
                byNeed.set(need, list);
            }
            list.push(doc);
        }
        totalLength += length;
        listings.push(describeListing(opportunity, length, options.outcodes));
    });

    const labels = options.needLabels;
    const needLabels = labels instanceof Map ? new Map(labels) : new Map(Object.entries(labels ?? {}));
    return {
        listings,
        postings,
        byNeed,
        averageLength: listings.length > 0 ? totalLength / listings.length : 0,
        needLabels,
        wording: withWording(options.wording),
        tuning,
    };
}
