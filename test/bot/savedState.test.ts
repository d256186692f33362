/**
 * Conversation state that is serialised once per save (src/bot/savedState.ts): the same decisions as botbuilder's
 * BotState (write only what changed, eTag '*' for the optimistic store to fill in), without hashing the state
 * three times a turn, and the JSON made for the comparison is the JSON the store keeps.
 */
import { expect } from 'chai';
import { ActivityTypes, ConversationState, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { SavedConversationState } from '../../src/bot/savedState';
import { jsonToWrite, type StateStore, type StoreItems } from '../../src/storage/stateStore';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { tempDir } from '../helpers/tmp';

function turn(conversation = 'c1'): TurnContext {
    const activity = {
        type: ActivityTypes.Message, channelId: 'test', conversation: { id: conversation }, from: { id: 'r1' },
        recipient: { id: 'bot' }, text: 'hello',
    } as Activity;
    return new TurnContext(new TestAdapter(), activity);
}

/** A store that keeps documents as JSON and records each write, with the JSON it was handed beside it. */
class RecordingStore implements StateStore {
    readonly docs = new Map<string, string>();
    readonly writes: { key: string; eTag: unknown; handed: string | undefined; stored: string }[] = [];
    reads = 0;

    async read(keys: string[]): Promise<StoreItems> {
        this.reads++;
        const out: StoreItems = {};
        for (const key of keys) {
            const doc = this.docs.get(key);
            if (doc !== undefined) out[key] = { ...(JSON.parse(doc) as object), eTag: 'e1' };
        }
        return out;
    }

    async write(changes: StoreItems): Promise<void> {
        for (const [key, item] of Object.entries(changes)) {
            const { eTag, ...rest } = item;
            const stored = JSON.stringify(rest);
            this.writes.push({ key, eTag, handed: jsonToWrite(item), stored });
            this.docs.set(key, stored);
        }
    }

    async delete(keys: string[]): Promise<void> {
        for (const key of keys) this.docs.delete(key);
    }
}

describe('SavedConversationState', () => {
    it('writes nothing when the turn changed nothing, as BotState does', async () => {
        const store = new RecordingStore();
        store.docs.set('test/conversations/c1/', JSON.stringify({ welcomed: true, profile: { needs: ['a'] } }));
        const state = new SavedConversationState(store);
        const context = turn();
        expect(await state.createProperty<boolean>('welcomed').get(context)).to.equal(true);
        await state.saveChanges(context, false);
        expect(store.writes).to.deep.equal([]);
    });

    it('writes a change once, with eTag \'*\' for the optimistic store, and hands the store the JSON it made', async () => {
        const store = new RecordingStore();
        const state = new SavedConversationState(store);
        const context = turn();
        await state.createProperty<string[]>('needs').set(context, ['money', 'lonely']);
        await state.saveChanges(context, false);
        await state.saveChanges(context, false);
        expect(store.writes).to.have.length(1);
        const [write] = store.writes;
        expect(write?.eTag).to.equal('*');
        expect(write?.handed).to.equal(write?.stored);
        expect(JSON.parse(write?.stored ?? '')).to.deep.equal({ needs: ['money', 'lonely'] });
        // Changed again after a save: written again.
        await state.createProperty<string[]>('needs').set(context, ['money']);
        await state.saveChanges(context, false);
        expect(store.writes).to.have.length(2);
    });

    it('does not leave the JSON on the state once the write is over (a later change is never written stale)',
        async () => {
        const store = new RecordingStore();
        const state = new SavedConversationState(store);
        const context = turn();
        await state.createProperty<number>('n').set(context, 1);
        await state.saveChanges(context, false);
        const loaded = await state.load(context) as object;
        expect(jsonToWrite(loaded)).to.equal(undefined);
    });

    it('reads once per turn, and again only when forced; clear and delete behave as BotState\'s', async () => {
        const store = new RecordingStore();
        store.docs.set('test/conversations/c1/', JSON.stringify({ welcomed: true }));
        const state = new SavedConversationState(store);
        const context = turn();
        await state.load(context);
        await state.load(context);
        expect(store.reads).to.equal(1);
        await state.load(context, true);
        expect(store.reads).to.equal(2);
        await state.clear(context);
        expect(state.get(context)).to.deep.equal({});
        await state.saveChanges(context, false);
        expect(JSON.parse(store.docs.get('test/conversations/c1/') ?? '')).to.deep.equal({});
        await state.delete(context);
        expect(store.docs.has('test/conversations/c1/')).to.equal(false);
        expect(state.get(context)).to.equal(undefined);
    });

    it('saves exactly what botbuilder\'s ConversationState saves, turn after turn, on the embedded store', async () => {
        const dir = tempDir();
        const stores = openEmbeddedStores(dir.dir);
        try {
            const ours = new SavedConversationState(stores.state);
            const theirs = new ConversationState(stores.state);
            for (const [n, bot] of [[1, ours], [2, theirs]] as const) {
                for (let round = 0; round < 3; round++) {
                    const context = turn(`c${n}`);
                    const count = bot.createProperty<number>('count');
                    await count.set(context, (await count.get(context, 0)) + 1);
                    await bot.createProperty<{ said: string[] }>('profile').set(context, { said: ['hi \u00e9'] });
                    await bot.saveChanges(context, false);
                }
            }
            const { eTag: _a, ...mine } = (await stores.state.read(['test/conversations/c1/']))['test/conversations/c1/']!;
            const { eTag: _b, ...botbuilder } =
                (await stores.state.read(['test/conversations/c2/']))['test/conversations/c2/']!;
            expect(mine).to.deep.equal(botbuilder).and.to.deep.equal({ count: 3, profile: { said: ['hi \u00e9'] } });
        } finally {
            await stores.close();
            dir.remove();
        }
    });
});
