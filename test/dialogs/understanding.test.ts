/**
 * Issue 16, part 1: every message is understood at every step. Each case here was refused or misread before (the
 * issue's list): ordinary words for a person, dialect yes, a postcode with its sector digit, a number in a
 * sentence, thanks at the results, off the subject, a change of mind at a question, questions about a suggestion.
 */
import { expect } from 'chai';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play, toEveryQuestion } from './play';
import type { ResidentProfile } from '../../src/conversation/profile';

const profileOf = async (app: TestApp) => (await storedState(app))?.profile as ResidentProfile | undefined;

const CRISIS_ROUTES = [/999/, /116 123/];

describe('understanding a resident at every step', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const toWhere = async (need = 'I feel lonely') => play(c, [
        { say: need, expect: [/It sounds like/] },
        { say: 'yes', expect: [w.text('askWhere')] },
    ]);
    // Since issue 16 part 2 the place is the only question before the results; the time question is reached
    // through "Change my answers".
    const toResults = async (need?: string) => {
        await toWhere(need);
        await play(c, [{ say: 'BS5', expect: [w.text('resultsIntro'), /^1\. /m] }]);
    };
    const toWhen = async (need?: string) => {
        await toResults(need);
        await play(c, [...toEveryQuestion(w), { say: 'BS5', expect: [w.text('askWhen')] }]);
    };

    describe('asking for a person in ordinary words', () => {
        for (const say of ['can I speak to a human please', "I don't want a computer", 'a real person please']) {
            it(`"${say}" at "When suits you best?" starts the hand-off`, async () => {
                await toWhen();
                await play(c, [{ say, expect: [w.text('askMethod')], not: [w.text('whenUnknown')] }]);
            });
        }
        it('"I just want a person to ring me" at "Where are you?" starts the hand-off, asking how', async () => {
            await toWhere();
            await play(c, [{ say: 'I just want a person to ring me', expect: [w.text('askMethod')],
                not: [w.text('whereUnknown')] }, { say: 'phone', expect: [w.text('askPhone')] }]);
        });
        it('as the first message, it starts the hand-off at once', async () => {
            await play(c, [{ say: 'can I speak to a human please', expect: [w.text('askMethod')] }]);
        });
    });

    describe('an ordinary need about computers or loneliness is not a request for a person (code review)', () => {
        for (const say of ["I can't use a computer to apply for jobs", 'I wish someone would talk to me',
            "I want to learn computers, I'm rubbish with computers"]) {
            it(`"${say}" as the first message is a need, and the journey goes on`, async () => {
                await play(c, [{ say, expect: [/It sounds like you'd like help with|What would you like help with\?/],
                    not: [w.text('askMethod')] }]);
            });
        }
        it('"I can\'t deal with anyone at the moment, mornings" at "When suits you best?" is its answer', async () => {
            await toWhen();
            await play(c, [{ say: "I can't deal with anyone at the moment, mornings", expect: [w.text('askCost')],
                not: [w.text('askMethod')] }]);
            expect((await profileOf(app))?.prefs.times).to.deep.equal(['morning']);
        });
    });

    describe('ordinary answers', () => {
        it('"aye" confirms the need, and "ye" says yes to a person', async () => {
            await play(c, [{ say: 'I feel lonely' }, { say: 'aye', expect: [w.text('askWhere')] }]);
            await play(c, [{ say: 'BS5' }, { say: 'skip' }, { say: 'skip' }, { say: 'skip' }, { say: 'skip' },
                { say: w.button('thatsAll'), expect: [w.text('offerHandoff')] },
                { say: 'ye', expect: [w.text('askMethod')] }]);
        });
        it('"nah" at the offer of a person is no', async () => {
            await toResults();
            await play(c, [{ say: w.button('thatsAll'), expect: [w.text('offerHandoff')] },
                { say: 'nah', expect: [w.text('handoffNo')] }]);
        });
        for (const place of ['bs5 6', 'BS5', 'bs 5']) {
            it(`"${place}" is read as BS5`, async () => {
                await toWhere();
                await play(c, [{ say: place, expect: [/near BS5/, w.text('resultsIntro')],
                    not: [w.text('whereUnknown')] }]);
            });
        }
        it('a landline with words around it is taken', async () => {
            await toResults();
            await play(c, [
                { say: w.button('talkToPerson'), expect: [w.text('askMethod')] },
                { say: w.button('phoneCall'), expect: [w.text('askPhone')] },
                { say: "it's 0117 496 0123, that's the landline", expect: [w.text('askName')],
                    not: [w.text('badPhone')] },
            ]);
        });
    });

    describe('thanks and goodbye', () => {
        it('"thanks that\'s great" at the results gets a short kind close, not "type a number"', async () => {
            await toResults();
            const [turn] = await play(c, [{ say: "thanks that's great", expect: [w.text('thanksClose')],
                not: [w.text('pickNumber'), w.text('help'), w.text('chooseNeed')] }]);
            expect(turn!.texts).to.have.length(1);
        });
    });

    describe('no thanks when nothing is asked, or at "What would you like help with?"', () => {
        it('after the goodbye, "nah ur alright", "no thanks" or "I\'m good" get a kind close, not the need question',
            async () => {
                await toResults();
                await play(c, [{ say: "that's all thanks", expect: [w.text('thanksClose')] }]);
                for (const say of ['nah ur alright', 'no thanks', "I'm good"]) {
                    const [turn] = await play(c, [{ say, expect: [w.text('nothingWanted')],
                        not: [w.text('askNeeds'), w.text('chooseNeed'), w.text('notSure')] }]);
                    expect(turn!.texts, say).to.have.length(1);
                }
                // The chat is still there for a need said later.
                await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
            });
        it('a bare "no", "nothing" or "no thanks" to the need question gets a kind line, not the list of 19',
            async () => {
                for (const [i, say] of ['no', 'nothing', 'no thanks', 'nothing really, thanks'].entries()) {
                    const r = new Conversation(app, { conversationId: `nothing-${i}`, userId: `nothing-${i}` });
                    await play(r, [{ say: 'who won the football?', expect: [w.text('askNeeds')] }]);
                    await play(r, [{ say, expect: [w.text('nothingWanted')],
                        not: [w.text('chooseNeed'), w.text('notSure'), w.text('askNeeds')] }]);
                    await play(r, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
                }
            });
        it('as the first message, a bare "no" gets the kind line too', async () => {
            await play(c, [{ say: 'no', expect: [w.text('nothingWanted')], not: [w.text('chooseNeed')] }]);
        });
        it('after "cancel" at the results, "no thanks" or "nothing" gets the kind line, not the list', async () => {
            await toResults();
            await play(c, [{ say: 'cancel', expect: [w.text('questionCancelled')] }]);
            await play(c, [{ say: 'no thanks', expect: [w.text('nothingWanted')],
                not: [w.text('chooseNeed'), w.text('notSure'), w.text('askNeeds')] }]);
            const r = new Conversation(app, { conversationId: 'cancel-nothing', userId: 'cancel-nothing' });
            await play(r, [{ say: 'I feel lonely' }, { say: 'yes' }, { say: 'BS5', expect: [w.text('resultsIntro')] },
                { say: 'cancel', expect: [w.text('questionCancelled')] }]);
            await play(r, [{ say: 'nothing', expect: [w.text('nothingWanted')], not: [w.text('chooseNeed')] }]);
        });
        it('a need that starts with "no" is still a need, and "not sure" still gets the list', async () => {
            await play(c, [{ say: 'who won the football?', expect: [w.text('askNeeds')] }]);
            await play(c, [{ say: 'no one to talk to since my wife died', expect: [/It sounds like/],
                not: [w.text('nothingWanted')] }]);
            const r = new Conversation(app, { conversationId: 'unsure', userId: 'unsure' });
            await play(r, [{ say: 'who won the football?', expect: [w.text('askNeeds')] }]);
            await play(r, [{ say: 'not sure', expect: [w.text('chooseNeed')], not: [w.text('nothingWanted')] }]);
        });
    });

    describe('off the subject', () => {
        it('gets "I can\'t help with that, but I can ..." and the same question again', async () => {
            await toWhen();
            await play(c, [
                { say: "what's the weather", expect: [w.text('offTopic'), w.text('askWhen')],
                    not: [w.text('whenUnknown')] },
                { say: 'Tuesday mornings', expect: [w.text('askCost')] },
            ]);
        });
        it('as the first message, says what it can do and asks what would help', async () => {
            await play(c, [{ say: 'who won the football last night?', expect: [w.text('offTopic'), w.text('askNeeds')],
                not: [w.text('resultsIntro')] }]);
        });
        it('at the results, keeps the results', async () => {
            await toResults();
            await play(c, [{ say: 'who won the football', expect: [w.text('offTopic'), w.text('resultsActions')],
                not: [w.text('resultsIntro')] }]);
        });
    });

    describe('changing their mind at a question', () => {
        it('takes the new need instead of the old, and asks the same question again', async () => {
            await toWhen('I feel stressed and I can\'t sleep');
            const [turn] = await play(c, [{
                say: 'no forget the stress stuff, I want to get fit, like a gym or running club',
                expect: [/OK, I'll look for help with getting more active instead/, w.text('askWhen')],
                not: [w.text('whenUnknown'), /stress/i],
            }]);
            expect(turn!.all).to.not.match(/sleep/i);
            await play(c, [{ say: 'evenings', expect: [w.text('askCost')] }]);
            const profile = await profileOf(app);
            expect(profile?.needs).to.include('physical-activity');
            expect(profile?.needs).to.not.include('mental-wellbeing');
            expect(profile?.inOwnWords).to.match(/^I want to get fit/);
        });
        it('before the questions, goes back to the needs with the new words', async () => {
            await play(c, [{ say: 'I feel stressed' }, {
                say: 'actually forget that, I want a choir',
                expect: [w.text('changeOfMind'), /It sounds like you'd like help with/], not: [/stress/i],
            }]);
        });
    });

    describe('"actually ..." at a question is its answer unless it says the need changes (code review)', () => {
        it('"Actually I need it free as money is tight" at the cost question keeps the need, and is free only',
            async () => {
                await toWhen();
                await play(c, [{ say: 'mornings', expect: [w.text('askCost')] }]);
                const before = (await profileOf(app))?.needs;
                await play(c, [{ say: 'Actually I need it free as money is tight', expect: [w.text('askAccess')],
                    not: [/instead/] }]);
                const profile = await profileOf(app);
                expect(profile?.needs).to.deep.equal(before);
                expect(profile?.prefs.freeOnly).to.equal(true);
            });
        it('"Actually I get really anxious in big groups" at the worries question keeps the need', async () => {
            await toWhen();
            await play(c, [{ say: 'skip' }, { say: 'skip' }, { say: 'skip', expect: [w.text('askWorries')] }]);
            const before = (await profileOf(app))?.needs;
            await play(c, [{ say: 'Actually I get really anxious in big groups', expect: [w.text('resultsIntro')],
                not: [/instead/, w.text('askWorries')] }]);
            expect((await profileOf(app))?.needs).to.deep.equal(before);
        });
    });

    describe('an answer with an off-topic word is read first (code review)', () => {
        it('"I\'m in Westmoor near the match factory" at "Where are you?" is the place', async () => {
            await toWhere();
            await play(c, [{ say: "I'm in Westmoor near the match factory",
                expect: [/Westmoor/, w.text('resultsIntro')],
                not: [w.text('offTopic')] }]);
        });
        it('"after the news, evenings" at "When suits you best?" is the time', async () => {
            await toWhen();
            await play(c, [{ say: 'after the news, evenings', expect: [w.text('askCost')],
                not: [w.text('offTopic')] }]);
            expect((await profileOf(app))?.prefs.times).to.deep.equal(['evening']);
        });
        it('"what\'s the weather" at "When suits you best?" is still off the subject', async () => {
            await toWhen();
            await play(c, [{ say: "what's the weather", expect: [w.text('offTopic'), w.text('askWhen')] }]);
        });
    });

    describe('correcting an earlier answer at a later question', () => {
        const toCost = async () => {
            await toWhen();
            await play(c, [{ say: 'mornings', expect: [w.text('askCost')] }]);
        };
        it('a place: "sorry no, I meant Eastfield not Westmoor" changes the place, then asks again', async () => {
            await toCost();
            await play(c, [{ say: 'sorry no, I meant Eastfield not Westmoor',
                expect: [/near Eastfield/, w.text('askCost')], not: [/Westmoor/] }]);
            expect((await profileOf(app))?.prefs.place?.label).to.equal('Eastfield');
        });
        it('a time: "actually not mornings, afternoons are better" changes the time', async () => {
            await toCost();
            await play(c, [{ say: 'oh actually not mornings, afternoons are better for me',
                expect: [w.text('correctionGot'), w.text('askCost')] }]);
            expect((await profileOf(app))?.prefs.times).to.deep.equal(['afternoon']);
        });
        it('the cost: "wait, I can pay a bit" at the next question undoes "free only"', async () => {
            await toCost();
            await play(c, [{ say: 'yes free', expect: [w.text('askAccess')] }]);
            expect((await profileOf(app))?.prefs.freeOnly).to.equal(true);
            await play(c, [{ say: "wait, I can pay a bit, it doesn't have to be free",
                expect: [w.text('correctionGot'), w.text('askAccess')] }]);
            expect((await profileOf(app))?.prefs.freeOnly).to.equal(undefined);
        });
        it('a correction of the question on screen is read as its answer, without the words taken back', async () => {
            await toWhere();
            await play(c, [{ say: 'Westmoor, no wait, not Westmoor, Eastfield', expect: [/near Eastfield/] }]);
        });
    });

    describe('questions about a suggestion at the results', () => {
        it('"do i need to book?" is answered from the listings, not searched for as a need', async () => {
            await toResults();
            await play(c, [{
                say: 'do i need to book?', expect: [/The listing (says|doesn't say)/, w.text('resultsActions')],
                not: [w.text('resultsIntro'), w.text('pickNumber')],
            }]);
        });
        for (const say of ['is there parking?', 'how do I get there on the bus?']) {
            it(`"${say}" is answered, or honestly not`, async () => {
                await toResults();
                await play(c, [{ say, expect: [/The listing (says|doesn't say)/], not: [w.text('pickNumber')] }]);
            });
        }
        it('"is number 2 free?" answers for the second one only, with its cost', async () => {
            await toResults();
            const profile = await profileOf(app);
            const second = app.engine.opportunity(profile!.suggested[1]!)!;
            const first = app.engine.opportunity(profile!.suggested[0]!)!;
            await play(c, [{ say: 'is number 2 free?', expect: [second.name, /Cost: |doesn't say/],
                not: [`${first.name}.`] }]);
        });
    });

    describe('crisis stays first', () => {
        it('a request for a person that also says they are in danger shows the routes first', async () => {
            await toWhen();
            const [turn] = await play(c, [{ say: "I don't want a computer, I want to end my life",
                expect: CRISIS_ROUTES }]);
            expect(turn!.texts[0], 'the routes come first').to.match(/999/);
        });
        it('a question or thanks at the results that also says they are in danger shows the routes first', async () => {
            await toResults();
            for (const say of ['thanks, but I want to kill myself', 'is there parking? I want to die']) {
                const [turn] = await play(c, [{ say, expect: CRISIS_ROUTES, not: [w.text('thanksClose')] }]);
                expect(turn!.texts[0], 'the routes come first').to.match(/999/);
            }
        });
    });
});
