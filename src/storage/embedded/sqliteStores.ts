/**
 * The embedded store: one SQLite file (better-sqlite3, WAL). Writes are synchronous. Every store but the bot's
 * conversation state writes through a connection that fsyncs each commit (synchronous=FULL), so a referral confirmed
 * to a resident survives a crash of the process or the machine (power loss included).
 *
 * Conversation state (where a resident is in the dialogs, their answers, the running transcript) is written through
 * a second connection to the same file with synchronous=NORMAL: its commits reach the operating system at once (so
 * they survive the process being killed) but are fsync'd only at the next checkpoint or the next FULL commit. Power
 * loss may therefore take back the last few turns of a conversation; the resident is asked that question again, and
 * anything they asked us to act on is not in state but in a request, written on the FULL connection. An fsync per
 * turn was the largest single cost of a turn and it blocks the event loop for every conversation at once (better-
 * sqlite3 is synchronous), which is why state does not pay it. The WAL is shared, so a FULL commit after a NORMAL one
 * makes both durable.
 *
 * Deleted means deleted on disk too: secure_delete overwrites what a DELETE removes with zeros in the database
 * file, and after every deletion the WAL (which still holds the pages as they were written) is checkpointed and
 * truncated to nothing. The folder and its files are for the server's account only (see ../files.ts).
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type {
    Assignee, AuditAction, AuditEntry, ContactMethod, Escalation, EscalationStatus, Outcome, SocialPrescribingPlan,
} from '../escalationRecord';
import {
    ETagConflictError, jsonToWrite, noteReadJson, type StateStore, type StoreItem, type StoreItems,
} from '../stateStore';
import {
    LIVE_CHAT_ACTIONS, type ChangeResult, type ChatLine, type ChatPage, type EscalationChange, type EscalationStore,
    type LiveChange, type LiveChatAction, type OpenForContact, type PlanSave, type QueuePage, type QueueQuery,
    type ResidentRequestsDeletion,
} from '../escalationStore';
import { retentionOf, type Stores } from '../stores';
import { STORE_LIMITS, checkSize, jsonBytes } from '../limits';
import { byTime, chatPage, chatWithOldLines } from '../chat';
import { FILE_MODE, privateFile, privateFolder, restrictMode } from '../files';
import type { Logger } from '../../log';
import { DIRECT_LINE_SCHEMA, SqliteDirectLineStore, SqliteOptOutStore } from './sqliteDirectLine';
import {
    WORKSPACE_SCHEMA, SqliteAnalyticsStore, SqliteAttemptStore, SqliteSessionStore, SqliteTeamsLinkStore,
    SqliteUserStore,
} from './sqliteWorkspace';
import { SqliteMigration } from './sqliteMigration';
import { LISTING_FEEDBACK_SCHEMA, SqliteListingFeedbackStore } from './sqliteListingFeedback';
import { SCHEDULED_SCHEMA, SqliteScheduledMessageStore } from './sqliteScheduled';

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
CREATE TABLE IF NOT EXISTS escalation_chat (
    escalation_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (escalation_id, n)
);
`;

/**
 * Columns added for the escalation lifecycle; databases made before it get them on opening. The lifecycle lives in
 * columns (not the JSON document) so a change is one conditional UPDATE of the row.
 */
const LIFECYCLE_COLUMNS: [table: string, column: string, type: string][] = [
    ['escalations', 'assignee_id', 'TEXT'],
    ['escalations', 'assignee_name', 'TEXT'],
    ['escalations', 'outcome', 'TEXT'],
    ['escalations', 'first_contact_at', 'TEXT'],
    ['escalations', 'closed_at', 'TEXT'],
    ['escalations', 'updated_at', 'TEXT'],
    ['escalations', 'conversation_reference', 'TEXT'],
    ['escalations', 'relay_id', 'TEXT'],
    ['escalations', 'relay_name', 'TEXT'],
    ['escalations', 'notice_id', 'TEXT'],
    // How many live-chat lines were ever written (escalation_chat keeps the newest): the next line's number.
    ['escalations', 'chat_total', 'INTEGER NOT NULL DEFAULT 0'],
    ['escalation_audit', 'detail', 'TEXT'],
    ['escalations', 'contact_key', 'TEXT'],
    // When the resident was last seen in the request's chat (Escalation.residentSeenAt); null on older rows.
    ['escalations', 'resident_seen_at', 'TEXT'],
];

function migrate(db: Db): void {
    for (const [table, column, type] of LIFECYCLE_COLUMNS) {
        const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
        if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
    db.exec('CREATE INDEX IF NOT EXISTS escalation_audit_escalation ON escalation_audit(escalation_id, seq)');
    db.exec('CREATE INDEX IF NOT EXISTS escalations_relay ON escalations(relay_id) WHERE relay_id IS NOT NULL');
    db.exec('CREATE INDEX IF NOT EXISTS escalations_closed ON escalations(closed_at) WHERE closed_at IS NOT NULL');
    db.exec(`CREATE INDEX IF NOT EXISTS escalations_contact ON escalations(contact_key, created_at)
        WHERE contact_key IS NOT NULL`);
    // The connectors' queue (SqliteEscalationStore.queuePage): by status and priority in due order, and by holder.
    db.exec(`CREATE INDEX IF NOT EXISTS escalations_queue ON escalations(status, priority, ${DUE_BY}, id)`);
    db.exec('CREATE INDEX IF NOT EXISTS escalations_holder ON escalations(assignee_id, status)');
    // The workspace's live changes (liveChanges): new requests, and residents' messages, by time.
    db.exec('CREATE INDEX IF NOT EXISTS escalations_created ON escalations(created_at)');
    db.exec(`CREATE INDEX IF NOT EXISTS escalation_chat_resident ON escalation_chat(at)
        WHERE action = 'resident-message'`);
}

/** A request's due time, as the queue's index and queries name it (the same expression, so the index is used). */
const DUE_BY = "json_extract(doc, '$.dueBy')";

/** `PRAGMA user_version` of a file whose deletions have all been wiped (see openEmbeddedStores). */
const WIPED_FILE_VERSION = 1;
/** `PRAGMA user_version` of a file whose live chats are all in escalation_chat (see moveChatOutOfAudit). */
const CHAT_APART_VERSION = 2;

/**
 * Moves the live-chat lines that versions before escalation_chat kept in the audit trail into each request's chat,
 * before the lines kept there since, in one transaction. Without it a chat open during the upgrade would show empty
 * in the workspace, and the audit trail's cap would later drop those lines (message text) unseen. A move, not a
 * read-side fallback: then the chat has one home, its cap, its deletion and its export work as for new lines, and
 * the message text leaves the audit trail.
 */
function moveChatOutOfAudit(db: Db): { requests: number; lines: number } {
    const actions = LIVE_CHAT_ACTIONS.map(() => '?').join(', ');
    return db.transaction(() => {
        const ids = db.prepare(`SELECT DISTINCT escalation_id FROM escalation_audit WHERE action IN (${actions})`)
            .pluck().all(...LIVE_CHAT_ACTIONS) as string[];
        let lines = 0;
        for (const id of ids) {
            const old = (db.prepare(`SELECT at, actor, action, detail FROM escalation_audit
                WHERE escalation_id = ? AND action IN (${actions}) ORDER BY seq`)
                .all(id, ...LIVE_CHAT_ACTIONS) as AuditRow[]).map(auditEntry);
            const row = db.prepare('SELECT chat_total FROM escalations WHERE id = ?').get(id) as
                { chat_total: number } | undefined;
            if (row) {
                const kept = (db.prepare(`SELECT at, actor, action, detail FROM escalation_chat
                    WHERE escalation_id = ? ORDER BY n`).all(id) as AuditRow[]).map(auditEntry);
                const chat = chatWithOldLines(old, kept, row.chat_total);
                db.prepare('DELETE FROM escalation_chat WHERE escalation_id = ?').run(id);
                const insert = db.prepare(`INSERT INTO escalation_chat (escalation_id, n, at, actor, action, detail)
                    VALUES (?, ?, ?, ?, ?, ?)`);
                for (const c of chat.lines) insert.run(id, c.n, c.at, c.actor, c.action, c.detail ?? null);
                db.prepare('UPDATE escalations SET chat_total = ? WHERE id = ?').run(chat.total, id);
            }
            // Lines of a request that is gone have nowhere to be shown: they go.
            db.prepare(`DELETE FROM escalation_audit WHERE escalation_id = ? AND action IN (${actions})`)
                .run(id, ...LIVE_CHAT_ACTIONS);
            lines += old.length;
        }
        return { requests: ids.length, lines };
    })();
}

type AuditRow = { at: string; actor: string; action: AuditAction; detail: string | null };

function auditEntry({ detail, ...line }: AuditRow): AuditEntry {
    return { ...line, ...(detail !== null ? { detail } : {}) };
}

/** Opens (creating if needed) the embedded database file and returns every store over it. */
export function openEmbeddedStores(dataDir: string, fileName = 'signpost.db', options: { log?: Logger } = {}): Stores {
    const file = path.join(dataDir, fileName);
    const restricted = [privateFolder(dataDir), privateFile(file)];
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    // What a DELETE (or an UPDATE that shrinks a row) frees is overwritten with zeros, not left in free space.
    db.pragma('secure_delete = ON');
    // SQLite gives a new WAL and shared-memory file the database's mode; ones an older version made keep theirs.
    for (const suffix of ['-wal', '-shm', '-journal']) restricted.push(restrictMode(file + suffix, FILE_MODE));
    if (restricted.includes(false)) {
        // A share or a folder owned by another account: the store works, but others may be able to read it.
        options.log?.warn('store.file_mode_unchanged', { paths: restricted.filter((ok) => !ok).length });
    }
    const wipe = wiper(db);
    // A file written before deletions were wiped may still hold, in its free space, what was deleted then: it is
    // rewritten once (VACUUM copies only what is live), and its version says so, so this happens at one start only.
    if ((db.pragma('user_version', { simple: true }) as number) < WIPED_FILE_VERSION) {
        const tables = (db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get() as { n: number }).n;
        if (tables > 0) {
            db.exec('VACUUM');
            wipe();
            options.log?.info('store.rewritten_once', { reason: 'secure_delete' });
        }
        db.pragma(`user_version = ${WIPED_FILE_VERSION}`);
    }
    db.exec(SCHEMA);
    db.exec(DIRECT_LINE_SCHEMA);
    db.exec(WORKSPACE_SCHEMA);
    db.exec(LISTING_FEEDBACK_SCHEMA);
    db.exec(SCHEDULED_SCHEMA);
    migrate(db);
    if ((db.pragma('user_version', { simple: true }) as number) < CHAT_APART_VERSION) {
        const moved = moveChatOutOfAudit(db);
        if (moved.lines > 0) {
            // The audit rows that held message text are zeroed (secure_delete); the log is emptied of them too.
            wipe();
            options.log?.info('store.chat_moved', moved);
        }
        db.pragma(`user_version = ${CHAT_APART_VERSION}`);
    }
    const stateDb = openStateConnection(file);
    const directLine = new SqliteDirectLineStore(db, wipe);
    const sessions = new SqliteSessionStore(db);
    const escalations = new SqliteEscalationStore(db, wipe);
    const attempts = new SqliteAttemptStore(db);
    const teamsLinks = new SqliteTeamsLinkStore(db);
    const scheduled = new SqliteScheduledMessageStore(db);
    return {
        kind: 'embedded',
        state: new SqliteStateStore(stateDb, wipe),
        escalations,
        directLine,
        optOuts: new SqliteOptOutStore(db),
        users: new SqliteUserStore(db),
        sessions,
        attempts,
        analytics: new SqliteAnalyticsStore(db),
        teamsLinks,
        listingFeedback: new SqliteListingFeedbackStore(db),
        scheduled,
        migration: new SqliteMigration(db, escalations),
        sweep: async (retention, now = new Date()) => {
            const { stateDays, referralDays } = retentionOf(retention);
            const cutoff = now.getTime() - stateDays * 86_400_000;
            // Website chat transcripts hold what residents typed: they go with the state, on the same day.
            const chats = directLine.sweep(cutoff);
            sessions.sweep(now.toISOString());
            attempts.sweep(now.getTime());
            teamsLinks.sweep(now.toISOString());
            // Finished reminders and check-ins go with the state (their addresses went at their last use).
            const messages = scheduled.sweepNow(new Date(cutoff));
            const closed = referralDays === undefined
                ? 0 : escalations.sweepClosed(new Date(now.getTime() - referralDays * 86_400_000).toISOString());
            const swept = db.prepare('DELETE FROM state WHERE updated_at < ?').run(cutoff).changes + chats + closed + messages;
            if (swept) wipe();
            return swept;
        },
        close: async () => {
            stateDb.close();
            db.close();
        },
    };
}

/**
 * The connection conversation state is written through: the same file, committed without an fsync of its own
 * (synchronous=NORMAL; see the top of this file for why that is safe). Deletions are zeroed as on the other
 * connection (secure_delete is a setting of each connection), and the WAL is wiped by the shared `wipe`.
 */
function openStateConnection(file: string): Db {
    const stateDb = new Database(file);
    stateDb.pragma('synchronous = NORMAL');
    stateDb.pragma('busy_timeout = 5000');
    stateDb.pragma('secure_delete = ON');
    return stateDb;
}

/**
 * Checkpoints the WAL into the database file and truncates it to nothing, so the pages it held from before a
 * deletion (with what was deleted in them) are gone from the disk as well; secure_delete has already zeroed that
 * content in the pages the checkpoint writes. Called after every deletion of something a resident gave. A
 * checkpoint another connection holds up (busy_timeout) finishes at the next deletion or when the file is closed.
 */
function wiper(db: Db): () => void {
    return () => {
        db.pragma('wal_checkpoint(TRUNCATE)');
    };
}

class SqliteStateStore implements StateStore {
    private readonly select: Database.Statement<[string], { etag: string; doc: string }>;
    private readonly insert: Database.Statement<[string, string, string, number]>;
    private readonly upsert: Database.Statement<[string, string, string, number]>;
    private readonly update: Database.Statement<[string, string, number, string, string]>;
    private readonly remove: Database.Statement<[string]>;
    private readonly writeAll: (changes: StoreItems) => void;

    constructor(db: Db, private readonly wipe: () => void) {
        this.select = db.prepare('SELECT etag, doc FROM state WHERE key = ?');
        this.insert = db.prepare('INSERT INTO state (key, etag, doc, updated_at) VALUES (?, ?, ?, ?)');
        this.upsert = db.prepare(`INSERT INTO state (key, etag, doc, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, doc = excluded.doc, updated_at = excluded.updated_at`);
        this.update = db.prepare('UPDATE state SET etag = ?, doc = ?, updated_at = ? WHERE key = ? AND etag = ?');
        this.remove = db.prepare('DELETE FROM state WHERE key = ?');
        // One transaction per write call: either every change lands or none does.
        this.writeAll = db.transaction((changes: StoreItems) => {
            const now = Date.now();
            const docs = Object.entries(changes).map(([key, item]) => {
                const { eTag, ...rest } = item;
                // The JSON the writer already made for this write, when it did (bot/savedState.ts).
                const doc = jsonToWrite(item) ?? JSON.stringify(rest);
                checkSize('state document', Buffer.byteLength(doc, 'utf8'), STORE_LIMITS.stateBytes);
                return { key, eTag, doc };
            });
            for (const { key, eTag, doc } of docs) {
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
            if (!row) continue;
            const item = JSON.parse(row.doc) as StoreItem;
            // The document never holds an eTag of its own (it is cut before writing): set last, as a spread would.
            item.eTag = row.etag;
            noteReadJson(item, row.doc);
            out[key] = item;
        }
        return out;
    }

    async write(changes: StoreItems): Promise<void> {
        this.writeAll(changes);
    }

    async delete(keys: string[]): Promise<void> {
        let removed = 0;
        for (const key of keys) removed += this.remove.run(key).changes;
        if (removed) this.wipe();
    }
}

interface EscalationRow {
    doc: string;
    status: string;
    assignee_id: string | null;
    assignee_name: string | null;
    outcome: string | null;
    first_contact_at: string | null;
    closed_at: string | null;
    updated_at: string | null;
    conversation_reference: string | null;
    relay_id: string | null;
    relay_name: string | null;
    notice_id: string | null;
    resident_seen_at: string | null;
}

const ROW_COLUMNS = `doc, status, assignee_id, assignee_name, outcome, first_contact_at, closed_at, updated_at,
    conversation_reference, relay_id, relay_name, notice_id, resident_seen_at`;

/** The stored document is what was true at creation; the lifecycle columns are laid over it. */
function fromRow(row: EscalationRow): Escalation {
    const e = JSON.parse(row.doc) as Escalation;
    e.status = row.status as EscalationStatus;
    if (row.assignee_id) e.assignee = { id: row.assignee_id, name: row.assignee_name ?? '' };
    else delete e.assignee;
    if (row.outcome) e.outcome = row.outcome as Outcome;
    if (row.first_contact_at) e.firstContactAt = row.first_contact_at;
    if (row.closed_at) e.closedAt = row.closed_at;
    if (row.updated_at) e.updatedAt = row.updated_at;
    if (row.conversation_reference) {
        e.conversationReference = JSON.parse(row.conversation_reference) as Record<string, unknown>;
    }
    if (row.relay_id) e.relay = { id: row.relay_id, name: row.relay_name ?? '' };
    else delete e.relay;
    if (row.notice_id) e.noticeId = row.notice_id;
    if (row.resident_seen_at) e.residentSeenAt = row.resident_seen_at;
    return e;
}

class SqliteEscalationStore implements EscalationStore {
    private readonly byReference: Database.Statement<[string], EscalationRow>;
    private readonly idOf: Database.Statement<[string], { id: string }>;
    private readonly liveFor: Database.Statement<[string, string], EscalationRow>;
    private readonly insertAudit: Database.Statement<[string, string, string, string, string | null]>;

    constructor(private readonly db: Db, private readonly wipe: () => void = () => undefined) {
        this.byReference = db.prepare(`SELECT ${ROW_COLUMNS} FROM escalations WHERE reference = ?`);
        this.idOf = db.prepare('SELECT id FROM escalations WHERE reference = ?');
        // Asked on every resident message (is a connector in this chat?), so prepared once. Few requests are live at
        // once (the partial index escalations_relay), so the match on the document's conversation is cheap.
        this.liveFor = db.prepare(`SELECT ${ROW_COLUMNS} FROM escalations WHERE relay_id IS NOT NULL
            AND json_extract(doc, '$.channelId') = ? AND json_extract(doc, '$.conversationId') = ?
            ORDER BY created_at DESC LIMIT 1`);
        this.insertAudit = db.prepare(
            'INSERT INTO escalation_audit (escalation_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)');
    }

    async create(e: Escalation): Promise<void> {
        checkSize('request for contact', jsonBytes(e), STORE_LIMITS.escalationBytes);
        const tx = this.db.transaction(() => {
            // The relay lives only in its columns, so a live chat always starts from the lifecycle.
            const { conversationReference, relay: _relay, ...doc } = e;
            this.db.prepare(`INSERT INTO escalations (id, reference, resident_key, status, priority, created_at, doc,
                conversation_reference, contact_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
                .run(e.id, e.reference, e.residentKey, e.status, e.priority, e.createdAt, JSON.stringify(doc),
                    conversationReference ? JSON.stringify(conversationReference) : null, e.contactKey ?? null);
            this.insertAudit.run(e.id, e.createdAt, 'resident', 'created', null);
        });
        tx();
    }

    async getByReference(reference: string): Promise<Escalation | undefined> {
        const row = this.byReference.get(reference);
        return row ? fromRow(row) : undefined;
    }

    async listForResident(residentKey: string): Promise<Escalation[]> {
        const rows = this.db
            .prepare(`SELECT ${ROW_COLUMNS} FROM escalations WHERE resident_key = ? ORDER BY created_at`)
            .all(residentKey) as EscalationRow[];
        return rows.map(fromRow);
    }

    async list(filter: { status?: Escalation['status'] } = {}): Promise<Escalation[]> {
        const rows = (filter.status
            ? this.db.prepare(`SELECT ${ROW_COLUMNS} FROM escalations WHERE status = ? ORDER BY created_at`)
                .all(filter.status)
            : this.db.prepare(`SELECT ${ROW_COLUMNS} FROM escalations ORDER BY created_at`).all()) as EscalationRow[];
        return rows.map(fromRow);
    }

    async queuePage(q: QueueQuery): Promise<QueuePage> {
        if (q.statuses.length === 0) throw new Error('The queue needs at least one status');
        const params: Record<string, string | number> = { at: q.at, limit: q.limit };
        const list = (name: string, values: readonly string[]) => values.map((v, i) => {
            params[`${name}${i}`] = v;
            return `@${name}${i}`;
        }).join(', ');
        const where = [`status IN (${list('status', q.statuses)})`];
        // As isOverdue (src/handoff/lifecycle.ts): open, first contact not yet made, past its due time.
        const overdue = `(status != 'closed' AND first_contact_at IS NULL AND ${DUE_BY} < @at)`;
        if (q.priority) {
            where.push('priority = @priority');
            params.priority = q.priority;
        }
        if (q.needs) {
            where.push(q.needs.length ? `EXISTS (SELECT 1 FROM json_each(doc, '$.summary.needs')
                WHERE json_each.value IN (${list('need', q.needs)}))` : '0');
        }
        if (q.languages) {
            // "en" also matches a request with no language (made when Signpost spoke English only).
            where.push(q.languages.length ? `COALESCE(json_extract(doc, '$.language.code'), 'en')
                IN (${list('language', q.languages)})` : '0');
        }
        if (q.overdue !== undefined) where.push(q.overdue ? overdue : `NOT ${overdue}`);
        if (q.heldBy !== undefined) {
            where.push('assignee_id = @heldBy');
            params.heldBy = q.heldBy;
        }
        if (q.notHeldBy !== undefined) {
            where.push('(assignee_id IS NULL OR assignee_id != @notHeldBy)');
            params.notHeldBy = q.notHeldBy;
        }
        if (q.unclaimed) where.push('assignee_id IS NULL');
        const filters = where.join(' AND ');
        const { n: total } = this.db.prepare(`SELECT COUNT(*) AS n FROM escalations WHERE ${filters}`)
            .get(params) as { n: number };
        // The group as queuePlace (src/handoff/lifecycle.ts) gives it; the page starts after the cursor's place.
        const group = `(CASE WHEN priority = 'urgent' THEN 0 ELSE 2 END + CASE WHEN ${overdue} THEN 0 ELSE 1 END)`;
        let after = '';
        if (q.after) {
            after = `AND (grp, due, id) > (@afterGroup, @afterDue, @afterId)`;
            [params.afterGroup, params.afterDue, params.afterId] = q.after;
        }
        const rows = this.db.prepare(`SELECT * FROM (SELECT ${ROW_COLUMNS}, id, ${group} AS grp, ${DUE_BY} AS due
            FROM escalations WHERE ${filters}) WHERE 1 ${after} ORDER BY grp, due, id LIMIT @limit`)
            .all(params) as EscalationRow[];
        return { escalations: rows.map(fromRow), total };
    }

    async change(reference: string, c: EscalationChange): Promise<ChangeResult> {
        if (c.from.length === 0) throw new Error('An escalation change needs at least one status it applies from');
        checkSize('audit line', jsonBytes(c.audit), STORE_LIMITS.auditEntryBytes);
        const params: Record<string, string | null> = { reference, to: c.to, at: c.audit.at };
        const sets = ['status = @to', 'updated_at = @at'];
        if (c.assignee !== undefined) {
            sets.push('assignee_id = @assigneeId', 'assignee_name = @assigneeName');
            params.assigneeId = c.assignee?.id ?? null;
            params.assigneeName = c.assignee?.name ?? null;
        }
        if (c.outcome) {
            sets.push('outcome = @outcome');
            params.outcome = c.outcome;
        }
        if (c.to === 'closed') sets.push('closed_at = @at');
        if (c.firstContact) sets.push('first_contact_at = COALESCE(first_contact_at, @at)');
        const from = c.from.map((status, i) => {
            params[`from${i}`] = status;
            return `@from${i}`;
        });
        let where = `reference = @reference AND status IN (${from.join(', ')})`;
        if (c.assignedTo !== undefined) {
            where += ' AND assignee_id = @assignedTo';
            params.assignedTo = c.assignedTo;
        }
        // One conditional UPDATE decides who wins; the audit line rides in the same transaction.
        const apply = this.db.transaction(() => {
            const updated = this.db.prepare(`UPDATE escalations SET ${sets.join(', ')} WHERE ${where}`).run(params);
            if (updated.changes !== 1) return false;
            const { id } = this.idOf.get(reference)!;
            this.insertAudit.run(id, c.audit.at, c.audit.actor, c.audit.action, c.audit.detail ?? null);
            this.trimAudit(id);
            return true;
        });
        const applied = apply.immediate();
        const current = await this.getByReference(reference);
        return applied ? { applied: true, escalation: current! } : { applied: false, current };
    }

    async appendAudit(reference: string, entry: AuditEntry): Promise<boolean> {
        checkSize('audit line', jsonBytes(entry), STORE_LIMITS.auditEntryBytes);
        const row = this.idOf.get(reference);
        if (!row) return false;
        this.db.transaction(() => {
            this.insertAudit.run(row.id, entry.at, entry.actor, entry.action, entry.detail ?? null);
            this.trimAudit(row.id);
        })();
        return true;
    }

    async appendChat(reference: string, line: AuditEntry & { action: LiveChatAction }): Promise<boolean> {
        checkSize('live-chat line', jsonBytes(line), STORE_LIMITS.auditEntryBytes);
        // Numbered, stored and the oldest beyond the cap dropped, in one write transaction.
        const append = this.db.transaction(() => {
            const row = this.db.prepare(`UPDATE escalations SET chat_total = chat_total + 1 WHERE reference = ?
                RETURNING id, chat_total`).get(reference) as { id: string; chat_total: number } | undefined;
            if (!row) return false;
            this.db.prepare(`INSERT INTO escalation_chat (escalation_id, n, at, actor, action, detail)
                VALUES (?, ?, ?, ?, ?, ?)`)
                .run(row.id, row.chat_total, line.at, line.actor, line.action, line.detail ?? null);
            this.db.prepare('DELETE FROM escalation_chat WHERE escalation_id = ? AND n <= ?')
                .run(row.id, row.chat_total - STORE_LIMITS.liveChatLines);
            return true;
        });
        return append.immediate();
    }

    async chat(reference: string, after = 0): Promise<ChatPage | undefined> {
        const read = this.db.transaction(() => {
            const row = this.db.prepare('SELECT id, chat_total FROM escalations WHERE reference = ?')
                .get(reference) as { id: string; chat_total: number } | undefined;
            if (!row) return undefined;
            const kept = (this.db.prepare(`SELECT n, at, actor, action, detail FROM escalation_chat
                WHERE escalation_id = ? ORDER BY n`).all(row.id) as (ChatLine & { detail: string | null })[])
                .map(({ detail, ...line }) => ({ ...line, ...(detail !== null ? { detail } : {}) }));
            return chatPage(kept, row.chat_total, after);
        });
        return read();
    }

    /** Keeps the newest audit lines only, as the MongoDB adapter's capped array does. */
    private trimAudit(id: string): void {
        this.db.prepare(`DELETE FROM escalation_audit WHERE escalation_id = ? AND seq NOT IN
            (SELECT seq FROM escalation_audit WHERE escalation_id = ? ORDER BY seq DESC LIMIT ?)`)
            .run(id, id, STORE_LIMITS.auditEntries);
    }

    /** Removes requests closed before `closedBefore` (ISO date-time), with their audit trail. Returns how many. */
    sweepClosed(closedBefore: string): number {
        return this.db.transaction(() => {
            for (const table of ['escalation_audit', 'escalation_chat']) {
                this.db.prepare(`DELETE FROM ${table} WHERE escalation_id IN
                    (SELECT id FROM escalations WHERE status = 'closed' AND closed_at < ?)`).run(closedBefore);
            }
            return this.db.prepare(`DELETE FROM escalations WHERE status = 'closed' AND closed_at < ?`)
                .run(closedBefore).changes;
        })();
    }

    async auditTrail(reference: string): Promise<AuditEntry[]> {
        const rows = this.db.prepare(`SELECT a.at, a.actor, a.action, a.detail FROM escalation_audit a
            JOIN escalations e ON e.id = a.escalation_id WHERE e.reference = ? ORDER BY a.seq`)
            .all(reference) as { at: string; actor: string; action: string; detail: string | null }[];
        return rows.map((r) => ({
            at: r.at, actor: r.actor, action: r.action as AuditAction,
            ...(r.detail !== null ? { detail: r.detail } : {}),
        }));
    }

    async setConversationReference(reference: string, conversationReference: Record<string, unknown>): Promise<void> {
        checkSize('conversation reference', jsonBytes(conversationReference), STORE_LIMITS.conversationReferenceBytes);
        this.db.prepare('UPDATE escalations SET conversation_reference = ? WHERE reference = ?')
            .run(JSON.stringify(conversationReference), reference);
    }

    async setNoticeId(reference: string, noticeId: string): Promise<void> {
        this.db.prepare('UPDATE escalations SET notice_id = ? WHERE reference = ?').run(noticeId, reference);
    }

    async setPlan(reference: string, plan: SocialPrescribingPlan, audit: AuditEntry, basedOn: string | null):
        Promise<PlanSave> {
        checkSize('plan', jsonBytes(plan), STORE_LIMITS.planBytes);
        // In the request's document, beside what was true at creation: a field added, no column, nothing to migrate.
        // Only over the plan the writer loaded (`IS` compares a missing plan, NULL, with null too).
        const saved = this.updateWithAudit(reference, audit, () => this.db.prepare(`UPDATE escalations
            SET doc = json_set(doc, '$.plan', json(@plan))
            WHERE reference = @reference AND json_extract(doc, '$.plan.recordedAt') IS @basedOn`)
            .run({ reference, plan: JSON.stringify(plan), basedOn }));
        if (saved) return 'saved';
        return this.idOf.get(reference) ? 'changed' : 'not-found';
    }

    async setRelay(reference: string, relay: Assignee | null, audit: AuditEntry): Promise<boolean> {
        return this.updateWithAudit(reference, audit, () => (relay
            ? this.db.prepare(`UPDATE escalations SET relay_id = ?, relay_name = ? WHERE reference = ?
                AND status IN ('claimed', 'in-contact') AND relay_id IS NULL`).run(relay.id, relay.name, reference)
            : this.db.prepare(`UPDATE escalations SET relay_id = NULL, relay_name = NULL WHERE reference = ?
                AND relay_id IS NOT NULL`).run(reference)));
    }

    async raiseToUrgent(reference: string, dueBy: string, audit: AuditEntry): Promise<boolean> {
        // Priority and due time live in the document (and priority in its column too): both change in one UPDATE.
        // The due time only ever moves earlier: an overdue request stays overdue.
        return this.updateWithAudit(reference, audit, () => this.db.prepare(`UPDATE escalations
            SET priority = 'urgent',
                doc = json_set(doc, '$.priority', 'urgent', '$.dueBy', MIN(json_extract(doc, '$.dueBy'), @dueBy))
            WHERE reference = @reference AND status != 'closed' AND priority != 'urgent'`)
            .run({ reference, dueBy }));
    }

    async rescheduleDue(reference: string, from: string, to: string, audit: AuditEntry): Promise<boolean> {
        return this.updateWithAudit(reference, audit, () => this.db.prepare(`UPDATE escalations
            SET doc = json_set(doc, '$.dueBy', @to)
            WHERE reference = @reference AND json_extract(doc, '$.dueBy') = @from`).run({ reference, from, to }));
    }

    async openForContact(contactKey: string): Promise<OpenForContact[]> {
        const rows = this.db.prepare(`SELECT reference, resident_key, json_extract(doc, '$.summary.needs') AS needs,
                json_extract(doc, '$.contact.method') AS method
            FROM escalations WHERE contact_key = ? AND status != 'closed' ORDER BY created_at, rowid LIMIT ?`)
            .all(contactKey, STORE_LIMITS.openPerContact) as
            { reference: string; resident_key: string; needs: string | null; method: ContactMethod }[];
        return rows.map((r) => ({ reference: r.reference, residentKey: r.resident_key,
            needs: r.needs ? JSON.parse(r.needs) as string[] : [], method: r.method }));
    }

    async mergeRepeat(reference: string, urgentDueBy: string | undefined, audit: AuditEntry,
    ): Promise<Escalation | undefined> {
        // The count, and for an urgent repeat the priority and an earlier due time, change in one UPDATE.
        const merged = this.updateWithAudit(reference, audit, () => this.db.prepare(`UPDATE escalations
            SET priority = CASE WHEN @urgent THEN 'urgent' ELSE priority END,
                doc = json_set(doc, '$.repeats', COALESCE(json_extract(doc, '$.repeats'), 0) + 1,
                    '$.priority', CASE WHEN @urgent THEN 'urgent' ELSE json_extract(doc, '$.priority') END,
                    '$.dueBy', CASE WHEN @urgent THEN MIN(json_extract(doc, '$.dueBy'), @dueBy)
                        ELSE json_extract(doc, '$.dueBy') END)
            WHERE reference = @reference AND status != 'closed'`)
            .run({ reference, dueBy: urgentDueBy ?? null, urgent: urgentDueBy !== undefined ? 1 : 0 }));
        return merged ? this.getByReference(reference) : undefined;
    }

    async forgetConversation(reference: string, audit: AuditEntry): Promise<boolean> {
        const forgot = this.updateWithAudit(reference, audit, () => this.db.prepare(`UPDATE escalations
            SET conversation_reference = NULL, relay_id = NULL, relay_name = NULL WHERE reference = ?`).run(reference));
        if (forgot) this.wipe();
        return forgot;
    }

    /**
     * Runs a conditional UPDATE of one request and, when it changed that request, writes its audit line: both in
     * one transaction. False when the condition did not hold.
     */
    private updateWithAudit(reference: string, audit: AuditEntry, update: () => Database.RunResult): boolean {
        checkSize('audit line', jsonBytes(audit), STORE_LIMITS.auditEntryBytes);
        const apply = this.db.transaction(() => {
            if (update().changes !== 1) return false;
            const { id } = this.idOf.get(reference)!;
            this.insertAudit.run(id, audit.at, audit.actor, audit.action, audit.detail ?? null);
            this.trimAudit(id);
            return true;
        });
        return apply.immediate();
    }

    async residentSeen(channelId: string, conversationId: string, at: string): Promise<number> {
        return this.db.prepare(`UPDATE escalations SET resident_seen_at = @at WHERE status != 'closed'
            AND json_extract(doc, '$.channelId') = @channelId AND json_extract(doc, '$.conversationId') = @conversationId
            AND (resident_seen_at IS NULL OR resident_seen_at < @at)`).run({ at, channelId, conversationId }).changes;
    }

    async liveChanges(since: string, limit: number): Promise<LiveChange[]> {
        const read = this.db.transaction(() => {
            const made = this.db.prepare(`SELECT reference, created_at AS at FROM escalations WHERE created_at >= ?
                ORDER BY created_at, reference LIMIT ?`).all(since, limit) as { reference: string; at: string }[];
            const wrote = this.db.prepare(`SELECT e.reference AS reference, MAX(c.at) AS at FROM escalation_chat c
                JOIN escalations e ON e.id = c.escalation_id WHERE c.action = 'resident-message' AND c.at >= ?
                GROUP BY e.reference ORDER BY 2, 1 LIMIT ?`).all(since, limit) as { reference: string; at: string }[];
            return [
                ...made.map((r) => ({ kind: 'request' as const, ...r })),
                ...wrote.map((r) => ({ kind: 'message' as const, ...r })),
            ];
        });
        return byTime(read()).slice(0, limit);
    }

    async relayFor(channelId: string, conversationId: string): Promise<Escalation | undefined> {
        const row = this.liveFor.get(channelId, conversationId);
        return row ? fromRow(row) : undefined;
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
                    this.db.prepare('DELETE FROM escalation_chat WHERE escalation_id = ?').run(row.id);
                    result.deleted.push(row.reference);
                } else {
                    result.kept.push(row.reference);
                }
            }
            return result;
        });
        const result = tx();
        if (result.deleted.length) this.wipe();
        return result;
    }
}
