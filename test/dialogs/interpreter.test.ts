/**
 * The request records the resident's language and, when it is not English, whether they would like an interpreter
 * (issue 18 part 2): the hand-off asks "Would you like an interpreter?" only then. Until conversations can be held in
 * Welsh or Polish, a resident writing in them is told to ask for a person ("osoba"), which is the journey here.
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';

describe('the language of a request, and an interpreter', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** Says each line in turn; returns everything the bot said, turn by turn. */
    async function play(c: Conversation, lines: readonly string[]): Promise<string[]> {
        const said: string[] = [];
        for (const line of lines) said.push((await c.say(line)).all);
        return said;
    }

    /** From asking for a person to the consent question: by phone, no name, any time. */
    const toTime = ['phone', '07700 900123', 'skip'];

    it('asks a resident who wrote in Polish whether they would like an interpreter, and keeps the answer', async () => {
        const c = new Conversation(app, { conversationId: 'interpreter-pl' });
        const said = await play(c, ['Dzień dobry, czuję się bardzo samotna i nie znam tu nikogo', 'osoba', ...toTime,
            'any time']);
        expect(said.at(-1)).to.include(w.interpreter.ask);
        const after = await play(c, ['tak']);
        expect(after[0]).to.include(w.interpreter.noted).and.include('I need your OK');
        await play(c, ['yes', 'no']);
        const [stored] = await app.stores.escalations.list();
        expect(stored?.language).to.deep.equal({ code: 'pl', interpreter: true });
    });

    it('keeps a Welsh resident\'s no', async () => {
        const c = new Conversation(app, { conversationId: 'interpreter-cy' });
        const said = await play(c, ["Dw i'n unig iawn ers i mi symud yma, does gen i neb i siarad efo", 'osoba',
            ...toTime, 'any time']);
        expect(said.at(-1)).to.include(w.interpreter.ask);
        const after = await play(c, ['na']);
        expect(after[0]).to.not.include(w.interpreter.noted);
        expect(after[0]).to.include('I need your OK');
        await play(c, ['yes', 'no']);
        const [stored] = await app.stores.escalations.list();
        expect(stored?.language).to.deep.equal({ code: 'cy', interpreter: false });
    });

    it('asks again when the answer is neither yes nor no', async () => {
        const c = new Conversation(app, { conversationId: 'interpreter-retry' });
        await play(c, ['Czuję się bardzo samotny, nie mam z kim porozmawiać', 'osoba', ...toTime, 'any time']);
        const after = await play(c, ['hmm']);
        expect(after[0]).to.include(w.interpreter.ask);
    });

    it('never asks a resident who wrote in English, and records English', async () => {
        const c = new Conversation(app, { conversationId: 'interpreter-en' });
        const said = await play(c, ['I feel so lonely since I moved here', 'talk to a person', ...toTime, 'any time']);
        const all = said.join('\n');
        expect(all).to.not.include(w.interpreter.ask);
        expect(said.at(-1)).to.include('I need your OK');
        await play(c, ['yes', 'no']);
        const [stored] = await app.stores.escalations.list();
        expect(stored?.language).to.deep.equal({ code: 'en' });
    });
});
