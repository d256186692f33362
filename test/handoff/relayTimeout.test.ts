import { expect } from 'chai';
import type { CloudAdapter } from 'botbuilder';
import { LiveRelay } from '../../src/handoff/relay';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { sampleEscalation } from '../storage/contract';

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
                const relay = new LiveRelay({
                    store: stores.escalations, optOuts: stores.optOuts, wording: shippedKnowledge().wording,
                    log: createLogger('silent'), now: () => new Date(), deliveryTimeoutMs: 200,
                });
                // A channel that takes the message and never answers.
                const hanging = { continueConversationAsync: () => new Promise<void>(() => undefined) };
                relay.connect({ cloud: { adapter: hanging as unknown as CloudAdapter, appId: '' } });
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
