/**
 * Ranks the directory for one resident: needs + their words + what they said about taking part -> best listings
 * first, each with plain reasons. Filters only what the resident was firm about, and widens those one at a time,
 * least important first, when nothing would be left. Pure: the index is built once with buildDirectoryIndex.
 */
import type { DirectoryIndex } from './directory-index';
import { explain } from './explain';
import { activeFilters, freshnessFit, passesFilters, preferenceFit, reachOf } from './fit';
import type { Reach } from './fit';
import { matchedWords, textRelevance } from './relevance';
import { RELAXABLE_FILTERS } from './types';
import type { NeedScore, Preferences, RankOutcome, RankedResult, RelaxableFilter } from './types';

export { buildDirectoryIndex } from './directory-index';
export type { DirectoryIndex, DirectoryIndexOptions } from './directory-index';

/** One ranking request. */
export interface RankQuery {
    /** Detected needs, any order; an empty list ranks by `text` alone. */
    needs: NeedScore[];
    /** The resident's own words, for text relevance. */
    text?: string;
    prefs: Preferences;
    /** Results to return (default DEFAULTS.limit) after skipping `offset`, for "show me more". */
    limit?: number;
    offset?: number;
    /** "YYYY-MM-DD", for freshness; default: the current date. Pass it for repeatable results. */
    today?: string;
}

interface Candidate {
    doc: number;
    need: number;
    text: number;
    reach: Reach;
    score: number;
}

function todayMsOf(today: string | undefined): number {
    const parsed = today ? Date.parse(`${today}T00:00:00Z`) : NaN;
    return Number.isNaN(parsed) ? Date.now() : parsed;
}

/** Need match per listing in 0..1: the share of the query's need weight it covers, its first need counting most. */
function needMatch(index: DirectoryIndex, needs: readonly NeedScore[]): Map<number, number> {
    const positive = needs.filter((n) => n.score > 0);
    const total = positive.reduce((sum, n) => sum + n.score, 0);
    const matched = new Map<number, number>();
    for (const need of positive) {
        for (const doc of index.byNeed.get(need.id) ?? []) {
            const isMain = index.listings[doc]?.opportunity.needs[0] === need.id;
            const weight = isMain ? 1 : index.tuning.laterNeedWeight;
            matched.set(doc, (matched.get(doc) ?? 0) + (need.score * weight) / total);
        }
    }
    return matched;
}

/** Weighted mean of the parts that apply; parts that do not apply drop out so scores stay in 0..1. */
function combine(parts: readonly (readonly [number, number | undefined])[]): number {
    let sum = 0;
    let weights = 0;
    for (const [weight, value] of parts) {
        if (value !== undefined) {
            sum += weight * value;
            weights += weight;
        }
    }
    return weights > 0 ? Math.min(1, Math.max(0, sum / weights)) : 0;
}

/**
 * Keeps the candidates that pass every firm filter. When none would, relaxes the resident's filters one at a time in
 * RELAXABLE_FILTERS order (least important first) until some pass, and reports which were relaxed.
 */
function filterAndWiden(
    index: DirectoryIndex,
    candidates: readonly Candidate[],
    prefs: Preferences,
): { survivors: Candidate[]; widened: RelaxableFilter[] } {
    const relaxed = new Set<RelaxableFilter>();
    const widened: RelaxableFilter[] = [];
    const passing = (): Candidate[] =>
        candidates.filter((c) => passesFilters(index.listings[c.doc], c.reach, prefs, relaxed, index.tuning));
    let survivors = passing();
    for (const filter of activeFilters(prefs, RELAXABLE_FILTERS)) {
        if (survivors.length > 0) {
            break;
        }
        relaxed.add(filter);
        widened.push(filter);
        survivors = passing();
    }
    return { survivors, widened };
}

/** Ranks the directory for one query. No match is an outcome, not an error: `results` is then empty. */
export function rankOpportunities(index: DirectoryIndex, query: RankQuery): RankOutcome {
    const { tuning } = index;
    const prefs = query.prefs ?? {};
    const todayMs = todayMsOf(query.today);
    const needs = query.needs ?? [];
    const byNeed = needMatch(index, needs);
    const text = textRelevance(index, query.text);

    const candidates: Candidate[] = [];
    const docs = new Set<number>([...byNeed.keys(), ...text.scores.keys()]);
    for (const doc of docs) {
        const need = byNeed.get(doc) ?? 0;
        const relevance = text.best > 0 ? (text.scores.get(doc) ?? 0) / text.best : 0;
        // A listing that meets no need must earn its place with the resident's words, or every "group" turns up.
        if (need > 0 || relevance >= tuning.minTextOnlyRelevance) {
            candidates.push({ doc, need, text: relevance, reach: reachOf(index.listings[doc], prefs), score: 0 });
        }
    }
    if (candidates.length === 0) {
        return { results: [], widened: [] };
    }

    const { survivors, widened } = filterAndWiden(index, candidates, prefs);

    const { weights } = tuning;
    const hasNeeds = byNeed.size > 0;
    const hasText = text.best > 0;
    for (const candidate of survivors) {
        const listing = index.listings[candidate.doc];
        candidate.score = combine([
            [weights.need, hasNeeds ? candidate.need : undefined],
            [weights.text, hasText ? candidate.text : undefined],
            [weights.prefs, preferenceFit(listing, candidate.reach, prefs, tuning)],
            [weights.fresh, freshnessFit(listing, todayMs, tuning)],
        ]);
    }
    survivors.sort((a, b) => b.score - a.score
        || (a.reach.km ?? Infinity) - (b.reach.km ?? Infinity)
        || index.listings[a.doc].opportunity.name.localeCompare(index.listings[b.doc].opportunity.name)
        || a.doc - b.doc);

    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(0, Math.floor(query.limit ?? tuning.limit));
    const results = survivors.slice(offset, offset + limit).map((candidate): RankedResult => {
        const listing = index.listings[candidate.doc];
        const opportunity = listing.opportunity;
        const needsMet = needs.filter((n) => n.score > 0 && opportunity.needs.includes(n.id))
            .sort((a, b) => b.score - a.score);
        const why = explain(index, {
            listing,
            reach: candidate.reach,
            prefs,
            needsMet,
            words: needsMet.length === 0 ? matchedWords(index, text, candidate.doc) : [],
            todayMs,
        });
        const result: RankedResult = {
            id: opportunity.id,
            name: opportunity.name,
            needs: [...opportunity.needs],
            score: Math.round(candidate.score * 1000) / 1000,
            why,
        };
        if (candidate.reach.km !== undefined) {
            result.distanceKm = Math.round(candidate.reach.km * 10) / 10;
        }
        return result;
    });
    return { results, widened };
}
