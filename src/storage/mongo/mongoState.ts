/**
 * Bot state in MongoDB, with botbuilder's eTag concurrency. The state object is kept as a JSON string, so keys a
 * resident's input may have put into it (`$set`, `a.b`) are never read as operators or field paths, and its size
 * is checked before anything is written.
 */
import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import { ETagConflictError, type StateStore, type StoreItems } from '../stateStore';
import { STORE_LIMITS, checkSize } from '../limits';
import { DAY_MS, DocumentQueue, isDuplicateKey, literal, upsertRetrying } from './connection';

/** A stored state document. `_id` is botbuilder's storage key. */
export interface StateDoc {
    _id: string;
    /** The state object without its eTag, as JSON. */
    doc: string;
    eTag: string;
    updatedAt: Date;
    /** When the TTL index may delete it: the last write plus the retention period. */
    expireAt: Date;
}

export class MongoStateStore implements StateStore {
    constructor(
        private readonly collection: Collection<StateDoc>,
        private readonly stateDays: number,
        private readonly queue = new DocumentQueue(false),
    ) {}

    async read(keys: string[]): Promise<StoreItems> {
        const ids = keys.map(literal);
        const out: StoreItems = {};
        if (!ids.length) return out;
        for (const doc of await this.collection.find({ _id: { $in: ids } }).toArray()) {
            out[doc._id] = { ...(JSON.parse(doc.doc) as object), eTag: doc.eTag };
        }
        return out;
    }

    /**
     * Each key is written by one atomic operation of its own (the embedded store writes a call's keys in one
     * transaction; MongoDB without transactions cannot). Every key's size is checked first, so a refusal writes
     * nothing.
     */
    async write(changes: StoreItems): Promise<void> {
        const docs = Object.entries(changes).map(([key, item]) => {
            const { eTag, ...rest } = item;
            const doc = JSON.stringify(rest);
            checkSize('state document', Buffer.byteLength(doc, 'utf8'), STORE_LIMITS.stateBytes);
            return { key: literal(key), eTag: eTag === undefined || eTag === '*' ? undefined : literal(eTag), doc };
        });
        for (const { key, eTag, doc } of docs) {
            await this.queue.run(`state:${key}`, () => this.writeOne(key, eTag, doc));
        }
    }

    private async writeOne(key: string, eTag: string | undefined, doc: string): Promise<void> {
        const now = new Date();
        const fields = {
            doc, eTag: randomUUID(), updatedAt: now, expireAt: new Date(now.getTime() + this.stateDays * DAY_MS),
        };
        if (eTag === undefined) {
            await upsertRetrying(() => this.collection.updateOne({ _id: key }, { $set: fields }, { upsert: true }));
            return;
        }
        const updated = await this.collection.updateOne({ _id: key, eTag }, { $set: fields });
        if (updated.matchedCount === 1) return;
        // No document with that eTag: a first write of a new key is fine, a stale one is not.
        try {
            await this.collection.insertOne({ _id: key, ...fields });
        } catch (err) {
            if (isDuplicateKey(err)) throw new ETagConflictError(key);
            throw err;
        }
    }

    async delete(keys: string[]): Promise<void> {
        const ids = keys.map(literal);
        if (ids.length) await this.collection.deleteMany({ _id: { $in: ids } });
    }

    /** Removes state not written since `cutoff`. Returns how many documents went. */
    async sweep(cutoff: Date): Promise<number> {
        return (await this.collection.deleteMany({ updatedAt: { $lt: cutoff } })).deletedCount;
    }
}
