/**
 * The built-in Direct Line endpoint's conversations and activities, its rate limit, and SMS opt-outs, in MongoDB.
 * Activities are kept as JSON strings: what a client posts may have any keys.
 */
import type { Collection } from 'mongodb';
import {
    UnknownConversationError, type DirectLineConversation, type DirectLineEntry, type DirectLineStore,
} from '../directLineStore';
import type { OptOutStore } from '../optOutStore';
import { DAY_MS, DocumentQueue, isDuplicateKey, literal, upsertRetrying } from './connection';

export interface ConversationDoc {
    _id: string;
    userId: string;
    createdAt: string;
    /** The number of the last activity given out. */
    lastSeq: number;
    /** Activities below this number were forgotten on purpose ("delete my data"): a gap there is not a wait. */
    floor?: number;
    updatedAt: Date;
    expireAt: Date;
}

export interface ActivityDoc {
    /** Conversation id, ':' and seq. */
    _id: string;
    conversationId: string;
    seq: number;
    /** The activity as JSON. */
    doc: string;
    /** When it was written, to tell an activity still being written from one that never will be. */
    at: Date;
    expireAt: Date;
}

export interface RateWindowDoc {
    /** Conversation id, window length and window number. */
    _id: string;
    count: number;
    expireAt: Date;
}

/**
 * How long a missing number holds back the activities after it. Appending takes two steps (take a number, then
 * write the activity), so a reader may briefly see number 6 before number 5 lands; it waits for 5 rather than
 * moving its watermark past it. A number still missing after this long never will be written (its writer died).
 */
export const GAP_WAIT_MS = 2_000;

export class MongoDirectLineStore implements DirectLineStore {
    constructor(
        private readonly conversations: Collection<ConversationDoc>,
        private readonly activities: Collection<ActivityDoc>,
        private readonly windows: Collection<RateWindowDoc>,
        private readonly stateDays: number,
        private readonly queue = new DocumentQueue(false),
    ) {}

    async createConversation(c: DirectLineConversation): Promise<boolean> {
        const now = new Date();
        try {
            await this.conversations.insertOne({
                _id: literal(c.id), userId: literal(c.userId), createdAt: literal(c.createdAt), lastSeq: 0,
                updatedAt: now, expireAt: this.expiry(now),
            });
            return true;
        } catch (err) {
            if (isDuplicateKey(err)) return false;
            throw err;
        }
    }

    async getConversation(id: string): Promise<DirectLineConversation | undefined> {
        const doc = await this.conversations.findOne({ _id: literal(id) });
        return doc ? { id: doc._id, userId: doc.userId, createdAt: doc.createdAt } : undefined;
    }

    /**
     * Takes the next number with an atomic $inc, then writes the activity under `conversation:number`. Should two
     * writers ever get the same number (FerretDB 1.x can lose an $inc between instances), the unique _id refuses
     * the second, which takes another number.
     */
    async append(conversationId: string, build: (seq: number) => Record<string, unknown>): Promise<DirectLineEntry> {
        const id = literal(conversationId);
        for (let attempt = 1; ; attempt++) {
            const now = new Date();
            const conversation = await this.queue.run(`dl:${id}`, () => this.conversations.findOneAndUpdate(
                { _id: id },
                { $inc: { lastSeq: 1 }, $set: { updatedAt: now, expireAt: this.expiry(now) } },
                // No projection: FerretDB 1.24 refuses one on findOneAndUpdate.
                { returnDocument: 'after' }));
            if (!conversation) throw new UnknownConversationError();
            const seq = conversation.lastSeq;
            const activity = build(seq);
            try {
                await this.activities.insertOne({
                    _id: `${id}:${seq}`, conversationId: id, seq, doc: JSON.stringify(activity), at: new Date(),
                    expireAt: this.expiry(now),
                });
                return { seq, activity };
            } catch (err) {
                if (!isDuplicateKey(err) || attempt >= 5) throw err;
            }
        }
    }

    async since(conversationId: string, watermark: number, limit: number): Promise<DirectLineEntry[]> {
        const id = literal(conversationId);
        const after = Number(watermark);
        const conversation = await this.conversations.findOne({ _id: id }, { projection: { floor: 1 } });
        if (!conversation) return [];
        const docs = await this.activities.find({ conversationId: id, seq: { $gt: after } },
            { sort: { seq: 1 }, limit: Math.max(0, Math.floor(Number(limit))) }).toArray();
        const settled = Date.now() - GAP_WAIT_MS;
        const out: DirectLineEntry[] = [];
        let expected = Math.max(after + 1, conversation.floor ?? 0);
        for (const doc of docs) {
            if (doc.seq > expected && doc.at.getTime() > settled) break;
            out.push({ seq: doc.seq, activity: JSON.parse(doc.doc) as Record<string, unknown> });
            expected = doc.seq + 1;
        }
        return out;
    }

    async forgetBefore(conversationId: string, seq: number): Promise<number> {
        const id = literal(conversationId);
        const before = Number(seq);
        await this.queue.run(`dl:${id}`, () => this.conversations.updateOne({ _id: id }, { $max: { floor: before } }));
        return (await this.activities.deleteMany({ conversationId: id, seq: { $lt: before } })).deletedCount;
    }

    async redact(conversationId: string, seq: number, text: string): Promise<boolean> {
        const id = literal(conversationId);
        const _id = `${id}:${Number(seq)}`;
        // Under the conversation's lease, as its other writes: on FerretDB an update is a read and a write.
        return this.queue.run(`dl:${id}`, async () => {
            const found = await this.activities.findOne({ _id });
            if (!found) return false;
            const activity = { ...JSON.parse(found.doc) as Record<string, unknown>, text };
            await this.activities.updateOne({ _id }, { $set: { doc: JSON.stringify(activity) } });
            return true;
        });
    }

    /**
     * A fixed window per conversation: one document per window, counted with an atomic $inc, deleted by its TTL
     * soon after the window ends.
     */
    async hit(conversationId: string, nowMs: number, windowMs: number, max: number): Promise<{ retryAfterMs: number }> {
        const window = Math.floor(nowMs / windowMs);
        const _id = `${literal(conversationId)}:${windowMs}:${window}`;
        const doc = await this.queue.run(`rate:${_id}`, () => upsertRetrying(() => this.windows.findOneAndUpdate(
            { _id },
            { $inc: { count: 1 }, $setOnInsert: { expireAt: new Date(Date.now() + windowMs + 60_000) } },
            { upsert: true, returnDocument: 'after' })));
        const count = doc?.count ?? 1;
        return { retryAfterMs: count <= max ? 0 : (window + 1) * windowMs - nowMs };
    }

    /**
     * Removes conversations untouched since `cutoff`, with their activities. Each conversation is deleted only if
     * it is still idle (one conditional delete), so a chat that just came back to life is left alone.
     */
    async sweep(cutoff: Date): Promise<number> {
        const idle = await this.conversations.find({ updatedAt: { $lt: cutoff } }, { projection: { _id: 1 } })
            .toArray();
        let removed = 0;
        for (const { _id } of idle) {
            const gone = await this.conversations.findOneAndDelete({ _id, updatedAt: { $lt: cutoff } });
            if (!gone) continue;
            await this.activities.deleteMany({ conversationId: _id });
            removed++;
        }
        await this.windows.deleteMany({ expireAt: { $lt: new Date() } });
        return removed;
    }

    private expiry(from: Date): Date {
        return new Date(from.getTime() + this.stateDays * DAY_MS);
    }
}

export interface OptOutDoc {
    /** The resident key. */
    _id: string;
    optedOut: boolean;
    at: string;
}

export class MongoOptOutStore implements OptOutStore {
    constructor(private readonly collection: Collection<OptOutDoc>) {}

    async isOptedOut(residentKey: string): Promise<boolean> {
        return (await this.collection.findOne({ _id: literal(residentKey) }))?.optedOut === true;
    }

    async record(residentKey: string, optedOut: boolean, at: string): Promise<void> {
        await upsertRetrying(() => this.collection.updateOne({ _id: literal(residentKey) },
            { $set: { optedOut: optedOut === true, at: literal(at) } }, { upsert: true }));
    }
}
