/**
 * How a reminder or check-in reaches a resident (issue 22), built for the follow-up scheduler, which knows no
 * botbuilder: on Teams and SMS through the Bot Framework's continueConversation on the stored conversation reference;
 * to an address (a website-chat resident who asked for a text or an e-mail) through the sending port, with the
 * message's idempotency key. The Bot Framework takes no idempotency key, so this instance remembers the keys it sent
 * (SentKeys); the store's claim and lease keep two instances from sending one message.
 */
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Deliver, DeliveryResult } from '../followup/scheduler';
import { SentKeys } from '../sending/common';
import type { Sender } from '../sending/port';
import type { ClaimedMessage } from '../storage/scheduledMessageStore';

/** The part of botbuilder's CloudAdapter a proactive message needs. */
export interface ProactiveAdapter {
    continueConversationAsync(appId: string, reference: Partial<ConversationReference>,
        logic: (context: TurnContext) => Promise<void>): Promise<void>;
}

export interface FollowupDeliveryParts {
    /** The sending port (texts and e-mails to an address). */
    sender: Sender;
    /** The Bot Framework adapter and the bot's app id, when the bot has a Bot Framework registration. */
    cloud?: { adapter: ProactiveAdapter; appId: string };
    /** The stored conversation reference for a reference id (none: the message cannot go that way). */
    reference: (referenceId: string) => Promise<Partial<ConversationReference> | undefined>;
    /** The plain text of a message from its wording key and data (none: the key is unknown). */
    render: (message: ClaimedMessage) => string | undefined;
    now?: () => number;
}

/** Builds the scheduler's `deliver`. */
export function followupDelivery(parts: FollowupDeliveryParts): Deliver {
    const sent = new SentKeys(parts.now);
    return async (message) => {
        const text = parts.render(message);
        if (!text) return { ok: false, retryable: false, reason: 'unknown-wording' };
        const reach = message.reach;
        if (reach.via === 'address') {
            if (!reach.address) return { ok: false, retryable: false, reason: 'no-address' };
            const result = await parts.sender.send({
                kind: reach.channel, to: reach.address, text, idempotencyKey: message.idempotencyKey,
                subject: reach.channel === 'email' ? text.split('\n')[0]!.slice(0, 80) : undefined,
            });
            return result.ok ? { ok: true } : { ok: false, retryable: result.retryable, reason: result.reason };
        }
        const cloud = parts.cloud;
        if (!cloud) return { ok: false, retryable: false, reason: 'not-configured' };
        const reference = await parts.reference(reach.referenceId);
        if (!reference) return { ok: false, retryable: false, reason: 'no-reference' };
        const result = await sent.once(message.idempotencyKey, async () => {
            try {
                await cloud.adapter.continueConversationAsync(cloud.appId, reference, async (context) => {
                    await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
                });
                return { ok: true };
            } catch {
                return { ok: false, reason: 'unavailable', retryable: true };
            }
        });
        return result.ok ? { ok: true } : { ok: false, retryable: result.retryable, reason: result.reason } as DeliveryResult;
    };
}
