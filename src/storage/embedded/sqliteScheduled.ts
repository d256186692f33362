/**
 * Scheduled messages in the embedded SQLite file. A claim is one IMMEDIATE transaction (SQLite's write lock), so
 * two processes on the same file never claim the same message; markSent and markFailed check the claim's token.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
    SCHEDULED_LIMITS, SCHEDULED_MAX_ATTEMPTS, checkScheduled, forgetAddress, withoutAddress, type ClaimedMessage,
    type NewScheduledMessage, type ScheduledMessage, type ScheduledMessageStore, type ScheduledState,
} from '../scheduledMessageStore';

/** The table of scheduled messages: the message as JSON, and the columns the queries use. */
export const SCHEDULED_SCHEMA = `
CREATE TABLE IF NOT EXISTS scheduled_messages (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    resident_key TEXT NOT NULL,
    state TEXT NOT NULL,
    due_at TEXT NOT NULL,
    lease_until TEXT,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scheduled_messages_due ON scheduled_messages (state, due_at);
CREATE INDEX IF NOT EXISTS scheduled_messages_resident ON scheduled_messages (resident_key);
`;

/** A scheduled_messages row as stored. */
export interface ScheduledRow {
    id: string;
    doc: string;
}

export function scheduledOf(row: ScheduledRow): ScheduledMessage {
    return JSON.parse(row.doc) as ScheduledMessage;
}

type Db = Database.Database;

/** Scheduled messages over one connection. */
export class SqliteScheduledMessageStore implements ScheduledMessageStore {
    constructor(private readonly db: Db) {}

    /** Writes a message (insert or replace), keeping the query columns in step with the document. */
    put(m: ScheduledMessage): void {
        this.db.prepare(`INSERT OR REPLACE INTO scheduled_messages
            (id, idempotency_key, resident_key, state, due_at, lease_until, updated_at, doc)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(m.id, m.idempotencyKey, m.residentKey, m.state, m.dueAt, m.leaseUntil ?? null, m.updatedAt,
                JSON.stringify(m));
    }

    private row(id: string): ScheduledMessage | undefined {
        const row = this.db.prepare('SELECT id, doc FROM scheduled_messages WHERE id = ?').get(id) as
            ScheduledRow | undefined;
        return row && scheduledOf(row);
    }

    async schedule(message: NewScheduledMessage, now = new Date()): Promise<{ id: string; created: boolean }> {
        checkScheduled(message);
        return this.db.transaction(() => {
            const had = this.db.prepare('SELECT id FROM scheduled_messages WHERE idempotency_key = ?')
                .get(message.idempotencyKey) as { id: string } | undefined;
            if (had) return { id: had.id, created: false };
            const at = now.toISOString();
            const m: ScheduledMessage = {
                ...message, data: { ...message.data }, dueAt: new Date(message.dueAt).toISOString(),
                id: randomUUID(), state: 'scheduled', attempts: 0, createdAt: at, updatedAt: at,
            };
            this.put(m);
            return { id: m.id, created: true };
        }).immediate();
    }

    async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
        const at = now.toISOString();
        const n = Math.max(0, Math.min(limit, SCHEDULED_LIMITS.claimLimit));
        return this.db.transaction(() => {
            const rows = this.db.prepare(`SELECT id, doc FROM scheduled_messages
                WHERE (state IN ('scheduled', 'failed') AND due_at <= ?) OR (state = 'claimed' AND lease_until <= ?)
                ORDER BY due_at, id LIMIT ?`).all(at, at, n) as ScheduledRow[];
            const claimed: ClaimedMessage[] = [];
            for (const row of rows) {
                const m = scheduledOf(row);
                if (m.state === 'claimed' && m.attempts >= SCHEDULED_MAX_ATTEMPTS) {
                    this.put(finished(m, 'stuck', at));
                    continue;
                }
                const c: ClaimedMessage = {
                    ...m, state: 'claimed', attempts: m.attempts + 1, leaseToken: randomUUID(),
                    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), updatedAt: at,
                };
                this.put(c);
                claimed.push(c);
            }
            return claimed;
        }).immediate();
    }

    async markSent(id: string, leaseToken: string, now = new Date()): Promise<boolean> {
        return this.db.transaction(() => {
            const m = this.row(id);
            if (!m || m.state !== 'claimed' || m.leaseToken !== leaseToken) return false;
            this.put({ ...finished(m, 'sent', now.toISOString()), sentAt: now.toISOString() });
            return true;
        }).immediate();
    }

    async markFailed(id: string, leaseToken: string, retryAt: Date, now = new Date()):
        Promise<'failed' | 'stuck' | false> {
        return this.db.transaction(() => {
            const m = this.row(id);
            if (!m || m.state !== 'claimed' || m.leaseToken !== leaseToken) return false;
            if (m.attempts >= SCHEDULED_MAX_ATTEMPTS) {
                this.put(finished(m, 'stuck', now.toISOString()));
                return 'stuck' as const;
            }
            const { leaseToken: _t, leaseUntil: _u, ...rest } = m;
            this.put({ ...rest, state: 'failed', dueAt: retryAt.toISOString(), updatedAt: now.toISOString() });
            return 'failed' as const;
        }).immediate();
    }

    async cancelForResident(residentKey: string, now = new Date()): Promise<number> {
        return this.db.transaction(() => {
            const rows = this.db.prepare(`SELECT id, doc FROM scheduled_messages
                WHERE resident_key = ? AND state IN ('scheduled', 'claimed', 'failed', 'stuck')`)
                .all(residentKey) as ScheduledRow[];
            let n = 0;
            for (const row of rows) {
                const m = scheduledOf(row);
                // A stuck one is already finished: only its address goes.
                this.put(m.state === 'stuck' ? { ...m, reach: forgetAddress(m.reach) }
                    : finished(m, 'cancelled', now.toISOString()));
                if (m.state !== 'stuck') n++;
            }
            return n;
        }).immediate();
    }

    async get(id: string): Promise<ScheduledMessage | undefined> {
        const m = this.row(id);
        return m && withoutAddress(m);
    }

    async listStuck(limit: number): Promise<ScheduledMessage[]> {
        const n = Math.max(0, Math.min(limit, SCHEDULED_LIMITS.listLimit));
        const rows = this.db.prepare(`SELECT id, doc FROM scheduled_messages WHERE state = 'stuck'
            ORDER BY updated_at DESC, id LIMIT ?`).all(n) as ScheduledRow[];
        return rows.map((r) => withoutAddress(scheduledOf(r)));
    }

    async countStuck(): Promise<number> {
        return (this.db.prepare(`SELECT COUNT(*) AS n FROM scheduled_messages WHERE state = 'stuck'`)
            .get() as { n: number }).n;
    }

    async sweep(before: Date): Promise<number> {
        return this.sweepNow(before);
    }

    /** The sweep, synchronously (the stores' sweep runs in one go). */
    sweepNow(before: Date): number {
        return this.db.prepare(`DELETE FROM scheduled_messages
            WHERE state IN ('sent', 'cancelled', 'stuck') AND updated_at < ?`).run(before.toISOString()).changes;
    }
}

/** A message in a finished state: no claim, and no address kept. */
export function finished(m: ScheduledMessage, state: ScheduledState, at: string): ScheduledMessage {
    const { leaseToken: _t, leaseUntil: _u, ...rest } = m;
    return { ...rest, state, reach: forgetAddress(m.reach), updatedAt: at };
}
