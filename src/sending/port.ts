/**
 * The sending port (issue 21): a text message or an e-mail sent on a resident's request, to a number or address
 * the resident gave for that one send. Adapters (a logging fake for local use; Azure Communication Services or
 * SMTP for e-mail; Twilio or the bot's SMS channel for texts) implement it and are chosen by settings in
 * `src/app.ts`. Nothing here logs or keeps the address: the caller forgets it after the send.
 */

/** What can be sent. */
export type OutboundKind = 'sms' | 'email';

/** One message to send. */
export interface OutboundMessage {
    kind: OutboundKind;
    /** A UK mobile in E.164 (+447...) for 'sms', an e-mail address for 'email'. Never logged. */
    to: string;
    /** The e-mail's subject (unused for texts). Must not name a sensitive need without the resident's agreement. */
    subject?: string;
    /** The plain-text body: no markdown. */
    text: string;
    /** An HTML body for e-mail, when given. */
    html?: string;
    /**
     * The same key is sent at most once: a retry after a timeout must not send twice. Adapters pass it to the
     * provider where the API takes one (ACS `Repeatability-Request-ID`, Twilio `I-Twilio-Idempotency-Token`)
     * and remember it themselves otherwise.
     */
    idempotencyKey: string;
    /** E-mail: the unsubscribe line's link (also sent as List-Unsubscribe). */
    unsubscribeUrl?: string;
}

/** Why a send failed, in words the caller can act on. */
export type SendFailure = 'invalid-address' | 'opted-out' | 'rejected' | 'unavailable' | 'not-configured';

/** The result of one send. */
export type SendResult =
    | { ok: true; providerId?: string }
    | { ok: false; reason: SendFailure; retryable: boolean };

/** Sends texts and/or e-mails. */
export interface Sender {
    /** The kinds this sender can send (a deployment may have e-mail only). */
    readonly kinds: readonly OutboundKind[];
    send(message: OutboundMessage): Promise<SendResult>;
}
