/**
 * The contract between the bot and the channels, here so that the channels implement it without importing the bot.
 */
import type { TurnContext } from 'botbuilder';

/**
 * What differs per channel, chosen by the turn's channelId: how outgoing messages look (a renderer registered on
 * the turn) and what a channel answers before the dialogs (SMS keywords such as STOP).
 */
export interface ChannelPolicy {
    /** Registers the channel's renderer on this turn; may answer the message itself. False: the turn is done. */
    begin(context: TurnContext): Promise<boolean>;
    /**
     * At the end of the turn, after the dialogs, and also when the turn failed (before the error handler's reply):
     * sends whatever the channel held back to join to a later message (channels/joinedReplies.ts).
     */
    end?(context: TurnContext): Promise<void>;
}
