import { expect } from 'chai';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

const CRISIS_ROUTES = [/999/, /111/, /116 123/, /85258/];

describe('what a resident can say at any step', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    const toWhere = async () => play(c, [
        { say: 'I feel lonely', expect: [/It sounds like/] },
        { say: 'yes', expect: [w.text('askWhere')] },
    ]);
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    describe('when a resident in crisis writes in the middle of the questions', () => {
        it('shows the UK crisis routes at once, asks if they are safe, and after yes the same question again',
            async () => {
                await toWhere();
                const [turn] = await play(c, [{
                    say: 'I want to end my life',
                    expect: [...CRISIS_ROUTES, w.text('crisisSafeAsk')], not: [w.text('askWhere')],
                }]);
                expect(turn.texts[0], 'the routes come first').to.match(/999/);
                await play(c, [
                    { say: 'yes', expect: [w.text('crisisCarryOn'), w.text('askWhere')] },
                    // Issue 16 part 2: the place is the one question before the results.
                    { say: 'BS5', expect: [/near BS5/, w.text('resultsIntro')] },
                ]);
            });

        it('makes a later request for contact urgent', async () => {
            await play(c, [
                { say: 'nobody would miss me if I was gone', expect: CRISIS_ROUTES },
                { say: 'talk to a person', expect: [w.text('askMethod')] },
                { say: 'text message' }, { say: '07700900123' }, { say: 'skip' }, { say: 'any time' },
                { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            ]);
            const [stored] = await app.stores.escalations.list();
            expect(stored.priority).to.equal('urgent');
            expect(stored.summary.crisisShown).to.equal(true);
        });

        it('does not mistake figurative speech for a crisis', async () => {
            const [turn] = await play(c, [{ say: "I'm dying to join a choir", not: [/116 123/] }]);
            expect(turn.all).to.match(/It sounds like/);
        });
    });

    describe('when a resident asks for help', () => {
        it('explains, then repeats the question it was on', async () => {
            await toWhere();
            await play(c, [{ say: 'help', expect: [w.text('help'), w.text('askWhere')] }]);
        });
    });

    describe('when a resident says start again', () => {
        it('forgets the answers and asks what matters', async () => {
            await toWhere();
            await play(c, [{ say: 'start again', expect: [w.text('restart'), w.text('askNeeds')] }]);
            expect((await storedState(app))?.profile?.needs).to.deep.equal([]);
        });
    });

    describe('when a resident asks to talk to a person', () => {
        it('goes straight to the hand-off questions', async () => {
            await toWhere();
            await play(c, [{ say: 'Talk to a person', expect: [w.text('askMethod')] }]);
        });
    });

    describe('when a resident says stop', () => {
        it('stops, and a later message starts afresh', async () => {
            await toWhere();
            await play(c, [
                { say: 'stop', expect: [w.text('stopped')], not: [w.text('askWhere')] },
                { say: 'hello', expect: [w.text('askNeeds')] },
            ]);
        });
    });

    describe('when a resident asks to delete their data', () => {
        it('removes their conversation and any request not yet picked up, and says so', async () => {
            await play(c, [
                { say: 'I feel lonely' },
                { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900123' }, { say: 'Sam' },
                { say: 'mornings' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            ]);
            const [request] = await app.stores.escalations.list();
            const [turn] = await play(c, [{ say: 'delete my data', expect: [w.text('deleted'), request.reference] }]);
            expect(turn.all).to.include('cancelled');
            expect(await app.stores.escalations.list()).to.have.length(0);
            expect(await storedState(app)).to.equal(undefined);
        });

        it('keeps a request a connector has already picked up, and says so', async () => {
            await play(c, [
                { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900123' }, { say: 'skip' },
                { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            ]);
            const [request] = await app.stores.escalations.list();
            // A connector claims it (the workspace does this; here, directly in the store file).
            const Database = (await import('better-sqlite3')).default;
            const db = new Database(`${app.dataDir}/signpost.db`);
            db.prepare("UPDATE escalations SET status = 'claimed' WHERE id = ?").run(request.id);
            db.close();
            const [turn] = await play(c, [{
                say: 'delete my data', expect: [w.text('deletedKeptSome'), request.reference, w.text('keptPhone')],
                not: [w.text('deleted'), w.text('keptName'), w.text('keptChat'), w.text('keptLiveChat')],
            }]);
            expect(turn.all).to.match(/already has your request .* They will still get in touch/s);
            expect(await app.stores.escalations.list()).to.have.length(1);
        });

        it('does not say a connector will get in touch about a request that is already closed', async () => {
            await play(c, [
                { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900123' }, { say: 'skip' },
                { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            ]);
            const [request] = await app.stores.escalations.list();
            const at = new Date().toISOString();
            await app.stores.escalations.change(request.reference, {
                from: ['new'], to: 'claimed', assignee: { id: 'u1', name: 'Sam' },
                audit: { at, actor: 'u1', action: 'claimed' },
            });
            await app.stores.escalations.change(request.reference, {
                from: ['claimed'], to: 'closed', outcome: 'connected',
                audit: { at, actor: 'u1', action: 'closed', detail: 'connected' },
            });
            const referralDays = app.config.referralDays;
            await play(c, [{
                say: 'delete my data',
                expect: [w.text('deletedKeptSome'), w.text('keptClosedRequests', {
                    references: request.reference, referralDays, kept: w.text('keptPhone'),
                })],
                not: [/get in touch/, w.text('deleted')],
            }]);
            expect((await app.stores.escalations.getByReference(request.reference))?.conversationReference)
                .to.equal(undefined);
        });
    });

    describe('when a message is too long', () => {
        it('asks for a shorter one', async () => {
            await play(c, [{ say: 'a'.repeat(2001), expect: [w.text('tooLong')] }]);
        });
    });
});

describe('when the very first message shows immediate risk', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    it('shows the routes first, says it is a computer, asks if they are safe, and after yes offers help', async () => {
        const c = new Conversation(app);
        const turn = await c.say('i have pills saved up to take');
        expect(turn.texts[0]).to.match(/999/).and.match(/116 123/).and.match(/85258/).and.match(/option 2/);
        expect(turn.all).to.match(/computer program/);
        expect(turn.texts[turn.texts.length - 1]).to.equal(app.knowledge.wording.text('crisisSafeAsk'));
        const yes = await c.say('yes');
        expect(yes.all).to.include(app.knowledge.wording.text('crisisOffer'));
    });

    it('reads a very long message for crisis words too', async () => {
        const c = new Conversation(app);
        const turn = await c.say(`${'I have had such a long week. '.repeat(80)} I want to kill myself.`);
        expect(turn.texts[0]).to.match(/116 123/);
    });

    it('gives the domestic abuse helpline when someone is in danger at home', async () => {
        const c = new Conversation(app);
        const turn = await c.say('my partner just attacked me and I\'m scared');
        expect(turn.texts[0]).to.match(/999/).and.include('0808 2000 247');
    });
});
