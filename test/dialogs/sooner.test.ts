/**
 * Issue 16 part 2, results sooner: what the resident already wrote is picked up and not asked again; only the place
 * is asked, and only when the first suggestions meet in person; the results come straight after, with an offer to
 * narrow them down ("Want me to find ones near you?", a button where there are buttons, plain words on SMS); what is
 * said at the results narrows them (a place, a time, a cost, a correction); time words and "open now" are read in
 * London time from the app's clock.
 */
import { expect } from 'chai';
import type { Opportunity } from '../../src/knowledge/schema';
import type { ResidentProfile } from '../../src/conversation/profile';
import { Conversation, shippedKnowledge, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

const profileOf = async (app: TestApp, id = 'conversation-1', channel = 'test') =>
    (await storedState(app, id, channel))?.profile as ResidentProfile | undefined;

/** Tuesday 6 October 2026, 10:30 in London (British Summer Time). */
const TUESDAY_1030 = () => new Date('2026-10-06T09:30:00Z');

describe('results sooner', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ now: TUESDAY_1030 });
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const preferenceQuestions = () => [w.text('askWhere'), w.text('askWhen'), w.text('askCost'), w.text('askAccess'),
        w.text('askWorries')];

    describe('when the first message already says where, when and what it costs', () => {
        it('shows the results straight after the need is confirmed, asking nothing again', async () => {
            await play(c, [
                { say: "I'm on my own a lot and would like to meet people near Eastfield on weekday mornings, free",
                    expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('resultsIntro'), /^1\. /m], not: preferenceQuestions() },
            ]);
            const prefs = (await profileOf(app))?.prefs;
            expect(prefs?.place?.label).to.equal('Eastfield');
            expect(prefs?.times).to.deep.equal(['morning']);
            expect(prefs?.freeOnly).to.equal(true);
        });

        it('reads a place given with the yes ("yes, I\'m in BS16")', async () => {
            await play(c, [
                { say: 'I want to get more active', expect: [/It sounds like/] },
                { say: "yes, I'm in BS16", expect: [w.text('resultsIntro')], not: preferenceQuestions() },
            ]);
            expect((await profileOf(app))?.prefs.place?.outcode).to.equal('BS16');
        });
    });

    describe('when they want something online or at home', () => {
        it('asks no place and offers no "near you"', async () => {
            await play(c, [
                { say: "something online I can do from home to feel less lonely, I can't get out much",
                    expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('resultsIntro')], not: [...preferenceQuestions(), w.text('narrowNear')] },
            ]);
        });
    });

    describe('when nothing says where and the suggestions meet in person', () => {
        it('asks only the place, then shows the results and offers to narrow them by day, time or cost', async () => {
            await play(c, [
                { say: "I'd like to join a walking group", expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')], not: [w.text('needsThanks')] },
                { say: 'Westmoor', expect: [/near Westmoor/, w.text('resultsIntro'), w.text('narrowMore')],
                    not: [w.text('askWhen')] },
            ]);
        });

        it('offers "Find ones near me" after "skip", as a button, which asks where and looks near it', async () => {
            const [, , results] = await play(c, [
                { say: "I'd like to join a walking group" },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'skip', expect: [w.text('resultsIntro'), w.text('narrowNear')] },
            ]);
            expect(results!.buttons).to.include(w.button('findNearMe'));
            await play(c, [
                { say: w.button('findNearMe'), expect: [w.text('askWhere')] },
                { say: 'Hillcrest', expect: [/near Hillcrest/, w.text('resultsIntro')] },
            ]);
            expect((await profileOf(app))?.prefs.place?.label).to.equal('Hillcrest');
        });

        it('on SMS says it in words, with no button', async () => {
            const sms = new Conversation(app,
                { channelId: 'sms', conversationId: 'sms-near', userId: '+447700900321' });
            const [, , results] = await play(sms, [
                { say: 'i want to join a walking group' },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'skip', expect: [w.text('narrowNear')] },
            ]);
            expect(results!.all).to.not.include(w.button('findNearMe'));
            expect(results!.activities.every((a) => !a.suggestedActions)).to.equal(true);
            await play(sms, [{ say: 'BS5', expect: [/near BS5/] }]);
        });
    });

    describe('at the results', () => {
        const toResults = async () => play(c, [
            { say: "I'd like to join a walking group" }, { say: 'yes', expect: [w.text('askWhere')] },
            { say: 'Westmoor', expect: [w.text('resultsIntro')] },
        ]);

        it('a corrected place ("sorry no, I meant Eastfield not Westmoor") looks again near it', async () => {
            const [, , westmoor] = await toResults();
            const [turn] = await play(c, [{ say: 'sorry no, I meant Eastfield not Westmoor',
                expect: [/near Eastfield/, w.text('resultsIntro')], not: [w.text('pickNumber'), /It sounds like/] }]);
            // Walks come first (the kind of thing asked for beats a nearer listing of another kind, issue 17), with
            // their distance from Eastfield now, not from Westmoor.
            expect(turn!.all).to.match(/1\. [^\n]*Walk[\s\S]*Where: [^\n]*km away/);
            expect(turn!.all).to.not.equal(westmoor!.all);
            expect((await profileOf(app))?.prefs.place?.label).to.equal('Eastfield');
        });

        it('a time, a cost and "not Sundays" narrow them, and "no" keeps them, never "type a number"', async () => {
            await toResults();
            await play(c, [
                { say: 'mornings', expect: [w.text('narrowGot'), w.text('resultsIntro')] },
                { say: 'free', expect: [w.text('resultsIntro')], not: [w.text('pickNumber')] },
                { say: 'not Sundays', expect: [w.text('resultsIntro')], not: [/Sunday/] },
                { say: 'no', expect: [w.text('narrowNo'), w.text('resultsActions')], not: [w.text('pickNumber')] },
            ]);
            const prefs = (await profileOf(app))?.prefs;
            expect(prefs?.times).to.deep.equal(['morning']);
            expect(prefs?.freeOnly).to.equal(true);
            expect(prefs?.notDays).to.deep.equal(['SU']);
        });

        it('a change of mind that starts with "no" searches for the new need', async () => {
            await toResults();
            await play(c, [{ say: 'no, forget about walking, I need help with my debts',
                expect: [w.text('resultsIntro')], not: [w.text('narrowNo')] }]);
            expect((await profileOf(app))?.needs).to.include('money-debt');
        });

        it('"yes" to "Want me to narrow them down?" says how, not "type a number"', async () => {
            await toResults();
            await play(c, [{ say: 'yes', expect: [w.text('narrowHow'), w.text('resultsActions')],
                not: [w.text('pickNumber')] }]);
        });

        it('a crisis still comes first', async () => {
            await toResults();
            await play(c, [{ say: 'tonight I want to end my life', expect: [/999/, w.text('crisisSafeAsk')],
                not: [w.text('resultsIntro'), w.text('narrowGot')] }]);
        });
    });

    describe('time words, against the clock in London', () => {
        it('"tonight" in the first message is this evening, today (Tuesday)', async () => {
            await play(c, [
                { say: 'is there a choir I could go to tonight near Eastfield', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('resultsIntro')], not: preferenceQuestions() },
            ]);
            const prefs = (await profileOf(app))?.prefs;
            expect(prefs?.days).to.deep.equal(['TU']);
            expect(prefs?.times).to.deep.equal(['evening']);
        });

        it('"tomorrow morning" at the results is Wednesday morning', async () => {
            await play(c, [
                { say: "I'd like to join a walking group" }, { say: 'yes' }, { say: 'Westmoor' },
                { say: 'tomorrow morning', expect: [w.text('narrowGot')] },
            ]);
            const prefs = (await profileOf(app))?.prefs;
            expect(prefs?.days).to.deep.equal(['WE']);
            expect(prefs?.times).to.deep.equal(['morning']);
        });
    });
});

/** Three listings for "open now" at 10:30 on a Tuesday: one on now, one next week only, one with no timetable. */
function openNowListings(): Opportunity[] {
    const base = {
        organization: { name: 'Test Org' },
        keywords: [],
        attending_type: ['in-person' as const],
        location: { name: 'Eastfield Hall', postal_code: 'BS5 6XX', latitude: 51.4627, longitude: -2.5585 },
        cost_options: [],
        accessibility: [],
        welcome: [],
        phone: '01632 960001',
        assured_date: '2026-10-01',
        needs: ['loneliness'],
        description: 'A friendly club for a cup of tea and a chat.',
    };
    return [
        { ...base, id: 'on-now', name: 'Tuesday Morning Cuppa', schedules: [{ byday: ['TU'], opens_at: '10:00',
            closes_at: '12:00' }] },
        { ...base, id: 'friday', name: 'Friday Friendship Club', schedules: [{ byday: ['FR'], opens_at: '10:00',
            closes_at: '12:00' }] },
        { ...base, id: 'no-times', name: 'Drop-in Natter', schedules: [] },
    ];
}

describe('"open now"', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    afterEach(async () => app.dispose());

    it('shows what is on now or within two hours first, and says honestly which list no times', async () => {
        app = testApp({ now: TUESDAY_1030, knowledge: { ...shippedKnowledge(), opportunities: openNowListings() } });
        w = app.knowledge.wording;
        const c = new Conversation(app);
        const [, turn] = await play(c, [
            { say: "I'm lonely, is anything open now near Eastfield", expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('openNowIntro'), 'Tuesday Morning Cuppa', w.text('openNowUntimed'),
                'Drop-in Natter'], not: ['Friday Friendship Club'] },
        ]);
        // The one on now comes first; the one with no times is never presented as open.
        expect(turn!.all.indexOf('Tuesday Morning Cuppa')).to.be.below(turn!.all.indexOf('Drop-in Natter'));
    });

    it('lets a new answer to "When suits you best?" replace "open now"', async () => {
        app = testApp({ now: TUESDAY_1030, knowledge: { ...shippedKnowledge(), opportunities: openNowListings() } });
        w = app.knowledge.wording;
        const c = new Conversation(app);
        await play(c, [
            { say: "I'm lonely, is anything open now near Eastfield", expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('openNowIntro')] },
            { say: w.button('changeAnswers'), expect: [w.text('askChange')] },
            { say: w.button('changePreferences'), expect: [w.text('askWhere')] },
            { say: 'Eastfield', expect: [w.text('askWhen')] },
            { say: 'Fridays', expect: [w.text('askCost')] },
            { say: 'skip' },
            { say: 'skip' },
        ]);
        await play(c, [{ say: 'skip', expect: [/^1\. Friday Friendship Club/m],
            not: [w.text('openNowIntro'), w.text('openNowNone')] }]);
        expect((await profileOf(app))?.openNow).to.equal(undefined);
    });

    it('says when nothing is on in the next two hours, and shows the usual results', async () => {
        // Wednesday 7 October, 15:00 in London: nothing runs then.
        app = testApp({ now: () => new Date('2026-10-07T14:00:00Z'),
            knowledge: {
                ...shippedKnowledge(), opportunities: openNowListings().filter((o) => o.id !== 'no-times'),
            } });
        w = app.knowledge.wording;
        const c = new Conversation(app);
        await play(c, [
            { say: "I'm lonely, what's on now near Eastfield", expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('openNowNone'), /^1\. /m], not: [w.text('openNowIntro')] },
        ]);
    });
});
