import { expect } from 'chai';
import { TestAdapter, type Activity } from 'botbuilder';
import { createLogger } from '../../src/log';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from '../dialogs/play';

/**
 * A turn that fails (here a conversationUpdate with `membersAdded: [null]`, as a broken client sent it: the bot's
 * welcome handler throws on it) must not cost the resident their conversation: the state stays in the store and the
 * next message carries on where they were. The failing input itself is not replayed.
 */
describe('when a turn fails', () => {
    let app: TestApp;
    let c: Conversation;
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
    });
    afterEach(async () => app.dispose());

    async function failTurn(): Promise<string[]> {
        await c.adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [null as never] });
        return c.adapter.activeQueue.splice(0).filter((a) => a.type === 'message').map((a) => a.text ?? '');
    }

    /** Plays a resident to the "where" question, with needs in their profile. */
    async function toWhereQuestion(): Promise<void> {
        const w = app.knowledge.wording;
        await c.join();
        await play(c, [
            { say: 'hi', expect: [w.text('askNeeds')] },
            { say: "I've been lonely since my wife died", expect: [/It sounds like you'd like help with/] },
            { say: w.button('yesRight'), expect: [w.text('askWhere')] },
        ]);
    }

    it('keeps the conversation state, and the next message carries on', async () => {
        const w = app.knowledge.wording;
        await toWhereQuestion();
        const before = await storedState(app);
        expect(before?.dialogState, 'the dialog is stored before the failure').to.not.equal(undefined);

        const replies = await failTurn();
        expect(replies.join('\n'), 'the resident is told something went wrong').to.include(w.text('error'));

        const after = await storedState(app);
        expect(after, 'the state is still in the store').to.not.equal(undefined);
        expect(after?.profile?.needs).to.deep.equal(before?.profile?.needs);
        expect(after?.dialogState).to.deep.equal(before?.dialogState);
        // The question they were on is answered as if nothing had happened.
        await play(c, [{ say: 'BS5', expect: [/I'll look near BS5/, w.text('resultsIntro')] }]);
    });

    it('starts the dialog afresh only when turns keep failing, and still keeps what the resident told it', async () => {
        const w = app.knowledge.wording;
        await toWhereQuestion();
        const before = await storedState(app);
        await failTurn();
        await failTurn();
        const after = await storedState(app);
        expect(after?.profile?.needs, 'what the resident said is kept').to.deep.equal(before?.profile?.needs);
        expect(after?.welcomed).to.equal(true);
        // Two failures in a row: the dialog's place may be what fails, so the next message starts it again.
        const next = await c.say('hello');
        expect(next.all).to.include(w.text('askNeeds'));
        expect(next.all, 'no second welcome').to.not.match(/computer program/);
    });
});

describe('when a turn fails in a conversation held in Welsh or Polish', () => {
    for (const [code, name] of [['pl', 'Polski'], ['cy', 'Cymraeg']] as const) {
        it(`says that something went wrong in ${name}, not in English`, async () => {
            const app = testApp();
            try {
                const c = new Conversation(app, { conversationId: `fail-${code}` });
                await c.say(name);
                await c.adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [null as never] });
                const replies = c.adapter.activeQueue.splice(0).filter((a) => a.type === 'message')
                    .map((a) => a.text ?? '').join('\n');
                expect(replies).to.include(app.knowledge.wording.in(code).text('error'));
                expect(replies).to.not.include(app.knowledge.wording.text('error'));
            } finally {
                await app.dispose();
            }
        });
    }
});

describe('when a turn fails with personal details in the error', () => {
    it('logs no phone number or words at any level, not even in the stack at debug', async () => {
        const lines: string[] = [];
        const app = testApp({ log: createLogger('debug', (line) => lines.push(line)) });
        try {
            const phone = '+447700900123';
            // As a store error names the document it could not write, and the document is named by the SMS number.
            const adapter = new TestAdapter(async () => {
                throw new Error(`E11000 duplicate key: { _id: "sms/conversations/${phone}/" } after "I feel alone"`);
            }, { channelId: 'sms', conversation: { id: phone }, from: { id: phone } } as Partial<Activity>);
            adapter.onTurnError = app.onTurnError;
            await adapter.receiveActivity('hello');
            const log = lines.join('\n');
            expect(log).to.include('turn.failed');
            expect(log, 'the stack is still logged at debug').to.include('turn.failed.stack');
            expect(log).to.not.include('7700900123');
            expect(log).to.not.include('alone');
        } finally {
            await app.dispose();
        }
    });
});
