import { expect } from 'chai';
import {
    predictedPrice, scoreDelivery, scorePhones, scorePrice, scoreReviewFlags, scoreSchedule,
} from '../../src/cli/evalImport';
import type { FieldGold, ScoreInput } from '../../src/cli/evalImport';
import type { ReviewRecord } from '../../src/import/review';

function gold(id: string, extra: Partial<FieldGold>): FieldGold {
    return { id, phones: [], emails: [], price: 'unknown', delivery: [], schedule: null, forWhom: null, place: null,
        ...extra };
}
function rec(id: string, extra: Partial<ReviewRecord>): ReviewRecord {
    return { id, name: id, ...extra };
}
function input(fields: FieldGold[], records: ReviewRecord[]): ScoreInput {
    return { fields, needs: [], records: new Map(records.map((r) => [r.id, r])), today: '2026-12-02' };
}

describe('npm run eval:import scorers', () => {
    it('scores phones by their digits, and counts numbers found where the text has them', () => {
        const rows = scorePhones(input([gold('a', { phones: ['01724296500'] }), gold('b', {})],
            [rec('a', { phone: '01724 296500' }), rec('b', { phone: '01652 000000' })]));
        expect(rows.map((r) => [r.correct, r.n])).to.deep.equal([[1, 2], [1, 1], [1, 2]]);
    });

    it('counts a wrong "free" label, and takes a cost_unknown record as unknown', () => {
        expect(predictedPrice(rec('x', { cost_options: [], cost_unknown: true }))).to.equal('unknown');
        const rows = scorePrice(input([gold('a', { price: 'unknown' }), gold('b', { price: 'paid' })],
            [rec('a', { cost_options: [] }), rec('b', { cost_options: [{ amount: 3, currency: 'GBP' }] })]));
        expect(rows[0]).to.include({ correct: 1, n: 2 });
        expect(rows[1]?.note).to.equal('1 wrong "free" labels');
        expect(rows[2]).to.include({ correct: 1, n: 1 });
    });

    it('does not credit an assumed "in person", and reads a helpline as phone', () => {
        const rows = scoreDelivery(input([gold('a', {}), gold('b', { delivery: ['helpline'] })],
            [rec('a', { attending_type: ['in-person'] }), rec('b', { attending_type: ['phone'] })]));
        expect(rows[0]).to.include({ correct: 1, n: 2, note: '1 "in person" where the text does not say' });
    });

    it('matches a schedule by days and times', () => {
        const rows = scoreSchedule(input([gold('a', { schedule: 'Tue 10:00-12:00' }), gold('b', {})], [
            rec('a', { schedules: [{ byday: ['TU'], opens_at: '10:00', closes_at: '12:00' }] }),
            rec('b', { schedules: [{ byday: ['MO'], opens_at: '10:00', closes_at: '12:00' }] })]));
        expect(rows.map((r) => [r.correct, r.n])).to.deep.equal([[1, 2], [1, 1]]);
    });

    it('credits schedule words: how often, and a day with a start time', () => {
        const rows = scoreSchedule(input([gold('a', { schedule: 'weekly' }), gold('b', {
            schedule: 'Mon from 09:30' })], [
            rec('a', { schedule_note: 'Weekly' }), rec('b', { schedule_note: 'Monday from 09:30' })]));
        expect(rows[1]).to.include({ correct: 2, n: 2 });
    });

    it('measures a kb review flag\'s precision against the labels', () => {
        const rows = scoreReviewFlags({
            fields: [], today: '2026-12-02',
            needs: [{ id: 'a', split: 'dev', needs: ['arts-culture'], isService: false, seasonal: false },
                { id: 'b', split: 'dev', needs: ['loneliness'], isService: true, seasonal: false }],
            records: new Map([
                ['a', rec('a', { name: 'Tribute night', description: 'Tickets £15 on the door. Doors open 7pm.',
                    needs: ['x'] })],
                ['b', rec('b', { name: 'Coffee morning', description: 'Book your tickets for the panto here!',
                    needs: ['x'] })],
            ]),
        });
        expect(rows[0]).to.include({ correct: 1, n: 2, note: 'finds 1 of 1' });
    });
});
