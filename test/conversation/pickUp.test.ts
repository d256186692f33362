/**
 * Preferences picked up from what the resident already wrote (issue 16 part 2): a place named as written (a known
 * place or a district with or without the sector's digit), days and times, cost, access and worries, from any
 * sentence; words that only look like times in a sentence ("I am", "the sun", "at night") are not.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { shippedIntents } from '../../src/knowledge/intents';
import { pickUp, withPickedUp, type PickUpContext } from '../../src/conversation/pickUp';
import { shippedKnowledge, testApp, type TestApp } from '../helpers/app';

/** Tuesday 6 October 2026, 10:30 in London. */
const NOW = new Date('2026-10-06T09:30:00Z');

describe('picking up preferences from a sentence', () => {
    let app: TestApp;
    let context: PickUpContext;
    before(() => {
        app = testApp();
        context = { resolvePlace: (t) => app.services.matcher.resolvePlace(t), now: NOW, intents: shippedIntents() };
    });
    after(async () => app.dispose());

    it('reads place, days, times and cost from one message', () => {
        const p = pickUp("I'm on my own a lot and would like to meet people near Eastfield on weekday mornings, free",
            context);
        expect(p.place?.label).to.equal('Eastfield');
        expect(p.days).to.deep.equal(['MO', 'TU', 'WE', 'TH', 'FR']);
        expect(p.times).to.deep.equal(['morning']);
        expect(p.freeOnly).to.equal(true);
    });

    it('reads online, access and worries', () => {
        expect(pickUp("something online I can do from home, I can't get out much", context).online).to.equal('only');
        expect(pickUp("I use a wheelchair and I'm hard of hearing", context).access)
            .to.have.members(['wheelchair', 'hearing-loop']);
        expect(pickUp("I'd rather not go on my own", context).worries).to.include('meet-at-door');
        expect(pickUp("I can pay a little, it doesn't have to be free", context).freeOnly).to.equal(false);
    });

    it('reads "tonight" and "open now" against the clock', () => {
        expect(pickUp('is there a choir on tonight', context)).to.deep.include({ days: ['TU'], times: ['evening'] });
        expect(pickUp("what's open now", context)).to.deep.include({ openNow: true, days: ['TU'] });
    });

    it('takes no day from "today" or "tomorrow" that tells what happened, not when to go', () => {
        for (const said of ["I've felt really low today", 'I have been sad since this morning',
            "help with housing, I'm being evicted tomorrow", 'I feel lonely, I have been crying all day today',
            "I've been on my own all day today", "my carer didn't come today", "I couldn't go out today"]) {
            const p = pickUp(said, context);
            expect(p.days, said).to.equal(undefined);
            expect(p.times, said).to.equal(undefined);
        }
        // Said of when to go, they still count.
        expect(pickUp('I want to go somewhere today', context).days).to.deep.equal(['TU']);
        expect(pickUp('can I go to a group tomorrow', context).days).to.deep.equal(['WE']);
        expect(pickUp('tomorrow morning would be good', context)).to.deep.include({ days: ['WE'], times: ['morning'] });
        expect(pickUp('tonight', context)).to.deep.include({ days: ['TU'], times: ['evening'] });
        expect(pickUp('tomorrow morning', context)).to.deep.include({ days: ['WE'], times: ['morning'] });
        expect(pickUp('anything on today?', context).days).to.deep.equal(['TU']);
    });

    it('takes no day from "today", "tonight" or "tomorrow" said with "not"', () => {
        for (const said of ['anything on but not today', 'something on, not tonight', 'any day except tomorrow',
            "anything on? I can't do today"]) {
            expect(pickUp(said, context).days, said).to.equal(undefined);
        }
        expect(pickUp('not today, maybe tomorrow', context).days).to.deep.equal(['WE']);
    });

    it('takes no time from words that only look like one in a sentence', () => {
        for (const said of ['I am so lonely', 'I like to sit in the sun', "I can't sleep at night",
            'good morning, I feel low', 'I sat at home all week', 'c\'mon, there must be something']) {
            const p = pickUp(said, context);
            expect(p.times, said).to.equal(undefined);
            expect(p.days, said).to.equal(undefined);
        }
    });

    it('takes no place from a sentence that names none, and no "free only" from a yes', () => {
        for (const said of ['I would like to meet new people', 'yes please', 'my wife died last year',
            'I need help with my benefits']) {
            const p = pickUp(said, context);
            expect(p.place, said).to.equal(undefined);
            expect(p.freeOnly, said).to.equal(undefined);
        }
    });

    it('takes no "free only" from being free to come ("I\'m free most days", "free time")', () => {
        for (const said of ["I want to meet people, I'm free most days", 'I have free time on Tuesdays',
            'I am free in the mornings', "I've got lots of free time since I retired"]) {
            expect(pickUp(said, context).freeOnly, said).to.equal(undefined);
        }
        expect(pickUp("I'm free most days but it has to be free", context).freeOnly).to.equal(true);
        expect(pickUp('something free near Eastfield', context).freeOnly).to.equal(true);
    });

    it('finds a known district inside a sentence, with or without the sector digit, any case or spacing (property)',
        () => {
            const districts = [...shippedKnowledge().places.outcodes.keys()].filter((d) => /^BS\d{1,2}$/.test(d));
            fc.assert(fc.property(
                fc.constantFrom(...districts), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
                fc.boolean(), fc.constantFrom('I live in ', "I'm near ", 'somewhere around ', ''),
                fc.constantFrom(' please', ', near the park', '', ' if possible'),
                (district, sector, lower, before, after) => {
                    const code = lower ? district.toLowerCase() : district;
                    const said = `${before}${code}${sector === undefined ? '' : ` ${sector}`}${after}`;
                    expect(pickUp(said, context).place?.outcode, said).to.equal(district);
                }), { numRuns: 150 });
        });

    it('lays what was said again over what was said before', () => {
        const before = withPickedUp({}, { days: ['MO'], times: ['morning'], freeOnly: true });
        const after = withPickedUp(before, { times: ['afternoon'], freeOnly: false });
        expect(after.times).to.deep.equal(['afternoon']);
        expect(after.days).to.deep.equal(['MO']);
        expect(after.freeOnly).to.equal(undefined);
    });
});
