/** Workspace accounts, sessions and the anonymous unmet-need counts, in MongoDB. */
import type { Collection } from 'mongodb';
import { weekStart, type AnalyticsStore, type UnmetCount } from '../analyticsStore';
import type { AttemptCount, AttemptStore } from '../attemptStore';
import type { SessionStore, WorkspaceSession } from '../sessionStore';
import type { TeamsLink, TeamsLinkCode, TeamsLinkStore, TeamsLinkWay } from '../teamsLinkStore';
import type { UserStore, WorkspaceRole, WorkspaceUser } from '../userStore';
import { DocumentQueue, StoreBusyError, isDuplicateKey, literal, upsertRetrying } from './connection';

/** A workspace account as stored: the port's shape, keyed by `_id` instead of `id`. */
export type UserDoc = Omit<WorkspaceUser, 'id'> & { _id: string };

export function userOf(doc: UserDoc): WorkspaceUser {
    return {
        id: doc._id,
        email: doc.email,
        name: doc.name,
        role: doc.role,
        ...(doc.passwordHash ? { passwordHash: doc.passwordHash } : {}),
        createdAt: doc.createdAt,
    };
}

export function userDoc(u: WorkspaceUser): UserDoc {
    return {
        _id: literal(u.id), email: literal(u.email).toLowerCase(), name: literal(u.name),
        role: literal(u.role) as WorkspaceRole, ...(u.passwordHash ? { passwordHash: literal(u.passwordHash) } : {}),
        createdAt: literal(u.createdAt),
    };
}

export class MongoUserStore implements UserStore {
    constructor(private readonly collection: Collection<UserDoc>, private readonly queue = new DocumentQueue(false)) {}

    async create(user: WorkspaceUser): Promise<boolean> {
        try {
            await this.collection.insertOne(userDoc(user));
            return true;
        } catch (err) {
            // The same id or the same email (unique index): either way the existing account stays as it was.
            if (isDuplicateKey(err)) return false;
            throw err;
        }
    }

    async get(id: string): Promise<WorkspaceUser | undefined> {
        const doc = await this.collection.findOne({ _id: literal(id) });
        return doc ? userOf(doc) : undefined;
    }

    async getByEmail(email: string): Promise<WorkspaceUser | undefined> {
        const doc = await this.collection.findOne({ email: literal(email).toLowerCase() });
        return doc ? userOf(doc) : undefined;
    }

    async list(): Promise<WorkspaceUser[]> {
        return (await this.collection.find({}, { sort: { name: 1, _id: 1 } }).toArray()).map(userOf);
    }

    async setPasswordHash(id: string, hash: string): Promise<void> {
        await this.queue.run(`users:${literal(id)}`, () => this.collection.updateOne({ _id: literal(id) },
            { $set: { passwordHash: literal(hash) } }));
    }
}

/** One key's attempt window. `expireAt` (= resetAt) lets a TTL index remove it once it has closed. */
export interface AttemptDoc {
    _id: string;
    count: number;
    resetAt: number;
    expireAt: Date;
}

/**
 * Attempt counts. Counting in an open window is one atomic $inc on a filter that says the window is open; opening a
 * window replaces a closed one (a conditional replace) or inserts the first (a unique _id), and a writer that loses
 * either race counts again in the window the winner opened. No pipeline update, so FerretDB 1.x runs it too.
 */
export class MongoAttemptStore implements AttemptStore {
    constructor(
        private readonly collection: Collection<AttemptDoc>,
        private readonly queue = new DocumentQueue(false),
    ) {}

    async add(key: string, nowMs: number, windowMs: number, hold?: { at: number; ms: number }) {
        const _id = literal(key);
        return this.queue.run(`attempts:${_id}`, () => this.count(_id, Number(nowMs), Number(windowMs), hold));
    }

    private async count(_id: string, nowMs: number, windowMs: number, hold?: { at: number; ms: number }):
        Promise<AttemptCount> {
        for (let attempt = 0; attempt < 5; attempt++) {
            const open = await this.collection.findOneAndUpdate({ _id, resetAt: { $gt: nowMs } },
                { $inc: { count: 1 } }, { returnDocument: 'after' });
            if (open) {
                let resetAt = open.resetAt;
                if (hold && open.count === hold.at && nowMs + hold.ms > resetAt) {
                    resetAt = nowMs + hold.ms;
                    await this.collection.updateOne({ _id, resetAt: { $lt: resetAt } },
                        { $set: { resetAt, expireAt: new Date(resetAt) } });
                }
                return { count: open.count, resetAtMs: resetAt };
            }
            const resetAt = hold && hold.at <= 1 ? nowMs + Math.max(windowMs, hold.ms) : nowMs + windowMs;
            const fresh: AttemptDoc = { _id, count: 1, resetAt, expireAt: new Date(resetAt) };
            if ((await this.collection.replaceOne({ _id, resetAt: { $lte: nowMs } }, fresh)).matchedCount === 1) {
                return { count: 1, resetAtMs: resetAt };
            }
            try {
                await this.collection.insertOne(fresh);
                return { count: 1, resetAtMs: resetAt };
            } catch (err) {
                if (!isDuplicateKey(err)) throw err;
            }
        }
        throw new StoreBusyError();
    }

    async get(key: string, nowMs: number): Promise<AttemptCount> {
        const doc = await this.collection.findOne({ _id: literal(key), resetAt: { $gt: Number(nowMs) } });
        return doc ? { count: doc.count, resetAtMs: doc.resetAt } : { count: 0, resetAtMs: 0 };
    }

    async clear(key: string): Promise<boolean> {
        return (await this.collection.deleteOne({ _id: literal(key) })).deletedCount === 1;
    }

    /** Removes closed windows (the hourly sweep; the TTL index does it too where there is one). */
    async sweep(nowMs: number): Promise<number> {
        return (await this.collection.deleteMany({ resetAt: { $lte: Number(nowMs) } })).deletedCount;
    }
}

export interface SessionDoc {
    /** A hash of the cookie's token. */
    _id: string;
    userId: string;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
    /** `expiresAt` as a date, for the TTL index. */
    expireAt: Date;
}

export function sessionDoc(s: WorkspaceSession): SessionDoc {
    return {
        _id: literal(s.id), userId: literal(s.userId), csrfToken: literal(s.csrfToken), createdAt: literal(s.createdAt),
        expiresAt: literal(s.expiresAt), expireAt: new Date(literal(s.expiresAt)),
    };
}

export function sessionOf(doc: SessionDoc): WorkspaceSession {
    return {
        id: doc._id, userId: doc.userId, csrfToken: doc.csrfToken, createdAt: doc.createdAt, expiresAt: doc.expiresAt,
    };
}

export class MongoSessionStore implements SessionStore {
    constructor(private readonly collection: Collection<SessionDoc>) {}

    async create(s: WorkspaceSession): Promise<void> {
        await this.collection.insertOne(sessionDoc(s));
    }

    async get(id: string, now: string): Promise<WorkspaceSession | undefined> {
        const doc = await this.collection.findOne({ _id: literal(id), expiresAt: { $gt: literal(now) } });
        return doc ? sessionOf(doc) : undefined;
    }

    async delete(id: string): Promise<void> {
        await this.collection.deleteOne({ _id: literal(id) });
    }

    /** Removes sessions expired at `now` (ISO). */
    async sweep(now: string): Promise<number> {
        return (await this.collection.deleteMany({ expiresAt: { $lte: literal(now) } })).deletedCount;
    }
}

export interface UnmetDoc {
    /** Week and need id. */
    _id: string;
    week: string;
    needId: string;
    count: number;
}

export class MongoAnalyticsStore implements AnalyticsStore {
    constructor(private readonly collection: Collection<UnmetDoc>, private readonly queue = new DocumentQueue(false)) {}

    async recordUnmet(needIds: readonly string[], at: string): Promise<void> {
        const week = weekStart(at);
        // One atomic upsert per need: the counts are right however many instances run.
        for (const needId of new Set(needIds.map(literal))) {
            const _id = `${week}|${needId}`;
            await this.queue.run(`unmet:${_id}`, () => upsertRetrying(() => this.collection.updateOne({ _id },
                { $inc: { count: 1 }, $setOnInsert: { week, needId } }, { upsert: true })));
        }
    }

    async unmetSince(fromWeek: string): Promise<UnmetCount[]> {
        const docs = await this.collection.find({ week: { $gte: literal(fromWeek) } },
            { sort: { week: 1, needId: 1 } }).toArray();
        return docs.map((d) => ({ week: d.week, needId: d.needId, count: d.count }));
    }
}

/**
 * A Teams link as stored: keyed by the account (so links of one account are writes of one document), with a unique
 * index on the Teams user's object id (so one Teams user has one account).
 */
export interface TeamsLinkDoc {
    _id: string;
    aadObjectId: string;
    via: TeamsLinkWay;
    linkedAt: string;
}

/** A one-time code as stored: keyed by its keyed hash; `expireAt` lets a TTL index remove it. */
export interface TeamsLinkCodeDoc {
    _id: string;
    userId: string;
    expiresAt: string;
    expireAt: Date;
}

/**
 * Teams links and codes, in single-document steps. A link removes the Teams user's link to any other account, then
 * writes the account's document; every write of an account's document (link, unlink, or another account's link
 * taking its Teams user) is queued and leased on that account where updates need it, so racing links of one account
 * leave the last and an unlink never straddles a link's read-and-write on FerretDB; a race for one Teams user is
 * lost on its unique index by one writer, who tries again. A code is
 * taken by a delete that only one caller sees succeed, so it works once even on FerretDB.
 */
export class MongoTeamsLinkStore implements TeamsLinkStore {
    constructor(
        private readonly links: Collection<TeamsLinkDoc>,
        private readonly codes: Collection<TeamsLinkCodeDoc>,
        private readonly queue = new DocumentQueue(false),
    ) {}

    async link(link: TeamsLink): Promise<void> {
        const _id = literal(link.userId);
        const doc = { aadObjectId: literal(link.aadObjectId), via: literal(link.via) as TeamsLinkWay,
            linkedAt: literal(link.linkedAt) };
        for (let attempt = 0; attempt < 5; attempt++) {
            // Each other account's link goes under that account's lease, as its own link and unlink do.
            const others = await this.links.find({ aadObjectId: doc.aadObjectId, _id: { $ne: _id } },
                { projection: { _id: 1 } }).toArray();
            for (const other of others) {
                await this.queue.run(`teamsLinks:${other._id}`,
                    () => this.links.deleteOne({ _id: other._id, aadObjectId: doc.aadObjectId }));
            }
            try {
                await this.queue.run(`teamsLinks:${_id}`, () => upsertRetrying(() =>
                    this.links.replaceOne({ _id }, doc, { upsert: true })));
                return;
            } catch (err) {
                if (!isDuplicateKey(err)) throw err;
            }
        }
        throw new StoreBusyError();
    }

    async byTeamsUser(aadObjectId: string): Promise<TeamsLink | undefined> {
        return linkOf(await this.links.findOne({ aadObjectId: literal(aadObjectId) }));
    }

    async byAccount(userId: string): Promise<TeamsLink | undefined> {
        return linkOf(await this.links.findOne({ _id: literal(userId) }));
    }

    async unlinkAccount(userId: string): Promise<boolean> {
        const _id = literal(userId);
        return await this.queue.run(`teamsLinks:${_id}`, async () =>
            (await this.links.deleteOne({ _id })).deletedCount === 1);
    }

    async putCode(code: TeamsLinkCode): Promise<boolean> {
        const _id = literal(code.codeHash);
        const userId = literal(code.userId);
        const taken = await this.codes.findOne({ _id });
        if (taken && taken.userId !== userId) return false;
        await this.codes.deleteMany({ userId });
        try {
            await this.codes.insertOne({ _id, userId, expiresAt: literal(code.expiresAt),
                expireAt: new Date(literal(code.expiresAt)) });
            return true;
        } catch (err) {
            if (isDuplicateKey(err)) return false;
            throw err;
        }
    }

    async takeCode(codeHash: string, now: string): Promise<string | undefined> {
        const _id = literal(codeHash);
        const doc = await this.codes.findOne({ _id });
        if (!doc) return undefined;
        // Whoever deletes it has it: a second taker at the same moment deletes nothing.
        const gone = (await this.codes.deleteOne({ _id, userId: doc.userId })).deletedCount === 1;
        return gone && doc.expiresAt > literal(now) ? doc.userId : undefined;
    }

    /** Removes expired codes (the hourly sweep; the TTL index does it too where there is one). */
    async sweep(now: string): Promise<number> {
        return (await this.codes.deleteMany({ expiresAt: { $lte: literal(now) } })).deletedCount;
    }
}

function linkOf(doc: TeamsLinkDoc | null): TeamsLink | undefined {
    return doc ? { aadObjectId: doc.aadObjectId, userId: doc._id, via: doc.via, linkedAt: doc.linkedAt } : undefined;
}
