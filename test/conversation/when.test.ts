/**
 * Time words wherever they appear, against the app's clock in London time (issue 16 part 2): today, tonight,
 * tomorrow morning, this weekend, after work, weekday names, a clock time, "open now"; daylight saving included.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { DAY_CODES, type DayCode } from '../../src/knowledge/schema';
import { shippedIntents } from '../../src/knowledge/intents';
import { OPEN_NOW_MINUTES, londonTime, nextDay, openNowFit, readWhen } from '../../src/conversation/when';
import type { Session } from '../../src/matching/schedule';

const lex = shippedIntents();
/** Tuesday 6 October 2026, 10:30 in London (09:30 UTC: summer time). */
const TUESDAY_MORNING = new Date('2026-10-06T09:30:00Z');
/** Saturday 19 December 2026, 23:30 in London (GMT). */
const SATURDAY_NIGHT = new Date('2026-12-19T23:30:00Z');

const hhmm = (minutes: number) =>
    `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

describe('London time', () => {
    it('is an hour ahead of UTC in summer and the same in winter', () => {
        expect(londonTime(new Date('2026-07-01T12:00:00Z'))).to.deep.equal({ day: 'WE', minutes: 13 * 60 });
        expect(londonTime(new Date('2026-01-07T12:00:00Z'))).to.deep.equal({ day: 'WE', minutes: 12 * 60 });
    });

    it('changes at 01:00 UTC on the last Sunday of March and of October', () => {
        expect(londonTime(new Date('2026-03-29T00:59:00Z'))).to.deep.equal({ day: 'SU', minutes: 59 });
        expect(londonTime(new Date('2026-03-29T01:00:00Z'))).to.deep.equal({ day: 'SU', minutes: 2 * 60 });
        expect(londonTime(new Date('2026-10-25T00:59:00Z'))).to.deep.equal({ day: 'SU', minutes: 60 + 59 });
        expect(londonTime(new Date('2026-10-25T01:00:00Z'))).to.deep.equal({ day: 'SU', minutes: 60 });
    });

    it('puts late UTC evenings in summer on the next London day', () => {
        expect(londonTime(new Date('2026-06-02T23:30:00Z'))).to.deep.equal({ day: 'WE', minutes: 30 });
    });

    it('always gives a day and a minute of the day (property)', () => {
        const dates = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
        fc.assert(fc.property(dates, (at) => {
            const { day, minutes } = londonTime(at);
            expect(DAY_CODES).to.include(day);
            expect(minutes).to.be.within(0, 24 * 60 - 1);
            // London is UTC or UTC+1, never anything else.
            const utc = at.getUTCHours() * 60 + at.getUTCMinutes();
            expect([0, 60]).to.include((minutes - utc + 24 * 60) % (24 * 60));
        }), { numRuns: 300 });
    });
});

describe('reading time words', () => {
    const read = (text: string, at = TUESDAY_MORNING) => readWhen(text, at, lex);

    it('reads "today", "tonight" and "tomorrow morning" against the clock', () => {
        expect(read('anything on today?')).to.deep.include({ days: ['TU'], openNow: false });
        expect(read('something tonight')).to.deep.include({ days: ['TU'], times: ['evening'] });
        expect(read('tomorrow morning would be good')).to.deep.include({ days: ['WE'], times: ['morning'] });
        expect(read('tmrw')).to.deep.include({ days: ['WE'] });
    });

    it('wraps "tomorrow" from Sunday to Monday, and "tonight" stays on the London day', () => {
        expect(read('tomorrow', new Date('2026-10-11T10:00:00Z'))?.days).to.deep.equal(['MO']);
        // 23:30 UTC on a summer Tuesday is 00:30 on Wednesday in London.
        expect(read('tonight', new Date('2026-06-02T23:30:00Z'))?.days).to.deep.equal(['WE']);
    });

    it('reads "this weekend", "after work", weekday names and clock times', () => {
        expect(read('this weekend')?.days).to.deep.equal(['SA', 'SU']);
        expect(read('after work')?.times).to.deep.equal(['evening']);
        expect(read('Mondays or Thursdays')?.days).to.deep.equal(['MO', 'TH']);
        expect(read('around 7pm')?.times).to.deep.equal(['evening']);
    });

    it('reads "open now" anywhere, and "now" only as the whole message', () => {
        expect(read("what's open now near me")).to.deep.include({ openNow: true, days: ['TU'] });
        expect(read('now')).to.deep.include({ openNow: true });
        expect(read("I'm lonely right now")).to.equal(undefined);
    });

    it('says nothing when no time is named, and "any time" is no preference', () => {
        expect(read('I would like to meet people')).to.equal(undefined);
        expect(read('any time')).to.deep.include({ any: true, days: [], times: [] });
    });
});

describe('open now', () => {
    const session = (byday: DayCode[], opens: string, closes: string): Session =>
        ({ byday, opens_at: opens, closes_at: closes });

    it('is a session running now or starting within two hours, in London time', () => {
        expect(openNowFit([session(['TU'], '10:00', '12:00')], TUESDAY_MORNING)).to.equal('soon');
        expect(openNowFit([session(['TU'], '12:15', '13:00')], TUESDAY_MORNING)).to.equal('soon');
        expect(openNowFit([session(['TU'], '12:45', '14:00')], TUESDAY_MORNING)).to.equal('not');
        expect(openNowFit([session(['TU'], '09:00', '10:00')], TUESDAY_MORNING)).to.equal('not');
        expect(openNowFit([session(['WE'], '10:00', '12:00')], TUESDAY_MORNING)).to.equal('not');
    });

    it('counts last night\'s overnight session still open, and one just after midnight', () => {
        expect(openNowFit([session(['SA'], '20:00', '08:00')], new Date('2026-12-20T06:00:00Z'))).to.equal('soon');
        expect(openNowFit([session(['SU'], '00:30', '02:00')], SATURDAY_NIGHT)).to.equal('soon');
    });

    it('cannot tell for a listing with no timetable, and says so (untimed)', () => {
        expect(openNowFit([], TUESDAY_MORNING)).to.equal('untimed');
    });

    it('agrees with a minute-by-minute check on today\'s sessions (property)', () => {
        fc.assert(fc.property(
            fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 0, max: 24 * 60 - 1 }),
            fc.integer({ min: 15, max: 6 * 60 }),
            (now, opens, length) => {
                fc.pre(opens + length < 24 * 60);
                // A winter Wednesday, so London is UTC.
                const at = new Date(Date.UTC(2026, 0, 7, 0, now));
                const fit = openNowFit([session(['WE'], hhmm(opens), hhmm(opens + length))], at);
                const expected = opens <= now + OPEN_NOW_MINUTES && opens + length > now ? 'soon' : 'not';
                expect(fit).to.equal(expected);
            }), { numRuns: 300 });
    });

    it('nextDay goes round the week', () => {
        expect(DAY_CODES.map(nextDay)).to.deep.equal(['TU', 'WE', 'TH', 'FR', 'SA', 'SU', 'MO']);
    });
});
