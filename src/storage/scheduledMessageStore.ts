/**
 * Scheduled messages (issue 22): reminders and check-ins sent to a resident later, on their own channel, by the
 * scheduler in `src/followup/`. A message is scheduled once per idempotency key, claimed atomically before it is
 * sent (two instances never hold the same message; a claim whose instance died lapses when its lease ends), and
 * marked sent, failed (retried later) or stuck (after SCHEDULED_MAX_ATTEMPTS, for a person to look at). STOP and
 * "delete my data" cancel a resident's messages and delete the address kept for them.
 *
 * Privacy: the resident is a keyed hash, never a number; the address (for the sending port) is kept only until the
 * message's last use (sent, cancelled or stuck) and is never listed; the wording is a key and its data, which never
 * names a sensitive need unless the resident agreed (the caller's duty: see docs/clinical-safety.md).
 */

/** What a scheduled message is for. */
export type ScheduledKind = 'reminder' | 'check-in';
export const SCHEDULED_KINDS: readonly ScheduledKind[] = ['reminder', 'check-in'];

/** Where a scheduled message is in its life. */
export type ScheduledState = 'scheduled' | 'claimed' | 'sent' | 'failed' | 'stuck' | 'cancelled';

/** How to reach the resident: a stored conversation reference (Teams, SMS via the Bot Framework) or an address. */
export type ScheduledReach =
    | { via: 'conversation'; channel: 'msteams' | 'sms'; referenceId: string }
    | { via: 'address'; channel: 'sms' | 'email'; address: string };

/** What the caller gives to schedule a message. */
export interface NewScheduledMessage {
    /** The same key scheduled twice keeps one message; it is passed to the sender so a retry sends once. */
    idempotencyKey: string;
    /** A keyed hash of the resident (src/keyedHash.ts), never a number or an address. */
    residentKey: string;
    kind: ScheduledKind;
    reach: ScheduledReach;
    /** The wording key (knowledge/wording.json) the message is rendered from. */
    wordingKey: string;
    /** The values the wording needs (a service's name, a day): never a sensitive need's name unless agreed. */
    data: Readonly<Record<string, string>>;
    /** When it is due (ISO time). The scheduler sends it at once if due in sending hours, else at the next 9am. */
    dueAt: string;
}

/** A stored scheduled message. */
export interface ScheduledMessage extends NewScheduledMessage {
    id: string;
    state: ScheduledState;
    /** Claims so far (each claim is one attempt to send). */
    attempts: number;
    /** While claimed: when the claim lapses and another instance may take it. */
    leaseUntil?: string;
    /** While claimed: the claim's token, which markSent and markFailed must show. */
    leaseToken?: string;
    createdAt: string;
    /** The last change (the sweep deletes finished messages by it). */
    updatedAt: string;
    sentAt?: string;
}

/** A message claimed for sending: the claim's token goes back with markSent or markFailed. */
export interface ClaimedMessage extends ScheduledMessage {
    state: 'claimed';
    leaseToken: string;
    leaseUntil: string;
}

/** After this many claims without a send, a message is `stuck` and shown to someone. */
export const SCHEDULED_MAX_ATTEMPTS = 5;

/** Limits on what is stored: a message is small. */
export const SCHEDULED_LIMITS = Object.freeze({
    keyChars: 200,
    wordingKeyChars: 100,
    dataEntries: 10,
    dataValueChars: 200,
    addressChars: 320,
    claimLimit: 500,
    listLimit: 500,
});

/** The states that are finished: nothing more is sent, and the sweep deletes them after the retention. */
export const FINISHED_STATES: readonly ScheduledState[] = ['sent', 'cancelled', 'stuck'];

/** Raised for a message that cannot be stored as given. */
export class ScheduledMessageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'ScheduledMessageError';
    }
}

const RESIDENT_KEY = /^[A-Za-z0-9_-]{16,64}$/;
const LOOKS_LIKE_CONTACT = /^\+?\d{6,}$|@/;

/** Checks a new message; throws ScheduledMessageError with the reason. */
export function checkScheduled(m: NewScheduledMessage): void {
    const fail = (why: string): never => {
        throw new ScheduledMessageError(`scheduled message: ${why}`);
    };
    if (typeof m?.idempotencyKey !== 'string' || !m.idempotencyKey || m.idempotencyKey.length > SCHEDULED_LIMITS.keyChars) {
        fail('idempotencyKey must be 1-200 characters');
    }
    if (typeof m.residentKey !== 'string' || !RESIDENT_KEY.test(m.residentKey) || LOOKS_LIKE_CONTACT.test(m.residentKey)) {
        fail('residentKey must be a keyed hash, never a number or an address');
    }
    if (!SCHEDULED_KINDS.includes(m.kind)) fail('kind must be reminder or check-in');
    if (typeof m.wordingKey !== 'string' || !m.wordingKey || m.wordingKey.length > SCHEDULED_LIMITS.wordingKeyChars) {
        fail('wordingKey must be 1-100 characters');
    }
    const entries = Object.entries(m.data ?? {});
    if (entries.length > SCHEDULED_LIMITS.dataEntries
        || entries.some(([, v]) => typeof v !== 'string' || v.length > SCHEDULED_LIMITS.dataValueChars)) {
        fail('data must be at most 10 strings of 200 characters');
    }
    if (!Number.isFinite(Date.parse(m.dueAt))) fail('dueAt must be an ISO time');
    const r = m.reach;
    if (r?.via === 'conversation') {
        if (!['msteams', 'sms'].includes(r.channel) || typeof r.referenceId !== 'string' || !r.referenceId
            || r.referenceId.length > SCHEDULED_LIMITS.keyChars) fail('reach: a conversation needs a channel and an id');
    } else if (r?.via === 'address') {
        if (!['sms', 'email'].includes(r.channel) || typeof r.address !== 'string' || !r.address
            || r.address.length > SCHEDULED_LIMITS.addressChars) fail('reach: an address needs sms or email');
    } else {
        fail('reach must be a conversation or an address');
    }
}

/** A stored message as it may be shown (the stuck list): the address is never shown. */
export function withoutAddress(m: ScheduledMessage): ScheduledMessage {
    if (m.reach.via !== 'address') return m;
    return { ...m, reach: { ...m.reach, address: '' } };
}

/** The message once finished: a kept address is deleted (its last use is over). */
export function forgetAddress(reach: ScheduledReach): ScheduledReach {
    return reach.via === 'address' ? { ...reach, address: '' } : reach;
}

/** Scheduled messages, in either store. */
export interface ScheduledMessageStore {
    /** Schedules a message; the same idempotency key again keeps the first (`created: false`). */
    schedule(message: NewScheduledMessage, now?: Date): Promise<{ id: string; created: boolean }>;
    /**
     * Claims up to `limit` messages due by `now` (scheduled, failed and due again, or claimed with a lapsed lease),
     * earliest first, each for `leaseMs`. Atomic per message: two instances never get the same one. A lapsed claim
     * that has had SCHEDULED_MAX_ATTEMPTS already becomes `stuck` instead.
     */
    claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedMessage[]>;
    /** Records the send; false when the claim is no longer this token's (it lapsed and was taken again). */
    markSent(id: string, leaseToken: string, now?: Date): Promise<boolean>;
    /** Records a failed send, to be claimed again at `retryAt`; `stuck` after SCHEDULED_MAX_ATTEMPTS claims. */
    markFailed(id: string, leaseToken: string, retryAt: Date, now?: Date): Promise<'failed' | 'stuck' | false>;
    /** STOP or "delete my data": cancels every unsent message of the resident and deletes its address. */
    cancelForResident(residentKey: string, now?: Date): Promise<number>;
    /** One message (tests, the workspace later); the address is never returned. */
    get(id: string): Promise<ScheduledMessage | undefined>;
    /** Stuck messages, newest first, without addresses (for the workspace). */
    listStuck(limit: number): Promise<ScheduledMessage[]>;
    /** How many are stuck (a gauge on /metrics). */
    countStuck(): Promise<number>;
    /** Deletes finished messages (sent, cancelled, stuck) last changed before `before`; returns how many. */
    sweep(before: Date): Promise<number>;
}
