import { expect } from 'chai';
import { askedAbout } from '../../dialogs/cancelAndHelpDialog';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { addEscalation } from '../workspace/helpers';
import { play } from './play';

describe("when a resident asks what's happening with their request", () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    it('says a new request is waiting, and by when someone will be in touch', async () => {
        await addEscalation(app, { dueBy: '2026-11-27T10:00:00.000Z' });
        await play(c, [{
            say: "What's happening with my request SP-ABCDEF?",
            expect: ['Your request SP-ABCDEF is waiting for a community connector. Someone will be in touch by Friday 27 November.'],
        }]);
    });

    it('says a connector has it once claimed, without naming them, and reads a reference typed loosely', async () => {
        await addEscalation(app);
        await app.workspace.lifecycle.claim('SP-ABCDEF', { id: 'u1', name: 'Sam', lead: false });
        const [turn] = await play(c, [{ say: 'any news on request sp abcdef', expect: [w.text('statusWithConnector', { reference: 'SP-ABCDEF' })] }]);
        expect(turn.all).to.not.include('Sam');
    });

    it('finds the request made in this chat when no reference is given', async () => {
        await play(c, [
            { say: 'talk to a person' }, { say: 'text message' }, { say: '07700900123' }, { say: 'skip' },
            { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
        ]);
        const [e] = await app.stores.escalations.list();
        await play(c, [{ say: 'my request', expect: [new RegExp(`Your request ${e!.reference} is waiting`)] }]);
    });

    it('says plainly when a reference is not known, and carries on with the question it was on', async () => {
        await play(c, [
            { say: 'I feel lonely' }, { say: 'yes', expect: [w.text('askWhere')] },
            { say: 'SP-ZZZZZZ', expect: [w.text('statusUnknown', { reference: 'SP-ZZZZZZ' }), w.text('askWhere')] },
        ]);
    });

    it('does not read ordinary words as a reference', () => {
        expect(askedAbout('I go to the sp street market')).to.equal(undefined);
        // Beside "request" six letters after "sp" are taken as a reference: the worst case is "I can't find it".
        expect(askedAbout('what about sp street request')).to.equal('SP-STREET');
        expect(askedAbout('SP-7K3Q9M')).to.equal('SP-7K3Q9M');
    });
});
