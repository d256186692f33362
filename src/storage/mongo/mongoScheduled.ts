/**
 * Scheduled messages in MongoDB. Every change of a message is one updateOne/findOneAndUpdate whose filter holds the
 * precondition (its state, the claim's token, a lapsed lease), run through the DocumentQueue so that on FerretDB
 * 1.x the update leases make it atomic across instances: of two instances claiming one message, one matches. The
 * idempotency key is a unique index, so scheduling the same key twice keeps one.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import {
    SCHEDULED_LIMITS, SCHEDULED_MAX_ATTEMPTS, checkScheduled, withoutAddress, type ClaimedMessage,
    type NewScheduledMessage, type ScheduledMessage, type ScheduledMessageStore, type ScheduledState,
} from '../scheduledMessageStore';
import { DocumentQueue, isDuplicateKey, literal } from './connection';

/** One message: the port's record keyed by `_id` (its id). */
export type ScheduledDoc = Omit<ScheduledMessage, 'id'> & { _id: string };

export function scheduledDoc({ id, ...rest }: ScheduledMessage): ScheduledDoc {
    return { _id: literal(id), ...rest };
}

export function scheduledOfDoc({ _id, ...rest }: ScheduledDoc): ScheduledMessage {
    const m = { id: _id, ...rest } as ScheduledMessage;
    // A finished message's address was unset: the record still says how it was reached.
    if (m.reach.via === 'address' && typeof m.reach.address !== 'string') m.reach = { ...m.reach, address: '' };
    return m;
}

const OPEN: ScheduledState[] = ['scheduled', 'claimed', 'failed'];

/** What a finished message drops: its claim and its address. */
const FINISH_UNSET = { leaseToken: '', leaseUntil: '', 'reach.address': '' } as const;

export class MongoScheduledMessageStore implements ScheduledMessageStore {
    constructor(private readonly collection: Collection<ScheduledDoc>, private readonly queue = new DocumentQueue(false)) {}

    private serial<T>(id: string, task: () => Promise<T>): Promise<T> {
        return this.queue.run(`scheduled:${id}`, task);
    }

    async schedule(message: NewScheduledMessage, now = new Date()): Promise<{ id: string; created: boolean }> {
        checkScheduled(message);
        const key = literal(message.idempotencyKey);
        const had = await this.collection.findOne({ idempotencyKey: key });
        if (had) return { id: had._id, created: false };
        const at = now.toISOString();
        const m: ScheduledMessage = {
            ...message, idempotencyKey: key, data: { ...message.data }, dueAt: new Date(message.dueAt).toISOString(),
            id: randomUUID(), state: 'scheduled', attempts: 0, createdAt: at, updatedAt: at,
        };
        try {
            await this.collection.insertOne(scheduledDoc(m));
            return { id: m.id, created: true };
        } catch (err) {
            if (!isDuplicateKey(err)) throw err;
            const winner = await this.collection.findOne({ idempotencyKey: key });
            if (!winner) throw err;
            return { id: winner._id, created: false };
        }
    }

    async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
        const at = now.toISOString();
        const n = Math.max(0, Math.min(limit, SCHEDULED_LIMITS.claimLimit));
        if (n === 0) return [];
        const due: Filter<ScheduledDoc> = { $or: [
            { state: { $in: ['scheduled', 'failed'] }, dueAt: { $lte: at } },
            { state: 'claimed', leaseUntil: { $lte: at } },
        ] } as Filter<ScheduledDoc>;
        const candidates = await this.collection.find(due).sort({ dueAt: 1, _id: 1 }).limit(n).toArray();
        const claimed: ClaimedMessage[] = [];
        for (const candidate of candidates) {
            const _id = candidate._id;
            const got = await this.serial(_id, async () => {
                // A lapsed claim that has had every attempt is stuck, not claimed again.
                const stuck = await this.collection.updateOne(
                    { _id, state: 'claimed', leaseUntil: { $lte: at }, attempts: { $gte: SCHEDULED_MAX_ATTEMPTS } },
                    { $set: { state: 'stuck', updatedAt: at }, $unset: FINISH_UNSET });
                if (stuck.matchedCount === 1) return null;
                const token = randomUUID();
                // The precondition is the filter: of two instances, one matches.
                return this.collection.findOneAndUpdate(
                    { $and: [{ _id }, due] } as Filter<ScheduledDoc>,
                    {
                        $set: { state: 'claimed', leaseToken: token,
                            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), updatedAt: at },
                        $inc: { attempts: 1 },
                    },
                    { returnDocument: 'after' });
            });
            if (got && got.state === 'claimed') claimed.push(scheduledOfDoc(got) as ClaimedMessage);
        }
        return claimed;
    }

    async markSent(id: string, leaseToken: string, now = new Date()): Promise<boolean> {
        const _id = literal(id);
        const at = now.toISOString();
        return this.serial(_id, async () => (await this.collection.updateOne(
            { _id, state: 'claimed', leaseToken: literal(leaseToken) },
            { $set: { state: 'sent', sentAt: at, updatedAt: at }, $unset: FINISH_UNSET })).matchedCount === 1);
    }

    async markFailed(id: string, leaseToken: string, retryAt: Date, now = new Date()):
        Promise<'failed' | 'stuck' | false> {
        const _id = literal(id);
        const token = literal(leaseToken);
        const at = now.toISOString();
        return this.serial(_id, async () => {
            const stuck = await this.collection.updateOne(
                { _id, state: 'claimed', leaseToken: token, attempts: { $gte: SCHEDULED_MAX_ATTEMPTS } },
                { $set: { state: 'stuck', updatedAt: at }, $unset: FINISH_UNSET });
            if (stuck.matchedCount === 1) return 'stuck';
            const failed = await this.collection.updateOne(
                { _id, state: 'claimed', leaseToken: token },
                { $set: { state: 'failed', dueAt: retryAt.toISOString(), updatedAt: at },
                    $unset: { leaseToken: '', leaseUntil: '' } });
            return failed.matchedCount === 1 ? 'failed' : false;
        });
    }

    async cancelForResident(residentKey: string, now = new Date()): Promise<number> {
        const key = literal(residentKey);
        const at = now.toISOString();
        const docs = await this.collection.find({ residentKey: key, state: { $in: [...OPEN, 'stuck' as const] } })
            .project<{ _id: string }>({ _id: 1 }).toArray();
        let n = 0;
        for (const { _id } of docs) {
            n += await this.serial(_id, async () => {
                const cancelled = await this.collection.updateOne({ _id, state: { $in: OPEN } },
                    { $set: { state: 'cancelled', updatedAt: at }, $unset: FINISH_UNSET });
                if (cancelled.matchedCount === 1) return 1;
                // A stuck one is already finished: only its address goes.
                await this.collection.updateOne({ _id, state: 'stuck' }, { $unset: { 'reach.address': '' } });
                return 0;
            });
        }
        return n;
    }

    async get(id: string): Promise<ScheduledMessage | undefined> {
        const doc = await this.collection.findOne({ _id: literal(id) });
        return doc ? withoutAddress(scheduledOfDoc(doc)) : undefined;
    }

    async listStuck(limit: number): Promise<ScheduledMessage[]> {
        const n = Math.max(0, Math.min(limit, SCHEDULED_LIMITS.listLimit));
        if (n === 0) return [];
        const docs = await this.collection.find({ state: 'stuck' }).sort({ updatedAt: -1, _id: 1 }).limit(n).toArray();
        return docs.map((d) => withoutAddress(scheduledOfDoc(d)));
    }

    async countStuck(): Promise<number> {
        return this.collection.countDocuments({ state: 'stuck' });
    }

    async sweep(before: Date): Promise<number> {
        const result = await this.collection.deleteMany(
            { state: { $in: ['sent', 'cancelled', 'stuck'] }, updatedAt: { $lt: before.toISOString() } });
        return result.deletedCount;
    }
}
