import { expect } from 'chai';
import { inSendingHours, sendingTime } from '../../src/followup/hours';

const at = (iso: string) => new Date(iso);

describe('follow-up sending hours (9am to 8pm, Europe/London)', () => {
    it('sends in hours at once, in winter (GMT) and summer (BST)', () => {
        expect(sendingTime(at('2026-01-15T09:00:00.000Z')).toISOString()).to.equal('2026-01-15T09:00:00.000Z');
        expect(sendingTime(at('2026-07-15T08:00:00.000Z')).toISOString()).to.equal('2026-07-15T08:00:00.000Z');
        expect(inSendingHours(at('2026-07-15T18:59:59.000Z'))).to.equal(true);
        expect(inSendingHours(at('2026-07-15T19:00:00.000Z'))).to.equal(false);
        expect(inSendingHours(at('2026-01-15T19:59:59.000Z'))).to.equal(true);
        expect(inSendingHours(at('2026-01-15T20:00:00.000Z'))).to.equal(false);
        expect(inSendingHours(at('2026-01-15T08:59:59.000Z'))).to.equal(false);
    });

    it('moves a message due in the night to the next 9am', () => {
        expect(sendingTime(at('2026-01-15T22:15:00.000Z')).toISOString()).to.equal('2026-01-16T09:00:00.000Z');
        expect(sendingTime(at('2026-01-16T03:00:00.000Z')).toISOString()).to.equal('2026-01-16T09:00:00.000Z');
        // New year's eve after 8pm: the next day is in the next year.
        expect(sendingTime(at('2026-12-31T23:30:00.000Z')).toISOString()).to.equal('2027-01-01T09:00:00.000Z');
    });

    it('is right on the day the clocks go forward (29 March 2026)', () => {
        // Saturday 9pm GMT: 9am on Sunday is already BST, 08:00 UTC.
        expect(sendingTime(at('2026-03-28T21:00:00.000Z')).toISOString()).to.equal('2026-03-29T08:00:00.000Z');
        // 00:30 GMT, before the change at 01:00 UTC.
        expect(sendingTime(at('2026-03-29T00:30:00.000Z')).toISOString()).to.equal('2026-03-29T08:00:00.000Z');
        expect(inSendingHours(at('2026-03-29T07:30:00.000Z'))).to.equal(false); // 8:30 BST
        expect(inSendingHours(at('2026-03-29T08:00:00.000Z'))).to.equal(true); // 9:00 BST
        expect(inSendingHours(at('2026-03-29T18:59:00.000Z'))).to.equal(true); // 19:59 BST
        expect(sendingTime(at('2026-03-29T19:30:00.000Z')).toISOString()).to.equal('2026-03-30T08:00:00.000Z');
    });

    it('is right on the day the clocks go back (25 October 2026)', () => {
        // Saturday 9:30pm BST: 9am on Sunday is GMT again, 09:00 UTC.
        expect(sendingTime(at('2026-10-24T20:30:00.000Z')).toISOString()).to.equal('2026-10-25T09:00:00.000Z');
        // 01:30 UTC is after the change (1:30 GMT); 00:30 UTC was 1:30 BST.
        expect(sendingTime(at('2026-10-25T00:30:00.000Z')).toISOString()).to.equal('2026-10-25T09:00:00.000Z');
        expect(inSendingHours(at('2026-10-25T08:30:00.000Z'))).to.equal(false); // 8:30 GMT
        expect(inSendingHours(at('2026-10-25T09:00:00.000Z'))).to.equal(true);
        expect(inSendingHours(at('2026-10-25T19:30:00.000Z'))).to.equal(true); // 19:30 GMT
        expect(sendingTime(at('2026-10-25T20:00:00.000Z')).toISOString()).to.equal('2026-10-26T09:00:00.000Z');
    });
});
