/**
 * The sender the app uses, chosen by settings (SIGNPOST_SEND_EMAIL, SIGNPOST_SEND_SMS): one adapter per kind, or
 * none when a kind is off. With no settings both kinds go to the logging fake, so a developer's bot "sends"
 * without an account anywhere. On a deployment the fake is refused (not-configured) unless
 * SIGNPOST_SEND_FAKE_ON_DEPLOYMENT is yes, and start-up warns either way (sending.fake_on_deployment).
 */
import type { SendingSettings } from '../config';
import type { Logger } from '../log';
import { AcsEmailSender } from './acs';
import { failed, type RetryPolicy } from './common';
import { LoggingSender } from './logging';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from './port';
import { SmtpEmailSender } from './smtp';
import { TwilioSmsSender } from './twilio';

export type { OutboundKind, OutboundMessage, Sender, SendFailure, SendResult } from './port';
export { LoggingSender } from './logging';

export interface SenderOptions {
    log: Logger;
    /** Timeout and retry pause (tests shorten them). */
    retry?: RetryPolicy;
    /** Twilio's API address (tests give their local fake's). */
    twilioBaseUrl?: string;
    now?: () => Date;
}

/** A sender that passes each message to the adapter for its kind; a kind with none says not-configured. */
export class RoutingSender implements Sender {
    readonly kinds: readonly OutboundKind[];

    constructor(private readonly byKind: Partial<Record<OutboundKind, Sender>>) {
        this.kinds = (['sms', 'email'] as const).filter((k) => byKind[k]);
    }

    async send(message: OutboundMessage): Promise<SendResult> {
        const sender = this.byKind[message?.kind];
        if (!sender) return failed('not-configured', false);
        try {
            return await sender.send(message);
        } catch {
            return failed('unavailable', true);
        }
    }

    /** The adapter for a kind (the logging fake's messages, in tests). */
    adapter(kind: OutboundKind): Sender | undefined {
        return this.byKind[kind];
    }
}

/** Builds the sender from the settings: `config.sending` of loadConfig (none: the logging fake for both). */
export function createSender(settings: SendingSettings | undefined, options: SenderOptions): RoutingSender {
    const { log, retry, now } = options;
    // A configuration built by hand (an old test's) has no sending settings: the default, the logging fake.
    settings ??= { email: { mode: 'log' }, sms: { mode: 'log' } };
    const logged = (['email', 'sms'] as const).filter((k) => settings[k].mode === 'log');
    const refused = settings.fakeOnDeployment === 'refused';
    if (settings.fakeOnDeployment && logged.length) {
        // The fake sends nothing and keeps addresses in memory: on a deployment a lead must see it was chosen.
        log.warn('sending.fake_on_deployment', { email: logged.includes('email'), sms: logged.includes('sms'),
            answers: refused ? 'not-configured' : 'sent' });
    }
    // One fake for both kinds, so a test or a developer reads every "sent" message in one place.
    const fake = logged.length && !refused ? new LoggingSender(logged, log, now && (() => now().getTime())) : undefined;
    const byKind: Partial<Record<OutboundKind, Sender>> = {};
    const email = settings.email;
    if (email.mode === 'log') byKind.email = fake;
    else if (email.mode === 'acs') {
        byKind.email = new AcsEmailSender({
            endpoint: email.endpoint, accessKey: email.accessKey, from: email.from, log, retry, now,
        });
    } else if (email.mode === 'smtp') {
        byKind.email = new SmtpEmailSender({ url: email.url, from: email.from, log, retry });
    }
    const sms = settings.sms;
    if (sms.mode === 'log') byKind.sms = fake;
    else if (sms.mode === 'twilio') {
        byKind.sms = new TwilioSmsSender({
            accountSid: sms.accountSid, authToken: sms.authToken, from: sms.from, log, retry,
            baseUrl: options.twilioBaseUrl,
        });
    }
    log.info('sending.configured', { email: email.mode, sms: sms.mode });
    return new RoutingSender(byKind);
}
