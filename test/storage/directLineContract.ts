/**
 * The Direct Line and SMS opt-out stores: a contract every adapter must meet (directLine.test.ts runs it on the
 * embedded store, mongo.test.ts on MongoDB).
 */
import { expect } from 'chai';
import type { Stores } from '../../src/storage/stores';

type Open = () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>;

export function describeDirectLineContract(name: string, open: Open) {
    describe(`the ${name} store's website chats and SMS opt-outs`, () => {
        let stores: Stores;
        let cleanup: () => Promise<void>;
        beforeEach(async () => ({ stores, cleanup } = await open()));
        afterEach(async () => cleanup?.());
        const conversation = { id: 'conversation-1', userId: 'dl_resident', createdAt: '2026-11-25T10:00:00.000Z' };

        it('creates a conversation once, and finds it', async () => {
            expect(await stores.directLine.createConversation(conversation)).to.equal(true);
            expect(await stores.directLine.createConversation({ ...conversation, userId: 'dl_other' })).to.equal(false);
            expect(await stores.directLine.getConversation('conversation-1')).to.deep.equal(conversation);
            expect(await stores.directLine.getConversation('missing')).to.equal(undefined);
        });

        it('numbers activities in order and returns those after a watermark', async () => {
            await stores.directLine.createConversation(conversation);
            for (const text of ['one', 'two', 'three']) {
                await stores.directLine.append('conversation-1', (seq) => ({ id: `c|${seq}`, text }));
            }
            const after1 = await stores.directLine.since('conversation-1', 1, 10);
            expect(after1.map((e) => [e.seq, e.activity.text, e.activity.id])).to.deep.equal([
                [2, 'two', 'c|2'], [3, 'three', 'c|3'],
            ]);
            expect(await stores.directLine.since('conversation-1', 0, 2)).to.have.length(2);
        });

        it('refuses an activity for a conversation that does not exist', async () => {
            let failed = false;
            try {
                await stores.directLine.append('missing', () => ({}));
            } catch {
                failed = true;
            }
            expect(failed).to.equal(true);
        });

        it('forgets what came before a point (delete my data)', async () => {
            await stores.directLine.createConversation(conversation);
            for (const text of ['a', 'b', 'c']) await stores.directLine.append('conversation-1', () => ({ text }));
            expect(await stores.directLine.forgetBefore('conversation-1', 3)).to.equal(2);
            const left = await stores.directLine.since('conversation-1', 0, 10);
            expect(left.map((e) => e.activity.text)).to.deep.equal(['c']);
        });

        it('keeps what the resident typed after forgetting, in order, from the point it forgot', async () => {
            await stores.directLine.createConversation(conversation);
            for (const text of ['a', 'b', 'c']) await stores.directLine.append('conversation-1', () => ({ text }));
            await stores.directLine.forgetBefore('conversation-1', 3);
            await stores.directLine.append('conversation-1', () => ({ text: 'd' }));
            const left = await stores.directLine.since('conversation-1', 0, 10);
            expect(left.map((e) => [e.seq, e.activity.text])).to.deep.equal([[3, 'c'], [4, 'd']]);
        });

        it('replaces the words of one activity, and only its words (a number used once to send a list)', async () => {
            await stores.directLine.createConversation(conversation);
            for (const text of ['a', '07700 900123', 'c']) {
                await stores.directLine.append('conversation-1', () => ({ text, type: 'message' }));
            }
            expect(await stores.directLine.redact('conversation-1', 2, '(removed)')).to.equal(true);
            expect(await stores.directLine.redact('conversation-1', 9, '(removed)')).to.equal(false);
            const left = await stores.directLine.since('conversation-1', 0, 10);
            expect(left.map((e) => [e.seq, e.activity.text, e.activity.type])).to.deep.equal([
                [1, 'a', 'message'], [2, '(removed)', 'message'], [3, 'c', 'message'],
            ]);
            expect(JSON.stringify(left)).to.not.contain('900123');
        });

        it('keeps an activity whose keys look like query operators or paths exactly as posted', async () => {
            await stores.directLine.createConversation(conversation);
            const activity = { text: 'hi', channelData: { $set: { admin: true }, 'a.b': 1, $where: 'x' } };
            await stores.directLine.append('conversation-1', () => activity);
            expect((await stores.directLine.since('conversation-1', 0, 10))[0]!.activity).to.deep.equal(activity);
        });

        it('allows so many requests per window, then says how long to wait', async () => {
            await stores.directLine.createConversation(conversation);
            const t = 1_000_000;
            for (let i = 0; i < 3; i++) {
                expect((await stores.directLine.hit('conversation-1', t + i, 1000, 3)).retryAfterMs).to.equal(0);
            }
            expect((await stores.directLine.hit('conversation-1', t + 10, 1000, 3)).retryAfterMs).to.equal(990);
            expect((await stores.directLine.hit('conversation-1', t + 1000, 1000, 3)).retryAfterMs).to.equal(0);
        });

        it('sweeps website chats with the rest of the state after the retention period', async () => {
            await stores.directLine.createConversation(conversation);
            await stores.directLine.append('conversation-1', () => ({ text: 'what I typed' }));
            const inTenDays = new Date(Date.now() + 10 * 86_400_000);
            await stores.sweep(30, inTenDays);
            expect(await stores.directLine.getConversation('conversation-1')).to.not.equal(undefined);
            await stores.sweep(5, inTenDays);
            expect(await stores.directLine.getConversation('conversation-1')).to.equal(undefined);
            expect(await stores.directLine.since('conversation-1', 0, 10)).to.deep.equal([]);
        });

        it('records an SMS opt-out and an opt-in again', async () => {
            expect(await stores.optOuts.isOptedOut('key-1')).to.equal(false);
            await stores.optOuts.record('key-1', true, '2026-11-25T10:00:00.000Z');
            expect(await stores.optOuts.isOptedOut('key-1')).to.equal(true);
            await stores.optOuts.record('key-1', false, '2026-11-25T11:00:00.000Z');
            expect(await stores.optOuts.isOptedOut('key-1')).to.equal(false);
        });
    });
}
