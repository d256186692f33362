/** The connectors' working hours: whether they are working now and, if not, when they next start. */
import type { WorkingHours } from '../config';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * When connectors next start: the day in English words ("later today", "tomorrow", "on Monday"), the same as days
 * ahead and a weekday (so the bot can say it in the resident's language from its wording), and the time.
 */
export interface NextOpening {
    day: string;
    /** 0 later today, 1 tomorrow, more: that many days ahead. */
    ahead: number;
    /** The day of the week it falls on, 0 Sunday. */
    weekday: number;
    time: string;
}

/** The weekday (0 Sunday) and "HH:MM" of an instant in a time zone. */
function localTime(at: Date, timeZone: string): { day: number; time: string } {
    const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
    return { day, time: `${get('hour')}:${get('minute')}` };
}

/** Undefined while connectors are working; otherwise when they next start. */
export function nextOpening(now: Date, hours: WorkingHours): NextOpening | undefined {
    const { day, time } = localTime(now, hours.timeZone);
    const worksOn = (d: number) => hours.days.includes(d);
    if (worksOn(day) && time >= hours.start && time < hours.end) return undefined;
    if (worksOn(day) && time < hours.start) return { day: 'later today', ahead: 0, weekday: day, time: hours.start };
    for (let ahead = 1; ahead <= 7; ahead++) {
        const d = (day + ahead) % 7;
        if (worksOn(d)) {
            return { day: ahead === 1 ? 'tomorrow' : `on ${WEEKDAYS[d]}`, ahead, weekday: d, time: hours.start };
        }
    }
    return undefined;
}
