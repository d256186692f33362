/**
 * A state document's JSON is made once and passed down (src/storage/stateStore.ts): the embedded store notes what it
 * parsed a document from, keeps the JSON its writer made, and the optimistic and resilient layers pass it on
 * without serialising again, and without ever keeping it past the write.
 */
import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { OptimisticStateStore } from '../../src/storage/optimistic';
import { ResilientStateStore } from '../../src/storage/resilient';
import {
    jsonToWrite, noteJsonToWrite, readJson, type StateStore, type StoreItems,
} from '../../src/storage/stateStore';
import { createLogger } from '../../src/log';
import { tempDir } from '../helpers/tmp';

describe('state JSON made once', () => {
    it('the embedded store notes the JSON a document was read from, and keeps the JSON its writer made', async () => {
        const dir = tempDir();
        const stores = openEmbeddedStores(dir.dir);
        try {
            const item = { a: 2, b: 1, eTag: '*' };
            // Same contents, another key order: what is stored is what the writer made, not a second serialisation.
            noteJsonToWrite(item, '{"b":1,"a":2}');
            await stores.state.write({ k: item });
            const read = (await stores.state.read(['k'])).k!;
            expect(Object.keys(read)).to.deep.equal(['b', 'a', 'eTag']);
            expect(readJson(read)).to.equal('{"b":1,"a":2}');
            expect(read.eTag).to.be.a('string').and.not.equal('*');
        } finally {
            await stores.close();
            dir.remove();
        }
    });

    it('the optimistic and resilient layers hand the writer\'s JSON down, and drop it once the write is over',
        async () => {
        const seen: (string | undefined)[] = [];
        const held: object[] = [];
        const inner: StateStore = {
            read: async (keys) => Object.fromEntries(keys.map((k) => [k, { n: 1, eTag: 'e1' }])) as StoreItems,
            write: async (changes) => {
                for (const item of Object.values(changes)) {
                    seen.push(jsonToWrite(item));
                    held.push(item);
                }
            },
            delete: async () => undefined,
        };
        const resilient = new ResilientStateStore(inner, { log: createLogger('silent') });
        const store = new OptimisticStateStore(resilient);
        try {
            const state = (await store.read(['k'])).k!;
            state.n = 2;
            state.eTag = '*';
            noteJsonToWrite(state, '{"n":2}');
            await store.write({ k: state });
            noteJsonToWrite(state, undefined);
            // The optimistic store wrote a copy with the eTag read: the JSON went with it, and was dropped after.
            expect(seen).to.deep.equal(['{"n":2}']);
            expect(held[0]).to.not.equal(state);
            expect(jsonToWrite(held[0]!)).to.equal(undefined);
            expect((held[0] as { eTag?: string }).eTag).to.equal('e1');
        } finally {
            resilient.stop();
        }
    });
});
