/**
 * A way out at every question: "don't call me" calls off a request for contact kindly at every hand-off question,
 * "cancel" cancels the question it is said at (never the conversation), and on SMS STOP still stops everything
 * (issue 16, part 4).
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play, toEveryQuestion, type Step } from './play';

describe('a way out of a question', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** The turns that reach each hand-off question (after "talk to a person"), with the question's words. */
    const upTo = (): { at: string; before: string[] }[] => [
        { at: w.text('askMethod'), before: [] },
        { at: w.text('askPhone'), before: ['phone'] },
        { at: w.text('askName'), before: ['phone', '07700 900456'] },
        { at: w.text('askTime'), before: ['phone', '07700 900456', 'Sam'] },
        { at: 'I need your OK', before: ['phone', '07700 900456', 'Sam', 'mornings'] },
        { at: w.text('askShareChat'), before: ['phone', '07700 900456', 'Sam', 'mornings', 'yes'] },
    ];

    const WAYS_OUT = ['don\'t call me', 'actually no, don\'t call me, I\'m ok', 'actually no, I\'m ok',
        'I don\'t want a call', 'cancel'];

    describe('when the resident calls off a request at a hand-off question', () => {
        it('cancels it kindly at every question, for each way of saying so, says so, and keeps nothing', async () => {
            for (const say of WAYS_OUT) {
                for (const [i, { at, before }] of upTo().entries()) {
                    const id = `off-${WAYS_OUT.indexOf(say)}-${i}`;
                    const c = new Conversation(app, { conversationId: id, userId: `resident-${id}` });
                    await play(c, [
                        { say: 'talk to a person', expect: [w.text('askMethod')] },
                        ...before.map((b): Step => ({ say: b })),
                    ]);
                    const [turn] = await play(c, [{
                        say, expect: [w.text('handoffCalledOff')],
                        not: [at, w.text('stopped'), w.text('badPhone'), /Your reference is/],
                    }]);
                    expect(turn.all, `at "${at}"`).to.not.include(w.text('askTime'));
                    // The chat goes on: the resident can still look for things.
                    await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
                }
            }
            expect(await app.stores.escalations.list()).to.have.length(0);
        });

        it('goes back to the question the resident was on when the call-back was asked for over it', async () => {
            const c = new Conversation(app, { conversationId: 'over' });
            await play(c, [
                { say: 'I feel lonely' }, { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'call me', expect: [w.text('askPhone')] },
                { say: 'actually no, don\'t call me, I\'m ok', expect: [w.text('handoffCalledOff'), w.text('askWhere')],
                    not: [w.text('askPhone')] },
                { say: 'BS5', expect: [w.text('resultsIntro')] },
            ]);
        });

        it('repeats 999 and Samaritans when crisis routes were shown in the chat', async () => {
            const c = new Conversation(app, { conversationId: 'off-urgent' });
            await play(c, [
                { say: 'I want to end my life' }, { say: 'no' },
                { say: 'call me', expect: [w.text('askPhone')] },
                { say: 'I don\'t want a call', expect: [w.text('handoffCalledOff'), w.text('crisisNumbersAgain'),
                    w.text('crisisSafeAsk')] },
            ]);
            expect(await app.stores.escalations.list()).to.have.length(0);
        });

        it('calls off the request at the phone question when said as a wish, not a command', async () => {
            // "I'd rather you didn't ring me" is a way out, not a bad phone number.
            const wishes = ['actually I\'d rather you didn\'t ring me', 'I would rather not be called',
                'please don\'t ring', 'no calls please', 'I\'d prefer you didn\'t phone me',
                'rather you did not call me thanks'];
            for (const [i, say] of wishes.entries()) {
                const c = new Conversation(app, { conversationId: `wish-${i}`, userId: `resident-wish-${i}` });
                await play(c, [{ say: 'talk to a person' }, { say: 'phone', expect: [w.text('askPhone')] }]);
                await play(c, [{ say, expect: [w.text('handoffCalledOff')],
                    not: [w.text('badPhone'), w.text('askPhone')] }]);
            }
            expect(await app.stores.escalations.list()).to.have.length(0);
        });

        it('still reads an answer that only mentions calls as the answer', async () => {
            const c = new Conversation(app, { conversationId: 'answer' });
            await play(c, [
                { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900456' }, { say: 'skip' },
                { say: 'don\'t call me before 10am', expect: [/I need your OK/], not: [w.text('handoffCalledOff')] },
                { say: 'yes' }, { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.contact.bestTime).to.equal('don\'t call me before 10am');
        });
    });

    describe('when the resident says "cancel" at another question', () => {
        it('cancels that question, not the conversation, and asks what they would like instead', async () => {
            const c = new Conversation(app, { conversationId: 'cancel-question' });
            await play(c, [
                { say: 'I feel lonely', expect: [/It sounds like/] },
                { say: 'cancel', expect: [w.text('questionCancelled')], not: [w.text('stopped'), /It sounds like/],
                    buttons: [w.button('goBack'), w.button('startAgain'), w.button('talkToPerson')] },
                { say: 'Go back', expect: [/It sounds like/] },
                { say: 'never mind', expect: [w.text('questionCancelled')] },
                { say: 'I want to get fit', expect: [/It sounds like you'd like help with .*(fit|exercise|active)/i] },
            ]);
        });

        it('leaves out a preference question and goes on: the results when it was the only one', async () => {
            const c = new Conversation(app, { conversationId: 'cancel-preference' });
            await play(c, [
                { say: 'I feel lonely' }, { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'cancel', expect: [w.text('questionSkipped'), w.text('resultsIntro')],
                    not: [w.text('stopped'), w.text('askWhere'), /look near/] },
            ]);
        });

        it('leaves out a preference question and asks the next one, after "change my answers"', async () => {
            const c = new Conversation(app, { conversationId: 'cancel-preference-all' });
            await play(c, [
                { say: 'I feel lonely' }, { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'BS5', expect: [w.text('resultsIntro')] },
                ...toEveryQuestion(w),
                { say: 'cancel', expect: [w.text('questionSkipped'), w.text('askWhen')],
                    not: [w.text('stopped'), w.text('askWhere'), /look near/] },
                { say: 'evenings', expect: [w.text('askCost')] },
            ]);
        });

        it('still ends the conversation on "stop"', async () => {
            const c = new Conversation(app, { conversationId: 'stop' });
            await play(c, [{ say: 'I feel lonely' }, { say: 'stop', expect: [w.text('stopped')] }]);
        });
    });

    describe('by SMS', () => {
        const resident = (id: string) => new Conversation(app, { channelId: 'sms', conversationId: id, userId: id });

        it('calls off a request on "cancel that" or "don\'t call me", and the number can still get messages',
            async () => {
                for (const say of ['cancel that', 'don\'t call me']) {
                    const c = resident(`+4477009001${say.length}`);
                    await play(c, [
                        { say: 'talk to a person' }, { say: 'phone', expect: [w.text('askPhone')] },
                        { say, expect: [w.text('handoffCalledOff')], not: [/won't get any more messages/] },
                        { say: 'I feel lonely', expect: [/It sounds like/] },
                    ]);
                }
                expect(await app.stores.escalations.list()).to.have.length(0);
            });

        it('stops everything on STOP at a hand-off question: never read as calling off', async () => {
            const c = resident('+447700900199');
            await play(c, [
                { say: 'talk to a person' }, { say: 'phone', expect: [w.text('askPhone')] },
                { say: 'STOP', expect: [/won't get any more messages/], not: [w.text('handoffCalledOff')] },
            ]);
            const [turn] = await play(c, [{ say: 'I feel lonely' }]);
            expect(turn.texts).to.deep.equal([]);
        });

        it('keeps none of the contact details given before STOP (found in review)', async () => {
            const c = resident('+447700900198');
            await play(c, [
                { say: 'talk to a person' }, { say: 'text' }, { say: '07700 900456' }, { say: 'Margaret Jones' },
                { say: 'STOP', expect: [/won't get any more messages/] },
            ]);
            const key = 'sms/conversations/+447700900198/';
            const stored = JSON.stringify(await app.stores.state.read([key]));
            expect(stored).to.not.include('900456');
            expect(stored).to.not.include('Margaret');
        });
    });
});
