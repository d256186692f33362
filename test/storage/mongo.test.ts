/**
 * The MongoDB store: the shared contract, the Direct Line contract, and what only MongoDB needs (operator-shaped
 * input, indexes, the gap a two-step append can leave, the migrate command). Runs when MONGODB_URI
 * points at a MongoDB-compatible server (MongoDB, Cosmos DB for MongoDB vCore, FerretDB); each test gets a fresh
 * database, dropped afterwards.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { MongoClient } from 'mongodb';
import { storeCommand } from '../../src/cli/store';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { COLLECTIONS, INDEXES, createMongoClient } from '../../src/storage/mongo/connection';
import { GAP_WAIT_MS } from '../../src/storage/mongo/mongoDirectLine';
import { escalationDoc, type EscalationDoc } from '../../src/storage/mongo/mongoEscalations';
import { openMongoStores } from '../../src/storage/mongo/mongoStores';
import { ETagConflictError } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import { describeWithMongo } from '../helpers/mongoBot';
import { tempDir } from '../helpers/tmp';
import {
    describeChatUpgrade, describeStoreContract, expectPopulated, populateStores, sampleEscalation,
} from './contract';
import { describeDirectLineContract } from './directLineContract';

describeWithMongo({
    title: 'the MongoDB store',
    pending: 'meets the store contract on MongoDB',
    note: 'MongoDB suite',
}, (uri) => {
    let client: MongoClient;
    const databases: string[] = [];
    const freshName = () => {
        const name = `signpost_test_${randomBytes(6).toString('hex')}`;
        databases.push(name);
        return name;
    };
    const open = async (database = freshName()) => {
        const stores = await openMongoStores({ uri, database, stateDays: 30, referralDays: 90, client });
        return { stores, cleanup: async () => { await stores.close(); await client.db(database).dropDatabase(); } };
    };

    before(async () => {
        client = createMongoClient(uri);
        await client.connect();
    });
    after(async () => {
        // Drops any database a failed test left behind.
        for (const name of databases) await client.db(name).dropDatabase().catch(() => undefined);
        await client.close();
    });

    describeStoreContract('MongoDB', () => open());
    describeDirectLineContract('MongoDB', () => open());
    describeChatUpgrade('MongoDB', async (requests) => {
        const database = freshName();
        // Documents as a version before the move wrote them: chat lines in `audit`, and no `chat` unless given.
        await client.db(database).collection<EscalationDoc>(COLLECTIONS.escalations).insertMany(requests.map((r) =>
            escalationDoc(r.escalation, r.audit, 90, { lines: r.chat ?? [] })));
        let { stores, cleanup } = await open(database);
        return {
            stores,
            reopen: async () => {
                await stores.close();
                ({ stores, cleanup } = await open(database));
                return stores;
            },
            cleanup: () => cleanup(),
        };
    });

    describe('on MongoDB alone', () => {
        let stores: Stores;
        let database: string;
        let cleanup: () => Promise<void>;
        beforeEach(async () => {
            database = freshName();
            ({ stores, cleanup } = await open(database));
        });
        afterEach(async () => cleanup?.());

        describe('when an operator object slips in where an id belongs', () => {
            const operator = { $ne: null } as unknown as string;

            it('compares it as literal text and matches nothing', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.state.write({ a: { n: 1 } });
                await stores.users.create({
                    id: 'u1', email: 'sam@example.org', name: 'Sam', role: 'connector',
                    createdAt: '2026-11-25T10:00:00.000Z',
                });
                await stores.sessions.create({
                    id: 's1', userId: 'u1', csrfToken: 'c', createdAt: '2026-11-25T10:00:00.000Z',
                    expiresAt: '2099-01-01T00:00:00.000Z',
                });
                await stores.directLine.createConversation({ id: 'c1', userId: 'dl', createdAt: 'x' });
                await stores.optOuts.record('k1', true, '2026-11-25T10:00:00.000Z');

                expect(await stores.escalations.getByReference(operator)).to.equal(undefined);
                expect(await stores.escalations.listForResident(operator)).to.deep.equal([]);
                expect(await stores.escalations.auditTrail(operator)).to.deep.equal([]);
                expect(await stores.escalations.appendAudit(operator,
                    { at: 'x', actor: 'x', action: 'note' })).to.equal(false);
                expect(await stores.escalations.change(operator, {
                    from: ['new'], to: 'claimed', audit: { at: 'x', actor: 'x', action: 'claimed' },
                })).to.deep.equal({ applied: false, current: undefined });
                expect(await stores.state.read([operator])).to.deep.equal({});
                expect(await stores.users.get(operator)).to.equal(undefined);
                expect(await stores.users.getByEmail(operator)).to.equal(undefined);
                expect(await stores.sessions.get(operator, operator)).to.equal(undefined);
                expect(await stores.directLine.getConversation(operator)).to.equal(undefined);
                expect(await stores.optOuts.isOptedOut(operator)).to.equal(false);
                await stores.state.delete([operator]);
                expect(await stores.state.read(['a'])).to.have.keys(['a']);
            });

            it('rejects a write whose eTag is an operator rather than overwriting', async () => {
                await stores.state.write({ a: { n: 1 } });
                let error: unknown;
                try {
                    await stores.state.write({ a: { n: 2, eTag: operator } });
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(ETagConflictError);
                expect((await stores.state.read(['a'])).a!.n).to.equal(1);
            });
        });

        it('keeps state as a JSON string, and the audit trail inside its request', async () => {
            await stores.state.write({ a: { $set: { x: 1 } } });
            await stores.escalations.create(sampleEscalation());
            await stores.escalations.appendAudit('SP-ABCDEF',
                { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note', detail: 'hi' });
            const db = client.db(database);
            const state = await db.collection(COLLECTIONS.state).findOne({ _id: 'a' as never });
            expect(state?.doc).to.equal('{"$set":{"x":1}}');
            expect(state?.expireAt).to.be.instanceOf(Date);
            const escalation = await db.collection(COLLECTIONS.escalations).findOne({ reference: 'SP-ABCDEF' });
            expect((escalation?.audit as { action: string }[]).map((a) => a.action))
                .to.deep.equal(['created', 'note']);
            expect(await db.listCollections({ name: 'escalation_audit' }).toArray()).to.deep.equal([]);
        });

        it('makes its indexes at start-up, and opening again changes nothing', async () => {
            const db = client.db(database);
            const before = await db.collection(COLLECTIONS.escalations).listIndexes().toArray();
            const again = await openMongoStores({ uri, database, stateDays: 30, client });
            await again.close();
            const after = await db.collection(COLLECTIONS.escalations).listIndexes().toArray();
            expect(after.map((i) => i.name).sort()).to.deep.equal(before.map((i) => i.name).sort());
            for (const [name, indexes] of Object.entries(INDEXES)) {
                if (!indexes.length) continue;
                const made = await db.collection(name).listIndexes().toArray();
                for (const index of indexes) {
                    const found = made.find((m) => m.name === index.name);
                    const fallback = made.find((m) => m.name === `${index.name}_plain`);
                    if (index.expireAfterSeconds !== undefined) {
                        // A TTL index, or where the server has none (FerretDB 1.24) a plain one on the field.
                        expect(found?.expireAfterSeconds ?? (fallback && 0), `${name}.${index.name}`).to.equal(0);
                        continue;
                    }
                    expect(found, `${name}.${index.name}`).to.not.equal(undefined);
                    if (index.unique) expect(found!.unique).to.equal(true);
                }
            }
        });

        it('adds the queue\'s indexes at start-up to a database made before them, and its queue reads it', async () => {
            const db = client.db(database);
            // A database as the release before left it: everything but the queue's two indexes.
            await db.collection(COLLECTIONS.escalations).dropIndex('status_priority_dueBy');
            await db.collection(COLLECTIONS.escalations).dropIndex('assignee_status');
            await db.collection<EscalationDoc>(COLLECTIONS.escalations).insertOne(escalationDoc(
                sampleEscalation({ id: 'esc-old', reference: 'SP-OLDONE' }), [], 90));
            const again = await openMongoStores({ uri, database, stateDays: 30, client });
            const page = await again.escalations.queuePage({ statuses: ['new'], at: '2026-11-26T10:00:00.000Z',
                limit: 10 });
            await again.close();
            expect(page).to.deep.include({ total: 1 });
            expect(page.escalations.map((e) => e.reference)).to.deep.equal(['SP-OLDONE']);
            const names = (await db.collection(COLLECTIONS.escalations).listIndexes().toArray()).map((i) => i.name);
            expect(names).to.include.members(['status_priority_dueBy', 'assignee_status']);
        });

        it('says at start-up when the server lacks TTL indexes or atomic updates (FerretDB 1.x)', async () => {
            const info = await client.db('admin').command({ buildInfo: 1 }) as { ferretdbVersion?: string };
            const lines: string[] = [];
            const again = await openMongoStores({
                uri, database, stateDays: 30, client, log: createLogger('info', (line) => lines.push(line)),
            });
            await again.close();
            const events = lines.map((line) => (JSON.parse(line) as { event: string }).event);
            if (info.ferretdbVersion?.startsWith('v1.')) {
                expect(events).to.deep.equal(['store.ttl_unavailable', 'store.updates_leased']);
            } else {
                expect(events).to.deep.equal([]);
            }
        });

        it('lets exactly one of 20 claims win when they come from two instances with their own clients', async () => {
            // Two separate clients, as two bot instances would have: on FerretDB 1.x this is what the update
            // leases are for (its updates are not atomic on their own); on MongoDB the conditional update is.
            const other = createMongoClient(uri);
            try {
                const second = await openMongoStores({ uri, database, stateDays: 30, client: other });
                await stores.escalations.create(sampleEscalation({ reference: 'SP-RACE01', id: 'race-1' }));
                const claims = Array.from({ length: 20 }, (_, i) => (i % 2 ? second : stores).escalations.change(
                    'SP-RACE01', {
                        from: ['new'], to: 'claimed', assignee: { id: `c${i}`, name: `C${i}` },
                        audit: { at: '2026-11-25T11:00:00.000Z', actor: `c${i}`, action: 'claimed' },
                    }));
                const results = await Promise.all(claims);
                expect(results.filter((r) => r.applied)).to.have.length(1);
                const trail = await stores.escalations.auditTrail('SP-RACE01');
                expect(trail.filter((e) => e.action === 'claimed')).to.have.length(1);
                await second.close();
            } finally {
                await other.close();
            }
        });

        it('rejects the stale one of two state writes from two instances at once', async () => {
            const other = createMongoClient(uri);
            try {
                const second = await openMongoStores({ uri, database, stateDays: 30, client: other });
                await stores.state.write({ k: { n: 0 } });
                const eTag = (await stores.state.read(['k'])).k.eTag;
                const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
                    (i % 2 ? second : stores).state.write({ k: { n: i + 1, eTag } })));
                const won = outcomes.filter((o) => o.status === 'fulfilled');
                expect(won).to.have.length(1);
                for (const o of outcomes) {
                    if (o.status === 'rejected') expect(o.reason).to.be.instanceOf(ETagConflictError);
                }
                const winner = outcomes.indexOf(won[0]!) + 1;
                expect((await second.state.read(['k'])).k.n).to.equal(winner);
                await second.close();
            } finally {
                await other.close();
            }
        });

        it('holds back activities behind a number still being written, then lets them through', async () => {
            await stores.directLine.createConversation({ id: 'c1', userId: 'dl', createdAt: 'x' });
            await stores.directLine.append('c1', () => ({ text: 'one' }));
            // Another instance has taken number 2 and not yet written it.
            await client.db(database).collection(COLLECTIONS.chatConversations)
                .updateOne({ _id: 'c1' as never }, { $inc: { lastSeq: 1 } });
            await stores.directLine.append('c1', () => ({ text: 'three' }));
            expect((await stores.directLine.since('c1', 0, 10)).map((e) => e.seq)).to.deep.equal([1]);
            // Long after, number 2 will never come (its writer died): the rest are not held back for ever.
            await client.db(database).collection(COLLECTIONS.chatActivities).updateOne(
                { _id: 'c1:3' as never }, { $set: { at: new Date(Date.now() - GAP_WAIT_MS - 1) } });
            expect((await stores.directLine.since('c1', 1, 10)).map((e) => e.seq)).to.deep.equal([3]);
        });
    });

    describe('signpost store migrate --from sqlite --to mongodb', () => {
        /** Runs `test` on a data folder whose SQLite file holds the contract's records, and a fresh database name. */
        async function fromPopulatedSqlite(test: (dataDir: string, database: string) => Promise<void>): Promise<void> {
            const tmp = tempDir();
            const database = freshName();
            try {
                const embedded = openEmbeddedStores(tmp.dir);
                await populateStores(embedded);
                await embedded.close();
                await test(tmp.dir, database);
            } finally {
                tmp.remove();
                await client.db(database).dropDatabase();
            }
        }

        it('copies everything; twice gives the same counts; the copy works through the ports', async () => {
            await fromPopulatedSqlite(async (dataDir, database) => {
                const env = {
                    SIGNPOST_DATA_DIR: dataDir, MONGODB_URI: uri, SIGNPOST_MONGODB_DATABASE: database,
                    LOG_LEVEL: 'silent',
                };
                const runs: { code: unknown; out: string[]; err: string }[] = [];
                for (let i = 0; i < 2; i++) {
                    const out: string[] = [];
                    let err = '';
                    const code = await storeCommand(['migrate', '--from', 'sqlite', '--to', 'mongodb'], {
                        env, out: (line) => out.push(line), err: { isTTY: false, write: (t: string) => (err += t) },
                    });
                    runs.push({ code, out, err });
                }
                for (const run of runs) {
                    expect(run.code, run.err).to.equal(0);
                    expect(run.out[0]).to.match(/^collection\s+sqlite\s+mongodb$/);
                    expect(run.out.find((l) => l.startsWith('escalations'))).to.match(/^escalations\s+2\s+2$/);
                    expect(run.out.join('\n')).to.not.include('differs');
                    expect(run.err).to.include('copied 17 of 17 records').and.not.include('\r');
                }
                expect(runs[1]!.out).to.deep.equal(runs[0]!.out);
                const mongo = await openMongoStores({ uri, database, stateDays: 30, client });
                try {
                    await expectPopulated(mongo);
                } finally {
                    await mongo.close();
                }
            });
        });

        it('exits 1 and names the collection when the target holds other records', async () => {
            await fromPopulatedSqlite(async (dataDir, database) => {
                const target = await openMongoStores({ uri, database, stateDays: 30, client });
                await target.optOuts.record('someone-else', true, '2026-11-25T10:00:00.000Z');
                await target.close();
                let err = '';
                const code = await storeCommand(['migrate', '--from', 'sqlite', '--to', 'mongodb'], {
                    env: { SIGNPOST_DATA_DIR: dataDir, MONGODB_URI: uri, SIGNPOST_MONGODB_DATABASE: database },
                    out: () => undefined, err: { isTTY: false, write: (t: string) => (err += t) },
                });
                expect(code).to.equal(1);
                expect(err).to.include('optOuts');
            });
        });
    });
});
