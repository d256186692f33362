/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). Writes are synchronous and fsync'd
 * (synchronous=FULL), so a referral confirmed to a resident survives a crash of the process or the machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Escalation } from '../../handoff/escalation';
import {
    ETagConflictError, type EscalationStore, type ResidentRequestsDeletion, type StateStore, type StoreItems,
    type Stores,
} from '../ports';
import { DIRECT_LINE_SCHEMA, SqliteDirectLineStore, SqliteOptOutStore } from './sqliteDirectLine';

type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS state_updated ON state(updated_at);
CREATE TABLE IF NOT EXISTS escalations (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    resident_key TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS escalations_resident ON escalations(resident_key);
CREATE INDEX IF NOT EXISTS escalations_status ON escalations(status, created_at);
CREATE TABLE IF NOT EXISTS escalation_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    escalation_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL
);
`;

/** Opens (creating if needed) the embedded database file and returns every store over it. */
export function openEmbeddedStores(dataDir: string, fileName = 'signpost.db'): Stores {
    fs.mkdirSync(dataDir, { recursive: true });
    const db = new Database(path.join(dataDir, fileName));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    db.exec(DIRECT_LINE_SCHEMA);
    const directLine = new SqliteDirectLineStore(db);
    return {
        kind: 'embedded',
        state: new SqliteStateStore(db),
        escalations: new SqliteEscalationStore(db),
        directLine,
        optOuts: new SqliteOptOutStore(db),
        sweep: async (stateDays, now = new Date()) => {
            const cutoff = now.getTime() - stateDays * 86_400_000;
            // Website chat transcripts hold what residents typed: they go with the state, on the same day.
            const chats = directLine.sweep(cutoff);
            return db.prepare('DELETE FROM state WHERE updated_at < ?').run(cutoff).changes + chats;
        },
        close: async () => {
            db.close();
        },
    };
}

class SqliteStateStore implements StateStore {
    private readonly select: Database.Statement<[string], { etag: string; doc: string }>;
    private readonly insert: Database.Statement<[string, string, string, number]>;
    private readonly upsert: Database.Statement<[string, string, string, number]>;
    private readonly update: Database.Statement<[string, string, number, string, string]>;
    private readonly remove: Database.Statement<[string]>;
    private readonly writeAll: (changes: StoreItems) => void;

    constructor(db: Db) {
        this.select = db.prepare('SELECT etag, doc FROM state WHERE key = ?');
        this.insert = db.prepare('INSERT INTO state (key, etag, doc, updated_at) VALUES (?, ?, ?, ?)');
        this.upsert = db.prepare(`INSERT INTO state (key, etag, doc, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, doc = excluded.doc, updated_at = excluded.updated_at`);
        this.update = db.prepare('UPDATE state SET etag = ?, doc = ?, updated_at = ? WHERE key = ? AND etag = ?');
        this.remove = db.prepare('DELETE FROM state WHERE key = ?');
        // One transaction per write call: either every change lands or none does.
        this.writeAll = db.transaction((changes: StoreItems) => {
            const now = Date.now();
            for (const [key, item] of Object.entries(changes)) {
                const { eTag, ...rest } = item;
                const doc = JSON.stringify(rest);
                const next = randomUUID();
                if (eTag === undefined || eTag === '*') {
                    this.upsert.run(key, next, doc, now);
                } else if (this.update.run(next, doc, now, key, eTag).changes === 0) {
                    // No row with that eTag: a first write of a new key is fine, a stale one is not.
                    if (this.select.get(key)) throw new ETagConflictError(key);
                    this.insert.run(key, next, doc, now);
                }
            }
        });
    }

    async read(keys: string[]): Promise<StoreItems> {
        const out: StoreItems = {};
        for (const key of keys) {
            const row = this.select.get(key);
            if (row) out[key] = { ...(JSON.parse(row.doc) as object), eTag: row.etag };
        }
        return out;
    }

    async write(changes: StoreItems): Promise<void> {
        this.writeAll(changes);
    }

    async delete(keys: string[]): Promise<void> {
        for (const key of keys) this.remove.run(key);
    }
}

class SqliteEscalationStore implements EscalationStore {
    constructor(private readonly db: Db) {}

    async create(e: Escalation): Promise<void> {
        const tx = this.db.transaction(() => {
            this.db.prepare(`INSERT INTO escalations (id, reference, resident_key, status, priority, created_at, doc)
                VALUES (?, ?, ?, ?, ?, ?, ?)`)
                .run(e.id, e.reference, e.residentKey, e.status, e.priority, e.createdAt, JSON.stringify(e));
            this.db.prepare('INSERT INTO escalation_audit (escalation_id, at, actor, action) VALUES (?, ?, ?, ?)')
                .run(e.id, e.createdAt, 'resident', 'created');
        });
        tx();
    }

    async getByReference(reference: string): Promise<Escalation | undefined> {
        const row = this.db.prepare('SELECT doc FROM escalations WHERE reference = ?').get(reference) as
            | { doc: string }
            | undefined;
        return row ? (JSON.parse(row.doc) as Escalation) : undefined;
    }

    async listForResident(residentKey: string): Promise<Escalation[]> {
        const rows = this.db.prepare('SELECT doc FROM escalations WHERE resident_key = ? ORDER BY created_at')
            .all(residentKey) as { doc: string }[];
        return rows.map((r) => JSON.parse(r.doc) as Escalation);
    }

    async list(filter: { status?: Escalation['status'] } = {}): Promise<Escalation[]> {
        const rows = (filter.status
            ? this.db.prepare('SELECT doc FROM escalations WHERE status = ? ORDER BY created_at').all(filter.status)
            : this.db.prepare('SELECT doc FROM escalations ORDER BY created_at').all()) as { doc: string }[];
        return rows.map((r) => JSON.parse(r.doc) as Escalation);
    }

    async deleteUnactioned(residentKey: string): Promise<ResidentRequestsDeletion> {
        const tx = this.db.transaction(() => {
            const rows = this.db.prepare('SELECT id, reference, status FROM escalations WHERE resident_key = ?')
                .all(residentKey) as { id: string; reference: string; status: string }[];
            const result: ResidentRequestsDeletion = { deleted: [], kept: [] };
            for (const row of rows) {
                if (row.status === 'new') {
                    this.db.prepare('DELETE FROM escalations WHERE id = ?').run(row.id);
                    this.db.prepare('DELETE FROM escalation_audit WHERE escalation_id = ?').run(row.id);
                    result.deleted.push(row.reference);
                } else {
                    result.kept.push(row.reference);
                }
            }
            return result;
        });
        return tx();
    }
}
