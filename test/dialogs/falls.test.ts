/**
 * Falls and balance, as a tester playing residents found them: a request for a balance class is a need, never a
 * crisis, and the falls prevention classes of the directory come first (docs/crisis-wording.md, "Falls").
 */
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('falls and balance in the conversation', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** The sample directory's two falls prevention classes: one of them first in the list (as text, not cards). */
    const falls = /1\. (?:Strength and Balance Classes|Tai Chi for Balance)/;

    it('lists the balance classes for a resident who keeps falling over, with no crisis routes', async () => {
        const c = new Conversation(app, { conversationId: 'falls-own' });
        await play(c, [
            { say: 'i keep fallin over, need a balance class or summat to stop me falling. BS9',
                expect: [/It sounds like/], not: [/116 123/, w.text('crisisSafeAsk')] },
            { say: 'yes', expect: [w.text('resultsIntro'), falls], not: [/999/] },
        ]);
    });

    it('hears a daughter whose mum keeps falling, and a resident who wants to be steadier on their feet',
        async () => {
            for (const [i, say] of ['my mum keeps falling and im worried, shes 84. BS9',
                'i keep fallin over and wanna get a bit steadier on me feet. BS9',
                'balance class for falls near BS9'].entries()) {
                const c = new Conversation(app, { conversationId: `falls-${i}` });
                await play(c, [
                    { say, expect: [/It sounds like/],
                        not: [/116 123/, w.text('crisisSafeAsk'), w.text('askNeeds'), /not sure I understood/] },
                    { say: 'yes', expect: [falls] },
                ]);
            }
        });

    it('still treats someone on the floor who cannot get up as an emergency', async () => {
        const c = new Conversation(app, { conversationId: 'falls-floor' });
        await play(c, [
            { say: "my dad has fallen and can't get up", expect: [/999/, w.text('crisisSafeAsk')] },
            { say: 'yes im safe, he is up now and i want a balance class for him', expect: [w.text('crisisSafeGlad'),
                /It sounds like/], not: [/999/, w.text('crisisOffer')] },
            { say: 'yes', expect: [w.text('askWhere')] },
            { say: 'BS9', expect: [falls] },
        ]);
    });
});
