/**
 * The `why` of one ranked listing: short plain phrases, most important first, e.g. ["helps with: feeling lonely",
 * "free", "1.2 km away", "Tuesday mornings", "wheelchair access", "last checked September 2026"], each with its kind
 * so the bot can say them as a sentence. Never against what the resident said: no "free" for someone who can pay,
 * no day they ruled out; and things to know first (a GP referral, who it is for) are said as notes.
 */
import type { DayCode, TimeOfDay } from '../knowledge/schema';
import { DAY_CODES, TIMES_OF_DAY } from '../knowledge/schema';
import type { DirectoryIndex, IndexedListing } from './directory-index';
import type { Mismatch } from './eligibility';
import { accessMet, isStale } from './fit';
import type { Reach } from './fit';
import { describeSlot, fittingSlot, joinAnd } from './schedule';
import type { NeedScore, Preferences, Reason, ReasonKind } from './types';
import { fill, formatKm, formatPounds, monthYear } from './why';

/** What explain needs to know about one listing in one query. */
export interface ExplainInput {
    listing: IndexedListing;
    reach: Reach;
    prefs: Preferences;
    /** The query's needs this listing helps with, in the query's order. */
    needsMet: readonly NeedScore[];
    /** The resident's words found in the listing; shown only when no need explains the match. */
    words: readonly string[];
    todayMs: number;
    /** Why its eligibility leaves this resident out, when it does. */
    mismatch?: Mismatch;
    /** The results are for someone else (issue 18): say "near them", not "near you". */
    them?: boolean;
}

/** The phrases for this query: about "them" when it is made on someone else's behalf. */
export function whyWordingOf(index: DirectoryIndex, them: boolean | undefined) {
    return them ? index.wordingThem : index.wording;
}

/** A need's words in a reason: about "them" where the need has such words, else its usual ones, else its id. */
export function needLabelOf(index: DirectoryIndex, id: string, them: boolean | undefined): string {
    return (them ? index.needLabelsThem.get(id) : undefined) ?? index.needLabels.get(id) ?? id.replace(/-/g, ' ');
}

/** Below this, two points are one postcode district's centre: the listing is placed no closer than that. */
const SAME_DISTRICT_KM = 0.05;

/**
 * Whether to say "in your area" rather than a distance: the listing is placed only by its postcode district and the
 * resident is in the same one, so "0.0 km away" would claim a precision nobody has.
 */
export function inYourArea(listing: IndexedListing, km: number): boolean {
    return listing.approximate && km < SAME_DISTRICT_KM;
}

function wherePhrase(index: DirectoryIndex, { listing, reach, them }: ExplainInput): Reason | undefined {
    const wording = whyWordingOf(index, them);
    const remote = listing.online && listing.phone ? wording.onlineOrPhone
        : listing.online ? wording.online : listing.phone ? wording.phone : undefined;
    const where = (text: string, kind: ReasonKind = 'where'): Reason => ({ kind, text });
    if (listing.homeVisit) {
        return where(wording.homeVisit, 'visit');
    }
    if (reach.km !== undefined && inYourArea(listing, reach.km)) {
        return where(wording.inYourArea);
    }
    if (reach.km !== undefined && reach.km <= index.tuning.maxDistanceKm) {
        return where(fill(wording.kmAway, { km: formatKm(reach.km) }));
    }
    if (reach.remoteOk && remote) {
        return where(remote);
    }
    if (reach.comesToYou && listing.areaServed) {
        return where(fill(wording.covers, { area: listing.areaServed }), 'covers');
    }
    if (reach.km !== undefined) {
        return where(fill(wording.kmAway, { km: formatKm(reach.km) }));
    }
    // Not in person at all: say how, so nobody expects a venue.
    return listing.inPerson || !remote ? undefined : where(remote);
}

/** The days (or times) to look for a session in: those asked for, else every one not ruled out. */
function allowed<T extends DayCode | TimeOfDay>(asked: readonly T[] | undefined, all: readonly T[],
    ruledOut: readonly T[] | undefined): T[] {
    if (asked?.length) return [...asked];
    return ruledOut?.length ? all.filter((x) => !ruledOut.includes(x)) : [];
}

/** What to know before going: a referral, or who it is for when that leaves the resident out. */
function notes(index: DirectoryIndex, input: ExplainInput): Reason[] {
    const wording = whyWordingOf(index, input.them);
    const out: Reason[] = [];
    const mismatch = input.mismatch;
    if (mismatch?.kind === 'children') out.push({ kind: 'note', text: wording.forChildren });
    if (mismatch?.kind === 'ages') {
        const ages = { min: String(mismatch.min), max: String(mismatch.max) };
        out.push({ kind: 'note', text: fill(wording.forAges, ages) });
    }
    if (mismatch?.kind === 'over') {
        out.push({ kind: 'note', text: fill(wording.forOver, { min: String(mismatch.min) }) });
    }
    if (mismatch?.kind === 'place') {
        out.push({ kind: 'note', text: fill(wording.forPlace, { place: mismatch.place }) });
    }
    const referral = input.listing.eligibility.referral;
    if (referral) out.push({ kind: 'note', text: referral === 'gp' ? wording.referralGp : wording.referral });
    return out;
}

/** Builds the reasons for one listing, with their kinds; `why` is their words. */
export function explain(index: DirectoryIndex, input: ExplainInput): Reason[] {
    const { listing, prefs, todayMs } = input;
    const wording = whyWordingOf(index, input.them);
    const why: Reason[] = [];
    if (input.needsMet.length > 0) {
        const labels = input.needsMet.map((n) => needLabelOf(index, n.id, input.them));
        why.push({ kind: 'need', text: fill(wording.helpsWith, { needs: joinAnd(labels) }) });
    } else if (input.words.length > 0) {
        why.push({ kind: 'words', text: fill(wording.mentions, { words: input.words.join(', ') }) });
    }
    // Someone who said they can pay did not ask for free: cost is then no reason, and "free" is not said as one.
    if (prefs.canPay !== true) {
        if (listing.free) {
            why.push({ kind: 'free', text: wording.free });
        } else if (listing.costUnknown) {
            why.push({ kind: 'note', text: wording.costUnknown });
        } else if (prefs.freeOnly) {
            // Only reachable when "free" was widened: say the price rather than let it surprise them.
            why.push({ kind: 'price', text: fill(wording.costsFrom, { amount: formatPounds(listing.lowestCost) }) });
        }
    }
    const where = wherePhrase(index, input);
    if (where) {
        why.push(where);
    }
    const days = allowed(prefs.days, DAY_CODES, prefs.notDays);
    const times = allowed(prefs.times, TIMES_OF_DAY, prefs.notTimes);
    if (days.length > 0 || times.length > 0) {
        const slot = fittingSlot(listing.opportunity.schedules, days, times);
        if (slot) {
            why.push({ kind: 'when', text: describeSlot(slot) });
        }
    }
    for (const feature of accessMet(listing, prefs)) {
        if (listing.opportunity.accessibility.includes(feature)) {
            why.push({ kind: 'access', text: wording.access[feature] });
        }
    }
    for (const worry of prefs.worries ?? []) {
        if (listing.opportunity.welcome.includes(worry)) {
            why.push({ kind: 'welcome', text: wording.welcome[worry] });
        }
    }
    why.push(...notes(index, input));
    const month = monthYear(listing.opportunity.assured_date, wording);
    const stale = isStale(listing, todayMs, index.tuning);
    const checked = fill(stale ? wording.notCheckedSince : wording.lastChecked, { month });
    why.push({ kind: stale ? 'note' : 'checked', text: checked });
    return why;
}
