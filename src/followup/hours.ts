/**
 * Sending hours for proactive messages (issue 22): reminders and check-ins go only between 9am and 8pm in
 * Europe/London, whatever the server's own time zone, with British Summer Time right on the days the clocks change.
 * A message due outside the hours goes at the next 9am.
 */

/** The first hour a message may go, London time. */
export const SENDING_FROM_HOUR = 9;
/** The hour from which no message goes, London time (8pm). */
export const SENDING_UNTIL_HOUR = 20;

const LONDON = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** The London wall-clock time of an instant. */
export function londonParts(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
    const parts = Object.fromEntries(LONDON.formatToParts(at).map((p) => [p.type, p.value]));
    return {
        year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour),
        minute: Number(parts.minute),
    };
}

/** Whether a message may be sent at this instant (9:00 to 19:59:59 London time). */
export function inSendingHours(at: Date): boolean {
    const { hour } = londonParts(at);
    return hour >= SENDING_FROM_HOUR && hour < SENDING_UNTIL_HOUR;
}

/** The instant of `hour`:00 London time on a London calendar day (the clocks never change at 9am). */
function londonAt(year: number, month: number, day: number, hour: number): Date {
    const guess = Date.UTC(year, month - 1, day, hour);
    // London is UTC or UTC+1: the wall-clock hour the guess shows tells the offset that day.
    const shown = londonParts(new Date(guess)).hour;
    const offsetHours = (shown - hour + 24) % 24;
    return new Date(guess - offsetHours * 3_600_000);
}

/** When a message due at `due` goes: at once if in sending hours, else at the next 9am London time. */
export function sendingTime(due: Date): Date {
    if (inSendingHours(due)) return due;
    const p = londonParts(due);
    if (p.hour < SENDING_FROM_HOUR) return londonAt(p.year, p.month, p.day, SENDING_FROM_HOUR);
    // After 8pm: 9am on the next London day (noon UTC of today plus a day lands on tomorrow's date).
    const tomorrow = londonParts(new Date(Date.UTC(p.year, p.month - 1, p.day, 12) + 86_400_000));
    return londonAt(tomorrow.year, tomorrow.month, tomorrow.day, SENDING_FROM_HOUR);
}
