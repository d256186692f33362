/** The anonymous analytics port: counts of needs the bot found nothing for, per week. */

/** One count of a need the bot found nothing for, in the week (Monday, UTC) it happened. */
export interface UnmetCount {
    /** The Monday that starts the week, YYYY-MM-DD (UTC). */
    week: string;
    needId: string;
    count: number;
}

/**
 * Anonymous service analytics for the lead report. Only counts per need per week are kept: no resident key,
 * conversation, text or exact time, so nothing here can point at a person.
 */
export interface AnalyticsStore {
    /** Counts one search that found nothing for these needs (each need once), in the week of `at`. */
    recordUnmet(needIds: readonly string[], at: string): Promise<void>;
    /** The counts for weeks starting on or after `fromWeek` (YYYY-MM-DD), oldest week first. */
    unmetSince(fromWeek: string): Promise<UnmetCount[]>;
}

/** The Monday (UTC) that starts the week of an ISO date-time, as YYYY-MM-DD: how reports group by week. */
export function weekStart(at: string | Date): string {
    const d = new Date(at);
    const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    return day.toISOString().slice(0, 10);
}
