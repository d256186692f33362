/**
 * Time words wherever they appear ("today", "tonight", "tomorrow morning", "this weekend", "after work", weekday
 * names, "open now"), read against the app's clock (services.now) in Europe/London time, so a resident in Bristol
 * gets Tuesday when it is Tuesday there, daylight saving included. The words are in knowledge/intents (`when`);
 * days and parts of the day by name are read by parseWhen (parse.ts).
 */
import { DAY_CODES, type DayCode, type TimeOfDay } from '../knowledge/schema';
import type { IntentLexicon } from '../knowledge/intents';
import type { Session } from '../matching/schedule';
import { parseWhen } from './parse';
import { normalise, phrasesAnywhere, phrasesWhole } from './understand';

/** Residents' clock: every day and time the bot reads or says is London time. */
export const RESIDENT_TIME_ZONE = 'Europe/London';

/** How long ahead "open now" looks: a session running now, or starting within this many minutes. */
export const OPEN_NOW_MINUTES = 120;

const DAY_MINUTES = 24 * 60;
const WEEKDAYS: Readonly<Record<string, DayCode>> = {
    Mon: 'MO', Tue: 'TU', Wed: 'WE', Thu: 'TH', Fri: 'FR', Sat: 'SA', Sun: 'SU',
};
const clockFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: RESIDENT_TIME_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** The day and the minute of the day in London at an instant. */
export interface LondonTime {
    day: DayCode;
    /** Minutes since London midnight, 0..1439. */
    minutes: number;
}

/** The London day and minute of an instant (the offset, GMT or BST, comes from the time zone rules). */
export function londonTime(at: Date): LondonTime {
    const parts = Object.fromEntries(clockFormat.formatToParts(at).map((p) => [p.type, p.value]));
    const day = WEEKDAYS[parts.weekday ?? ''] ?? 'MO';
    return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The day after. */
export function nextDay(day: DayCode): DayCode {
    return DAY_CODES[(DAY_CODES.indexOf(day) + 1) % DAY_CODES.length] as DayCode;
}

/** What a message says about when, read against the clock. */
export interface WhenWords {
    days: DayCode[];
    times: TimeOfDay[];
    /** "open now": a session running now or starting within OPEN_NOW_MINUTES. */
    openNow: boolean;
    /** "any time", "whenever": no preference. */
    any: boolean;
}

/**
 * Days, parts of the day and "now" from anywhere in a message: day names and parts of the day (parseWhen), and
 * "today", "tonight", "tomorrow" and "open now" against `now` in London time. Undefined when it says nothing about
 * when. "Not Sundays" is a day ruled out, read by the wishes (src/matching/wishes.ts), not a day asked for here.
 */
export function readWhen(text: string, now: Date, lex: IntentLexicon): WhenWords | undefined {
    const t = normalise(text).replace(/[.!?,;:]+$/u, '');
    const named = parseWhen(t, lex);
    const days = new Set<DayCode>(named && !named.any ? named.days : []);
    const times = new Set<TimeOfDay>(named && !named.any ? named.times : []);
    const london = londonTime(now);
    const openNow = phrasesAnywhere(lex.when.now).test(t) || phrasesWhole(lex.when.nowAlone).test(t);
    let relative = false;
    if (phrasesAnywhere(lex.when.tonight).test(t)) {
        days.add(london.day);
        times.add('evening');
        relative = true;
    }
    if (phrasesAnywhere(lex.when.today).test(t) || openNow) {
        days.add(london.day);
        relative = true;
    }
    if (phrasesAnywhere(lex.when.tomorrow).test(t)) {
        days.add(nextDay(london.day));
        relative = true;
    }
    if (!named && !relative && !openNow) return undefined;
    if (named?.any && !relative && !openNow) return { days: [], times: [], openNow: false, any: true };
    return { days: DAY_CODES.filter((d) => days.has(d)), times: [...times], openNow, any: false };
}

function minutesOf(hhmm: string): number {
    const [hours, minutes] = hhmm.split(':').map(Number);
    return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** How a listing stands for "open now": a session on now or soon, none, or no timetable to tell from. */
export type OpenNow = 'soon' | 'not' | 'untimed';

/**
 * Whether a listing has a session running at `now` or starting within OPEN_NOW_MINUTES, in London time: yesterday's
 * overnight sessions still running count, and so do tomorrow's that start just after midnight. A listing with no
 * timetable is 'untimed': the bot cannot tell, and says so rather than presenting it as open.
 */
export function openNowFit(schedules: readonly Session[], now: Date): OpenNow {
    if (!schedules.length) return 'untimed';
    const { day, minutes } = londonTime(now);
    const yesterday = DAY_CODES[(DAY_CODES.indexOf(day) + 6) % 7] as DayCode;
    const tomorrow = nextDay(day);
    const until = minutes + OPEN_NOW_MINUTES;
    for (const session of schedules) {
        const opens = minutesOf(session.opens_at);
        let closes = minutesOf(session.closes_at);
        if (closes <= opens) closes += DAY_MINUTES;
        // Each session's times measured from today's London midnight: yesterday's start at -1440, tomorrow's at 1440.
        const starts: number[] = [];
        if (session.byday.includes(yesterday)) starts.push(-DAY_MINUTES);
        if (session.byday.includes(day)) starts.push(0);
        if (session.byday.includes(tomorrow)) starts.push(DAY_MINUTES);
        for (const base of starts) {
            if (base + opens <= until && base + closes > minutes) return 'soon';
        }
    }
    return 'not';
}
