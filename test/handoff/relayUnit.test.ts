import { expect } from 'chai';
import {
    BotAdapter, TurnContext, type Activity, type CloudAdapter, type ConversationReference, type ResourceResponse,
} from 'botbuilder';
import { LiveRelay } from '../../src/handoff/relay';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { sampleEscalation } from '../storage/contract';

/**
 * Azure's side of a proactive send (the one thing that cannot run here): a real TurnContext on the stored reference,
 * as CloudAdapter makes one, so sending applies the reference and runs the send handlers as botbuilder does; what
 * would go to the channel is kept in `sent`.
 */
function azureLike(sent: Partial<Activity>[]) {
    class Kept extends BotAdapter {
        async sendActivities(_c: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
            sent.push(...activities);
            return activities.map(() => ({ id: String(sent.length) }));
        }
        async updateActivity(): Promise<void> { /* not used */ }
        async deleteActivity(): Promise<void> { /* not used */ }
        async continueConversation(): Promise<void> { /* not used */ }
    }
    const adapter = new Kept();
    return {
        continueConversationAsync: async (_app: string, reference: Partial<ConversationReference>,
            logic: (c: TurnContext) => Promise<void>) => {
            const event = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' },
                { ...reference, bot: { id: 'signpost-bot', name: 'Signpost' } }, true);
            await logic(new TurnContext(adapter, event));
        },
    };
}

describe('a connector\'s live message on a channel that does not answer', () => {
    it('is not delivered after the timeout: kept in the chat marked so, and the chat it would start is not live',
        async () => {
            const tmp = tempDir();
            const stores = openEmbeddedStores(tmp.dir);
            try {
                const sam = { id: 'sam', name: 'Sam' };
                await stores.escalations.create(sampleEscalation({
                    channelId: 'msteams', status: 'claimed', assignee: sam,
                    conversationReference: {
                        channelId: 'msteams', serviceUrl: 'https://teams.example', conversation: { id: 'c1' },
                    },
                }));
                // A channel that takes the message and never answers.
                const hanging = { continueConversationAsync: () => new Promise<void>(() => undefined) };
                const relay = new LiveRelay({
                    store: stores.escalations, optOuts: stores.optOuts, wording: shippedKnowledge().wording,
                    log: createLogger('silent'), now: () => new Date(), deliveryTimeoutMs: 200,
                    adapters: { cloud: { adapter: hanging as unknown as CloudAdapter, appId: '' } },
                });
                const e = (await stores.escalations.getByReference('SP-ABCDEF'))!;
                const started = Date.now();
                expect(await relay.send(e, sam, 'Hello?')).to.equal('not-delivered');
                expect(Date.now() - started).to.be.below(5000);
                const chat = await stores.escalations.chat('SP-ABCDEF');
                expect(chat!.lines.map((l) => [l.action, l.detail]))
                    .to.deep.equal([['message-not-delivered', 'Hello?']]);
                expect((await stores.escalations.getByReference('SP-ABCDEF'))!.relay).to.equal(undefined);
            } finally {
                await stores.close();
                tmp.remove();
            }
        });
});

describe('a connector\'s live message to a website chat carried by Azure Direct Line', () => {
    it('is sent however long ago the resident was seen: only the built-in endpoint keeps a page seen', async () => {
        const tmp = tempDir();
        const stores = openEmbeddedStores(tmp.dir);
        try {
            const sam = { id: 'sam', name: 'Sam' };
            await stores.escalations.create(sampleEscalation({
                channelId: 'directline', status: 'claimed', assignee: sam,
                residentSeenAt: '2026-11-25T10:00:00.000Z',
                conversationReference: {
                    channelId: 'directline', serviceUrl: 'https://directline.example', conversation: { id: 'c1' },
                },
            }));
            const activities: Partial<Activity>[] = [];
            const azure = azureLike(activities);
            const relay = new LiveRelay({
                store: stores.escalations, optOuts: stores.optOuts, wording: shippedKnowledge().wording,
                log: createLogger('silent'), now: () => new Date('2026-11-25T12:00:00.000Z'),
                // Azure mode: no built-in Direct Line adapter.
                adapters: { cloud: { adapter: azure as unknown as CloudAdapter, appId: '' } },
            });
            expect(relay.watchesPresence('directline')).to.equal(false);
            const e = (await stores.escalations.getByReference('SP-ABCDEF'))!;
            expect(await relay.send(e, sam, 'Hello?')).to.equal('sent');
            // The website chat page (Azure's Direct Line carries it too) names Sam above the words alone.
            expect(activities.at(-1)!.text).to.equal('Hello?');
            expect(activities.at(-1)!.from).to.deep.equal({ id: 'signpost-bot', name: 'Sam' });
            expect(activities.at(-1)!.channelData).to.deep.equal({ signpost: { relay: 'message', connector: 'Sam',
                role: 'connector' } });
            expect(activities.at(-2)!.from!.name, 'the bot says Sam is here, as itself').to.equal('Signpost');
        } finally {
            await stores.close();
            tmp.remove();
        }
    });
});

describe('a connector\'s live message to a resident who chose Welsh', () => {
    it('is wrapped in Welsh words, the request\'s language, though no bot turn sets one', async () => {
        const tmp = tempDir();
        const stores = openEmbeddedStores(tmp.dir);
        try {
            const sam = { id: 'sam', name: 'Sam' };
            await stores.escalations.create(sampleEscalation({
                channelId: 'msteams', status: 'claimed', assignee: sam, language: { code: 'cy', interpreter: false },
                conversationReference: {
                    channelId: 'msteams', serviceUrl: 'https://teams.example', conversation: { id: 'c1' },
                },
            }));
            const activities: Partial<Activity>[] = [];
            const teams = azureLike(activities);
            const sentTexts = () => activities.map((a) => a.text ?? '');
            const wording = shippedKnowledge().wording;
            const relay = new LiveRelay({
                store: stores.escalations, optOuts: stores.optOuts, wording, log: createLogger('silent'),
                now: () => new Date(), adapters: { cloud: { adapter: teams as unknown as CloudAdapter, appId: '' } },
            });
            const e = (await stores.escalations.getByReference('SP-ABCDEF'))!;
            expect(await relay.send(e, sam, 'Shwmae')).to.equal('sent');
            const welsh = wording.in('cy');
            expect(welsh.text('relayStarted', { name: 'Sam' }))
                .to.not.equal(wording.text('relayStarted', { name: 'Sam' }));
            expect(sentTexts().join('\n')).to.include(welsh.text('relayStarted', { name: 'Sam' }));
            // Teams has the name in the text, and nothing of Signpost's in its channelData.
            expect(sentTexts()).to.include(welsh.text('relayMessage', { name: 'Sam', text: 'Shwmae' }));
            expect(activities.every((a) => a.channelData === undefined)).to.equal(true);
            expect(await relay.end((await stores.escalations.getByReference('SP-ABCDEF'))!, sam)).to.equal('sent');
            expect(sentTexts().at(-1)).to.equal(welsh.text('relayEnded', { name: 'Sam' }));
        } finally {
            await stores.close();
            tmp.remove();
        }
    });
});
