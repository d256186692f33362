/**
 * The resident's journey: what matters -> preferences -> recommendations -> an offer of a person.
 * Global commands are handled by the base dialog at any step.
 */
import {
    TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { CancelAndHelpDialog } from './cancelAndHelpDialog';
import type { OpeningOptions } from './understood';
import { HANDOFF_DIALOG_ID, HandoffDialog } from './handoffDialog';
import { NEEDS_DIALOG_ID, NeedsDialog, type NeedsDialogOptions } from './needsDialog';
import { PREFERENCES_DIALOG_ID, PreferencesDialog, type PreferencesOptions } from './preferencesDialog';
import { RECOMMENDATIONS_DIALOG_ID, RecommendationsDialog, type RecommendationsOutcome } from './recommendationsDialog';
import { SAFETY_DIALOG_ID, SafetyDialog, type SafetyFirstOptions } from './safetyDialog';
import { InsteadDialog } from './insteadDialog';
import { SendDialog } from './sendDialog';
import { question } from '../src/conversation/messages';
import { isNo, isYes } from '../src/conversation/parse';
import type { DialogServices } from '../src/conversation/services';
import { emptyProfile } from '../src/conversation/profile';
import { textFor } from '../src/conversation/behalf';

export const MAIN_DIALOG_ID = 'mainDialog';
const WATERFALL = 'mainWaterfall';
const OFFER_PROMPT = 'mainOffer';
const CHANGE_PROMPT = 'mainChange';

interface MainOptions extends OpeningOptions {
    /** Skip straight to a step after "change my answers". */
    change?: 'needs' | 'preferences';
}

/**
 * Begun by a change of language before anything was under way (src/bot/languageChoice.ts): the first question
 * alone; the message that answered the offer ("no", "tak") is not an opening to read for needs or commands.
 */
export interface AskFirstOptions {
    askFirst: true;
}

export class MainDialog extends CancelAndHelpDialog {
    protected readonly handoffDialogId = HANDOFF_DIALOG_ID;

    constructor(services: DialogServices) {
        super(MAIN_DIALOG_ID, services);
        this.addDialog(new NeedsDialog(services))
            .addDialog(new PreferencesDialog(services))
            .addDialog(new RecommendationsDialog(services))
            .addDialog(new HandoffDialog(services))
            .addDialog(new SafetyDialog(services, WATERFALL))
            .addDialog(new InsteadDialog(services))
            .addDialog(new SendDialog(services))
            .addDialog(new TextPrompt(OFFER_PROMPT, async (p) => {
                const t = p.recognized.value ?? '';
                return isYes(t) || isNo(t);
            }))
            .addDialog(new TextPrompt(CHANGE_PROMPT))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.needsStep.bind(this),
                this.preferencesStep.bind(this),
                this.recommendationsStep.bind(this),
                this.offerStep.bind(this),
                this.handoffStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /**
     * Begun by crisis routes before anything was under way: the safety question alone (the crisis message is not an
     * opening to read for needs or commands). After a clear yes the dialog ends, and the next message starts afresh.
     */
    override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
        if ((options as Partial<SafetyFirstOptions> | undefined)?.safetyFirst) {
            return innerDc.beginDialog(SAFETY_DIALOG_ID, { atStart: true });
        }
        if ((options as Partial<AskFirstOptions> | undefined)?.askFirst) {
            return innerDc.beginDialog(this.initialDialogId, { text: '' } satisfies MainOptions);
        }
        return super.onBeginDialog(innerDc, options);
    }

    /** What matters: from the opening message (or the new words after a change of mind) if it says, else asked. */
    private async needsStep(step: WaterfallStepContext) {
        const options = (step.options ?? {}) as MainOptions;
        if (options.change === 'preferences') return step.next();
        const needsOptions: NeedsDialogOptions = options.change === 'needs'
            ? { choose: true }
            : { text: options.text ?? step.context.activity.text };
        return step.beginDialog(NEEDS_DIALOG_ID, needsOptions);
    }

    /** What is missing and useful (the place, for things in person), or every question after a change. */
    private async preferencesStep(step: WaterfallStepContext) {
        const options = (step.options ?? {}) as MainOptions;
        if (options.change === 'needs') return step.next();
        // The first time, only what is missing and useful; after "change my answers", every question.
        return step.beginDialog(PREFERENCES_DIALOG_ID,
            { quick: options.change !== 'preferences' } satisfies PreferencesOptions);
    }

    /** The best few, with reasons. */
    private async recommendationsStep(step: WaterfallStepContext) {
        return step.beginDialog(RECOMMENDATIONS_DIALOG_ID);
    }

    /** After the list: change answers, or the offer of a community connector. */
    private async offerStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const outcome = step.result as RecommendationsOutcome;
        // Nothing suited and their answer named no need: the list of needs to choose from.
        if (outcome === 'needs') return step.replaceDialog(WATERFALL, { change: 'needs' } satisfies MainOptions);
        (step.values as { asked: string }).asked = outcome === 'change' ? 'change' : 'offer';
        if (outcome === 'change') {
            const text = wording.text('askChange');
            const buttons = [wording.button('changeNeeds'), wording.button('changePreferences')];
            return step.prompt(CHANGE_PROMPT, { prompt: question(text, buttons) });
        }
        const buttons = [wording.button('yesPlease'), wording.button('noThanks')];
        const offer = textFor(await this.services.profile.get(step.context, emptyProfile()), wording, 'offerHandoff');
        return step.prompt(OFFER_PROMPT, {
            prompt: question(offer, buttons),
            retryPrompt: question(offer, buttons),
        });
    }

    /** Yes: hand-off. No: a kind goodbye. A change: back round the loop. */
    private async handoffStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const answer = step.result as string;
        if ((step.values as { asked: string }).asked === 'change') {
            const needs = answer === wording.button('changeNeeds') || /need|help with/i.test(answer);
            return step.replaceDialog(WATERFALL, { change: needs ? 'needs' : 'preferences' } satisfies MainOptions);
        }
        if (isYes(answer)) return step.replaceDialog(HANDOFF_DIALOG_ID);
        await step.context.sendActivity(wording.text('handoffNo'));
        return step.endDialog();
    }
}
