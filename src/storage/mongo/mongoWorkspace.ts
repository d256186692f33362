/** Workspace accounts, sessions and the anonymous unmet-need counts, in MongoDB. */
import type { Collection } from 'mongodb';
import {
    weekStart, type AnalyticsStore, type SessionStore, type UnmetCount, type UserStore, type WorkspaceRole,
    type WorkspaceSession, type WorkspaceUser,
} from '../ports';
import { DocumentQueue, isDuplicateKey, literal, upsertRetrying } from './connection';

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
        failedSignIns: doc.failedSignIns,
        ...(doc.lockedUntil ? { lockedUntil: doc.lockedUntil } : {}),
    };
}

export function userDoc(u: WorkspaceUser): UserDoc {
    return {
        _id: literal(u.id), email: literal(u.email).toLowerCase(), name: literal(u.name),
        role: literal(u.role) as WorkspaceRole, ...(u.passwordHash ? { passwordHash: literal(u.passwordHash) } : {}),
        createdAt: literal(u.createdAt), failedSignIns: Number(u.failedSignIns) || 0,
        ...(u.lockedUntil ? { lockedUntil: literal(u.lockedUntil) } : {}),
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

    /**
     * The count is one atomic $inc. Locking at the limit is a second, conditional update (a pipeline update could
     * do both at once, but FerretDB 1.x has none); it applies only while the count is still at or over the limit,
     * so a good sign-in in between is not undone.
     */
    async recordFailedSignIn(id: string, maxFailures: number, lockUntil: string) {
        return this.queue.run(`users:${literal(id)}`, () => this.failedSignIn(literal(id), maxFailures, lockUntil));
    }

    private async failedSignIn(_id: string, maxFailures: number, lockUntil: string) {
        const doc = await this.collection.findOneAndUpdate({ _id }, { $inc: { failedSignIns: 1 } },
            { returnDocument: 'after' });
        if (!doc) return { failedSignIns: 0 };
        if (doc.failedSignIns >= maxFailures) {
            const locked = await this.collection.updateOne({ _id, failedSignIns: { $gte: Number(maxFailures) } },
                { $set: { lockedUntil: literal(lockUntil) } });
            if (locked.matchedCount === 1) return { failedSignIns: doc.failedSignIns, lockedUntil: literal(lockUntil) };
        }
        return { failedSignIns: doc.failedSignIns, ...(doc.lockedUntil ? { lockedUntil: doc.lockedUntil } : {}) };
    }

    async recordSignIn(id: string): Promise<void> {
        await this.queue.run(`users:${literal(id)}`, () => this.collection.updateOne({ _id: literal(id) },
            { $set: { failedSignIns: 0 }, $unset: { lockedUntil: '' } }));
    }

    async setPasswordHash(id: string, hash: string): Promise<void> {
        await this.queue.run(`users:${literal(id)}`, () => this.collection.updateOne({ _id: literal(id) },
            { $set: { passwordHash: literal(hash) } }));
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
