/**
 * The self-hosted Direct Line endpoint's conversations and activities, and SMS opt-outs, in the embedded SQLite
 * file. Each method is one statement or one transaction, so two instances sharing the file never interleave.
 */
import type Database from 'better-sqlite3';
import {
    UnknownConversationError, type DirectLineConversation, type DirectLineEntry, type DirectLineStore,
} from '../directLineStore';
import type { OptOutStore } from '../optOutStore';

type Db = Database.Database;

/** Tables added to the embedded database; created when missing, so older files gain them on start-up. */
export const DIRECT_LINE_SCHEMA = `
CREATE TABLE IF NOT EXISTS dl_conversations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    window_start INTEGER NOT NULL DEFAULT 0,
    window_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS dl_conversations_updated ON dl_conversations(updated_at);
CREATE TABLE IF NOT EXISTS dl_activities (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE IF NOT EXISTS sms_opt_outs (
    resident_key TEXT PRIMARY KEY,
    opted_out INTEGER NOT NULL,
    at TEXT NOT NULL
);
`;

/** Thrown when an activity is appended to a conversation that does not exist (it lives in the ports now). */
export { UnknownConversationError } from '../directLineStore';

export class SqliteDirectLineStore implements DirectLineStore {
    private readonly appendTx: (id: string, build: (seq: number) => Record<string, unknown>) => DirectLineEntry;
    private readonly hitTx: (id: string, now: number, windowMs: number, max: number) => number;

    /** `wipe`: run after a deletion, so what was deleted leaves the WAL as well (see sqliteStores.ts). */
    constructor(private readonly db: Db, private readonly wipe: () => void = () => undefined) {
        const bump = db.prepare<[number, string], { last_seq: number }>(
            'UPDATE dl_conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq');
        const insert = db.prepare('INSERT INTO dl_activities (conversation_id, seq, doc) VALUES (?, ?, ?)');
        this.appendTx = db.transaction((id: string, build: (seq: number) => Record<string, unknown>) => {
            const row = bump.get(Date.now(), id);
            if (!row) throw new UnknownConversationError();
            const activity = build(row.last_seq);
            insert.run(id, row.last_seq, JSON.stringify(activity));
            return { seq: row.last_seq, activity };
        });
        const read = db.prepare<[string], { window_start: number; window_count: number }>(
            'SELECT window_start, window_count FROM dl_conversations WHERE id = ?');
        const write = db.prepare('UPDATE dl_conversations SET window_start = ?, window_count = ? WHERE id = ?');
        this.hitTx = db.transaction((id: string, now: number, windowMs: number, max: number) => {
            const row = read.get(id);
            if (!row) return 0;
            if (now - row.window_start >= windowMs || now < row.window_start) {
                write.run(now, 1, id);
                return 0;
            }
            if (row.window_count >= max) return row.window_start + windowMs - now;
            write.run(row.window_start, row.window_count + 1, id);
            return 0;
        });
    }

    async createConversation(c: DirectLineConversation): Promise<boolean> {
        const result = this.db.prepare(`INSERT OR IGNORE INTO dl_conversations (id, user_id, created_at, updated_at)
            VALUES (?, ?, ?, ?)`).run(c.id, c.userId, c.createdAt, Date.now());
        return result.changes === 1;
    }

    async getConversation(id: string): Promise<DirectLineConversation | undefined> {
        const row = this.db.prepare('SELECT id, user_id, created_at FROM dl_conversations WHERE id = ?').get(id) as
            | { id: string; user_id: string; created_at: string }
            | undefined;
        return row ? { id: row.id, userId: row.user_id, createdAt: row.created_at } : undefined;
    }

    async append(conversationId: string, build: (seq: number) => Record<string, unknown>): Promise<DirectLineEntry> {
        return this.appendTx(conversationId, build);
    }

    async since(conversationId: string, watermark: number, limit: number): Promise<DirectLineEntry[]> {
        const rows = this.db.prepare(`SELECT seq, doc FROM dl_activities WHERE conversation_id = ? AND seq > ?
            ORDER BY seq LIMIT ?`).all(conversationId, watermark, limit) as { seq: number; doc: string }[];
        return rows.map((r) => ({ seq: r.seq, activity: JSON.parse(r.doc) as Record<string, unknown> }));
    }

    async forgetBefore(conversationId: string, seq: number): Promise<number> {
        const forgotten = this.db.prepare('DELETE FROM dl_activities WHERE conversation_id = ? AND seq < ?')
            .run(conversationId, seq).changes;
        if (forgotten) this.wipe();
        return forgotten;
    }

    async redact(conversationId: string, seq: number, text: string): Promise<boolean> {
        const row = this.db.prepare('SELECT doc FROM dl_activities WHERE conversation_id = ? AND seq = ?')
            .get(conversationId, seq) as { doc: string } | undefined;
        if (!row) return false;
        const activity = { ...JSON.parse(row.doc) as Record<string, unknown>, text };
        this.db.prepare('UPDATE dl_activities SET doc = ? WHERE conversation_id = ? AND seq = ?')
            .run(JSON.stringify(activity), conversationId, seq);
        this.wipe();
        return true;
    }

    async hit(conversationId: string, nowMs: number, windowMs: number, max: number): Promise<{ retryAfterMs: number }> {
        return { retryAfterMs: this.hitTx(conversationId, nowMs, windowMs, max) };
    }

    /** Removes conversations (and their activities) untouched since `cutoffMs`. Returns how many went. */
    sweep(cutoffMs: number): number {
        return this.db.transaction(() => {
            this.db.prepare(`DELETE FROM dl_activities WHERE conversation_id IN
                (SELECT id FROM dl_conversations WHERE updated_at < ?)`).run(cutoffMs);
            return this.db.prepare('DELETE FROM dl_conversations WHERE updated_at < ?').run(cutoffMs).changes;
        })();
    }
}

export class SqliteOptOutStore implements OptOutStore {
    constructor(private readonly db: Db) {}

    async isOptedOut(residentKey: string): Promise<boolean> {
        const row = this.db.prepare('SELECT opted_out FROM sms_opt_outs WHERE resident_key = ?').get(residentKey) as
            | { opted_out: number }
            | undefined;
        return row?.opted_out === 1;
    }

    async record(residentKey: string, optedOut: boolean, at: string): Promise<void> {
        this.db.prepare(`INSERT INTO sms_opt_outs (resident_key, opted_out, at) VALUES (?, ?, ?)
            ON CONFLICT(resident_key) DO UPDATE SET opted_out = excluded.opted_out, at = excluded.at`)
            .run(residentKey, optedOut ? 1 : 0, at);
    }
}
