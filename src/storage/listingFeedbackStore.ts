/**
 * The listing feedback port (issue 21): residents' reports that a listing is wrong, and the curators' decisions on
 * listings. A report holds the listing's id, the kind of problem, when and on which channel: nothing about the
 * resident. Reports are kept as counts per listing (how many of each problem, the first and the last date), never
 * one by one; decisions hold the curator's account id, never their name or e-mail.
 */

/** What a resident said is wrong with a listing. */
export type ListingProblem = 'closed' | 'phone' | 'time' | 'place' | 'other';

/** Every problem a report may name, in the order the curation queue shows them. */
export const LISTING_PROBLEMS: readonly ListingProblem[] = ['closed', 'phone', 'time', 'place', 'other'];

/** One resident's report against one listing. */
export interface ListingReport {
    listingId: string;
    problem: ListingProblem;
    /** ISO time of the report. */
    at: string;
    /** The channel id it came from (webchat, msteams, sms...). */
    channel: string;
}

/** What the conversation needs: recording a report. The curation queue's reads and decisions extend this port. */
export interface ListingReportSink {
    recordReport(report: ListingReport): Promise<void>;
}

/** The reports against one listing since a curator last marked it fixed: counts, never who. */
export interface ListingReportSummary {
    listingId: string;
    /** All reports. */
    count: number;
    /** How many of each problem (a problem never reported is absent). */
    problems: Partial<Record<ListingProblem, number>>;
    /** ISO times of the first and the last report. */
    firstAt: string;
    lastAt: string;
}

/** What a curator can do to a listing. `shown` undoes `hidden`. */
export const CURATOR_ACTIONS = ['fixed', 'checked', 'hidden', 'shown'] as const;
export type CuratorAction = (typeof CURATOR_ACTIONS)[number];

/** One line of a listing's curation audit trail: who (an account id), what and when. */
export interface CurationAuditLine {
    at: string;
    /** The curator's account id. */
    actor: string;
    action: CuratorAction;
    /** For `checked`: the date given. */
    detail?: string;
}

/**
 * A curator's standing decision on one listing, laid over the directory each instance serves. `fingerprint` is the
 * record as imported when the decision was last made (src/conversation/curation.ts): when the feed changes the
 * record, the fingerprints differ and the hide and the check date lapse.
 */
export interface ListingDecision {
    listingId: string;
    /** Kept back from suggestions (the bot's and the workspace's search). */
    hidden: boolean;
    /** YYYY-MM-DD: the day a curator checked it, shown to residents as its checked date instead of the feed's. */
    checkedOn?: string;
    /** When a curator last marked its reports fixed. */
    fixedAt?: string;
    fingerprint: string;
    /** Who made the last change (an account id), and when (ISO). */
    by: string;
    at: string;
    /** The newest changes, oldest first (at most STORE_LIMITS.auditEntries). */
    audit: CurationAuditLine[];
}

/** One change a curator makes to one listing. */
export interface CuratorChange {
    listingId: string;
    action: CuratorAction;
    /** The curator's account id. */
    by: string;
    /** ISO time of the change. */
    at: string;
    /** The record's fingerprint as this instance serves it now. */
    fingerprint: string;
    /** For `checked`: the day it was checked (YYYY-MM-DD). */
    checkedOn?: string;
    /**
     * For `fixed`: the last report's time (`lastAt`) the curator saw when they chose fixed. Only reports up to it
     * are cleared: a listing reported again after it keeps its reports, so the curator sees it again. Without it,
     * the change's own time.
     */
    reportsUpTo?: string;
}

/** The newest report a `fixed` change clears: what the curator saw, else everything up to the change. */
export function fixedUpTo(change: CuratorChange): string {
    return change.reportsUpTo ?? change.at;
}

/**
 * Reports and decisions, for the curation queue and for every instance's directory. Each change is one atomic write
 * of one listing's document (its audit line included), and bumps a counter every instance polls, so a decision
 * made on one instance is laid over the directory on all of them within a poll.
 */
export interface ListingFeedbackStore extends ListingReportSink {
    /**
     * Adds one report to its listing's counts (an atomic increment, however many instances report at once).
     * Refuses (throws) a listing id over 100 characters or a problem it does not know.
     */
    recordReport(report: ListingReport): Promise<void>;
    /** Every listing with reports not yet marked fixed, the most reported first (at most `limit`). */
    reports(limit: number): Promise<ListingReportSummary[]>;
    /** Every listing a curator has decided on. */
    decisions(): Promise<ListingDecision[]>;
    /**
     * Applies one change: `fixed` clears the listing's reports unless one came after `reportsUpTo` (the last the
     * curator saw), and notes when; `checked` sets its check date;
     * `hidden` and `shown` set whether it is kept back. Every change stores the fingerprint given, appends its audit
     * line and bumps the version. Returns the decision as it is now.
     */
    decide(change: CuratorChange): Promise<ListingDecision>;
    /** A number that grows with every decision made (on any instance): poll it, and read decisions when it moves. */
    version(): Promise<number>;
}

/** A listing id as stored: the directory's ids are at most 100 characters (knowledge/schema.ts). */
export const LISTING_ID_MAX = 100;

/** Checks a report before it is stored: a known problem and a listing id of a sane length. */
export function checkReport(report: ListingReport): void {
    if (typeof report.listingId !== 'string' || report.listingId.length === 0
        || report.listingId.length > LISTING_ID_MAX) {
        throw new Error('A listing report needs a listing id of 1 to 100 characters');
    }
    if (!LISTING_PROBLEMS.includes(report.problem)) throw new Error('A listing report names an unknown problem');
}

/** Checks a change before it is stored. */
export function checkChange(change: CuratorChange): void {
    if (typeof change.listingId !== 'string' || change.listingId.length === 0
        || change.listingId.length > LISTING_ID_MAX) {
        throw new Error('A curator\'s change needs a listing id of 1 to 100 characters');
    }
    if (!CURATOR_ACTIONS.includes(change.action)) throw new Error('A curator\'s change names an unknown action');
    if (change.action === 'checked' && !/^\d{4}-\d{2}-\d{2}$/.test(change.checkedOn ?? '')) {
        throw new Error('A check needs its date as YYYY-MM-DD');
    }
    if (change.reportsUpTo !== undefined && (typeof change.reportsUpTo !== 'string'
        || Number.isNaN(Date.parse(change.reportsUpTo)) || change.reportsUpTo.length > 40)) {
        throw new Error('A fix\'s last report seen needs an ISO time');
    }
}

/**
 * The decision a change makes of the one before it (none: a first decision). Shared by both adapters, so they
 * agree on what each action keeps; the audit trail is capped at `keep` lines.
 */
export function applyChange(before: ListingDecision | undefined, change: CuratorChange, keep: number):
    ListingDecision {
    const line: CurationAuditLine = {
        at: change.at, actor: change.by, action: change.action,
        ...(change.action === 'checked' ? { detail: change.checkedOn } : {}),
    };
    // A decision made on the record as it was lapses once the feed changed it: its hide and check date go with it.
    const standing = before && before.fingerprint === change.fingerprint ? before : undefined;
    const hidden = change.action === 'hidden' ? true : change.action === 'shown' ? false : standing?.hidden ?? false;
    const checkedOn = change.action === 'checked' ? change.checkedOn : standing?.checkedOn;
    const fixedAt = change.action === 'fixed' ? change.at : before?.fixedAt;
    return {
        listingId: change.listingId,
        hidden,
        ...(checkedOn ? { checkedOn } : {}),
        ...(fixedAt ? { fixedAt } : {}),
        fingerprint: change.fingerprint,
        by: change.by,
        at: change.at,
        audit: [...(before?.audit ?? []), line].slice(-keep),
    };
}
