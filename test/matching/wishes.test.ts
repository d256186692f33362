import { expect } from 'chai';
import fc from 'fast-check';
import { eligibilityOf, mismatch } from '../../src/matching/eligibility';
import { mergeWishes, readWishes, type WishWords } from '../../src/matching/wishes';
import type { Opportunity } from '../../src/knowledge/schema';
import { shippedKnowledge } from '../helpers/app';

let words: WishWords;
const read = (text: string) => readWishes(text, words);

function listing(fields: Partial<Opportunity>): Opportunity {
    return {
        id: 'x', name: 'A group', description: 'A friendly group that meets every week.', needs: ['loneliness'],
        organization: { name: 'Org' }, keywords: [], attending_type: ['in-person'], schedules: [], cost_options: [],
        accessibility: [], welcome: [], assured_date: '2026-09-01', ...fields,
    } as Opportunity;
}

describe('reading wishes from what a resident wrote', () => {
    before(() => {
        words = shippedKnowledge().wording.wishes;
    });

    describe('a negation before a day or a time rules it out', () => {
        const cases: [string, string[], string[]][] = [
            ['not Sundays', ['SU'], []],
            ['any day except Monday', ['MO'], []],
            ["I can't do weekends or evenings", ['SA', 'SU'], ['evening']],
            ['no evenings please', [], ['evening']],
            ['Tuesdays are good but not Fridays', ['FR'], []],
            ["I'm not free on Saturday or Sunday", ['SA', 'SU'], []],
            ['never in the mornings', [], ['morning']],
        ];
        for (const [text, days, times] of cases) {
            it(`"${text}"`, () => {
                const wishes = read(text);
                expect(wishes.notDays ?? []).to.deep.equal(days);
                expect(wishes.notTimes ?? []).to.deep.equal(times);
            });
        }
        it('leaves a day alone when the negation is about something else', () => {
            expect(read("I don't know anyone, weekends are best").notDays).to.equal(undefined);
            expect(read('Sundays are fine, no stress').notDays).to.equal(undefined);
            expect(read('Tuesday mornings').notDays).to.equal(undefined);
        });
        it('takes a ruled-out day out of the days asked for ("not Sundays" is never "Sundays")', () => {
            const prefs = mergeWishes({ days: ['SU'] }, read('not Sundays'));
            expect(prefs.days).to.equal(undefined);
            expect(prefs.notDays).to.deep.equal(['SU']);
            expect(mergeWishes({ days: ['SA', 'SU'] }, read('not Sundays')).days).to.deep.equal(['SA']);
        });
    });

    it('reads "not on the phone" in many wordings, and hearing loss', () => {
        for (const text of ['not on the phone', "I don't want phone calls", 'I hate the phone', 'no phone stuff',
            "I'm hard of hearing", 'I am deaf']) {
            expect(read(text).noPhone, text).to.equal(true);
        }
        expect(read('you can phone me on 0117 496 0123').noPhone).to.equal(undefined);
    });

    it('reads wanting to go out', () => {
        for (const text of ['I wanted somewhere I could go out to', 'I need to get out of the house more',
            'I want to meet people face to face', 'something in person']) {
            expect(read(text).goOut, text).to.equal(true);
        }
        expect(read("I can't go out much").goOut).to.equal(undefined);
    });

    it('reads "I can pay" and ends "free only"', () => {
        for (const text of ['I can pay', "I don't mind paying", 'happy to pay a bit']) {
            expect(read(text).canPay, text).to.equal(true);
        }
        expect(read("I can't pay").canPay).to.equal(undefined);
        expect(read("I can't afford much").canPay).to.equal(undefined);
        const prefs = mergeWishes({ freeOnly: true }, read('I can pay'));
        expect(prefs.freeOnly).to.equal(undefined);
        expect(prefs.canPay).to.equal(true);
    });

    it('reads who the resident is: an age, young or a small child, a child', () => {
        expect(read("I'm a young mum with a toddler").who).to.deep.include({ young: true });
        expect(read("I'm 24 and skint").who).to.deep.equal({ age: 24 });
        expect(read("I'm 14 and I look after my mum").who).to.deep.equal({ age: 14, child: true });
        expect(read('my son is being bullied').who).to.deep.equal({ child: true });
        expect(read('someone to sit with mum so I can have a break').who).to.equal(undefined);
    });

    it('never throws, and sets only what the words say, on any text', () => {
        fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
            const wishes = read(text);
            for (const day of wishes.notDays ?? []) expect(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']).to.include(day);
        }), { seed: 16, numRuns: 300 });
    });
});

describe('reading who a listing is for', () => {
    it('reads age ranges from the eligibility and the name', () => {
        expect(eligibilityOf(listing({ eligibility_description: 'Young carers aged 8 to 17.' })))
            .to.deep.include({ children: true, minAge: 8, maxAge: 17 });
        expect(eligibilityOf(listing({ name: 'Benefits Advice for Over-60s' }))).to.deep.include({ minAge: 60 });
        expect(eligibilityOf(listing({ name: 'Money Mates for 16-25s' }))).to.deep.include({ minAge: 16, maxAge: 25 });
        expect(eligibilityOf(listing({ eligibility_description: 'People aged 65+.' }))).to.deep.include({ minAge: 65 });
    });

    it('does not take an age as a limit when others are welcome too', () => {
        const rule = 'People aged 60 and over, or anyone who cannot get out.';
        const open = eligibilityOf(listing({ eligibility_description: rule }));
        expect(open.minAge).to.equal(undefined);
        const families = listing({ eligibility_description: 'Children aged 4 to 18 and their families.' });
        expect(eligibilityOf(families).children).to.equal(false);
        expect(eligibilityOf(listing({ name: 'Kool Kids Kitchen' })).children).to.equal(false);
    });

    it('reads referral-only schemes, and not ones you can also refer yourself to', () => {
        const byGp = listing({ schedule_note: 'Ask your GP, nurse or social prescriber to refer you.' });
        expect(eligibilityOf(byGp).referral).to.equal('gp');
        expect(eligibilityOf(listing({ eligibility_description: 'Families referred by a health visitor.' })).referral)
            .to.equal('other');
        expect(eligibilityOf(listing({ description: 'Needs a GP referral. Self-referral also welcome.' })).referral)
            .to.equal(undefined);
        expect(eligibilityOf(listing({ description: 'Just turn up, no need to book.' })).referral).to.equal(undefined);
    });

    it('leaves out an adult from children\'s services, and the young from over-60s', () => {
        const children = eligibilityOf(listing({ eligibility_description: 'Young carers aged 8 to 17.' }));
        expect(mismatch(children, undefined)).to.deep.equal({ kind: 'children' });
        expect(mismatch(children, { child: true })).to.equal(undefined);
        expect(mismatch(children, { age: 13 })).to.equal(undefined);
        const older = eligibilityOf(listing({ name: 'Lunch Club for Over-60s' }));
        expect(mismatch(older, undefined)).to.equal(undefined);
        expect(mismatch(older, { young: true })).to.deep.equal({ kind: 'over', min: 60 });
        expect(mismatch(older, { age: 72 })).to.equal(undefined);
        const young = eligibilityOf(listing({ eligibility_description: 'Young people aged 16 to 25.' }));
        expect(mismatch(young, { age: 40 })).to.deep.equal({ kind: 'ages', min: 16, max: 25 });
    });
});
