/**
 * Explicit wishes, read from anything the resident wrote (the opening message and every answer): to go out to
 * something in person, not on the phone, a day or a time they said no to, that they can pay, and who they are (for
 * the eligibility of listings, eligibility.ts). Wishes become filters and preferences in fit.ts, so what a resident
 * said is honoured even when no question asked it.
 *
 * Pure. The words come from knowledge/wording.json (`wishes`); the rules are general: a negation up to a few words
 * before a day, time or phone word rules it out ("not Sundays", "I can't do weekends", "don't want phone calls"),
 * and the other phrases count wherever they appear, as whole words.
 */
import type { DayCode, TimeOfDay } from '../knowledge/schema';
import { foldForMatching } from '../unicode';
import type { Preferences, Who } from './types';

/** The phrasings wishes are read with (knowledge/wording.json `wishes`). */
export interface WishWords {
    negations: readonly string[];
    days: Readonly<Record<DayCode, readonly string[]>>;
    weekend: readonly string[];
    weekdays: readonly string[];
    times: Readonly<Record<TimeOfDay, readonly string[]>>;
    phone: readonly string[];
    noPhone: readonly string[];
    goOut: readonly string[];
    canPay: readonly string[];
    young: readonly string[];
    child: readonly string[];
}

/** What one message says; merged into the preferences with mergeWishes. */
export type Wishes = Pick<Preferences, 'notDays' | 'notTimes' | 'goOut' | 'noPhone' | 'canPay' | 'who'>;

/** How many words may sit between a negation and what it rules out ("not really on a Sunday"). */
const NEGATION_REACH = 3;
/**
 * The only words that may sit there: small words that keep the negation on what follows ("can't do weekends", "not
 * free on Sundays", "don't want phone calls"), so "I don't know anyone, weekends are best" stays a weekend.
 */
const FILLERS = ['on', 'in', 'at', 'the', 'a', 'an', 'any', 'really', 'during', 'over', 'for', 'do', 'want', 'to',
    'be', 'like', 'have', 'use', 'talk', 'talking', 'free', 'available', 'good', 'great', 'keen', 'fond', 'of', 'too',
    'so', 'much', 'doing', 'go', 'going', 'it', 'them', 'things', 'stuff', 'anything'];
// Not 'work' or 'working': "I'm not working on Mondays" frees Monday, it does not rule it out.
const FILLER = `(?:(?:${FILLERS.join('|')}) ){0,${NEGATION_REACH}}`;
/** A negation that is itself negated ("not busy on Mondays") rules nothing out. */
const NOT_NEGATED = "(?<!(?:not|never|n't|isn't|aren't|i'm not) )";
/** "No, mornings are fine": a bare no answering the question, then a full stop or comma, is not a negation. */
const BARE_NO = /(^|[.!?;]\s*)(?:no|nope|nah|no thanks|not really)\s*[,.!;:]+/gi;
const DAY_ORDER: readonly DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const WEEKDAYS: readonly DayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR'];

/** A message as wishes read it: folded as the detectors read it, lower case, words between single spaces. */
function clean(text: string): string {
    return foldForMatching(text.replace(BARE_NO, '$1 ')).toLowerCase().replace(/[’‘`]/g, "'")
        .replace(/[^a-z0-9' ]+/g, ' ')
        .replace(/\s+/g, ' ').trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiled patterns by the word lists they are made of: the lists are fixed at start-up, so each pattern is compiled
 * once, and found again by the lists themselves, not by its source (a string of kilobytes, which was built and
 * hashed again a dozen times a message).
 */
type PatternCache = WeakMap<object, WeakMap<object, RegExp>>;
const hasPatterns: PatternCache = new WeakMap();
const negatedPatterns: PatternCache = new WeakMap();
const listPatterns: PatternCache = new WeakMap();
function regex(cache: PatternCache, first: object, second: object, source: () => string): RegExp {
    let inner = cache.get(first);
    if (!inner) cache.set(first, inner = new WeakMap());
    let re = inner.get(second);
    if (!re) inner.set(second, re = new RegExp(source()));
    return re;
}

/** Patterns by word list, for the same reason. */
const patterns = new WeakMap<readonly string[], string>();

/** A pattern for any of the phrases as whole words, a plural "s" allowed. */
function phrasePattern(phrases: readonly string[]): string {
    const known = patterns.get(phrases);
    if (known !== undefined) return known;
    const made = makePattern(phrases);
    patterns.set(phrases, made);
    return made;
}

function makePattern(phrases: readonly string[]): string {
    const sorted = [...phrases].map(clean).filter(Boolean).sort((a, b) => b.length - a.length);
    return `(?:${sorted.map((p) => escape(p).replace(/ /g, ' ')).join('|')})s?`;
}

function has(text: string, phrases: readonly string[]): boolean {
    return phrases.length > 0
        && regex(hasPatterns, phrases, phrases, () => `(?:^| )${phrasePattern(phrases)}(?= |$)`).test(text);
}

/** Whether one of `phrases` follows a negation within NEGATION_REACH words. */
function negated(text: string, negations: readonly string[], phrases: readonly string[]): boolean {
    if (!phrases.length || !negations.length) return false;
    const pattern = regex(negatedPatterns, negations, phrases, () => `(?:^| )${NOT_NEGATED}`
        + `${phrasePattern(negations)} ${FILLER}(?:(?:or|and|nor) )?${phrasePattern(phrases)}(?= |$)`);
    return pattern.test(text);
}

/**
 * Days named after a negation, each with its own reach: "not Saturdays or Sundays" rules out both, and in "I work
 * Mondays, not Fridays" only Friday. A list after one negation ("no weekends or evenings") is read to its end.
 */
function negatedDays(text: string, words: Readonly<WishWords>): DayCode[] {
    const out = new Set<DayCode>();
    for (const day of DAY_ORDER) {
        if (negatedInList(text, words, words.days[day])) out.add(day);
    }
    if (negatedInList(text, words, words.weekend)) ['SA', 'SU'].forEach((d) => out.add(d as DayCode));
    if (negatedInList(text, words, words.weekdays)) WEEKDAYS.forEach((d) => out.add(d));
    return DAY_ORDER.filter((d) => out.has(d));
}

/** A pattern for every day and time word, for reading a list after one negation; made once per word set. */
const whenPatterns = new WeakMap<object, string>();
function whenPattern(words: Readonly<WishWords>): string {
    let made = whenPatterns.get(words);
    if (made === undefined) {
        made = makePattern([...Object.values(words.days).flat(), ...words.weekend, ...words.weekdays,
            ...Object.values(words.times).flat()]);
        whenPatterns.set(words, made);
    }
    return made;
}

function negatedInList(text: string, words: Readonly<WishWords>, phrases: readonly string[]): boolean {
    if (negated(text, words.negations, phrases)) return true;
    // "no weekends or evenings": a day or time word joined to a negated one by "or", "and", "nor" or a comma.
    const pattern = regex(listPatterns, words, phrases, () => {
        const list = whenPattern(words);
        return `(?:^| )${NOT_NEGATED}${phrasePattern(words.negations)} ${FILLER}`
            + `${list}(?: (?:or|and|nor|or on|and on|or in|and in) ${list})* (?:or|and|nor|or on|and on|or in|and in) `
            + `${phrasePattern(phrases)}(?= |$)`;
    });
    return pattern.test(text);
}

const NOT_AN_AGE = '(?! (?:min|mins|minute|minutes|mile|miles|km|hour|hours|hr|hrs|metres|meters|yards|doors|stops'
    + '|streets|walk|drive)\\b)';
const AGE_SAID = new RegExp(
    `(?:^| )(?:i'm|im|i am|aged|age) (\\d{1,2})(?: years? old| yrs?| y o)?(?= |$)${NOT_AN_AGE}`);

/** An age the resident gave about themselves: "I'm 24", "I am 19 years old", "aged 30". */
function ageOf(text: string): number | undefined {
    // Not a distance or a time: "I'm 10 minutes from the centre", "I am 2 miles away".
    const m = AGE_SAID.exec(text)
        ?? /(?:^| )(\d{1,2}) (?:years? old|yrs? old|yo)(?= |$)/.exec(text);
    const age = m ? Number(m[1]) : NaN;
    return age >= 5 && age <= 99 ? age : undefined;
}

/** Reads the wishes in one message. Only what it says is set; nothing it does not say. */
export function readWishes(raw: string, words: Readonly<WishWords>): Wishes {
    const text = clean(raw.slice(0, 2000));
    const wishes: Wishes = {};
    if (!text) return wishes;
    const notDays = negatedDays(text, words);
    if (notDays.length) wishes.notDays = notDays;
    const notTimes = (['morning', 'afternoon', 'evening'] as const)
        .filter((time) => negatedInList(text, words, words.times[time]));
    if (notTimes.length) wishes.notTimes = notTimes;
    if (negated(text, words.negations, words.phone) || has(text, words.noPhone)) wishes.noPhone = true;
    if (has(text, words.goOut) && !negated(text, words.negations, words.goOut)) wishes.goOut = true;
    if (has(text, words.canPay) && !negated(text, words.negations, words.canPay)) wishes.canPay = true;
    const who: Who = {};
    const age = ageOf(text);
    if (age !== undefined) {
        who.age = age;
        if (age < 18) who.child = true;
    }
    if (has(text, words.young)) who.young = true;
    if (has(text, words.child)) who.child = true;
    if (Object.keys(who).length) wishes.who = who;
    return wishes;
}

/**
 * Adds one message's wishes to the preferences (a new object). A day or time ruled out is taken out of the days and
 * times asked for ("not Sundays" must not become "Sundays"); "can pay" ends "free only".
 */
export function mergeWishes(prefs: Preferences, wishes: Wishes): Preferences {
    const out: Preferences = { ...prefs };
    if (wishes.notDays?.length) {
        out.notDays = DAY_ORDER.filter((d) => prefs.notDays?.includes(d) || wishes.notDays?.includes(d));
        const days = (prefs.days ?? []).filter((d) => !out.notDays?.includes(d));
        if (days.length) out.days = days;
        else delete out.days;
    }
    if (wishes.notTimes?.length) {
        out.notTimes = (['morning', 'afternoon', 'evening'] as const)
            .filter((t) => prefs.notTimes?.includes(t) || wishes.notTimes?.includes(t));
        const times = (prefs.times ?? []).filter((t) => !out.notTimes?.includes(t));
        if (times.length) out.times = times;
        else delete out.times;
    }
    if (wishes.goOut) out.goOut = true;
    if (wishes.noPhone) out.noPhone = true;
    if (wishes.canPay) {
        out.canPay = true;
        delete out.freeOnly;
    }
    if (wishes.who) out.who = { ...prefs.who, ...wishes.who };
    return out;
}
