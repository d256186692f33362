/**
 * The base dialog's one hook for issue 16: each message, at any step, is read for what the resident is doing
 * (src/conversation/understand.ts) before the question's own reader takes it. Kept apart from the commands in
 * cancelAndHelpDialog.ts so each can change without the other. Crisis never reaches here: the bot shows the routes
 * before any dialog runs. While contact details are being asked for, nothing here acts: that dialog reads its own
 * answers (a name or a number is not an intent).
 */
import { DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { emptyProfile } from '../src/conversation/profile';
import { isNo, isYes } from '../src/conversation/parse';
import { understand, type Understanding } from '../src/conversation/understand';
import { answerAbout, suggestionNamed } from '../src/conversation/answers';
import type { DialogServices } from '../src/conversation/services';
import { NEEDS_DIALOG_ID, REFLECT_THRESHOLD } from './needsDialog';
import { PREFERENCES_DIALOG_ID } from './preferencesDialog';
import { PAGE_SIZE, RECOMMENDATIONS_DIALOG_ID } from './recommendationsDialog';
import type { HandoffOptions } from './handoffDialog';

/** The options the journey's first step reads: the words to start from, after a change of mind. */
export interface OpeningOptions {
    text?: string;
}

/** Where in the journey the resident is, as far as reading their intent goes. */
export type Place = 'start' | 'needs' | 'preferences' | 'results' | 'offer' | 'handoff';

/** Every dialog id on the stack, from the outermost in. */
function stackIds(dc: DialogContext): string[] {
    const ids: string[] = [];
    for (let d: DialogContext | undefined = dc; d; d = d.child) ids.push(...d.stack.map((s) => s.id));
    return ids;
}

/** Where the resident is: the hand-off outranks everything, then the deepest step of the journey. */
export function placeOf(dc: DialogContext, handoffDialogId: string): Place {
    const ids = stackIds(dc);
    if (ids.includes(handoffDialogId)) return 'handoff';
    if (ids.includes(RECOMMENDATIONS_DIALOG_ID)) return 'results';
    if (ids.includes(PREFERENCES_DIALOG_ID)) return 'preferences';
    if (ids.includes(NEEDS_DIALOG_ID)) return 'needs';
    return ids.length ? 'offer' : 'start';
}

/**
 * Acts on what the message does, or returns undefined for the step's own reader: a request for a person starts the
 * hand-off; a change of mind at a question goes back to the needs with the new words; thanks at the end gets a
 * short kind close; a question about a suggestion is answered from the listing; off the subject gets "I can't help
 * with that, but I can ..." and the same question again.
 */
export async function actOnIntent(dc: DialogContext, services: DialogServices, ids: {
    handoffDialogId: string; initialDialogId: string;
}): Promise<DialogTurnResult | undefined> {
    const text = dc.context.activity.text ?? '';
    const place = placeOf(dc, ids.handoffDialogId);
    if (place === 'handoff') return undefined;
    const { matcher, intents, wording, log, profile } = services;
    const namesNeed = (t: string) => matcher.detectNeeds(t).some((n) => n.score >= REFLECT_THRESHOLD);
    const understood: Understanding = understand(text, intents, namesNeed);
    const said = (intent: string) => log.info('resident.understood', {
        channel: dc.context.activity.channelId, intent, place,
    });
    const again = async (): Promise<DialogTurnResult | undefined> => {
        if (!dc.activeDialog) return undefined; // nothing asked yet: the journey begins as usual
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
    };
    switch (understood.intent) {
        case 'ask-person': {
            said('ask-person');
            if (understood.callBack) {
                // "someone to ring me": a phone call, on top of the step they were on, as "call me" is.
                return dc.beginDialog(ids.handoffDialogId, { method: 'phone' } satisfies HandoffOptions);
            }
            await dc.cancelAllDialogs();
            return dc.beginDialog(ids.handoffDialogId);
        }
        case 'change-of-mind': {
            // At the results the list searches again for new words itself, keeping the other answers.
            if (place === 'results') return undefined;
            said('change-of-mind');
            await dc.cancelAllDialogs();
            const kept = await profile.get(dc.context, emptyProfile());
            await profile.set(dc.context, { ...kept, needs: [], suggested: [] });
            if (place !== 'start') await dc.context.sendActivity(wording.text('changeOfMind'));
            return dc.beginDialog(ids.initialDialogId, { text: understood.words } satisfies OpeningOptions);
        }
        case 'thanks': {
            // Only where the conversation can end: not at a question, where "ok thanks" may be its answer.
            if (place !== 'results' && place !== 'offer' && place !== 'start') return undefined;
            if (place === 'offer' && (isYes(text, intents) || isNo(text, intents))) return undefined;
            said('thanks');
            await dc.cancelAllDialogs();
            await dc.context.sendActivity(wording.text('thanksClose'));
            return { status: DialogTurnStatus.complete };
        }
        case 'question': {
            if (place !== 'results' && place !== 'offer') return undefined;
            const { suggested } = await profile.get(dc.context, emptyProfile());
            if (!suggested.length || !understood.topic) return undefined;
            const n = suggestionNamed(text, suggested.length);
            const about = n ? [suggested[n - 1] as string] : suggested.slice(-PAGE_SIZE);
            const lines = about.map((id) => matcher.opportunity(id)).filter((o) => o !== undefined)
                .map((o) => answerAbout(o, understood.topic!, wording, intents));
            if (!lines.length) return undefined;
            log.info('resident.understood', {
                channel: dc.context.activity.channelId, intent: 'question', place, topic: understood.topic,
            });
            await dc.context.sendActivity(lines.join('\n\n'));
            return again();
        }
        case 'off-topic': {
            said('off-topic');
            await dc.context.sendActivity(wording.text('offTopic'));
            return again();
        }
        default:
            return undefined;
    }
}
