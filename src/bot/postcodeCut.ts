/**
 * Turn middleware: only the district of a postcode is ever kept. It runs first, so the message is cut before anything
 * reads it, records it in the transcript, or stores it (the whole postcode would place a resident to a street).
 */
import type { Middleware, TurnContext } from 'botbuilder';
import { districtOnly } from '../matching/postcode';

/** Cuts every postcode in the turn's text to its district ("BS5 9QT" becomes "BS5"). */
export class PostcodeCut implements Middleware {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (typeof context.activity.text === 'string') context.activity.text = districtOnly(context.activity.text);
        await next();
    }
}
