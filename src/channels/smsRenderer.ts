/**
 * SMS (Azure Bot Service's Twilio channel): plain text only. No markdown, cards or buttons; choices become numbered
 * lines and "Reply 1, 2 or 3", or words when the message already numbers a list of results. Results are compact
 * (name, when, where, phone) with the details on request, and no message is longer than four 160-character
 * segments. Before the dialogs it answers the carrier keywords: STOP and UNSUBSCRIBE end all messages (recorded),
 * START resumes, HELP explains; a reply of a number or a word is turned back into the choice it stands for.
 */
import type { ScheduledMessageStore } from '../storage/scheduledMessageStore';
import type { Activity, ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { detailsText } from '../conversation/describe';
import { choicesAsWords, contentOf, saidIn, type ResultItem } from '../conversation/messages';
import { DIALOG_STATE_PROPERTY, TRANSCRIPT_PROPERTY } from '../conversation/turnState';
import { residentKeyOf } from '../handoff/resident';
import type { ButtonKey } from '../knowledge/wording';
import type { Logger } from '../log';
import type { OptOutStore } from '../storage/optOutStore';
import { buttonLabels, type ChannelRenderer, type RendererSettings } from './renderer';
import { joinOr, splitForSms, stripMarkdown, toGsm } from './text';
import { SMS_CHANNEL_ID } from '../channelIds';
/** No message is longer than this many segments; longer text is split between lines into several messages. */
export const SMS_MAX_SEGMENTS = 4;

// Twilio's default opt-out, opt-in and help keywords. Twilio acts on them itself too, so we must agree with it.
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const START_WORDS = new Set(['start', 'unstop', 'yes']);
const HELP_WORDS = new Set(['help', 'info']);

/** The short word typed for each button shown as a word under a list of results. */
const WORD_FOR: Partial<Record<ButtonKey, ButtonKey>> = {
    showMore: 'smsMore',
    changeAnswers: 'smsChange',
    talkToPerson: 'smsPerson',
    thatsAll: 'smsDone',
};

/** The choices last offered, so "2" or "MORE" can be read as the choice it stands for. Kept in conversation state. */
interface OfferedChoices {
    options?: string[];
    words?: Record<string, string>;
}

/** turnState flag: this turn is confirming STOP, the one message a number that opted out may still get. */
const CONFIRMING_STOP = 'signpost.sms.confirmingStop';

export interface SmsRendererDeps extends RendererSettings {
    conversationState: ConversationState;
    optOuts: OptOutStore;
    /** Reminders and check-ins: STOP cancels the resident's (issue 22). */
    scheduled?: Pick<ScheduledMessageStore, 'cancelForResident'>;
    log: Logger;
    now: () => Date;
}

export class SmsRenderer implements ChannelRenderer {
    readonly channelIds = [SMS_CHANNEL_ID] as const;
    private readonly offered: StatePropertyAccessor<OfferedChoices | undefined>;
    private readonly dialogState: StatePropertyAccessor<unknown>;
    private readonly transcript: StatePropertyAccessor<unknown>;

    constructor(private readonly deps: SmsRendererDeps) {
        this.offered = deps.conversationState.createProperty<OfferedChoices | undefined>('smsChoices');
        this.dialogState = deps.conversationState.createProperty(DIALOG_STATE_PROPERTY);
        this.transcript = deps.conversationState.createProperty(TRANSCRIPT_PROPERTY);
    }

    async receive(context: TurnContext): Promise<boolean> {
        const activity = context.activity;
        if (activity.type !== 'message') return true;
        const { optOuts, wording, serviceName, log } = this.deps;
        const text = (activity.text ?? '').trim();
        const word = text.toLowerCase().replace(/[.!\s]+$/, '');
        const key = residentKeyOf(SMS_CHANNEL_ID, activity.from?.id ?? '');
        if (STOP_WORDS.has(word)) {
            await optOuts.record(key, true, this.deps.now().toISOString());
            // No reminder or check-in goes after STOP, and the number kept for them is deleted.
            await this.deps.scheduled?.cancelForResident(key, this.deps.now());
            // The conversation ends here: after START it begins afresh, not halfway through a question.
            await this.dialogState.delete(context);
            await this.offered.delete(context);
            // Nothing said before STOP is kept for a request (a hand-off it ended may hold a number and a name).
            await this.transcript.delete(context);
            log.info('sms.opted_out', { channel: SMS_CHANNEL_ID });
            context.turnState.set(CONFIRMING_STOP, true);
            await context.sendActivity(wording.text('smsStopped', { serviceName }));
            return false;
        }
        if (await optOuts.isOptedOut(key)) {
            if (START_WORDS.has(word)) {
                await optOuts.record(key, false, this.deps.now().toISOString());
                log.info('sms.opted_in', { channel: SMS_CHANNEL_ID });
                await context.sendActivity(wording.text('smsStarted', { serviceName }));
            } else {
                // Nothing may be sent to a number that opted out (Twilio would refuse it): the message is dropped.
                log.info('sms.ignored_opted_out', { channel: SMS_CHANNEL_ID });
            }
            return false;
        }
        if (HELP_WORDS.has(word)) {
            await context.sendActivity(wording.text('smsHelp', { serviceName }));
            return false;
        }
        const offered = await this.offered.get(context);
        if (offered) {
            await this.offered.delete(context);
            const n = /^\s*(\d{1,2})\s*$/.exec(text);
            const byNumber = n ? offered.options?.[Number(n[1]) - 1] : undefined;
            const byWord = offered.words?.[word.toUpperCase()];
            const meant = byNumber ?? byWord;
            if (meant) activity.text = meant;
        }
        return true;
    }

    async render(activities: Partial<Activity>[], context: TurnContext): Promise<Partial<Activity>[]> {
        const key = residentKeyOf(SMS_CHANNEL_ID, context.activity.from?.id ?? '');
        if (!context.turnState.get(CONFIRMING_STOP) && await this.deps.optOuts.isOptedOut(key)) {
            this.deps.log.info('sms.not_sent_opted_out', { channel: SMS_CHANNEL_ID });
            return [];
        }
        const out: Partial<Activity>[] = [];
        for (const activity of activities) {
            if (activity.type === 'typing') continue;
            if (activity.type !== 'message') {
                out.push(activity);
                continue;
            }
            const text = await this.textOf(activity, context);
            const plain = toGsm(stripMarkdown(text)).replace(/[ \t]+\n/g, '\n').trim();
            if (!plain) continue;
            const pieces = splitForSms(plain, SMS_MAX_SEGMENTS);
            pieces.forEach((piece, i) => {
                const message: Partial<Activity> = { ...activity, text: piece, textFormat: 'plain' };
                delete message.attachments;
                delete message.attachmentLayout;
                delete message.suggestedActions;
                delete message.channelData;
                delete message.speak;
                delete message.summary;
                if (i < pieces.length - 1) delete message.inputHint;
                out.push(message);
            });
        }
        return out;
    }

    /** The message in words: what it shows, then its choices as numbers or words to reply with. */
    private async textOf(activity: Partial<Activity>, context: TurnContext): Promise<string> {
        const { wording, serviceName, stateDays } = this.deps;
        const content = contentOf(activity);
        const labels = buttonLabels(activity);
        const or = wording.text('or');
        switch (content?.kind) {
            case 'welcome':
                return wording.text('smsWelcome', { serviceName, stateDays });
            case 'results':
                // No buttons on SMS: "Reply SAVE 2" says how to keep one (issue 21).
                return [...content.intro, ...content.items.map((item) => this.compact(item)),
                    wording.text('smsSaveHint')].join('\n\n');
            case 'details': {
                const { item } = content;
                return detailsText({ ...item, description: shorten(item.description, 200), why: [] }, wording);
            }
            case 'resultsActions': {
                const words = await this.offerWords(labels, context);
                const numbers = content.count <= 6
                    ? joinOr(Array.from({ length: content.count }, (_, i) => String(i + 1)), or)
                    : wording.text('smsNumberRange', { count: content.count });
                return wording.text('smsResultsActions', { numbers, words: joinOr(words, or) });
            }
            default:
                break;
        }
        const text = activity.text ?? '';
        if (!labels.length) return text;
        if (choicesAsWords(activity)) {
            const words = await this.offerWords(labels, context);
            return `${text}\n${wording.text('smsReplyWords', { words: joinOr(words, or) })}`;
        }
        await this.offered.set(context, { options: labels });
        // One choice the question already names ("You can type skip") needs no number.
        if (labels.length === 1 && text.toLowerCase().includes(labels[0].toLowerCase())) return text;
        const numbers = labels.map((_, i) => String(i + 1));
        const lines = labels.map((label, i) => `${i + 1}. ${label}`);
        // "Reply 1 or 2" in each language the question is asked in (the offer of a language), else the turn's.
        const languages = saidIn(activity);
        const replies = languages.length ? languages.map((code) => wording.in(code)) : [wording];
        const replyLines = [...new Set(replies.map((w) => w.text('smsReplyNumbers', {
            numbers: joinOr(numbers, w.text('or')),
        })))];
        return [text, ...lines, ...replyLines].join('\n');
    }

    /** The word a resident replies with for each choice, remembered for their reply. */
    private async offerWords(labels: string[], context: TurnContext): Promise<string[]> {
        const { wording } = this.deps;
        const byLabel = new Map<string, string>();
        for (const [button, word] of Object.entries(WORD_FOR) as [ButtonKey, ButtonKey][]) {
            byLabel.set(wording.button(button), wording.button(word));
        }
        const words: Record<string, string> = {};
        const shown = labels.map((label) => {
            const word = byLabel.get(label);
            if (!word) return `"${label}"`;
            words[word.toUpperCase()] = label;
            return word;
        });
        await this.offered.set(context, { words });
        return shown;
    }

    /** One result in four short lines: number and name, when, where, and how to get in touch. */
    private compact(item: ResultItem): string {
        return [`${item.n}. ${item.name}`, item.when, shortWhere(item.where), item.phone ?? item.email ?? item.url]
            .filter(Boolean).join('\n');
    }
}

/** Where, short: the venue and postcode without the street ("Eastfield Library, BS5 7HJ (0.2 km away)"). */
function shortWhere(where: string): string {
    return where.split('. ').map((part) => {
        const pieces = part.split(', ');
        return pieces.length > 2 ? `${pieces[0]}, ${pieces[pieces.length - 1]}` : part;
    }).join('. ');
}

/** The first sentences of a text that fit in `max` characters (at least the first, cut at a word if need be). */
function shorten(text: string, max: number): string {
    if (text.length <= max) return text;
    const sentences = text.split(/(?<=[.!?])\s+/);
    let out = '';
    for (const s of sentences) {
        if ((out ? out.length + 1 : 0) + s.length > max) break;
        out = out ? `${out} ${s}` : s;
    }
    if (out) return out;
    const cut = text.slice(0, max - 3);
    return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}...`;
}
