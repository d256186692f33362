/**
 * The MongoDB client, collection names, indexes and the small rules every MongoDB store follows.
 *
 * Only single-document atomic operations are used (findOneAndUpdate, updateOne with a precondition in its filter,
 * insertOne with a unique _id): no transactions and no aggregation-pipeline updates, so the same code runs on
 * MongoDB, Azure Cosmos DB for MongoDB (vCore) and FerretDB 1.x.
 */
import { createHash, randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type Collection, type Db, type IndexDescription } from 'mongodb';
import { RECORD_STORE_NAMES } from '../storeMigration';

/** Collection names: one per table of the embedded store (the same names), plus the rate windows and leases. */
export const COLLECTIONS = Object.freeze({
    ...RECORD_STORE_NAMES,
    rateWindows: 'dl_rate_windows',
    /** Attempt counts (sign-in failures, requests for contact) per keyed hash: see AttemptStore. */
    attempts: 'attempts',
    /** Short-lived leases that make updates safe across instances on FerretDB 1.x (see DocumentQueue). */
    updateLeases: 'update_leases',
    /** One-time codes that link a Teams user, as keyed hashes; they last minutes. */
    teamsLinkCodes: 'teams_link_codes',
    /** The number every instance polls to know the curators' decisions changed (see ListingFeedbackStore). */
    curationVersion: 'listing_curation_version',
});

export const DAY_MS = 86_400_000;

/**
 * Client settings: fail fast when the database is down (a resident's turn should not hang for the driver's default
 * 30 seconds), retry a write once after a failover, and never store `undefined` as null.
 */
export function createMongoClient(uri: string): MongoClient {
    return new MongoClient(uri, {
        appName: 'signpost',
        serverSelectionTimeoutMS: 5_000,
        connectTimeoutMS: 5_000,
        socketTimeoutMS: 30_000,
        ignoreUndefined: true,
        // A connection string that says retryWrites=false (some managed services need it) is obeyed.
        ...(/[?&]retrywrites=/i.test(uri) ? {} : { retryWrites: true }),
    });
}

/**
 * The host names (and ports) of a connection string, for logs and messages: never the user name or password, nor
 * the options (which may carry credentials too).
 */
export function mongoHosts(uri: string): string[] {
    const rest = uri.replace(/^mongodb(\+srv)?:\/\//i, '');
    const authority = rest.split(/[/?]/, 1)[0] ?? '';
    const hosts = authority.slice(authority.lastIndexOf('@') + 1);
    return hosts.split(',').map((h) => h.trim()).filter(Boolean);
}

/**
 * An id or other value that goes into a filter, as a plain string. Whatever a caller passes (an object such as
 * `{ $ne: null }` that slipped through unchecked JSON), the filter compares it as literal text and can never
 * become a query operator.
 */
export function literal(value: unknown): string {
    return typeof value === 'string' ? value : String(value);
}

/** A write refused because a document with that unique key exists. */
export function isDuplicateKey(err: unknown): boolean {
    return err instanceof MongoServerError && err.code === 11000;
}

/**
 * Runs an upsert, once more if it lost a race with another upsert of the same new _id (two inserts of a missing
 * document can both try to create it; the loser then updates the winner's).
 */
export async function upsertRetrying<T>(write: () => Promise<T>): Promise<T> {
    try {
        return await write();
    } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return write();
    }
}

/** Message for a store error, with anything that looks like credentials in a connection string removed. */
export function safeMessage(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/mongodb(\+srv)?:\/\/[^\s@/]*@/gi, 'mongodb$1://***@');
}

const TTL = { expireAfterSeconds: 0 };

/**
 * The indexes every collection needs. `expireAt` fields carry TTL indexes (the database deletes a document when
 * its time passes); the explicit sweep removes the same documents too, so both adapters behave alike in tests and
 * on servers whose TTL monitor is slow or absent.
 */
export const INDEXES: Record<string, IndexDescription[]> = {
    [COLLECTIONS.state]: [
        { key: { updatedAt: 1 }, name: 'updatedAt' },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.escalations]: [
        { key: { reference: 1 }, name: 'reference_unique', unique: true },
        { key: { residentKey: 1, createdAt: 1 }, name: 'residentKey_createdAt' },
        { key: { status: 1, createdAt: 1 }, name: 'status_createdAt' },
        { key: { createdAt: 1 }, name: 'createdAt' },
        { key: { channelId: 1, conversationId: 1 }, name: 'channelId_conversationId' },
        { key: { closedAt: 1 }, name: 'closedAt' },
        { key: { contactKey: 1, createdAt: 1 }, name: 'contactKey_createdAt' },
        // The connectors' queue (MongoEscalationStore.queuePage): each group in due order, and the holder's views.
        { key: { status: 1, priority: 1, dueBy: 1, _id: 1 }, name: 'status_priority_dueBy' },
        { key: { 'assignee.id': 1, status: 1 }, name: 'assignee_status' },
        // The workspace's live changes (MongoEscalationStore.liveChanges); createdAt has its index above.
        { key: { residentMessageAt: 1 }, name: 'residentMessageAt' },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.users]: [
        { key: { email: 1 }, name: 'email_unique', unique: true },
        { key: { name: 1 }, name: 'name' },
    ],
    [COLLECTIONS.sessions]: [
        { key: { expiresAt: 1 }, name: 'expiresAt' },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.optOuts]: [],
    [COLLECTIONS.unmetNeeds]: [
        { key: { week: 1, needId: 1 }, name: 'week_needId' },
    ],
    [COLLECTIONS.chatConversations]: [
        { key: { updatedAt: 1 }, name: 'updatedAt' },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.chatActivities]: [
        { key: { conversationId: 1, seq: 1 }, name: 'conversationId_seq_unique', unique: true },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.rateWindows]: [
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.attempts]: [
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    [COLLECTIONS.teamsLinks]: [
        { key: { aadObjectId: 1 }, name: 'aadObjectId_unique', unique: true },
    ],
    [COLLECTIONS.teamsLinkCodes]: [
        { key: { userId: 1 }, name: 'userId' },
        { key: { expireAt: 1 }, name: 'expireAt_ttl', ...TTL },
    ],
    // The curation queue: the most reported first.
    [COLLECTIONS.listingReports]: [
        { key: { count: -1, lastAt: -1 }, name: 'count_lastAt' },
    ],
    [COLLECTIONS.listingDecisions]: [],
    [COLLECTIONS.curationVersion]: [],
    // Scheduled messages: one per idempotency key; claimed by due time; cancelled per resident.
    [COLLECTIONS.scheduledMessages]: [
        { key: { idempotencyKey: 1 }, name: 'idempotencyKey_unique', unique: true },
        { key: { state: 1, dueAt: 1 }, name: 'state_dueAt' },
        { key: { residentKey: 1 }, name: 'residentKey' },
    ],
};

/** What the server can do, found at start-up. */
export interface ServerTraits {
    /** False when the server has no TTL indexes: the hourly sweep does their work. */
    ttl: boolean;
    /**
     * False on FerretDB 1.x: it applies an update by reading the document, changing it in its own process and
     * writing it back, with no check that it is unchanged (FerretDB issue #3040). Two conditional updates of one
     * document at the same moment can then both apply, and concurrent $inc lose counts. The stores then queue their
     * updates of each document within this process and take a lease on it across processes (see DocumentQueue).
     */
    atomicUpdates: boolean;
    /** The FerretDB version, when it is FerretDB. */
    ferretdb?: string;
}

/** MongoDB's NotImplemented error code, as FerretDB uses it for what it lacks. */
const NOT_IMPLEMENTED = 238;

/**
 * Creates every collection's missing indexes and says what the server can do. Idempotent: indexes that exist are
 * left alone, so every instance may run it at start-up.
 *
 * Two FerretDB 1.24 quirks shape it: one createIndexes call naming both existing and new indexes makes FerretDB
 * panic and drop the connection ("slice bounds out of range"), so indexes are created one call each, only when
 * missing; and it has no TTL indexes ("Index option expireAfterSeconds is not implemented yet", code 238), so
 * there `expireAt` gets a plain index instead and the explicit sweep deletes what TTL would.
 */
export async function ensureIndexes(db: Db): Promise<ServerTraits> {
    // buildInfo needs no privileges; should a server refuse it anyway, it is taken not to be FerretDB.
    const info = await db.admin().command({ buildInfo: 1 }).catch(() => ({})) as { ferretdbVersion?: unknown };
    const ferretdb = typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
    const traits: ServerTraits = {
        ttl: true, atomicUpdates: !ferretdb || !/^v?1\./.test(ferretdb), ...(ferretdb ? { ferretdb } : {}),
    };
    const existing = new Map<string, Set<string>>();
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
        const names = (await db.collection(c.name).listIndexes().toArray()).map((i) => String(i.name));
        existing.set(c.name, new Set(names));
    }
    for (const [name, indexes] of Object.entries(INDEXES)) {
        const collection = db.collection(name);
        const have = existing.get(name) ?? new Set<string>();
        for (const index of indexes) {
            const plainName = `${String(index.name)}_plain`;
            if (index.expireAfterSeconds !== undefined && have.has(plainName)) {
                traits.ttl = false;
                continue;
            }
            if (have.has(String(index.name))) continue;
            try {
                await collection.createIndexes([index]);
            } catch (err) {
                if (index.expireAfterSeconds === undefined
                    || !(err instanceof MongoServerError && err.code === NOT_IMPLEMENTED)) throw err;
                traits.ttl = false;
                await collection.createIndexes([{ key: index.key, name: plainName }]);
            }
        }
    }
    return traits;
}

/** A lease on one document's updates: its holder, and when it was taken. */
export interface LeaseDoc {
    _id: string;
    owner: string;
    at: Date;
}

/** Raised when a document's lease stays held by another instance for longer than the wait allows. */
export class StoreBusyError extends Error {
    constructor() {
        super('Another instance kept a stored record busy for too long');
        this.name = 'StoreBusyError';
    }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the updates of one document one after another, when the server needs it (FerretDB 1.x: see
 * ServerTraits.atomicUpdates); otherwise runs them at once, untouched.
 *
 * Within this process the updates of a document are chained. Across processes each update first takes a lease:
 * an insert of `{ _id: hash(document key) }` into the leases collection. An insert with a unique _id is atomic on
 * every server (FerretDB too: it is the SQLite primary key), so only one instance holds the lease at a time; the
 * others wait and retry. The holder deletes its lease when the update is done. A lease left by an instance that died
 * while holding it is taken over once it is older than `staleMs`. The lease id is a hash, so no conversation id
 * or phone number is written there.
 */
export class DocumentQueue {
    private readonly tails = new Map<string, Promise<unknown>>();

    constructor(
        readonly enabled: boolean,
        private readonly leases?: Collection<LeaseDoc>,
        private readonly timing = { staleMs: 10_000, waitMs: 8_000 },
    ) {}

    run<T>(key: string, task: () => Promise<T>): Promise<T> {
        if (!this.enabled) return task();
        const leased = () => (this.leases ? this.withLease(key, task) : task());
        const result = (this.tails.get(key) ?? Promise.resolve()).then(leased);
        const tail = result.catch(() => undefined);
        this.tails.set(key, tail);
        void tail.then(() => {
            if (this.tails.get(key) === tail) this.tails.delete(key);
        });
        return result;
    }

    private async withLease<T>(key: string, task: () => Promise<T>): Promise<T> {
        const leases = this.leases!;
        const _id = createHash('sha256').update(key).digest('base64url');
        const owner = randomUUID();
        const deadline = Date.now() + this.timing.waitMs;
        for (let attempt = 0; ; attempt++) {
            try {
                await leases.insertOne({ _id, owner, at: new Date() });
                break;
            } catch (err) {
                if (!isDuplicateKey(err)) throw err;
            }
            const held = await leases.findOne({ _id });
            if (held && Date.now() - new Date(held.at).getTime() > this.timing.staleMs) {
                // Its holder died mid-update: only that holder's lease is removed, never a newer one.
                await leases.deleteOne({ _id, owner: held.owner });
                continue;
            }
            if (Date.now() > deadline) throw new StoreBusyError();
            await sleep(Math.min(2 ** attempt, 40) + Math.random() * 5);
        }
        try {
            return await task();
        } finally {
            await leases.deleteOne({ _id, owner }).catch(() => undefined);
        }
    }
}
