/**
 * The resident's saved list (issue 21): keeping suggestions ("save 2"), seeing the list ("my list"), printing it
 * (the website chat), saying a listing is wrong ("number 2 has closed"), and sending the list by text or e-mail
 * (the send dialog). The number or address is asked for last, used in the same turn to send, and forgotten: it is
 * never in the dialog's values, the profile or the transcript after the turn.
 */
import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from 'botbuilder';
import {
    ComponentDialog, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogContext, type DialogTurnResult,
    type PromptValidatorContext, type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { SMS_CHANNEL_ID, TEAMS_CHANNEL_ID, TERMINAL_CHANNEL_ID } from '../src/channelIds';
import {
    addToList, emailAddress, isSensitive, listMessage, savedItem, savedListText, sendKey, ukMobileE164,
} from '../src/conversation/keep';
import { joinAndWith, question, withContent } from '../src/conversation/messages';
import { isNo, isYes } from '../src/conversation/parse';
import { emptyProfile, type ResidentProfile } from '../src/conversation/profile';
import { REPLACE_MESSAGE_AFTER_TURN } from '../src/conversation/turnState';
import type { DialogServices } from '../src/conversation/services';
import { phrasesAnywhere, normalise, type ListAction } from '../src/conversation/understand';
import type { Opportunity } from '../src/knowledge/schema';
import type { OutboundKind, SendResult } from '../src/sending/port';
import { errorKind } from '../src/log';
import { PAGE_SIZE, RECOMMENDATIONS_DIALOG_ID, type RecommendationsOptions } from './recommendationsDialog';

export const SEND_DIALOG_ID = 'sendDialog';
const WATERFALL = 'sendWaterfall';
const CHOICE_PROMPT = 'sendChoice';
const ADDRESS_PROMPT = 'sendAddress';

/** How many tries at a number or address before the bot stops asking (and sends nothing). */
const ADDRESS_TRIES = 3;

/** What "send me these" asked for: by text or e-mail, when the resident said. */
export interface SendOptions {
    via?: OutboundKind;
}

interface SendValues {
    via?: OutboundKind;
    asked?: 'how' | 'confirm' | 'sensitive';
    leaveOut?: boolean;
    /** On SMS with no text sender: the list goes as a reply in this text conversation, to the same phone. */
    inChat?: boolean;
}

/** True on the channels that show the website chat's page, where the list can be printed. */
function canPrint(channelId: string): boolean {
    return channelId !== SMS_CHANNEL_ID && channelId !== TEAMS_CHANNEL_ID && channelId !== TERMINAL_CHANNEL_ID;
}

/** The saved listings that are still in the directory, in the order saved. */
function savedListings(profile: ResidentProfile, services: DialogServices): Opportunity[] {
    return (profile.saved ?? []).map((id) => services.matcher.opportunity(id)).filter((o) => o !== undefined);
}

/** Asks how to send, then (for a sensitive need) whether to leave out what the services are for, then where. */
export class SendDialog extends ComponentDialog {
    constructor(private readonly services: DialogServices) {
        super(SEND_DIALOG_ID);
        this.addDialog(new TextPrompt(CHOICE_PROMPT))
            .addDialog(new TextPrompt(ADDRESS_PROMPT, async (p) => this.validateAddress(p)))
            .addDialog(new WaterfallDialog(WATERFALL, [
                this.howStep.bind(this), this.sensitiveStep.bind(this), this.addressStep.bind(this),
                this.sendStep.bind(this),
            ]));
        this.initialDialogId = WATERFALL;
    }

    /** By text or e-mail: on SMS, to this number (confirmed); elsewhere as asked, or the one kind there is. */
    private async howStep(step: WaterfallStepContext) {
        const { wording } = this.services;
        const kinds = this.services.sender?.kinds ?? [];
        const values = step.values as SendValues;
        const options = (step.options ?? {}) as SendOptions;
        if (step.context.activity.channelId === SMS_CHANNEL_ID) {
            // Already on their phone: with no text sender it comes as a reply here, which reaches the same place.
            values.inChat = !kinds.includes('sms');
            values.via = 'sms';
            values.asked = 'confirm';
            return step.prompt(CHOICE_PROMPT, {
                prompt: question(wording.text('sendSmsConfirm'),
                    [wording.button('yesPlease'), wording.button('noThanks')]),
            });
        }
        const via = options.via && kinds.includes(options.via) ? options.via
            : kinds.length === 1 ? kinds[0] : undefined;
        if (via) {
            values.via = via;
            return step.next();
        }
        values.asked = 'how';
        const buttons = [
            ...(kinds.includes('sms') ? [wording.button('textMessage')] : []),
            ...(kinds.includes('email') ? [wording.button('email')] : []),
        ];
        return step.prompt(CHOICE_PROMPT, { prompt: question(wording.text('sendHow'), buttons) });
    }

    /** Reads how; for a list with a sensitive need, asks whether to leave out what the services are for. */
    private async sensitiveStep(step: WaterfallStepContext) {
        const { wording, intents } = this.services;
        const values = step.values as SendValues;
        const answer = typeof step.result === 'string' ? step.result : '';
        if (values.asked === 'confirm' && !isYes(answer, intents)) return this.cancelled(step);
        if (values.asked === 'how') {
            values.via = this.kindIn(answer);
            if (!values.via) {
                if (isNo(answer, intents)) return this.cancelled(step);
                return step.replaceDialog(WATERFALL, step.options);
            }
        }
        const profile = await this.services.profile.get(step.context, emptyProfile());
        if (!savedListings(profile, this.services).some(isSensitive)) {
            values.asked = undefined;
            return step.next();
        }
        values.asked = 'sensitive';
        return step.prompt(CHOICE_PROMPT, {
            prompt: question(wording.text('sendSensitive'), [wording.button('leaveOut'), wording.button('keepIn')]),
        });
    }

    /** The number or address, last, so it is used in the turn it is given; on SMS, this number. */
    private async addressStep(step: WaterfallStepContext) {
        const { wording, intents } = this.services;
        const values = step.values as SendValues;
        if (values.asked === 'sensitive') {
            const answer = typeof step.result === 'string' ? step.result : '';
            // Anything but a clear "keep it in" leaves it out: the safer way round.
            values.leaveOut = !(answer === wording.button('keepIn') || isNo(answer, intents));
        }
        if (step.context.activity.channelId === SMS_CHANNEL_ID) return step.next();
        const sms = values.via === 'sms';
        return step.prompt(ADDRESS_PROMPT, {
            prompt: question(wording.text(sms ? 'sendAskPhone' : 'sendAskEmail')),
            retryPrompt: question(wording.text(sms ? 'sendBadPhone' : 'sendBadEmail')),
            validations: { via: values.via },
        });
    }

    /** Sends, once (a retry carries the same key), then forgets the number or address and says so. */
    private async sendStep(step: WaterfallStepContext) {
        const { wording, intents, log, sender } = this.services;
        const values = step.values as SendValues;
        const channel = step.context.activity.channelId;
        const onSms = channel === SMS_CHANNEL_ID;
        const typed = onSms ? '' : typeof step.result === 'string' ? step.result : '';
        // Out of the running transcript before anything else: it is not kept beyond this turn.
        if (!onSms) await this.forgetTyped(step.context, typed);
        const via = values.via ?? 'email';
        // An address first: "no.reply.jo@example.com" or "nope - 07700 900123" is an answer, not a "no".
        if (!onSms && !looksLikeAddress(typed) && isNo(typed, intents)) return this.cancelled(step);
        if (onSms && values.inChat) {
            const profile = await this.services.profile.get(step.context, emptyProfile());
            const items = savedListings(profile, this.services);
            const message = listMessage(items, 'sms', wording, {
                serviceName: this.services.settings.serviceName, leaveOut: values.leaveOut === true,
                idempotencyKey: '', to: '',
            });
            await step.context.sendActivity(message.text);
            log.info('list.sent', { channel, kind: 'reply', count: items.length, leftOut: values.leaveOut === true });
            return step.endDialog();
        }
        const address = onSms ? step.context.activity.from?.id ?? '' : typed;
        const to = via === 'sms' ? ukMobileE164(address) : emailAddress(address);
        if (!to || !sender) {
            log.info('list.send_abandoned', { channel, kind: via });
            await step.context.sendActivity(wording.text(onSms ? 'sendFailed' : 'sendGiveUp'));
            return step.endDialog();
        }
        const profile = await this.services.profile.get(step.context, emptyProfile());
        const items = savedListings(profile, this.services);
        const key = sendKey(step.context.activity.conversation?.id ?? '', step.context.activity.id, via, randomUUID);
        const message = listMessage(items, via, wording, {
            serviceName: this.services.settings.serviceName, leaveOut: values.leaveOut === true,
            idempotencyKey: key, to,
        });
        let result = await this.trySend(sender.send.bind(sender), message);
        // One retry of a passing failure, with the same key: the provider (or the adapter) never sends it twice.
        if (!result.ok && result.retryable) result = await this.trySend(sender.send.bind(sender), message);
        if (result.ok) {
            log.info('list.sent', { channel, kind: via, count: items.length, leftOut: values.leaveOut === true });
            await step.context.sendActivity(wording.text(via === 'sms' ? 'sendDoneText' : 'sendDoneEmail'));
        } else {
            log.warn('list.send_failed', { channel, kind: via, reason: result.reason });
            const refused = result.reason === 'invalid-address' || result.reason === 'opted-out'
                || result.reason === 'rejected';
            await step.context.sendActivity(wording.text(refused ? 'sendRefused' : 'sendFailed'));
        }
        return step.endDialog();
    }

    /** A send that throws is a passing failure, told to the resident like any other. */
    private async trySend(send: (m: ReturnType<typeof listMessage>) => Promise<SendResult>,
        message: ReturnType<typeof listMessage>): Promise<SendResult> {
        try {
            return await send(message);
        } catch (err) {
            this.services.log.warn('list.send_threw', { error: errorKind(err) });
            return { ok: false, reason: 'unavailable', retryable: false };
        }
    }

    /**
     * Takes the typed number or address out of the conversation's running transcript, and out of the website chat's
     * stored history after the turn (the endpoint keeps a line saying it was not kept in its place).
     */
    private async forgetTyped(context: TurnContext, typed: string): Promise<void> {
        const transcript = this.services.transcript;
        const text = typed.trim();
        // "No" (calling it off) is kept as it was: only what may be a number or address is replaced.
        if (text && (looksLikeAddress(text) || !isNo(text, this.services.intents))) {
            context.turnState.set(REPLACE_MESSAGE_AFTER_TURN, this.services.wording.text('addressNotKept'));
        }
        if (!transcript || !text) return;
        const entries = await transcript.get(context, []);
        const kept = entries.filter((e) => !(e.from === 'resident' && e.text === text));
        if (kept.length !== entries.length) await transcript.set(context, kept);
    }

    /** A number or address of the right shape, "no" to call it off, or anything after the last try. */
    private async validateAddress(p: PromptValidatorContext<string>): Promise<boolean> {
        const text = p.recognized.value ?? '';
        const via = (p.options.validations as { via?: OutboundKind } | undefined)?.via;
        const fits = via === 'sms' ? ukMobileE164(text) : emailAddress(text);
        if (fits || (!looksLikeAddress(text) && isNo(text, this.services.intents))) return true;
        if (p.attemptCount >= ADDRESS_TRIES) {
            // Given up on: the last answer goes on to be read (and refused) by the send step, then forgotten.
            return true;
        }
        // The wrong answer is not kept in the transcript either: it may be an address with a typo.
        await this.forgetTyped(p.context, text);
        return false;
    }

    /** "Text" or "e-mail" in the answer, among the kinds this sender has. */
    private kindIn(answer: string): OutboundKind | undefined {
        const { wording, intents } = this.services;
        const kinds = this.services.sender?.kinds ?? [];
        const t = normalise(answer);
        const keep = intents.keep;
        const text = answer === wording.button('textMessage') || (keep ? phrasesAnywhere(keep.byText).test(t) : false);
        const email = answer === wording.button('email') || (keep ? phrasesAnywhere(keep.byEmail).test(t) : false);
        if (text === email) return undefined;
        const kind: OutboundKind = text ? 'sms' : 'email';
        return kinds.includes(kind) ? kind : undefined;
    }

    private async cancelled(step: WaterfallStepContext) {
        await step.context.sendActivity(this.services.wording.text('sendCancelled'));
        return step.endDialog();
    }

}

/** What may be a number or an address, however it starts ("no.reply@...", "nope - 07700 900123"). */
function looksLikeAddress(text: string): boolean {
    return text.includes('@') || /\d(?:[\s-]?\d){5}/.test(text);
}

/** "Sending isn't available here", with what to do instead: print (website chat) or the list again. */
async function sayUnavailable(context: TurnContext, services: DialogServices): Promise<void> {
    const { wording } = services;
    const instead = canPrint(context.activity.channelId) ? 'sendUnavailablePrint' : 'sendUnavailableList';
    await context.sendActivity(`${wording.text('sendUnavailable')} ${wording.text(instead)}`);
}

/** Where the resident is, as list actions read it. */
export type ListPlace = 'start' | 'needs' | 'preferences' | 'results' | 'offer';

/**
 * Acts on "save 2", "my list", "send me these", "print my list" or "number 2 has closed" (listAction in
 * src/conversation/understand.ts). Saving and reports need suggestions shown; the list, sending and printing need a
 * list. Afterwards the question on screen is asked again, except after a report at the results (the next
 * suggestions are shown instead) and when sending begins.
 */
export async function actOnList(dc: DialogContext, services: DialogServices, place: ListPlace,
    action: ListAction): Promise<DialogTurnResult | undefined> {
    const { wording, log, matcher } = services;
    const context = dc.context;
    const channel = context.activity.channelId;
    const profile = await services.profile.get(context, emptyProfile());
    const shown = profile.suggested;
    // Away from the results, an empty list is no reason to stop the question on screen reading the message.
    const afterResults = place === 'results' || place === 'offer' || place === 'start';
    if (!afterResults && !(profile.saved ?? []).length) return undefined;
    const after = async (): Promise<DialogTurnResult> => {
        if (dc.activeDialog) {
            await dc.repromptDialog();
            return { status: DialogTurnStatus.waiting };
        }
        return { status: DialogTurnStatus.complete };
    };
    /** The suggestion "this" means: the one talked about, else the only one of the last page. */
    const current = (): string | undefined => {
        if (profile.talkedAbout && shown.includes(profile.talkedAbout)) return profile.talkedAbout;
        const page = lastPage(shown);
        return page.length === 1 ? page[0] : undefined;
    };
    switch (action.action) {
        case 'save': {
            if (!shown.length) {
                if (place !== 'results' && place !== 'offer' && place !== 'start') return undefined;
                await context.sendActivity(wording.text('saveNothing'));
                return after();
            }
            const ids = action.picks === 'this' ? [current()].filter((id) => id !== undefined)
                : action.picks === 'all' ? lastPage(shown)
                    : action.picks.map((n) => shown[n - 1]).filter((id) => id !== undefined);
            if (!ids.length) {
                await context.sendActivity(wording.text('saveWhich'));
                return after();
            }
            const outcome = addToList(profile.saved ?? [], ids);
            profile.saved = outcome.saved;
            await services.profile.set(context, profile);
            const name = (id: string) => matcher.opportunity(id)?.name ?? id;
            const lines: string[] = [];
            if (outcome.added.length === 1) {
                lines.push(wording.text('savedOne', { name: name(outcome.added[0]), count: outcome.saved.length }));
            } else if (outcome.added.length) {
                lines.push(wording.text('savedMany', {
                    names: joinAndWith(outcome.added.map(name), wording.text('and')), count: outcome.saved.length,
                }));
            }
            for (const id of outcome.already) lines.push(wording.text('savedAlready', { name: name(id) }));
            if (outcome.full.length) lines.push(wording.text('savedFull', { max: outcome.saved.length }));
            log.info('list.saved', {
                channel, added: outcome.added.length, already: outcome.already.length, full: outcome.full.length,
            });
            await context.sendActivity(lines.join('\n'));
            return after();
        }
        case 'list':
        case 'print': {
            const items = savedListings(profile, services).map((o, i) => savedItem(i + 1, o, wording));
            if (!items.length) {
                await context.sendActivity(wording.text('listEmpty'));
                return after();
            }
            const print = action.action === 'print';
            if (print && !canPrint(channel)) {
                await context.sendActivity(wording.text('printOnlyWeb'));
                return after();
            }
            const title = print ? wording.text('printTitle') : wording.text('listIntro');
            const lines = [savedListText(title, items, wording)];
            if (!print && (services.sender || channel === SMS_CHANNEL_ID)) {
                lines.push(wording.text(channel === SMS_CHANNEL_ID ? 'smsListSend' : 'listSend'));
            }
            if (print) lines.unshift(wording.text('printIntro'));
            await context.sendActivity(withContent(MessageFactory.text(lines.join('\n\n')), {
                kind: 'savedList', title, items,
                ...(services.sender ? { sendLabel: wording.text('cardSend') } : {}),
                ...(canPrint(channel) ? { printLabel: wording.text('cardPrint') } : {}),
                ...(print ? { print: true } : {}),
            }));
            log.info(print ? 'list.printed' : 'list.shown', { channel, count: items.length });
            return after();
        }
        case 'send': {
            if (!savedListings(profile, services).length) {
                await context.sendActivity(wording.text('sendEmpty'));
                return after();
            }
            // On SMS the list can always come as a reply in the text chat itself (SendDialog's howStep).
            if ((!services.sender || !services.sender.kinds.length) && channel !== SMS_CHANNEL_ID) {
                log.info('list.send_unavailable', { channel });
                await sayUnavailable(context, services);
                return after();
            }
            return dc.beginDialog(SEND_DIALOG_ID, { ...(action.via ? { via: action.via } : {}) } satisfies SendOptions);
        }
        case 'report': {
            if (!shown.length || (place !== 'results' && place !== 'offer' && place !== 'start')) return undefined;
            const id = action.pick ? shown[action.pick - 1] : current();
            if (!id) {
                await context.sendActivity(wording.text('reportWhich'));
                return after();
            }
            let passed = false;
            if (services.listingReports) {
                try {
                    await services.listingReports.recordReport({
                        listingId: id, problem: action.problem, at: services.now().toISOString(), channel,
                    });
                    passed = true;
                } catch (err) {
                    log.warn('listing.report_failed', { channel, error: errorKind(err) });
                }
            }
            log.info('listing.reported', { channel, problem: action.problem, recorded: passed });
            await context.sendActivity(passed
                ? wording.text('reportThanks', { name: matcher.opportunity(id)?.name ?? '' })
                : wording.text('reportNotPassed'));
            // Another suggestion: the next page of results, in place of the results (or over the question after them).
            const next = { offset: shown.length } satisfies RecommendationsOptions;
            if (dc.activeDialog?.id === RECOMMENDATIONS_DIALOG_ID) {
                return dc.replaceDialog(RECOMMENDATIONS_DIALOG_ID, next);
            }
            return dc.beginDialog(RECOMMENDATIONS_DIALOG_ID, next);
        }
        default:
            return undefined;
    }
}

/** The ids of the last page of suggestions shown. */
function lastPage(shown: readonly string[]): string[] {
    const size = shown.length % PAGE_SIZE || PAGE_SIZE;
    return shown.slice(-size);
}
