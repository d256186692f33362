/** The one place that catches what escapes a turn: logs it without personal data and tells the resident kindly. */
import { ActivityTypes, type ConversationState, type TurnContext } from 'botbuilder';
import { BASE_LOCALE, inTurnLocale, type Wording } from '../knowledge/wording';
import { errorKind, stackFrames, withCorrelation, type Logger } from '../log';
import { ETagConflictError } from '../storage/stateStore';
import { DELETE_STATE_AFTER_TURN, DIALOG_STATE_PROPERTY } from '../conversation/turnState';
import { FAILED_TURNS_PROPERTY, TURN_ID } from './signpostBot';
import { CRISIS_ROUTES_SENT, CRISIS_SCAN_LENGTH, type UrgentRaiser } from './crisisGuard';
import { crisisLanguageActivity, crisisRoutesActivity, helpingFor, type CrisisResponder } from './crisisReply';
import { TURN_LOCALE } from './languageChoice';

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
        // Where in the code, never the message (it may quote the resident or name an SMS number); debug level only.
        log.debug('turn.failed.stack', { stack: stackFrames(error) });
        // In the language the turn was held in: the turn's own language scope has ended by now.
        const locale = (context.turnState.get(TURN_LOCALE) as string | undefined) ?? BASE_LOCALE;
        await inTurnLocale(locale, () => reply(context, wording, log, crisis));
        // Two messages sent at once race for the same state: the stored state is the other one's, and fine.
        if (error instanceof ETagConflictError) return;
        try {
            await keepState(context, conversationState, log);
        } catch (inner) {
            log.error('turn.state_not_kept', { error: errorKind(inner) });
        }
    });
}

/** The crisis routes if the failed turn's message needed them and had not had them, then the kind error line. */
async function reply(context: TurnContext, wording: Wording, log: Logger, crisis?: TurnErrorCrisis): Promise<void> {
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
    } catch (inner) {
        log.error('turn.error_reply_failed', { error: errorKind(inner) });
    }
}

/**
 * Turns in a row that may fail before the dialog's place is forgotten (the next message then starts it again): a
 * stored dialog stack that throws every time must not leave the resident stuck.
 */
export const RESTART_DIALOG_AFTER_FAILED_TURNS = 2;

/**
 * After a failed turn the conversation is kept as it was stored before the turn (what the turn changed is dropped,
 * and its message is not replayed), so the resident carries on where they were: their needs, the crisis flag and
 * the transcript are never lost to a bug. Failures are counted; after RESTART_DIALOG_AFTER_FAILED_TURNS in a row
 * only the dialog's place is cleared. A resident who asked to delete their data in the failed turn has it deleted.
 */
async function keepState(context: TurnContext, conversationState: ConversationState, log: Logger): Promise<void> {
    if (context.turnState.get(DELETE_STATE_AFTER_TURN)) {
        await conversationState.delete(context);
        return;
    }
    // Read again as stored, dropping what the failed turn changed in memory.
    const stored = await conversationState.load(context, true) as Record<string, unknown>;
    // Nothing stored yet: nothing to keep, and a failing first message must not create a record.
    if (!Object.keys(stored).some((key) => key !== 'eTag')) return;
    const failedTurns = conversationState.createProperty<number>(FAILED_TURNS_PROPERTY);
    const failed = (await failedTurns.get(context, 0)) + 1;
    if (failed >= RESTART_DIALOG_AFTER_FAILED_TURNS) {
        await conversationState.createProperty(DIALOG_STATE_PROPERTY).delete(context);
        await failedTurns.delete(context);
        log.warn('turn.dialog_restarted', { channel: context.activity.channelId, failedTurns: failed });
    } else {
        await failedTurns.set(context, failed);
    }
    await conversationState.saveChanges(context, false);
}

/**
 * The crisis routes, when the failed turn's message is a crisis and they were not sent before it failed. True when
 * it sent them.
 */
async function sendCrisisRoutes(context: TurnContext, wording: Wording, crisis: CrisisResponder, log: Logger) {
    const { type, text, channelId } = context.activity;
    if (type !== ActivityTypes.Message || !text || context.turnState.get(CRISIS_ROUTES_SENT)) return false;
    const kinds = crisis.crisisKinds(text.trim().slice(0, CRISIS_SCAN_LENGTH));
    if (!kinds.length) return false;
    log.warn('crisis.routes_shown', { channel: channelId, kinds: kinds.join(','), afterFailure: true });
    // No call-back offer here: the turn failed, so the store that would keep the request may be down.
    const languageLine = crisisLanguageActivity(crisis, text.trim().slice(0, CRISIS_SCAN_LENGTH));
    if (languageLine) await context.sendActivity(languageLine);
    await context.sendActivity(crisisRoutesActivity(wording, crisis.crisisRoutes(kinds), false,
        helpingFor(crisis, text.trim().slice(0, CRISIS_SCAN_LENGTH))));
    context.turnState.set(CRISIS_ROUTES_SENT, true);
    return true;
}
