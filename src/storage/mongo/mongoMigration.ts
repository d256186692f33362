/**
 * Reads everything in the MongoDB database, and writes records copied from another store, for
 * `signpost store migrate`. Writes replace by _id (upserts), so running a migration twice leaves one copy.
 */
import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { RECORD_KINDS, type RecordKind, type StoreMigration, type StoreRecord } from '../storeMigration';
import { COLLECTIONS, DAY_MS } from './connection';
import type { StateDoc } from './mongoState';
import { escalationDoc, escalationOf, auditLine, type EscalationDoc } from './mongoEscalations';
import type { ActivityDoc, ConversationDoc, OptOutDoc } from './mongoDirectLine';
import {
    sessionDoc, sessionOf, userDoc, userOf, type SessionDoc, type TeamsLinkDoc, type UnmetDoc, type UserDoc,
} from './mongoWorkspace';
import {
    decisionDoc, decisionOf, reportSummaryOf, type CurationVersionDoc, type ListingDecisionDoc, type ListingReportDoc,
} from './mongoListingFeedback';
import { scheduledDoc, scheduledOfDoc, type ScheduledDoc } from './mongoScheduled';

/** An imported record that is already past its retention is kept this much longer, for the sweep to remove. */
const IMPORT_GRACE_MS = 3_600_000;

export class MongoMigration implements StoreMigration {
    constructor(
        private readonly db: Db,
        private readonly retention: { stateDays: number; referralDays?: number },
    ) {}

    async counts(): Promise<Record<RecordKind, number>> {
        const out = {} as Record<RecordKind, number>;
        for (const kind of RECORD_KINDS) out[kind] = await this.db.collection(COLLECTIONS[kind]).countDocuments({});
        return out;
    }

    async *exportAll(): AsyncIterable<StoreRecord> {
        for await (const d of this.all<StateDoc>('state')) {
            yield {
                kind: 'state', id: d._id,
                doc: {
                    item: JSON.parse(d.doc) as Record<string, unknown>, eTag: d.eTag, updatedAt: d.updatedAt.getTime(),
                },
            };
        }
        for await (const d of this.all<EscalationDoc>('escalations')) {
            yield {
                kind: 'escalations', id: d._id,
                doc: {
                    escalation: escalationOf(d), audit: d.audit.map(auditLine),
                    chat: (d.chat ?? []).map(auditLine), chatTotal: Math.max(d.chatTotal ?? 0, d.chat?.length ?? 0),
                },
            };
        }
        for await (const d of this.all<UserDoc>('users')) yield { kind: 'users', id: d._id, doc: userOf(d) };
        for await (const d of this.all<SessionDoc>('sessions')) {
            yield { kind: 'sessions', id: d._id, doc: sessionOf(d) };
        }
        for await (const d of this.all<OptOutDoc>('optOuts')) {
            yield { kind: 'optOuts', id: d._id, doc: { optedOut: d.optedOut, at: d.at } };
        }
        for await (const d of this.all<UnmetDoc>('unmetNeeds')) {
            yield { kind: 'unmetNeeds', id: d._id, doc: { week: d.week, needId: d.needId, count: d.count } };
        }
        for await (const d of this.all<ConversationDoc>('chatConversations')) {
            yield {
                kind: 'chatConversations', id: d._id,
                doc: {
                    id: d._id, userId: d.userId, createdAt: d.createdAt, lastSeq: d.lastSeq,
                    updatedAt: d.updatedAt.getTime(),
                },
            };
        }
        for await (const d of this.all<TeamsLinkDoc>('teamsLinks')) {
            yield {
                kind: 'teamsLinks', id: d.aadObjectId,
                doc: { aadObjectId: d.aadObjectId, userId: d._id, via: d.via, linkedAt: d.linkedAt },
            };
        }
        for await (const d of this.all<ActivityDoc>('chatActivities')) {
            yield {
                kind: 'chatActivities', id: d._id,
                doc: {
                    conversationId: d.conversationId, seq: d.seq,
                    activity: JSON.parse(d.doc) as Record<string, unknown>,
                },
            };
        }
        for await (const d of this.all<ListingReportDoc>('listingReports')) {
            yield { kind: 'listingReports', id: d._id, doc: reportSummaryOf(d) };
        }
        for await (const d of this.all<ListingDecisionDoc>('listingDecisions')) {
            yield { kind: 'listingDecisions', id: d._id, doc: decisionOf(d) };
        }
        for await (const d of this.all<ScheduledDoc>('scheduledMessages')) {
            yield { kind: 'scheduledMessages', id: d._id, doc: scheduledOfDoc(d) };
        }
    }

    async importRecords(records: readonly StoreRecord[]): Promise<void> {
        const byKind = new Map<RecordKind, AnyBulkWriteOperation<{ _id: string }>[]>();
        for (const record of records) {
            const { _id, ...replacement } = this.documentOf(record);
            const ops = byKind.get(record.kind) ?? [];
            ops.push({ replaceOne: { filter: { _id }, replacement, upsert: true } });
            byKind.set(record.kind, ops);
        }
        for (const [kind, ops] of byKind) {
            await this.db.collection<{ _id: string }>(COLLECTIONS[kind]).bulkWrite(ops, { ordered: false });
        }
        if (byKind.has('listingDecisions')) {
            // Every instance reads the curators' decisions again (see ListingFeedbackStore.version).
            await this.db.collection<CurationVersionDoc>(COLLECTIONS.curationVersion)
                .updateOne({ _id: 'version' }, { $inc: { n: 1 } }, { upsert: true });
        }
    }

    /** The document a record becomes, as the stores write it. */
    private documentOf(r: StoreRecord): Document & { _id: string } {
        const { stateDays, referralDays } = this.retention;
        const floor = Date.now() + IMPORT_GRACE_MS;
        const expiry = (fromMs: number) => new Date(Math.max(fromMs + stateDays * DAY_MS, floor));
        switch (r.kind) {
            case 'state':
                return {
                    _id: r.id, doc: JSON.stringify(r.doc.item), eTag: r.doc.eTag, updatedAt: new Date(r.doc.updatedAt),
                    expireAt: expiry(r.doc.updatedAt),
                } satisfies StateDoc;
            case 'escalations': {
                const doc = escalationDoc(r.doc.escalation, r.doc.audit, referralDays,
                    { lines: r.doc.chat ?? [], total: r.doc.chatTotal });
                if (doc.expireAt && doc.expireAt.getTime() < floor) doc.expireAt = new Date(floor);
                return doc;
            }
            case 'users':
                return userDoc(r.doc);
            case 'sessions':
                return sessionDoc(r.doc);
            case 'optOuts':
                return { _id: r.id, optedOut: r.doc.optedOut, at: r.doc.at } satisfies OptOutDoc;
            case 'unmetNeeds':
                return { _id: r.id, week: r.doc.week, needId: r.doc.needId, count: r.doc.count } satisfies UnmetDoc;
            case 'chatConversations':
                return {
                    _id: r.doc.id, userId: r.doc.userId, createdAt: r.doc.createdAt, lastSeq: r.doc.lastSeq,
                    updatedAt: new Date(r.doc.updatedAt), expireAt: expiry(r.doc.updatedAt),
                } satisfies ConversationDoc;
            case 'teamsLinks':
                return {
                    _id: r.doc.userId, aadObjectId: r.doc.aadObjectId, via: r.doc.via, linkedAt: r.doc.linkedAt,
                } satisfies TeamsLinkDoc;
            case 'chatActivities':
                // Written long enough ago that a reader never waits for a gap before it.
                return {
                    _id: `${r.doc.conversationId}:${r.doc.seq}`, conversationId: r.doc.conversationId, seq: r.doc.seq,
                    doc: JSON.stringify(r.doc.activity), at: new Date(0), expireAt: expiry(Date.now()),
                } satisfies ActivityDoc;
            case 'listingReports': {
                const { listingId, ...rest } = r.doc;
                return { _id: listingId, ...rest } satisfies ListingReportDoc;
            }
            case 'listingDecisions':
                return decisionDoc(r.doc, 1);
            case 'scheduledMessages':
                return scheduledDoc(r.doc);
        }
    }

    private all<T extends Document>(kind: RecordKind): AsyncIterable<T> {
        return this.db.collection<T>(COLLECTIONS[kind]).find({}, { sort: { _id: 1 } }) as unknown as AsyncIterable<T>;
    }
}
