/** The one place that catches what escapes a turn: logs it without personal data and tells the resident kindly. */
import { ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import { withContent } from '../../dialogs/messages';
import type { Wording } from '../knowledge/wording';
import { errorKind, withCorrelation, type Logger } from '../log';
import { ETagConflictError } from '../storage/ports';
import {
    CRISIS_ROUTES_SENT, CRISIS_SCAN_LENGTH, TURN_ID, type CrisisResponder, type UrgentRaiser,
} from './signpostBot';

/**
 * With `crisis`, a message that is a crisis still gets the routes when its turn failed before showing them (the
 * store was down, a bug): they never depend on anything but the message itself. With `urgent`, the resident's open
 * requests are then raised to urgent as well, in the background (it never throws, and the reply does not wait).
 */
export function createOnTurnError(conversationState: ConversationState, wording: Wording, log: Logger,
    crisis?: CrisisResponder, onCrisisRoutesShown?: (channelId: string | undefined) => void, urgent?: UrgentRaiser) {
    // The turn has thrown out of its correlation scope; its id is still on the context.
    return async (context: TurnContext, error: Error): Promise<void> => withCorrelation({
        turnId: context.turnState.get(TURN_ID) as string | undefined,
    }, async () => {
        log.error('turn.failed', { channel: context.activity.channelId, error: errorKind(error) });
        // The stack names code, not what the resident said; it is kept to debug level all the same.
        log.debug('turn.failed.stack', { stack: error?.stack });
        try {
            if (crisis && await sendCrisisRoutes(context, wording, crisis, log)) {
                onCrisisRoutesShown?.(context.activity.channelId);
                const userId = context.activity.from?.id;
                if (urgent && userId) {
                    void urgent.raiseFor(context.activity.channelId, userId)
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
    const routes = crisis.routes(kinds);
    const lines = [wording.text('crisisIntro'), ...routes.map((r) => `${r.name}: ${r.how}`)];
    await context.sendActivity(withContent({ type: ActivityTypes.Message, text: lines.join('\n') },
        { kind: 'crisis', routes }));
    context.turnState.set(CRISIS_ROUTES_SENT, true);
    return true;
}
