/**
 * How well one listing fits what the resident said about taking part: the hard filters (only what they were firm
 * about) and the soft fit in 0..1 that orders what passes. Distance, online, cost, days and times, access, welcome,
 * and how recently the listing was checked.
 */
import type { AccessFeature } from '../knowledge/schema';
import type { MatchingTuning } from './config';
import type { IndexedListing } from './directory-index';
import { haversineKm } from './geo';
import { whenFit } from './schedule';
import type { Preferences, RelaxableFilter } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Venue features: they do not matter for a listing that never meets in a venue (online, phone, home visits). */
const VENUE_FEATURES: ReadonlySet<AccessFeature> = new Set(
    ['wheelchair', 'hearing-loop', 'quiet-space', 'accessible-toilet'],
);

/** How a listing reaches the resident, worked out once per query. */
export interface Reach {
    /** km from the resident's place to the venue, when both are known. */
    km?: number;
    /** Online or phone, and the resident said that is fine. */
    remoteOk: boolean;
    /** Comes to the resident: home visits, or an in-person service across an area with no single venue. */
    comesToYou: boolean;
}

/** Works out the reach of a listing for these preferences. */
export function reachOf(listing: IndexedListing, prefs: Preferences): Reach {
    const remote = listing.online || listing.phone;
    const reach: Reach = {
        remoteOk: remote && (prefs.onlineOk === true || prefs.onlineOnly === true),
        comesToYou: listing.homeVisit || (listing.inPerson && listing.areaServed !== undefined && !listing.point),
    };
    if (prefs.place && listing.point) {
        reach.km = haversineKm(prefs.place, listing.point);
    }
    return reach;
}

/** Whether the listing meets every requested access feature (venue features count as met without a venue). */
function meetsAccess(listing: IndexedListing, feature: AccessFeature): boolean {
    return listing.opportunity.accessibility.includes(feature) || (!listing.inPerson && VENUE_FEATURES.has(feature));
}

/** The requested access features this listing meets. */
export function accessMet(listing: IndexedListing, prefs: Preferences): AccessFeature[] {
    return (prefs.access ?? []).filter((feature) => meetsAccess(listing, feature));
}

/** The filters the resident was firm about, in RELAXABLE_FILTERS order. */
export function activeFilters(prefs: Preferences, order: readonly RelaxableFilter[]): RelaxableFilter[] {
    const active: Record<RelaxableFilter, boolean> = {
        time: (prefs.times?.length ?? 0) > 0,
        day: (prefs.days?.length ?? 0) > 0,
        distance: prefs.place !== undefined,
        cost: prefs.freeOnly === true,
        online: prefs.onlineOnly === true || prefs.onlineOk === false,
        access: (prefs.access?.length ?? 0) > 0,
    };
    return order.filter((filter) => active[filter]);
}

/** Whether a listing passes every filter not yet relaxed. */
export function passesFilters(
    listing: IndexedListing,
    reach: Reach,
    prefs: Preferences,
    relaxed: ReadonlySet<RelaxableFilter>,
    tuning: Readonly<MatchingTuning>,
): boolean {
    const days = relaxed.has('day') ? [] : (prefs.days ?? []);
    const times = relaxed.has('time') ? [] : (prefs.times ?? []);
    // Days and times are checked together: a Tuesday afternoon and a Wednesday morning do not make a Tuesday morning.
    if ((days.length > 0 || times.length > 0) && whenFit(listing.opportunity.schedules, days, times) === 'misses') {
        return false;
    }
    if (!relaxed.has('distance') && reach.km !== undefined && reach.km > tuning.maxDistanceKm
        && !reach.remoteOk && !reach.comesToYou) {
        return false;
    }
    if (!relaxed.has('cost') && prefs.freeOnly === true && !listing.free) {
        return false;
    }
    if (!relaxed.has('online')) {
        if (prefs.onlineOnly === true && !(listing.online || listing.phone)) {
            return false;
        }
        if (prefs.onlineOk === false && !(listing.inPerson || listing.homeVisit)) {
            return false;
        }
    }
    if (!relaxed.has('access') && accessMet(listing, prefs).length < (prefs.access?.length ?? 0)) {
        return false;
    }
    return true;
}

/** Closer is better: 1 next door, 0.5 at halfFitKm; anything that reaches the resident where they are counts as 1. */
function distanceFit(listing: IndexedListing, reach: Reach, tuning: Readonly<MatchingTuning>): number {
    if (reach.remoteOk || reach.comesToYou) {
        return 1;
    }
    if (reach.km !== undefined) {
        return 1 / (1 + reach.km / tuning.halfFitKm);
    }
    return listing.inPerson ? tuning.unknownDistanceFit : tuning.remoteUnsureFit;
}

/** Mean fit over the preferences the resident gave; undefined when they gave none, so the part drops out. */
export function preferenceFit(
    listing: IndexedListing,
    reach: Reach,
    prefs: Preferences,
    tuning: Readonly<MatchingTuning>,
): number | undefined {
    const fits: number[] = [];
    if (prefs.place) {
        fits.push(distanceFit(listing, reach, tuning));
    }
    if (prefs.onlineOnly === true) {
        fits.push(listing.online || listing.phone ? 1 : 0);
    } else if (prefs.onlineOk === false) {
        fits.push(listing.inPerson || listing.homeVisit ? 1 : 0);
    }
    if (prefs.freeOnly === true) {
        fits.push(listing.free ? 1 : listing.lowestCost <= tuning.cheapAmount ? tuning.cheapFit : tuning.paidFit);
    }
    if ((prefs.days?.length ?? 0) > 0 || (prefs.times?.length ?? 0) > 0) {
        const when = whenFit(listing.opportunity.schedules, prefs.days, prefs.times);
        fits.push(when === 'fits' ? 1 : when === 'arranged' ? tuning.noScheduleFit : 0);
    }
    const access = prefs.access ?? [];
    if (access.length > 0) {
        fits.push(accessMet(listing, prefs).length / access.length);
    }
    const worries = prefs.worries ?? [];
    if (worries.length > 0) {
        fits.push(worries.filter((w) => listing.opportunity.welcome.includes(w)).length / worries.length);
    }
    return fits.length > 0 ? fits.reduce((sum, fit) => sum + fit, 0) / fits.length : undefined;
}

/** True when the listing was last checked longer ago than staleAfterDays. */
export function isStale(listing: IndexedListing, todayMs: number, tuning: Readonly<MatchingTuning>): boolean {
    return (todayMs - listing.assuredMs) / DAY_MS > tuning.staleAfterDays;
}

/** 1 while fresh; staleFit just after going stale, falling to 0 over staleFadeDays. */
export function freshnessFit(listing: IndexedListing, todayMs: number, tuning: Readonly<MatchingTuning>): number {
    const overDays = (todayMs - listing.assuredMs) / DAY_MS - tuning.staleAfterDays;
    return overDays <= 0 ? 1 : tuning.staleFit * Math.max(0, 1 - overDays / tuning.staleFadeDays);
}
