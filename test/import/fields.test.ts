import { expect } from 'chai';
import {
    cleanPhone, cleanUrl, mapCosts, mapEmail, mapSchedules, parseDate, parseDays, parseTime,
} from '../../src/import/fields';
import type { Note } from '../../src/import/fields';
import { progressBar } from '../../src/import/progress';

describe('mapping single feed fields', () => {
    it('reads times in the shapes feeds use', () => {
        expect(['10:00:00', '9:30', '0930', '2pm', '2.30 pm', '12am'].map(parseTime))
            .to.deep.equal(['10:00', '09:30', '09:30', '14:00', '14:30', '00:00']);
        expect(['25:00', 'noon', '13pm', ''].map(parseTime)).to.deep.equal([undefined, undefined, undefined, undefined]);
    });

    it('reads iCal days, ordinal days and day names', () => {
        expect(parseDays('TH,MO')).to.deep.equal({ days: ['MO', 'TH'], words: [] });
        expect(parseDays('-1FR')).to.deep.equal({ days: ['FR'], words: ['Last Friday of the month'] });
        expect(parseDays(['Monday', 'tues'])).to.deep.equal({ days: ['MO', 'TU'], words: [] });
    });

    it('reads ISO and UK dates, and refuses impossible ones', () => {
        expect(parseDate('2024-12-10T09:00:00Z')).to.equal('2024-12-10');
        expect(parseDate('5/1/2024')).to.equal('2024-01-05');
        expect(parseDate('2024-02-30')).to.equal(undefined);
    });

    it('keeps schedules that run, turns irregular ones into words and drops ended ones', () => {
        const notes: Note[] = [];
        const mapped = mapSchedules([
            { byday: 'SA', opens_at: '10:00', closes_at: '12:00' },
            { byday: 'MO', opens_at: '10:00', closes_at: '12:00', ends: '2020-01-01' },
        ], '2026-11-01', notes);
        expect(mapped.schedules).to.deep.equal([{ byday: ['SA'], opens_at: '10:00', closes_at: '12:00' }]);
        expect(notes.map((n) => n.message)).to.deep.equal(['a schedule that has ended was left out']);
        expect(mapSchedules([{ description: '<p>Term time only</p>' }], '2026-11-01', []).note).to.equal('Term time only');
    });

    it('finds a price in words, and notes when no price is given', () => {
        const notes: Note[] = [];
        expect(mapCosts([], '£5 per session, concessions £3', notes)[0]?.amount).to.equal(5);
        expect(mapCosts([], '', notes)).to.deep.equal([]);
        expect(mapCosts([{ amount: 10, currency: 'EUR' }], '', notes)).to.deep.equal([]);
        expect(notes.map((n) => n.message)).to.deep.equal([
            'the feed gives no price: residents are told to ask', 'a price not in pounds (GBP) was left out',
        ]);
    });

    it('cleans phone numbers and web addresses, refusing what cannot be used', () => {
        expect(cleanPhone('tel:01724-296296')).to.equal('01724 296296');
        expect(cleanPhone('"+44 (0)1652 123456" ext 12')).to.equal('+44 (0)1652 123456');
        expect(cleanPhone('ring the office')).to.equal(undefined);
        expect(cleanUrl('www.example.org/page?utm_source=x&id=3')).to.equal('https://www.example.org/page?id=3');
        expect(cleanUrl('javascript:alert(1)')).to.equal(undefined);
        expect(cleanUrl('not a url')).to.equal(undefined);
    });

    it('leaves out redacted and placeholder e-mail addresses without repeating them', () => {
        const notes: Note[] = [];
        expect(mapEmail('redacted@example.org', notes)).to.equal(undefined);
        expect(mapEmail('not-an-address', notes)).to.equal(undefined);
        expect(mapEmail('hello@lunchclub.org.uk', notes)).to.equal('hello@lunchclub.org.uk');
        expect(JSON.stringify(notes)).to.not.include('redacted@');
    });
});

describe('the import progress bar', () => {
    it('draws on a terminal and clears its line at the end', () => {
        const written: string[] = [];
        const bar = progressBar('checking', { isTTY: true, columns: 80, write: (t) => written.push(t) });
        bar.update(5, 10);
        bar.finish();
        expect(written[0]).to.match(/^\rchecking \[#+-+\] 5\/10/);
        expect(written.at(-1)).to.equal('\r\x1b[K');
    });

    it('draws nothing when standard error is not a terminal', () => {
        const written: string[] = [];
        const bar = progressBar('checking', { isTTY: false, write: (t) => written.push(t) });
        bar.update(5, 10);
        bar.finish();
        expect(written).to.deep.equal([]);
    });
});
