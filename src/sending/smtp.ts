/**
 * E-mail through a mail relay (SMTP, by nodemailer): plain text and HTML, the List-Unsubscribe header, and a
 * Message-ID made from the idempotency key, so a copy sent twice (an answer lost after the relay took it) is the
 * same message to the mail systems that drop duplicates. SMTP takes no idempotency key, so this adapter remembers
 * the keys it has sent: the same key sends once from this instance. smtps:// is TLS from the start; smtp:// must
 * upgrade with STARTTLS, except to this computer.
 */
import { createHash } from 'node:crypto';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Logger } from '../log';
import { isLoopback } from '../config';
import {
    checkMessage, DEFAULT_RETRY, failed, logError, logOutcome, SentKeys, withRetry, type RetryPolicy,
} from './common';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from './port';

export interface SmtpEmailOptions {
    /** smtps://user:password@host:465 or smtp://user:password@host:587. */
    url: string;
    from: string;
    log: Logger;
    retry?: RetryPolicy;
}

/** Sends e-mails through an SMTP relay. */
export class SmtpEmailSender implements Sender {
    readonly kinds: readonly OutboundKind[] = ['email'];
    private readonly keys = new SentKeys();
    private transport?: Promise<Transporter>;
    private readonly retry: RetryPolicy;

    constructor(private readonly options: SmtpEmailOptions) {
        this.retry = options.retry ?? DEFAULT_RETRY;
    }

    /** The transport, made at the first send: nodemailer is loaded only by a server that sends through SMTP. */
    private transportOf(): Promise<Transporter> {
        return (this.transport ??= import('nodemailer').then((nodemailer) => this.makeTransport(nodemailer)));
    }

    private makeTransport(nodemailer: typeof import('nodemailer')): Transporter {
        const url = new URL(this.options.url);
        const secure = url.protocol === 'smtps:';
        return nodemailer.createTransport({
            host: url.hostname.replace(/^\[|\]$/g, ''),
            port: url.port ? Number(url.port) : (secure ? 465 : 587),
            secure,
            requireTLS: !secure && !isLoopback(url.hostname),
            ...(url.username ? {
                auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
            } : {}),
            connectionTimeout: this.retry.timeoutMs,
            greetingTimeout: this.retry.timeoutMs,
            socketTimeout: this.retry.timeoutMs,
            // nodemailer logs nothing unless asked: it would write addresses.
            logger: false,
        });
    }

    async send(message: OutboundMessage): Promise<SendResult> {
        try {
            if (message?.kind !== 'email') return failed('not-configured', false);
            const problem = checkMessage(message, 'email');
            if (problem) return failed(problem, false);
            return await this.keys.once(message.idempotencyKey, () => this.deliver(message));
        } catch (err) {
            logError(this.options.log, 'smtp', err);
            return failed('unavailable', true);
        }
    }

    private async deliver(message: OutboundMessage): Promise<SendResult> {
        const domain = this.options.from.split('@').pop() ?? 'localhost';
        const messageId = `<${createHash('sha256').update(message.idempotencyKey).digest('hex').slice(0, 32)}`
            + `.signpost@${domain}>`;
        const mail: SendMailOptions = {
            from: this.options.from,
            to: message.to.trim(),
            subject: message.subject ?? '',
            text: message.text,
            ...(message.html !== undefined ? { html: message.html } : {}),
            messageId,
            ...(message.unsubscribeUrl ? {
                list: { unsubscribe: message.unsubscribeUrl },
                headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            } : {}),
            disableFileAccess: true,
            disableUrlAccess: true,
        };
        let status: number | undefined;
        const outcome = await withRetry(this.retry, async (signal) => {
            try {
                const transport = await this.transportOf();
                await abortable(transport.sendMail(mail), signal);
                status = 250;
                return { ok: true, providerId: messageId };
            } catch (err) {
                status = (err as { responseCode?: number }).responseCode;
                if (!(err instanceof Error && err.name === 'TimeoutError')) logError(this.options.log, 'smtp', err);
                return resultOfError(err);
            }
        });
        logOutcome(this.options.log, 'smtp', 'email', message.idempotencyKey, { ...outcome, status });
        return outcome.result;
    }
}

/** The send, or the signal's timeout, whichever comes first (nodemailer's own timeouts cover each step). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}

/** SMTP reply codes for a recipient that does not exist or cannot be written to. */
const BAD_MAILBOX = new Set([501, 550, 551, 553, 511, 513]);

/**
 * A failed send as a result: the relay refusing the recipient is invalid-address; a 4xx reply, a timeout or a lost
 * connection may pass; a refused sign-in, TLS or any other 5xx is the deployment's and is not retried.
 */
export function resultOfError(err: unknown): SendResult {
    const e = err as { code?: string; responseCode?: number; command?: string; name?: string };
    const code = e?.code ?? '';
    const reply = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
    if (reply !== undefined && BAD_MAILBOX.has(reply) && (code === 'EENVELOPE' || /RCPT/i.test(e.command ?? ''))) {
        return failed('invalid-address', false);
    }
    if (reply !== undefined && reply >= 400 && reply < 500) return failed('unavailable', true);
    if (code === 'EAUTH' || code === 'ETLS' || code === 'EENVELOPE' || (reply !== undefined && reply >= 500)) {
        return failed('rejected', false);
    }
    return failed('unavailable', true);
}
