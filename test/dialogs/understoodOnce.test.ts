import { expect } from 'chai';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import * as reading from '../../src/conversation/understand';
import { understandOnce } from '../../dialogs/needsDialog';
import { inTurnLocale } from '../../src/knowledge/wording';
import { Conversation, shippedKnowledge, testApp, type TestApp } from '../helpers/app';

/** A real turn context over botbuilder's TestAdapter, with a message as a channel sends it. */
function turn(text: string): TurnContext {
    const adapter = new TestAdapter();
    const activity: Partial<Activity> = {
        type: 'message', text, channelId: 'test', from: { id: 'resident', name: 'r' },
        recipient: { id: 'bot', name: 'bot' }, conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' },
    };
    return new TurnContext(adapter, activity);
}

describe('what a message does, read once per turn', () => {
    const intents = shippedKnowledge().intents.get('en')!;
    let detected: string[];
    const matcher = {
        detectNeeds: (text: string) => {
            detected.push(text);
            return /lonely|debt/.test(text) ? [{ id: 'loneliness', score: 0.9 }] : [];
        },
    };
    beforeEach(() => (detected = []));

    it('answers a second reader of the same text in the same turn without reading it again', () => {
        const context = turn('I am lonely');
        const first = understandOnce(context, matcher as never, intents, 'I am lonely');
        const second = understandOnce(context, matcher as never, intents, 'I am lonely');
        expect(second).to.equal(first);
        expect(first.intent).to.equal('new-need');
        expect(detected).to.deep.equal(['I am lonely']);
    });

    it('reads a changed text afresh, and gives what understand() gives for it', () => {
        const context = turn('I am lonely');
        understandOnce(context, matcher as never, intents, 'I am lonely');
        const other = understandOnce(context, matcher as never, intents, 'can I talk to a real person');
        expect(other).to.deep.equal(reading.understand('can I talk to a real person', intents, () => false));
        expect(other.intent).to.equal('ask-person');
    });

    it('reads the same text afresh in another turn and in another language of the turn', () => {
        const a = understandOnce(turn('no thanks'), matcher as never, intents, 'no thanks');
        const b = understandOnce(turn('no thanks'), matcher as never, intents, 'no thanks');
        expect(b).to.not.equal(a);
        const context = turn('dim diolch');
        const english = understandOnce(context, matcher as never, intents, 'I am lonely');
        const welsh = inTurnLocale('cy', () => understandOnce(context, matcher as never, intents, 'I am lonely'));
        expect(welsh).to.not.equal(english);
    });

    it('hands out an answer no reader can change for the next', () => {
        const context = turn('no thanks');
        const first = understandOnce(context, matcher as never, intents, 'no thanks');
        expect(Object.isFrozen(first)).to.equal(true);
    });

    describe('in a real conversation', () => {
        let app: TestApp;
        afterEach(async () => app.dispose());

        it('at the results, a message is understood once, however many dialogs read it', async () => {
            app = testApp();
            const c = new Conversation(app);
            await c.join();
            for (const say of ['money is tight and I\'m lonely', 'yes', 'bs5 6xx']) await c.say(say);
            const seen: string[] = [];
            const real = reading.understand;
            (reading as { understand: typeof real }).understand = (text, lex, namesNeed) => {
                seen.push(text);
                return real(text, lex, namesNeed);
            };
            try {
                const shown = await c.say('free ones please');
                expect(shown.all).to.not.equal('');
            } finally {
                (reading as { understand: typeof real }).understand = real;
            }
            expect(seen.filter((t) => t === 'free ones please')).to.have.length(1);
        });

        it('crisis still comes first: a crisis at the results gets the routes before anything else', async () => {
            app = testApp();
            const c = new Conversation(app);
            await c.join();
            for (const say of ['money is tight and I\'m lonely', 'yes', 'bs5 6xx']) await c.say(say);
            const shown = await c.say('I want to kill myself');
            expect(shown.texts[0]).to.match(/Samaritans|999|116 123/);
        });
    });
});
