import { expect } from 'chai';
import { parseWorkingHours, type WorkingHours } from '../../src/config';
import { urgentDueBy } from '../../src/handoff/urgentDue';

const LONDON: WorkingHours = { ...parseWorkingHours('Mon-Fri 09:00-17:00')!, timeZone: 'Europe/London' };

const due = (iso: string) => urgentDueBy(new Date(iso), LONDON).toISOString();

describe('urgent due times (contact today, or the next working morning)', () => {
    it('is due at the close of the day when made in working hours (winter: GMT)', () => {
        // Tuesday 1 December 2026, 10:30 in London.
        expect(due('2026-12-01T10:30:00Z')).to.equal('2026-12-01T17:00:00.000Z');
    });

    it('keeps London time in summer (BST): 17:00 London is 16:00 UTC', () => {
        // Wednesday 3 June 2026, 09:15 London (08:15 UTC).
        expect(due('2026-06-03T08:15:00Z')).to.equal('2026-06-03T16:00:00.000Z');
    });

    it('is due by noon the same day when made before opening on a working day', () => {
        expect(due('2026-12-01T06:00:00Z')).to.equal('2026-12-01T12:00:00.000Z');
    });

    it('is due the next working morning when made in the last hour, or in the evening', () => {
        expect(due('2026-12-01T16:10:00Z')).to.equal('2026-12-02T12:00:00.000Z');
        expect(due('2026-12-01T22:00:00Z')).to.equal('2026-12-02T12:00:00.000Z');
    });

    it('skips the weekend: made on Friday evening or on Sunday, due Monday at noon', () => {
        // Friday 4 December 2026, 19:00; Sunday 6 December, 11:00.
        expect(due('2026-12-04T19:00:00Z')).to.equal('2026-12-07T12:00:00.000Z');
        expect(due('2026-12-06T11:00:00Z')).to.equal('2026-12-07T12:00:00.000Z');
    });

    it('crosses a clock change right: Saturday 24 October 2026 (BST) to Monday 26 October (GMT)', () => {
        expect(due('2026-10-24T10:00:00Z')).to.equal('2026-10-26T12:00:00.000Z');
        // Friday 27 March 2026 (GMT) evening to Monday 30 March (BST): noon London is 11:00 UTC.
        expect(due('2026-03-27T20:00:00Z')).to.equal('2026-03-30T11:00:00.000Z');
    });

    it('is never due before it was made', () => {
        for (let h = 0; h < 24 * 7; h += 1) {
            const at = new Date(Date.UTC(2026, 11, 1, h));
            expect(urgentDueBy(at, LONDON).getTime()).to.be.greaterThan(at.getTime());
        }
    });

    it('takes the council\'s hours and days', () => {
        const hours: WorkingHours = { ...parseWorkingHours('Mon,Wed 08:30-16:30')!, timeZone: 'Europe/London' };
        // Tuesday 1 December 2026 is not a working day here: due Wednesday at 11:30.
        expect(urgentDueBy(new Date('2026-12-01T10:00:00Z'), hours).toISOString()).to.equal('2026-12-02T11:30:00.000Z');
        expect(urgentDueBy(new Date('2026-12-02T15:00:00Z'), hours).toISOString()).to.equal('2026-12-02T16:30:00.000Z');
        expect(urgentDueBy(new Date('2026-12-02T15:45:00Z'), hours).toISOString()).to.equal('2026-12-07T11:30:00.000Z');
    });
});
