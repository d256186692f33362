/**
 * Residents' reports against listings and curators' decisions, in MongoDB. A report is one atomic upsert with $inc;
 * a decision is a conditional replace of the listing's document on its revision (a writer that loses the race reads
 * again and retries), then a $inc of the version document every instance polls. No transactions, no pipeline
 * updates, so FerretDB 1.x runs it too.
 */
import type { Collection } from 'mongodb';
import {
    applyChange, checkChange, checkReport, fixedUpTo, type CuratorChange, type ListingDecision, type ListingFeedbackStore,
    type ListingReport, type ListingReportSummary,
} from '../listingFeedbackStore';
import { STORE_LIMITS } from '../limits';
import { DocumentQueue, StoreBusyError, isDuplicateKey, literal, upsertRetrying } from './connection';

/** One listing's reports: the port's summary keyed by `_id` (the listing id). */
export type ListingReportDoc = Omit<ListingReportSummary, 'listingId'> & { _id: string };

/** One listing's decision, with the revision its conditional replace checks. */
export type ListingDecisionDoc = Omit<ListingDecision, 'listingId'> & { _id: string; rev: number };

/** The version every instance polls: one document. */
export interface CurationVersionDoc {
    _id: string;
    n: number;
}

export function reportSummaryOf(doc: ListingReportDoc): ListingReportSummary {
    return { listingId: doc._id, count: doc.count, problems: doc.problems ?? {}, firstAt: doc.firstAt,
        lastAt: doc.lastAt };
}

export function decisionOf({ _id, rev: _rev, ...rest }: ListingDecisionDoc): ListingDecision {
    return { listingId: _id, ...rest };
}

export function decisionDoc({ listingId, ...rest }: ListingDecision, rev: number): ListingDecisionDoc {
    return { _id: literal(listingId), ...rest, rev };
}

const VERSION_ID = 'version';

export class MongoListingFeedbackStore implements ListingFeedbackStore {
    constructor(
        private readonly reportsOf: Collection<ListingReportDoc>,
        private readonly decisionsOf: Collection<ListingDecisionDoc>,
        private readonly versionOf: Collection<CurationVersionDoc>,
        private readonly queue = new DocumentQueue(false),
    ) {}

    async recordReport(report: ListingReport): Promise<void> {
        checkReport(report);
        const _id = literal(report.listingId);
        const at = literal(report.at);
        await this.queue.run(`listing-reports:${_id}`, () => upsertRetrying(() => this.reportsOf.updateOne({ _id }, {
            $inc: { count: 1, [`problems.${report.problem}`]: 1 },
            $min: { firstAt: at },
            $max: { lastAt: at },
        }, { upsert: true })));
    }

    async reports(limit: number): Promise<ListingReportSummary[]> {
        const docs = await this.reportsOf.find({}, { sort: { count: -1, lastAt: -1, _id: 1 } })
            .limit(Math.max(0, Math.floor(limit))).toArray();
        return docs.map(reportSummaryOf);
    }

    async decisions(): Promise<ListingDecision[]> {
        return (await this.decisionsOf.find({}, { sort: { _id: 1 } }).toArray()).map(decisionOf);
    }

    async decide(change: CuratorChange): Promise<ListingDecision> {
        checkChange(change);
        const _id = literal(change.listingId);
        const decided = await this.queue.run(`listing-decisions:${_id}`, () => this.write(_id, change));
        if (change.action === 'fixed') {
            // Reports the curator saw are dealt with; one made since (on another page) keeps them in the queue. Under
            // the reports' lease, so on FerretDB a report's read-and-write never straddles the delete.
            const upTo = literal(fixedUpTo(change));
            await this.queue.run(`listing-reports:${_id}`,
                () => this.reportsOf.deleteOne({ _id, lastAt: { $lte: upTo } }));
        }
        await this.bump();
        return decided;
    }

    /** Reads the decision and replaces it on its revision; another writer's change in between means reading again. */
    private async write(_id: string, change: CuratorChange): Promise<ListingDecision> {
        for (let attempt = 0; attempt < 5; attempt++) {
            const doc = await this.decisionsOf.findOne({ _id });
            const after = applyChange(doc ? decisionOf(doc) : undefined, change, STORE_LIMITS.curationAuditLines);
            if (doc) {
                const next = decisionDoc(after, doc.rev + 1);
                if ((await this.decisionsOf.replaceOne({ _id, rev: doc.rev }, next)).matchedCount === 1) return after;
                continue;
            }
            try {
                await this.decisionsOf.insertOne(decisionDoc(after, 1));
                return after;
            } catch (err) {
                if (!isDuplicateKey(err)) throw err;
            }
        }
        throw new StoreBusyError();
    }

    async version(): Promise<number> {
        return (await this.versionOf.findOne({ _id: VERSION_ID }))?.n ?? 0;
    }

    /** Marks a change made by a migration, so every instance reads the decisions again. */
    async bump(): Promise<void> {
        await this.queue.run(`listing-curation:${VERSION_ID}`, () => upsertRetrying(() => this.versionOf.updateOne(
            { _id: VERSION_ID }, { $inc: { n: 1 } }, { upsert: true })));
    }
}
