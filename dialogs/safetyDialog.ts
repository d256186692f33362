/**
 * "Are you safe right now?", asked straight after crisis routes, on top of whatever the resident was doing. Only a
 * clear yes goes on (back to the question they were on, or the offer of help at the start). Anything else, "no" or
 * a doubtful answer alike, repeats 999 and the urgent call-back and asks nothing else: a resident in danger is never
 * moved on to questions about opening times (hazard H12 in docs/clinical-safety.md).
 */
import { Dialog, type DialogContext, type DialogInstance, type DialogReason, type DialogTurnResult }
    from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { question } from '../src/conversation/messages';
import type { DialogServices } from '../src/conversation/services';
import { HANDOFF_DIALOG_ID } from './handoffDialog';
import { REFLECT_THRESHOLD, needsNamed } from './needsDialog';
import { emptyProfile } from '../src/conversation/profile';

/** Its id: the base dialog and the bot look for it on the stack, so "start again" and "cancel" cannot skip it. */
export const SAFETY_DIALOG_ID = 'safetyDialog';

/** How the main dialog is begun when crisis routes came before anything was under way: the safety check alone. */
export interface SafetyFirstOptions {
    safetyFirst: true;
}

/** Instance state: true when nothing was under way below it, so a yes offers help rather than carrying on. */
const AT_START = 'atStart';

/**
 * One question and its answers, as a plain dialog (not a prompt) so that nothing it is asked can time out, fail
 * validation or be read by another step: it stays until a clear yes.
 */
export class SafetyDialog extends Dialog {
    /**
     * @param journeyDialogId the journey begun afresh with a request said with the yes ("yes I'm safe, I need a
     * balance class"): the resident never has to say it twice.
     */
    constructor(private readonly services: DialogServices, private readonly journeyDialogId?: string) {
        super(SAFETY_DIALOG_ID);
    }

    override async beginDialog(dc: DialogContext, options?: { atStart?: boolean }): Promise<DialogTurnResult> {
        dc.activeDialog!.state[AT_START] = Boolean(options?.atStart);
        await this.ask(dc.context);
        return Dialog.EndOfTurn;
    }

    override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
        const { wording, log } = this.services;
        const text = dc.context.activity.text ?? '';
        const channel = dc.context.activity.channelId;
        // "call me" reaches here only while a call-back is already being asked for, below: carry on with it.
        if (wording.command(text) === 'callMe' && dc.stack.some((d) => d.id === HANDOFF_DIALOG_ID)) {
            log.info('crisis.safety_call_back', { channel });
            return dc.endDialog();
        }
        const request = wording.safeRequest(text);
        if (request !== undefined && this.journeyDialogId
            && needsNamed(dc.context, this.services.matcher, request).some((n) => n.score >= REFLECT_THRESHOLD)) {
            // A yes with a need named after it: the journey again from those words, as after a change of mind.
            log.info('crisis.safety_yes', { channel, request: true });
            await dc.context.sendActivity(wording.text('crisisSafeGlad'));
            await dc.cancelAllDialogs();
            const kept = await this.services.profile.get(dc.context, emptyProfile());
            await this.services.profile.set(dc.context, { ...kept, needs: [], suggested: [] });
            return dc.beginDialog(this.journeyDialogId, { text: request });
        }
        if (!wording.saysSafe(text)) {
            log.info('crisis.safety_not_yet', { channel });
            await dc.context.sendActivity(question(wording.text('crisisNotSafe'),
                [wording.button('callMeBack'), wording.button('safeNow')], { asWords: true }));
            return Dialog.EndOfTurn;
        }
        log.info('crisis.safety_yes', { channel });
        if (dc.activeDialog!.state[AT_START]) {
            await dc.context.sendActivity(`${wording.text('crisisSafeGlad')}\n${wording.text('crisisOffer')}`);
        } else {
            // The dialog below asks its question again as it resumes (prompts and component dialogs reprompt).
            await dc.context.sendActivity(`${wording.text('crisisSafeGlad')}\n${wording.text('crisisCarryOn')}`);
        }
        return dc.endDialog();
    }

    /** Back from a call-back made over it: asked again, since only a clear yes moves on. */
    override async resumeDialog(dc: DialogContext, _reason: DialogReason, _result?: unknown)
        : Promise<DialogTurnResult> {
        await this.ask(dc.context);
        return Dialog.EndOfTurn;
    }

    override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
        await this.ask(context);
    }

    private async ask(context: TurnContext): Promise<void> {
        const { wording } = this.services;
        // Words, not numbers, on SMS: a "1" must never stand for "yes, I'm safe".
        await context.sendActivity(question(wording.text('crisisSafeAsk'),
            [wording.button('safeYes'), wording.button('safeNo')], { asWords: true }));
    }
}

/**
 * After crisis routes: asks whether the resident is safe, on top of what they were doing (inside the main dialog, so
 * "call me", help and the other commands still work), or as the only thing under way when nothing was. Asked once:
 * a crisis message at the question itself asks it again rather than stacking another.
 */
export async function askIfSafe(dc: DialogContext, mainDialogId: string): Promise<void> {
    const inner = dc.child;
    if (!dc.activeDialog || !inner) {
        await dc.cancelAllDialogs();
        await dc.beginDialog(mainDialogId, { safetyFirst: true } satisfies SafetyFirstOptions);
        return;
    }
    if (inner.activeDialog?.id === SAFETY_DIALOG_ID) {
        await inner.repromptDialog();
        return;
    }
    await inner.beginDialog(SAFETY_DIALOG_ID);
}

/** Whether the safety question is waiting for its answer in this (main dialog's) context. */
export function safetyAsked(dc: DialogContext): boolean {
    return dc.activeDialog?.id === SAFETY_DIALOG_ID;
}
