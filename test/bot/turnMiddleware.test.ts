/**
 * The turn's cross-cutting jobs, each a botbuilder middleware of its own (src/bot/): tested alone, on a bare turn.
 */
import { expect } from 'chai';
import {
    ActivityTypes, ConversationState, MemoryStorage, TestAdapter, TurnContext, type Activity,
} from 'botbuilder';
import { PostcodeCut } from '../../src/bot/postcodeCut';
import { ChannelGate } from '../../src/bot/channelGate';
import { RelayCheck, liveReferenceOf } from '../../src/bot/relayCheck';
import { TranscriptRecorder, transcriptProperty } from '../../src/bot/transcript';
import { createLogger } from '../../src/log';

function turn(partial: Partial<Activity> = {}): TurnContext {
    const activity = {
        type: ActivityTypes.Message, channelId: 'test', conversation: { id: 'c1' }, from: { id: 'r1' },
        recipient: { id: 'bot' }, text: 'hello', ...partial,
    } as Activity;
    return new TurnContext(new TestAdapter(), activity);
}

const silent = createLogger('silent');

describe('the turn middleware', () => {
    describe('PostcodeCut', () => {
        it('keeps only the district of a postcode before anything else reads the message', async () => {
            const context = turn({ text: 'I live at BS5 9QT and feel low' });
            let seen = '';
            await new PostcodeCut().onTurn(context, async () => {
                seen = context.activity.text;
            });
            expect(seen).to.include('BS5').and.not.match(/9QT/);
        });

        it('leaves an activity without text alone', async () => {
            const context = turn({ type: ActivityTypes.ConversationUpdate, text: undefined });
            let ran = false;
            await new PostcodeCut().onTurn(context, async () => {
                ran = true;
            });
            expect(ran).to.equal(true);
            expect(context.activity.text).to.equal(undefined);
        });
    });

    describe('TranscriptRecorder', () => {
        it('records the resident\'s message and the bot\'s replies in conversation state, times always going forward',
            async () => {
            const state = new ConversationState(new MemoryStorage());
            const property = transcriptProperty(state);
            const context = turn({ text: 'I feel lonely' });
            const at = new Date('2026-12-02T10:00:00Z');
            await new TranscriptRecorder(property, () => at).onTurn(context, async () => {
                await context.sendActivity('It sounds like company would help.');
            });
            expect(await property.get(context)).to.deep.equal([
                { at: at.toISOString(), from: 'resident', text: 'I feel lonely' },
                // The clock did not move: the reply is still after the message, by a millisecond.
                { at: '2026-12-02T10:00:00.001Z', from: 'bot', text: 'It sounds like company would help.' },
            ]);
        });
    });

    describe('ChannelGate', () => {
        it('lets the turn on when the channel has nothing to say first', async () => {
            let ran = false;
            await new ChannelGate({ begin: async () => true }).onTurn(turn(), async () => {
                ran = true;
            });
            expect(ran).to.equal(true);
        });

        it('ends the turn when the channel answered the message itself (SMS STOP)', async () => {
            let ran = false;
            await new ChannelGate({ begin: async () => false }).onTurn(turn(), async () => {
                ran = true;
            });
            expect(ran).to.equal(false);
        });
    });

    describe('RelayCheck', () => {
        const relayHolding = (answer: () => Promise<string | undefined>) => {
            let asked = 0;
            return {
                relay: { holding: async () => { asked++; return answer(); } },
                asked: () => asked,
            };
        };

        it('asks once per message whether a connector has the chat, and keeps the answer on the turn', async () => {
            const { relay, asked } = relayHolding(async () => 'SP-ABC234');
            const check = new RelayCheck({ relay, log: silent });
            const context = turn();
            await check.onTurn(context, async () => undefined);
            expect(liveReferenceOf(context)).to.equal('SP-ABC234');
            expect(asked()).to.equal(1);
        });

        it('does not ask for an activity that is not a message with words', async () => {
            const { relay, asked } = relayHolding(async () => 'SP-ABC234');
            const check = new RelayCheck({ relay, log: silent });
            for (const context of [turn({ text: '   ' }), turn({ type: ActivityTypes.ConversationUpdate })]) {
                await check.onTurn(context, async () => undefined);
                expect(liveReferenceOf(context)).to.equal(undefined);
            }
            expect(asked()).to.equal(0);
        });

        it('answers as the bot when the store fails, and stops asking for a while', async () => {
            const { relay, asked } = relayHolding(async () => {
                throw new Error('store down');
            });
            let now = 1_000_000;
            const check = new RelayCheck({ relay, log: silent, clock: () => now });
            await check.onTurn(turn(), async () => undefined);
            await check.onTurn(turn(), async () => undefined);
            expect(asked(), 'paused after the failure').to.equal(1);
            now += 10_001;
            await check.onTurn(turn(), async () => undefined);
            expect(asked(), 'asked again after the pause').to.equal(2);
        });

        it('does not ask while the store is known to be down', async () => {
            const { relay, asked } = relayHolding(async () => 'SP-ABC234');
            const check = new RelayCheck({ relay, log: silent, storeDegraded: () => true });
            const context = turn();
            await check.onTurn(context, async () => undefined);
            expect(liveReferenceOf(context)).to.equal(undefined);
            expect(asked()).to.equal(0);
        });
    });
});
