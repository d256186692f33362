/**
 * Turn middleware: a message longer than the dialogs read gets one line asking for a shorter one, and nothing more.
 * After the crisis guard, which has already read its first 10,000 characters for danger.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { MAX_MESSAGE_LENGTH } from '../conversation/profile';
import type { Wording } from '../knowledge/wording';
import { messageText } from './turnDialogs';

/** Ends the turn with the 'tooLong' line for an over-long message. */
export class LengthCheck implements Middleware {
    constructor(private readonly wording: Wording) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (messageText(context).length > MAX_MESSAGE_LENGTH) {
            await context.sendActivity(this.wording.text('tooLong'));
            return;
        }
        await next();
    }
}
