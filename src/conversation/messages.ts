/** Building the messages dialogs send. Buttons are suggested actions; each channel's renderer decides their look. */
import { InputHints, MessageFactory, type Activity } from 'botbuilder';

/**
 * channelData flag: the message already numbers something else (a list of results), so text-only channels
 * must show these buttons as words, not as numbers the resident could confuse with the list.
 */
export const CHOICES_AS_WORDS = 'signpostChoicesAsWords';

/**
 * channelData: the languages a question is asked in when it is asked in more than the conversation's (the offer to
 * carry on in Welsh is asked in Welsh and in English), so a text-only channel says how to reply in each of them.
 */
export const SAID_IN = 'signpostSaidIn';

/** channelData key under which a message says what it shows, so each channel's renderer can decide how. */
export const SIGNPOST_CONTENT = 'signpost';

/** One opportunity in a list of results, in words ready to show. */
export interface ResultItem {
    /** The number the resident types to open it. */
    n: number;
    id: string;
    name: string;
    summary: string;
    where: string;
    when: string;
    cost: string;
    phone?: string;
    email?: string;
    url?: string;
    /** Why it was offered, as sentences (describe.ts whySentences). */
    why: string[];
}

/** Everything about one opportunity, in words ready to show. */
export interface DetailsItem {
    name: string;
    description: string;
    where: string;
    when: string;
    cost: string;
    whoFor?: string;
    access?: string;
    welcome?: string;
    phone?: string;
    email?: string;
    url?: string;
    why: string[];
    checked: string;
}

/** One suggestion on the resident's saved list (issue 21), in words ready to show, send or print. */
export interface SavedItem {
    n: number;
    id: string;
    name: string;
    when: string;
    where: string;
    phone?: string;
    email?: string;
    url?: string;
}

/** One crisis route in words ready to show, with what a channel needs to make it tappable. */
export interface CrisisRouteItem {
    /** The route's id in crisis.json, by which a locale names it in its own language. */
    id?: string;
    name: string;
    /** How to reach them, in a sentence that names the number ("Call 116 123 to talk to someone."). */
    how: string;
    phone?: string;
    /** A number to text, and what to text it ("SHOUT" to 85258). */
    sms?: string;
    smsText?: string;
    url?: string;
}

/**
 * What a message shows, beyond its plain text (which is always there and reads well on its own):
 * the welcome, a list of results, the details of one, the question asked under the results, or crisis routes (with,
 * in `callBack`, the label of a button that asks for an urgent call-back).
 */
export type SignpostContent =
    | { kind: 'welcome' }
    | { kind: 'results'; intro: string[]; items: ResultItem[] }
    | { kind: 'details'; item: DetailsItem }
    | { kind: 'resultsActions'; count: number }
    /**
     * The saved list (issue 21), with the labels of the card buttons that send or print it where a channel shows
     * cards; `print`: the website chat prints it at once (the page's print view of the list).
     */
    | { kind: 'savedList'; title: string; items: SavedItem[]; sendLabel?: string; printLabel?: string; print?: boolean }
    | { kind: 'crisis'; routes: CrisisRouteItem[]; callBack?: string };

/** A question with optional buttons. The button label is also the text sent back, so typing it works too. */
export function question(text: string, buttons: string[] = [],
    options: { asWords?: boolean; saidIn?: string[] } = {}): Partial<Activity> {
    const activity = buttons.length
        ? MessageFactory.suggestedActions(buttons, text)
        : MessageFactory.text(text);
    activity.inputHint = InputHints.ExpectingInput;
    if (options.asWords) activity.channelData = { [CHOICES_AS_WORDS]: true };
    if (options.saidIn?.length) {
        activity.channelData = { ...(activity.channelData as object | undefined), [SAID_IN]: options.saidIn };
    }
    return activity;
}

/** Marks what a message shows; its text stays the plain-text version every channel can fall back on. */
export function withContent(activity: Partial<Activity>, content: SignpostContent): Partial<Activity> {
    activity.channelData = { ...(activity.channelData as object | undefined), [SIGNPOST_CONTENT]: content };
    return activity;
}

/** What a message shows, if a dialog said. */
export function contentOf(activity: Partial<Activity>): SignpostContent | undefined {
    const data = activity.channelData as Record<string, unknown> | undefined;
    const content = data?.[SIGNPOST_CONTENT] as SignpostContent | undefined;
    return content && typeof content === 'object' && typeof content.kind === 'string' ? content : undefined;
}

/** The languages a question is asked in, when more than the conversation's (see SAID_IN); empty otherwise. */
export function saidIn(activity: Partial<Activity>): string[] {
    const codes = (activity.channelData as Record<string, unknown> | undefined)?.[SAID_IN];
    return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
}

/** True when the message's buttons must be shown as words on text-only channels (see CHOICES_AS_WORDS). */
export function choicesAsWords(activity: Partial<Activity>): boolean {
    return Boolean((activity.channelData as Record<string, unknown> | undefined)?.[CHOICES_AS_WORDS]);
}

/** A numbered list in plain text, which reads the same on every channel, SMS included. */
export function numberedList(items: string[], start = 1): string {
    return items.map((item, i) => `${start + i}. ${item}`).join('\n');
}

/** "a, b and c" with the resident's word for "and" (wording `and`), so a list reads right in every language. */
export function joinAndWith(items: readonly string[], and: string): string {
    if (items.length <= 1) return items[0] ?? '';
    return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}
