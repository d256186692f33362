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
import { CRISIS_ROUTES_SENT, CrisisGuard, crisisKindsOf } from '../../src/bot/crisisGuard';
import { LivePass } from '../../src/bot/livePass';
import { LengthCheck } from '../../src/bot/lengthCheck';
import { LanguageLine } from '../../src/bot/languageLine';
import { Welcome } from '../../src/bot/welcome';
import { TeamsConnectors } from '../../src/bot/teamsConnectors';
import { Lifecycle } from '../../src/handoff/lifecycle';
import { escalationCard } from '../../src/handoff/notifier';
import { TeamsClaims } from '../../src/handoff/teamsClaim';
import { TeamsLinking } from '../../src/handoff/teamsLink';
import { KeyedHasher } from '../../src/keyedHash';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { tempDir } from '../helpers/tmp';
import { MAX_MESSAGE_LENGTH, emptyProfile, type ResidentProfile } from '../../src/conversation/profile';
import { contentOf } from '../../src/conversation/messages';
import { createLogger } from '../../src/log';
import { shippedKnowledge } from '../helpers/app';

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

    describe('the bot\'s own checks, each a middleware', () => {
        const wording = shippedKnowledge().wording;
        /** A turn that records what it sends, over its own conversation state. */
        const recorded = (partial: Partial<Activity> = {}) => {
            const context = turn(partial);
            const sent: Partial<Activity>[] = [];
            context.onSendActivities(async (_ctx, activities, next) => {
                sent.push(...activities);
                return next();
            });
            return { context, sent };
        };
        const state = () => new ConversationState(new MemoryStorage());
        const welcomeOn = (conversation: ConversationState) => new Welcome({
            welcomed: conversation.createProperty<boolean>('welcomed'), wording, serviceName: 'Signpost',
            stateDays: 30,
        });
        /** A dialog context where nothing is on the stack; records what the safety question did to it. */
        const emptyDialogs = () => {
            const begun: string[] = [];
            const dc = {
                stack: [], activeDialog: undefined, child: undefined,
                cancelAllDialogs: async () => ({ status: 'empty' }),
                beginDialog: async (id: string) => {
                    begun.push(id);
                    return { status: 'waiting' };
                },
                repromptDialog: async () => undefined,
            };
            return { dialogs: { of: async () => dc as never }, begun };
        };
        const crisisMatching = {
            crisisKinds: (text: string) => (text.includes('end it all') ? ['suicide'] : []),
            crisisRoutes: () => [{ name: 'Samaritans', how: 'Call 116 123' }],
            crisisLine: () => undefined,
        };
        const guard = (conversation: ConversationState, dialogs = emptyDialogs().dialogs) => new CrisisGuard({
            matching: crisisMatching, wording, log: silent,
            profile: conversation.createProperty<ResidentProfile>('profile'), dialogs, mainDialogId: 'main',
            welcome: welcomeOn(conversation),
        });

        it('CrisisGuard: the routes first, with the call-back offer, then the welcome and "Are you safe?"; the turn '
            + 'ends there', async () => {
            const conversation = state();
            const { dialogs, begun } = emptyDialogs();
            const { context, sent } = recorded({ text: 'I want to end it all' });
            let ran = false;
            await guard(conversation, dialogs).onTurn(context, async () => {
                ran = true;
            });
            expect(ran).to.equal(false);
            expect(contentOf(sent[0]!)?.kind).to.equal('crisis');
            expect(sent[0]?.text).to.include('Samaritans: Call 116 123').and.include(wording.text('crisisCallBack'));
            expect(contentOf(sent[1]!)?.kind).to.equal('welcome');
            expect(begun).to.deep.equal(['main']);
            expect(context.turnState.get(CRISIS_ROUTES_SENT)).to.equal(true);
            const profile = await conversation.createProperty<ResidentProfile>('profile').get(context, emptyProfile());
            expect(profile.crisisShown).to.equal(true);
        });

        it('CrisisGuard: with a connector in the chat, the routes without the call-back, and on to the relay',
            async () => {
            const conversation = state();
            const { context, sent } = recorded({ text: 'I want to end it all' });
            context.turnState.set('signpost.liveReference', 'SP-ABC234');
            let ran = false;
            await guard(conversation).onTurn(context, async () => {
                ran = true;
            });
            expect(ran).to.equal(true);
            expect(sent).to.have.length(1);
            expect(sent[0]?.text).to.include('Samaritans').and.not.include(wording.text('crisisCallBack'));
            expect(crisisKindsOf(context)).to.deep.equal(['suicide']);
        });

        it('CrisisGuard: lets any other message, and any other activity, on without a word', async () => {
            for (const partial of [{ text: 'I feel lonely' }, { type: ActivityTypes.ConversationUpdate }]) {
                const { context, sent } = recorded(partial);
                let ran = false;
                await guard(state()).onTurn(context, async () => {
                    ran = true;
                });
                expect(ran).to.equal(true);
                expect(sent).to.deep.equal([]);
            }
        });

        it('LivePass: a message goes to the connector who has the chat, with the crisis kinds, and the bot is silent',
            async () => {
            const passed: string[] = [];
            const relay = {
                fromResident: async (reference: string, text: string) => void passed.push(`${reference}: ${text}`),
                crisisShown: async (reference: string, kinds: string[]) => void passed.push(`${reference} ${kinds}`),
            };
            const live = recorded({ text: 'I want to end it all' });
            live.context.turnState.set('signpost.liveReference', 'SP-ABC234');
            live.context.turnState.set('signpost.crisisKinds', ['suicide']);
            let ran = false;
            await new LivePass({ relay, wording, log: silent }).onTurn(live.context, async () => {
                ran = true;
            });
            expect(ran).to.equal(false);
            expect(passed).to.deep.equal(['SP-ABC234: I want to end it all', 'SP-ABC234 suicide']);
            // "Delete my data" goes on to the bot; so does a message when no connector has the chat.
            const deleting = recorded({ text: 'delete my data' });
            deleting.context.turnState.set('signpost.liveReference', 'SP-ABC234');
            for (const { context } of [deleting, recorded({ text: 'hello' })]) {
                ran = false;
                await new LivePass({ relay, wording, log: silent }).onTurn(context, async () => {
                    ran = true;
                });
                expect(ran).to.equal(true);
            }
            expect(passed).to.have.length(2);
        });

        it('LengthCheck: an over-long message gets its one line and nothing more', async () => {
            const long = recorded({ text: 'a'.repeat(MAX_MESSAGE_LENGTH + 1) });
            let ran = false;
            await new LengthCheck(wording).onTurn(long.context, async () => {
                ran = true;
            });
            expect(ran).to.equal(false);
            expect(long.sent.map((a) => a.text)).to.deep.equal([wording.text('tooLong')]);
            await new LengthCheck(wording).onTurn(recorded({ text: 'a'.repeat(MAX_MESSAGE_LENGTH) }).context,
                async () => {
                    ran = true;
                });
            expect(ran).to.equal(true);
        });

        it('LanguageLine: a message in a language not yet spoken gets its line, then the welcome; English goes on',
            async () => {
            const matching = {
                language: (text: string) => (text.startsWith('Bonjour') ? 'fr' : 'en'),
                unsupportedLine: (code: string) => (code === 'fr' ? 'Je ne parle que anglais.' : undefined),
            };
            const conversation = state();
            const line = () => new LanguageLine({
                matching, wording, log: silent, dialogs: emptyDialogs().dialogs, welcome: welcomeOn(conversation),
            });
            const french = recorded({ text: 'Bonjour, je me sens seul' });
            let ran = false;
            await line().onTurn(french.context, async () => {
                ran = true;
            });
            expect(ran).to.equal(false);
            expect(french.sent[0]).to.include({ text: 'Je ne parle que anglais.', locale: 'fr' });
            expect(contentOf(french.sent[1]!)?.kind).to.equal('welcome');
            for (const text of ['I feel lonely', 'help']) {
                const { context, sent } = recorded({ text });
                ran = false;
                await line().onTurn(context, async () => {
                    ran = true;
                });
                expect(ran, text).to.equal(true);
                expect(sent).to.deep.equal([]);
            }
        });

        it('Welcome: once per conversation, before the first message with words is answered', async () => {
            const conversation = state();
            const welcome = welcomeOn(conversation);
            const { context, sent } = recorded({ text: '   ' });
            await welcome.onTurn(context, async () => undefined);
            expect(sent, 'no words: the bot answers that first').to.deep.equal([]);
            context.activity.text = 'hello';
            let ran = 0;
            await welcome.onTurn(context, async () => void ran++);
            await welcome.onTurn(context, async () => void ran++);
            expect(ran).to.equal(2);
            expect(sent.map((a) => contentOf(a)?.kind)).to.deep.equal(['welcome']);
        });
    });
    describe('TeamsConnectors', () => {
        const wording = shippedKnowledge().wording;
        let tmp: ReturnType<typeof tempDir>;
        let stores: ReturnType<typeof openEmbeddedStores>;
        let connectors: TeamsConnectors;
        beforeEach(() => {
            tmp = tempDir();
            stores = openEmbeddedStores(tmp.dir);
            const linking = new TeamsLinking({ links: stores.teamsLinks, users: stores.users,
                attempts: stores.attempts, hasher: new KeyedHasher(Buffer.alloc(32, 1)), log: silent,
                now: () => new Date() });
            connectors = new TeamsConnectors({
                claims: new TeamsClaims({ linking, lifecycle: new Lifecycle(stores.escalations),
                    store: stores.escalations, log: silent }),
                linking, wording, log: silent,
                card: (e) => escalationCard(e, { needLabel: (id) => id, timeZone: 'Europe/London' }),
            });
        });
        afterEach(async () => {
            await stores.close();
            tmp.remove();
        });

        const through = async (partial: Partial<Activity>) => {
            const context = turn(partial);
            const sent: Partial<Activity>[] = [];
            context.onSendActivities(async (_ctx, activities, next) => {
                sent.push(...activities);
                return next();
            });
            let ran = false;
            await connectors.onTurn(context, async () => {
                ran = true;
            });
            return { ran, sent };
        };

        it('answers a link code and a card\'s Claim on Teams, and lets everything else go on', async () => {
            const teams = { channelId: 'msteams', from: { id: '29:x', name: 'x', aadObjectId: 'aad-x' } };
            const code = await through({ ...teams, text: 'link 12345678' });
            expect(code.ran).to.equal(false);
            expect(code.sent.map((a) => a.text)).to.deep.equal([wording.text('teamsLinkWrong')]);
            const claim = await through({ ...teams, type: ActivityTypes.Invoke, name: 'adaptiveCard/action', text: '',
                value: { action: { type: 'Action.Execute', verb: 'claim', data: { reference: 'SP-ABCDEF' } } } });
            expect(claim.ran).to.equal(false);
            expect(claim.sent[0]).to.deep.include({ type: 'invokeResponse' });
            // A crisis sentence, a link typed on another channel, another card's verb, another invoke: on they go.
            for (const partial of [
                { ...teams, text: 'link 12345678 I want to end it all' },
                { ...teams, text: 'I want to end it all' },
                { channelId: 'webchat', text: 'link 12345678' },
                { ...teams, type: ActivityTypes.Invoke, name: 'adaptiveCard/action',
                    value: { action: { type: 'Action.Execute', verb: 'other' } } },
                { ...teams, type: ActivityTypes.Invoke, name: 'composeExtension/query', value: {} },
            ]) {
                const other = await through(partial);
                expect(other.ran, JSON.stringify(partial)).to.equal(true);
                expect(other.sent).to.deep.equal([]);
            }
        });

        it('answers a Claim without a request reference with a 400 in the documented error shape', async () => {
            const bad = await through({ channelId: 'msteams', type: ActivityTypes.Invoke, name: 'adaptiveCard/action',
                from: { id: '29:x', name: 'x', aadObjectId: 'aad-x' },
                value: { action: { type: 'Action.Execute', verb: 'claim', data: { reference: { $ne: 1 } } } } });
            expect(bad.sent[0]!.value).to.deep.include({ status: 400 });
            expect((bad.sent[0]!.value as { body: unknown }).body).to.deep.include(
                { statusCode: 400, type: 'application/vnd.microsoft.error' });
        });
    });
});
