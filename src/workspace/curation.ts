/**
 * The curation queue (issue 21): the listings a curator should look at, and their decisions. Three reasons bring a
 * listing here: residents reported it (counts and dates, never who), it is past its check date (the ranking's stale
 * limit, DEFAULTS.staleAfterDays), or the importer's review flags it (`signpost kb review`'s checks, run over the
 * loaded directory). A decision goes through the store, so every instance applies it within a poll; this instance
 * applies it at once.
 */
import type { CuratedDirectory } from '../conversation/curation';
import type { Opportunity } from '../knowledge/schema';
import { DEFAULTS } from '../matching/config';
import type {
    CuratorAction, ListingDecision, ListingFeedbackStore, ListingReportSummary,
} from '../storage/listingFeedbackStore';

/** One thing the importer's review says to fix in a record (`signpost kb review`'s flag and detail). */
export interface ReviewNote {
    flag: string;
    detail: string;
}

/**
 * The importer's review of the loaded directory: each listing's flags, by id. Given by the way in (src/index.ts),
 * which may use the offline importer's checks; without it the queue has no review reason.
 */
export type ReviewOf = (records: readonly Opportunity[], today: string) =>
    ReadonlyMap<string, readonly ReviewNote[]> | Promise<ReadonlyMap<string, readonly ReviewNote[]>>;

/** What the curation routes need. */
export interface CurationParts {
    directory: CuratedDirectory;
    store: ListingFeedbackStore;
    review?: ReviewOf;
}

/** Why a listing is in the queue. */
export type QueueReason = 'reported' | 'stale' | 'review';

/** One listing in the queue, as the page shows it. */
export interface CurationItem {
    id: string;
    name: string;
    organization: string;
    reasons: QueueReason[];
    reports?: Omit<ListingReportSummary, 'listingId'>;
    /** The check date residents are told (the curator's when it stands, else the feed's), and whether it is stale. */
    checkedOn: string;
    stale: boolean;
    /** The feed's own date. */
    feedCheckedOn: string;
    review: readonly ReviewNote[];
    decision?: {
        hidden: boolean;
        checkedOn?: string;
        fixedAt?: string;
        by: string;
        at: string;
        /** The feed changed the record since: the hide and the check date no longer apply. */
        lapsed: boolean;
        audit: ListingDecision['audit'];
    };
}

/** Queue reasons the page can filter by. */
export const QUEUE_REASONS: readonly QueueReason[] = ['reported', 'stale', 'review'];

/** Days between two YYYY-MM-DD dates. */
function daysBetween(from: string, to: string): number {
    return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The review, worked out once a day (it reads every record's words). */
class ReviewCache {
    private day = '';
    private flags: ReadonlyMap<string, readonly ReviewNote[]> = new Map();

    constructor(private readonly review?: ReviewOf) {}

    async of(records: readonly Opportunity[], today: string): Promise<ReadonlyMap<string, readonly ReviewNote[]>> {
        if (!this.review) return this.flags;
        if (this.day !== today) {
            // 'stale' is the queue's own reason, worked out with the curators' check dates.
            const all = await this.review(records, today);
            this.flags = new Map([...all].map(([id, notes]) => [id, notes.filter((n) => n.flag !== 'stale')]));
            this.day = today;
        }
        return this.flags;
    }
}

const caches = new WeakMap<CurationParts, ReviewCache>();

/** The most listings the queue gives at once. */
export const QUEUE_LIMIT = 500;
/** The most reported listings read from the store for one queue. */
const REPORTS_READ = 2000;

/**
 * The queue: reported listings first (the most reported first), then the others by how long since their check
 * date. `reason` keeps one kind; `limit` caps the list (the total is counted before it).
 */
export async function curationQueue(parts: CurationParts, today: string, options: { reason?: QueueReason;
    limit: number; offset: number }): Promise<{ items: CurationItem[]; total: number; staleAfterDays: number }> {
    const { directory, store } = parts;
    await directory.refresh();
    const { decisions, curation } = directory.state();
    const decisionOf = new Map(decisions.map((d) => [d.listingId, d]));
    const reports = new Map((await store.reports(REPORTS_READ)).map((r) => [r.listingId, r]));
    let cache = caches.get(parts);
    if (!cache) caches.set(parts, cache = new ReviewCache(parts.review));
    const review = await cache.of(directory.records(), today);
    const items: CurationItem[] = [];
    for (const o of directory.records()) {
        const report = reports.get(o.id);
        const d = decisionOf.get(o.id);
        const lapsed = curation.lapsed.has(o.id);
        const checkedOn = curation.checked.get(o.id) ?? o.assured_date;
        const stale = daysBetween(checkedOn, today) > DEFAULTS.staleAfterDays;
        const notes = review.get(o.id) ?? [];
        const reasons: QueueReason[] = [
            ...(report ? ['reported' as const] : []), ...(stale ? ['stale' as const] : []),
            ...(notes.length ? ['review' as const] : []),
        ];
        // A listing a curator decided on stays in view while its decision lapsed, so they can decide again.
        if (!reasons.length && !lapsed && !(d?.hidden && !lapsed)) continue;
        if (options.reason && !reasons.includes(options.reason)) continue;
        const { listingId: _id, ...counts } = report ?? { listingId: '' };
        items.push({
            id: o.id, name: o.name, organization: o.organization.name, reasons,
            ...(report ? { reports: counts as Omit<ListingReportSummary, 'listingId'> } : {}),
            checkedOn, stale, feedCheckedOn: o.assured_date, review: notes,
            ...(d ? {
                decision: {
                    hidden: d.hidden && !lapsed, ...(d.checkedOn && !lapsed ? { checkedOn: d.checkedOn } : {}),
                    ...(d.fixedAt ? { fixedAt: d.fixedAt } : {}), by: d.by, at: d.at, lapsed, audit: d.audit,
                },
            } : {}),
        });
    }
    items.sort((a, b) => (b.reports?.count ?? 0) - (a.reports?.count ?? 0)
        || (b.reports?.lastAt ?? '').localeCompare(a.reports?.lastAt ?? '')
        || a.checkedOn.localeCompare(b.checkedOn) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return {
        items: items.slice(options.offset, options.offset + options.limit), total: items.length,
        staleAfterDays: DEFAULTS.staleAfterDays,
    };
}

/**
 * Applies a curator's action to a listing through the store, with the record's fingerprint as this instance serves
 * it, and applies it here at once. A fix clears only the reports up to `reportsUpTo` (the last the curator saw).
 * Undefined for a listing the directory does not have.
 */
export async function decideListing(parts: CurationParts, id: string, action: CuratorAction, by: string, now: Date,
    today: string, reportsUpTo?: string): Promise<ListingDecision | undefined> {
    const fingerprint = parts.directory.fingerprint(id);
    if (!fingerprint) return undefined;
    const decided = await parts.store.decide({
        listingId: id, action, by, at: now.toISOString(), fingerprint,
        ...(action === 'checked' ? { checkedOn: today } : {}),
        ...(action === 'fixed' && reportsUpTo ? { reportsUpTo } : {}),
    });
    await parts.directory.refresh();
    return decided;
}
