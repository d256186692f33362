/**
 * Reads everything in the embedded file, and writes records copied from another store, for
 * `signpost store migrate`. Reading goes page by page (by rowid), so a large file is never held in memory at once.
 */
import type Database from 'better-sqlite3';
import {
    RECORD_KINDS, RECORD_STORE_NAMES, type RecordKind, type StoreMigration, type StoreRecord,
} from '../storeMigration';
import type { EscalationStore } from '../escalationStore';
import type { TeamsLinkWay } from '../teamsLinkStore';
import { userOf, type UserRow } from './sqliteWorkspace';
import { STORE_LIMITS } from '../limits';
import { numberedChat } from '../chat';
import type { ListingDecision } from '../listingFeedbackStore';
import { reportOf, type ReportRow } from './sqliteListingFeedback';
import { SqliteScheduledMessageStore, scheduledOf, type ScheduledRow } from './sqliteScheduled';

type Db = Database.Database;

const PAGE = 500;

/** The table behind each kind. */
const TABLES = RECORD_STORE_NAMES;

export class SqliteMigration implements StoreMigration {
    constructor(private readonly db: Db, private readonly escalations: EscalationStore) {}

    async counts(): Promise<Record<RecordKind, number>> {
        const out = {} as Record<RecordKind, number>;
        for (const kind of RECORD_KINDS) {
            out[kind] = (this.db.prepare(`SELECT COUNT(*) AS n FROM ${TABLES[kind]}`).get() as { n: number }).n;
        }
        return out;
    }

    async *exportAll(): AsyncIterable<StoreRecord> {
        for (const row of this.pages<{ key: string; etag: string; doc: string; updated_at: number }>('state')) {
            yield {
                kind: 'state', id: row.key,
                doc: {
                    item: JSON.parse(row.doc) as Record<string, unknown>, eTag: row.etag, updatedAt: row.updated_at,
                },
            };
        }
        for (const row of this.pages<{ reference: string }>('escalations')) {
            const escalation = await this.escalations.getByReference(row.reference);
            if (!escalation) continue;
            const chat = await this.escalations.chat(row.reference);
            yield {
                kind: 'escalations', id: escalation.id,
                doc: {
                    escalation, audit: await this.escalations.auditTrail(row.reference),
                    chat: (chat?.lines ?? []).map(({ n: _n, ...line }) => line), chatTotal: chat?.total ?? 0,
                },
            };
        }
        for (const row of this.pages<UserRow>('users')) yield { kind: 'users', id: row.id, doc: userOf(row) };
        for (const row of this.pages<{ id: string; user_id: string; csrf_token: string; created_at: string;
            expires_at: string }>('sessions')) {
            yield {
                kind: 'sessions', id: row.id,
                doc: {
                    id: row.id, userId: row.user_id, csrfToken: row.csrf_token, createdAt: row.created_at,
                    expiresAt: row.expires_at,
                },
            };
        }
        for (const row of this.pages<{ resident_key: string; opted_out: number; at: string }>('optOuts')) {
            yield { kind: 'optOuts', id: row.resident_key, doc: { optedOut: row.opted_out === 1, at: row.at } };
        }
        for (const row of this.pages<{ week: string; need_id: string; count: number }>('unmetNeeds')) {
            yield {
                kind: 'unmetNeeds', id: `${row.week}|${row.need_id}`,
                doc: { week: row.week, needId: row.need_id, count: row.count },
            };
        }
        for (const row of this.pages<{ id: string; user_id: string; created_at: string; last_seq: number;
            updated_at: number }>('chatConversations')) {
            yield {
                kind: 'chatConversations', id: row.id,
                doc: {
                    id: row.id, userId: row.user_id, createdAt: row.created_at, lastSeq: row.last_seq,
                    updatedAt: row.updated_at,
                },
            };
        }
        for (const row of this.pages<{ aad_object_id: string; user_id: string; via: TeamsLinkWay; linked_at: string }>(
            'teamsLinks')) {
            yield {
                kind: 'teamsLinks', id: row.aad_object_id,
                doc: { aadObjectId: row.aad_object_id, userId: row.user_id, via: row.via, linkedAt: row.linked_at },
            };
        }
        for (const row of this.pages<{ conversation_id: string; seq: number; doc: string }>('chatActivities')) {
            yield {
                kind: 'chatActivities', id: `${row.conversation_id}:${row.seq}`,
                doc: {
                    conversationId: row.conversation_id, seq: row.seq,
                    activity: JSON.parse(row.doc) as Record<string, unknown>,
                },
            };
        }
        for (const row of this.pages<ReportRow>('listingReports')) {
            yield { kind: 'listingReports', id: row.listing_id, doc: reportOf(row) };
        }
        for (const row of this.pages<{ listing_id: string; doc: string }>('listingDecisions')) {
            yield { kind: 'listingDecisions', id: row.listing_id, doc: JSON.parse(row.doc) as ListingDecision };
        }
        for (const row of this.pages<ScheduledRow>('scheduledMessages')) {
            yield { kind: 'scheduledMessages', id: row.id, doc: scheduledOf(row) };
        }
    }

    async importRecords(records: readonly StoreRecord[]): Promise<void> {
        // One transaction per batch: a batch lands whole or not at all, and the file is fsync'd once.
        this.db.transaction(() => {
            for (const record of records) this.importOne(record);
            // Every instance reads the curators' decisions again (see ListingFeedbackStore.version).
            if (records.some((r) => r.kind === 'listingDecisions')) {
                this.db.prepare(`INSERT INTO listing_curation_version (id, n) VALUES (1, 1)
                    ON CONFLICT(id) DO UPDATE SET n = n + 1`).run();
            }
        })();
    }

    private importOne(r: StoreRecord): void {
        const db = this.db;
        switch (r.kind) {
            case 'state':
                db.prepare(`INSERT INTO state (key, etag, doc, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key)
                    DO UPDATE SET etag = excluded.etag, doc = excluded.doc, updated_at = excluded.updated_at`)
                    .run(r.id, r.doc.eTag, JSON.stringify(r.doc.item), r.doc.updatedAt);
                return;
            case 'escalations': {
                const e = r.doc.escalation;
                const { conversationReference, relay, ...doc } = e;
                db.prepare(`INSERT INTO escalations (id, reference, resident_key, status, priority, created_at, doc,
                    assignee_id, assignee_name, outcome, first_contact_at, closed_at, updated_at,
                    conversation_reference, relay_id, relay_name, notice_id, contact_key)
                    VALUES (@id, @reference, @residentKey, @status, @priority, @createdAt, @doc,
                    @assigneeId, @assigneeName, @outcome, @firstContactAt, @closedAt, @updatedAt,
                    @conversationReference, @relayId, @relayName, @noticeId, @contactKey)
                    ON CONFLICT(id) DO UPDATE SET reference = excluded.reference, resident_key = excluded.resident_key,
                    status = excluded.status, priority = excluded.priority, created_at = excluded.created_at,
                    doc = excluded.doc, assignee_id = excluded.assignee_id, assignee_name = excluded.assignee_name,
                    outcome = excluded.outcome, first_contact_at = excluded.first_contact_at,
                    closed_at = excluded.closed_at, updated_at = excluded.updated_at,
                    conversation_reference = excluded.conversation_reference, relay_id = excluded.relay_id,
                    relay_name = excluded.relay_name, notice_id = excluded.notice_id,
                    contact_key = excluded.contact_key`).run({
                    id: e.id, reference: e.reference, residentKey: e.residentKey, status: e.status,
                    priority: e.priority, createdAt: e.createdAt, doc: JSON.stringify(doc),
                    assigneeId: e.assignee?.id ?? null, assigneeName: e.assignee?.name ?? null,
                    outcome: e.outcome ?? null, firstContactAt: e.firstContactAt ?? null, closedAt: e.closedAt ?? null,
                    updatedAt: e.updatedAt ?? null,
                    conversationReference: conversationReference ? JSON.stringify(conversationReference) : null,
                    relayId: relay?.id ?? null, relayName: relay?.name ?? null, noticeId: e.noticeId ?? null,
                    contactKey: e.contactKey ?? null,
                });
                db.prepare('DELETE FROM escalation_audit WHERE escalation_id = ?').run(e.id);
                const insert = db.prepare(
                    'INSERT INTO escalation_audit (escalation_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)');
                // As every write does: the newest lines only, however many the other store held.
                for (const a of r.doc.audit.slice(-STORE_LIMITS.auditEntries)) {
                    insert.run(e.id, a.at, a.actor, a.action, a.detail ?? null);
                }
                db.prepare('DELETE FROM escalation_chat WHERE escalation_id = ?').run(e.id);
                const chat = numberedChat(r.doc.chat ?? [], r.doc.chatTotal);
                const insertChat = db.prepare(`INSERT INTO escalation_chat (escalation_id, n, at, actor, action, detail)
                    VALUES (?, ?, ?, ?, ?, ?)`);
                for (const c of chat) insertChat.run(e.id, c.n, c.at, c.actor, c.action, c.detail ?? null);
                db.prepare('UPDATE escalations SET chat_total = ? WHERE id = ?')
                    .run(Math.max(r.doc.chatTotal ?? 0, r.doc.chat?.length ?? 0), e.id);
                return;
            }
            case 'users': {
                const u = r.doc;
                db.prepare(`INSERT INTO workspace_users (id, email, name, role, password_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET
                    email = excluded.email, name = excluded.name, role = excluded.role,
                    password_hash = excluded.password_hash, created_at = excluded.created_at`)
                    .run(u.id, u.email.toLowerCase(), u.name, u.role, u.passwordHash ?? null, u.createdAt);
                return;
            }
            case 'sessions': {
                const s = r.doc;
                db.prepare(`INSERT OR REPLACE INTO workspace_sessions (id, user_id, csrf_token, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)`).run(s.id, s.userId, s.csrfToken, s.createdAt, s.expiresAt);
                return;
            }
            case 'optOuts':
                db.prepare('INSERT OR REPLACE INTO sms_opt_outs (resident_key, opted_out, at) VALUES (?, ?, ?)')
                    .run(r.id, r.doc.optedOut ? 1 : 0, r.doc.at);
                return;
            case 'unmetNeeds':
                db.prepare('INSERT OR REPLACE INTO unmet_needs (week, need_id, count) VALUES (?, ?, ?)')
                    .run(r.doc.week, r.doc.needId, r.doc.count);
                return;
            case 'chatConversations': {
                const c = r.doc;
                db.prepare(`INSERT INTO dl_conversations (id, user_id, created_at, last_seq, updated_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id,
                    created_at = excluded.created_at, last_seq = excluded.last_seq, updated_at = excluded.updated_at`)
                    .run(c.id, c.userId, c.createdAt, c.lastSeq, c.updatedAt);
                return;
            }
            case 'teamsLinks': {
                const l = r.doc;
                db.prepare('DELETE FROM teams_links WHERE aad_object_id = ? OR user_id = ?').run(l.aadObjectId, l.userId);
                db.prepare('INSERT INTO teams_links (aad_object_id, user_id, via, linked_at) VALUES (?, ?, ?, ?)')
                    .run(l.aadObjectId, l.userId, l.via, l.linkedAt);
                return;
            }
            case 'chatActivities': {
                const a = r.doc;
                db.prepare('INSERT OR REPLACE INTO dl_activities (conversation_id, seq, doc) VALUES (?, ?, ?)')
                    .run(a.conversationId, a.seq, JSON.stringify(a.activity));
                return;
            }
            case 'listingReports': {
                const s = r.doc;
                db.prepare(`INSERT OR REPLACE INTO listing_reports (listing_id, count, problems, first_at, last_at)
                    VALUES (?, ?, ?, ?, ?)`).run(s.listingId, s.count, JSON.stringify(s.problems), s.firstAt, s.lastAt);
                return;
            }
            case 'listingDecisions':
                db.prepare('INSERT OR REPLACE INTO listing_decisions (listing_id, doc) VALUES (?, ?)')
                    .run(r.doc.listingId, JSON.stringify(r.doc));
                return;
            case 'scheduledMessages':
                new SqliteScheduledMessageStore(db).put(r.doc);
                return;
        }
    }

    /** The rows of one kind's table, a page at a time. */
    private *pages<Row>(kind: RecordKind): Generator<Row> {
        const select = this.db.prepare(`SELECT rowid AS _rowid, * FROM ${TABLES[kind]} WHERE rowid > ?
            ORDER BY rowid LIMIT ${PAGE}`);
        let after = 0;
        for (;;) {
            const rows = select.all(after) as (Row & { _rowid: number })[];
            for (const row of rows) yield row;
            if (rows.length < PAGE) return;
            after = rows[rows.length - 1]!._rowid;
        }
    }
}
