/**
 * When an urgent request's first contact is owed. Urgent means "contact today": a request made (or made urgent) in
 * the connectors' working hours is due by the end of that working day; one made out of hours (in the last hour of
 * the day, at night, at a weekend) is due by the end of the next working morning (three hours after the
 * connectors start: noon for 09:00). Before, an urgent request was due at the moment it was made, so it showed as
 * overdue from its first minute, which told connectors nothing.
 *
 * The hours are the connectors' (SIGNPOST_CONNECTOR_HOURS, in SIGNPOST_CONNECTOR_TIMEZONE), daylight saving from
 * the time zone rules. Bank holidays are not known: a request made on one is due that day (docs/configuration.md).
 */
import { parseWorkingHours, type WorkingHours } from '../config';

/** The hours when none are given (the default of SIGNPOST_CONNECTOR_HOURS). */
export const DEFAULT_CONNECTOR_HOURS: WorkingHours = Object.freeze({
    ...parseWorkingHours('Mon-Fri 09:00-17:00')!, timeZone: 'Europe/London',
});

/** A request made this close to the end of the day is due the next working morning: an hour is not "today". */
export const LATE_MINUTES = 60;

/** "The next working morning" ends this long after the connectors start. */
export const MORNING_MINUTES = 3 * 60;

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const formats = new Map<string, Intl.DateTimeFormat>();

interface WallClock {
    year: number;
    month: number;
    day: number;
    /** 0 Sunday to 6 Saturday. */
    weekday: number;
    /** Minutes after local midnight. */
    minutes: number;
}

function wallClock(at: Date, timeZone: string): WallClock {
    let format = formats.get(timeZone);
    if (!format) {
        format = new Intl.DateTimeFormat('en-GB', {
            timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit',
            minute: '2-digit', hourCycle: 'h23',
        });
        formats.set(timeZone, format);
    }
    const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
    return {
        year: Number(p.year), month: Number(p.month), day: Number(p.day),
        weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? ''),
        minutes: Number(p.hour) * 60 + Number(p.minute),
    };
}

function minutesOf(hhmm: string): number {
    const [h, m] = hhmm.split(':').map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
}

/** The instant of a wall-clock time on a local date in a time zone (whatever offset applies then). */
function instantOf(date: WallClock, minutes: number, timeZone: string): Date {
    const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
    // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
    let at = wall;
    for (let i = 0; i < 2; i++) {
        const c = wallClock(new Date(at), timeZone);
        const seen = Date.UTC(c.year, c.month - 1, c.day, 0, c.minutes);
        at += wall - seen;
    }
    return new Date(at);
}

/**
 * When first contact with a request made urgent at `at` is owed: the end of that working day when it came before
 * the last hour of it; else the end of the next working morning (today's, when it came before the start of a
 * working day).
 */
export function urgentDueBy(at: Date, hours: WorkingHours): Date {
    const { timeZone } = hours;
    const start = minutesOf(hours.start);
    const end = minutesOf(hours.end);
    const morning = Math.min(start + MORNING_MINUTES, end);
    const now = wallClock(at, timeZone);
    if (hours.days.includes(now.weekday)) {
        if (now.minutes < start) return instantOf(now, morning, timeZone);
        if (now.minutes < end - LATE_MINUTES) return instantOf(now, end, timeZone);
    }
    // The next working day: a day at a time from local noon (noon is never near a clock change).
    let probe = instantOf(now, 12 * 60, timeZone).getTime();
    for (let ahead = 1; ahead <= 7; ahead++) {
        probe += DAY_MS;
        const day = wallClock(new Date(probe), timeZone);
        if (hours.days.includes(day.weekday)) return instantOf(day, morning, timeZone);
    }
    // No working day at all cannot be configured (parseWorkingHours needs one); be safe: due in a day.
    return new Date(at.getTime() + DAY_MS - MINUTE_MS);
}
