/**
 * Days and times: does a listing's timetable meet the days and parts of the day a resident asked for, and how do we
 * say a timetable in plain words ("Tuesdays, 10am to 12pm").
 */
import type { DayCode, Opportunity, TimeOfDay } from '../knowledge/schema';
import { DAY_CODES } from '../knowledge/schema';

/** One regular session of a listing (HSDS schedule). */
export type Session = Opportunity['schedules'][number];

/** A day and part of the day a session meets, for "Tuesday mornings". */
export interface Slot {
    day: DayCode;
    time: TimeOfDay;
}

/**
 * `fits`: some session meets the request; `misses`: none does; `arranged`: the listing has no regular times
 * ("contact them"), so a time is agreed with the resident and we do not filter it out.
 */
export type WhenFit = 'fits' | 'misses' | 'arranged';

const NOON = 12 * 60;
const FIVE_PM = 17 * 60;
const DAY_MINUTES = 24 * 60;

const DAY_NAMES: Readonly<Record<DayCode, string>> = Object.freeze({
    MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
});

const PART_PLURALS: Readonly<Record<TimeOfDay, string>> = Object.freeze({
    morning: 'mornings', afternoon: 'afternoons', evening: 'evenings',
});

function minutesOf(hhmm: string): number {
    const [hours, minutes] = hhmm.split(':').map(Number);
    return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * The parts of the day a session overlaps. Morning is before 12:00, afternoon 12:00-17:00, evening after 17:00
 * (as TIMES_OF_DAY says), so 10:00-12:00 is a morning only and 11:00-13:00 is both.
 */
export function partsOfDay(session: Pick<Session, 'opens_at' | 'closes_at'>): TimeOfDay[] {
    const opens = minutesOf(session.opens_at);
    let closes = minutesOf(session.closes_at);
    if (closes <= opens) {
        // An overnight session (a night shelter, 20:00-08:00) closes tomorrow.
        closes += DAY_MINUTES;
    }
    const parts: TimeOfDay[] = [];
    if (opens < NOON) {
        parts.push('morning');
    }
    if (opens < FIVE_PM && closes > NOON) {
        parts.push('afternoon');
    }
    if (closes > FIVE_PM) {
        parts.push('evening');
    }
    return parts;
}

/** The first day and part of the day at which a session meets the request, if it does. Empty lists mean "any". */
function sessionSlot(session: Session, days: readonly DayCode[], times: readonly TimeOfDay[]): Slot | undefined {
    const day = days.length === 0 ? session.byday[0] : session.byday.find((d) => days.includes(d));
    const parts = partsOfDay(session);
    const time = times.length === 0 ? parts[0] : parts.find((p) => times.includes(p));
    return day !== undefined && time !== undefined ? { day, time } : undefined;
}

/** The first slot of any session that meets the requested days and times (both must hold in the same session). */
export function fittingSlot(
    schedules: readonly Session[],
    days: readonly DayCode[] = [],
    times: readonly TimeOfDay[] = [],
): Slot | undefined {
    for (const session of schedules) {
        const slot = sessionSlot(session, days, times);
        if (slot) {
            return slot;
        }
    }
    return undefined;
}

/** Whether a listing's timetable meets the requested days and times; see WhenFit. */
export function whenFit(
    schedules: readonly Session[],
    days: readonly DayCode[] = [],
    times: readonly TimeOfDay[] = [],
): WhenFit {
    if (schedules.length === 0) {
        return 'arranged';
    }
    return fittingSlot(schedules, days, times) ? 'fits' : 'misses';
}

/** "10am", "9:30am", "12pm", "12am", "1:15pm" from "HH:MM". */
export function formatClock(hhmm: string): string {
    const total = minutesOf(hhmm) % DAY_MINUTES;
    const hours = Math.floor(total / 60);
    const minutes = total % 60;
    const suffix = hours < 12 ? 'am' : 'pm';
    const hour12 = hours % 12 === 0 ? 12 : hours % 12;
    return minutes === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minutes).padStart(2, '0')}${suffix}`;
}

/** "Mondays", "Mondays and Thursdays", "Mondays, Wednesdays and Fridays", "Weekdays", "Weekends", "Every day". */
export function describeDays(days: readonly DayCode[]): string {
    const sorted = DAY_CODES.filter((d) => days.includes(d));
    const key = sorted.join(',');
    if (key === DAY_CODES.join(',')) {
        return 'Every day';
    }
    if (key === 'MO,TU,WE,TH,FR') {
        return 'Weekdays';
    }
    if (key === 'SA,SU') {
        return 'Weekends';
    }
    return joinAnd(sorted.map((d) => `${DAY_NAMES[d]}s`));
}

/** One session in plain words: "Tuesdays, 10am to 12pm", or its own description first when it has one. */
export function describeSession(session: Session): string {
    const when = session.description?.trim() || describeDays(session.byday);
    return `${when}, ${formatClock(session.opens_at)} to ${formatClock(session.closes_at)}`;
}

/** A whole timetable in plain words, sessions joined by "; ". Empty when there are no regular times. */
export function describeSchedules(schedules: readonly Session[]): string {
    return schedules.map(describeSession).join('; ');
}

/** A slot in plain words: "Tuesday mornings". */
export function describeSlot(slot: Slot): string {
    return `${DAY_NAMES[slot.day]} ${PART_PLURALS[slot.time]}`;
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
    if (items.length <= 1) {
        return items[0] ?? '';
    }
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
