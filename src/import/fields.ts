/**
 * Single fields from a feed made into Signpost's: schedules, prices, phone, web and e-mail addresses, dates,
 * accessibility, who it is for. Each mapper drops what it cannot use and says so in a note (field and reason, never
 * the value: feeds hold e-mail addresses and phone numbers of people).
 */
import { z } from 'zod';
import { ACCESS_FEATURES, DAY_CODES } from '../knowledge/schema';
import type { AccessFeature, DayCode } from '../knowledge/schema';
import { cleanText, shorten } from './html';
import { str } from './feed';
import type { FeedCost, FeedSchedule, FeedService } from './feed';

/** Something the importer changed or left out in one record, said without its value. */
export interface Note {
    field: string;
    message: string;
}

/** A schedule as the schema takes it. */
export interface Session {
    byday: DayCode[];
    opens_at: string;
    closes_at: string;
    description?: string;
}

/** A price as the schema takes it. */
export interface Price {
    option?: string;
    amount: number;
    currency: 'GBP';
    amount_description?: string;
}

const DAY_WORDS: Readonly<Record<string, DayCode>> = {
    mo: 'MO', mon: 'MO', monday: 'MO', tu: 'TU', tue: 'TU', tues: 'TU', tuesday: 'TU', we: 'WE', wed: 'WE',
    wednesday: 'WE', th: 'TH', thu: 'TH', thur: 'TH', thurs: 'TH', thursday: 'TH', fr: 'FR', fri: 'FR', friday: 'FR',
    sa: 'SA', sat: 'SA', saturday: 'SA', su: 'SU', sun: 'SU', sunday: 'SU',
};

const ORDINALS: Readonly<Record<string, string>> = {
    1: 'First', 2: 'Second', 3: 'Third', 4: 'Fourth', 5: 'Fifth', '-1': 'Last',
};
const DAY_NAMES: Readonly<Record<DayCode, string>> = {
    MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};

/** Days from an iCal BYDAY value ("MO,TU", "1TU", "-1FR") or day names; ordinal days come with plain words. */
export function parseDays(value: unknown): { days: DayCode[]; words: string[] } {
    const parts = Array.isArray(value) ? value.map(String) : (str(value) ?? '').split(/[\s,;/]+/);
    const days: DayCode[] = [];
    const words: string[] = [];
    for (const part of parts) {
        const m = /^([+-]?\d)?([a-z]+)$/i.exec(part.trim());
        const day = m ? DAY_WORDS[(m[2] as string).toLowerCase()] : undefined;
        if (!day) {
            continue;
        }
        if (!days.includes(day)) {
            days.push(day);
        }
        const ordinal = m?.[1] ? ORDINALS[m[1].replace('+', '')] : undefined;
        if (ordinal) {
            words.push(`${ordinal} ${DAY_NAMES[day]} of the month`);
        }
    }
    return { days: DAY_CODES.filter((d) => days.includes(d)), words };
}

/** A time as HH:MM from "10:00:00", "9:30", "0930", "2pm" or "2.30 pm"; undefined when it is not one. */
export function parseTime(value: unknown): string | undefined {
    const text = (str(value) ?? '').toLowerCase().replace(/\s+/g, '');
    const m = /^(\d{1,2})(?:[:.]?(\d{2}))?(?::\d{2}(?:\.\d+)?)?(am|pm)?$/.exec(text);
    if (!m || (!m[2] && !m[3])) {
        return undefined;
    }
    let hours = Number(m[1]);
    const minutes = Number(m[2] ?? 0);
    if (m[3]) {
        if (hours < 1 || hours > 12) {
            return undefined;
        }
        hours = (hours % 12) + (m[3] === 'pm' ? 12 : 0);
    }
    if (hours > 23 || minutes > 59) {
        return undefined;
    }
    return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** A calendar date as YYYY-MM-DD from ISO dates and date-times or UK "dd/mm/yyyy"; undefined when not a real date. */
export function parseDate(value: unknown): string | undefined {
    const text = str(value) ?? '';
    const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : [];
    if (!y || !m || !d) {
        return undefined;
    }
    const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    const parsed = new Date(`${date}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date) ? date : undefined;
}

/** An ISO 8601 date, or a date and time with an optional zone. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** HSDS last_modified kept as given when it is an ISO date or date-time; undefined otherwise. */
export function parseDateTime(value: unknown): string | undefined {
    const text = str(value);
    return text && parseDate(text) && DATE_TIME.test(text) ? text : undefined;
}

/** Regular sessions, and plain words for times that are not regular. Ended schedules are left out. */
export function mapSchedules(
    raw: readonly FeedSchedule[],
    today: string,
    notes: Note[],
): { schedules: Session[]; note?: string } {
    const sessions: Session[] = [];
    const words: string[] = [];
    for (const schedule of raw) {
        const ends = parseDate(schedule.ends);
        if (ends && ends < today) {
            notes.push({ field: 'schedules', message: 'a schedule that has ended was left out' });
            continue;
        }
        const freq = (str(schedule.freq) ?? '').toUpperCase();
        const parsed = parseDays(schedule.byday);
        const days = parsed.days.length === 0 && freq === 'DAILY' ? [...DAY_CODES] : parsed.days;
        const opens = parseTime(schedule.opens_at);
        const closes = parseTime(schedule.closes_at);
        const description = cleanText(schedule.description);
        if (days.length > 0 && opens && closes) {
            const session: Session = { byday: days, opens_at: opens, closes_at: closes };
            const said = [...new Set(parsed.words)].join(', ') || (description ? description : '');
            if (said) {
                session.description = shorten(said, 200);
            }
            if (!sessions.some((s) => JSON.stringify(s) === JSON.stringify(session))) {
                sessions.push(session);
            }
        } else if (description) {
            words.push(description);
        } else if (schedule.byday !== undefined || schedule.opens_at !== undefined) {
            notes.push({ field: 'schedules', message: 'a schedule without both days and times was left out' });
        }
    }
    const note = sessions.length === 0 && words.length > 0 ? shorten([...new Set(words)].join(' '), 200) : undefined;
    return note ? { schedules: sessions, note } : { schedules: sessions };
}

/** An amount of money from a number, "3.50", "£3.50" or "£3"; undefined when there is none. */
export function parseAmount(value: unknown): number | undefined {
    if (typeof value === 'number') {
        return Number.isFinite(value) ? value : undefined;
    }
    const m = /^\s*£?\s*(\d+(?:\.\d{1,2})?)\s*$/.exec(str(value) ?? '');
    return m ? Number(m[1]) : undefined;
}

/** Notes that mean "no usable price": the record is marked cost_unknown, and residents are told to ask. */
export const NO_PRICE_NOTES: ReadonlySet<string> = new Set([
    'the feed gives no price: residents are told to ask',
    'fees are described without a price: residents are told to ask',
]);

const FREE_WORDS = /\b(?:free|no charge|no cost|at no cost|without charge)\b/i;

/**
 * Prices in GBP. A feed that gives fees only in words gets a price when the words name one ("£5 a session");
 * otherwise the listing has no price and a note from NO_PRICE_NOTES says so (the caller marks it cost_unknown).
 */
export function mapCosts(costs: readonly FeedCost[], fees: unknown, notes: Note[], description = ''): Price[] {
    const prices: Price[] = [];
    for (const cost of costs) {
        const currency = (str(cost.currency) ?? 'GBP').toUpperCase();
        const option = cleanText(cost.option);
        const said = cleanText(cost.amount_description);
        let amount = parseAmount(cost.amount);
        if (amount === undefined && FREE_WORDS.test(`${option} ${said}`)) {
            amount = 0;
        }
        if (currency !== 'GBP') {
            notes.push({ field: 'cost_options', message: 'a price not in pounds (GBP) was left out' });
            continue;
        }
        if (amount === undefined || amount < 0 || amount > 10_000) {
            notes.push({ field: 'cost_options', message: 'a price without a usable amount was left out' });
            continue;
        }
        const price: Price = { amount, currency: 'GBP' };
        if (option) price.option = shorten(option, 120);
        if (said) price.amount_description = shorten(said, 200);
        prices.push(price);
    }
    const words = cleanText(fees);
    const silent = !words || /^fees?(_description)?$/i.test(words);
    if (prices.length === 0 && costs.length === 0 && silent && !FREE_WORDS.test(description)) {
        // No price is not the same as free: the record is marked cost_unknown and a directory owner is told.
        notes.push({ field: 'cost_options', message: 'the feed gives no price: residents are told to ask' });
    }
    if (prices.length === 0 && words && !/^fees?(_description)?$/i.test(words)) {
        const pounds = /£\s*(\d+(?:\.\d{1,2})?)/.exec(words);
        if (pounds) {
            prices.push({ amount: Number(pounds[1]), currency: 'GBP', amount_description: shorten(words, 200) });
        } else if (!FREE_WORDS.test(words)) {
            notes.push({ field: 'cost_options', message: 'fees are described without a price: residents are told to ask' });
        }
    }
    return prices;
}

/** A phone number as the schema takes it: digits, spaces, + and brackets, extensions and punctuation removed. */
export function cleanPhone(value: unknown): string | undefined {
    const text = (str(value) ?? '')
        .replace(/^tel:/i, '')
        .replace(/\s*(?:ext\.?|extension|x)\s*\d+\s*$/i, '')
        .replace(/[-./]/g, ' ')
        .replace(/[^0-9 +()]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    const digits = text.replace(/\D/g, '').length;
    return digits >= 6 && /^[0-9 +()]{6,20}$/.test(text) ? text : undefined;
}

/** The first usable phone number. */
export function mapPhone(values: readonly unknown[], notes: Note[]): string | undefined {
    const given = values.filter((v) => str(v) !== undefined);
    const phone = given.map(cleanPhone).find((p) => p !== undefined);
    if (!phone && given.length > 0) {
        notes.push({ field: 'phone', message: 'is not a phone number Signpost can use: left out' });
    }
    return phone;
}

/** The schema's own check of a web address, made once (a zod schema is costly to build for every record). */
const URL_CHECK = z.url();

/** Query parameters that only track clicks. */
const TRACKING = /^(?:fbclid|gclid|msclkid|mc_[a-z]+|utm_[a-z]+)$/i;

/** An http(s) web address, with "www.example.org" given a scheme and click-tracking parameters removed. */
export function cleanUrl(value: unknown): string | undefined {
    let text = str(value);
    if (!text || /\s/.test(text)) {
        return undefined;
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text) && /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#]|$)/i.test(text)) {
        text = `https://${text}`;
    }
    try {
        const url = new URL(text);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            return undefined;
        }
        for (const key of [...url.searchParams.keys()]) {
            if (TRACKING.test(key)) {
                url.searchParams.delete(key);
            }
        }
        const clean = url.toString();
        return URL_CHECK.safeParse(clean).success ? clean : undefined;
    } catch {
        return undefined;
    }
}

/** A web address for `field`, or a note when one was given but cannot be used. */
export function mapUrl(value: unknown, field: string, notes: Note[]): string | undefined {
    const url = cleanUrl(value);
    if (!url && str(value) !== undefined) {
        notes.push({ field, message: 'is not a web address Signpost can use: left out' });
    }
    return url;
}

/** Addresses that stand in for a real one: redacted, or on domains reserved for examples. */
const PLACEHOLDER_EMAIL = new RegExp('^(?:redacted|removed|hidden|none|n/?a)@'
    + '|@(?:[a-z0-9-]+\\.)*(?:example\\.(?:com|org|net)|example|invalid|test)$', 'i');

/** A contact e-mail, leaving out redacted and placeholder ones. */
export function mapEmail(value: unknown, notes: Note[]): string | undefined {
    const email = str(value)?.replace(/^mailto:/i, '');
    if (!email) {
        return undefined;
    }
    if (PLACEHOLDER_EMAIL.test(email)) {
        notes.push({ field: 'email', message: 'is redacted or a placeholder: left out' });
        return undefined;
    }
    if (!z.email().safeParse(email).success) {
        notes.push({ field: 'email', message: 'is not an e-mail address: left out' });
        return undefined;
    }
    return email;
}

const ACCESS_WORDS: readonly [AccessFeature, RegExp][] = [
    ['wheelchair', /wheelchair|step[ -]free|level access|ramp|\blift\b/i],
    ['hearing-loop', /(?:induction|hearing) loop/i],
    ['bsl', /\bbsl\b|british sign language|sign language interpret/i],
    ['quiet-space', /quiet (?:room|space|area)/i],
    ['accessible-toilet', /(?:accessible|disabled|wheelchair[ -]accessible) (?:toilet|loo|wc)|changing places/i],
    ['large-print', /large print/i],
];

/** Accessibility features named in a feed's accessibility notes. */
export function mapAccessibility(texts: readonly string[]): AccessFeature[] {
    const all = texts.join(' ');
    return ACCESS_FEATURES.filter((feature) => ACCESS_WORDS.find(([f]) => f === feature)?.[1].test(all));
}

/** Who it is for: the feed's eligibility words, its ages, and a supplier's audience labels. */
export function mapEligibility(feed: FeedService): string | undefined {
    const parts = [...new Set(feed.eligibility.map(cleanText).filter((t) => t !== ''))];
    const min = parseAmount(feed.minimumAge);
    const max = parseAmount(feed.maximumAge);
    const mentionsAge = /\bage|\baged\b|\d+\s*(?:\+|and over|or over|years)/i.test(parts.join(' '));
    if (!mentionsAge && (min !== undefined || max !== undefined)) {
        parts.push(min !== undefined && max !== undefined && max < 120 ? `Ages ${min} to ${max}.`
            : min !== undefined ? `Ages ${min} and over.` : `Up to age ${max}.`);
    }
    // Supplier audiences nest with '>' ("Parents>Grandparents"): read whole, the most specific part first, so
    // "Grandparents (Parents)" keeps who the service means and the group it sits in.
    const audiences = [...new Set(feed.audiences.map((a) => {
        const parts = a.split('>').map(cleanText).filter((p) => p !== '');
        const last = parts.pop();
        return last && parts.length > 0 ? `${last} (${parts.join(', ')})` : last ?? '';
    }).filter((a) => a))];
    if (parts.length === 0 && audiences.length > 0) {
        parts.push(`For: ${audiences.join(', ')}.`);
    }
    const text = parts.map((p) => (/[.!?]["'”’)]*$/.test(p) ? p : `${p}.`)).join(' ');
    return text ? shorten(text, 300) : undefined;
}
