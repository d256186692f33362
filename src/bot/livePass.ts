/**
 * Turn middleware: while a connector has the chat (relayCheck.ts found it), the resident's message is kept for them
 * and the bot stays silent; the crisis guard before it has already shown any routes the message needed, and the
 * connector is told of them beside the message. "Delete my data" is not passed on: it goes on to the bot, which
 * deletes (the request records that the resident asked, with no text, and lets go of this chat).
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { ResidentRelay } from '../handoff/relay';
import type { Wording } from '../knowledge/wording';
import type { Logger } from '../log';
import { crisisKindsOf } from './crisisGuard';
import { liveReferenceOf } from './relayCheck';
import { messageText } from './turnDialogs';

export interface LivePassOptions {
    relay: Pick<ResidentRelay, 'fromResident' | 'crisisShown'>;
    wording: Wording;
    log: Logger;
}

/** Passes a message to the connector who has the chat, and ends the turn there. */
export class LivePass implements Middleware {
    constructor(private readonly options: LivePassOptions) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { relay, wording, log } = this.options;
        const reference = liveReferenceOf(context);
        const text = messageText(context);
        if (!reference || !text || wording.command(text) === 'deleteMyData') return next();
        await relay.fromResident(reference, text);
        log.info('relay.resident_message', { channel: context.activity.channelId });
        // The connector is told beside the resident's message, in the live chat they are watching.
        const kinds = crisisKindsOf(context);
        if (kinds.length) await relay.crisisShown(reference, kinds);
    }
}
