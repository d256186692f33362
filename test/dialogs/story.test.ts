/**
 * A request for contact carries the whole story: every need confirmed in the conversation (not only the last
 * search's), the resident's own words for each (bounded, postcodes cut to their district), the preferences and
 * everything suggested; and a request made before any need was confirmed carries the words written so far
 * (issue 16, part 5).
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play, type Step } from './play';
import { MAX_STORY_WORDS } from '../../src/conversation/story';

describe('a request for contact', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** "talk to a person" and the rest of a request, up to its reference. */
    const request = (): Step[] => [
        { say: 'talk to a person', expect: [w.text('askMethod')] },
        { say: 'phone' }, { say: '07700 900123' }, { say: 'skip' }, { say: 'any time' },
        { say: 'yes', expect: [w.text('askShareChat')] },
        { say: 'no', expect: [/Your reference is SP-/] },
    ];

    /** The place question, then "free" said at the results (issue 16 part 2: the place is the one question). */
    const preferences = (): Step[] => [
        { say: 'BS5', expect: [w.text('resultsIntro')] },
        { say: 'free', expect: [w.text('resultsIntro')] },
    ];

    it('carries every need confirmed in the conversation, their words for each, and everything suggested',
        async () => {
            const c = new Conversation(app, { conversationId: 'two-searches' });
            const [, , , first] = await play(c, [
                { say: 'I feel lonely since my wife died', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                ...preferences(),
            ]);
            const [second] = await play(c, [
                { say: 'actually money is tight and I can\'t pay the bills', expect: [w.text('resultsIntro')] },
                ...request(),
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.summary.needs).to.include.members(['loneliness', 'money-debt']);
            expect(stored.summary.inOwnWords).to.include('lonely since my wife died')
                .and.include('money is tight and I can\'t pay the bills');
            // One line for each part of the story, named by its need.
            expect(stored.summary.inOwnWords!.split('\n')).to.have.length(2);
            expect(stored.summary.inOwnWords).to.include(app.services.matcher.askLabel('loneliness'));
            expect(stored.summary.preferences).to.include.members(['near BS5', 'free only']);
            // What both searches suggested.
            const names = stored.summary.suggested.map((s) => s.name);
            const shown = (t: typeof first) => [...t.all.matchAll(/^\d\. \**([^*\n]+?)\**$/gm)].map((m) => m[1]);
            expect(names).to.include.members([...shown(first).slice(0, 1), ...shown(second).slice(0, 1)]);
        });

    it('is never empty: made before the need was confirmed, it carries the words written so far, postcode cut',
        async () => {
            const c = new Conversation(app, { conversationId: 'before-confirmed' });
            await play(c, [
                { say: 'I have nobody to talk to since I moved to BS5 6XX', expect: [/It sounds like/] },
                ...request(),
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.summary.inOwnWords).to.include('I have nobody to talk to since I moved to BS5');
            expect(JSON.stringify(stored)).to.not.include('6XX');
            // Nothing was confirmed: the needs their words point to, so the request is never without one.
            expect(stored.summary.needs).to.include('loneliness');
        });

    it('carries what the resident wrote when asked for straight after crisis routes, without the commands',
        async () => {
            const c = new Conversation(app, { conversationId: 'after-crisis' });
            await play(c, [
                { say: 'my husband has dementia and I can\'t cope anymore', expect: [w.text('crisisSafeAsk')] },
                { say: 'call me', expect: [w.text('askPhone')] },
                { say: '07700 900123' }, { say: 'skip' }, { say: 'any time' }, { say: 'yes' },
                { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.summary.inOwnWords).to.equal('my husband has dementia and I can\'t cope anymore');
        });

    it('leaves out what was said during the request even when the clock does not move between messages',
        async () => {
            // A fast machine writes several messages in one millisecond: "before the request" must not tie.
            await app.dispose();
            app = testApp({ now: () => new Date('2026-12-01T10:00:00.000Z') });
            const c = new Conversation(app, { conversationId: 'still-clock' });
            await play(c, [
                { say: 'my husband has dementia and I can\'t cope anymore', expect: [app.knowledge.wording.text('crisisSafeAsk')] },
                { say: 'call me', expect: [app.knowledge.wording.text('askPhone')] },
                { say: '07700 900123' }, { say: 'skip' }, { say: 'any time' }, { say: 'yes' },
                { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.summary.inOwnWords).to.equal('my husband has dementia and I can\'t cope anymore');
        });

    it('carries words the resident wrote when the bot could not tell what they meant', async () => {
        const c = new Conversation(app, { conversationId: 'not-sure' });
        await play(c, [
            { say: 'hello', expect: [w.text('askNeeds')] },
            { say: 'it is hard to explain really', expect: [w.text('chooseNeed')] },
            ...request(),
        ]);
        const [stored] = await app.stores.escalations.list();
        expect(stored.summary.inOwnWords).to.equal('it is hard to explain really');
    });

    it('keeps the words bounded however long the conversation', async () => {
        const c = new Conversation(app, { conversationId: 'long' });
        const long = (need: string) => `${need} ${'and it has been like this for a very long time '.repeat(40)}`;
        await play(c, [
            { say: long('I feel lonely'), expect: [/It sounds like/] }, { say: 'yes' }, ...preferences(),
            { say: long('money is tight'), expect: [w.text('resultsIntro')] },
            { say: long('I want to get fit'), expect: [w.text('resultsIntro')] },
            { say: long('I am a carer for my mum'), expect: [w.text('resultsIntro')] },
            ...request(),
        ]);
        const [stored] = await app.stores.escalations.list();
        expect(stored.summary.inOwnWords!.length).to.be.at.most(MAX_STORY_WORDS);
        expect(stored.summary.needs.length).to.be.at.least(3);
    });
});
