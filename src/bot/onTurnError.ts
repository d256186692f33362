/** The one place that catches what escapes a turn: logs it without personal data and tells the resident kindly. */
import type { ConversationState, TurnContext } from 'botbuilder';
import type { Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import { ETagConflictError } from '../storage/ports';

export function createOnTurnError(conversationState: ConversationState, wording: Wording, log: Logger) {
    return async (context: TurnContext, error: Error): Promise<void> => {
        log.error('turn.failed', { channel: context.activity.channelId, error: errorKind(error) });
        // The stack names code, not what the resident said; it is kept to debug level all the same.
        log.debug('turn.failed.stack', { stack: error?.stack });
        try {
            await context.sendActivity(wording.text('error'));
            // Two messages sent at once race for the same state: the stored state is fine, so keep it. Anything
            // else may be a dialog stack that will throw again: start the next turn afresh.
            if (!(error instanceof ETagConflictError)) await conversationState.delete(context);
        } catch (inner) {
            log.error('turn.error_reply_failed', { error: errorKind(inner) });
        }
    };
}
