/**
 * Turn middleware: the welcome, once per conversation, before the dialogs answer a resident's first message. Also
 * what the bot, the crisis guard and the language line call to send it after their own first line.
 */
import { ActivityTypes, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { withContent } from '../conversation/messages';
import type { Wording } from '../knowledge/wording';
import { messageText } from './turnDialogs';

export interface WelcomeOptions {
    /** Whether this conversation was welcomed (conversation state). */
    welcomed: StatePropertyAccessor<boolean>;
    wording: Wording;
    serviceName: string;
    stateDays: number;
}

/** Sends the welcome unless this conversation had it. */
export class Welcome implements Middleware {
    constructor(private readonly options: WelcomeOptions) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        // A message without words gets its one line from the bot, and no welcome yet.
        if (messageText(context)) await this.ifNeeded(context);
        await next();
    }

    /** The welcome, the first time only. */
    async ifNeeded(context: TurnContext): Promise<void> {
        if (await this.options.welcomed.get(context, false)) return;
        await this.send(context);
    }

    /**
     * The welcome now, whether or not it was sent before: after the resident changes language, so that what the bot
     * is and what it keeps is said in words they read.
     */
    async send(context: TurnContext): Promise<void> {
        const { welcomed, wording, serviceName, stateDays } = this.options;
        const text = wording.text('welcome', { serviceName, stateDays });
        await context.sendActivity(withContent({ type: ActivityTypes.Message, text }, { kind: 'welcome' }));
        await welcomed.set(context, true);
    }
}
