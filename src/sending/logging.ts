/**
 * The logging fake: the default with no sending settings, for local use and tests. It sends nothing: it logs an
 * event (kind and the idempotency key's hash, never the address or the text) and keeps the last messages, addresses
 * and text included, in this process's memory only, so a developer or a test can see what would have gone out. So
 * it is no sender for residents: on a deployment createSender refuses it unless SIGNPOST_SEND_FAKE_ON_DEPLOYMENT=yes.
 */
import type { Logger } from '../log';
import { checkMessage, failed, keyHash, SentKeys } from './common';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from './port';

/** Messages kept for inspection: the newest 50. */
const KEPT = 50;

/** A Sender that logs instead of sending, and honours idempotency keys as a real one must. */
export class LoggingSender implements Sender {
    private readonly kept: OutboundMessage[] = [];
    private readonly keys: SentKeys;
    private count = 0;

    constructor(readonly kinds: readonly OutboundKind[], private readonly log: Logger, now?: () => number) {
        this.keys = new SentKeys(now);
    }

    async send(message: OutboundMessage): Promise<SendResult> {
        try {
            const kind = message?.kind;
            if (!this.kinds.includes(kind)) return failed('not-configured', false);
            const problem = checkMessage(message, kind);
            if (problem) {
                this.log.info('sending.failed', { kind, provider: 'log', reason: problem });
                return failed(problem, false);
            }
            return await this.keys.once(message.idempotencyKey, async () => {
                this.kept.push({ ...message });
                if (this.kept.length > KEPT) this.kept.shift();
                this.log.info('sending.logged', { kind, provider: 'log', key: keyHash(message.idempotencyKey) });
                return { ok: true, providerId: `log-${++this.count}` };
            });
        } catch {
            return failed('unavailable', true);
        }
    }

    /** The messages "sent", oldest first (copies); for tests and local inspection, never written anywhere. */
    messages(): OutboundMessage[] {
        return this.kept.map((m) => ({ ...m }));
    }
}
