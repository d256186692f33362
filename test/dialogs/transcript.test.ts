import { expect } from 'chai';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('the running transcript of a conversation', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    it('is kept in conversation state, both ways, and "delete my data" removes it', async () => {
        const c = new Conversation(app);
        await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
        const before = (await storedState(app))!.transcript as { from: string; text: string }[];
        expect(before.map((t) => t.from)).to.include.members(['resident', 'bot']);
        expect(before.map((t) => t.text)).to.include('I feel lonely');
        await play(c, [{ say: 'delete my data', expect: [app.knowledge.wording.text('deleted')] }]);
        expect(await storedState(app)).to.equal(undefined);
    });
});
