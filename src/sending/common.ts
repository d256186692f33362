/**
 * What every adapter of the sending port shares: the checks on a message before anything goes out, one bounded
 * retry with the same idempotency key, the memory of keys already sent, and the hash that stands for a key in the
 * logs. Nothing here logs or keeps an address.
 */
import { createHash } from 'node:crypto';
import { errorKind, type Logger } from '../log';
import type { OutboundKind, OutboundMessage, SendFailure, SendResult } from './port';

/** Limits on one message: a text is at most 1,600 characters (Twilio's limit, about ten SMS parts). */
export const LIMITS = {
    addressChars: 320,
    subjectChars: 200,
    smsChars: 1600,
    emailChars: 100_000,
    keyChars: 200,
} as const;

/** How long one attempt may take, and how long to wait before the one retry. */
export interface RetryPolicy {
    timeoutMs: number;
    retryDelayMs: number;
}

/** Ten seconds an attempt, half a second before the retry: a resident waits for the answer in the chat. */
export const DEFAULT_RETRY: RetryPolicy = { timeoutMs: 10_000, retryDelayMs: 500 };

/** A short hash standing for an idempotency key in log lines and provider ids (the key itself may carry ids). */
export function keyHash(key: string): string {
    return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/**
 * A UUID made from the key (the same key, the same UUID), for APIs that take only a GUID as a repeatability id.
 * Shaped as a version 4 UUID, its bits from SHA-256 of the key.
 */
export function keyUuid(key: string): string {
    const b = createHash('sha256').update(`signpost send ${key}`).digest().subarray(0, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A failure result. */
export function failed(reason: SendFailure, retryable: boolean): SendResult {
    return { ok: false, reason, retryable };
}

// Control characters (a line break in an address or subject could add a header) and the line separators.
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

/**
 * Why this message cannot be sent as it is, or undefined: the checks every adapter makes before the network, so a
 * bad address or an over-long text is refused at once with a clear reason.
 */
export function checkMessage(message: OutboundMessage, kind: OutboundKind): SendFailure | undefined {
    const { to, text, subject, html, idempotencyKey } = message;
    if (typeof idempotencyKey !== 'string' || !idempotencyKey || idempotencyKey.length > LIMITS.keyChars) {
        return 'rejected';
    }
    if (typeof to !== 'string' || !to.trim() || to.length > LIMITS.addressChars || CONTROL.test(to)) {
        return 'invalid-address';
    }
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+$/.test(to.trim())) return 'invalid-address';
    if (kind === 'sms' && !/^\+?[0-9][0-9 ]{4,19}$/.test(to.trim())) return 'invalid-address';
    if (typeof text !== 'string' || !text.trim()) return 'rejected';
    if (text.length > (kind === 'sms' ? LIMITS.smsChars : LIMITS.emailChars)) return 'rejected';
    if (kind === 'email') {
        if (subject !== undefined && (subject.length > LIMITS.subjectChars || CONTROL.test(subject))) {
            return 'rejected';
        }
        if (html !== undefined && html.length > LIMITS.emailChars) return 'rejected';
        if (message.unsubscribeUrl !== undefined && !webAddress(message.unsubscribeUrl)) return 'rejected';
    }
    return undefined;
}

function webAddress(text: string): boolean {
    try {
        const url = new URL(text);
        return (url.protocol === 'https:' || url.protocol === 'http:') && !CONTROL.test(text);
    } catch {
        return false;
    }
}

/** One attempt's outcome: a result, and whether trying again (with the same key) may help. */
export type Attempt = SendResult;

/**
 * Runs `attempt` once, and once more after a pause when it failed in a way worth retrying (a timeout, the
 * provider busy or down). Each attempt gets an AbortSignal that fires after the timeout. An exception from
 * `attempt` counts as a retryable `unavailable`; nothing escapes.
 */
export async function withRetry(policy: RetryPolicy, attempt: (signal: AbortSignal, n: number) => Promise<Attempt>,
    onError?: (err: unknown) => void): Promise<{ result: SendResult; attempts: number }> {
    let result: SendResult = failed('unavailable', true);
    for (let n = 1; n <= 2; n++) {
        if (n === 2) await new Promise((resolve) => setTimeout(resolve, policy.retryDelayMs));
        const signal = AbortSignal.timeout(policy.timeoutMs);
        try {
            result = await attempt(signal, n);
        } catch (err) {
            onError?.(err);
            result = failed('unavailable', true);
        }
        if (result.ok || !result.retryable) return { result, attempts: n };
    }
    return { result, attempts: 2 };
}

/**
 * Keys already sent, remembered for a day (the newest 5,000), so the same key sends at most once from this
 * instance even where the provider takes no idempotency key; and sends with the same key at the same time share
 * one attempt. Keys are kept as hashes; addresses never.
 */
export class SentKeys {
    private readonly sent = new Map<string, { result: SendResult; at: number }>();
    private readonly inFlight = new Map<string, Promise<SendResult>>();

    constructor(private readonly now: () => number = Date.now, private readonly maxAgeMs = 24 * 3600_000,
        private readonly maxKeys = 5000) {}

    /** The result of an earlier success with this key, else runs `send` (once for concurrent callers). */
    async once(key: string, send: () => Promise<SendResult>): Promise<SendResult> {
        const id = keyHash(key);
        const earlier = this.sent.get(id);
        if (earlier && this.now() - earlier.at < this.maxAgeMs) return earlier.result;
        const running = this.inFlight.get(id);
        if (running) return running;
        const sending = send().then((result) => {
            if (result.ok) this.remember(id, result);
            return result;
        }).finally(() => this.inFlight.delete(id));
        this.inFlight.set(id, sending);
        return sending;
    }

    private remember(id: string, result: SendResult): void {
        this.sent.delete(id);
        this.sent.set(id, { result, at: this.now() });
        while (this.sent.size > this.maxKeys) {
            const oldest = this.sent.keys().next().value;
            if (oldest === undefined) break;
            this.sent.delete(oldest);
        }
    }
}

/** Logs the outcome of one send: kind, provider, key hash, reason, attempts; never the address or the text. */
export function logOutcome(log: Logger, provider: string, kind: OutboundKind, key: string,
    outcome: { result: SendResult; attempts: number; status?: number }): void {
    const fields = { kind, provider, key: keyHash(key), attempts: outcome.attempts, status: outcome.status };
    if (outcome.result.ok) log.info('sending.sent', fields);
    else log.warn('sending.failed', { ...fields, reason: outcome.result.reason, retryable: outcome.result.retryable });
}

/** Logs an unexpected error of an adapter by kind only (its message may quote the address). */
export function logError(log: Logger, provider: string, err: unknown): void {
    log.warn('sending.error', { provider, error: errorKind(err), code: errorCode(err) });
}

function errorCode(err: unknown): string | undefined {
    const code = (err as { code?: unknown; cause?: { code?: unknown } } | undefined);
    const value = code?.code ?? code?.cause?.code;
    return typeof value === 'string' && /^[A-Z_]{2,40}$/.test(value) ? value : undefined;
}
