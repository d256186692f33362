/**
 * The base dialog's one hook for issue 16: each message, at any step, is read for what the resident is doing
 * (src/conversation/understand.ts) before the question's own reader takes it. Kept apart from the commands in
 * cancelAndHelpDialog.ts so each can change without the other. Crisis never reaches here: the bot shows the routes
 * before any dialog runs. While contact details are being asked for, nothing here acts: that dialog reads its own
 * answers (a name or a number is not an intent).
 */
import { DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { emptyProfile } from '../src/conversation/profile';
import { isNo, isYes, parseCost, parsePlace, parseWhen } from '../src/conversation/parse';
import {
    correctedWords, listAction, saysDistress, saysForMe, saysNothingWanted, type Understanding,
} from '../src/conversation/understand';
import { MAX_OWN_WORDS } from '../src/conversation/profile';
import { joinAndWith } from '../src/conversation/messages';
import { inWritersWords } from '../src/conversation/behalf';
import { answerAbout, suggestionNamed, suggestionsNamedByName } from '../src/conversation/answers';
import type { DialogServices } from '../src/conversation/services';
import { NEEDS_DIALOG_ID, REFLECT_THRESHOLD, needsAsked, needsNamed, understandOnce } from './needsDialog';
import { PREFERENCES_DIALOG_ID, preferenceAsked, type PreferenceQuestion } from './preferencesDialog';
import { PAGE_SIZE, RECOMMENDATIONS_DIALOG_ID } from './recommendationsDialog';
import type { HandoffOptions } from './handoffDialog';
import { INSTEAD_DIALOG_ID } from './insteadDialog';
import { SEND_DIALOG_ID, actOnList } from './sendDialog';

/** The options the journey's first step reads: the words to start from, after a change of mind. */
export interface OpeningOptions {
    text?: string;
}

/** Where in the journey the resident is, as far as reading their intent goes. */
export type Place = 'start' | 'needs' | 'preferences' | 'results' | 'offer' | 'handoff' | 'sending';

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
    if (ids.includes(SEND_DIALOG_ID)) return 'sending';
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
    if (place === 'handoff' || place === 'sending') return undefined;
    const { matcher, intents, wording, log, profile } = services;
    // The saved list (issue 21): "save 2", "my list", "send me these", "print my list", "number 2 has closed".
    const { suggested } = await profile.get(dc.context, emptyProfile());
    const listed = listAction(text, intents, suggested.length);
    if (listed) {
        const acted = await actOnList(dc, services, place, listed);
        if (acted) {
            log.info('resident.understood', { channel: dc.context.activity.channelId, intent: listed.action, place });
            return acted;
        }
    }
    const said = (intent: string) => log.info('resident.understood', {
        channel: dc.context.activity.channelId, intent, place,
    });
    const again = async (): Promise<DialogTurnResult | undefined> => {
        if (!dc.activeDialog) return undefined; // nothing asked yet: the journey begins as usual
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
    };
    const kept = await profile.get(dc.context, emptyProfile());
    if (kept.behalf && dc.activeDialog && saysForMe(text, intents)) {
        // "It is for me, not my children": back to the writer's own, and the question on screen asked about them.
        said('for-me');
        const { behalf, ...own } = kept;
        await profile.set(dc.context, own);
        let inner: DialogContext = dc;
        while (inner.child) inner = inner.child;
        const state = inner.activeDialog?.state as { options?: unknown } | undefined;
        if (state?.options) state.options = inWritersWords(state.options, { behalf }, wording);
        await dc.context.sendActivity(wording.text('forMeGot'));
        return again();
    }
    const namesNeed = (t: string) => needsNamed(dc.context, matcher, t).some((n) => n.score >= REFLECT_THRESHOLD);
    let understood: Understanding = understandOnce(dc.context, matcher, intents, text);
    if (place === 'preferences' && understood.intent === 'change-of-mind' && !understood.explicit) {
        // "Actually I need it free as money is tight" at the cost question answers it: only "forget ...",
        // "instead", "not X, I want Y" or "I've changed my mind" replace the need part-way through the questions.
        understood = { intent: 'answer' };
    }
    if (understood.intent !== 'ask-person' && saysDistress(text, intents)) {
        // "I just sat and cried", "such a failure", "at my wits end": one kind sentence and the offer of a person
        // before anything else, then the turn goes on as it would have (crisis words never reach here).
        log.info('resident.understood', { channel: dc.context.activity.channelId, intent: 'distress', place });
        await dc.context.sendActivity(wording.text('distressKind'));
    }
    if (understood.intent === 'off-topic' && !understood.asked && readerCanUse(dc, services, text)) {
        // "I'm in Westmoor near the match factory" at the place question: the step's reader takes it first.
        understood = { intent: 'answer' };
    }
    if (place === 'preferences' && understood.intent !== 'ask-person' && understood.intent !== 'change-of-mind') {
        const corrected = await correctAnswer(dc, services);
        if (corrected) {
            said('correction');
            return corrected;
        }
    }
    if ((place === 'start' || needsAsked(dc) || insteadAsked(dc)) && understood.intent !== 'ask-person'
        && saysNothingWanted(text, intents) && !namesNeed(text)) {
        // Nothing wanted, when no question waits (after the goodbye), at "What would you like help with?" or at "What
        // would you like to do instead?": a short kind line, not the need question again or the list of every need.
        said('nothing-wanted');
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(wording.text('nothingWanted'));
        return { status: DialogTurnStatus.complete };
    }
    switch (understood.intent) {
        case 'ask-person': {
            said('ask-person');
            if (understood.callBack) {
                // "someone to ring me" inside a sentence: on top of the step they were on, as "call me" is, so that
                // step is asked again afterwards. The way to get in touch is still asked: a sentence may say more
                // than one ("ring or text me"), and "phone" is then an answer, not a wrong number.
                return dc.beginDialog(ids.handoffDialogId, {} satisfies HandoffOptions);
            }
            await dc.cancelAllDialogs();
            return dc.beginDialog(ids.handoffDialogId);
        }
        case 'change-of-mind': {
            // At the results the list searches again for new words itself, keeping the other answers.
            if (place === 'results') return undefined;
            said('change-of-mind');
            if (place === 'preferences') {
                // Part-way through the questions: the new need replaces the old, and the same question comes again.
                const needs = needsNamed(dc.context, matcher, understood.words ?? '')
                    .filter((n) => n.score >= REFLECT_THRESHOLD)
                    .slice(0, 3).map((n) => n.id);
                const kept = await profile.get(dc.context, emptyProfile());
                await profile.set(dc.context, {
                    ...kept, needs, inOwnWords: (understood.words ?? '').slice(0, MAX_OWN_WORDS), suggested: [],
                });
                const named = joinAndWith(needs.map((id) => matcher.reflectLabel(id)), services.wording.text('and'));
                await dc.context.sendActivity(wording.text('changeOfMindNeeds', { needs: named }));
                return again();
            }
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
            if (!suggested.length || !understood.topic) return undefined;
            // Named by number ("the second one", "number 3"), else by its name's words ("the lunch one", "the cafe"),
            // first among those on screen, then among all shown; only when it names none, every one on screen.
            const n = suggestionNamed(text, suggested.length, intents);
            const onScreen = suggested.slice(-PAGE_SIZE);
            const byName = (ids: string[]) => suggestionsNamedByName(text,
                ids.map((id) => matcher.opportunity(id)?.name ?? ''), intents).map((i) => ids[i - 1] as string);
            const named = n ? [] : byName(onScreen);
            const earlier = n || named.length ? [] : byName(suggested.slice(0, -PAGE_SIZE));
            const about = n ? [suggested[n - 1] as string] : named.length ? named : earlier.length ? earlier
                : onScreen;
            if (about.length === 1) {
                // "Save this" or "this has closed" next means the one asked about.
                const kept = await profile.get(dc.context, emptyProfile());
                await profile.set(dc.context, { ...kept, talkedAbout: about[0] as string });
            }
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
            // As the first message: the journey starts by asking what would help, not by searching these words.
            if (!dc.activeDialog) return dc.beginDialog(ids.initialDialogId, { text: '' } satisfies OpeningOptions);
            return again();
        }
        default:
            return undefined;
    }
}

/** Whether "What would you like to do instead?" (after "cancel") is the question on screen. */
function insteadAsked(dc: DialogContext): boolean {
    for (let d: DialogContext | undefined = dc; d; d = d.child) {
        if (d.activeDialog?.id === INSTEAD_DIALOG_ID) return true;
    }
    return false;
}

/**
 * Whether the question on screen can read the message as its answer, so that a word off the subject in an answer
 * ("after the news, evenings") does not refuse it. Only the preference questions with a reader that can say no:
 * where, when and cost. Elsewhere an off-topic message that is not a question is still off the subject.
 */
function readerCanUse(dc: DialogContext, services: DialogServices, text: string): boolean {
    const asked = preferenceAsked(dc);
    if (asked === 'where') return parsePlace(text, (t) => services.matcher.resolvePlace(t)) !== undefined;
    if (asked === 'when') {
        const when = parseWhen(text);
        return when !== undefined && !when.any;
    }
    if (asked === 'cost') return COST_WORDS.test(text) || isYes(text, services.intents) || isNo(text, services.intents);
    return false;
}

/** Money words that make a correction about cost ("I can pay a bit"), not an answer of yes or no. */
const COST_WORDS = /(?<![\p{L}])(?:free|pay|paying|cost|costs|money|afford|price)(?![\p{L}])/u;

/**
 * A correction at a preference question ("sorry no, I meant Eastfield", "actually not mornings, afternoons"): when
 * the corrected words answer an earlier question, that answer is changed and the question on screen is asked again;
 * when they answer the question on screen, it reads the corrected words, not the ones taken back.
 */
async function correctAnswer(dc: DialogContext, services: DialogServices): Promise<DialogTurnResult | undefined> {
    const { intents, matcher, profile, wording } = services;
    const words = correctedWords(dc.context.activity.text ?? '', intents);
    const asked = preferenceAsked(dc);
    if (!words || !asked) return undefined;
    const when = parseWhen(words);
    const place = when && !when.any ? undefined : parsePlace(words, (t) => matcher.resolvePlace(t));
    const cost = COST_WORDS.test(words) ? parseCost(words) : undefined;
    const answers: PreferenceQuestion | undefined = when && !when.any ? 'when' : place ? 'where'
        : cost !== undefined ? 'cost' : undefined;
    if (!answers) return undefined;
    if (answers === asked) {
        // The question reads what they meant.
        dc.context.activity.text = words;
        return undefined;
    }
    const kept = await profile.get(dc.context, emptyProfile());
    const prefs = { ...kept.prefs };
    if (answers === 'when') {
        delete prefs.days;
        delete prefs.times;
        if (when?.days.length) prefs.days = when.days;
        if (when?.times.length) prefs.times = when.times;
    } else if (answers === 'where' && place) {
        delete prefs.onlineOk;
        delete prefs.onlineOnly;
        prefs.place = place;
    } else {
        delete prefs.freeOnly;
        if (cost) prefs.freeOnly = true;
    }
    await profile.set(dc.context, { ...kept, prefs });
    await dc.context.sendActivity(answers === 'where' && place
        ? wording.text('whereGot', { place: place.label }) : wording.text('correctionGot'));
    await dc.repromptDialog();
    return { status: DialogTurnStatus.waiting };
}
