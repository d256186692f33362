/**
 * Workspace accounts, sessions and attempt counts in the embedded SQLite file. Each method is one statement or one
 * transaction. Files made before sign-in failures moved to `attempts` keep two unused columns in workspace_users
 * (failed_sign_ins, locked_until); nothing reads them.
 */
import type Database from 'better-sqlite3';
import { weekStart, type AnalyticsStore, type UnmetCount } from '../analyticsStore';
import type { AttemptCount, AttemptStore } from '../attemptStore';
import type { SessionStore, WorkspaceSession } from '../sessionStore';
import type { TeamsLink, TeamsLinkCode, TeamsLinkStore, TeamsLinkWay } from '../teamsLinkStore';
import type { UserStore, WorkspaceRole, WorkspaceUser } from '../userStore';

/** Tables for workspace accounts and sessions. */
export const WORKSPACE_SCHEMA = `
CREATE TABLE IF NOT EXISTS workspace_users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workspace_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS workspace_sessions_expiry ON workspace_sessions(expires_at);
CREATE TABLE IF NOT EXISTS attempts (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    reset_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_reset ON attempts(reset_at);
CREATE TABLE IF NOT EXISTS teams_links (
    aad_object_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE,
    via TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS teams_link_codes (
    code_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS teams_link_codes_user ON teams_link_codes(user_id);
CREATE TABLE IF NOT EXISTS unmet_needs (
    week TEXT NOT NULL,
    need_id TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (week, need_id)
);
`;

/** A workspace_users row as stored. */
export interface UserRow {
    id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string | null;
    created_at: string;
}

/** The account a row holds. */
export function userOf(row: UserRow): WorkspaceUser {
    return {
        id: row.id,
        email: row.email,
        name: row.name,
        role: row.role as WorkspaceRole,
        ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
        createdAt: row.created_at,
    };
}

/** Workspace accounts. */
export class SqliteUserStore implements UserStore {
    constructor(private readonly db: Database.Database) {}

    async create(user: WorkspaceUser): Promise<boolean> {
        const result = this.db.prepare(`INSERT INTO workspace_users (id, email, name, role, password_hash, created_at)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
            .run(user.id, user.email.toLowerCase(), user.name, user.role, user.passwordHash ?? null, user.createdAt);
        return result.changes === 1;
    }

    async get(id: string): Promise<WorkspaceUser | undefined> {
        const row = this.db.prepare('SELECT * FROM workspace_users WHERE id = ?').get(id) as UserRow | undefined;
        return row ? userOf(row) : undefined;
    }

    async getByEmail(email: string): Promise<WorkspaceUser | undefined> {
        const row = this.db.prepare('SELECT * FROM workspace_users WHERE email = ?').get(email.toLowerCase()) as
            UserRow | undefined;
        return row ? userOf(row) : undefined;
    }

    async list(): Promise<WorkspaceUser[]> {
        return (this.db.prepare('SELECT * FROM workspace_users ORDER BY name').all() as UserRow[]).map(userOf);
    }

    async setPasswordHash(id: string, hash: string): Promise<void> {
        this.db.prepare('UPDATE workspace_users SET password_hash = ? WHERE id = ?').run(hash, id);
    }
}

/** When a count reaches `at`, its window is held open `ms` from then (see AttemptStore.add). */
type Hold = { at: number; ms: number };

/** Attempt counts (sign-in failures, requests for contact) per keyed hash: one transaction per attempt. */
export class SqliteAttemptStore implements AttemptStore {
    private readonly addTx: (key: string, nowMs: number, windowMs: number, hold?: Hold) => AttemptCount;

    constructor(private readonly db: Database.Database) {
        const read = db.prepare<[string], { count: number; reset_at: number }>(
            'SELECT count, reset_at FROM attempts WHERE key = ?');
        const write = db.prepare(`INSERT INTO attempts (key, count, reset_at) VALUES (?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET count = excluded.count, reset_at = excluded.reset_at`);
        this.addTx = db.transaction((key: string, nowMs: number, windowMs: number, hold?: Hold) => {
            const row = read.get(key);
            const open = row && row.reset_at > nowMs;
            const count = open ? row.count + 1 : 1;
            let resetAt = open ? row.reset_at : nowMs + windowMs;
            if (hold && count === hold.at) resetAt = Math.max(resetAt, nowMs + hold.ms);
            write.run(key, count, resetAt);
            return { count, resetAtMs: resetAt };
        });
    }

    async add(key: string, nowMs: number, windowMs: number, hold?: Hold) {
        return this.addTx(key, nowMs, windowMs, hold);
    }

    async get(key: string, nowMs: number): Promise<AttemptCount> {
        const row = this.db.prepare('SELECT count, reset_at FROM attempts WHERE key = ? AND reset_at > ?')
            .get(key, nowMs) as { count: number; reset_at: number } | undefined;
        return row ? { count: row.count, resetAtMs: row.reset_at } : { count: 0, resetAtMs: 0 };
    }

    async clear(key: string): Promise<boolean> {
        return this.db.prepare('DELETE FROM attempts WHERE key = ?').run(key).changes === 1;
    }

    /** Removes closed windows (the store's hourly sweep). */
    sweep(nowMs: number): number {
        return this.db.prepare('DELETE FROM attempts WHERE reset_at <= ?').run(nowMs).changes;
    }
}

/** Workspace sessions. */
export class SqliteSessionStore implements SessionStore {
    constructor(private readonly db: Database.Database) {}

    async create(s: WorkspaceSession): Promise<void> {
        this.db.prepare(`INSERT INTO workspace_sessions (id, user_id, csrf_token, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?)`).run(s.id, s.userId, s.csrfToken, s.createdAt, s.expiresAt);
    }

    async get(id: string, now: string): Promise<WorkspaceSession | undefined> {
        const row = this.db.prepare('SELECT * FROM workspace_sessions WHERE id = ? AND expires_at > ?').get(id, now) as
            { id: string; user_id: string; csrf_token: string; created_at: string; expires_at: string } | undefined;
        return row ? {
            id: row.id, userId: row.user_id, csrfToken: row.csrf_token, createdAt: row.created_at,
            expiresAt: row.expires_at,
        } : undefined;
    }

    async delete(id: string): Promise<void> {
        this.db.prepare('DELETE FROM workspace_sessions WHERE id = ?').run(id);
    }

    /** Removes expired sessions (the store's hourly sweep). */
    sweep(now: string): number {
        return this.db.prepare('DELETE FROM workspace_sessions WHERE expires_at <= ?').run(now).changes;
    }
}

/** Unmet-need counts per need per week (no personal data: see AnalyticsStore). */
export class SqliteAnalyticsStore implements AnalyticsStore {
    constructor(private readonly db: Database.Database) {}

    async recordUnmet(needIds: readonly string[], at: string): Promise<void> {
        const week = weekStart(at);
        // One upsert per need, as one transaction: the count is an atomic increment however many instances run.
        const add = this.db.prepare(`INSERT INTO unmet_needs (week, need_id, count) VALUES (?, ?, 1)
            ON CONFLICT(week, need_id) DO UPDATE SET count = count + 1`);
        this.db.transaction((ids: string[]) => {
            for (const id of ids) add.run(week, id);
        })([...new Set(needIds)]);
    }

    async unmetSince(fromWeek: string): Promise<UnmetCount[]> {
        const rows = this.db.prepare(`SELECT week, need_id, count FROM unmet_needs WHERE week >= ?
            ORDER BY week, need_id`).all(fromWeek) as { week: string; need_id: string; count: number }[];
        return rows.map((r) => ({ week: r.week, needId: r.need_id, count: r.count }));
    }
}

/** Teams links and their one-time codes: each change one transaction. */
export class SqliteTeamsLinkStore implements TeamsLinkStore {
    private readonly linkTx: (link: TeamsLink) => void;
    private readonly takeTx: (codeHash: string, now: string) => string | undefined;
    private readonly putTx: (code: TeamsLinkCode) => boolean;

    constructor(private readonly db: Database.Database) {
        this.linkTx = db.transaction((l: TeamsLink) => {
            db.prepare('DELETE FROM teams_links WHERE aad_object_id = ? OR user_id = ?').run(l.aadObjectId, l.userId);
            db.prepare('INSERT INTO teams_links (aad_object_id, user_id, via, linked_at) VALUES (?, ?, ?, ?)')
                .run(l.aadObjectId, l.userId, l.via, l.linkedAt);
        });
        this.takeTx = db.transaction((codeHash: string, now: string) => {
            const row = db.prepare('SELECT user_id, expires_at FROM teams_link_codes WHERE code_hash = ?')
                .get(codeHash) as { user_id: string; expires_at: string } | undefined;
            if (!row) return undefined;
            db.prepare('DELETE FROM teams_link_codes WHERE code_hash = ?').run(codeHash);
            return row.expires_at > now ? row.user_id : undefined;
        });
        this.putTx = db.transaction((c: TeamsLinkCode) => {
            const taken = db.prepare('SELECT user_id FROM teams_link_codes WHERE code_hash = ?').get(c.codeHash) as
                { user_id: string } | undefined;
            if (taken && taken.user_id !== c.userId) return false;
            db.prepare('DELETE FROM teams_link_codes WHERE user_id = ?').run(c.userId);
            db.prepare('INSERT INTO teams_link_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)')
                .run(c.codeHash, c.userId, c.expiresAt);
            return true;
        });
    }

    async link(link: TeamsLink): Promise<void> {
        this.linkTx(link);
    }

    async byTeamsUser(aadObjectId: string): Promise<TeamsLink | undefined> {
        return this.linkOf(this.db.prepare('SELECT * FROM teams_links WHERE aad_object_id = ?').get(aadObjectId));
    }

    async byAccount(userId: string): Promise<TeamsLink | undefined> {
        return this.linkOf(this.db.prepare('SELECT * FROM teams_links WHERE user_id = ?').get(userId));
    }

    async unlinkAccount(userId: string): Promise<boolean> {
        return this.db.prepare('DELETE FROM teams_links WHERE user_id = ?').run(userId).changes === 1;
    }

    async putCode(code: TeamsLinkCode): Promise<boolean> {
        return this.putTx(code);
    }

    async takeCode(codeHash: string, now: string): Promise<string | undefined> {
        return this.takeTx(codeHash, now);
    }

    /** Removes expired codes (the store's hourly sweep). */
    sweep(now: string): number {
        return this.db.prepare('DELETE FROM teams_link_codes WHERE expires_at <= ?').run(now).changes;
    }

    private linkOf(row: unknown): TeamsLink | undefined {
        const r = row as { aad_object_id: string; user_id: string; via: string; linked_at: string } | undefined;
        return r ? { aadObjectId: r.aad_object_id, userId: r.user_id, via: r.via as TeamsLinkWay,
            linkedAt: r.linked_at } : undefined;
    }
}
