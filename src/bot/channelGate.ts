/**
 * Turn middleware: what differs per channel, before the bot's own logic. The channel's renderer is registered on the
 * turn, and a channel may answer a message itself (SMS keywords such as STOP), which ends the turn there.
 */
import type { Middleware, TurnContext } from 'botbuilder';

/**
 * What differs per channel, chosen by the turn's channelId: how outgoing messages look (a renderer registered on
 * the turn) and what a channel answers before the dialogs (SMS keywords such as STOP).
 */
export interface ChannelPolicy {
    /** Registers the channel's renderer on this turn; may answer the message itself. False: the turn is done. */
    begin(context: TurnContext): Promise<boolean>;
}

/** Runs the channel's policy; the rest of the turn only when the channel did not answer the message itself. */
export class ChannelGate implements Middleware {
    constructor(private readonly policy: ChannelPolicy) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (await this.policy.begin(context)) await next();
    }
}
