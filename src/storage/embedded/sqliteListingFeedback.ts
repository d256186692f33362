/**
 * Residents' reports against listings and curators' decisions, in the embedded SQLite file. Reports are counts per
 * listing (one upsert each); a decision is one row per listing, changed in one transaction with the version row.
 */
import type Database from 'better-sqlite3';
import {
    applyChange, checkChange, checkReport, fixedUpTo, type CuratorChange, type ListingDecision,
    type ListingFeedbackStore, type ListingProblem, type ListingReport, type ListingReportSummary,
} from '../listingFeedbackStore';
import { STORE_LIMITS } from '../limits';

/** Tables for listing reports and curators' decisions. */
export const LISTING_FEEDBACK_SCHEMA = `
CREATE TABLE IF NOT EXISTS listing_reports (
    listing_id TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    problems TEXT NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS listing_decisions (
    listing_id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS listing_curation_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
`;

/** A listing_reports row as stored. */
export interface ReportRow {
    listing_id: string;
    count: number;
    problems: string;
    first_at: string;
    last_at: string;
}

/** The summary a row holds. */
export function reportOf(row: ReportRow): ListingReportSummary {
    return {
        listingId: row.listing_id, count: row.count,
        problems: JSON.parse(row.problems) as Partial<Record<ListingProblem, number>>,
        firstAt: row.first_at, lastAt: row.last_at,
    };
}

/** Reports and decisions over one connection. */
export class SqliteListingFeedbackStore implements ListingFeedbackStore {
    private readonly decideTx: (change: CuratorChange) => ListingDecision;

    constructor(private readonly db: Database.Database) {
        this.decideTx = db.transaction((change: CuratorChange) => {
            const row = db.prepare('SELECT doc FROM listing_decisions WHERE listing_id = ?').get(change.listingId) as
                { doc: string } | undefined;
            const before = row ? JSON.parse(row.doc) as ListingDecision : undefined;
            const after = applyChange(before, change, STORE_LIMITS.curationAuditLines);
            db.prepare(`INSERT INTO listing_decisions (listing_id, doc) VALUES (?, ?)
                ON CONFLICT(listing_id) DO UPDATE SET doc = excluded.doc`).run(change.listingId, JSON.stringify(after));
            // Reports the curator saw are dealt with; one made since (on another page) keeps them all in the queue.
            if (change.action === 'fixed') {
                db.prepare('DELETE FROM listing_reports WHERE listing_id = ? AND last_at <= ?')
                    .run(change.listingId, fixedUpTo(change));
            }
            db.prepare(`INSERT INTO listing_curation_version (id, n) VALUES (1, 1)
                ON CONFLICT(id) DO UPDATE SET n = n + 1`).run();
            return after;
        });
    }

    async recordReport(report: ListingReport): Promise<void> {
        checkReport(report);
        const path = `$.${report.problem}`;
        this.db.prepare(`INSERT INTO listing_reports (listing_id, count, problems, first_at, last_at)
            VALUES (@id, 1, json_object(@problem, 1), @at, @at)
            ON CONFLICT(listing_id) DO UPDATE SET count = count + 1,
                problems = json_set(problems, @path, COALESCE(json_extract(problems, @path), 0) + 1),
                first_at = MIN(first_at, excluded.first_at), last_at = MAX(last_at, excluded.last_at)`)
            .run({ id: report.listingId, problem: report.problem, at: report.at, path });
    }

    async reports(limit: number): Promise<ListingReportSummary[]> {
        return (this.db.prepare(`SELECT * FROM listing_reports ORDER BY count DESC, last_at DESC, listing_id
            LIMIT ?`).all(Math.max(0, Math.floor(limit))) as ReportRow[]).map(reportOf);
    }

    async decisions(): Promise<ListingDecision[]> {
        return (this.db.prepare('SELECT doc FROM listing_decisions ORDER BY listing_id').all() as { doc: string }[])
            .map((r) => JSON.parse(r.doc) as ListingDecision);
    }

    async decide(change: CuratorChange): Promise<ListingDecision> {
        checkChange(change);
        return this.decideTx(change);
    }

    async version(): Promise<number> {
        const row = this.db.prepare('SELECT n FROM listing_curation_version WHERE id = 1').get() as
            { n: number } | undefined;
        return row?.n ?? 0;
    }
}
