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
    /** Days they said no to ("not Sundays"): sessions only then are filtered out, and never given as a reason. */
    notDays?: DayCode[];
    /** Parts of the day they said no to ("not evenings"). */
    notTimes?: TimeOfDay[];
    /** They want to go out to something in person ("somewhere I could go out to"): not phone, online or at home. */
    goOut?: boolean;
    /** They do not want it on the phone ("not on the phone", "hard of hearing"): phone-only listings go. */
    noPhone?: boolean;
    /** They said they can pay: cost is then no reason to prefer one listing, and "free" is not said as if asked. */
    canPay?: boolean;
    /** What they said about themselves that eligibility can rule out: see wishes.ts (Who). */
    who?: Who;
}

/** What a resident said about who they are, read from their words, for listings' eligibility (wishes.ts). */
export interface Who {
    /** An age they gave ("I'm 24"). */
    age?: number;
    /** They said they are young or a parent of small children ("young mum", "my toddler", "student"). */
    young?: boolean;
    /** They said they are a child, or asked for a child ("I'm 13", "my son"): children's services are for them. */
    child?: boolean;
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
    /** The same reasons with their kinds, so the bot can write them as a sentence (not part of `match --json`). */
    reasons?: Reason[];
    distanceKm?: number;
    /** Placed only by its postcode district, the resident's own: say "in your area", not "0.0 km away". */
    inYourArea?: boolean;
}

/** Kinds of reason: the bot writes `note`s (a GP referral, who it is for, check first) as sentences of their own. */
export type ReasonKind = 'need' | 'near' | 'words' | 'free' | 'price' | 'where' | 'visit' | 'covers' | 'when'
    | 'access' | 'welcome' | 'checked' | 'note';

/** One reason a listing was offered, or one thing to know about it. */
export interface Reason {
    kind: ReasonKind;
    text: string;
}

export interface RankOutcome {
    results: RankedResult[];
    widened: RelaxableFilter[];
}
