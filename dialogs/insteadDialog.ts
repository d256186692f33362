/**
 * "cancel" at a question cancels that question, not the conversation: the bot asks what the resident would like
 * instead. "Go back" (or yes) asks the question again; anything else they write is read as a fresh start from their
 * own words. At a request for contact, and at "Are you safe right now?", the question itself reads "cancel" instead.
 */
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { question } from '../src/conversation/messages';
import { isSkip, isYes } from '../src/conversation/parse';
import type { DialogServices } from '../src/conversation/services';
import { SAFETY_DIALOG_ID } from './safetyDialog';
import { PREFERENCES_DIALOG_ID } from './preferencesDialog';

/** Its id: "cancel" said again at its own question is its "go back", not another cancel. */
export const INSTEAD_DIALOG_ID = 'insteadDialog';

/** What a fresh start begins: the main dialog's first dialog, given by the base dialog that knows it. */
interface InsteadOptions {
    restartId: string;
}

/** Instance state: the dialog to begin afresh with the resident's words. */
const RESTART_ID = 'restartId';

/** "What would you like to do instead?", on top of the question cancelled, which is asked again on "Go back". */
export class InsteadDialog extends Dialog {
    constructor(private readonly services: DialogServices) {
        super(INSTEAD_DIALOG_ID);
    }

    override async beginDialog(dc: DialogContext, options?: InsteadOptions): Promise<DialogTurnResult> {
        dc.activeDialog!.state[RESTART_ID] = options?.restartId;
        this.services.log.info('conversation.question_cancelled', { channel: dc.context.activity.channelId });
        await this.ask(dc.context);
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const { wording } = this.services;
        const text = (dc.context.activity.text ?? '').trim();
        const back = text.toLowerCase() === wording.button('goBack').toLowerCase() || isYes(text) || isSkip(text)
            || wording.command(text) === 'cancel';
        const restartId = dc.activeDialog!.state[RESTART_ID] as string | undefined;
        // Back: the question below is asked again as it resumes.
        if (back || !restartId || !text) return dc.endDialog();
        // What they would like instead, in their own words: a fresh look, from what they just wrote.
        await dc.cancelAllDialogs();
        return dc.beginDialog(restartId, {});
    }

    override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
        await this.ask(context);
    }

    private async ask(context: TurnContext): Promise<void> {
        const { wording } = this.services;
        await context.sendActivity(question(wording.text('questionCancelled'),
            [wording.button('goBack'), wording.button('startAgain'), wording.button('talkToPerson')]));
    }
}

/**
 * The base dialog's answer to "cancel": the question under way is cancelled, unless it reads the word itself (a
 * request for contact being made, or "Are you safe right now?"), or nothing is under way. A preference question
 * (where, when, cost, access, worries) can always be left out, so it is, and the next one asked; at any other
 * question the bot asks what they would like instead.
 */
export async function cancelQuestion(innerDc: DialogContext, handoffDialogId: string, restartId: string,
    services: DialogServices): Promise<DialogTurnResult | undefined> {
    if (!innerDc.activeDialog || innerDc.activeDialog.id === INSTEAD_DIALOG_ID) return undefined;
    if (innerDc.stack.some((d) => d.id === handoffDialogId || d.id === SAFETY_DIALOG_ID)) return undefined;
    if (innerDc.activeDialog.id === PREFERENCES_DIALOG_ID) {
        await innerDc.context.sendActivity(services.wording.text('questionSkipped'));
        services.log.info('conversation.question_cancelled', { channel: innerDc.context.activity.channelId });
        // Read by the question as its skip (the transcript keeps what they typed).
        innerDc.context.activity.text = 'skip';
        return undefined;
    }
    return innerDc.beginDialog(INSTEAD_DIALOG_ID, { restartId } satisfies InsteadOptions);
}
