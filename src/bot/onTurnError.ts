/** The one place that catches what escapes a turn: logs it without personal data and tells the resident kindly. */
import { ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import type { Wording } from '../knowledge/wording';
import { errorKind, withCorrelation, type Logger } from '../log';
import { ETagConflictError } from '../storage/ports';
import {
    CRISIS_ROUTES_SENT, CRISIS_SCAN_LENGTH, TURN_ID, type CrisisResponder, type UrgentRaiser,
} from './signpostBot';
import { crisisRoutesActivity } from './crisisReply';

/** What the error path needs to still show crisis routes when a turn failed before it could. */
export interface TurnErrorCrisis {
    responder: CrisisResponder;
    /** Told when routes were shown here (a metric). */
    onRoutesShown?: (channelId: string | undefined) => void;
    /** Raises the resident's open requests to urgent, in the background. */
    urgent?: UrgentRaiser;
}

/**
 * With `crisis`, a message that is a crisis still gets the routes when its turn failed before showing them (the
 * store was down, a bug): they never depend on anything but the message itself. The resident's open requests are
 * then raised to urgent as well, in the background (it never throws, and the reply does not wait).
 */
export function createOnTurnError(conversationState: ConversationState, wording: Wording, log: Logger,
    crisis?: TurnErrorCrisis) {
    // The turn has thrown out of its correlation scope; its id is still on the context.
    return async (context: TurnContext, error: Error): Promise<void> => withCorrelation({
        turnId: context.turnState.get(TURN_ID) as string | undefined,
    }, async () => {
        log.error('turn.failed', { channel: context.activity.channelId, error: errorKind(error) });
        // The stack names code, not what the resident said; it is kept to debug level all the same.
        log.debug('turn.failed.stack', { stack: error?.stack });
        try {
            if (crisis && await sendCrisisRoutes(context, wording, crisis.responder, log)) {
                crisis.onRoutesShown?.(context.activity.channelId);
                const userId = context.activity.from?.id;
                if (crisis.urgent && userId) {
                    void crisis.urgent.raiseFor(context.activity.channelId, userId)
                        .catch((err: unknown) => log.error('handoff.raise_failed', { error: errorKind(err) }));
                }
            }
            await context.sendActivity(wording.text('error'));
            // Two messages sent at once race for the same state: the stored state is fine, so keep it. Anything
            // else may be a dialog stack that will throw again: start the next turn afresh.
            if (!(error instanceof ETagConflictError)) await conversationState.delete(context);
        } catch (inner) {
            log.error('turn.error_reply_failed', { error: errorKind(inner) });
        }
    });
}

/**
 * The crisis routes, when the failed turn's message is a crisis and they were not sent before it failed. True when
 * it sent them.
 */
async function sendCrisisRoutes(context: TurnContext, wording: Wording, crisis: CrisisResponder, log: Logger) {
    const { type, text, channelId } = context.activity;
    if (type !== ActivityTypes.Message || !text || context.turnState.get(CRISIS_ROUTES_SENT)) return false;
    const kinds = crisis.kinds(text.trim().slice(0, CRISIS_SCAN_LENGTH));
    if (!kinds.length) return false;
    log.warn('crisis.routes_shown', { channel: channelId, kinds: kinds.join(','), afterFailure: true });
    // No call-back offer here: the turn failed, so the store that would keep the request may be down.
    await context.sendActivity(crisisRoutesActivity(wording, crisis.routes(kinds), false));
    context.turnState.set(CRISIS_ROUTES_SENT, true);
    return true;
}
