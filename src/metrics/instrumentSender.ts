/**
 * A decorator for the sending port: every send is counted in /metrics by kind (sms, email) and result (sent, or
 * the failure's reason), so a provider that is down or a wrong setting shows up as a rising count. The labels come
 * from closed lists; nothing of the message becomes a label.
 */
import type { OutboundKind, OutboundMessage, Sender, SendFailure, SendResult } from '../sending/port';

/** Told of each send's kind and result. */
export type SendListener = (kind: OutboundKind, result: SendResult) => void;

/** The sender, counting each result; a throw (which the adapters never do) is counted as unavailable. */
export function instrumentSender(sender: Sender, counter: { sendResult: SendListener }): Sender {
    return {
        get kinds() {
            return sender.kinds;
        },
        async send(message: OutboundMessage): Promise<SendResult> {
            let result: SendResult;
            try {
                result = await sender.send(message);
            } catch {
                result = { ok: false, reason: 'unavailable', retryable: true };
            }
            counter.sendResult(message?.kind, result);
            return result;
        },
    };
}

/** Every value of the result label: "sent" or a failure reason. */
export const SEND_RESULTS: readonly ('sent' | SendFailure)[] = [
    'sent', 'invalid-address', 'opted-out', 'rejected', 'unavailable', 'not-configured',
];
