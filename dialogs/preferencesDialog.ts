/**
 * How the resident would like to take part. The first time (the quick path, issue 16 "results sooner"), only what
 * is missing and useful is asked: what they already wrote is picked up (src/conversation/pickUp.ts), and the place
 * is asked only when the first suggestions meet in person and no place or "online" was given; everything else is
 * offered as a way to narrow the results down. After "change my answers" all five questions are asked: where, when,
 * cost, access needs and worries. Every question can be skipped; an answer the bot cannot read is asked once more,
 * then skipped kindly.
 */
import {
    ComponentDialog, TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult,
    type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Preferences } from '../src/matching/types';
import { emptyProfile } from '../src/conversation/profile';
import {
    isNoPreference, isSkip, parseAccess, parseCost, parseOnline, parsePlace, parseWhen, parseWorries,
} from '../src/conversation/parse';
import { question } from '../src/conversation/messages';
import { mergeWishes } from '../src/matching/wishes';
import { pickUp, withPickedUp, type PickedUp } from '../src/conversation/pickUp';
import { readWhen } from '../src/conversation/when';
import { buttonFor, textFor } from '../src/conversation/behalf';
import type { TextKey } from '../src/knowledge/wording';
import type { DialogServices } from '../src/conversation/services';

export const PREFERENCES_DIALOG_ID = 'preferencesDialog';
const WATERFALL = 'preferencesWaterfall';
/** The quick path: picks up what was said, asks the place only when it is needed. */
const QUICK_WATERFALL = 'preferencesQuick';

/** How the preferences are asked: `quick` the first time; all five questions otherwise ("change my answers"). */
export interface PreferencesOptions {
    quick?: boolean;
}
const WHERE_PROMPT = 'prefsWhere';
const WHEN_PROMPT = 'prefsWhen';
const ANSWER_PROMPT = 'prefsAnswer';

/** The preference questions, in the order the waterfall's steps ask them (step 0 asks where, and so on). */
export const PREFERENCE_QUESTIONS = ['where', 'when', 'cost', 'access', 'worries'] as const;
export type PreferenceQuestion = (typeof PREFERENCE_QUESTIONS)[number];

/**
 * The preference question waiting for an answer, read from the dialog stack, so that a message correcting an
 * earlier answer ("actually not mornings, afternoons") can be told from an answer to this one.
 */
export function preferenceAsked(dc: DialogContext): PreferenceQuestion | undefined {
    for (let d: DialogContext | undefined = dc; d; d = d.child) {
        const waterfall = d.stack.find((s) => s.id === WATERFALL);
        if (waterfall) return PREFERENCE_QUESTIONS[(waterfall.state as { stepIndex?: number }).stepIndex ?? -1];
        // The quick path asks one question only, the place, at its first step.
        const quick = d.stack.find((s) => s.id === QUICK_WATERFALL);
        if (quick) return (quick.state as { stepIndex?: number }).stepIndex === 0 ? 'where' : undefined;
    }
    return undefined;
}

/** How many of the first suggestions are looked at to tell whether a place matters. */
const PLACE_CHECK_PAGE = 3;

/** The names of the preferences known, for the log (never their values). */
function pickedFields(prefs: Preferences): string[] {
    return Object.keys(prefs).filter((k) => prefs[k as keyof Preferences] !== undefined).sort();
}

/** After this many unreadable answers to one question, the question is skipped rather than asked again. */
const MAX_TRIES = 2;

export class PreferencesDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(PREFERENCES_DIALOG_ID);
        this.addDialog(new TextPrompt(WHERE_PROMPT, async (p) => this.validateWhere(p)))
            .addDialog(new TextPrompt(WHEN_PROMPT, async (p) => this.validateWhen(p)))
            .addDialog(new TextPrompt(ANSWER_PROMPT))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.whereStep.bind(this),
                this.whenStep.bind(this),
                this.costStep.bind(this),
                this.accessStep.bind(this),
                this.worriesStep.bind(this),
                this.doneStep.bind(this),
            ]))
            .addDialog(new WaterfallDialog(QUICK_WATERFALL, [
                this.quickStep.bind(this),
                this.quickPlaceStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /** The quick path the first time; all five questions after "change my answers". */
    protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
        if ((options as PreferencesOptions | undefined)?.quick) return innerDc.beginDialog(QUICK_WATERFALL, options);
        return super.onBeginDialog(innerDc, options);
    }

    /**
     * Picks up what the resident already wrote (their words about the need and the message that confirmed it), then
     * asks where they are only if that is needed: no place and no "online" given, and the first suggestions meet in
     * person, so distance would change them. Otherwise the results come at once, with an offer to narrow them down.
     */
    private async quickStep(step: WaterfallStepContext) {
        const { wording, log } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const confirming = step.context.activity.text ?? '';
        for (const words of [profile.inOwnWords ?? '', confirming]) {
            if (!words) continue;
            const picked = this.pickUp(words);
            profile.prefs = mergeWishes(withPickedUp(profile.prefs, picked), this.services.matcher.readWishes(words));
            if (picked.openNow) profile.openNow = true;
        }
        await this.services.profile.set(step.context, profile);
        const placeNeeded = !profile.prefs.place && !profile.prefs.onlineOk && this.inPersonFirst(profile.needs);
        log.info('preferences.picked_up', {
            channel: step.context.activity.channelId, fields: pickedFields(profile.prefs).join(','), placeNeeded,
        });
        if (!placeNeeded) return step.endDialog(profile.prefs);
        const buttons = [wording.button('onlineFine'), wording.button('skip')];
        await step.context.sendActivity(textFor(profile, wording, 'needsThanksPlace'));
        return step.prompt(WHERE_PROMPT, {
            prompt: question(textFor(profile, wording, 'askWhere'), buttons),
            retryPrompt: question(wording.text('whereUnknown'), buttons),
        });
    }

    /** The place answer (or online, or skip), and anything else it says ("Eastfield, mornings"); then the results. */
    private async quickPlaceStep(step: WaterfallStepContext) {
        const { wording, matcher } = this.services;
        const answer = (step.result as string) ?? '';
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (!isSkip(answer)) {
            const online = parseOnline(answer);
            const place = online ? undefined : parsePlace(answer, (t) => matcher.resolvePlace(t));
            const picked: PickedUp = { ...this.pickUp(answer), ...(place ? { place } : {}) };
            profile.prefs = mergeWishes(withPickedUp(profile.prefs, picked), matcher.readWishes(answer));
            if (picked.openNow) profile.openNow = true;
            if (online) await step.context.sendActivity(wording.text('whereOnline'));
            else if (place) await step.context.sendActivity(wording.text('whereGot', { place: place.label }));
            await this.services.profile.set(step.context, profile);
        }
        return step.endDialog(profile.prefs);
    }

    /** What a message says about taking part, read with the app's places and clock. */
    private pickUp(text: string): PickedUp {
        const { matcher, intents, now } = this.services;
        return pickUp(text, { resolvePlace: (t) => matcher.resolvePlace(t), now: now(), intents });
    }

    /** Whether any of the first page of suggestions for these needs meets in person (then a place matters). */
    private inPersonFirst(needs: string[]): boolean {
        const { matcher } = this.services;
        const outcome = matcher.rank({
            needs: needs.map((id, i) => ({ id, score: Math.max(0.5, 1 - i * 0.15), evidence: [] })),
            prefs: {}, limit: PLACE_CHECK_PAGE, offset: 0,
        });
        return outcome.results.some((r) => matcher.opportunity(r.id)?.attending_type.includes('in-person'));
    }

    /** Where: a postcode, a place name, or online. */
    private async whereStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        await step.context.sendActivity(await this.said(step, 'needsThanks'));
        const buttons = [wording.button('onlineFine'), wording.button('skip')];
        return step.prompt(WHERE_PROMPT, {
            prompt: question(await this.said(step, 'askWhere'), buttons),
            retryPrompt: question(wording.text('whereUnknown'), buttons),
        });
    }

    /** When: days and times of day. */
    private async whenStep(step: WaterfallStepContext) {
        const { wording, matcher } = this.services;
        const answer = (step.result as string) ?? '';
        const prefs: Preferences = {};
        const online = parseOnline(answer);
        if (online) {
            prefs.onlineOk = true;
            if (online === 'only') prefs.onlineOnly = true;
            await step.context.sendActivity(wording.text('whereOnline'));
        } else if (!isSkip(answer)) {
            const place = parsePlace(answer, (t) => matcher.resolvePlace(t));
            if (place) {
                prefs.place = place;
                await step.context.sendActivity(wording.text('whereGot', { place: place.label }));
            }
        }
        await this.update(step, (p) => {
            delete p.place;
            delete p.onlineOk;
            delete p.onlineOnly;
            Object.assign(p, prefs);
        }, answer);
        const buttons = ['mornings', 'afternoons', 'evenings', 'weekends', 'anyTime'] as const;
        return step.prompt(WHEN_PROMPT, {
            prompt: question(await this.said(step, 'askWhen'), buttons.map((b) => wording.button(b))),
            retryPrompt: question(wording.text('whenUnknown'), buttons.map((b) => wording.button(b))),
        });
    }

    /** Cost: free only or not. */
    private async costStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const answer = (step.result as string) ?? '';
        const when = parseWhen(answer);
        await this.update(step, (p) => {
            delete p.days;
            delete p.times;
            delete p.notDays;
            delete p.notTimes;
            if (when?.days.length) p.days = when.days;
            if (when?.times.length) p.times = when.times;
        }, answer);
        // The answer replaces "open now" said before, unless it says it again: the results then look for its days.
        const { intents, now } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (readWhen(answer, now(), intents)?.openNow) profile.openNow = true;
        else delete profile.openNow;
        await this.services.profile.set(step.context, profile);
        return step.prompt(ANSWER_PROMPT, {
            prompt: question(textFor(profile, wording, 'askCost'),
                [wording.button('freeOnly'), buttonFor(profile, wording, 'canPay'), wording.button('skip')]),
        });
    }

    /** Access needs: wheelchair, hearing loop, BSL, quiet space and others. */
    private async accessStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const answer = step.result as string;
        const free = isSkip(answer) ? undefined : parseCost(answer);
        await this.update(step, (p) => {
            delete p.freeOnly;
            delete p.canPay;
            if (free) p.freeOnly = true;
        }, answer);
        const buttons = ['wheelchair', 'hearingLoop', 'bsl', 'quietSpace', 'nothingNeeded'] as const;
        return step.prompt(ANSWER_PROMPT, {
            prompt: question(await this.said(step, 'askAccess'), buttons.map((b) => wording.button(b))),
        });
    }

    /** Worries, such as going alone. */
    private async worriesStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const access = parseAccess(step.result as string);
        await this.update(step, (p) => {
            delete p.access;
            if (access.length) p.access = access;
        }, step.result as string);
        const buttons = ['notAlone', 'nervous', 'imOk'] as const;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(ANSWER_PROMPT, {
            prompt: question(textFor(profile, wording, 'askWorries'),
                buttons.map((b) => buttonFor(profile, wording, b))),
        });
    }

    private async doneStep(step: WaterfallStepContext) {
        const worries = parseWorries(step.result as string);
        const prefs = await this.update(step, (p) => {
            delete p.worries;
            if (worries.length) p.worries = worries;
        }, step.result as string);
        return step.endDialog(prefs);
    }

    /** A sentence of the wording, about "them" when the conversation is for someone else (issue 18). */
    private async said(step: WaterfallStepContext, key: TextKey): Promise<string> {
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return textFor(profile, this.services.wording, key);
    }

    /** Changes the stored preferences, then adds what the answer says besides (wishes: "not Sundays", "I can pay"). */
    private async update(step: WaterfallStepContext, change: (prefs: Preferences) => void, answer?: string):
        Promise<Preferences> {
        const profile = await this.services.profile.get(step.context, emptyProfile());
        change(profile.prefs);
        if (answer) profile.prefs = mergeWishes(profile.prefs, this.services.matcher.readWishes(answer));
        await this.services.profile.set(step.context, profile);
        return profile.prefs;
    }

    private async validateWhere(p: PromptValidatorContext<string>): Promise<boolean> {
        const text = p.recognized.value ?? '';
        const place = parsePlace(text, (t) => this.services.matcher.resolvePlace(t));
        if (isSkip(text) || parseOnline(text) || place || isNoPreference(text, this.services.intents)) return true;
        if (p.attemptCount >= MAX_TRIES) {
            p.recognized.value = 'skip';
            return true;
        }
        return false;
    }

    private async validateWhen(p: PromptValidatorContext<string>): Promise<boolean> {
        const text = p.recognized.value ?? '';
        // "no", "nah", "doesn't matter": no preference, the question answered (costStep then keeps no days or times).
        if (parseWhen(text) || isNoPreference(text, this.services.intents)) return true;
        if (p.attemptCount >= MAX_TRIES) {
            p.recognized.value = 'skip';
            return true;
        }
        return false;
    }
}
