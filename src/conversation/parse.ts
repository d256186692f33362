/**
 * Reading residents' answers to the questions. Every function takes free text (or a button label) and returns
 * a value, or undefined when it cannot tell, so the dialog can ask again kindly.
 */
import type { AccessFeature, DayCode, TimeOfDay, WelcomeFeature } from '../knowledge/schema';
import { foldForMatching } from '../unicode';

/** An answer as matched: read as it looks (invisible characters, look-alike letters, full-width forms; unicode.ts). */
const clean = (text: string) => foldForMatching(text).toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ').trim();

/** "skip", "pass", "rather not say", "don't mind". */
export function isSkip(text: string): boolean {
    return /^(skip|pass|next|no preference|rather not say|not sure|dunno|don'?t know|don'?t mind|any|either|whatever)\b/
        .test(clean(text));
}

export function isYes(text: string): boolean {
    return /^(y|yes|yeah|yep|yup|ok|okay|sure|please|yes please|correct|right|that'?s right|i agree|agree)\b/
        .test(clean(text));
}

export function isNo(text: string): boolean {
    return /^(n|no|nope|nah|not really|not quite|no thanks|wrong)\b/.test(clean(text));
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
    [/\bmorn(ing)?s?\b|\bam\b|\bbefore lunch\b/, 'morning'],
    [/\bafternoons?\b|\bpm\b|\bafter lunch\b|\blunch ?time\b/, 'afternoon'],
    [/\bevenings?\b|\bnights?\b|\bafter work\b|\bafter school\b/, 'evening'],
];

/** Days and times from "Tuesday mornings", "weekends", "any time". `any` is true for no preference. */
export function parseWhen(text: string): { days: DayCode[]; times: TimeOfDay[]; any: boolean } | undefined {
    const t = clean(text);
    if (isSkip(t) || /\b(any ?time|whenever|all the time|flexible|any day)\b/.test(t)) {
        return { days: [], times: [], any: true };
    }
    const days = new Set<DayCode>();
    for (const [re, codes] of DAY_WORDS) if (re.test(t)) codes.forEach((c) => days.add(c));
    const times = new Set<TimeOfDay>();
    for (const [re, time] of TIME_WORDS) if (re.test(t)) times.add(time);
    if (days.size === 0 && times.size === 0) return undefined;
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

/** A UK phone number in national form, or undefined: read in src/handoff/contact.ts, as the intake compares it. */
export { parseUkPhone } from '../handoff/contact';

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
