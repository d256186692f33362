import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { createLogger } from '../../src/log';
import { OptimisticStateStore } from '../../src/storage/optimistic';
import { ETagConflictError, type StateStore } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import {
    ResilientStateStore, StoreNotAnsweringError, isUnavailable, type ResilienceOptions,
} from '../../src/storage/resilient';
import { flaky, newSwitch, refusedConnection, type Switch } from '../helpers/flakyStore';
import { tempDir } from '../helpers/tmp';

/** The decorator over the real embedded store, behind a switch that makes every call fail as a dead link does. */
describe('conversation state when the database stops answering (the resilience layer)', () => {
    let tmp: ReturnType<typeof tempDir>;
    let stores: Stores;
    let sw: Switch;
    let lines: Record<string, unknown>[];
    let store: ResilientStateStore;

    const open = (options: Partial<ResilienceOptions> = {}, inner?: StateStore) => {
        const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
        // Background retries are off (an hour away) unless a test asks: recover() is called by hand.
        store = new ResilientStateStore(inner ?? flaky(stores.state, sw), { log, retryMs: 3_600_000, ...options });
        return store;
    };
    const events = (name: string) => lines.filter((l) => l.event === name);

    beforeEach(() => {
        tmp = tempDir();
        stores = openEmbeddedStores(tmp.dir);
        sw = newSwitch();
        lines = [];
    });
    afterEach(async () => {
        store?.stop();
        await stores.close();
        tmp.remove();
    });

    describe('while the database answers', () => {
        it('reads and writes go to it, with its eTags, and a stale write is still refused', async () => {
            open();
            await store.write({ a: { n: 1 } });
            const read = (await store.read(['a'])).a;
            expect(read.n).to.equal(1);
            expect(read.eTag).to.equal((await stores.state.read(['a'])).a.eTag);
            await store.write({ a: { n: 2, eTag: read.eTag } });
            let error: unknown;
            await store.write({ a: { n: 3, eTag: read.eTag } }).catch((err: unknown) => (error = err));
            expect(error).to.be.instanceOf(ETagConflictError);
            expect((await stores.state.read(['a'])).a.n).to.equal(2);
            expect(store.stats()).to.include({ degraded: false, outages: 0 });
        });

        it('passes on an error that is not about reaching the database, without going degraded', async () => {
            const broken: StateStore = {
                read: async () => { throw new TypeError('a bug'); },
                write: async () => undefined,
                delete: async () => undefined,
            };
            open({}, broken);
            let error: unknown;
            await store.read(['a']).catch((err: unknown) => (error = err));
            expect(error).to.be.instanceOf(TypeError);
            expect(store.degraded).to.equal(false);
        });
    });

    describe('when the database stops in the middle of a conversation', () => {
        it('serves recently used state from the cache and keeps writes until it returns', async () => {
            open();
            await store.write({ conv: { step: 1 } });
            const before = (await store.read(['conv'])).conv;
            sw.down = true;

            const during = (await store.read(['conv'])).conv;
            expect(during.step).to.equal(1);
            await store.write({ conv: { step: 2, eTag: during.eTag } });
            expect((await store.read(['conv'])).conv.step).to.equal(2);
            expect(store.stats()).to.include({ degraded: true, pending: 1, outages: 1 });
            const [degraded] = events('store.degraded');
            expect(degraded).to.include({ level: 'warn', error: 'Error', cached: 1 });

            sw.down = false;
            // Nothing reached the database yet.
            expect((await stores.state.read(['conv'])).conv.eTag).to.equal(before.eTag);
            await store.recover();
            expect((await stores.state.read(['conv'])).conv.step).to.equal(2);
            expect(store.stats()).to.include({ degraded: false, pending: 0, flushed: 1, conflicts: 0 });
            expect(events('store.recovered')[0]).to.include({ flushed: 1, conflicts: 0 });
        });

        it('keeps checking eTags against the cache, so two racing turns still conflict', async () => {
            open();
            await store.write({ conv: { step: 1 } });
            await store.read(['conv']);
            sw.down = true;
            const first = (await store.read(['conv'])).conv;
            const second = (await store.read(['conv'])).conv;
            await store.write({ conv: { ...first, step: 2 } });
            let error: unknown;
            await store.write({ conv: { ...second, step: 3 } }).catch((err: unknown) => (error = err));
            expect(error).to.be.instanceOf(ETagConflictError);
            expect((await store.read(['conv'])).conv.step).to.equal(2);
        });

        it('lets the database copy win when another instance wrote meanwhile, and counts it', async () => {
            open();
            await store.write({ conv: { step: 1, by: 'here' } });
            await store.read(['conv']);
            sw.down = true;
            const cached = (await store.read(['conv'])).conv;
            await store.write({ conv: { ...cached, step: 2, by: 'here' } });
            // Another instance reaches the database directly while this one cannot.
            await stores.state.write({ conv: { step: 5, by: 'there' } });
            sw.down = false;
            await store.recover();
            expect((await stores.state.read(['conv'])).conv).to.include({ step: 5, by: 'there' });
            expect(store.stats()).to.include({ conflicts: 1, pending: 0, degraded: false });
            expect(events('store.recovery_conflict')).to.have.length(1);
            expect(events('store.recovered')[0]).to.include({ conflicts: 1 });
            // From now on the database's copy is what is read.
            expect((await store.read(['conv'])).conv.by).to.equal('there');
        });

        it('recognises a write that timed out but landed, and builds on it', async () => {
            let slow = false;
            const inner: StateStore = {
                read: (keys) => stores.state.read(keys),
                write: async (changes) => {
                    if (slow) await new Promise((resolve) => setTimeout(resolve, 150));
                    await stores.state.write(changes);
                },
                delete: (keys) => stores.state.delete(keys),
            };
            open({ callTimeoutMs: 30 }, inner);
            await store.write({ conv: { step: 1 } });
            const read = (await store.read(['conv'])).conv;
            slow = true;
            await store.write({ conv: { ...read, step: 2 } });
            expect(store.degraded).to.equal(true);
            const cached = (await store.read(['conv'])).conv;
            await store.write({ conv: { ...cached, step: 3 } });
            await new Promise((resolve) => setTimeout(resolve, 200));
            expect((await stores.state.read(['conv'])).conv.step).to.equal(2);
            slow = false;
            await store.recover();
            expect((await stores.state.read(['conv'])).conv.step).to.equal(3);
            expect(store.stats()).to.include({ conflicts: 0, flushed: 1 });
        });

        it('serves a conversation it never saw as new, and writes it only if the database has none', async () => {
            open();
            await stores.state.write({ elsewhere: { step: 4 } });
            sw.down = true;
            expect(await store.read(['brandNew', 'elsewhere'])).to.deep.equal({});
            expect(store.stats().missedWhileDegraded).to.equal(2);
            await store.write({ brandNew: { step: 1 }, elsewhere: { step: 1 } });
            sw.down = false;
            await store.recover();
            const stored = await stores.state.read(['brandNew', 'elsewhere']);
            expect(stored.brandNew.step).to.equal(1);
            expect(stored.elsewhere.step).to.equal(4);
            expect(store.stats()).to.include({ flushed: 1, conflicts: 1 });
        });

        it('forgets on recovery what a resident asked to delete, then keeps what they said after', async () => {
            open();
            await store.write({ conv: { secret: 'x' } });
            sw.down = true;
            await store.delete(['conv']);
            expect(await store.read(['conv'])).to.deep.equal({});
            await store.write({ conv: { fresh: true } });
            sw.down = false;
            await store.recover();
            const stored = (await stores.state.read(['conv'])).conv;
            expect(stored).to.include({ fresh: true });
            expect(stored).to.not.have.property('secret');
        });

        it('tries again in the background and goes back to the database by itself', async () => {
            open({ retryMs: 20 });
            await store.write({ conv: { step: 1 } });
            sw.down = true;
            await store.write({ conv: { step: 2 } });
            await new Promise((resolve) => setTimeout(resolve, 60));
            expect(store.degraded).to.equal(true);
            sw.down = false;
            for (let i = 0; i < 50 && store.degraded; i++) await new Promise((resolve) => setTimeout(resolve, 20));
            expect(store.degraded).to.equal(false);
            expect((await stores.state.read(['conv'])).conv.step).to.equal(2);
        });

        it('never puts keys or contents in its log lines', async () => {
            open();
            await store.write({ 'emulator/conversations/secret-id/': { said: 'my private words' } });
            sw.down = true;
            await store.write({ 'emulator/conversations/secret-id/': { said: 'more private words' } });
            sw.down = false;
            await store.recover();
            const text = lines.map((l) => JSON.stringify(l)).join('\n');
            expect(text).to.not.match(/secret-id|private/);
            expect(events('store.degraded')).to.have.length(1);
            expect(events('store.recovered')).to.have.length(1);
        });
    });

    describe('the cache', () => {
        it('is bounded, dropping the least recently used state first', async () => {
            open({ maxEntries: 2 });
            await store.write({ a: { n: 1 }, b: { n: 2 } });
            await store.read(['a']);
            await store.write({ c: { n: 3 } });
            sw.down = true;
            expect(Object.keys(await store.read(['a', 'b', 'c'])).sort()).to.deep.equal(['a', 'c']);
        });

        it('never drops a pending write, and refuses new ones when full of them', async () => {
            open({ maxEntries: 2 });
            sw.down = true;
            await store.write({ a: { n: 1 }, b: { n: 2 } });
            let error: unknown;
            await store.write({ c: { n: 3 } }).catch((err: unknown) => (error = err));
            expect(error).to.be.instanceOf(StoreNotAnsweringError);
            expect(Object.keys(await store.read(['a', 'b']))).to.have.length(2);
        });
    });

    describe('which failures it rides out', () => {
        it('connection and timeout kinds, not conflicts or bugs', () => {
            expect(isUnavailable(refusedConnection())).to.equal(true);
            expect(isUnavailable(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).to.equal(true);
            expect(isUnavailable(Object.assign(new Error('x'), { name: 'MongoNetworkError' }))).to.equal(true);
            expect(isUnavailable(new StoreNotAnsweringError())).to.equal(true);
            expect(isUnavailable(new ETagConflictError('k'))).to.equal(false);
            expect(isUnavailable(new TypeError('bug'))).to.equal(false);
        });
    });
});

describe('bot state written back with the eTag it was read with', () => {
    let tmp: ReturnType<typeof tempDir>;
    let stores: Stores;
    beforeEach(() => {
        tmp = tempDir();
        stores = openEmbeddedStores(tmp.dir);
    });
    afterEach(async () => {
        await stores.close();
        tmp.remove();
    });

    it('refuses the second of two turns that read the same state, though botbuilder writes "*"', async () => {
        const store = new OptimisticStateStore(stores.state);
        await store.write({ conv: { n: 0 } });
        const first = (await store.read(['conv'])).conv;
        const second = (await store.read(['conv'])).conv;
        // What BotState.saveChanges does: the object it read, with eTag '*'.
        first.n = 1;
        first.eTag = '*';
        await store.write({ conv: first });
        second.n = 2;
        second.eTag = '*';
        let error: unknown;
        await store.write({ conv: second }).catch((err: unknown) => (error = err));
        expect(error).to.be.instanceOf(ETagConflictError);
        expect((await stores.state.read(['conv'])).conv.n).to.equal(1);
    });

    it('leaves a write of state it did not hand out as it is', async () => {
        const store = new OptimisticStateStore(stores.state);
        await store.write({ conv: { n: 0 } });
        await store.write({ conv: { n: 9, eTag: '*' } });
        expect((await stores.state.read(['conv'])).conv.n).to.equal(9);
    });
});
