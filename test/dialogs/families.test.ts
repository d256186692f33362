/**
 * Issue 16, the held-out conversations' failures as families, not sentences: "doesn't matter" and its kind are no
 * preference; "nah ur alright" and its kind are no thanks; meal times are times of day; a person is asked for in many
 * wordings (also after a need: "I need someone to help"); a bare "no" at a preference question is no preference.
 * Each wording here stands for its family: none is one of the held-out set's sentences.
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play, toEveryQuestion } from './play';

describe('families of ordinary answers (issue 16, held-out failures)', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const notUnderstood = () => [w.text('whereUnknown'), w.text('whenUnknown'), w.text('pickNumber'),
        w.text('notSure')];
    const toWhere = async () => play(c, [
        { say: "I'd like to join a walking group", expect: [/It sounds like/] },
        { say: 'yes', expect: [w.text('askWhere')] },
    ]);
    const toResults = async () => {
        await toWhere();
        await play(c, [{ say: 'BS5', expect: [w.text('resultsIntro'), /^1\. /m] }]);
    };
    const toWhen = async () => {
        await toResults();
        await play(c, [...toEveryQuestion(w), { say: 'BS5', expect: [w.text('askWhen')] }]);
    };
    const toOffer = async () => {
        await toResults();
        await play(c, [{ say: w.button('thatsAll'), expect: [w.text('offerHandoff')] }]);
    };

    describe('no preference in other words', () => {
        const said = ["doesn't matter", 'not bothered', 'whatever', 'any is fine', 'i really dont mind',
            'makes no difference', 'not fussed', 'up to you'];
        for (const say of said) {
            it(`"${say}" at "Where are you?" is no preference: the results come`, async () => {
                await toWhere();
                await play(c, [{ say, expect: [w.text('resultsIntro')], not: notUnderstood() }]);
            });
            it(`"${say}" at "When suits you best?" is no preference: the next question comes`, async () => {
                await toWhen();
                await play(c, [{ say, expect: [w.text('askCost')], not: notUnderstood() }]);
            });
        }
        it('"doesn\'t matter" at the results keeps the same choices, never "type a number"', async () => {
            await toResults();
            await play(c, [{ say: "doesn't matter", expect: [w.text('narrowNo')], not: notUnderstood() }]);
        });
    });

    describe('a bare no at a preference question', () => {
        for (const say of ['no', 'nope', 'nah', 'not really']) {
            it(`"${say}" at "When suits you best?" is no preference`, async () => {
                await toWhen();
                await play(c, [{ say, expect: [w.text('askCost')], not: notUnderstood() }]);
            });
            it(`"${say}" at "Where are you?" is no preference`, async () => {
                await toWhere();
                await play(c, [{ say, expect: [w.text('resultsIntro')], not: notUnderstood() }]);
            });
        }
        it('"no" at the question after "cancel" at "Where are you?" is no preference', async () => {
            await toWhere();
            const cancelled = await c.say('cancel');
            const turn = await c.say('no');
            for (const unwanted of notUnderstood()) {
                if (turn.all.includes(unwanted)) {
                    throw new Error(`"no" was not understood:\n${cancelled.all}\n---\n${turn.all}`);
                }
            }
        });
        it('"no" at "When suits you best?" after a cancel is still no preference', async () => {
            await toWhen();
            await play(c, [
                { say: 'cancel', not: [w.text('stopped')] },
            ]);
            const turn = await c.say('no');
            for (const unwanted of notUnderstood()) {
                if (turn.all.includes(unwanted)) throw new Error(`"no" was not understood:\n${turn.all}`);
            }
        });
    });

    describe('no thanks in dialect and text-speak', () => {
        const said = ['nah ur alright', "nah you're alright", "I'm good", "I'm ok thanks", 'no ta', "you're alright",
            "nah i'm fine thanks", 'im ok mate'];
        for (const say of said) {
            it(`"${say}" to "Would you like a community connector to get in touch?" is no thanks`, async () => {
                await toOffer();
                await play(c, [{ say, expect: [w.text('handoffNo')], not: [w.text('askMethod')] }]);
            });
            it(`"${say}" to "Want me to narrow them down?" keeps the choices, never "type a number"`, async () => {
                await toResults();
                await play(c, [{ say, expect: [w.text('narrowNo')], not: notUnderstood() }]);
            });
            it(`"${say}" to "Want me to find ones near you?" keeps the choices, never "type a number"`, async () => {
                await toWhere();
                await play(c, [
                    { say: 'skip', expect: [w.text('narrowNear')] },
                    { say, expect: [w.text('narrowNo')], not: [...notUnderstood(), w.text('askWhere')] },
                ]);
            });
        }
    });

    it('"nah ur alright" to "Where are you?" after "Find ones near me" keeps the choices', async () => {
        await toWhere();
        await play(c, [
            { say: 'skip', expect: [w.text('narrowNear')] },
            { say: w.button('findNearMe'), expect: [w.text('askWhere')] },
            { say: 'nah ur alright', expect: [w.text('narrowNo')], not: notUnderstood() },
        ]);
    });

    describe('meal times are times of day', () => {
        for (const say of ['lunchtimes', 'teatime', 'midday', 'dinnertime', 'brunch', 'after school', 'tea time',
            'around lunchtime', 'at noon']) {
            it(`"${say}" answers "When suits you best?"`, async () => {
                await toWhen();
                await play(c, [{ say, expect: [w.text('askCost')], not: notUnderstood() }]);
            });
        }
    });

    describe('a person asked for in many wordings', () => {
        for (const say of ['can I have a call from one of your team', 'could someone from your team ring me',
            'can I get a call from one of you', 'I want a real person', 'can somebody from you get in touch',
            'i need someone to help me', 'I need somebody to help me with my benefits forms']) {
            it(`"${say}" as the first message starts the hand-off`, async () => {
                await play(c, [{ say, expect: [w.text('askMethod')] }]);
            });
        }
        it('crisis words still come first: the routes, not the contact questions', async () => {
            await play(c, [{ say: "I'm being evicted and I want to end my life, I need someone to help",
                expect: [/999/], not: [w.text('askMethod')] }]);
        });
        it('a need and "I need someone to help" offers a person, and the request carries the need and words',
            async () => {
                await play(c, [
                    { say: "my landlord says I have to leave my flat and I need someone to help",
                        expect: [w.text('askMethod')] },
                    { say: 'phone' }, { say: '07700 900123' }, { say: 'skip' }, { say: 'any time' },
                    { say: 'yes', expect: [w.text('askShareChat')] },
                    { say: 'no', expect: [/Your reference is SP-/] },
                ]);
                const [stored] = await app.stores.escalations.list();
                expect(stored?.summary.inOwnWords).to.include('my landlord says I have to leave my flat');
                expect(stored?.summary.needs).to.include('housing');
            });
        it('"I need someone to talk to" is a need (loneliness), not a request for a person', async () => {
            await play(c, [{ say: 'I need someone to talk to', expect: [/It sounds like/],
                not: [w.text('askMethod')] }]);
        });
        it('"I wish someone would help me" is not a request for a person', async () => {
            await play(c, [{ say: 'I wish someone would help me', not: [w.text('askMethod')] }]);
        });
    });
});
