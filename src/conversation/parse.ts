/**
 * Reading residents' answers to the questions. Every function takes free text (or a button label) and returns
 * a value, or undefined when it cannot tell, so the dialog can ask again kindly.
 */
import type { AccessFeature, DayCode, TimeOfDay, WelcomeFeature } from '../knowledge/schema';
import { shippedIntents, type IntentLexicon } from '../knowledge/intents';
import { parseUkPhone as parseWholePhone } from '../handoff/contact';
import { foldForMatching } from '../unicode';
import { outwardCodeOf, phrasesAnywhere, saysNo, saysSkip, saysYes } from './understand';

/** An answer as matched: read as it looks (invisible characters, look-alike letters, full-width forms; unicode.ts). */
const clean = (text: string) => foldForMatching(text).toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ').trim();

/**
 * No preference: "skip", "pass", "doesn't matter", "not bothered", "any is fine", "I really don't mind", in any of the
 * ways in knowledge/intents (`skip`), so the question is answered and never refused.
 */
export function isSkip(text: string, lexicon: IntentLexicon = shippedIntents()): boolean {
    return saysSkip(text, lexicon);
}

/**
 * The answer to a preference question says there is none to give: no preference, or a bare no ("no", "nah", "not
 * really") where the question asks what suits them. Read after the question's own reader found nothing in it, so
 * "no, mornings" is still mornings.
 */
export function isNoPreference(text: string, lexicon: IntentLexicon = shippedIntents()): boolean {
    return isSkip(text, lexicon) || saysNo(text, lexicon);
}

/** Yes in any of the ways in knowledge/intents ("yes", "aye", "yh", "go on then", "defo"), and not no. */
export function isYes(text: string, lexicon: IntentLexicon = shippedIntents()): boolean {
    return saysYes(text, lexicon);
}

/** No in any of the ways in knowledge/intents ("no", "nah", "not really", "no ta"). */
export function isNo(text: string, lexicon: IntentLexicon = shippedIntents()): boolean {
    return saysNo(text, lexicon);
}

const DAY_WORDS: [RegExp, DayCode[]][] = [
    [/\bmon(day)?s?\b/, ['MO']],
    [/\btue(s|sday)?s?\b/, ['TU']],
    [/\bwed(nesday)?s?\b/, ['WE']],
    [/\bthu(r|rs|rsday)?s?\b/, ['TH']],
    [/\bfri(day)?s?\b/, ['FR']],
    [/\bsat(urday)?s?\b/, ['SA']],
    [/\bsun(day)?s?\b/, ['SU']],
    [/\bweek ?ends?\b/, ['SA', 'SU']],
    [/\bweek ?days?\b|\bin the week\b/, ['MO', 'TU', 'WE', 'TH', 'FR']],
];
const TIME_WORDS: [RegExp, TimeOfDay][] = [
    [/\bmorn(ing)?s?\b|\bam\b|\bbefore lunch\b|\bbrunch ?times?\b|^brunch$|\bbreakfast ?times?\b/, 'morning'],
    // Meal times are times of day: lunchtime and midday fall in the afternoon part, as the listings' sessions do.
    [/\bafternoons?\b|\bpm\b|\bafter lunch\b|\blunch ?times?\b|\bmid ?-?days?\b|\bnoon\b/, 'afternoon'],
    [/\btea ?-?times?\b|\bdinner ?-?times?\b/, 'afternoon'],
    [/\bevenings?\b|\bnights?\b|\bafter work\b|\bafter school\b|\btea ?-?times?\b|\bdinner ?-?times?\b/, 'evening'],
];

/** A clock time with am or pm, or on the 24-hour clock ("7pm", "10.30 am", "19:00"). */
const CLOCK = new RegExp('(?<![\\d:.])(\\d{1,2})(?:[:.](\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)(?![\\p{L}])'
    + '|(?<![\\d:.])([01]?\\d|2[0-3]):([0-5]\\d)(?![\\d:])', 'gu');

/** The part of the day of each clock time in a text ("7pm" -> evening; morning before 12, afternoon to 5pm). */
function clockParts(t: string): TimeOfDay[] {
    const parts = new Set<TimeOfDay>();
    for (const m of t.matchAll(CLOCK)) {
        let hour = Number(m[1] ?? m[4]);
        if (m[3] !== undefined) {
            if (hour < 1 || hour > 12) continue;
            const pm = m[3].startsWith('p');
            hour = (hour % 12) + (pm ? 12 : 0);
        }
        parts.add(hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening');
    }
    return [...parts];
}

/** Accents off and "ł" as "l", so "środa" typed as "sroda" is still Wednesday. */
const withoutMarks = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l');

/** A language's own day and time words (knowledge/intents `when`), compiled once per lexicon. */
interface LocaleWhenWords {
    days: [RegExp, DayCode[]][];
    times: [RegExp, TimeOfDay][];
    anyTime?: RegExp;
    greetings?: RegExp;
    /** A day or time ruled out ("nie w niedzielę", "ddim yn y bore"), with up to two short words between. */
    ruledOut?: RegExp;
    /** The day and time words, each global, to take them out of a text. */
    strip: RegExp[];
}
const localeWhenMade = new WeakMap<IntentLexicon, LocaleWhenWords>();
function localeWhenWords(lexicon: IntentLexicon): LocaleWhenWords {
    let made = localeWhenMade.get(lexicon);
    if (made) return made;
    const { days, weekend, weekdays, times, anyTime, greetings, ruleOut } = lexicon.when;
    const words = (list: readonly string[]) => phrasesAnywhere(list.map((w) => withoutMarks(clean(w))));
    const dayWords: [RegExp, DayCode[]][] = Object.entries(days ?? {})
        .map(([code, list]) => [words(list), [code as DayCode]]);
    if (weekend) dayWords.push([words(weekend), ['SA', 'SU']]);
    if (weekdays) dayWords.push([words(weekdays), ['MO', 'TU', 'WE', 'TH', 'FR']]);
    made = {
        days: dayWords,
        times: Object.entries(times ?? {}).map(([time, list]) => [words(list), time as TimeOfDay]),
        anyTime: anyTime ? words(anyTime) : undefined,
        greetings: greetings ? new RegExp(words(greetings).source, 'gu') : undefined,
        strip: [],
    };
    made.strip = [...made.days, ...made.times].map(([re]) => new RegExp(re.source, 'gu'));
    if (ruleOut && made.strip.length) {
        made.ruledOut = new RegExp(`${words(ruleOut).source}\\s+(?:\\p{L}{1,3}\\s+){0,2}`
            + `(?:${made.strip.map((re) => re.source).join('|')})`, 'gu');
    }
    localeWhenMade.set(lexicon, made);
    return made;
}

/**
 * The text with the language's own day and time words taken out (accents folded off), so what is left says whether
 * a sentence is about when to go ("jutro po południu" is all time words; pickUp.ts).
 */
export function withoutLocaleWhenWords(text: string, lexicon: IntentLexicon = shippedIntents()): string {
    const local = localeWhenWords(lexicon);
    let t = withoutMarks(clean(text));
    for (const re of local.strip) t = t.replace(re, ' ');
    return t;
}

/**
 * Days and times from "Tuesday mornings", "weekends", "7pm", "any time", and in the conversation's language from
 * its own words in knowledge/intents ("we wtorki rano", "dydd Mawrth yn y bore"). `any` is true for no preference.
 */
export function parseWhen(text: string, lexicon: IntentLexicon = shippedIntents())
    : { days: DayCode[]; times: TimeOfDay[]; any: boolean } | undefined {
    const t = clean(text);
    const days = new Set<DayCode>();
    for (const [re, codes] of DAY_WORDS) if (re.test(t)) codes.forEach((c) => days.add(c));
    const times = new Set<TimeOfDay>();
    for (const [re, time] of TIME_WORDS) if (re.test(t)) times.add(time);
    for (const time of clockParts(t)) times.add(time);
    const local = localeWhenWords(lexicon);
    // "Bore da" (good morning) greets; it asks for no morning.
    let folded = local.greetings ? withoutMarks(t).replace(local.greetings, ' ') : withoutMarks(t);
    // A day or time ruled out is not one asked for (what is ruled out is read in English only: wishes.ts).
    if (local.ruledOut) folded = folded.replace(local.ruledOut, ' ');
    for (const [re, codes] of local.days) if (re.test(folded)) codes.forEach((c) => days.add(c));
    for (const [re, time] of local.times) if (re.test(folded)) times.add(time);
    const named = days.size > 0 || times.size > 0;
    // "Anything in the evening" names a time after its no-preference words; "whatever, not mornings" does not ask
    // for mornings, so a day or time said with "not" or "but" leaves it no preference.
    const skipped = isSkip(t) && !(named && !/\b(not|but|except|apart from|other than)\b/.test(t));
    if (skipped || /\b(any ?time|whenever|all the time|flexible|any day)\b/.test(t) || local.anyTime?.test(folded)) {
        return { days: [], times: [], any: true };
    }
    if (!named) return undefined;
    const order: DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    return { days: order.filter((d) => days.has(d)), times: [...times], any: false };
}

/** True: free only. False: can pay. Undefined: could not tell. */
export function parseCost(text: string): boolean | undefined {
    const t = clean(text);
    if (/\b(can pay|pay a little|don'?t mind paying|happy to pay|paying is fine|not free)\b/.test(t)) return false;
    if (/\bfree\b|\bno money\b|\bcan'?t (afford|pay)\b|\bskint\b|\bbroke\b/.test(t)) return true;
    if (isYes(t)) return true;
    if (isNo(t)) return false;
    return undefined;
}

const ACCESS_WORDS: [RegExp, AccessFeature][] = [
    [/wheel ?chair|mobility|scooter|walking (frame|stick)|walker|crutch|step[- ]?free|no stairs|can'?t (do|manage) stairs|ramp/, 'wheelchair'],
    [/hearing loop|\bloop\b|hard of hearing|hearing aid/, 'hearing-loop'],
    [/\bbsl\b|sign language|\bsigning\b|\bdeaf\b/, 'bsl'],
    [/quiet|calm|noisy|noise|autis|sensory|crowd/, 'quiet-space'],
    [/toilet|loo\b/, 'accessible-toilet'],
    [/large print|big print|sight|partially sighted|visually impaired|blind/, 'large-print'],
];

/** Access needs named in the text (may be empty: "nothing, thanks"). */
export function parseAccess(text: string): AccessFeature[] {
    const t = clean(text);
    const found = new Set<AccessFeature>();
    for (const [re, feature] of ACCESS_WORDS) if (re.test(t)) found.add(feature);
    return [...found];
}

/** Welcome features that answer the worries named ("I'd rather not go alone" -> someone meets you). */
export function parseWorries(text: string): WelcomeFeature[] {
    const t = clean(text);
    const found = new Set<WelcomeFeature>();
    if (/alone|on my own|by myself|don'?t know anyone|no one to go with|nobody to go with/.test(t)) {
        found.add('meet-at-door');
        found.add('bring-someone');
    }
    if (/nervous|anxious|anxiety|shy|scared|worried|new places|confidence|panic|big groups|crowds/.test(t)) {
        found.add('beginners-welcome');
        found.add('small-group');
    }
    if (/phone first|talk first|call first|ring first/.test(t)) found.add('phone-first');
    return [...found];
}

/** "online", "online or phone is fine", "on the phone" -> online ok; "online only" -> online only. */
export function parseOnline(text: string): 'ok' | 'only' | undefined {
    const t = clean(text);
    if (/\b(online|internet|zoom|video|phone|from home|at home)\b.*\bonly\b|\bonly\b.*\b(online|phone)\b|can'?t (get|go) out/.test(t)) {
        return 'only';
    }
    if (/\b(online|internet|zoom|video call|by phone|on the phone|phone is fine|from home)\b/.test(t)) return 'ok';
    return undefined;
}

/** A run of digits, spaces, dots, dashes and brackets that may be a phone number, with an optional +44 or 0044. */
const PHONE_RUN = /(?<![\p{N}])(?:\+|00)?\(?\d[\d\s().-]{7,20}\d(?![\p{N}])/gu;

/**
 * A UK phone number in national form, or undefined: the whole answer ("0117 496 0123"), or the first number in a
 * sentence ("it's 0117 496 0123, that's the landline"). Each number is read by src/handoff/contact.ts, as the
 * intake compares it, so a number the bot accepts is always the number compared.
 */
export function parseUkPhone(text: string): string | undefined {
    const whole = parseWholePhone(text);
    if (whole) return whole;
    for (const m of foldForMatching(text).matchAll(PHONE_RUN)) {
        const found = parseWholePhone(m[0].trim());
        if (found) return found;
    }
    return undefined;
}

/**
 * A place answer as the matcher should read it: a district written with the sector's digit or odd spacing ("bs5 6",
 * "bs 5") as its outward code first, then the answer as typed. Returns what `resolve` found first.
 */
export function parsePlace<T>(text: string, resolve: (text: string) => T | undefined): T | undefined {
    const outward = outwardCodeOf(text);
    return (outward ? resolve(outward) : undefined) ?? resolve(text);
}

/** An e-mail address, trimmed, or undefined. Deliberately simple: a connector checks it by writing to it. */
export function parseEmail(text: string): string | undefined {
    const t = text.trim();
    return t.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(t) ? t : undefined;
}

/** A whole number the resident typed to pick from a list ("2", "number 2", "the second one"). */
export function parsePick(text: string, max: number): number | undefined {
    const t = clean(text);
    const words = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
    let n: number | undefined;
    const digits = /^(?:no\.?|number|#|option)?\s*(\d{1,3})\.?$/.exec(t);
    if (digits) n = Number(digits[1]);
    else {
        const w = words.findIndex((word) => new RegExp(`^(the )?${word}( one)?$`).test(t));
        if (w >= 0) n = w + 1;
    }
    return n !== undefined && n >= 1 && n <= max ? n : undefined;
}
