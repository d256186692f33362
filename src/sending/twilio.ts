/**
 * Text messages through Twilio's Messages API (2010-04-01): a form-encoded POST with Basic authentication, from a
 * Twilio number or a Messaging Service (which also handles STOP and START). The idempotency key goes in the
 * I-Twilio-Idempotency-Token header; this adapter also remembers the keys it has sent, so the same key sends once
 * from this instance whatever Twilio does with the header. (Twilio documents that header on the webhooks it sends;
 * that the Messages API honours it on a request could not be confirmed, so a retry after a timeout, when Twilio
 * took the first request but its answer was lost, may send the text twice: a duplicate, never a different text.) Twilio's error codes for a bad number (21211, 21614)
 * and for a resident who replied STOP (21610) become invalid-address and opted-out.
 */
import type { Logger } from '../log';
import {
    checkMessage, DEFAULT_RETRY, failed, logError, logOutcome, SentKeys, withRetry, type RetryPolicy,
} from './common';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from './port';

/** Twilio's API address; the tests give their local fake's. */
export const TWILIO_API = 'https://api.twilio.com';

export interface TwilioSmsOptions {
    accountSid: string;
    authToken: string;
    /** A Twilio number in E.164, or a Messaging Service SID (MG...). */
    from: string;
    log: Logger;
    retry?: RetryPolicy;
    /** The API's base address (default https://api.twilio.com). */
    baseUrl?: string;
}

/** Sends texts through Twilio. */
export class TwilioSmsSender implements Sender {
    readonly kinds: readonly OutboundKind[] = ['sms'];
    private readonly keys = new SentKeys();
    private readonly url: string;
    private readonly authorization: string;

    constructor(private readonly options: TwilioSmsOptions) {
        this.url = `${options.baseUrl ?? TWILIO_API}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`
            + '/Messages.json';
        this.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    }

    async send(message: OutboundMessage): Promise<SendResult> {
        try {
            if (message?.kind !== 'sms') return failed('not-configured', false);
            const problem = checkMessage(message, 'sms');
            if (problem) return failed(problem, false);
            return await this.keys.once(message.idempotencyKey, () => this.post(message));
        } catch (err) {
            logError(this.options.log, 'twilio', err);
            return failed('unavailable', true);
        }
    }

    private async post(message: OutboundMessage): Promise<SendResult> {
        const form = new URLSearchParams();
        form.set('To', message.to.replace(/ /g, ''));
        form.set(this.options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', this.options.from);
        form.set('Body', message.text);
        const body = form.toString();
        let status: number | undefined;
        const outcome = await withRetry(this.options.retry ?? DEFAULT_RETRY, async (signal) => {
            const response = await fetch(this.url, {
                method: 'POST', body, signal, redirect: 'error',
                headers: {
                    'Content-Type': 'application/x-www-form-urlencoded',
                    Accept: 'application/json',
                    Authorization: this.authorization,
                    'I-Twilio-Idempotency-Token': message.idempotencyKey,
                },
            });
            status = response.status;
            return resultOf(response.status, await readJson(response));
        }, (err) => logError(this.options.log, 'twilio', err));
        logOutcome(this.options.log, 'twilio', 'sms', message.idempotencyKey, { ...outcome, status });
        return outcome.result;
    }
}

interface TwilioAnswer {
    sid?: unknown;
    code?: unknown;
}

async function readJson(response: Response): Promise<TwilioAnswer> {
    try {
        const text = await response.text();
        return text ? JSON.parse(text) as TwilioAnswer : {};
    } catch {
        return {};
    }
}

/** Twilio error codes that mean the number cannot take this text: not a number, not a mobile, cannot be reached. */
const INVALID_NUMBER = new Set([21211, 21214, 21217, 21401, 21407, 21408, 21612, 21614]);
/** The recipient replied STOP to this sender. */
const OPTED_OUT = 21610;

/**
 * Twilio's answer as a result: 201 created (the message SID is the provider id); 21610 opted-out; a bad number
 * invalid-address; 429 (20429 too many requests) and 5xx may pass; anything else (bad credentials 20003, a
 * sender not allowed) is not the resident's and is not retried.
 */
export function resultOf(status: number, answer: TwilioAnswer): SendResult {
    if (status === 201 || status === 200) {
        return { ok: true, ...(typeof answer.sid === 'string' ? { providerId: answer.sid } : {}) };
    }
    const code = typeof answer.code === 'number' ? answer.code : Number(answer.code);
    if (code === OPTED_OUT) return failed('opted-out', false);
    if (INVALID_NUMBER.has(code)) return failed('invalid-address', false);
    if (status === 429 || status === 408 || status >= 500) return failed('unavailable', true);
    return failed('rejected', false);
}
