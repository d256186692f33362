/**
 * How well one listing fits what the resident said about taking part: the hard filters (only what they were firm
 * about) and the soft fit in 0..1 that orders what passes. Distance, online, cost, days and times, access, welcome,
 * and how recently the listing was checked.
 *
 * The preferences are compiled once per query (planFit); each listing is then judged from the index's typed arrays
 * by position, with no allocation, because a query may judge tens of thousands of listings.
 */
import type { AccessFeature, DayCode, TimeOfDay } from '../knowledge/schema';
import { DAY_CODES, TIMES_OF_DAY } from '../knowledge/schema';
import type { MatchingTuning } from './config';
import { accessBit, FLAG, slotBit, VENUE_FEATURES, welcomeBit } from './directory-index';
import type { IndexedListing, ListingColumns } from './directory-index';
import { cosLatitude, EARTH_RADIUS_KM, haversineKmCos } from './geo';
import type { Preferences, RelaxableFilter } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const REMOTE = FLAG.online | FLAG.phone;
const COMES_TO_YOU = FLAG.homeVisit | FLAG.areaNoVenue;
const IN_PERSON_OR_VISIT = FLAG.inPerson | FLAG.homeVisit;

/** How a listing reaches the resident, worked out once per query. */
export interface Reach {
    /** km from the resident's place to the venue, when both are known. */
    km?: number;
    /** Online or phone, and the resident said that is fine. */
    remoteOk: boolean;
    /** Comes to the resident: home visits, or an in-person service across an area with no single venue. */
    comesToYou: boolean;
}

/** The filters of one pass: what is still firm after relaxing some. */
export interface FilterPass {
    /** Slots (see slotBit) a session must meet, when days or times are still firm; else undefined. */
    readonly whenBits?: number;
    readonly distance: boolean;
    readonly cost: boolean;
    readonly online: boolean;
    readonly access: boolean;
}

/** A resident's preferences, compiled once per query. */
export interface FitPlan {
    readonly prefs: Preferences;
    readonly tuning: Readonly<MatchingTuning>;
    /** The resident's place, NaN when unknown. */
    readonly latitude: number;
    readonly longitude: number;
    readonly cosLatitude: number;
    /** Online or phone counts as near. */
    readonly remoteOk: boolean;
    /** Slots the resident asked for (days and times unrelaxed), for the soft fit; undefined when they gave none. */
    readonly whenBits?: number;
    /** The bit of each access feature and worry asked for, repeats kept so shares match the lists. */
    readonly accessBits: readonly number[];
    readonly worryBits: readonly number[];
    /** Whether any preference gives a soft fit; when none does the part drops out of the score. */
    readonly hasFit: boolean;
}

/** Slots of the days and times asked for; an empty list means any. Unknown values match nothing. */
function whenMask(days: readonly DayCode[], times: readonly TimeOfDay[]): number {
    let bits = 0;
    for (const day of days.length > 0 ? days : DAY_CODES) {
        for (const time of times.length > 0 ? times : TIMES_OF_DAY) {
            bits |= slotBit(day, time);
        }
    }
    return bits;
}

/** Slots ruled out: every part of a day said no to, and every day's part of the day said no to. */
function excludedMask(notDays: readonly DayCode[], notTimes: readonly TimeOfDay[]): number {
    let bits = 0;
    for (const day of notDays) {
        bits |= whenMask([day], []);
    }
    for (const time of notTimes) {
        bits |= whenMask([], [time]);
    }
    return bits;
}

/**
 * Slots a session must meet: those asked for, less those ruled out ("not Sundays"); undefined when the resident said
 * nothing about days or times.
 */
function asked(days: readonly DayCode[], times: readonly TimeOfDay[], notDays: readonly DayCode[] = [],
    notTimes: readonly TimeOfDay[] = []): number | undefined {
    const excluded = excludedMask(notDays, notTimes);
    if (days.length === 0 && times.length === 0 && excluded === 0) {
        return undefined;
    }
    return whenMask(days, times) & ~excluded;
}

/** Whether the resident said anything that limits how they take part (online, phone, going out). */
function limitsHow(prefs: Preferences): boolean {
    return prefs.onlineOnly === true || prefs.onlineOk === false || prefs.goOut === true || prefs.noPhone === true;
}

/** Compiles the preferences of one query. */
export function planFit(prefs: Preferences, tuning: Readonly<MatchingTuning>): FitPlan {
    const place = prefs.place;
    const whenBits = asked(prefs.days ?? [], prefs.times ?? [], prefs.notDays, prefs.notTimes);
    const accessBits = (prefs.access ?? []).map(accessBit);
    const worryBits = (prefs.worries ?? []).map(welcomeBit);
    return {
        prefs,
        tuning,
        latitude: place ? place.latitude : NaN,
        longitude: place ? place.longitude : NaN,
        cosLatitude: place ? cosLatitude(place.latitude) : NaN,
        remoteOk: prefs.onlineOk === true || prefs.onlineOnly === true,
        ...(whenBits !== undefined ? { whenBits } : {}),
        accessBits,
        worryBits,
        hasFit: place !== undefined || limitsHow(prefs) || prefs.freeOnly === true
            || whenBits !== undefined || accessBits.length > 0 || worryBits.length > 0,
    };
}

/** The filters the resident was firm about, in the order given (RELAXABLE_FILTERS: least important first). */
export function activeFilters(prefs: Preferences, order: readonly RelaxableFilter[]): RelaxableFilter[] {
    const active: Record<RelaxableFilter, boolean> = {
        time: (prefs.times?.length ?? 0) > 0 || (prefs.notTimes?.length ?? 0) > 0,
        day: (prefs.days?.length ?? 0) > 0 || (prefs.notDays?.length ?? 0) > 0,
        distance: prefs.place !== undefined,
        cost: prefs.freeOnly === true,
        online: limitsHow(prefs),
        access: (prefs.access?.length ?? 0) > 0,
    };
    return order.filter((filter) => active[filter]);
}

/** The filters still firm once `relaxed` are dropped. */
export function filterPass(plan: FitPlan, relaxed: ReadonlySet<RelaxableFilter>): FilterPass {
    const { prefs } = plan;
    const noDay = relaxed.has('day');
    const noTime = relaxed.has('time');
    const whenBits = asked(noDay ? [] : (prefs.days ?? []), noTime ? [] : (prefs.times ?? []),
        noDay ? [] : prefs.notDays, noTime ? [] : prefs.notTimes);
    return {
        ...(whenBits !== undefined ? { whenBits } : {}),
        distance: !relaxed.has('distance') && prefs.place !== undefined,
        cost: !relaxed.has('cost') && prefs.freeOnly === true,
        online: !relaxed.has('online') && limitsHow(prefs),
        access: !relaxed.has('access') && plan.accessBits.length > 0,
    };
}

/** km from the resident to a listing; NaN when either has no point. */
export function distanceKm(columns: ListingColumns, doc: number, plan: FitPlan): number {
    return haversineKmCos(plan.latitude, plan.longitude, plan.cosLatitude,
        columns.latitude[doc] as number, columns.longitude[doc] as number, columns.cosLatitude[doc] as number);
}

/**
 * Whether a listing is certainly further than `km` from the resident, without trigonometry: a great circle is never
 * shorter than the difference in latitude. Lets the ranker skip most far listings' distances altogether.
 */
export function surelyBeyond(columns: ListingColumns, doc: number, plan: FitPlan, km: number): boolean {
    const dLat = Math.abs((columns.latitude[doc] as number) - plan.latitude);
    return (dLat * Math.PI * EARTH_RADIUS_KM) / 180 > km * 1.000001;
}

function accessCount(bits: number, asked: readonly number[]): number {
    let met = 0;
    for (const bit of asked) {
        if ((bits & bit) !== 0) {
            met++;
        }
    }
    return met;
}

/** Whether a listing at `km` (NaN: unknown) passes every filter still firm in `pass`. */
export function passes(columns: ListingColumns, doc: number, km: number, plan: FitPlan, pass: FilterPass): boolean {
    const flags = columns.flags[doc] as number;
    // Days and times are checked together: a Tuesday afternoon and a Wednesday morning do not make a Tuesday morning.
    if (pass.whenBits !== undefined && (flags & FLAG.scheduled) !== 0
        && ((columns.slots[doc] as number) & pass.whenBits) === 0) {
        return false;
    }
    if (pass.distance && km > plan.tuning.maxDistanceKm
        && !(plan.remoteOk && (flags & REMOTE) !== 0) && (flags & COMES_TO_YOU) === 0) {
        return false;
    }
    if (pass.cost && (flags & (FLAG.free | FLAG.costUnknown)) === 0) {
        return false;
    }
    if (pass.online) {
        if (plan.prefs.onlineOnly === true && (flags & REMOTE) === 0) {
            return false;
        }
        if (plan.prefs.onlineOk === false && (flags & IN_PERSON_OR_VISIT) === 0) {
            return false;
        }
        if (plan.prefs.goOut === true && !isPlaceToGo(flags)) {
            return false;
        }
        if (plan.prefs.noPhone === true && isPhoneOnly(flags)) {
            return false;
        }
    }
    return !pass.access || accessCount(columns.access[doc] as number, plan.accessBits) === plan.accessBits.length;
}

/** Somewhere to go out to: in person, at a venue (not only across an area, where someone comes to you). */
function isPlaceToGo(flags: number): boolean {
    return (flags & FLAG.inPerson) !== 0 && (flags & FLAG.areaNoVenue) === 0;
}

/** Taken part in by phone and no other way. */
function isPhoneOnly(flags: number): boolean {
    return (flags & FLAG.phone) !== 0 && (flags & (FLAG.inPerson | FLAG.online | FLAG.homeVisit)) === 0;
}

/** Closer is better: 1 next door, 0.5 at halfFitKm; anything that reaches the resident where they are counts as 1. */
function distanceFit(flags: number, km: number, plan: FitPlan): number {
    if ((plan.remoteOk && (flags & REMOTE) !== 0) || (flags & COMES_TO_YOU) !== 0) {
        return 1;
    }
    if (!Number.isNaN(km)) {
        return 1 / (1 + km / plan.tuning.halfFitKm);
    }
    return (flags & FLAG.inPerson) !== 0 ? plan.tuning.unknownDistanceFit : plan.tuning.remoteUnsureFit;
}

/** Mean fit over the preferences the resident gave; only meaningful when plan.hasFit. */
export function preferenceFit(columns: ListingColumns, doc: number, km: number, plan: FitPlan): number {
    const { prefs, tuning } = plan;
    const flags = columns.flags[doc] as number;
    let sum = 0;
    let count = 0;
    if (prefs.place) {
        sum += distanceFit(flags, km, plan);
        count++;
    }
    if (prefs.onlineOnly === true) {
        sum += (flags & REMOTE) !== 0 ? 1 : 0;
        count++;
    } else if (prefs.goOut === true) {
        sum += isPlaceToGo(flags) ? 1 : 0;
        count++;
    } else if (prefs.onlineOk === false) {
        sum += (flags & IN_PERSON_OR_VISIT) !== 0 ? 1 : 0;
        count++;
    }
    if (prefs.noPhone === true) {
        sum += isPhoneOnly(flags) ? 0 : 1;
        count++;
    }
    if (prefs.freeOnly === true) {
        sum += (flags & FLAG.free) !== 0 ? 1
            : (flags & FLAG.costUnknown) !== 0 || (columns.lowestCost[doc] as number) <= tuning.cheapAmount
                ? tuning.cheapFit : tuning.paidFit;
        count++;
    }
    if (plan.whenBits !== undefined) {
        sum += (flags & FLAG.scheduled) === 0 ? tuning.noScheduleFit
            : ((columns.slots[doc] as number) & plan.whenBits) !== 0 ? 1 : 0;
        count++;
    }
    if (plan.accessBits.length > 0) {
        sum += accessCount(columns.access[doc] as number, plan.accessBits) / plan.accessBits.length;
        count++;
    }
    if (plan.worryBits.length > 0) {
        sum += accessCount(columns.welcome[doc] as number, plan.worryBits) / plan.worryBits.length;
        count++;
    }
    return count > 0 ? sum / count : 0;
}

/** 1 while fresh; staleFit just after going stale, falling to 0 over staleFadeDays. */
export function freshnessFit(assuredMs: number, todayMs: number, tuning: Readonly<MatchingTuning>): number {
    const overDays = (todayMs - assuredMs) / DAY_MS - tuning.staleAfterDays;
    return overDays <= 0 ? 1 : tuning.staleFit * Math.max(0, 1 - overDays / tuning.staleFadeDays);
}

/** The reach of one listing, for explaining a result. */
export function reachAt(columns: ListingColumns, doc: number, km: number, plan: FitPlan): Reach {
    const flags = columns.flags[doc] as number;
    const reach: Reach = {
        remoteOk: plan.remoteOk && (flags & REMOTE) !== 0,
        comesToYou: (flags & COMES_TO_YOU) !== 0,
    };
    if (!Number.isNaN(km)) {
        reach.km = km;
    }
    return reach;
}

/** Whether the listing meets an access feature (venue features count as met without a venue). */
function meetsAccess(listing: IndexedListing, feature: AccessFeature): boolean {
    return listing.opportunity.accessibility.includes(feature) || (!listing.inPerson && VENUE_FEATURES.has(feature));
}

/** The requested access features this listing meets. */
export function accessMet(listing: IndexedListing, prefs: Preferences): AccessFeature[] {
    return (prefs.access ?? []).filter((feature) => meetsAccess(listing, feature));
}

/** True when the listing was last checked longer ago than staleAfterDays. */
export function isStale(listing: IndexedListing, todayMs: number, tuning: Readonly<MatchingTuning>): boolean {
    return (todayMs - listing.assuredMs) / DAY_MS > tuning.staleAfterDays;
}
