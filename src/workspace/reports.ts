/**
 * The lead report: requests for contact per week by need and by outcome, the median time to first contact, and
 * the needs the bot found nothing for. Worked out on request from the stores; nothing personal leaves here.
 */
import { OUTCOMES, type Escalation } from '../storage/escalationRecord';
import { weekStart, type AnalyticsStore } from '../storage/analyticsStore';
import type { EscalationStore } from '../storage/escalationStore';

/** What the report reads. */
export interface ReportSources {
    escalations: Pick<EscalationStore, 'list'>;
    analytics: Pick<AnalyticsStore, 'unmetSince'>;
    needLabel: (needId: string) => string;
}

/**
 * A count with what it counts, for one bar of a chart; `shown`, the count as the page shows it (see shownCount).
 */
export interface Bar {
    key: string;
    label: string;
    count: number;
    shown: string;
}

/** Below this, a count (but 0) is shown as "fewer than 5", so a small number cannot point to a person. */
export const SMALL_COUNT = 5;

/**
 * A count as the report shows it: 1 to 4 as "fewer than 5" (the usual small-number rule for health and care
 * figures, so few requests cannot be traced to a resident), 0 and 5 or more as they are.
 */
export function shownCount(count: number): string {
    return count > 0 && count < SMALL_COUNT ? `fewer than ${SMALL_COUNT}` : String(count);
}

/** One week of requests: how many, by need (a request with two needs counts for both) and by outcome. */
export interface WeekRow {
    week: string;
    total: number;
    /** The total as the page shows it (shownCount). */
    shown: string;
    byNeed: Bar[];
    byOutcome: Bar[];
}

export interface Report {
    weeks: number;
    /** The Monday of the first week shown, and of this week (YYYY-MM-DD, UTC). */
    from: string;
    to: string;
    perWeek: WeekRow[];
    byNeed: Bar[];
    byOutcome: Bar[];
    /**
     * From the request to when a connector marked it in contact (firstContactAt), over the requests of the period
     * marked so; a claim alone is not contact. Null when none has been; `shown`, the count as the page shows it.
     */
    firstContact: { medianMinutes: number | null; count: number; shown: string };
    /** Searches that found nothing, per need, over the whole period. */
    unmet: Bar[];
    unmetPerWeek: { week: string; byNeed: Bar[] }[];
}

const OUTCOME_LABELS: Record<string, string> = {
    'connected': 'Connected to a service', 'advice-given': 'Advice given', 'could-not-contact': 'Could not contact',
    'declined': 'Declined', 'referred-elsewhere': 'Referred elsewhere', 'open': 'Still open',
};

/** The key of requests that named no need. */
export const NO_NEED = '(none)';

/** Builds the report for the `weeks` weeks up to and including the week of `now`. */
export async function buildReport(sources: ReportSources, weeks: number, now: Date): Promise<Report> {
    const to = weekStart(now);
    const first = new Date(`${to}T00:00:00.000Z`);
    first.setUTCDate(first.getUTCDate() - 7 * (weeks - 1));
    const from = first.toISOString().slice(0, 10);
    const allWeeks = Array.from({ length: weeks }, (_, i) =>
        new Date(first.getTime() + i * 7 * 86_400_000).toISOString().slice(0, 10));

    const inRange = (await sources.escalations.list()).filter((e) => weekStart(e.createdAt) >= from);
    const needLabel = (id: string) => (id === NO_NEED ? 'No need named' : sources.needLabel(id));
    const needBars = (counts: Map<string, number>) => bars(counts, needLabel);
    const outcomeBars = (counts: Map<string, number>) => bars(counts, (k) => OUTCOME_LABELS[k] ?? k, outcomeOrder);

    const perWeek = allWeeks.map((week) => {
        const these = inRange.filter((e) => weekStart(e.createdAt) === week);
        return {
            week, total: these.length, shown: shownCount(these.length),
            byNeed: needBars(countNeeds(these)), byOutcome: outcomeBars(countOutcomes(these)),
        };
    });

    // Only a mark of contact is first contact: a claim says someone has the request, not that they reached anyone.
    const waits = inRange.filter((e) => e.firstContactAt)
        .map((e) => (Date.parse(e.firstContactAt!) - Date.parse(e.createdAt)) / 60_000);

    const unmetRows = await sources.analytics.unmetSince(from);
    const unmetTotal = new Map<string, number>();
    for (const r of unmetRows) unmetTotal.set(r.needId, (unmetTotal.get(r.needId) ?? 0) + r.count);

    return {
        weeks, from, to, perWeek,
        byNeed: needBars(countNeeds(inRange)),
        byOutcome: outcomeBars(countOutcomes(inRange)),
        firstContact: { medianMinutes: median(waits), count: waits.length, shown: shownCount(waits.length) },
        unmet: needBars(unmetTotal),
        unmetPerWeek: allWeeks.map((week) => ({
            week,
            byNeed: needBars(new Map(unmetRows.filter((r) => r.week === week).map((r) => [r.needId, r.count]))),
        })),
    };
}

function countNeeds(list: readonly Escalation[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of list) {
        // A resident who asked for a person straight away may have named no need; they still count.
        const needs = e.summary.needs.length ? new Set(e.summary.needs) : [NO_NEED];
        for (const n of needs) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    return counts;
}

function countOutcomes(list: readonly Escalation[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of list) {
        const key = e.status === 'closed' && e.outcome ? e.outcome : 'open';
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
}

/** Outcomes in their usual order, "still open" last, so charts read the same week to week. */
function outcomeOrder(a: Bar, b: Bar): number {
    const rank = (k: string) => (k === 'open' ? OUTCOMES.length : OUTCOMES.indexOf(k as typeof OUTCOMES[number]));
    return rank(a.key) - rank(b.key);
}

/** Bars, largest first (ties by label) unless an order is given. */
function bars(counts: Map<string, number>, label: (key: string) => string,
    order: (a: Bar, b: Bar) => number = (a, b) => b.count - a.count || a.label.localeCompare(b.label)): Bar[] {
    return [...counts].map(([key, count]) => ({ key, label: label(key), count, shown: shownCount(count) }))
        .sort(order);
}

function median(values: number[]): number | null {
    if (!values.length) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const m = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return Math.round(m);
}
