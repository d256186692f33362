/**
 * Asks to be contacted by a community connector: how, the contact details, an optional name, a good time,
 * whether they would like an interpreter (only when they write in another language than English), and explicit
 * consent. Only with consent is a request stored; its reference is given only once it is saved. Then one
 * more question: may the connector read the chat too? Only with yes is the transcript copied into the request.
 */
import { TurnContext } from 'botbuilder';
import {
    ComponentDialog, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogContext, type DialogInstance,
    type DialogReason, type DialogTurnResult, type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { ContactMethod, Escalation } from '../src/storage/escalationRecord';
import { nextOpening, type NextOpening } from '../src/handoff/hours';
import type { IntakeResult } from '../src/handoff/intake';
import { escalationFrom } from '../src/handoff/newRequest';
import { capTranscript } from '../src/handoff/transcript';
import { errorKind } from '../src/log';
import { MAX_OWN_WORDS, emptyProfile, type ResidentProfile } from '../src/conversation/profile';
import { isNo, isSkip, isYes, parseEmail, parseUkPhone } from '../src/conversation/parse';
import { describePreferences } from '../src/conversation/preferences';
import { storyOf } from '../src/conversation/story';
import { REFLECT_THRESHOLD } from './needsDialog';
import { textAbout, textFor } from '../src/conversation/behalf';
import type { Agreement, ContactOf } from '../src/conversation/profile';
import { normalise } from '../src/conversation/understand';
import { question } from '../src/conversation/messages';
import type { DialogServices } from '../src/conversation/services';
import { CLIENT_ADDRESS_KEY } from '../src/conversation/turnState';
import { residentLanguageOf } from '../src/conversation/residentLanguage';

export const HANDOFF_DIALOG_ID = 'handoffDialog';
const WATERFALL = 'handoffWaterfall';
const METHOD_PROMPT = 'handoffMethod';
const CONTACT_PROMPT = 'handoffContact';
const NAME_PROMPT = 'handoffName';
const TIME_PROMPT = 'handoffTime';
const INTERPRETER_PROMPT = 'handoffInterpreter';
/**
 * The interpreter question and then the consent question, as a dialog of its own started from the consent step: the
 * hand-off's own steps stay as they were, so a conversation stored mid-request by an earlier release carries on.
 */
const INTERPRETER_WATERFALL = 'handoffInterpreterWaterfall';
const CONSENT_PROMPT = 'handoffConsent';
const SHARE_CHAT_PROMPT = 'handoffShareChat';
/** Asked first when the request is for someone else, or may be (issue 18): then the questions above. */
const BEHALF_WATERFALL = 'handoffBehalf';
const WHO_FOR_PROMPT = 'handoffWhoFor';
const AGREES_PROMPT = 'handoffAgrees';
/** Whom the connector should contact, the asker or the person, asked when the person knows and agrees. */
const CONTACT_WHO_PROMPT = 'handoffContactWho';

const MAX_NAME = 60;
/** Instance state: when the hand-off began (ISO), so its part of the transcript can be removed if nothing is kept. */
const TRANSCRIPT_FROM = 'transcriptFrom';
/** turnState key: set once a request is stored in this turn. */
const SAVED = 'signpost.handoffSaved';

/** What the interpreter dialog gives back to the hand-off: the interpreter answer, and the consent answer as typed. */
interface InterpreterAnswers {
    interpreter: boolean;
    consent: string;
}

/** How the hand-off begins: `method` skips the question of how (a call-back asked for by name is a phone call). */
export interface HandoffOptions {
    method?: ContactMethod;
}

interface HandoffValues {
    method: ContactMethod;
    contact: string;
    name?: string;
    bestTime?: string;
    /** The resident's language (residentLanguageOf), and their answer to the interpreter question when asked. */
    language?: string;
    interpreter?: boolean;
    consented?: boolean;
}

export class HandoffDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(HANDOFF_DIALOG_ID);
        this.addDialog(new TextPrompt(METHOD_PROMPT, async (p) => this.methodOf(p.recognized.value) !== undefined))
            .addDialog(new TextPrompt(CONTACT_PROMPT, async (p) => this.validateContact(p)))
            .addDialog(new TextPrompt(NAME_PROMPT))
            .addDialog(new TextPrompt(TIME_PROMPT))
            .addDialog(new TextPrompt(INTERPRETER_PROMPT, async (p) => this.interpreterAnswer(p.recognized.value)
                !== undefined))
            .addDialog(new TextPrompt(CONSENT_PROMPT, yesOrNo))
            .addDialog(new TextPrompt(SHARE_CHAT_PROMPT, yesOrNo))
            // Any answer goes on: one the bot cannot read is not asked again (the request is not held up for it).
            .addDialog(new TextPrompt(WHO_FOR_PROMPT))
            .addDialog(new TextPrompt(AGREES_PROMPT))
            .addDialog(new TextPrompt(CONTACT_WHO_PROMPT))
            // A step added at the end only, so a conversation stored at an earlier step by an earlier release goes on.
            .addDialog(new WaterfallDialog(BEHALF_WATERFALL, [
                this.whoForStep.bind(this),
                this.agreesStep.bind(this),
                this.behalfDoneStep.bind(this),
                this.contactWhoStep.bind(this),
            ]))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.methodStep.bind(this),
                this.contactStep.bind(this),
                this.nameStep.bind(this),
                this.timeStep.bind(this),
                this.consentStep.bind(this),
                this.shareChatStep.bind(this),
                this.saveStep.bind(this),
            ]))
            .addDialog(new WaterfallDialog(INTERPRETER_WATERFALL, [
                this.interpreterStep.bind(this),
                this.interpreterConsentStep.bind(this),
                this.interpreterDoneStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /**
     * Notes where the hand-off began (the time of the transcript's last entry: entries' times only go forward),
     * then runs it.
     */
    override async beginDialog(outerDC: DialogContext, options?: object): Promise<DialogTurnResult> {
        if (outerDC.activeDialog) {
            const entries = this.services.transcript ? await this.services.transcript.get(outerDC.context, []) : [];
            outerDC.activeDialog.state[TRANSCRIPT_FROM] = entries.length
                ? entries[entries.length - 1].at : new Date(0).toISOString();
        }
        return super.beginDialog(outerDC, options);
    }

    /**
     * A way out at every question: "don't call me", "actually no, I'm ok" or "cancel" calls the request off, kindly
     * and saying so; nothing is kept (see onEndDialog), and the step the resident was on before, if any, is asked
     * again. On SMS a bare STOP never gets here: the channel stops everything first.
     */
    protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        const { wording, log } = this.services;
        const text = innerDc.context.activity.text ?? '';
        if (wording.command(text) !== 'cancel' && !wording.callsOff(text)) {
            return (await this.switchMethod(innerDc, text)) ?? super.onContinueDialog(innerDc);
        }
        const profile = await this.services.profile.get(innerDc.context, emptyProfile());
        const lines = [wording.text('handoffCalledOff')];
        // After crisis routes the request would have been urgent: the numbers for now are said again.
        if (profile.crisisShown) lines.push(wording.text('crisisNumbersAgain'));
        await innerDc.context.sendActivity(lines.join('\n'));
        log.info('handoff.called_off', { channel: innerDc.context.activity.channelId, urgent: profile.crisisShown });
        await innerDc.cancelAllDialogs();
        return { status: DialogTurnStatus.cancelled };
    }

    /**
     * At the number or address question, "actually can they email me instead" asks for the other way: the question
     * for that way is asked, not "that doesn't look like a phone number". Only when the answer holds no number or
     * address for the way asked, so "call me on 07700 900123" is still the number.
     */
    private async switchMethod(innerDc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
        if (innerDc.activeDialog?.id !== CONTACT_PROMPT) return undefined;
        const waterfall = innerDc.stack.find((s) => s.id === WATERFALL);
        const values = (waterfall?.state as { values?: HandoffValues } | undefined)?.values;
        const method = methodNamed(text);
        if (!values || !method || method === values.method) return undefined;
        if (values.method === 'email' ? parseEmail(text) : parseUkPhone(text)) return undefined;
        this.services.log.info('handoff.method_changed', { channel: innerDc.context.activity.channelId, method });
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(WATERFALL, { method } satisfies HandoffOptions);
    }

    /**
     * For someone else, or perhaps (issue 18): who it is for (only when unclear) and whether they know and agree,
     * before the usual questions. Not after crisis routes: an urgent call-back asks nothing it can do without.
     */
    protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
        const profile = await this.services.profile.get(innerDc.context, emptyProfile());
        if (profile.behalf && !profile.crisisShown) return innerDc.beginDialog(BEHALF_WATERFALL, options);
        return super.onBeginDialog(innerDc, options);
    }

    /** "Is this for you, or for someone else?", only when their words left it unclear ("my mum and me"). */
    private async whoForStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (profile.behalf?.about === 'other') return step.next(undefined);
        const buttons = [wording.button('forMe'), wording.button('forSomeoneElse'), wording.button('forMyWork')];
        return step.prompt(WHO_FOR_PROMPT, {
            prompt: question(wording.text('askWhoFor'), buttons),
            retryPrompt: question(wording.text('askWhoFor'), buttons),
        });
    }

    /** For someone else: does the person know, and are they happy for us to help? */
    private async agreesStep(step: WaterfallStepContext) {
        const { wording, log } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const answer = step.result as string | undefined;
        const who = answer === undefined ? undefined : this.whoForOf(answer);
        // An answer that is neither ("phone me"): it stays unclear, and the usual questions follow.
        if (answer !== undefined && who === undefined) return step.replaceDialog(WATERFALL, this.goOn(step, answer));
        if (who !== undefined && profile.behalf) {
            if (who === 'me') delete profile.behalf;
            else {
                const professional = who === 'work' ? { professional: true } : {};
                profile.behalf = { ...profile.behalf, about: 'other', ...professional };
            }
            await this.services.profile.set(step.context, profile);
            log.info('behalf.answered', { channel: step.context.activity.channelId, who });
        }
        if (!profile.behalf) return step.replaceDialog(WATERFALL, step.options);
        const text = textAbout(profile, wording, 'askAgrees');
        const buttons = [wording.button('agreesYes'), wording.button('agreesNo'), wording.button('agreesNotSure')];
        return step.prompt(AGREES_PROMPT, { prompt: question(text, buttons), retryPrompt: question(text, buttons) });
    }

    /**
     * Notes the answer and says plainly that the person's own OK is usually needed. When the person knows and is
     * happy for us to help, asks whom the connector should contact (them or the asker); otherwise the connector
     * contacts the asker, who can talk with them about how to ask, and the usual questions follow.
     */
    private async behalfDoneStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const agrees = agreementOf(step.result as string);
        if (profile.behalf) {
            if (agrees) profile.behalf.agrees = agrees;
            // Asked afresh each time: a second request in the conversation may be to contact someone else.
            delete profile.behalf.contact;
            await this.services.profile.set(step.context, profile);
        }
        await step.context.sendActivity(textAbout(profile, wording, 'agreementNeeded'));
        if (agrees !== 'yes' || profile.behalf?.about !== 'other') {
            return step.replaceDialog(WATERFALL, agrees ? step.options : this.goOn(step, step.result as string));
        }
        const text = textAbout(profile, wording, 'askContactWho');
        const buttons = [wording.button('contactMe'), wording.button('contactThem')];
        return step.prompt(CONTACT_WHO_PROMPT,
            { prompt: question(text, buttons), retryPrompt: question(text, buttons) });
    }

    /**
     * Notes whom the connector should contact ("she'd like a phone call": the person, by phone), then the usual
     * questions, about the person's number when it is theirs. An answer that says neither: the asker, as before.
     */
    private async contactWhoStep(step: WaterfallStepContext) {
        const answer = (step.result as string | undefined) ?? '';
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const contact = this.contactOf(answer, profile);
        if (profile.behalf) {
            profile.behalf.contact = contact ?? 'asker';
            await this.services.profile.set(step.context, profile);
        }
        this.services.log.info('behalf.contact', { channel: step.context.activity.channelId,
            contact: contact ?? 'asker', read: contact !== undefined });
        return step.replaceDialog(WATERFALL, this.goOn(step, answer));
    }

    /**
     * The asker or the person, from the answer to "Who should the connector get in touch with?": a button, the asker
     * in the first person ("me", "ring me": "they can call me" is the connector calling the asker), or the person
     * ("her", "she'd like a phone call", "my nan"); undefined when it says neither.
     */
    private contactOf(text: string, profile: ResidentProfile): ContactOf | undefined {
        const { wording } = this.services;
        const t = normalise(text);
        if (t === normalise(wording.button('contactMe'))) return 'asker';
        if (t === normalise(wording.button('contactThem'))) return 'person';
        if (/\b(?:me|myself|mine|i|i'm|i'd|im|us|we)\b/.test(t)) return 'asker';
        const word = profile.behalf?.word;
        const named = word !== undefined && new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)
            .test(t);
        if (named || /\b(?:she|she'?s|she'?d|her|he|he'?s|he'?d|him|they|they'?d|them|their|the person)\b/.test(t)) {
            return 'person';
        }
        return undefined;
    }

    /** The usual questions, with the way of contact an unexpected answer named ("text me"), if it named one. */
    private goOn(step: WaterfallStepContext, answer: string): HandoffOptions {
        const options = (step.options ?? {}) as HandoffOptions;
        const method = methodNamed(answer ?? '');
        return method ? { ...options, method } : options;
    }

    /** For me, for someone else, or for someone I support at work; undefined when the answer says none of these. */
    private whoForOf(text: string | undefined): 'me' | 'other' | 'work' | undefined {
        const { wording } = this.services;
        const t = normalise(text ?? '');
        if (t === normalise(wording.button('forMyWork')) || /\b(?:work|client|patient|professional)\b/.test(t)) {
            return 'work';
        }
        const other = /\b(?:someone|somebody|them|him|her|else|my)\b/;
        if (t === normalise(wording.button('forSomeoneElse')) || other.test(t)) {
            return 'other';
        }
        if (t === normalise(wording.button('forMe')) || /\b(?:me|myself|mine|i am|i'm)\b/.test(t)) return 'me';
        return undefined;
    }

    /**
     * When the hand-off ends without a stored request (refused, cancelled, failed), what was said during it (their
     * contact details) is taken out of the running transcript too, so nothing of it is kept.
     */
    protected override async onEndDialog(context: TurnContext, instance: DialogInstance, _reason: DialogReason) {
        const from = instance.state?.[TRANSCRIPT_FROM] as string | undefined;
        const transcript = this.services.transcript;
        if (context.turnState.get(SAVED) || !from || !transcript) return;
        const entries = await transcript.get(context, []);
        await transcript.set(context, entries.filter((e) => e.at <= from));
    }

    /** How to get in touch: phone, text or e-mail (unless the resident already said). */
    private async methodStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const given = (step.options as HandoffOptions | undefined)?.method;
        if (given) return step.next(given);
        const buttons = [wording.button('phoneCall'), wording.button('textMessage'), wording.button('email')];
        const ask = textFor(await this.services.profile.get(step.context, emptyProfile()), wording, 'askMethod');
        return step.prompt(METHOD_PROMPT, {
            prompt: question(ask, buttons),
            retryPrompt: question(ask, buttons),
        });
    }

    /** The number or address to use. */
    private async contactStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const method = this.methodOf(step.result as string) as ContactMethod;
        (step.values as HandoffValues).method = method;
        const ask = method === 'email' ? 'askEmail' : 'askPhone';
        const retry = method === 'email' ? 'badEmail' : 'badPhone';
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(CONTACT_PROMPT, {
            prompt: question(textFor(profile, wording, ask)),
            retryPrompt: question(wording.text(retry)),
            validations: { method },
        });
    }

    /** What to call them; optional. */
    private async nameStep(step: WaterfallStepContext) {
        const values = step.values as HandoffValues;
        const raw = step.result as string;
        values.contact = (values.method === 'email' ? parseEmail(raw) : parseUkPhone(raw)) as string;
        const { wording } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(NAME_PROMPT,
            { prompt: question(textFor(profile, wording, 'askName'), [wording.button('skip')]) });
    }

    /** A good time to get in touch. */
    private async timeStep(step: WaterfallStepContext) {
        const values = step.values as HandoffValues;
        const name = (step.result as string).trim();
        if (name && !isSkip(name)) values.name = name.slice(0, MAX_NAME);
        const { wording } = this.services;
        const buttons = [
            wording.button('mornings'), wording.button('afternoons'), wording.button('evenings'),
            wording.button('anyTime'),
        ];
        const profile = await this.services.profile.get(step.context, emptyProfile());
        return step.prompt(TIME_PROMPT, { prompt: question(textFor(profile, wording, 'askTime'), buttons) });
    }

    /**
     * Explicit consent to share, with what is shared and for how long; first, when the resident's language
     * (residentLanguageOf) is not English, whether they would like an interpreter (the interpreter dialog asks both).
     */
    private async consentStep(step: WaterfallStepContext) {
        const values = step.values as HandoffValues;
        const time = (step.result as string).trim();
        if (time && !isSkip(time)) values.bestTime = time.slice(0, 60);
        const identify = (t: string) => this.services.matcher.language(t);
        // The conversation's language when the resident chose one (Welsh, Polish); else what their messages are in.
        const chosen = this.services.wording.locale;
        values.language = residentLanguageOf(await this.residentMessages(step), identify,
            chosen === 'en' ? undefined : chosen);
        if (values.language !== 'en') return step.beginDialog(INTERPRETER_WATERFALL);
        return step.prompt(CONSENT_PROMPT, await this.consentQuestion(step));
    }

    /** The consent question, with what is shared and for how long (in words for the asker when for someone else). */
    private async consentQuestion(step: WaterfallStepContext) {
        const { wording, settings } = this.services;
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const text = textFor(profile, wording, 'askConsent', {
            serviceName: settings.serviceName,
            referralDays: settings.referralDays,
        });
        const buttons = [wording.button('agree'), wording.button('disagree')];
        return { prompt: question(text, buttons), retryPrompt: question(text, buttons) };
    }

    /** Would you like an interpreter? (The resident writes in another language than English.) */
    private async interpreterStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const buttons = [wording.button('yesPlease'), wording.button('noThanks')];
        const ask = question(wording.interpreter.ask, buttons);
        return step.prompt(INTERPRETER_PROMPT, { prompt: ask, retryPrompt: ask });
    }

    /** Keeps the answer, says so after a yes, then asks for consent. */
    private async interpreterConsentStep(step: WaterfallStepContext) {
        const interpreter = this.interpreterAnswer(step.result as string) ?? false;
        (step.values as { interpreter?: boolean }).interpreter = interpreter;
        if (interpreter) await step.context.sendActivity(this.services.wording.interpreter.noted);
        return step.prompt(CONSENT_PROMPT, await this.consentQuestion(step));
    }

    /** Back to the hand-off with both answers. */
    private async interpreterDoneStep(step: WaterfallStepContext) {
        const answer: InterpreterAnswers = {
            interpreter: (step.values as { interpreter?: boolean }).interpreter ?? false,
            consent: step.result as string,
        };
        return step.endDialog(answer);
    }

    /** Without consent nothing is kept; with it, asks whether the connector may also read this chat. */
    private async shareChatStep(step: WaterfallStepContext) {
        const { wording, log } = this.services;
        const values = step.values as HandoffValues;
        let consent = step.result as string | InterpreterAnswers;
        if (typeof consent === 'object') {
            values.interpreter = consent.interpreter;
            consent = consent.consent;
        }
        if (!isYes(consent)) {
            await step.context.sendActivity(wording.text('consentNo'));
            log.info('handoff.consent_refused', { channel: step.context.activity.channelId });
            return step.endDialog();
        }
        values.consented = true;
        const text = wording.text('askShareChat');
        const buttons = [wording.button('shareChat'), wording.button('dontShareChat')];
        return step.prompt(SHARE_CHAT_PROMPT, {
            prompt: question(text, buttons), retryPrompt: question(text, buttons),
        });
    }

    /** Saves the request (consent was given), with the chat only if they agreed, then gives the reference. */
    private async saveStep(step: WaterfallStepContext) {
        const { wording, settings, log } = this.services;
        const values = step.values as HandoffValues;
        const shareChat = isYes(step.result as string);
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const said = await this.wordsBefore(step);
        const escalation = this.escalationFrom(step, values, profile, said, textFor(profile, wording, 'askConsent', {
            serviceName: settings.serviceName,
            referralDays: settings.referralDays,
        }));
        escalation.consent.transcriptShared = false;
        if (shareChat && this.services.transcript) {
            const transcript = capTranscript(await this.services.transcript.get(step.context, []));
            if (transcript.length) {
                escalation.transcript = transcript;
                escalation.consent.transcriptShared = true;
            }
        }
        let result: IntakeResult;
        try {
            result = await this.services.intake.submit(escalation, step.context.turnState.get(CLIENT_ADDRESS_KEY));
        } catch (err) {
            log.error('handoff.save_failed', { error: errorKind(err) });
            await step.context.sendActivity(wording.text('handoffFailed'));
            return step.endDialog();
        }
        if (result.kind === 'refused') {
            // Over a limit on making requests: nothing is kept, and the numbers to call now are given.
            await step.context.sendActivity(wording.text('handoffLimited'));
            return step.endDialog();
        }
        step.context.turnState.set(SAVED, true);
        const stored = result.escalation;
        // The stored request's way of contact: a repeat by text of a phone request is the same number, and the
        // connector uses what the request says (the audit line notes the one asked for this time).
        // In the words of the resident's language ("phone call", "alwad ffôn", "telefonicznie").
        const method = wording.text(METHOD_WORDS[stored.contact.method]);
        const urgent = stored.priority === 'urgent';
        let done: string;
        if (result.kind === 'merged') {
            // Only ever this resident's own request (src/handoff/intake.ts): anyone else is never told of one.
            await this.services.notifier.changed(stored);
            done = wording.text(urgent ? 'handoffRepeatedUrgent' : 'handoffRepeated',
                { reference: stored.reference, method });
        } else {
            log.info('handoff.created', {
                escalation: stored.id, priority: stored.priority, transcript: stored.consent.transcriptShared,
                sameContact: stored.sameContactAs?.length ?? 0,
            });
            await this.services.notifier.created(stored);
            // Urgent (crisis routes were shown): no promise of days, and the routes for now are said again.
            done = wording.text(urgent ? 'handoffDoneUrgent' : 'handoffDone',
                { reference: stored.reference, method, responseDays: settings.responseDays });
        }
        const opening = settings.connectorHours && nextOpening(this.services.now(), settings.connectorHours);
        const later = opening ? `\n${wording.text('handoffOutOfHours', {
            day: openingDay(opening, wording), time: opening.time,
        })}` : '';
        await step.context.sendActivity(`${done}${later}`);
        return step.endDialog(stored.reference);
    }

    /**
     * What the resident wrote before this request began, for a request whose story has no words yet (asked for
     * straight after crisis routes, or in the first message): their messages, not the commands, capped.
     */
    private async wordsBefore(step: WaterfallStepContext): Promise<string | undefined> {
        const { transcript, wording } = this.services;
        if (!transcript) return undefined;
        let from: string | undefined;
        for (let dc: DialogContext | undefined = step; dc && !from; dc = dc.parent) {
            if (dc.activeDialog?.id === HANDOFF_DIALOG_ID) from = dc.activeDialog.state?.[TRANSCRIPT_FROM] as string;
        }
        const lines = (await transcript.get(step.context, []))
            .filter((e) => e.from === 'resident' && (!from || e.at <= from) && !wording.command(e.text))
            .map((e) => e.text.trim()).filter(Boolean);
        return lines.join('\n').slice(0, MAX_OWN_WORDS) || undefined;
    }

    /** Yes or no to the interpreter question, in English (knowledge/intents) or another language; else undefined. */
    private interpreterAnswer(text: string | undefined): boolean | undefined {
        const t = (text ?? '').trim();
        const { wording, intents } = this.services;
        const said = (words: readonly string[]) => words.some((w) => normaliseAnswer(w) === normaliseAnswer(t));
        if (said(wording.interpreter.yes) || t === wording.button('yesPlease') || isYes(t, intents)) return true;
        if (said(wording.interpreter.no) || t === wording.button('noThanks') || isNo(t, intents)) return false;
        return undefined;
    }

    /** The resident's messages before this request began, from the running transcript (none without one). */
    private async residentMessages(step: WaterfallStepContext): Promise<string[]> {
        const { transcript, wording } = this.services;
        if (!transcript) return [];
        let from: string | undefined;
        for (let dc: DialogContext | undefined = step; dc && !from; dc = dc.parent) {
            if (dc.activeDialog?.id === HANDOFF_DIALOG_ID) from = dc.activeDialog.state?.[TRANSCRIPT_FROM] as string;
        }
        return (await transcript.get(step.context, []))
            .filter((e) => e.from === 'resident' && (!from || e.at <= from) && !wording.command(e.text))
            .map((e) => e.text);
    }

    private escalationFrom(step: WaterfallStepContext, values: HandoffValues, profile: ResidentProfile,
        said: string | undefined, consentWording: string): Escalation {
        const activity = step.context.activity;
        const { matcher, wording } = this.services;
        // The whole story: every need confirmed, their own words for each, everything suggested (story.ts).
        const story = storyOf(profile, (id) => matcher.askLabel(id));
        const words = story.inOwnWords ?? said;
        // Nothing confirmed yet: the needs their own words point to, as the needs dialog would have reflected them.
        const needs = story.needs.length || !words ? story.needs
            : matcher.detectNeeds(words).filter((n) => n.score >= REFLECT_THRESHOLD).slice(0, 3).map((n) => n.id);
        return escalationFrom({
            now: this.services.now(),
            channelId: activity.channelId,
            userId: activity.from.id,
            conversationId: activity.conversation.id,
            contact: { method: values.method, value: values.contact, name: values.name, bestTime: values.bestTime },
            summary: {
                needs,
                // Never empty: without words in the story, what they wrote before asking (postcodes already cut).
                ...(words ? { inOwnWords: words } : {}),
                preferences: describePreferences(profile.prefs, wording),
                suggested: story.suggested.map((id) => ({ id, name: matcher.opportunity(id)?.name ?? id })),
                crisisShown: profile.crisisShown,
            },
            consentWording,
            language: {
                code: values.language ?? 'en',
                ...(values.interpreter !== undefined ? { interpreter: values.interpreter } : {}),
            },
            responseDays: this.services.settings.responseDays,
            connectorHours: this.services.settings.connectorHours,
            conversationReference: conversationReferenceOf(step.context),
            ...(profile.behalf?.about === 'other' ? { onBehalf: {
                ...(profile.behalf.relation ? { relation: profile.behalf.relation } : {}),
                ...(profile.behalf.word ? { word: profile.behalf.word } : {}),
                professional: profile.behalf.professional === true,
                ...(profile.behalf.agrees ? { agrees: profile.behalf.agrees } : {}),
                ...(profile.behalf.contact ? { contactOf: profile.behalf.contact } : {}),
            } } : {}),
        });
    }

    private methodOf(text: string | undefined): ContactMethod | undefined {
        const t = (text ?? '').toLowerCase();
        // A button of the resident's language ("Galwad ffôn", "Telefon"), as pressed or typed.
        const { wording } = this.services;
        const pressed = (Object.keys(METHOD_BUTTONS) as ContactMethod[])
            .find((m) => wording.button(METHOD_BUTTONS[m]).toLowerCase() === t.trim());
        if (pressed) return pressed;
        if (/e-?mail/.test(t)) return 'email';
        if (/\btext|sms\b/.test(t)) return 'text';
        if (/phone|call|ring/.test(t)) return 'phone';
        return undefined;
    }

    private async validateContact(p: PromptValidatorContext<string>): Promise<boolean> {
        const method = (p.options.validations as { method: ContactMethod }).method;
        const text = p.recognized.value ?? '';
        return method === 'email' ? parseEmail(text) !== undefined : parseUkPhone(text) !== undefined;
    }
}

/** The way to get in touch a sentence names, as whole words ("can they email me instead"), if any. */
function methodNamed(text: string): ContactMethod | undefined {
    const t = text.toLowerCase();
    if (/\be-?mail(ed|ing)?\b/.test(t)) return 'email';
    if (/\b(text|texts|texted|txt|sms)\b/.test(t)) return 'text';
    if (/\b(phone|call|ring)\b/.test(t)) return 'phone';
    return undefined;
}

/** An answer as compared with the interpreter question's words: lower case, no marks, no punctuation. */
function normaliseAnswer(text: string): string {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ł/g, 'l')
        .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Yes, no or not sure, to "does the person know, and are they happy for us to help?". */
function agreementOf(text: string | undefined): Agreement | undefined {
    const t = normalise(text ?? '');
    if (/\b(?:not sure|unsure|don'?t know|dunno|no idea|maybe|not yet|kind of|sort of)\b/.test(t)) return 'unsure';
    if (isYes(t)) return 'yes';
    if (isNo(t)) return 'no';
    return undefined;
}

/** A yes/no prompt's validator. */
/** "later today", "tomorrow" or "on Monday", in the resident's language (wording `opening*`, `why.weekdays`). */
function openingDay(opening: NextOpening, wording: DialogServices['wording']): string {
    if (opening.ahead === 0) return wording.text('openingLaterToday');
    if (opening.ahead === 1) return wording.text('openingTomorrow');
    const weekday = wording.why.weekdays?.[opening.weekday];
    return weekday ? wording.text('openingOn', { weekday }) : opening.day;
}

/** Each way of getting in touch: its button, and its word in the hand-off's last sentence. */
const METHOD_BUTTONS: Record<ContactMethod, 'phoneCall' | 'textMessage' | 'email'> = {
    phone: 'phoneCall', text: 'textMessage', email: 'email',
};
const METHOD_WORDS: Record<ContactMethod, 'methodPhone' | 'methodText' | 'methodEmail'> = {
    phone: 'methodPhone', text: 'methodText', email: 'methodEmail',
};

async function yesOrNo(p: PromptValidatorContext<string>): Promise<boolean> {
    const t = p.recognized.value ?? '';
    return isYes(t) || isNo(t);
}

/**
 * Where this conversation is, for a connector's proactive messages, as plain data. The resident's display name is
 * left out: a connector uses the name the resident chose to give, and the reference needs only ids.
 */
export function conversationReferenceOf(context: TurnContext): Record<string, unknown> {
    const reference = TurnContext.getConversationReference(context.activity);
    const { name: _name, ...user } = reference.user ?? { id: '' };
    return JSON.parse(JSON.stringify({ ...reference, user })) as Record<string, unknown>;
}
