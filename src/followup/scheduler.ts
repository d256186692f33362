/**
 * The follow-up scheduler (issue 22): every few seconds it claims the reminders and check-ins that are due and
 * hands each to `deliver`, which the app builds (Teams and SMS through the Bot Framework's continueConversation on
 * the stored reference, website-chat residents through the sending port), so botbuilder stays out of this folder.
 *
 * Why it survives restarts and never sends twice: a message is claimed in the store with a lease before it is sent
 * (two instances never hold one), recorded as sent with the claim's token after, and sent with its idempotency
 * key. An instance that dies holding a claim loses it when the lease ends, and another sends it again with the same
 * key, so a send that went out before the crash is not repeated by the provider (the sending fakes honour keys).
 * A failed send is retried later; after SCHEDULED_MAX_ATTEMPTS it is `stuck`: logged, counted on /metrics and
 * listed by the store for a person to look at. Nothing goes outside 9am-8pm London time.
 */
import type { Logger } from '../log';
import {
    type ClaimedMessage, type NewScheduledMessage, type ScheduledKind, type ScheduledMessageStore,
} from '../storage/scheduledMessageStore';
import { inSendingHours, sendingTime } from './hours';

/** What `deliver` says about one message. */
export type DeliveryResult =
    | { ok: true }
    /** `retryable`: the provider was down (logged; every failure is tried again until the last attempt). */
    | { ok: false; retryable: boolean; reason: string };

/** Sends one message on its channel with its idempotency key. Built by the app. */
export type Deliver = (message: ClaimedMessage) => Promise<DeliveryResult>;

/** What happened to a message, for the metrics. */
export type FollowupOutcome = 'sent' | 'failed' | 'stuck' | 'lost-claim';

export interface FollowupSchedulerOptions {
    store: ScheduledMessageStore;
    deliver: Deliver;
    log: Logger;
    /** The clock (tests give a fake one). */
    now?: () => Date;
    /** How often it looks for due messages (SIGNPOST_FOLLOWUP_INTERVAL_SECONDS). */
    intervalMs: number;
    /** How long a claim lasts before another instance may take the message again. */
    leaseMs?: number;
    /** Messages claimed per look. */
    batch?: number;
    /** How long after a failed send it is tried again. */
    retryMs?: number;
    /** Counts outcomes (the app passes the metrics'). */
    onOutcome?: (kind: ScheduledKind, outcome: FollowupOutcome) => void;
}

/** What one look did. */
export interface TickResult {
    claimed: number;
    sent: number;
    failed: number;
    stuck: number;
    /** Sent but not recorded (the claim lapsed, or the store failed): it will be sent again with the same key. */
    unrecorded: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_BATCH = 50;
const DEFAULT_RETRY_MS = 15 * 60_000;

/** Claims due messages and delivers them, on a timer while started. */
export class FollowupScheduler {
    private timer?: NodeJS.Timeout;
    private running?: Promise<unknown>;
    private stopped = true;
    private readonly now: () => Date;

    constructor(private readonly options: FollowupSchedulerOptions) {
        this.now = options.now ?? (() => new Date());
    }

    /** Starts looking every interval (the first look at once). */
    start(): void {
        if (!this.stopped) return;
        this.stopped = false;
        this.options.log.info('followup.started', { intervalMs: this.options.intervalMs });
        const loop = () => {
            if (this.stopped) return;
            this.running = this.tick().catch((err: unknown) => {
                this.options.log.error('followup.tick_failed', { error: err instanceof Error ? err.name : 'unknown' });
            }).finally(() => {
                this.running = undefined;
                if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs);
            });
        };
        loop();
    }

    /** Stops the timer and waits for a look in progress (its claims are recorded or lapse). */
    async stop(): Promise<void> {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        await this.running;
    }

    /** One look: claims what is due (only in sending hours) and delivers it. */
    async tick(): Promise<TickResult> {
        const result: TickResult = { claimed: 0, sent: 0, failed: 0, stuck: 0, unrecorded: 0 };
        const { store, log } = this.options;
        const now = this.now();
        if (!inSendingHours(now)) return result;
        const claimed = await store.claimDue(now, this.options.leaseMs ?? DEFAULT_LEASE_MS,
            this.options.batch ?? DEFAULT_BATCH);
        result.claimed = claimed.length;
        for (const message of claimed) {
            const at = this.now();
            if (!inSendingHours(at)) {
                // The hours ended during this look: the rest wait for 9am (one attempt counted).
                await this.failed(message, sendingTime(at), at, 'out-of-hours', result);
                continue;
            }
            let delivery: DeliveryResult;
            try {
                delivery = await this.options.deliver(message);
            } catch {
                delivery = { ok: false, retryable: true, reason: 'threw' };
            }
            const after = this.now();
            if (delivery.ok) {
                let recorded = false;
                try {
                    recorded = await store.markSent(message.id, message.leaseToken, after);
                } catch (err) {
                    log.warn('followup.record_failed', { id: message.id, error: err instanceof Error ? err.name : 'unknown' });
                }
                if (recorded) {
                    result.sent++;
                    log.info('followup.sent', { id: message.id, kind: message.kind, attempts: message.attempts });
                    this.options.onOutcome?.(message.kind, 'sent');
                } else {
                    result.unrecorded++;
                    log.warn('followup.unrecorded', { id: message.id, kind: message.kind });
                    this.options.onOutcome?.(message.kind, 'lost-claim');
                }
                continue;
            }
            // Tried again later, retryable or not (a number may start working again); stuck after the last attempt.
            const retryAt = sendingTime(new Date(after.getTime() + (this.options.retryMs ?? DEFAULT_RETRY_MS)));
            await this.failed(message, retryAt, after, delivery.reason, result);
        }
        return result;
    }

    private async failed(message: ClaimedMessage, retryAt: Date, at: Date, reason: string, result: TickResult):
        Promise<void> {
        const { store, log } = this.options;
        let outcome: 'failed' | 'stuck' | false;
        try {
            outcome = await store.markFailed(message.id, message.leaseToken, retryAt, at);
        } catch (err) {
            log.warn('followup.record_failed', { id: message.id, error: err instanceof Error ? err.name : 'unknown' });
            return;
        }
        if (outcome === 'stuck') {
            result.stuck++;
            log.error('followup.stuck', { id: message.id, kind: message.kind, attempts: message.attempts, reason });
            this.options.onOutcome?.(message.kind, 'stuck');
        } else if (outcome === 'failed') {
            result.failed++;
            log.warn('followup.failed', { id: message.id, kind: message.kind, attempts: message.attempts, reason });
            this.options.onOutcome?.(message.kind, 'failed');
        }
    }
}

/**
 * Schedules a reminder or check-in at the first moment it may be sent: a time outside 9am-8pm London time moves to
 * the next 9am, so what the store holds is when it will really go.
 */
export function scheduleFollowup(store: ScheduledMessageStore, message: NewScheduledMessage, now?: Date):
    Promise<{ id: string; created: boolean }> {
    const due = new Date(message.dueAt);
    const at = Number.isFinite(due.getTime()) ? sendingTime(due).toISOString() : message.dueAt;
    return store.schedule({ ...message, dueAt: at }, now);
}
