import { expect } from 'chai';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('the resident journey', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    describe('when a resident opens the chat', () => {
        it('says it is a computer, what it keeps and for how long, and the commands', async () => {
            const turn = await c.join();
            expect(turn.all).to.match(/computer program, not a person/);
            expect(turn.all).to.include(`${app.config.stateDays} days`);
            for (const command of ['help', 'start again', 'talk to a person', 'stop', 'delete my data']) {
                expect(turn.all).to.include(command);
            }
        });

        it('welcomes a resident whose first message arrives with no join (as on SMS), once', async () => {
            const first = await c.say('hello');
            expect(first.all).to.match(/computer program/);
            expect(first.all).to.include(w.text('askNeeds'));
            const second = await c.say('hello');
            expect(second.all).to.not.match(/computer program/);
        });
    });

    describe('when a resident goes from hello to a request for contact', () => {
        it('understands, asks, recommends, and stores the request only after consent', async () => {
            await c.join();
            await play(c, [
                { say: 'hi', expect: [w.text('askNeeds')] },
                {
                    say: "I've been lonely since my wife died and money's tight",
                    expect: [/It sounds like you'd like help with/],
                    buttons: [w.button('yesRight'), w.button('notQuite')],
                },
                { say: w.button('yesRight'), expect: [w.text('askWhere')] },
                // Issue 16 part 2: the place is the one question; the results come next, with an offer to narrow
                // them down, and each answer given at the results narrows them.
                {
                    say: 'BS5 6XX',
                    expect: [/I'll look near BS5/, w.text('resultsIntro'), w.text('narrowMore')],
                    not: [w.text('askWhen')],
                },
                { say: 'Tuesday mornings', expect: [w.text('narrowGot'), w.text('resultsIntro')] },
                { say: w.button('freeOnly'), expect: [w.text('resultsIntro')], not: [w.text('askAccess')] },
                { say: w.button('wheelchair'), expect: [w.text('resultsIntro')], not: [w.text('askWorries')] },
                {
                    say: w.button('notAlone'),
                    expect: [w.text('resultsIntro'), /^1\. /m, /^2\. /m, /^3\. /m, /Why: /, /Where: /, /When: /,
                        /Cost: /, /Contact: /],
                    not: [/^4\. /m],
                },
                { say: '1', expect: [/Last checked: [A-Z][a-z]+ \d{4}/, w.text('resultsActions')] },
                { say: w.button('showMore'), expect: [w.text('resultsMore'), /^4\. /m] },
                { say: w.button('thatsAll'), expect: [w.text('offerHandoff')] },
                { say: w.button('yesPlease'), expect: [w.text('askMethod')] },
                { say: w.button('phoneCall'), expect: [w.text('askPhone')] },
                { say: 'my number is secret', expect: [w.text('badPhone')] },
                { say: '07700 900123', expect: [w.text('askName')] },
                { say: 'Pat', expect: [w.text('askTime')] },
                { say: w.button('mornings'), expect: [/I need your OK/] },
            ]);
            expect(await app.stores.escalations.list(), 'nothing stored before consent').to.have.length(0);
            const [, done] = await play(c, [
                { say: w.button('agree'), expect: [w.text('askShareChat')] },
                { say: w.button('shareChat'), expect: [/Your reference is SP-[A-Z2-9]{6}/] },
            ]);
            const reference = /SP-[A-Z2-9]{6}/.exec(done.all)![0];
            const stored = await app.stores.escalations.getByReference(reference);
            expect(stored).to.not.equal(undefined);
            expect(stored!.status).to.equal('new');
            expect(stored!.priority).to.equal('normal');
            expect(stored!.consent.given).to.equal(true);
            expect(stored!.consent.transcriptShared, 'they agreed to share the chat').to.equal(true);
            expect(stored!.transcript!.map((t) => t.text).join('\n')).to.match(/lonely since my wife died/);
            expect(stored!.contact).to.deep.include({ method: 'phone', value: '07700900123', name: 'Pat' });
            expect(stored!.summary.needs).to.include.members(['loneliness', 'money-debt']);
            expect(stored!.summary.inOwnWords).to.match(/lonely since my wife died/);
            expect(stored!.summary.preferences).to.include.members(['near BS5', 'free only']);
            // Every one shown: each narrowing at the results may show some new ones, and "show more" three more.
            const profile = (await storedState(app))?.profile as { everSuggested?: string[] } | undefined;
            const shown = profile?.everSuggested ?? [];
            expect(stored!.summary.suggested.map((x: { id: string }) => x.id)).to.have.members(shown);
            expect(stored!.summary.suggested.length).to.be.at.least(6);
        });
    });

    describe('when a resident skips every question', () => {
        it('still recommends things', async () => {
            await play(c, [
                { say: 'I want to get more active', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                {
                    say: 'skip', expect: [w.text('resultsIntro'), /^3\. /m],
                    not: [/look near/, /couldn't find anything/],
                },
            ]);
        });
    });

    describe('when the bot gets the need wrong', () => {
        it('lets the resident pick from the list instead', async () => {
            const ids = app.engine.needIds();
            const gardening = ids.indexOf('nature') + 1;
            await play(c, [
                { say: 'I want to get more active', expect: [/It sounds like/] },
                { say: w.button('notQuite'), expect: [w.text('chooseNeed'), `${gardening}. ${app.engine.askLabel('nature')}`] },
                { say: String(gardening), expect: [w.text('askWhere')] },
            ]);
            expect((await storedState(app))?.profile?.needs).to.deep.equal(['nature']);
        });

        it('accepts a correction in the resident\'s own words', async () => {
            await play(c, [
                { say: 'I want to get more active', expect: [/It sounds like/] },
                { say: 'no, I need help with debt', expect: [w.text('askWhere')] },
            ]);
            expect((await storedState(app))?.profile?.needs).to.deep.equal(['money-debt']);
        });
    });

    describe('when the bot cannot tell what the resident needs', () => {
        it('offers the categories instead of guessing', async () => {
            await play(c, [
                { say: 'hello', expect: [w.text('askNeeds')] },
                { say: 'blah blah blah', expect: [w.text('notSure'), w.text('chooseNeed'), /^1\. /m, /^19\. /m] },
                { say: 'purple', expect: [w.text('notSure')] },
                { say: '1', expect: [w.text('askWhere')] },
            ]);
        });
    });

    describe('when an answer cannot be read', () => {
        it('asks again about an unknown place, then moves on', async () => {
            await play(c, [
                { say: 'lonely', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'Narnia', expect: [w.text('whereUnknown')] },
                { say: 'Hogwarts', expect: [w.text('resultsIntro')] },
            ]);
        });

        it('understands a neighbourhood name and online', async () => {
            await play(c, [
                { say: 'lonely', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'Eastfield', expect: [/I'll look near Eastfield/] },
            ]);
            const other = new Conversation(app, { conversationId: 'conversation-2' });
            await play(other, [
                { say: 'lonely', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: w.button('onlineFine'), expect: [w.text('whereOnline')] },
            ]);
        });
    });

    describe('when the resident declines consent', () => {
        it('stores nothing and says so', async () => {
            await play(c, [
                { say: 'talk to a person', expect: [w.text('askMethod')] },
                { say: w.button('email'), expect: [w.text('askEmail')] },
                { say: 'pat@example.org', expect: [w.text('askName')] },
                { say: 'skip', expect: [w.text('askTime')] },
                { say: w.button('anyTime'), expect: [/I need your OK/] },
                { say: w.button('disagree'), expect: [w.text('consentNo')] },
            ]);
            expect(await app.stores.escalations.list()).to.have.length(0);
            const state = await storedState(app);
            expect(state, 'the conversation is still stored').to.not.equal(undefined);
            expect(JSON.stringify(state), 'contact details are not kept in state').to.not.include('pat@example.org');
        });
    });

    describe('when the resident names something else while looking at the list', () => {
        it('searches again for that, keeping their other answers', async () => {
            await play(c, [
                { say: 'lonely', expect: [/It sounds like/] },
                { say: 'yes' }, { say: 'BS5', expect: [w.text('resultsIntro')] },
                { say: 'actually I would love to join a choir', expect: [w.text('resultsIntro'), /[Cc]hoir/] },
            ]);
            const state = await storedState(app);
            expect(state?.profile?.needs).to.deep.equal(['arts-culture']);
        });
    });

    describe('when the resident wants to change their answers', () => {
        it('asks which, and goes round again', async () => {
            await play(c, [
                { say: 'lonely', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: 'skip', expect: [w.text('resultsIntro')] },
                { say: w.button('changeAnswers'), expect: [w.text('askChange')] },
                { say: w.button('changePreferences'), expect: [w.text('askWhere')] },
                // After "change my answers" every question is asked again, in turn.
                { say: 'BS16', expect: [/near BS16/, w.text('askWhen')] },
            ]);
        });
    });
});
