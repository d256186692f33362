/**
 * Service metrics for Prometheus (prom-client), on a registry of their own per app, so several apps can live in one
 * process (the tests make many). Label values are only ever ids from a closed list (channels, need ids, statuses,
 * priorities) or names from the code (stores, operations): nothing a resident typed can become a label, and a
 * value outside the list is counted as "other".
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ESCALATION_STATUSES, type Escalation, type EscalationStatus } from '../storage/escalationRecord';
import { errorKind, type Logger } from '../log';
import { ETagConflictError } from '../storage/stateStore';
import type { AnalyticsStore } from '../storage/analyticsStore';
import type { EscalationStore } from '../storage/escalationStore';
import type { OutboundKind, SendResult } from '../sending/port';
import { SEND_RESULTS } from './instrumentSender';

/** Channel ids counted by name: Azure Bot Service's channels, the built-in Direct Line, the terminal and tests. */
export const KNOWN_CHANNELS: readonly string[] = [
    'directline', 'webchat', 'emulator', 'msteams', 'sms', 'email', 'slack', 'facebook', 'telegram', 'line', 'kik',
    'groupme', 'webex', 'alexa', 'telephony', 'omnichannel', 'skype', 'terminal', 'test',
];

const SEND_KINDS: readonly OutboundKind[] = ['sms', 'email'];
const PRIORITIES: readonly Escalation['priority'][] = ['normal', 'urgent'];
const OPEN_STATUSES = ESCALATION_STATUSES.filter((s) => s !== 'closed');

/** Bounds of the turn duration histogram, in seconds: a turn is usually well under a second. */
const TURN_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsOptions {
    /** The need ids of the taxonomy: the only values the need label takes. */
    needIds: readonly string[];
    log: Logger;
    /** The clock for the age of the oldest open request. */
    now?: () => Date;
    /** Also collect Node.js process metrics (CPU, memory, event loop, GC); worth it only when /metrics is served. */
    processMetrics?: boolean;
    /** How long one reading of the escalation queue serves scrapes, so frequent scrapes cannot hammer the store. */
    queueCacheMs?: number;
}

/** The queue as one scrape reports it. */
interface QueueSnapshot {
    count: Record<EscalationStatus, number>;
    oldestOpenSeconds: Record<string, number>;
}

/** Counts what Signpost does; read at `GET /metrics` through `registry`. */
export class Metrics {
    readonly registry = new Registry();
    private readonly turns: Counter<'channel'>;
    private readonly turnSeconds: Histogram<'channel'>;
    private readonly unmetMatches: Counter<'need'>;
    private readonly escalationsCreated: Counter<'priority'>;
    private readonly escalationsRaised: Counter;
    private readonly crisisRoutes: Counter<'channel'>;
    private readonly storeErrors: Counter<'store' | 'operation'>;
    private readonly sends: Counter<'kind' | 'result'>;
    private readonly followups: Counter<'kind' | 'outcome'>;
    private scheduledStore?: { countStuck(): Promise<number> };
    private readonly needIds: ReadonlySet<string>;
    private readonly channels = new Set(KNOWN_CHANNELS);
    private escalationStore?: Pick<EscalationStore, 'list'>;
    private queueReading?: { at: number; snapshot: Promise<QueueSnapshot | undefined> };
    private stateStats?: () => { degraded: boolean; pending: number; conflicts: number };

    constructor(private readonly options: MetricsOptions) {
        const registers = [this.registry];
        this.needIds = new Set(options.needIds);
        this.turns = new Counter({
            name: 'signpost_turns_total', help: 'Bot turns handled, by channel', labelNames: ['channel'], registers,
        });
        this.turnSeconds = new Histogram({
            name: 'signpost_turn_duration_seconds', help: 'Time to handle a bot turn, by channel',
            labelNames: ['channel'], buckets: TURN_BUCKETS, registers,
        });
        this.unmetMatches = new Counter({
            name: 'signpost_unmet_matches_total', help: 'Searches that found nothing, by need id',
            labelNames: ['need'], registers,
        });
        this.escalationsCreated = new Counter({
            name: 'signpost_escalations_created_total', help: 'Requests for contact by a connector, by priority',
            labelNames: ['priority'], registers,
        });
        for (const priority of PRIORITIES) this.escalationsCreated.inc({ priority }, 0);
        // Apart from the created count: a raised request was counted (as normal) when it was made.
        this.escalationsRaised = new Counter({
            name: 'signpost_escalations_raised_urgent_total',
            help: 'Open requests for contact made urgent because crisis routes were shown after they were made',
            registers,
        });
        this.crisisRoutes = new Counter({
            name: 'signpost_crisis_routes_shown_total', help: 'Times crisis routes were shown, by channel',
            labelNames: ['channel'], registers,
        });
        this.storeErrors = new Counter({
            name: 'signpost_store_errors_total',
            help: 'Store operations that failed, by store and operation (eTag conflicts, an expected race, excluded)',
            labelNames: ['store', 'operation'], registers,
        });
        this.sends = new Counter({
            name: 'signpost_sends_total',
            help: 'Texts and e-mails sent on a resident\'s request, by kind and result (sent, or why not)',
            labelNames: ['kind', 'result'], registers,
        });
        for (const kind of SEND_KINDS) for (const result of SEND_RESULTS) this.sends.inc({ kind, result }, 0);
        this.followups = new Counter({
            name: 'signpost_followups_total',
            help: 'Reminders and check-ins handled by the scheduler, by kind and outcome (sent, failed, stuck, lost-claim)',
            labelNames: ['kind', 'outcome'], registers,
        });
        const metrics = this;
        new Gauge({
            name: 'signpost_followups_stuck',
            help: 'Reminders and check-ins that failed every attempt and wait for a person to look at them',
            registers,
            collect: async function (this: Gauge) {
                const n = await metrics.scheduledStore?.countStuck().catch(() => undefined);
                if (n !== undefined) this.set(n);
            },
        });
        new Gauge({
            name: 'signpost_escalations', help: 'Requests for contact kept in the store, by status',
            labelNames: ['status'], registers,
            collect: async function (this: Gauge<'status'>) {
                const queue = await metrics.readQueue();
                if (queue) for (const status of ESCALATION_STATUSES) this.set({ status }, queue.count[status]);
            },
        });
        new Gauge({
            name: 'signpost_escalation_oldest_open_seconds',
            help: 'Age of the oldest request in each open status (0 when there is none)',
            labelNames: ['status'], registers,
            collect: async function (this: Gauge<'status'>) {
                const queue = await metrics.readQueue();
                if (queue) for (const status of OPEN_STATUSES) this.set({ status }, queue.oldestOpenSeconds[status]);
            },
        });
        new Gauge({
            name: 'signpost_store_degraded',
            help: '1 while the database is not answering and conversation state is served from this instance\'s cache',
            registers,
            collect: function (this: Gauge) {
                const stats = metrics.stateStats?.();
                if (stats) this.set(stats.degraded ? 1 : 0);
            },
        });
        new Gauge({
            name: 'signpost_store_pending_writes',
            help: 'Conversation state writes waiting in this instance for the database to answer again',
            registers,
            collect: function (this: Gauge) {
                const stats = metrics.stateStats?.();
                if (stats) this.set(stats.pending);
            },
        });
        new Counter({
            name: 'signpost_store_recovery_conflicts_total',
            help: 'Waiting writes dropped on recovery because another instance changed the conversation first',
            registers,
            collect: function (this: Counter) {
                const stats = metrics.stateStats?.();
                if (stats) {
                    this.reset();
                    this.inc(stats.conflicts);
                }
            },
        });
        if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    }

    /** Reports the stuck reminders and check-ins of the store at every scrape. */
    watchScheduled(store: { countStuck(): Promise<number> }): void {
        this.scheduledStore = store;
    }

    /** The follow-up scheduler handled a message (its kind, and what became of it). */
    followupOutcome(kind: string, outcome: string): void {
        this.followups.inc({ kind, outcome });
    }

    /** Reports the state store's outage figures (the resilience layer's stats) at every scrape. */
    watchStateStore(store: { stats(): { degraded: boolean; pending: number; conflicts: number } }): void {
        this.stateStats = () => store.stats();
    }

    /** A bot turn ended, having taken `seconds`. */
    turn(channel: string | undefined, seconds: number): void {
        const labels = { channel: this.channel(channel) };
        this.turns.inc(labels);
        this.turnSeconds.observe(labels, seconds);
    }

    /** Crisis routes were shown to a resident. */
    crisisRoutesShown(channel: string | undefined): void {
        this.crisisRoutes.inc({ channel: this.channel(channel) });
    }

    /** A search found nothing for these needs. */
    unmetMatch(needIds: readonly string[]): void {
        for (const need of new Set(needIds)) this.unmetMatches.inc({ need: this.needIds.has(need) ? need : 'other' });
    }

    /** A request for contact was saved. */
    escalationCreated(priority: string): void {
        const known = (PRIORITIES as readonly string[]).includes(priority);
        this.escalationsCreated.inc({ priority: known ? priority : 'other' });
    }

    /** An open request was raised to urgent (crisis routes were shown after it was made). */
    escalationRaisedUrgent(): void {
        this.escalationsRaised.inc();
    }

    /** A store operation failed (the error is passed on to its caller; this only counts it). */
    storeError(store: string, operation: string, err?: unknown): void {
        if (err instanceof ETagConflictError) return;
        this.storeErrors.inc({ store, operation });
    }

    /** A text or e-mail was sent, or failed (src/metrics/instrumentSender.ts counts every send). */
    sendResult(kind: OutboundKind | undefined, result: SendResult): void {
        const label = result.ok ? 'sent' : result.reason;
        this.sends.inc({
            kind: kind && (SEND_KINDS as readonly string[]).includes(kind) ? kind : 'other',
            result: (SEND_RESULTS as readonly string[]).includes(label) ? label : 'other',
        });
    }

    /** The escalation store as the dialogs get it: each request saved is counted by priority. */
    countingCreations<S extends Pick<EscalationStore, 'create'>>(store: S): S {
        return new Proxy(store, {
            get: (target, key) => {
                const value: unknown = Reflect.get(target, key, target);
                if (key === 'create') {
                    return async (escalation: Escalation) => {
                        await target.create(escalation);
                        this.escalationCreated(escalation.priority);
                    };
                }
                return typeof value === 'function' ? value.bind(target) : value;
            },
        });
    }

    /** The analytics store as the dialogs get it: each search that found nothing is counted by need. */
    countingUnmet(store: Pick<AnalyticsStore, 'recordUnmet'>): Pick<AnalyticsStore, 'recordUnmet'> {
        return {
            recordUnmet: (needIds, at) => {
                this.unmetMatch(needIds);
                return store.recordUnmet(needIds, at);
            },
        };
    }

    /** Reports the escalation queue (counts by status, oldest open) from this store, read when scraped. */
    watchEscalations(store: Pick<EscalationStore, 'list'>): void {
        this.escalationStore = store;
    }

    private channel(channel: string | undefined): string {
        return channel && this.channels.has(channel) ? channel : 'other';
    }

    /** One reading of the queue serves every scrape within the cache time; a failed one is logged and skipped. */
    private readQueue(): Promise<QueueSnapshot | undefined> {
        const store = this.escalationStore;
        if (!store) return Promise.resolve(undefined);
        const at = Date.now();
        if (!this.queueReading || at - this.queueReading.at >= (this.options.queueCacheMs ?? 15_000)) {
            this.queueReading = { at, snapshot: this.snapshotOf(store) };
        }
        return this.queueReading.snapshot;
    }

    private async snapshotOf(store: Pick<EscalationStore, 'list'>): Promise<QueueSnapshot | undefined> {
        let all: Escalation[];
        try {
            all = await store.list();
        } catch (err) {
            this.options.log.warn('metrics.queue_failed', { error: errorKind(err) });
            return undefined;
        }
        const now = (this.options.now ?? (() => new Date()))().getTime();
        const count = Object.fromEntries(ESCALATION_STATUSES.map((s) => [s, 0])) as Record<EscalationStatus, number>;
        const oldestOpenSeconds: Record<string, number> = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0]));
        for (const e of all) {
            if (!(e.status in count)) continue;
            count[e.status]++;
            if (e.status === 'closed') continue;
            const age = Math.max(0, (now - Date.parse(e.createdAt)) / 1000);
            if (Number.isFinite(age) && age > oldestOpenSeconds[e.status]) oldestOpenSeconds[e.status] = age;
        }
        return { count, oldestOpenSeconds };
    }
}
