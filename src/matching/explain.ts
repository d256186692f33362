/**
 * The `why` of one ranked listing: short plain phrases, most important first, e.g. ["helps with: feeling lonely",
 * "free", "1.2 km away", "Tuesday mornings", "wheelchair access", "last checked September 2026"].
 */
import type { DirectoryIndex, IndexedListing } from './directory-index';
import { accessMet, isStale } from './fit';
import type { Reach } from './fit';
import { describeSlot, fittingSlot, joinAnd } from './schedule';
import type { NeedScore, Preferences } from './types';
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
}

function wherePhrase(index: DirectoryIndex, { listing, reach }: ExplainInput): string | undefined {
    const wording = index.wording;
    const remote = listing.online && listing.phone ? wording.onlineOrPhone
        : listing.online ? wording.online : listing.phone ? wording.phone : undefined;
    if (listing.homeVisit) {
        return wording.homeVisit;
    }
    if (reach.km !== undefined && reach.km <= index.tuning.maxDistanceKm) {
        return fill(wording.kmAway, { km: formatKm(reach.km) });
    }
    if (reach.remoteOk && remote) {
        return remote;
    }
    if (reach.comesToYou && listing.areaServed) {
        return fill(wording.covers, { area: listing.areaServed });
    }
    if (reach.km !== undefined) {
        return fill(wording.kmAway, { km: formatKm(reach.km) });
    }
    // Not in person at all: say how, so nobody expects a venue.
    return listing.inPerson ? undefined : remote;
}

/** Builds the reasons for one listing. */
export function explain(index: DirectoryIndex, input: ExplainInput): string[] {
    const { listing, prefs, todayMs } = input;
    const wording = index.wording;
    const why: string[] = [];
    if (input.needsMet.length > 0) {
        const labels = input.needsMet.map((n) => index.needLabels.get(n.id) ?? n.id.replace(/-/g, ' '));
        why.push(fill(wording.helpsWith, { needs: joinAnd(labels) }));
    } else if (input.words.length > 0) {
        why.push(fill(wording.mentions, { words: input.words.join(', ') }));
    }
    if (listing.free) {
        why.push(wording.free);
    } else if (listing.costUnknown) {
        why.push(wording.costUnknown);
    } else if (prefs.freeOnly) {
        // Only reachable when "free" was widened: say the price rather than let it surprise them.
        why.push(fill(wording.costsFrom, { amount: formatPounds(listing.lowestCost) }));
    }
    const where = wherePhrase(index, input);
    if (where) {
        why.push(where);
    }
    if ((prefs.days?.length ?? 0) > 0 || (prefs.times?.length ?? 0) > 0) {
        const slot = fittingSlot(listing.opportunity.schedules, prefs.days, prefs.times);
        if (slot) {
            why.push(describeSlot(slot));
        }
    }
    for (const feature of accessMet(listing, prefs)) {
        if (listing.opportunity.accessibility.includes(feature)) {
            why.push(wording.access[feature]);
        }
    }
    for (const worry of prefs.worries ?? []) {
        if (listing.opportunity.welcome.includes(worry)) {
            why.push(wording.welcome[worry]);
        }
    }
    const month = monthYear(listing.opportunity.assured_date, wording);
    why.push(fill(isStale(listing, todayMs, index.tuning) ? wording.notCheckedSince : wording.lastChecked, { month }));
    return why;
}
