/**
 * Turn middleware: what differs per channel, before the bot's own logic. The channel's renderer is registered on the
 * turn, and a channel may answer a message itself (SMS keywords such as STOP), which ends the turn there.
 */
import type { Middleware, TurnContext } from 'botbuilder';
import type { ChannelPolicy } from '../conversation/channelPolicy';

/**
 * Runs the channel's policy; the rest of the turn only when the channel did not answer the message itself. What
 * the channel held back goes out at the end, also when the turn failed, so it comes before the error handler's
 * reply, in the order it was said.
 */
export class ChannelGate implements Middleware {
    constructor(private readonly policy: ChannelPolicy) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        let failed = true;
        try {
            if (await this.policy.begin(context)) await next();
            failed = false;
        } finally {
            if (failed) {
                // The turn's own error goes on to the error handler; a failure to send the held line must not hide it.
                await this.policy.end?.(context).catch(() => undefined);
            } else {
                await this.policy.end?.(context);
            }
        }
    }
}
