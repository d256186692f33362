import { expect } from 'chai';
import { loadConfig, parseWorkingHours } from '../../src/config';
import { nextOpening } from '../../src/handoff/hours';

describe('the connectors\' working hours', () => {
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/London' };

    it('defaults to Monday to Friday, 09:00 to 17:00, London time', () => {
        expect(loadConfig({}).connectorHours).to.deep.equal(hours);
    });

    it('reads other days and times, and refuses nonsense naming the setting', () => {
        expect(parseWorkingHours('Mon,Wed 10:00-16:00')).to.deep.equal({ days: [1, 3], start: '10:00', end: '16:00' });
        expect(parseWorkingHours('Sat-Mon 08:30-12:00')?.days).to.deep.equal([0, 1, 6]);
        expect(parseWorkingHours('weekdays 9-5')).to.equal(undefined);
        expect(parseWorkingHours('Mon-Fri 17:00-09:00')).to.equal(undefined);
        expect(() => loadConfig({ SIGNPOST_CONNECTOR_HOURS: 'always' })).to.throw(/SIGNPOST_CONNECTOR_HOURS/);
        expect(() => loadConfig({ SIGNPOST_CONNECTOR_TIMEZONE: 'Mars/Base' })).to.throw(/SIGNPOST_CONNECTOR_TIMEZONE/);
    });

    it('says nothing during working hours, and when they next start outside them (in London time)', () => {
        // 25 November 2026 is a Wednesday; London is on GMT then.
        expect(nextOpening(new Date('2026-11-25T12:00:00Z'), hours)).to.equal(undefined);
        expect(nextOpening(new Date('2026-11-25T07:00:00Z'), hours))
            .to.deep.equal({ day: 'later today', ahead: 0, weekday: 3, time: '09:00' });
        expect(nextOpening(new Date('2026-11-25T17:00:00Z'), hours))
            .to.deep.equal({ day: 'tomorrow', ahead: 1, weekday: 4, time: '09:00' });
        // Friday evening: Monday, three days ahead (the bot says it in the resident's language from these).
        expect(nextOpening(new Date('2026-11-27T18:00:00Z'), hours))
            .to.deep.equal({ day: 'on Monday', ahead: 3, weekday: 1, time: '09:00' });
        // In summer London is an hour ahead: 08:30 UTC is 09:30 there.
        expect(nextOpening(new Date('2026-07-01T08:30:00Z'), hours)).to.equal(undefined);
    });
});
