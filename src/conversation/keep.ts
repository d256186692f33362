/**
 * The resident's saved list (issue 21): suggestions they keep during the chat, and the text or e-mail that sends the
 * list to them. Pure: ids in, words out. The list holds listing ids only (what is sent is read from the directory at
 * the time of sending); the number or address a list is sent to is never kept here or anywhere.
 */
import { createHash } from 'node:crypto';
import type { Opportunity } from '../knowledge/schema';
import { BASE_LOCALE, type Wording } from '../knowledge/wording';
import type { OutboundKind, OutboundMessage } from '../sending/port';
import { describeWhen, describeWhere } from './describe';
import type { SavedItem } from './messages';

/** The most suggestions a saved list holds: a short list a resident can read on a phone, and a bounded state. */
export const MAX_SAVED = 10;

/**
 * Needs a message sent to the resident's phone or inbox never names without their agreement: others may read the
 * phone (an abuser above all), and the name of a service can say what it is for. Domestic abuse (the resident's
 * safety), substance use and mental wellbeing (stigma, and both are often kept from family or an employer), and
 * health conditions (a diagnosis is special category data). docs/conversation.md says why each.
 */
export const SENSITIVE_NEEDS: readonly string[] = ['domestic-abuse', 'substance-use', 'mental-wellbeing',
    'health-conditions'];

/** True when a listing helps with a sensitive need, so its name and description may say what it is for. */
export function isSensitive(o: Opportunity): boolean {
    return o.needs.some((n) => SENSITIVE_NEEDS.includes(n));
}

/** The outcome of adding listings to the list. */
export interface SaveOutcome {
    saved: string[];
    /** Ids newly added, in order. */
    added: string[];
    /** Ids already on the list. */
    already: string[];
    /** Ids left off because the list was full. */
    full: string[];
}

/** Adds ids to a list, keeping its order, never twice, never more than MAX_SAVED. */
export function addToList(list: readonly string[], ids: readonly string[]): SaveOutcome {
    const saved = [...list];
    const out: SaveOutcome = { saved, added: [], already: [], full: [] };
    for (const id of ids) {
        if (saved.includes(id)) out.already.push(id);
        else if (saved.length >= MAX_SAVED) out.full.push(id);
        else {
            saved.push(id);
            out.added.push(id);
        }
    }
    return out;
}

/**
 * A UK mobile number in E.164 (+447...), or undefined: "07700 900123", "+44 7700 900123", "0044 7700-900123",
 * "(07700) 900 123". Only mobiles: a landline cannot receive a text.
 */
export function ukMobileE164(text: string): string | undefined {
    const t = text.trim();
    if (t.length > 30 || !/^[+\d\s().-]+$/.test(t)) return undefined;
    let d = t.replace(/[\s().-]/g, '');
    if (d.startsWith('+44')) d = `0${d.slice(3)}`;
    else if (d.startsWith('0044')) d = `0${d.slice(4)}`;
    else if (d.startsWith('44') && d.length === 12) d = `0${d.slice(2)}`;
    // "+44 (0)7700 900123": the national 0 written after the country code.
    if (d.startsWith('00')) d = d.slice(1);
    return /^07\d{9}$/.test(d) ? `+44${d.slice(1)}` : undefined;
}

/** An e-mail address of the usual shape, trimmed, or undefined. A bounced send is told to the resident. */
export function emailAddress(text: string): string | undefined {
    const t = text.trim();
    return t.length <= 254 && /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;".]{2,}$/.test(t) ? t : undefined;
}

/**
 * The key that makes one send one send: the same for a retry of the same turn (the channel's activity id) and for
 * a retry inside it, different for the next request to send. No address goes into it.
 */
export function sendKey(conversationId: string, activityId: string | undefined, kind: OutboundKind,
    fallback: () => string): string {
    return createHash('sha256').update(`${conversationId}\n${activityId ?? fallback()}\n${kind}`).digest('hex')
        .slice(0, 32);
}

/**
 * The message that sends the list: each service's name, when, where, how to contact them and a link, in the
 * resident's language, plain text (no markdown); a text ends "Reply STOP to stop", an e-mail with its unsubscribe
 * line. With `leaveOut`, a listing for a sensitive need is sent without its name, place name, e-mail address or link
 * (its times, postcode and phone number stay), and the words around the list never name a need either way. `to` is
 * filled in by the caller at the moment of sending.
 */
export function listMessage(items: readonly Opportunity[], kind: OutboundKind, wording: Wording, options: {
    serviceName: string; leaveOut: boolean; idempotencyKey: string; to: string;
    /**
     * The words around the list when it is not the resident's own saved list (a connector's suggestions sent from
     * the workspace): its first line, an e-mail's last line and subject. A text still ends "Reply STOP to stop".
     */
    words?: { intro: string; emailEnd: string; subject: string };
}): OutboundMessage {
    const { serviceName, leaveOut } = options;
    // The listing's words in the directory's language, as the results show them; the words around in the resident's.
    const directory = wording.in(BASE_LOCALE);
    const blocks = items.map((o, i) => {
        const hide = leaveOut && isSensitive(o);
        const lines = [`${i + 1}. ${hide ? wording.text('sendLeftOut') : o.name}`];
        lines.push(`${wording.text('labelWhen')}: ${describeWhen(o, directory)}`);
        const where = hide ? postcodeOnly(o, directory) : describeWhere(o, directory);
        if (where) lines.push(`${wording.text('labelWhere')}: ${where}`);
        // An e-mail address can say what a service is for ("domestic.abuse@..."): left out with the name.
        const contact = (hide ? [o.phone] : [o.phone, o.email]).filter(Boolean).join(', ');
        if (contact) lines.push(`${wording.text('labelContact')}: ${contact}`);
        const link = o.url ?? o.organization.url;
        if (link && !hide) lines.push(`${wording.text('labelLink')}: ${link}`);
        return lines.join('\n');
    });
    const { words } = options;
    const intro = words?.intro ?? wording.text('sendIntro', { serviceName });
    const end = kind === 'sms' ? wording.text('sendSmsStop')
        : words?.emailEnd ?? wording.text('sendEmailUnsubscribe', { serviceName });
    const text = [intro, ...blocks, end].join('\n\n');
    const message: OutboundMessage = { kind, to: options.to, text, idempotencyKey: options.idempotencyKey };
    if (kind === 'email') message.subject = words?.subject ?? wording.text('sendSubject', { serviceName });
    return message;
}

/** Where a sensitive listing is, without the venue's name (which may say what it is for): its postcode. */
function postcodeOnly(o: Opportunity, wording: Wording): string {
    const parts: string[] = [];
    if (o.location?.postal_code) parts.push(o.location.postal_code);
    if (o.attending_type.includes('online')) parts.push(wording.text('online'));
    if (o.attending_type.includes('phone')) parts.push(wording.text('byPhone'));
    return parts.join('. ');
}

/** A saved suggestion in words ready to show (in the directory's language, as the results are). */
export function savedItem(n: number, o: Opportunity, wording: Wording): SavedItem {
    const directory = wording.in(BASE_LOCALE);
    const item: SavedItem = {
        n, id: o.id, name: o.name, when: describeWhen(o, directory), where: describeWhere(o, directory),
    };
    if (o.phone) item.phone = o.phone;
    if (o.email) item.email = o.email;
    const url = o.url ?? o.organization.url;
    if (url) item.url = url;
    return item;
}

/** The saved list in plain text: each suggestion's number, name, when, where and how to contact them. */
export function savedListText(title: string, items: readonly SavedItem[], wording: Wording): string {
    return [title, ...items.map((i) => [`${i.n}. ${i.name}`, `${wording.text('labelWhen')}: ${i.when}`,
        ...(i.where ? [`${wording.text('labelWhere')}: ${i.where}`] : []),
        ...([i.phone, i.email, i.url].some(Boolean)
            ? [`${wording.text('labelContact')}: ${[i.phone, i.email, i.url].filter(Boolean).join(', ')}`] : []),
    ].join('\n'))].join('\n\n');
}
