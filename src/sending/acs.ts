/**
 * E-mail through Azure Communication Services Email's REST API (api-version 2023-03-31), signed with the
 * resource's access key (HMAC-SHA256, as the ACS SDKs sign). Repeatable requests carry the idempotency key: the
 * service runs a request with the same Repeatability-Request-ID (a GUID) and Repeatability-First-Sent (within five
 * minutes) once and answers repeats with the first answer, so the one retry after a timeout cannot send twice.
 * User engagement tracking is turned off: a resident's e-mail is not a newsletter.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Logger } from '../log';
import {
    checkMessage, DEFAULT_RETRY, failed, keyHash, keyUuid, logError, logOutcome, SentKeys, withRetry, type RetryPolicy,
} from './common';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from './port';

/** The API version whose request and response shapes this adapter speaks. */
export const ACS_EMAIL_API_VERSION = '2023-03-31';

/** How long ACS tracks a repeatable request: a repeat with an older first-sent time is refused (412). */
const REPEATABILITY_WINDOW_MS = 5 * 60_000;

export interface AcsEmailOptions {
    /** The resource's endpoint, https://<name>.communication.azure.com (no trailing slash). */
    endpoint: string;
    /** The resource's access key, base64 as the portal shows it. */
    accessKey: string;
    /** The sender: an address of a domain connected to the resource. */
    from: string;
    log: Logger;
    retry?: RetryPolicy;
    now?: () => Date;
}

/** Sends e-mails through ACS Email. */
export class AcsEmailSender implements Sender {
    readonly kinds: readonly OutboundKind[] = ['email'];
    private readonly keys: SentKeys;
    private readonly firstSent = new Map<string, { at: number; header: string }>();
    private readonly key: Buffer;
    private readonly url: URL;

    constructor(private readonly options: AcsEmailOptions) {
        this.key = Buffer.from(options.accessKey, 'base64');
        this.url = new URL(`${options.endpoint}/emails:send?api-version=${ACS_EMAIL_API_VERSION}`);
        this.keys = new SentKeys(() => this.now().getTime());
    }

    async send(message: OutboundMessage): Promise<SendResult> {
        try {
            if (message?.kind !== 'email') return failed('not-configured', false);
            const problem = checkMessage(message, 'email');
            if (problem) return failed(problem, false);
            return await this.keys.once(message.idempotencyKey, () => this.post(message));
        } catch (err) {
            logError(this.options.log, 'acs', err);
            return failed('unavailable', true);
        }
    }

    private async post(message: OutboundMessage): Promise<SendResult> {
        const body = JSON.stringify({
            senderAddress: this.options.from,
            recipients: { to: [{ address: message.to.trim() }] },
            content: {
                subject: message.subject ?? '',
                plainText: message.text,
                ...(message.html !== undefined ? { html: message.html } : {}),
            },
            ...(message.unsubscribeUrl ? {
                headers: {
                    'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
                    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                },
            } : {}),
            userEngagementTrackingDisabled: true,
        });
        const repeatability = {
            'Repeatability-Request-ID': keyUuid(message.idempotencyKey),
            'Repeatability-First-Sent': this.firstSentOf(message.idempotencyKey),
        };
        let status: number | undefined;
        const outcome = await withRetry(this.options.retry ?? DEFAULT_RETRY, async (signal) => {
            const response = await fetch(this.url, {
                method: 'POST', body, signal, redirect: 'error',
                headers: { 'Content-Type': 'application/json', ...this.sign(body), ...repeatability },
            });
            status = response.status;
            const answer = await readJson(response);
            return resultOf(response.status, answer);
        }, (err) => logError(this.options.log, 'acs', err));
        logOutcome(this.options.log, 'acs', 'email', message.idempotencyKey, { ...outcome, status });
        return outcome.result;
    }

    /** The headers that sign this request with the access key (x-ms-date, x-ms-content-sha256, Authorization). */
    private sign(body: string): Record<string, string> {
        const date = this.now().toUTCString();
        const contentHash = createHash('sha256').update(body, 'utf8').digest('base64');
        const toSign = `POST\n${this.url.pathname}${this.url.search}\n${date};${this.url.host};${contentHash}`;
        const signature = createHmac('sha256', this.key).update(toSign, 'utf8').digest('base64');
        return {
            'x-ms-date': date,
            'x-ms-content-sha256': contentHash,
            Authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
        };
    }

    /**
     * When a request with this key was first sent, as ACS wants it (IMF-fixdate): kept for ACS's five-minute window
     * so a repeat within it is recognised; after that the key is new to ACS too.
     */
    private firstSentOf(key: string): string {
        const now = this.now().getTime();
        for (const [id, entry] of this.firstSent) {
            if (now - entry.at >= REPEATABILITY_WINDOW_MS) this.firstSent.delete(id);
            else break;
        }
        const id = keyHash(key);
        const earlier = this.firstSent.get(id);
        if (earlier) return earlier.header;
        const header = new Date(now).toUTCString();
        this.firstSent.set(id, { at: now, header });
        return header;
    }

    private now(): Date {
        return (this.options.now ?? (() => new Date()))();
    }
}

interface AcsAnswer {
    id?: unknown;
    error?: { code?: unknown };
}

async function readJson(response: Response): Promise<AcsAnswer> {
    try {
        const text = await response.text();
        return text ? JSON.parse(text) as AcsAnswer : {};
    } catch {
        return {};
    }
}

/**
 * ACS's answer as a result: 202 accepted (the operation id is the provider id); a bad recipient address (400
 * InvalidEmailAddress, or any 400 about the recipient) is invalid-address; 409 (the first request with this id
 * still running), 429 and 5xx may pass; other refusals (bad key, unverified sender, 412 out of the window) are not
 * the resident's and are not retried.
 */
export function resultOf(status: number, answer: AcsAnswer): SendResult {
    if (status === 202 || status === 200) {
        return { ok: true, ...(typeof answer.id === 'string' ? { providerId: answer.id } : {}) };
    }
    const code = typeof answer.error?.code === 'string' ? answer.error.code : '';
    if (status === 400 && /(recipient|emailaddress|address)/i.test(code) && !/sender/i.test(code)) {
        return failed('invalid-address', false);
    }
    if (status === 409 || status === 408 || status === 429 || status >= 500) return failed('unavailable', true);
    return failed('rejected', false);
}
