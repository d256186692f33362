/**
 * After crisis routes: "Are you safe right now?" comes next, on every channel and at every step. Only a clear yes
 * goes on (back to the question the resident was on, or the offer of help at the start); "no", or any answer that is
 * not a clear yes, repeats 999 and the urgent call-back, and never moves on to another question (issue 16, part 4).
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play, toEveryQuestion, type Step } from './play';

describe('after crisis routes', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** Lines that may only come after a clear yes: the questions of the journey. */
    const questions = () => [w.text('askWhere'), w.text('askWhen'), w.text('askCost'), w.text('askNeeds'),
        w.text('askAccess'), w.text('crisisCarryOn')];

    /** The reply to an answer that is not a clear yes: 999 again, the call-back, and no other question. */
    const notSafe = (say: string): Step => ({
        // The last line as written (the numbers above it are links on the website chat).
        say, expect: [/999/, /116 123/, '"call me"', w.text('crisisNotSafe').split('\n').at(-1)!], not: questions(),
        buttons: [w.button('callMeBack'), w.button('safeNow')],
    });

    /**
     * A resident on a channel who has reached "When suits you best?" (since issue 16 part 2, asked after "Change my
     * answers": the first pass asks only the place).
     */
    async function atWhen(channelId: string): Promise<Conversation> {
        const c = new Conversation(app, { channelId, conversationId: `safe-${channelId}`, userId: '+447700900456' });
        await play(c, [
            { say: 'I feel lonely', expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('askWhere')] },
            { say: 'BS5', expect: [w.text('resultsIntro')] },
            ...toEveryQuestion(w),
            { say: 'BS5', expect: [w.text('askWhen')] },
        ]);
        return c;
    }

    describe('on the website chat', () => {
        it('asks "Are you safe right now?" next, never the question it was on, with Yes and No', async () => {
            const c = await atWhen('directline');
            const [turn] = await play(c, [{
                say: 'I want to end my life', expect: [/999/, w.text('crisisSafeAsk')], not: questions(),
                buttons: [w.button('safeYes'), w.button('safeNo')],
            }]);
            // The routes first, the question last.
            expect(turn.texts[0]).to.match(/999/);
            expect(turn.texts.at(-1)).to.include(w.text('crisisSafeAsk'));
        });

        it('repeats 999 and the call-back for no, or any answer that is not a clear yes, and never moves on',
            async () => {
                const c = await atWhen('directline');
                await play(c, [
                    { say: 'I want to end my life', expect: [w.text('crisisSafeAsk')] },
                    notSafe('no'),
                    notSafe('not really'),
                    notSafe('I don\'t know'),
                    notSafe('yes but I am scared'),
                    notSafe('mornings'),
                    notSafe('start again'),
                    notSafe('cancel'),
                ]);
            });

        // Found in review: "bye" is a stop word, and after an overdose it may be a farewell, not an opt-out.
        for (const say of ['bye', 'goodbye', 'delete my data']) {
            it(`gives the numbers once more when "${say}" ends the chat after crisis routes`, async () => {
                const c = await atWhen('directline');
                await play(c, [
                    { say: 'I took an overdose', expect: [w.text('crisisSafeAsk')] },
                    { say, expect: [/999/, /116 123/] },
                ]);
            });
        }

        it('takes a clear yes with more said after it, but not a doubtful one', async () => {
            for (const [i, [say, safe]] of ([
                ['yes I\'m safe, my sister is here with me', true], ['yes. I\'m at home now', true],
                ['yes, but I\'m scared', false], ['yes, I think so', false], ['I\'m safe, I don\'t know', false],
                ['yes I am safe, not for long', false],
            ] as const).entries()) {
                const c = new Conversation(app, { conversationId: `clause-${i}` });
                await play(c, [{ say: 'I want to end my life' }]);
                await play(c, [safe ? { say, expect: [w.text('crisisSafeGlad')], not: [/999/] } : notSafe(say)]);
            }
        });

        it('goes back to the question it was on only after a clear yes', async () => {
            const c = await atWhen('directline');
            await play(c, [
                { say: 'I want to end my life' },
                notSafe('no'),
                { say: 'I\'m safe now', expect: [w.text('crisisSafeGlad'), w.text('crisisCarryOn'), w.text('askWhen')],
                    not: [/999/] },
                { say: 'mornings', expect: [w.text('askCost')] },
            ]);
        });

        it('takes the urgent call-back from "no", then asks again whether they are safe', async () => {
            const c = await atWhen('directline');
            await play(c, [
                { say: 'I want to end my life' },
                notSafe('no'),
                { say: 'Call me back', expect: [w.text('askPhone')], not: [w.text('askMethod')] },
                { say: '07700 900456', expect: [w.text('askName')] },
                { say: 'skip', expect: [w.text('askTime')] },
                { say: 'any time', expect: [/I need your OK/] },
                { say: 'yes', expect: [w.text('askShareChat')] },
                { say: 'no', expect: [/marked your request as urgent/, w.text('crisisSafeAsk')],
                    not: [w.text('askWhen')] },
                { say: 'yes', expect: [w.text('crisisSafeGlad'), w.text('askWhen')] },
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.priority).to.equal('urgent');
        });

        it('at the very first message: the routes, the welcome, then the question; yes offers help', async () => {
            const c = new Conversation(app, { channelId: 'directline', conversationId: 'first' });
            const [first] = await play(c, [
                { say: 'he said he will kill me', expect: [/999/, w.text('crisisCallBack'), w.text('crisisSafeAsk')],
                    not: [w.text('crisisOffer')] },
                notSafe('nope'),
                { say: 'yes', expect: [w.text('crisisSafeGlad'), w.text('crisisOffer')] },
                { say: 'I feel lonely', expect: [/It sounds like/] },
            ]);
            expect(first.texts.at(-1)).to.include(w.text('crisisSafeAsk'));
        });

        it('carries on with a request said with the yes, so it is never said twice', async () => {
            // At the first message, and part-way through the questions: the new request is the one carried on.
            const first = new Conversation(app, { channelId: 'directline', conversationId: 'safe-ask-first' });
            await play(first, [
                { say: 'I want to end my life', expect: [w.text('crisisSafeAsk')] },
                { say: 'yes im safe, i just want a walking group',
                    expect: [w.text('crisisSafeGlad'), /It sounds like.*active/],
                    not: [/999/, w.text('crisisOffer'), w.text('askNeeds')] },
            ]);
            const during = await atWhen('directline');
            await play(during, [
                { say: 'I want to end my life', expect: [w.text('crisisSafeAsk')] },
                { say: "I'm safe now. I'm worried about debt",
                    expect: [w.text('crisisSafeGlad'), /It sounds like.*money/],
                    not: [/999/, w.text('askWhen'), w.text('crisisCarryOn')] },
            ]);
            // Said with no comma, the request still counts; a doubtful one is still not a yes.
            const plain = new Conversation(app, { channelId: 'directline', conversationId: 'safe-ask-plain' });
            await play(plain, [
                { say: 'I want to end my life' },
                { say: 'yes im safe i just want a walking group',
                    expect: [w.text('crisisSafeGlad'), /It sounds like.*active/], not: [/999/] },
            ]);
            const doubt = new Conversation(app, { channelId: 'directline', conversationId: 'safe-ask-doubt' });
            await play(doubt, [{ say: 'I want to end my life' },
                notSafe("yes but I'm not ok, I need a walking group")]);
        });

        it('asks once more after another crisis message, and stays there', async () => {
            const c = await atWhen('directline');
            await play(c, [
                { say: 'I want to end my life', expect: [w.text('crisisSafeAsk')] },
                { say: 'no I want to die', expect: [/999/, w.text('crisisSafeAsk')], not: questions() },
                { say: 'yes', expect: [w.text('askWhen')] },
            ]);
        });

        it('asks while a call-back is being made too, and then carries on with it', async () => {
            const c = new Conversation(app, { channelId: 'directline', conversationId: 'asking' });
            await play(c, [
                { say: 'talk to a person', expect: [w.text('askMethod')] },
                { say: 'phone', expect: [w.text('askPhone')] },
                { say: 'I took an overdose an hour ago', expect: [/999/, w.text('crisisSafeAsk')],
                    not: [w.text('crisisCallBack'), w.text('askPhone')] },
                notSafe('no'),
                { say: 'call me', expect: [w.text('askPhone')] },
                { say: '07700 900456', expect: [w.text('askName')] },
            ]);
        });
    });

    describe('by SMS', () => {
        it('asks in typed words with no buttons, and reads yes and no the same way', async () => {
            const c = await atWhen('sms');
            const [asked, no] = await play(c, [
                { say: 'my friend says she\'ll take all her pills', expect: [/999/, w.text('crisisSafeAsk'),
                    `Reply "${w.button('safeYes')}" or "${w.button('safeNo')}".`], not: questions() },
                { say: 'no', expect: [/999/, '"call me"'], not: questions() },
                { say: 'yes', expect: [w.text('crisisSafeGlad'), w.text('askWhen')] },
            ]);
            for (const m of [...asked.activities, ...no.activities]) {
                expect(m.suggestedActions).to.equal(undefined);
                expect(m.attachments ?? []).to.deep.equal([]);
            }
        });

        it('never reads a number as an answer to the question', async () => {
            const c = await atWhen('sms');
            await play(c, [{ say: 'I want to end my life' }, notSafeSms('1'), notSafeSms('2')]);
        });

        it('still stops everything on STOP', async () => {
            const c = await atWhen('sms');
            await play(c, [
                { say: 'I want to end my life', expect: [w.text('crisisSafeAsk')] },
                { say: 'STOP', expect: [/won't get any more messages/] },
            ]);
        });
    });

    /** On SMS the buttons are words to type, so the turn has none. */
    function notSafeSms(say: string): Step {
        return { say, expect: [/999/, '"call me"'], not: questions() };
    }
});
