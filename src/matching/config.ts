/**
 * Every tunable number of place resolution and ranking, in one frozen object (as Fuse.js keeps its defaults in
 * `core/config.ts`). Change a number here, not in the functions that use it.
 */

/** How much each part of the score counts. Parts that do not apply to a query drop out and the rest share the total. */
export interface RankWeights {
    /** The opportunity helps with the needs we detected. */
    need: number;
    /** The resident's own words appear in the listing. */
    text: number;
    /** Distance, cost, days and times, access and welcome features fit what the resident said. */
    prefs: number;
    /** The listing was checked recently. */
    fresh: number;
}

/** Field boosts for text relevance: a word in the name says more than a word deep in the description. */
export interface FieldBoosts {
    name: number;
    keywords: number;
    summary: number;
    organization: number;
    description: number;
}

/** All tunables of the matching functions. */
export interface MatchingTuning {
    /** Results per page when the caller gives no limit. */
    limit: number;
    /** A firm place means "within this many km" unless it has to be relaxed. */
    maxDistanceKm: number;
    /** Distance at which the distance fit falls to one half: 0 km fits 1, this fits 0.5, three times this 0.25. */
    halfFitKm: number;
    /** Fit of an online or phone listing when the resident has not said whether online is fine. */
    remoteUnsureFit: number;
    /** Fit of an in-person listing we cannot place on the map. */
    unknownDistanceFit: number;
    /** Largest price (GBP) we still call cheap, and how well cheap and dearer listings fit. */
    cheapAmount: number;
    cheapFit: number;
    paidFit: number;
    /** Fit of a listing with no regular times ("contact them"), which can usually be arranged. */
    noScheduleFit: number;
    /** A listing not checked for longer than this is stale. */
    staleAfterDays: number;
    /** Freshness fit just after going stale; it then falls to 0 over `staleFadeDays`. */
    staleFit: number;
    staleFadeDays: number;
    weights: Readonly<RankWeights>;
    /**
     * How much being the kind of service the resident named counts ("tai chi", "council tax"), beside the weights
     * (which sum to 1): large, so listings of that kind come first even when many others share the broad need.
     */
    typeWeight: number;
    /**
     * The preference fit a listing of no relevance keeps: a listing's fit counts in proportion to its relevance,
     * from this neutral fit (so a fit below it lowers a score, above it raises one).
     */
    neutralFit: number;
    /** How much a need counts when it is not the opportunity's first (main) need. The first counts 1. */
    laterNeedWeight: number;
    /** A listing that matches no need is only offered when its text relevance is at least this (0..1). */
    minTextOnlyRelevance: number;
    /** BM25 term-frequency saturation and length normalisation. */
    bm25K1: number;
    bm25B: number;
    fieldBoosts: Readonly<FieldBoosts>;
    /** Fuse.js threshold for place names (0 exact .. 1 anything); 0.3 lets "eastfeild" find "Eastfield". */
    placeFuzzyThreshold: number;
    /** Words shorter than this are never fuzzy-matched to a place: "in" and "the" must not find a town. */
    placeMinFuzzyLength: number;
    /**
     * Only this many words of a sentence are searched for a place name. An answer to "where are you?" is short; a
     * pasted page would otherwise cost a fuzzy search per word (seconds for 100 KB).
     */
    placeMaxWords: number;
    /** A listing whose eligibility clearly leaves the resident out (children's, over-60s for a young parent) keeps
     * this share of its score: ranked down, not hidden, and said. */
    mismatchFactor: number;
    /** A listing only for the people of a town this far or more from the resident's place is ranked down. */
    catchmentKm: number;
    /** A listing only open by referral (a GP's, a health visitor's) keeps this share: below ones you can just go to. */
    referralFactor: number;
    /**
     * A listing whose words read like a business or a one-off event (a shop, an alarm company, a gig: `looks_like`,
     * set by the importer) keeps this share of its score, unless the resident named a kind of thing it is: a general
     * question ("things for older people to do") gets services first, and a resident who asks for a personal alarm
     * still finds the company that sells one.
     */
    notAServiceFactor: number;
    /**
     * "Near you", for the first page (RankQuery.nearbySlot): within this many km, about a 20-minute walk, the
     * distance a link worker means by "near" for someone who may not drive. When nothing on the first page is this
     * near, the page offers one that is.
     */
    nearKm: number;
}

/** The defaults. Frozen all the way down so no caller can change them for everyone else. */
export const DEFAULTS: Readonly<MatchingTuning> = Object.freeze({
    limit: 5,
    maxDistanceKm: 15,
    halfFitKm: 3,
    remoteUnsureFit: 0.5,
    unknownDistanceFit: 0.4,
    cheapAmount: 3,
    cheapFit: 0.6,
    paidFit: 0.3,
    noScheduleFit: 0.5,
    staleAfterDays: 365,
    staleFit: 0.5,
    staleFadeDays: 730,
    weights: Object.freeze({ need: 0.55, text: 0.3, prefs: 0.2, fresh: 0.1 }),
    typeWeight: 1,
    neutralFit: 0.5,
    laterNeedWeight: 0.6,
    minTextOnlyRelevance: 0.25,
    bm25K1: 1.2,
    bm25B: 0.75,
    fieldBoosts: Object.freeze({ name: 3, keywords: 2, summary: 1.5, organization: 1, description: 1 }),
    placeFuzzyThreshold: 0.3,
    placeMinFuzzyLength: 4,
    placeMaxWords: 40,
    mismatchFactor: 0.5,
    referralFactor: 0.75,
    notAServiceFactor: 0.6,
    catchmentKm: 5,
    nearKm: 1.5,
});

/** Defaults with some values replaced; nested objects are merged, so `{ weights: { text: 0.3 } }` keeps the rest. */
export function withTuning(overrides?: TuningOverrides): Readonly<MatchingTuning> {
    if (!overrides) {
        return DEFAULTS;
    }
    return Object.freeze({
        ...DEFAULTS,
        ...overrides,
        weights: Object.freeze({ ...DEFAULTS.weights, ...overrides.weights }),
        fieldBoosts: Object.freeze({ ...DEFAULTS.fieldBoosts, ...overrides.fieldBoosts }),
    });
}

/** Partial tunables, as callers and tests pass them. */
export type TuningOverrides = Partial<Omit<MatchingTuning, 'weights' | 'fieldBoosts'>> & {
    weights?: Partial<RankWeights>;
    fieldBoosts?: Partial<FieldBoosts>;
};
