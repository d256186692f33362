/**
 * Which store a deployment gets, its settings, and the migrate command's usage: none of it needs a database
 * server.
 */
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { storeCommand } from '../../src/cli/store';
import { UsageError } from '../../src/cli/usage';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { openStores, storeOptions } from '../../src/storage';
import { DocumentQueue, mongoHosts, safeMessage } from '../../src/storage/mongo/connection';
import { StoreUnavailableError, openMongoStores } from '../../src/storage/mongo/mongoStores';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

describe('choosing the store', () => {
    describe('when MONGODB_URI is not set', () => {
        it('opens the embedded store and says so in the log', async () => {
            const tmp = tempDir();
            const lines: string[] = [];
            try {
                const config = loadConfig({ SIGNPOST_DATA_DIR: tmp.dir });
                expect(config.mongodb).to.equal(undefined);
                const stores = await openStores(storeOptions(config, createLogger('info', (l) => lines.push(l))));
                expect(stores.kind).to.equal('embedded');
                await stores.close();
                expect(JSON.parse(lines[0]!)).to.include({ event: 'store.opened', kind: 'embedded' });
            } finally {
                tmp.remove();
            }
        });
    });

    describe('when MONGODB_URI is set', () => {
        it('takes a mongodb:// or mongodb+srv:// address, and the database name (default signpost)', () => {
            const srv = 'mongodb+srv://sam:pa55@cluster0.example.net/?retryWrites=true&w=majority';
            expect(loadConfig({ MONGODB_URI: srv }).mongodb).to.deep.equal({ uri: srv, database: 'signpost' });
            expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017', SIGNPOST_MONGODB_DATABASE: 'sp_live' }).mongodb)
                .to.deep.equal({ uri: 'mongodb://db:27017', database: 'sp_live' });
        });

        it('refuses anything else, naming the setting but never its value', () => {
            let error: unknown;
            try {
                loadConfig({ MONGODB_URI: 'postgres://sam:hunter2@db/signpost' });
            } catch (err) {
                error = err;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as Error).message).to.include('MONGODB_URI').and.include('mongodb://')
                .and.not.include('hunter2');
            expect(() => loadConfig({ MONGODB_URI: 'mongodb://db', SIGNPOST_MONGODB_DATABASE: 'a/b' }))
                .to.throw(ConfigError, /SIGNPOST_MONGODB_DATABASE/);
        });

        it('logs host names only, never the user or password', () => {
            expect(mongoHosts('mongodb://sam:p%40ss@a.example.org:27017,b.example.org:27018/signpost?authSource=admin'))
                .to.deep.equal(['a.example.org:27017', 'b.example.org:27018']);
            expect(mongoHosts('mongodb+srv://cluster0.example.net')).to.deep.equal(['cluster0.example.net']);
            expect(safeMessage(new Error('bad mongodb://sam:hunter2@host/x'))).to.equal('bad mongodb://***@host/x');
        });

        it('needs the app opened with openApp, which connects first', () => {
            const config = loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:1', LOG_LEVEL: 'silent' });
            expect(() => createApp(config, { knowledge: shippedKnowledge(), log: createLogger('silent') }))
                .to.throw(/openApp/);
        });

        it('fails within seconds when the database cannot be reached, naming the host and never the password',
            async function () {
                this.timeout(15_000);
                const started = Date.now();
                let error: unknown;
                try {
                    await openMongoStores({
                        uri: 'mongodb://signpost:hunter2@127.0.0.1:1/', database: 'signpost', stateDays: 30,
                    });
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(StoreUnavailableError);
                expect((error as Error).message).to.include('127.0.0.1:1').and.not.include('hunter2');
                expect(Date.now() - started).to.be.below(10_000);
            });
    });
});

describe('the queue of updates to one document (for servers without atomic updates)', () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

    it('runs updates of one document one at a time, in order, even when one fails', async () => {
        const queue = new DocumentQueue(true);
        const events: string[] = [];
        const task = (name: string, fail = false) => async () => {
            events.push(`start ${name}`);
            await pause();
            events.push(`end ${name}`);
            if (fail) throw new Error(name);
            return name;
        };
        const results = await Promise.allSettled([
            queue.run('a', task('1')), queue.run('a', task('2', true)), queue.run('a', task('3')),
        ]);
        expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
        expect(events).to.deep.equal(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    });

    it('runs updates of different documents, or everything when switched off, at once', async () => {
        for (const [queue, key2] of [[new DocumentQueue(true), 'b'], [new DocumentQueue(false), 'a']] as const) {
            const events: string[] = [];
            const task = (name: string) => async () => {
                events.push(`start ${name}`);
                await pause();
                events.push(`end ${name}`);
            };
            await Promise.all([queue.run('a', task('1')), queue.run(key2, task('2'))]);
            expect(events.slice(0, 2)).to.deep.equal(['start 1', 'start 2']);
        }
    });
});

describe('signpost store', () => {
    const quiet = { out: () => undefined, err: { write: () => true } };

    it('is bad usage without "migrate", without --from and --to, or with the same store twice', async () => {
        for (const args of [[], ['copy'], ['migrate'], ['migrate', '--from', 'sqlite'],
            ['migrate', '--from', 'sqlite', '--to', 'sqlite'], ['migrate', '--from', 'csv', '--to', 'mongodb'],
            ['migrate', '--from', 'sqlite', '--to', 'mongodb', '--force']]) {
            let error: unknown;
            try {
                await storeCommand(args, { ...quiet, env: { MONGODB_URI: 'mongodb://127.0.0.1:1' } });
            } catch (err) {
                error = err;
            }
            expect(error, args.join(' ')).to.be.instanceOf(UsageError);
        }
    });

    it('needs MONGODB_URI', async () => {
        let error: unknown;
        try {
            await storeCommand(['migrate', '--from', 'sqlite', '--to', 'mongodb'], { ...quiet, env: {} });
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(UsageError);
        expect((error as Error).message).to.include('MONGODB_URI');
    });

    it('exits 1 when there is no embedded database to copy', async () => {
        const tmp = tempDir();
        let err = '';
        try {
            const code = await storeCommand(['migrate', '--from', 'sqlite', '--to', 'mongodb'], {
                env: { SIGNPOST_DATA_DIR: tmp.dir, MONGODB_URI: 'mongodb://127.0.0.1:1' },
                out: () => undefined, err: { write: (t: string) => (err += t) },
            });
            expect(code).to.equal(1);
            expect(err).to.include('no embedded database');
        } finally {
            tmp.remove();
        }
    });
});
