/**
 * Conversation state that survives the database going away for a while. A decorator for any StateStore adapter
 * (embedded or MongoDB): while the database answers, every read and write goes to it, and a bounded in-process
 * cache of recently used state is kept up to date on the way (write-through). When the database stops answering
 * (a connection or timeout kind of error, see `isUnavailable`), reads are served from that cache and writes are
 * kept in it as pending, so a resident still gets answers; a background task tries the database every second and,
 * once it answers, flushes the pending writes and goes back to the database for everything.
 *
 * Pending writes and eTags (the decision):
 * - While degraded, eTags are still checked, against the cache: a reader is given the entry's eTag (the database's
 *   when it came from a read, else one made here), and a write carrying another eTag is an ETagConflictError, as
 *   the database would say. So two turns of one conversation racing in this process are still resolved.
 * - The database's eTag after our own write is never known (the port's write returns nothing), so a pending write
 *   is not flushed with an eTag remembered from before. Instead each pending entry remembers the contents it was
 *   built on: the last contents this process saw in the database, plus any write of its own that failed in a way
 *   that may still have landed (a timeout). On recovery the flush reads the stored document: if it is one of those,
 *   nobody else wrote in the meantime, and the pending contents are written conditionally on the eTag just read
 *   (so a writer slipping in between is still caught). If the stored document is already the pending contents,
 *   the write had landed. Otherwise another instance wrote while this one could not see the database: the
 *   database copy wins, the pending contents are dropped, and the conflict is logged (`store.recovery_conflict`)
 *   and counted in `stats().conflicts`. Never silently.
 * - A key missed by the cache while degraded reads as absent (the resident is greeted afresh rather than shown an
 *   error). Its pending write has no known base: it is written only if the database still has no such document;
 *   otherwise the database copy wins, counted as a conflict, as above.
 * - Deletes while degraded (a resident asked to delete their data) are kept as pending too and flushed
 *   unconditionally: a request to forget always wins.
 * The cache is bounded by count (least recently used clean entries go first). Pending entries are never evicted:
 * when the cache is full of them a write fails with StoreNotAnsweringError (the turn's kind error reply follows).
 * Logs carry counts and error kinds only, never keys or contents.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errorKind, type Logger } from '../log';
import { DocumentTooLargeError } from './limits';
import {
    ETagConflictError, jsonToWrite, readJson, type StateStore, type StoreItem, type StoreItems,
} from './stateStore';

/** The database did not answer in time, or the cache cannot hold another pending write. */
export class StoreNotAnsweringError extends Error {
    constructor(message = 'The state store is not answering') {
        super(message);
        this.name = 'StoreNotAnsweringError';
    }
}

/** Tunable defaults (in one frozen object, as config.ts keeps its own). */
export const RESILIENCE_DEFAULTS = Object.freeze({
    /** Entries kept in the cache. A conversation's state is a few kilobytes: 5,000 of them is tens of megabytes. */
    maxEntries: 5_000,
    /**
     * Longest wait for the database on one call while nothing else it was asked answers either (see `call`). Far
     * longer than a real state read or write, shorter than the MongoDB driver's server selection (5 s), so a
     * resident is not kept waiting long on a dead link.
     */
    callTimeoutMs: 2_000,
    /** How often, while degraded, the database is tried again, and how long each try may take. */
    retryMs: 1_000,
    probeTimeoutMs: 1_500,
});

export interface ResilienceOptions {
    log: Logger;
    maxEntries?: number;
    callTimeoutMs?: number;
    retryMs?: number;
    probeTimeoutMs?: number;
}

/** What the layer has done since it started (for tests and the recovery log line). */
export interface ResilienceStats {
    degraded: boolean;
    /** Times the database was found not answering. */
    outages: number;
    cached: number;
    pending: number;
    /** Reads answered from the cache while degraded, and those that found nothing there. */
    servedFromCache: number;
    missedWhileDegraded: number;
    /** Pending writes and deletes that reached the database. */
    flushed: number;
    /** Pending writes dropped on recovery because another writer changed the document first. */
    conflicts: number;
}

/** Error names and codes that mean "the database is not reachable now", across adapters. */
const UNAVAILABLE_NAMES = new Set([
    'StoreNotAnsweringError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError',
    'MongoNotConnectedError', 'MongoPoolClearedError', 'MongoServerClosedError',
]);
const UNAVAILABLE_CODES = new Set([
    'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
    'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN',
]);
const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

/**
 * True for a connection or timeout kind of failure, which the cache can ride out. An eTag conflict, a document over
 * the size limit or an unknown error (a bug) is not: those go to the caller as they are.
 */
export function isUnavailable(err: unknown): boolean {
    if (!(err instanceof Error)) return false;
    if (err instanceof ETagConflictError || err instanceof DocumentTooLargeError) return false;
    if (UNAVAILABLE_NAMES.has(err.name)) return true;
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && [...UNAVAILABLE_CODES].some((c) => code.startsWith(c))) return true;
    const labelled = (err as { hasErrorLabel?: (label: string) => boolean }).hasErrorLabel;
    if (typeof labelled === 'function' && TRANSIENT_LABELS.some((l) => labelled.call(err, l))) return true;
    const cause = (err as { cause?: unknown }).cause;
    return cause !== undefined && cause !== err && isUnavailable(cause);
}

/** No document: what a missing key, or a pending delete, holds. */
const ABSENT = '';
/** A key no one writes, read to see whether the database answers. */
const PROBE_KEY = 'signpost-store-probe';

interface Pending {
    /**
     * Stored contents this entry may have been built on (canonical JSON, ABSENT for no document): the last ones
     * seen in the database, and our own writes that may have landed. A key never seen was built on nothing.
     */
    bases: Set<string>;
    /**
     * A delete is waiting (perhaps with writes made after it): the stored document goes first, whatever it is. The
     * version at which it was asked for.
     */
    forget?: number;
    /** Bumped on every change, so a flush knows whether the entry moved on while it was writing. */
    version: number;
}

interface Entry {
    /** The contents as this process last saw or wrote them, as JSON without the eTag; ABSENT for none. */
    doc: string;
    /** The eTag a reader is given: the database's when read from it, else one made here. */
    eTag: string;
    pending?: Pending;
}

const localETag = (): string => `local-${randomUUID()}`;
const docOf = (item: StoreItem | undefined): string => {
    if (!item) return ABSENT;
    const { eTag: _eTag, ...rest } = item;
    return JSON.stringify(rest);
};
/** As docOf, with the JSON its store read it from, when noted (stateStore.ts): read results only. */
const readDocOf = (item: StoreItem | undefined): string => (item && readJson(item)) ?? docOf(item);
/** As docOf, with the JSON its writer made for this write, when noted: items being written only. */
const writtenDocOf = (item: StoreItem | undefined): string => (item && jsonToWrite(item)) ?? docOf(item);
/** JSON with keys sorted, so contents compare equal however a database reordered their fields. */
function canonical(doc: string): string {
    if (doc === ABSENT) return ABSENT;
    const sort = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(sort);
        if (v && typeof v === 'object') {
            return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
        }
        return v;
    };
    return JSON.stringify(sort(JSON.parse(doc)));
}

export class ResilientStateStore implements StateStore {
    private readonly cache = new Map<string, Entry>();
    private readonly settings: Required<Omit<ResilienceOptions, 'log'>>;
    private degradedSince: number | undefined;
    private timer: NodeJS.Timeout | undefined;
    private recovering: Promise<void> | undefined;
    private stopped = false;
    /** When the database last answered any call (performance.now()). */
    private lastAnswerAt = 0;
    private readonly counts = {
        outages: 0, servedFromCache: 0, missedWhileDegraded: 0, flushed: 0, conflicts: 0,
    };

    constructor(private readonly inner: StateStore, private readonly options: ResilienceOptions) {
        const { log: _log, ...rest } = options;
        this.settings = { ...RESILIENCE_DEFAULTS, ...rest };
    }

    get degraded(): boolean {
        return this.degradedSince !== undefined;
    }

    stats(): ResilienceStats {
        let pending = 0;
        for (const entry of this.cache.values()) if (entry.pending) pending++;
        return { degraded: this.degraded, cached: this.cache.size, pending, ...this.counts };
    }

    async read(keys: string[]): Promise<StoreItems> {
        if (!this.degraded) {
            try {
                const items = await this.call(this.inner.read(keys), this.settings.callTimeoutMs);
                // A read racing a switch to degraded must not overwrite what is pending.
                for (const key of keys) if (!this.cache.get(key)?.pending) this.remember(key, items[key]);
                return items;
            } catch (err) {
                if (!isUnavailable(err)) throw err;
                this.goDegraded(err);
            }
        }
        const out: StoreItems = {};
        for (const key of keys) {
            const entry = this.touch(key);
            if (!entry) {
                this.counts.missedWhileDegraded++;
                continue;
            }
            this.counts.servedFromCache++;
            if (entry.doc !== ABSENT) out[key] = { ...(JSON.parse(entry.doc) as object), eTag: entry.eTag };
        }
        return out;
    }

    async write(changes: StoreItems): Promise<void> {
        if (!this.degraded) {
            try {
                // Taken before the write: its writer clears the JSON it noted once the write is over.
                const docs = Object.entries(changes).map(([key, item]) => [key, writtenDocOf(item)] as const);
                await this.call(this.inner.write(changes), this.settings.callTimeoutMs);
                for (const [key, doc] of docs) this.wrote(key, doc);
                return;
            } catch (err) {
                if (err instanceof ETagConflictError) this.cache.delete(err.key);
                if (!isUnavailable(err)) throw err;
                this.goDegraded(err);
                // It may have landed all the same: the flush will recognise it.
                this.keepPending(changes, true);
                return;
            }
        }
        this.keepPending(changes, false);
    }

    async delete(keys: string[]): Promise<void> {
        if (!this.degraded) {
            try {
                await this.call(this.inner.delete(keys), this.settings.callTimeoutMs);
                for (const key of keys) this.wrote(key, ABSENT);
                return;
            } catch (err) {
                if (!isUnavailable(err)) throw err;
                this.goDegraded(err);
            }
        }
        this.keepPending(Object.fromEntries(keys.map((k) => [k, undefined])), false);
    }

    /** Stops trying the database in the background (the app is closing). Pending writes still held are logged. */
    stop(): void {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        const { pending } = this.stats();
        if (pending) this.options.log.error('store.pending_lost', { pending });
    }

    /** Tries the database now (tests, and the background task): resolves once recovered or still degraded. */
    async recover(): Promise<void> {
        if (!this.degraded) return;
        this.recovering ??= this.flushAll().finally(() => (this.recovering = undefined));
        await this.recovering;
    }

    // ---- the cache ----

    /** The entry, marked as most recently used. */
    private touch(key: string): Entry | undefined {
        const entry = this.cache.get(key);
        if (entry) {
            this.cache.delete(key);
            this.cache.set(key, entry);
        }
        return entry;
    }

    private put(key: string, entry: Entry): void {
        this.cache.delete(key);
        this.cache.set(key, entry);
        if (this.cache.size <= this.settings.maxEntries) return;
        for (const [k, e] of this.cache) {
            if (this.cache.size <= this.settings.maxEntries) break;
            if (!e.pending) this.cache.delete(k);
        }
    }

    /** What the database just said a key holds. */
    private remember(key: string, item: StoreItem | undefined): void {
        const eTag = typeof item?.eTag === 'string' && item.eTag !== '*' ? item.eTag : localETag();
        this.put(key, { doc: readDocOf(item), eTag });
    }

    /** A write or delete reached the database. If the key went pending meanwhile, that pending write builds on it. */
    private wrote(key: string, doc: string): void {
        const entry = this.cache.get(key);
        if (entry?.pending) {
            entry.pending.bases.add(canonical(doc));
            return;
        }
        this.put(key, { doc, eTag: localETag() });
    }

    /**
     * Keeps writes (or deletes, as undefined) in the cache until the database answers. eTags are checked against the
     * cache first, all of them before any is kept, as one write to the database would be.
     */
    private keepPending(changes: Record<string, StoreItem | undefined>, mayHaveLanded: boolean): void {
        const entries = Object.entries(changes);
        for (const [key, item] of entries) {
            const eTag = item?.eTag;
            const entry = this.cache.get(key);
            if (entry && eTag !== undefined && eTag !== '*' && eTag !== entry.eTag) throw new ETagConflictError(key);
        }
        const fresh = entries.filter(([key]) => !this.cache.get(key)?.pending).length;
        if (this.stats().pending + fresh > this.settings.maxEntries) {
            throw new StoreNotAnsweringError('The state store is not answering and too many changes are waiting');
        }
        for (const [key, item] of entries) {
            const doc = writtenDocOf(item);
            const entry = this.cache.get(key);
            const pending: Pending = entry?.pending
                ? { ...entry.pending, version: entry.pending.version + 1 }
                : { bases: new Set([entry ? canonical(entry.doc) : ABSENT]), version: 1 };
            if (mayHaveLanded && item) pending.bases.add(canonical(doc));
            // A delete is flushed whatever is stored: a request to forget always wins.
            if (!item) pending.forget = pending.version;
            this.put(key, { doc, eTag: localETag(), pending });
        }
        this.schedule();
    }

    // ---- degraded mode and recovery ----

    private goDegraded(err: unknown): void {
        if (this.degraded) return;
        this.degradedSince = Date.now();
        this.counts.outages++;
        this.options.log.warn('store.degraded', { store: 'state', error: errorKind(err), cached: this.cache.size });
        this.schedule();
    }

    private schedule(): void {
        if (this.timer || this.stopped || !this.degraded) return;
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.recover().catch(() => undefined).finally(() => this.schedule());
        }, this.settings.retryMs);
        this.timer.unref();
    }

    /** Flushes every pending entry, then goes back to the database; stays degraded when it does not answer. */
    private async flushAll(): Promise<void> {
        const before = { flushed: this.counts.flushed, conflicts: this.counts.conflicts };
        try {
            // Nothing is pending: is anyone there?
            if (!this.stats().pending) await this.call(this.inner.read([PROBE_KEY]), this.settings.probeTimeoutMs);
            for (;;) {
                const waiting = [...this.cache].filter(([, e]) => e.pending);
                if (!waiting.length) break;
                for (const [key, entry] of waiting) await this.flush(key, entry);
            }
        } catch (err) {
            if (isUnavailable(err)) return;
            this.options.log.error('store.flush_failed', { store: 'state', error: errorKind(err) });
            return;
        }
        const outageMs = Date.now() - (this.degradedSince ?? Date.now());
        this.degradedSince = undefined;
        this.options.log.info('store.recovered', {
            store: 'state',
            flushed: this.counts.flushed - before.flushed,
            conflicts: this.counts.conflicts - before.conflicts,
            outageMs,
        });
    }

    /** One pending entry to the database (see the file's comment for how eTags are met). */
    private async flush(key: string, entry: Entry): Promise<void> {
        const { version, forget, bases } = entry.pending!;
        const doc = entry.doc;
        const wanted = canonical(doc);
        const timeout = this.settings.probeTimeoutMs;
        let landed = false;
        if (forget !== undefined) {
            // The resident asked to forget: that goes first, whatever is stored; what they said since follows it.
            await this.call(this.inner.delete([key]), timeout);
            if (doc !== ABSENT) await this.call(this.inner.write({ [key]: JSON.parse(doc) as StoreItem }), timeout);
            landed = true;
        } else {
            const stored = (await this.call(this.inner.read([key]), timeout))[key];
            const storedDoc = canonical(docOf(stored));
            landed = storedDoc === wanted;
            if (!landed && bases.has(storedDoc)) {
                try {
                    // Conditional on the eTag just read: a writer slipping in now is caught, and the database wins.
                    const item = { ...(JSON.parse(doc) as object), eTag: stored?.eTag ?? '*' };
                    await this.call(this.inner.write({ [key]: item }), timeout);
                    landed = true;
                } catch (err) {
                    if (!(err instanceof ETagConflictError)) throw err;
                }
            }
        }
        if (!landed) {
            this.counts.conflicts++;
            this.options.log.warn('store.recovery_conflict', { store: 'state', conflicts: this.counts.conflicts });
            // The database copy wins: drop what was pending, and anything written on top of it since.
            this.cache.delete(key);
            return;
        }
        this.counts.flushed++;
        const current = this.cache.get(key);
        if (current?.pending && current.pending.version !== version) {
            // Written again while this one was on its way: that write builds on what just landed.
            const { forget: later, version: now } = current.pending;
            current.pending = { bases: new Set([wanted]), version: now };
            if (later !== undefined && later > version) current.pending.forget = later;
            return;
        }
        if (current) delete current.pending;
    }

    /**
     * The call's result; StoreNotAnsweringError when it has taken `ms` and nothing else the database was asked has
     * answered meanwhile either. A busy database that answers other calls is slow, not gone: the call waits on, in
     * windows of `ms`, rather than send the bot into degraded mode under load.
     */
    private async call<T>(work: Promise<T>, ms: number): Promise<T> {
        const answered = () => (this.lastAnswerAt = performance.now());
        // Any answer counts, an eTag conflict too: the database is there.
        work.then(answered, (err: unknown) => (isUnavailable(err) ? undefined : answered()));
        let timer: NodeJS.Timeout | undefined;
        try {
            for (;;) {
                const windowStart = performance.now();
                const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
                const result = await Promise.race([work.then((value) => ({ value })), timeout]);
                clearTimeout(timer);
                if (result !== 'timeout') return result.value;
                if (this.lastAnswerAt < windowStart) throw new StoreNotAnsweringError();
            }
        } finally {
            clearTimeout(timer);
            // A call abandoned at its timeout may still fail later: that is not an unhandled rejection.
            work.catch(() => undefined);
        }
    }
}
