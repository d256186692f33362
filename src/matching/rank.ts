/**
 * Ranks the directory for one resident: needs + their words + what they said about taking part -> best listings
 * first, each with plain reasons. Filters only what the resident was firm about, and widens those one at a time,
 * least important first, when nothing would be left. Pure: the index is built once with buildDirectoryIndex.
 *
 * Built to stay within a few milliseconds on 100,000 listings: only listings that share a need or a word with the
 * query are looked at; per listing the work is a few reads from typed arrays; and only the best `offset + limit`
 * are kept (a small heap), so nothing in proportion to the directory is sorted or allocated.
 */
import type { DirectoryIndex, RankScratch } from './directory-index';
import { mismatch } from './eligibility';
import { explain, inYourArea, needLabelOf, whyWordingOf } from './explain';
import { haversineKm } from './geo';
import { activeFilters, distanceKm, filterPass, freshnessFit, passes, planFit, preferenceFit, reachAt, surelyBeyond }
    from './fit';
import type { FilterPass, FitPlan } from './fit';
import { matchedWords, scoreText } from './relevance';
import { joinAnd } from './schedule';
import { fill } from './why';
import type { TextMatch } from './relevance';
import { typesInQuery } from './serviceTypes';
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
    /**
     * The size of the first page the caller shows (the bot's page of three). When the resident gave a place and none
     * of that page is near it (tuning.nearKm, or "in your area"), the best listing near them that meets one of their
     * needs takes the page's last place, as a link worker would add "and there's this one near you". The top two stay
     * (never below 3), and the listing it moves down opens the next page, so "show me more" skips nothing. Unset (the
     * CLI, the eval of the directory): the order is the score's alone.
     */
    nearbySlot?: number;
    /**
     * Who the results are for (issue 18): `other` when the resident asks on someone else's behalf, and the reasons
     * then speak of them ("near them", "losing someone close to them"). Unset: the resident.
     */
    about?: 'self' | 'other';
}

function todayMsOf(today: string | undefined): number {
    const parsed = today ? Date.parse(`${today}T00:00:00Z`) : NaN;
    return Number.isNaN(parsed) ? Date.now() : parsed;
}

/**
 * Adds each listing's need match in 0..1 to `scratch.need`: the share of the query's need weight it covers, its
 * first need counting most. Appends the listings to `scratch.candidates`; returns how many there are now.
 */
function scoreNeeds(index: DirectoryIndex, needs: readonly NeedScore[], scratch: RankScratch): number {
    const positive = needs.filter((n) => n.score > 0);
    const total = positive.reduce((sum, n) => sum + n.score, 0);
    const { need: scores, seen, candidates } = scratch;
    const mainNeed = index.columns.mainNeed;
    const later = index.tuning.laterNeedWeight;
    let count = 0;
    for (const need of positive) {
        const docs = index.byNeed.get(need.id);
        if (!docs) {
            continue;
        }
        const position = index.needIds.indexOf(need.id);
        const asMain = need.score / total;
        const asLater = (need.score * later) / total;
        for (let i = 0; i < docs.length; i++) {
            const doc = docs[i] as number;
            scores[doc] = (scores[doc] as number) + (mainNeed[doc] === position ? asMain : asLater);
            if (seen[doc] === 0) {
                seen[doc] = 1;
                candidates[count++] = doc;
            }
        }
    }
    return count;
}

/**
 * The kinds named that some listing is; a kind no listing is gives way to its broader kinds that some listing is
 * ("council tax" to debt advice and benefits advice), as a link worker sends someone to the nearest kind there is.
 * A broader kind named beside a narrower one that some listing is gives way to the narrower (see below).
 */
function presentKinds(named: readonly string[], index: DirectoryIndex): string[] {
    const kinds: string[] = [];
    const typeOf = (id: string) => index.types?.types.find((t) => t.id === id);
    // A kind named together with a narrower kind of it that some listing is gives way to the narrower one: "chess"
    // names games and board games, and a chess player wants the board games group before the bingo. Two kinds that
    // stand in for each other (debt and benefits advice) are neither narrower: both stay.
    const broaderOf = (id: string): readonly string[] => typeOf(id)?.broader ?? [];
    const narrowed = new Set(named.filter((kind) => index.byType.has(kind))
        .flatMap((kind) => broaderOf(kind).filter((b) => !broaderOf(b).includes(kind))));
    for (const kind of named) {
        if (narrowed.has(kind)) continue;
        const stand = index.byType.has(kind) ? [kind]
            : broaderOf(kind).filter((b) => index.byType.has(b));
        for (const k of stand) {
            if (!kinds.includes(k)) kinds.push(k);
        }
    }
    return kinds;
}

/**
 * Adds to `scratch.type` the share of the kinds of service the resident named that each listing is, and appends
 * listings of those kinds not yet seen. Returns how many kinds were named that some listing is, the count, and the
 * kinds of thing named (full weight: not an audience such as older people).
 */
function scoreTypes(
    index: DirectoryIndex,
    text: string | undefined,
    scratch: RankScratch,
    count: number,
): { kinds: number; count: number; things: ReadonlySet<string> } {
    if (!index.types || !text) {
        return { kinds: 0, count, things: NO_KINDS };
    }
    const kinds = presentKinds(typesInQuery(text, index.types), index);
    const weights = kinds.map((kind) => index.types?.types.find((t) => t.id === kind)?.weight ?? 1);
    const total = weights.reduce((sum, w) => sum + w, 0);
    const { type: scores, seen, candidates } = scratch;
    let added = count;
    for (const [k, kind] of kinds.entries()) {
        const docs = index.byType.get(kind) as Int32Array;
        const share = (weights[k] as number) / total;
        for (let i = 0; i < docs.length; i++) {
            const doc = docs[i] as number;
            scores[doc] = (scores[doc] as number) + share;
            if (seen[doc] === 0) {
                seen[doc] = 1;
                candidates[added++] = doc;
            }
        }
    }
    // The kinds of thing named (full weight), not an audience or a setting ("older people", "the countryside").
    const things = new Set(kinds.filter((_, k) => (weights[k] as number) >= 1));
    return { kinds: kinds.length, count: added, things };
}

const NO_KINDS: ReadonlySet<string> = new Set();

/** Sets every scratch slot the query touched back to zero, ready for the next query. */
function resetScratch(scratch: RankScratch, count: number): void {
    for (let i = 0; i < count; i++) {
        const doc = scratch.candidates[i] as number;
        scratch.need[doc] = 0;
        scratch.type[doc] = 0;
        scratch.text[doc] = 0;
        scratch.seen[doc] = 0;
    }
}

/** Allowance for rounding when comparing a bound with a score summed in another order. */
const BOUND_SLACK = 1e-9;

/** A kept listing: its position, score and distance (NaN: unknown). */
interface Kept {
    doc: number;
    score: number;
    km: number;
}

/** Best first: higher score, then nearer, then by name, then by position, so the order never depends on chance. */
function compareKept(index: DirectoryIndex, a: Kept, b: Kept): number {
    const kmA = Number.isNaN(a.km) ? Infinity : a.km;
    const kmB = Number.isNaN(b.km) ? Infinity : b.km;
    const names = index.columns.nameRank;
    return b.score - a.score || kmA - kmB || (names[a.doc] as number) - (names[b.doc] as number);
}

/**
 * The best `size` listings seen so far, as a binary heap with the worst on top, so each newcomer is compared with
 * one listing and most are turned away at once.
 */
class TopK {
    readonly items: Kept[] = [];
    constructor(private readonly index: DirectoryIndex, private readonly size: number) {}

    /** Whether a listing with this score could still get in (cheap check before working out the rest). */
    wants(score: number): boolean {
        if (this.items.length < this.size) {
            return true;
        }
        return this.size > 0 && score >= this.items[0].score;
    }

    /** Whether it holds as many as it keeps: from then on a listing must beat the worst to get in. */
    get full(): boolean {
        return this.size > 0 && this.items.length >= this.size;
    }

    offer(doc: number, score: number, km: number): void {
        const item: Kept = { doc, score, km };
        const items = this.items;
        if (items.length < this.size) {
            items.push(item);
            this.up(items.length - 1);
        } else if (compareKept(this.index, item, items[0]) < 0) {
            items[0] = item;
            this.down(0);
        }
    }

    /** Best first. */
    sorted(): Kept[] {
        return [...this.items].sort((a, b) => compareKept(this.index, a, b));
    }

    /** Whether a sits below b in the heap: a is the worse of the two. */
    private worse(a: Kept, b: Kept): boolean {
        return compareKept(this.index, a, b) > 0;
    }

    private up(i: number): void {
        const items = this.items;
        while (i > 0) {
            const parent = (i - 1) >> 1;
            if (!this.worse(items[i], items[parent])) {
                return;
            }
            [items[i], items[parent]] = [items[parent], items[i]];
            i = parent;
        }
    }

    private down(i: number): void {
        const items = this.items;
        for (;;) {
            const left = 2 * i + 1;
            const right = left + 1;
            let worst = i;
            if (left < items.length && this.worse(items[left], items[worst])) {
                worst = left;
            }
            if (right < items.length && this.worse(items[right], items[worst])) {
                worst = right;
            }
            if (worst === i) {
                return;
            }
            [items[i], items[worst]] = [items[worst], items[i]];
            i = worst;
        }
    }
}

/** The per-query constants of the score: which parts apply and their weights. */
interface ScoreShape {
    need: number;
    text: number;
    prefs: number;
    fresh: number;
    /** Weight of being the kind of service named (tuning.typeWeight), when the resident named one. */
    type: number;
    /** Sum of the weights of the parts that apply. */
    total: number;
    hasNeeds: boolean;
    hasText: boolean;
    hasTypes: boolean;
    /** The kinds of thing the resident named: a listing that looks like a business or an event and is one keeps its
     * score (tuning.notAServiceFactor). */
    things: ReadonlySet<string>;
}

function scoreShape(
    index: DirectoryIndex, hasNeeds: boolean, text: TextMatch, plan: FitPlan, hasTypes: boolean,
    things: ReadonlySet<string>,
): ScoreShape {
    const { weights, typeWeight } = index.tuning;
    const hasText = text.best > 0;
    // Parts that do not apply drop out, so scores stay in 0..1. Summed in the same order as the score itself.
    let total = 0;
    if (hasNeeds) {
        total += weights.need;
    }
    if (hasText) {
        total += weights.text;
    }
    if (plan.hasFit) {
        total += weights.prefs;
    }
    total += weights.fresh;
    if (hasTypes) {
        total += typeWeight;
    }
    return { ...weights, type: typeWeight, total, hasNeeds, hasText, hasTypes, things };
}

/**
 * One pass over the candidates with the filters of `pass`: keeps the best in `top`, and returns how many passed (fewer
 * once the top is full and hopeless listings are skipped; all that matters is whether any did).
 * `count` candidates sit in the scratch space; `relevance` is their text score divided by the best.
 */
function scorePass(
    index: DirectoryIndex,
    count: number,
    text: TextMatch,
    plan: FitPlan,
    pass: FilterPass,
    shape: ScoreShape,
    todayMs: number,
    top: TopK,
    accept?: (doc: number, km: number) => boolean,
): number {
    const { columns, scratch, tuning } = index;
    const hasPlace = plan.prefs.place !== undefined;
    const minText = tuning.minTextOnlyRelevance;
    const best = text.best;
    const neutralFit = tuning.neutralFit;
    const relevantWeight = (shape.hasNeeds ? shape.need : 0) + (shape.hasText ? shape.text : 0)
        + (shape.hasTypes ? shape.type : 0);
    // The most that preferences and freshness can add: with it, a listing's need and words bound its score.
    const rest = (plan.hasFit ? shape.prefs : 0) + shape.fresh;
    const hidden = index.hidden;
    let survivors = 0;
    for (let i = 0; i < count; i++) {
        const doc = scratch.candidates[i] as number;
        // A listing a curator hid is never offered (curateIndex).
        if (hidden && hidden[doc] === 1) {
            continue;
        }
        const need = scratch.need[doc] as number;
        const relevance = best > 0 ? (scratch.text[doc] as number) / best : 0;
        const kind = scratch.type[doc] as number;
        // A listing that meets no need must earn its place with the resident's words, or every "group" turns up.
        if (need <= 0 && relevance < minText && kind <= 0) {
            continue;
        }
        // Once the top is full, a listing whose best possible score cannot reach it is skipped unchecked. Nothing is
        // lost: the number of survivors only decides whether to widen, and a full top means there are some.
        const partial = (shape.hasNeeds ? shape.need * need : 0) + (shape.hasText ? shape.text * relevance : 0)
            + (shape.hasTypes ? shape.type * kind : 0);
        if (top.full && !top.wants((partial + rest) / shape.total + BOUND_SLACK)) {
            continue;
        }
        // Far listings are the bulk of a big directory: most are ruled out before any trigonometry.
        if (hasPlace && pass.distance && surelyBeyond(columns, doc, plan, tuning.maxDistanceKm)
            && !passes(columns, doc, Infinity, plan, pass)) {
            continue;
        }
        const km = hasPlace ? distanceKm(columns, doc, plan) : NaN;
        if (!passes(columns, doc, km, plan, pass) || (accept && !accept(doc, km))) {
            continue;
        }
        survivors++;
        let sum = 0;
        if (shape.hasNeeds) {
            sum += shape.need * need;
        }
        if (shape.hasText) {
            sum += shape.text * relevance;
        }
        if (shape.hasTypes) {
            sum += shape.type * kind;
        }
        if (plan.hasFit) {
            // What the resident said about taking part reorders relevant listings; it must not lift a weakly
            // relevant one over a strongly relevant one. So a listing's fit moves it away from a neutral fit only in
            // proportion to its relevance: a nearby placed listing ranks up, but the many listings a real directory
            // cannot place (unknown distance) do not sink below a weakly relevant placed one.
            const fit = preferenceFit(columns, doc, km, plan);
            const core = relevantWeight > 0 ? partial / relevantWeight : 1;
            sum += shape.prefs * (neutralFit + (fit - neutralFit) * core);
        }
        sum += shape.fresh * freshnessFit(columns.assuredMs[doc] as number, todayMs, tuning);
        // Eligibility only ever lowers a score, so the bound above still holds.
        const eligibility = index.listings[doc]?.eligibility;
        const factor = (eligibility?.referral ? tuning.referralFactor : 1)
            * (notAServiceAsked(index, doc, shape.things) ? 1 : tuning.notAServiceFactor)
            * (eligibility && mismatch(eligibility, plan.prefs.who) ? tuning.mismatchFactor : 1)
            * (hasPlace && outsideCatchment(index, doc, plan) ? tuning.mismatchFactor : 1);
        const score = Math.min(1, Math.max(0, (sum / shape.total) * factor));
        if (top.wants(score)) {
            top.offer(doc, score, km);
        }
    }
    return survivors;
}

/**
 * Whether a listing is a service, or looks like a business or a one-off event (`looks_like`) but is a kind of thing
 * the resident named: either way it keeps its score.
 */
function notAServiceAsked(index: DirectoryIndex, doc: number, things: ReadonlySet<string>): boolean {
    const opportunity = index.listings[doc]?.opportunity;
    if (opportunity?.looks_like === undefined) {
        return true;
    }
    for (const kind of things) {
        if (isOfKind(index.byType.get(kind), doc)) {
            return true;
        }
    }
    return false;
}

/** Whether a listing position is in a kind's list (positions ascending, as the index builds them). */
function isOfKind(docs: Int32Array | undefined, doc: number): boolean {
    let low = 0;
    let high = (docs?.length ?? 0) - 1;
    while (docs && low <= high) {
        const mid = (low + high) >> 1;
        const at = docs[mid] as number;
        if (at === doc) {
            return true;
        }
        if (at < doc) {
            low = mid + 1;
        } else {
            high = mid - 1;
        }
    }
    return false;
}

/**
 * Whether a listing is only for the people of a town ("for residents of Goxhill") more than catchmentKm from the
 * resident's place: ranked down like any listing that leaves the resident out, and said.
 */
function outsideCatchment(index: DirectoryIndex, doc: number, plan: FitPlan): boolean {
    const catchment = index.listings[doc]?.catchment;
    if (!catchment || Number.isNaN(plan.latitude)) {
        return false;
    }
    return haversineKm({ latitude: plan.latitude, longitude: plan.longitude }, catchment.point)
        > index.tuning.catchmentKm;
}

/** Ranks the directory for one query. No match is an outcome, not an error: `results` is then empty. */
export function rankOpportunities(index: DirectoryIndex, query: RankQuery): RankOutcome {
    const scratch = index.scratch;
    let count = 0;
    try {
        const needs = Array.isArray(query.needs) ? query.needs : [];
        count = scoreNeeds(index, needs, scratch);
        const hasNeeds = count > 0;
        const words = typeof query.text === 'string' ? query.text : undefined;
        const scored = scoreText(index, words, scratch, count);
        count = scored.count;
        const kinds = scoreTypes(index, words, scratch, count);
        count = kinds.count;
        return rankCandidates(index, query, needs, hasNeeds, scored.match, count, kinds.kinds > 0, kinds.things);
    } finally {
        resetScratch(scratch, count);
    }
}

function rankCandidates(
    index: DirectoryIndex,
    query: RankQuery,
    needs: readonly NeedScore[],
    hasNeeds: boolean,
    text: TextMatch,
    count: number,
    hasTypes: boolean,
    things: ReadonlySet<string>,
): RankOutcome {
    if (count === 0) {
        return { results: [], widened: [] };
    }
    const { tuning } = index;
    const prefs = query.prefs ?? {};
    const todayMs = todayMsOf(query.today);
    const plan = planFit(prefs, tuning);
    const shape = scoreShape(index, hasNeeds, text, plan, hasTypes, things);
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(0, Math.floor(query.limit ?? tuning.limit));
    const keep = offset + limit;

    // Keep the firm filters; when nothing passes, relax them one at a time, least important first.
    const relaxed = new Set<RelaxableFilter>();
    const widened: RelaxableFilter[] = [];
    let top = new TopK(index, keep);
    let survivors = scorePass(index, count, text, plan, filterPass(plan, relaxed), shape, todayMs, top);
    for (const filter of activeFilters(prefs, RELAXABLE_FILTERS)) {
        if (survivors > 0) {
            break;
        }
        relaxed.add(filter);
        widened.push(filter);
        top = new TopK(index, keep);
        survivors = scorePass(index, count, text, plan, filterPass(plan, relaxed), shape, todayMs, top);
    }
    if (survivors === 0) {
        // Nothing at all passes, even relaxed: there was nothing to widen towards (as before any filter ran).
        const anyCandidate = countEligible(index, count, text) > 0;
        return { results: [], widened: anyCandidate ? widened : [] };
    }

    const sorted = top.sorted();
    const pass = filterPass(plan, relaxed);
    const near = hasNeeds
        ? nearbyForPage(index, { count, text, plan, pass, shape, todayMs }, sorted, query.nearbySlot ?? 0)
        : undefined;
    const them = query.about === 'other';
    const results = sorted.slice(offset, offset + limit).map((kept): RankedResult => {
        const listing = index.listings[kept.doc];
        const opportunity = listing.opportunity;
        const needsMet = needs.filter((n) => n.score > 0 && opportunity.needs.includes(n.id))
            .sort((a, b) => b.score - a.score);
        const reach = reachAt(index.columns, kept.doc, kept.km, plan);
        const left = mismatch(listing.eligibility, prefs.who)
            ?? (prefs.place && outsideCatchment(index, kept.doc, plan) && listing.catchment
                ? { kind: 'place' as const, place: listing.catchment.name } : undefined);
        let reasons = explain(index, {
            listing,
            reach,
            prefs,
            needsMet,
            words: needsMet.length === 0 ? matchedWords(index, text, kept.doc) : [],
            todayMs,
            ...(left ? { mismatch: left } : {}),
            them,
        });
        if (kept.doc === near && needsMet.length > 0) {
            // Said first, and why it is here: "It's near you, for getting more active."
            const labels = needsMet.map((n) => needLabelOf(index, n.id, them));
            const nearFor = {
                kind: 'near' as const, text: fill(whyWordingOf(index, them).nearFor, { needs: joinAnd(labels) }),
            };
            // "Near you" says what the distance would: the Where line still gives the kilometres.
            reasons = [nearFor, ...reasons.filter((r) => r.kind !== 'need' && r.kind !== 'where')];
        }
        const result: RankedResult = {
            id: opportunity.id,
            name: opportunity.name,
            needs: [...opportunity.needs],
            score: Math.round(kept.score * 1000) / 1000,
            why: reasons.map((r) => r.text),
            reasons,
        };
        if (reach.km !== undefined) {
            result.distanceKm = Math.round(reach.km * 10) / 10;
            if (inYourArea(listing, reach.km)) {
                result.inYourArea = true;
            }
        }
        return result;
    });
    return { results, widened };
}

/** What a second look over the candidates needs: the same scoring as the ranking's last pass. */
interface PassContext {
    count: number;
    text: TextMatch;
    plan: FitPlan;
    pass: FilterPass;
    shape: ScoreShape;
    todayMs: number;
}

/** Whether a kept listing is near the resident: within tuning.nearKm, or placed only by their own district. */
function isNear(index: DirectoryIndex, kept: Kept): boolean {
    if (Number.isNaN(kept.km)) {
        return false;
    }
    const listing = index.listings[kept.doc];
    return kept.km <= index.tuning.nearKm || (listing !== undefined && inYourArea(listing, kept.km));
}

/**
 * RankQuery.nearbySlot: when nothing on the first page is near the resident's place, the best listing near them (and
 * at most half as far as the nearest on the page) that meets one of their needs (not just their words) and does not
 * leave them out is moved, or added, to the page's last place in `sorted` (changed in place). Returns its position
 * in the index, or undefined when nothing changed.
 */
function nearbyForPage(index: DirectoryIndex, ctx: PassContext, sorted: Kept[], slot: number): number | undefined {
    const { plan } = ctx;
    // The top two are never moved: a page of three or more, and a place to be near.
    if (slot < 3 || plan.prefs.place === undefined || Number.isNaN(plan.latitude)) {
        return undefined;
    }
    const page = sorted.slice(0, slot);
    if (page.some((kept) => isNear(index, kept))) {
        return undefined;
    }
    // Clearly nearer, not 100 m: at most half the distance of the nearest on the page ("1.4 km" is no news beside
    // "1.6 km away"). Online and unplaced listings have no distance and leave the bar where it is.
    const nearestOnPage = Math.min(...page.map((kept) => (Number.isNaN(kept.km) ? Infinity : kept.km)));
    const { scratch } = index;
    const best = new TopK(index, 1);
    scorePass(index, ctx.count, ctx.text, plan, ctx.pass, ctx.shape, ctx.todayMs, best, (doc, km) => {
        const eligibility = index.listings[doc]?.eligibility;
        return (scratch.need[doc] as number) > 0
            && isNear(index, { doc, score: 0, km }) && km <= nearestOnPage / 2
            && !(eligibility && mismatch(eligibility, plan.prefs.who))
            && !outsideCatchment(index, doc, plan);
    });
    const found = best.items[0];
    if (!found) {
        return undefined;
    }
    const at = sorted.findIndex((kept) => kept.doc === found.doc);
    if (at >= 0) {
        sorted.splice(at, 1);
    }
    sorted.splice(Math.min(slot - 1, sorted.length), 0, found);
    return found.doc;
}

/** How many candidates meet a need or match the words well enough, before any filter. */
function countEligible(index: DirectoryIndex, count: number, text: TextMatch): number {
    const { scratch, tuning } = index;
    let eligible = 0;
    for (let i = 0; i < count; i++) {
        const doc = scratch.candidates[i] as number;
        if (index.hidden && index.hidden[doc] === 1) {
            continue;
        }
        const relevance = text.best > 0 ? (scratch.text[doc] as number) / text.best : 0;
        if ((scratch.need[doc] as number) > 0 || relevance >= tuning.minTextOnlyRelevance
            || (scratch.type[doc] as number) > 0) {
            eligible++;
        }
    }
    return eligible;
}
