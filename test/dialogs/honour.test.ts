/**
 * Issue 16, "honour what they said", through the real bot: wishes said in an answer or in the first message change
 * the suggestions, and the reasons are said as sentences that never contradict them.
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('honouring what the resident said, in the conversation', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    it('"not Sundays" and "I can pay" are honoured, and the why is a sentence', async () => {
        await c.join();
        await play(c, [
            { say: "I'm lonely and would like to meet people", expect: [/It sounds like you'd like help with/] },
            { say: w.button('yesRight'), expect: [w.text('askWhere')] },
            // Issue 16 part 2: the results come after the place, and what is said there narrows them.
            { say: 'skip', expect: [w.text('resultsIntro')] },
            { say: 'not Sundays', expect: [w.text('resultsIntro')] },
        ]);
        const results = await c.say('I can pay');
        expect(results.all).to.include(w.text('resultsIntro'));
        const whys = results.all.split('\n').filter((line) => line.startsWith(`${w.text('labelWhy')}: `));
        expect(whys).to.have.length(3);
        for (const why of whys) {
            expect(why).to.not.match(/sunday/i);
            expect(why).to.not.match(/\bfree\b/i);
            expect(why).to.match(/^Why: It [^,]+.*\.$/);
        }
    });

    it('when nothing on the first page is near the place they gave, one near them of their need comes last',
        async () => {
        // "walking group": the walks come first (the kind named), but none is in Eastfield (BS5); a link worker would
        // add the nearest thing that gets them active, and say why.
        await play(c, [
            { say: "I'd like to join a walking group", expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('askWhere')] },
        ]);
        const results = await c.say('Eastfield');
        expect(results.all).to.include(w.text('resultsIntro'));
        const items = results.all.split(/\n(?=\d\. )/).filter((item) => /^\d\. /.test(item));
        expect(items).to.have.length(3);
        expect(items.slice(0, 2).join('\n'), 'the kind named stays on top').to.match(/walk/i);
        const last = items[2] as string;
        expect(last).to.match(new RegExp(`${w.text('labelWhere')}: .*(Eastfield|BS5)`));
        expect(last).to.match(/Why: It's near you, for getting more active/);
    });

    it('after correcting the place, the results have one near the corrected place', async () => {
        await play(c, [
            { say: "I'd like to join a walking group" }, { say: 'yes' }, { say: 'Westmoor' },
        ]);
        const results = await c.say('sorry no, I meant Eastfield not Westmoor');
        expect(results.all).to.match(new RegExp(`${w.text('labelWhere')}: .*(Eastfield|BS5)`));
    });

    it('"somewhere I could go out to" in the first message rules out phone and home-visit services', async () => {
        await c.join();
        await play(c, [
            {
                say: "I'm lonely since my wife died and I'm hard of hearing, I wanted somewhere I could go out to",
                expect: [/It sounds like you'd like help with/],
            },
            { say: w.button('yesRight'), expect: [w.text('askWhere')] },
        ]);
        // Issue 16 part 2: no place given, so the results come next.
        const results = await c.say('skip');
        const wheres = results.all.split('\n').filter((line) => line.startsWith(`${w.text('labelWhere')}: `));
        expect(wheres).to.have.length(3);
        const remote = new RegExp(`^${w.text('labelWhere')}: (${w.text('byPhone')}|${w.text('atHome')})`);
        for (const where of wheres) expect(where).to.not.match(remote);
    });
});
