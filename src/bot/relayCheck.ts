/**
 * Turn middleware: is a connector in this chat? Asked once per message (a store read), before the bot's own logic,
 * and kept on the turn, so the bot and anything after it read the answer instead of asking the store again. While a
 * connector has the chat the bot keeps the resident's messages for them and stays silent (signpostBot.ts).
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { ResidentRelay } from '../handoff/relay';
import { errorKind, type Logger } from '../log';
import { withinTime } from './timeout';

/**
 * The longest wait for the answer (a store read) before the bot answers itself, and how long it then stops asking:
 * while the database is down the bot must still answer. A database known to be down is not asked at all (the state
 * layer finds that out within about 2 seconds), so this is only a backstop: it is long enough that a merely busy
 * database never makes the bot talk over a connector who has the chat.
 */
export const RELAY_CHECK_MS = 5_000;
export const RELAY_CHECK_BACKOFF_MS = 10_000;

/** turnState key: the reference of the request whose connector has this chat, when one has. */
const LIVE_REFERENCE = 'signpost.liveReference';

/** The request whose connector has this turn's chat, as RelayCheck found it; undefined when none. */
export function liveReferenceOf(context: TurnContext): string | undefined {
    return context.turnState.get(LIVE_REFERENCE) as string | undefined;
}

export interface RelayCheckOptions {
    relay: Pick<ResidentRelay, 'holding'>;
    log: Logger;
    /** True while the database is known not to answer (storage/resilient.ts): nothing is asked then. */
    storeDegraded?: () => boolean;
    /** Milliseconds now, for the pause after a failure; Date.now without it. */
    clock?: () => number;
}

/**
 * Asks the relay for a message with words. When the store does not answer within RELAY_CHECK_MS, or fails, the bot
 * answers itself (a connector could not reach the resident then either) and stops asking for RELAY_CHECK_BACKOFF_MS,
 * so residents are not each kept waiting during an outage.
 */
export class RelayCheck implements Middleware {
    private pausedUntil = 0;

    constructor(private readonly options: RelayCheckOptions) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { type, text } = context.activity;
        if (type === ActivityTypes.Message && typeof text === 'string' && text.trim()) {
            const reference = await this.holding(context);
            if (reference !== undefined) context.turnState.set(LIVE_REFERENCE, reference);
        }
        await next();
    }

    private async holding(context: TurnContext): Promise<string | undefined> {
        const { relay, log, storeDegraded, clock = Date.now } = this.options;
        if (clock() < this.pausedUntil || storeDegraded?.()) return undefined;
        const { channelId, conversation } = context.activity;
        try {
            const checked = await withinTime(relay.holding(channelId, conversation.id), RELAY_CHECK_MS);
            if (checked.done) return checked.value;
            throw new Error('The relay check timed out');
        } catch (err) {
            this.pausedUntil = clock() + RELAY_CHECK_BACKOFF_MS;
            log.warn('relay.check_failed', { channel: channelId, error: errorKind(err) });
            return undefined;
        }
    }
}
