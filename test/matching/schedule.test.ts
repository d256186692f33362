import { expect } from 'chai';
import {
    describeDays, describeSchedules, describeSession, describeSlot, fittingSlot, formatClock, partsOfDay, whenFit,
} from '../../src/matching/schedule';
import type { Session } from '../../src/matching/schedule';

const tuesdayMorning: Session = { byday: ['TU'], opens_at: '10:00', closes_at: '12:00' };
const wednesdayAfternoon: Session = { byday: ['WE'], opens_at: '13:30', closes_at: '15:00' };

describe('days and times', () => {
    describe('when saying a timetable in plain words', () => {
        it('says "Tuesdays, 10am to 12pm"', () => {
            expect(describeSession(tuesdayMorning)).to.equal('Tuesdays, 10am to 12pm');
        });

        it('names runs of days simply', () => {
            expect(describeDays(['MO', 'TU', 'WE', 'TH', 'FR'])).to.equal('Weekdays');
            expect(describeDays(['SU', 'SA'])).to.equal('Weekends');
            expect(describeDays(['FR', 'MO', 'WE'])).to.equal('Mondays, Wednesdays and Fridays');
        });

        it('writes clock times the way people say them', () => {
            expect(['09:30', '12:00', '00:00', '13:15', '19:00'].map(formatClock))
                .to.deep.equal(['9:30am', '12pm', '12am', '1:15pm', '7pm']);
        });

        it('uses the listing\'s own words for an irregular day', () => {
            const firstTuesday: Session = { ...tuesdayMorning, description: 'First Tuesday of the month' };
            expect(describeSession(firstTuesday)).to.equal('First Tuesday of the month, 10am to 12pm');
        });

        it('joins several sessions', () => {
            expect(describeSchedules([tuesdayMorning, wednesdayAfternoon]))
                .to.equal('Tuesdays, 10am to 12pm; Wednesdays, 1:30pm to 3pm');
            expect(describeSchedules([])).to.equal('');
        });
    });

    describe('when a resident asks for days or times', () => {
        it('counts 10am to 12pm as a morning only, and 11am to 1pm as both', () => {
            expect(partsOfDay(tuesdayMorning)).to.deep.equal(['morning']);
            expect(partsOfDay({ opens_at: '11:00', closes_at: '13:00' })).to.deep.equal(['morning', 'afternoon']);
            expect(partsOfDay({ opens_at: '20:00', closes_at: '08:00' })).to.deep.equal(['evening']);
        });

        it('needs the day and the time in the same session', () => {
            const sessions = [tuesdayMorning, wednesdayAfternoon];
            expect(whenFit(sessions, ['TU'], ['afternoon'])).to.equal('misses');
            expect(whenFit(sessions, ['WE'], ['afternoon'])).to.equal('fits');
            expect(describeSlot(fittingSlot(sessions, ['TU'], ['morning'])!)).to.equal('Tuesday mornings');
        });

        it('treats a listing with no regular times as arranged, not missed', () => {
            expect(whenFit([], ['SU'], ['evening'])).to.equal('arranged');
        });
    });
});
