/**
 * Plain data shared by the matching functions, the dialogs and the command line. No botbuilder, no I/O.
 */
import type { AccessFeature, DayCode, TimeOfDay, WelcomeFeature } from '../knowledge/schema';

/** One detected need with a score in 0..1 and the words that suggested it. */
export interface NeedScore {
    id: string;
    score: number;
    evidence: string[];
}

/** A point a resident gave us, resolved offline. `label` is what we say back ("BS5", "Eastfield"). */
export interface ResolvedPlace {
    label: string;
    latitude: number;
    longitude: number;
    outcode?: string;
}

/** What a resident told us about how they want to take part. Every field is optional: questions can be skipped. */
export interface Preferences {
    place?: ResolvedPlace;
    /** "online is fine": online and phone opportunities count as near. */
    onlineOk?: boolean;
    /** Only online or phone, never in person. */
    onlineOnly?: boolean;
    days?: DayCode[];
    times?: TimeOfDay[];
    freeOnly?: boolean;
    access?: AccessFeature[];
    /** Worries the resident named; matched against listings' welcome features. */
    worries?: WelcomeFeature[];
}

/** The filters the ranker may relax, least important first. */
export const RELAXABLE_FILTERS = ['time', 'day', 'distance', 'cost', 'online', 'access'] as const;
export type RelaxableFilter = (typeof RELAXABLE_FILTERS)[number];

/** One ranked opportunity and why it was offered. */
export interface RankedResult {
    id: string;
    name: string;
    needs: string[];
    score: number;
    why: string[];
    distanceKm?: number;
}

export interface RankOutcome {
    results: RankedResult[];
    widened: RelaxableFilter[];
}
