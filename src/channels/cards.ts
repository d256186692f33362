/**
 * Adaptive Cards (version 1.5, the newest Teams supports) for results, details and long lists of choices. Each card
 * carries its plain-text version as `fallbackText`, for clients that cannot show cards and for screen readers.
 */
import type { Activity, Attachment } from 'botbuilder';
import { contactText, detailsText, resultText } from '../conversation/describe';
import {
    contentOf, type CrisisRouteItem, type DetailsItem, type ResultItem, type SignpostContent,
} from '../conversation/messages';
import type { Wording } from '../knowledge/wording';
import { telUrl } from './text';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_VERSION = '1.5';

/**
 * How a card button sends its words back as if the resident typed them: Teams reads `msteams.imBack`, Web Chat
 * reads a Bot Framework card action. Either way the bot receives plain text, exactly like a typed answer.
 */
export type CardClient = 'teams' | 'webchat';

type Json = Record<string, unknown>;

/** A button that sends `value` as the resident's message. */
export function sendBack(title: string, value: string, client: CardClient): Json {
    const data = client === 'teams'
        ? { msteams: { type: 'imBack', value } }
        : { __isBotFrameworkCardAction: true, cardAction: { type: 'imBack', title, value } };
    return { type: 'Action.Submit', title, data };
}

function card(body: Json[], actions: Json[], fallbackText: string): Json {
    const out: Json = {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: ADAPTIVE_CARD_VERSION,
        fallbackText,
        body,
    };
    if (actions.length) out.actions = actions;
    return out;
}

function heading(text: string): Json {
    return { type: 'TextBlock', text, wrap: true, weight: 'Bolder', size: 'Medium', style: 'heading' };
}

function paragraph(text: string): Json {
    return { type: 'TextBlock', text, wrap: true };
}

/**
 * Labelled lines ("Where: ..."), one TextBlock each. A FactSet would be the obvious choice, but Web Chat squeezes
 * its label column until words break, and a screen reader reads these lines just as well.
 */
function facts(pairs: [string, string | undefined][]): Json[] {
    return pairs.filter(([, value]) => value)
        .map(([title, value]) => ({ type: 'TextBlock', text: `**${title}:** ${value}`, wrap: true, spacing: 'Small' }));
}

function contactActions(item: { phone?: string; email?: string; url?: string }, wording: Wording): Json[] {
    const actions: Json[] = [];
    if (item.phone) {
        const title = wording.text('cardCall', { phone: item.phone });
        actions.push({ type: 'Action.OpenUrl', title, url: telUrl(item.phone) });
    }
    if (item.url) actions.push({ type: 'Action.OpenUrl', title: wording.text('cardWebsite'), url: item.url });
    if (item.email) {
        actions.push({ type: 'Action.OpenUrl', title: wording.text('cardEmail'), url: `mailto:${item.email}` });
    }
    return actions;
}

/** One result: name, what, where, when, cost, why; a button to open its details, and one to call. */
export function resultCard(item: ResultItem, wording: Wording, client: CardClient): Attachment {
    const content = card(
        [
            // "1: name", not "1. name": card markdown would make "1." a list and renumber it.
            heading(`${item.n}: ${item.name}`),
            paragraph(item.summary),
            ...facts([
                [wording.text('labelWhere'), item.where],
                [wording.text('labelWhen'), item.when],
                [wording.text('labelCost'), item.cost],
                [wording.text('labelWhy'), item.why.join(' ')],
            ]),
        ],
        // Three buttons at most: the details card has the e-mail and website too. Save sends "save 2" (issue 21).
        [
            sendBack(wording.text('cardFindOutMore'), String(item.n), client),
            sendBack(wording.text('cardSave'), wording.text('cardSaveValue', { n: item.n }), client),
            ...contactActions(item, wording).slice(0, 1),
        ],
        resultText(item, wording),
    );
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/** Everything about one opportunity, with buttons to call, e-mail or visit its website. */
export function detailsCard(item: DetailsItem, wording: Wording): Attachment {
    const content = card(
        [
            heading(item.name),
            paragraph(item.description),
            ...facts([
                [wording.text('labelWhere'), item.where],
                [wording.text('labelWhen'), item.when],
                [wording.text('labelCost'), item.cost],
                [wording.text('labelWhoFor'), item.whoFor],
                [wording.text('labelAccess'), item.access],
                [wording.text('labelWelcome'), item.welcome],
                [wording.text('labelContact'), contactText(item)],
                [wording.text('labelWhy'), item.why.join(' ') || undefined],
                [wording.text('labelChecked'), item.checked],
            ]),
        ],
        contactActions(item, wording),
        detailsText(item, wording),
    );
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/**
 * The saved list (issue 21): each suggestion's name, when, where and contact, with buttons to send it (when sending
 * is set up) and to print it (the website chat). The list stays the message's text for where cards do not show.
 */
export function savedListCard(content: Extract<SignpostContent, { kind: 'savedList' }>, wording: Wording,
    client: CardClient, fallbackText: string): Attachment {
    const body: Json[] = [heading(content.title)];
    for (const item of content.items) {
        body.push({ ...heading(`${item.n}: ${item.name}`), size: 'Default' });
        body.push(...facts([
            [wording.text('labelWhen'), item.when],
            [wording.text('labelWhere'), item.where || undefined],
            [wording.text('labelContact'), contactText(item) || undefined],
        ]));
    }
    const actions: Json[] = [];
    if (content.sendLabel) actions.push(sendBack(content.sendLabel, content.sendLabel, client));
    if (content.printLabel && client === 'webchat' && !content.print) {
        actions.push(sendBack(content.printLabel, content.printLabel, client));
    }
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card(body, actions, fallbackText) };
}

/** Choices as card buttons, for when a channel shows too few suggested actions. The question stays the text. */
export function choicesCard(question: string, labels: string[], client: CardClient): Attachment {
    const fallback = [question, ...labels.map((l, i) => `${i + 1}. ${l}`)].join('\n');
    const content = card([], labels.map((l) => sendBack(l, l, client)), fallback);
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content };
}

/**
 * Big buttons under crisis routes, for clients that show cards: one to call each number (a tel: link, which a phone
 * dials and Teams offers to call), and the urgent call-back, which sends its label back as if typed. The routes stay
 * the message's text, so they read the same where cards do not show.
 */
export function crisisActionsCard(routes: readonly CrisisRouteItem[], callBack: string | undefined,
    fallbackText: string, wording: Wording, client: CardClient): Attachment {
    const phones = [...new Set(routes.map((r) => r.phone).filter((p): p is string => Boolean(p)))];
    const actions: Json[] = phones.map((phone) => ({
        type: 'Action.OpenUrl', title: wording.text('cardCall', { phone }), url: telUrl(phone),
    }));
    if (callBack) actions.push(sendBack(callBack, callBack, client));
    return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card([], actions, fallbackText) };
}

/**
 * A message with its results or details (sent by the dialogs as data) turned into Adaptive Cards, and crisis routes
 * given call buttons, for the clients that show cards; any other message is copied as it is. Channel data the
 * client does not need is dropped.
 */
export function withCards(activity: Partial<Activity>, wording: Wording, client: CardClient,
    channelData: unknown): Partial<Activity> {
    const content = contentOf(activity);
    const out: Partial<Activity> = { ...activity, channelData };
    if (content?.kind === 'results') {
        out.text = content.intro.join('\n\n');
        out.summary = content.intro.join(' ');
        out.attachments = content.items.map((item) => resultCard(item, wording, client));
        out.attachmentLayout = 'list';
    } else if (content?.kind === 'details') {
        out.text = undefined;
        out.summary = content.item.name;
        out.attachments = [detailsCard(content.item, wording)];
    } else if (content?.kind === 'savedList') {
        out.summary = content.title;
        out.text = undefined;
        out.attachments = [savedListCard(content, wording, client, activity.text ?? '')];
    } else if (content?.kind === 'crisis') {
        out.attachments = [crisisActionsCard(content.routes, content.callBack, activity.text ?? '', wording, client)];
    }
    return out;
}
