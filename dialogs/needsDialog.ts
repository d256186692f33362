/**
 * Finds out what matters to the resident, in their own words, reflects it back and lets them correct it.
 * When it cannot tell, it offers the need categories instead of guessing.
 */
import type { TurnContext } from 'botbuilder';
import {
    ComponentDialog, TextPrompt, WaterfallDialog, type DialogContext, type PromptValidatorContext,
    type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { NeedScore } from '../src/matching/types';
import { BASE_LOCALE, turnLocale } from '../src/knowledge/wording';
import { MAX_OWN_WORDS, emptyProfile, type ResidentProfile } from '../src/conversation/profile';
import { forThem, noteWhoFor, whoPhrase } from '../src/conversation/behalf';
import { noteConfirmed, noteDraft } from '../src/conversation/story';
import { withoutNegated } from '../src/conversation/understand';
import { isNo, isYes, parsePick } from '../src/conversation/parse';
import { understand, type Understanding } from '../src/conversation/understand';
import type { IntentLexicon } from '../src/knowledge/intents';
import { joinAndWith, numberedList, question } from '../src/conversation/messages';
import type { DialogServices, Matching } from '../src/conversation/services';

export const NEEDS_DIALOG_ID = 'needsDialog';
const WATERFALL = 'needsWaterfall';
const FREE_TEXT_PROMPT = 'needsFreeText';
const CONFIRM_PROMPT = 'needsConfirm';
const CATEGORY_PROMPT = 'needsCategory';
/**
 * turnState key: the needs found in this turn's texts. The opening message is read by the first step (does it name
 * a need?) and the next (which needs?) in the same turn: the engine is asked once.
 */
const TURN_NEEDS = 'signpost.needsDialog.detected';

/** A need is reflected back when its score reaches this; below it the resident picks from the list. */
export const REFLECT_THRESHOLD = 0.35;
/** At most this many needs are reflected back at once, to keep the question short. */
const MAX_REFLECTED = 3;

/**
 * The needs a text names, detected once per turn however many readers ask (the base dialog's hook, then this
 * dialog): detection is the slow part of a turn. In a conversation held in Welsh or Polish, the text is read with
 * that language's lexicon first (a short message identification cannot place, such as "unig iawn").
 */
export function needsNamed(context: TurnContext, matcher: Pick<Matching, 'detectNeeds'>, text: string): NeedScore[] {
    let detected = context.turnState.get(TURN_NEEDS) as Map<string, NeedScore[]> | undefined;
    if (!detected) context.turnState.set(TURN_NEEDS, detected = new Map());
    const locale = turnLocale();
    const key = `${locale}\u0000${text}`;
    let found = detected.get(key);
    if (!found) detected.set(key, found = matcher.detectNeeds(text, locale === BASE_LOCALE ? undefined : locale));
    return found;
}

/** turnState key: what this turn's texts do (understand()), read once per turn however many readers ask. */
const TURN_UNDERSTOOD = 'signpost.understood';

/**
 * What a text does (conversation/understand.ts), with "names a need" read as every reader reads it (a need at
 * REFLECT_THRESHOLD or above, needsNamed), worked out once per turn: the base dialog's hook reads the message at
 * every component dialog it passes and the results step reads it again for a change of mind. understand() is a pure
 * function of the text, the lexicon and the needs found, so the same text, lexicon and language in the same turn
 * get the same answer; it is frozen so that no reader can change it for the next.
 */
export function understandOnce(context: TurnContext, matcher: Pick<Matching, 'detectNeeds'>, intents: IntentLexicon,
    text: string): Understanding {
    let read = context.turnState.get(TURN_UNDERSTOOD) as Map<IntentLexicon, Map<string, Understanding>> | undefined;
    if (!read) context.turnState.set(TURN_UNDERSTOOD, read = new Map());
    let ofLexicon = read.get(intents);
    if (!ofLexicon) read.set(intents, ofLexicon = new Map());
    const key = `${turnLocale()}\u0000${text}`;
    let found = ofLexicon.get(key);
    if (!found) {
        const namesNeed = (t: string) => needsNamed(context, matcher, t).some((n) => n.score >= REFLECT_THRESHOLD);
        ofLexicon.set(key, found = Object.freeze(understand(text, intents, namesNeed)));
    }
    return found;
}

/**
 * Whether "What would you like help with?" is the question on screen, so a bare "no" or "nothing" there is read as
 * nothing wanted (dialogs/understood.ts), not as words to find a need in.
 */
export function needsAsked(dc: DialogContext): boolean {
    for (let d: DialogContext | undefined = dc; d; d = d.child) {
        if (d.activeDialog?.id === FREE_TEXT_PROMPT) return true;
    }
    return false;
}

export interface NeedsDialogOptions {
    /** The message that started the conversation, if it may already say what matters. */
    text?: string;
    /** Go straight to the list of categories (the resident asked to change what they need). */
    choose?: boolean;
}

interface NeedsValues {
    candidates: string[];
    words?: string;
}

export class NeedsDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(NEEDS_DIALOG_ID);
        this.addDialog(new TextPrompt(FREE_TEXT_PROMPT))
            .addDialog(new TextPrompt(CONFIRM_PROMPT, async (p) => this.validateConfirm(p)))
            .addDialog(new TextPrompt(CATEGORY_PROMPT, async (p) => this.validateCategory(p)))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.askStep.bind(this),
                this.reflectStep.bind(this),
                this.confirmStep.bind(this),
                this.pickStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /** Uses the opening message when it already names a need; otherwise asks. */
    private async askStep(step: WaterfallStepContext) {
        const options = (step.options ?? {}) as NeedsDialogOptions;
        if (options.choose) return step.next(undefined);
        if (options.text && this.candidates(step.context, options.text).length) return step.next(options.text);
        return step.prompt(FREE_TEXT_PROMPT, { prompt: question(this.services.wording.text('askNeeds')) });
    }

    /** Says back what it understood, or offers the list when it could not tell. */
    private async reflectStep(step: WaterfallStepContext) {
        const values = step.values as NeedsValues;
        const text = step.result as string | undefined;
        values.candidates = text ? this.candidates(step.context, text) : [];
        let profile: ResidentProfile | undefined;
        if (text) {
            values.words = text.slice(0, MAX_OWN_WORDS);
            profile = await this.draft(step, text);
        }
        if (!values.candidates.length) {
            const intro = text ? this.services.wording.text('notSure') + ' ' : '';
            return step.prompt(CATEGORY_PROMPT, { prompt: question(intro + this.categoryList()) });
        }
        profile ??= await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(CONFIRM_PROMPT, { prompt: this.reflection(values.candidates, profile) });
    }

    /** Yes: done. Not quite: the list. New words: understood afresh. */
    private async confirmStep(step: WaterfallStepContext) {
        const values = step.values as NeedsValues;
        if (values.candidates.length === 0) return step.next(step.result); // came from the list already
        const answer = step.result as string;
        if (isYes(answer)) return step.next(undefined);
        const again = this.candidates(step.context, answer);
        if (again.length) {
            values.candidates = again;
            values.words = answer.slice(0, MAX_OWN_WORDS);
            return step.next(undefined);
        }
        // "Not quite, it's more that ...": their words so far, should they ask for a person before choosing.
        if (!isNo(answer)) await this.draft(step, answer);
        values.candidates = [];
        return step.prompt(CATEGORY_PROMPT, { prompt: question(this.categoryList()) });
    }

    /** Stores what was settled and ends. */
    private async pickStep(step: WaterfallStepContext) {
        const values = step.values as NeedsValues;
        let needs = values.candidates;
        if (!needs.length) {
            const text = step.result as string;
            needs = this.fromList(step.context, text);
            if (!needs.some((id) => this.services.matcher.askLabel(id) === text) && parsePick(text, 99) === undefined) {
                values.words = text.slice(0, MAX_OWN_WORDS);
            }
        }
        const profile = await this.services.profile.get(step.context, emptyProfile());
        noteConfirmed(profile, needs, values.words);
        await this.services.profile.set(step.context, profile);
        return step.endDialog(needs);
    }

    /**
     * Keeps the words in the profile before they are confirmed, so a request made now is never empty, and notes who
     * they say it is for (someone else: the questions then speak about "them"; src/conversation/behalf.ts).
     */
    private async draft(step: WaterfallStepContext, text: string): Promise<ResidentProfile> {
        const profile = await this.services.profile.get(step.context, emptyProfile());
        noteDraft(profile, text);
        if (noteWhoFor(profile, text, this.services.intents.who)) {
            const { behalf } = profile;
            this.services.log.info('behalf.noted', {
                channel: step.context.activity.channelId, about: behalf?.about, relation: behalf?.relation,
                professional: behalf?.professional === true,
            });
        }
        await this.services.profile.set(step.context, profile);
        return profile;
    }

    /** "It sounds like you'd like help with ...", or about them: "It sounds like your mum would like help with ...". */
    private reflection(candidates: string[], profile: ResidentProfile) {
        const { wording, matcher } = this.services;
        const them = forThem(profile);
        const needs = joinAndWith(candidates.map((id) => matcher.reflectLabel(id, them)), wording.text('and'));
        const text = them ? wording.text('reflectThem', { needs, who: whoPhrase(profile, wording) })
            : wording.text('reflect', { needs });
        return question(text, [wording.button('yesRight'), wording.button('notQuite')]);
    }

    private candidates(context: TurnContext, text: string): string[] {
        // What they say "not" to is not their need: "I'm lonely, I am not a carer either" is loneliness only.
        return needsNamed(context, this.services.matcher, withoutNegated(text, this.services.intents))
            .filter((n: NeedScore) => n.score >= REFLECT_THRESHOLD)
            .slice(0, MAX_REFLECTED)
            .map((n) => n.id);
    }

    /** A number or label from the list, or free text that names a need; empty when none. */
    private fromList(context: TurnContext, text: string): string[] {
        const { matcher } = this.services;
        const ids = matcher.needIds();
        const n = parsePick(text, ids.length);
        if (n) return [ids[n - 1]];
        const wanted = text.trim().toLowerCase();
        const byLabel = ids.find((id) => matcher.askLabel(id).toLowerCase() === wanted);
        if (byLabel) return [byLabel];
        return this.candidates(context, text);
    }

    private categoryList(): string {
        const { wording, matcher } = this.services;
        const labels = matcher.needIds().map((id) => matcher.askLabel(id));
        return `${wording.text('chooseNeed')}\n${numberedList(labels)}`;
    }

    /** Anything goes: yes, no, or the resident saying it again in other words. */
    private async validateConfirm(p: PromptValidatorContext<string>): Promise<boolean> {
        return Boolean(p.recognized.value?.trim());
    }

    private async validateCategory(p: PromptValidatorContext<string>): Promise<boolean> {
        if (this.fromList(p.context, p.recognized.value ?? '').length) return true;
        if (p.attemptCount <= 1) await p.context.sendActivity(this.services.wording.text('notSure'));
        return false;
    }
}
