import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('the needs a resident\'s message names', () => {
    let app: TestApp;
    afterEach(async () => app.dispose());

    it('are detected once per message, not again by each step that reads it', async () => {
        app = testApp();
        const detect = app.engine.detectNeeds.bind(app.engine);
        const asked: string[] = [];
        app.engine.detectNeeds = (text) => {
            asked.push(text);
            return detect(text);
        };
        const c = new Conversation(app);
        await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
        expect(asked.filter((t) => t === 'I feel lonely')).to.have.length(1);
    });
});
