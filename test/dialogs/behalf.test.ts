/**
 * Issue 18, part 1: a message written for someone else. "My mum ... since dad died" says who it is about, not that
 * the writer wants parenting support, so the reflection must not say "family life" and the first suggestions must
 * not be parents' or children's groups (seen in the terminal chat before this fix).
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';

describe('a message for someone else (issue 18)', () => {
    let app: TestApp;
    let c: Conversation;
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
    });
    afterEach(async () => app.dispose());

    const said = "my mum has been really lonely since dad died, she lives in BS5 and can't walk far";
    /** The family-parenting need's reflection, from the lexicon, so the test follows the wording files. */
    const familyLife = (): string =>
        app.knowledge.taxonomy.needs.find((n) => n.id === 'family-parenting')?.reflect ?? 'family life';

    it('reflects loneliness and loss, not family life', async () => {
        const turn = await c.say(said);
        expect(turn.all).to.match(/It sounds like/);
        expect(turn.all).to.include('lonely');
        expect(turn.all).not.to.include(familyLife());
    });

    it('its first suggestions contain no parents\' or children\'s group', async () => {
        await c.say(said);
        const turn = await c.say('yes');
        expect(turn.all).to.match(/^1\. /m);
        expect(turn.all).not.to.match(/\b(?:parents?|mums?|dads?|kids|children|toddlers?|buggy|baby|babies)\b/i);
    });
});
