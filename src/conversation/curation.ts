/**
 * The curators' decisions laid over the directory this instance serves (issue 21). Each instance polls the store's
 * version (SIGNPOST_CURATION_POLL_SECONDS) and, when it moves, reads the decisions and lays them over the engine as
 * built (Engine.curated, milliseconds, no rebuild): a hidden listing is left out, a check date replaces the feed's.
 * The engine stays pure: it is handed the decisions as data (a set of ids and a map of dates), never the store.
 *
 * A decision holds the fingerprint of the record as it was imported when the curator made it. After
 * `signpost kb import`, a record the feed did not change has the same fingerprint and the decision stands; one the
 * feed changed has another, and the decision lapses (the queue says so) until a curator decides again.
 */
import { createHash } from 'node:crypto';
import type { Opportunity } from '../knowledge/schema';
import type { Engine } from '../matching/engine';
import type { Logger } from '../log';
import { errorKind } from '../log';
import type { ListingDecision, ListingFeedbackStore } from '../storage/listingFeedbackStore';

/** The decisions as data for the engine: what to leave out, and the check dates that replace the feed's. */
export interface Curation {
    hidden: ReadonlySet<string>;
    /** Listing id to YYYY-MM-DD. */
    checked: ReadonlyMap<string, string>;
    /** Listings whose decision was made on the record as it was before the feed changed it: not applied. */
    lapsed: ReadonlySet<string>;
}

export const NO_CURATION: Curation = { hidden: new Set(), checked: new Map(), lapsed: new Set() };

/** The value with its object keys in order, so the same record always gives the same text. */
function ordered(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(ordered);
    if (value && typeof value === 'object') {
        return Object.fromEntries(Object.keys(value as object).sort()
            .map((k) => [k, ordered((value as Record<string, unknown>)[k])]));
    }
    return value;
}

/**
 * A record's fingerprint as imported: a hash of all its fields (keys in order). Importing the same feed again gives
 * the same records, so the same fingerprints; a change the feed makes to a record changes its fingerprint.
 */
export function listingFingerprint(o: Opportunity): string {
    return createHash('sha256').update(JSON.stringify(ordered(o))).digest('hex').slice(0, 32);
}

/**
 * The decisions that stand over these records: those made on the record as it is now. A decision on a listing the
 * directory no longer has is neither applied nor lapsed.
 */
export function curationOf(decisions: readonly ListingDecision[], fingerprintOf: (id: string) => string | undefined):
    Curation {
    const hidden = new Set<string>();
    const checked = new Map<string, string>();
    const lapsed = new Set<string>();
    for (const d of decisions) {
        const now = fingerprintOf(d.listingId);
        if (now === undefined) continue;
        if (now !== d.fingerprint) {
            if (d.hidden || d.checkedOn) lapsed.add(d.listingId);
            continue;
        }
        if (d.hidden) hidden.add(d.listingId);
        if (d.checkedOn) checked.set(d.listingId, d.checkedOn);
    }
    return { hidden, checked, lapsed };
}

/** The records with the decisions in them: hidden ones marked so (the engine leaves them out), check dates set. */
export function curatedRecords(records: readonly Opportunity[], c: Curation): Opportunity[] {
    return records.map((o) => {
        const hide = c.hidden.has(o.id);
        const date = c.checked.get(o.id);
        if (!hide && !date) return o;
        return { ...o, ...(hide ? { hidden: true } : {}), ...(date ? { assured_date: date } : {}) };
    });
}

/** Whether two curations apply the same decisions (lapses aside). */
function sameEffect(a: Curation, b: Curation): boolean {
    if (a.hidden.size !== b.hidden.size || a.checked.size !== b.checked.size) return false;
    for (const id of a.hidden) if (!b.hidden.has(id)) return false;
    for (const [id, date] of a.checked) if (b.checked.get(id) !== date) return false;
    return true;
}

/** What the curated directory needs. */
export interface CuratedDirectoryOptions {
    /** The engine over the directory as imported: used while no decision applies. */
    base: Engine;
    /** The directory as imported. */
    records: readonly Opportunity[];
    store: Pick<ListingFeedbackStore, 'version' | 'decisions'>;
    log: Logger;
    /** Milliseconds between polls of the store's version. */
    pollMs: number;
}

/**
 * The directory as this instance serves it, decisions applied. `engine` is one stable object whose every call goes
 * to the engine of the moment, so the dialogs and the workspace are built once and see each change.
 */
export class CuratedDirectory {
    readonly engine: Engine;
    private current: Engine;
    private curation: Curation = NO_CURATION;
    private decided: readonly ListingDecision[] = [];
    private seenVersion = -1;
    private readonly fingerprints = new Map<string, string>();
    private readonly byId: ReadonlyMap<string, Opportunity>;
    private curatedList: readonly Opportunity[];
    private timer: NodeJS.Timeout | undefined;
    private running: Promise<boolean> | undefined;

    constructor(private readonly options: CuratedDirectoryOptions) {
        this.current = options.base;
        this.curatedList = options.records;
        this.byId = new Map(options.records.map((o) => [o.id, o]));
        // Every method read from the engine of the moment, bound to it.
        this.engine = new Proxy({} as Engine, {
            get: (_target, key) => {
                const value = Reflect.get(this.current, key, this.current) as unknown;
                return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(this.current) : value;
            },
        });
    }

    /** A listing as imported (hidden or not), for the curation queue. */
    record(id: string): Opportunity | undefined {
        return this.byId.get(id);
    }

    /** Every listing as imported. */
    records(): readonly Opportunity[] {
        return this.options.records;
    }

    /**
     * Every listing as served now, the decisions in them (hidden ones marked `hidden`, check dates set): one array
     * until the decisions change, so a reader may key what it works out on it.
     */
    served(): readonly Opportunity[] {
        return this.curatedList;
    }

    /** A listing's fingerprint as imported (worked out once). */
    fingerprint(id: string): string | undefined {
        const known = this.fingerprints.get(id);
        if (known) return known;
        const o = this.byId.get(id);
        if (!o) return undefined;
        const made = listingFingerprint(o);
        this.fingerprints.set(id, made);
        return made;
    }

    /** The decisions as last read, and what stands of them. */
    state(): { decisions: readonly ListingDecision[]; curation: Curation } {
        return { decisions: this.decided, curation: this.curation };
    }

    /**
     * Reads the store's version and, when it moved, the decisions; lays them over the engine when what applies changed.
     * True when it did. One read at a time: a call while one runs waits for it and then reads again.
     */
    async refresh(): Promise<boolean> {
        const before = this.running ?? Promise.resolve(false);
        const run = before.catch(() => false).then(() => this.read());
        this.running = run;
        try {
            return await run;
        } finally {
            if (this.running === run) this.running = undefined;
        }
    }

    private async read(): Promise<boolean> {
        const version = await this.options.store.version();
        if (version === this.seenVersion) return false;
        const decisions = await this.options.store.decisions();
        this.seenVersion = version;
        this.decided = decisions;
        const next = curationOf(decisions, (id) => this.fingerprint(id));
        const changed = !sameEffect(next, this.curation);
        this.curation = next;
        if (!changed) return false;
        const started = Date.now();
        const none = next.hidden.size === 0 && next.checked.size === 0;
        const records = none ? this.options.records : curatedRecords(this.options.records, next);
        // Laid over the engine as built, never a rebuild: a rebuild blocked every resident's turn (crisis included)
        // for about a second per decision with 10,000 listings.
        this.current = none ? this.options.base : this.options.base.curated(next);
        this.curatedList = records;
        this.options.log.info('curation.applied', {
            hidden: next.hidden.size, checked: next.checked.size, lapsed: next.lapsed.size, ms: Date.now() - started,
        });
        return true;
    }

    /** Reads now, then every `pollMs`; a failed read is logged and tried again at the next. */
    start(): Promise<void> {
        const poll = () => this.refresh().then(() => undefined, (err) => {
            this.options.log.warn('curation.read_failed', { error: errorKind(err) });
        });
        if (!this.timer) {
            this.timer = setInterval(() => void poll(), this.options.pollMs);
            this.timer.unref();
        }
        return poll();
    }

    stop(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
    }
}
