/**
 * Turn middleware: what differs per channel, before the bot's own logic. The channel's renderer is registered on the
 * turn, and a channel may answer a message itself (SMS keywords such as STOP), which ends the turn there.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { ChannelPolicy } from '../conversation/channelPolicy';

/** Runs the channel's policy; the rest of the turn only when the channel did not answer the message itself. */
export class ChannelGate implements Middleware {
    constructor(private readonly policy: ChannelPolicy) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        if (await this.policy.begin(context)) await next();
    }
}
