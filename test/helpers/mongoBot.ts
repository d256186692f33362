/**
 * The real bot over a real MongoDB-compatible server, for the MongoDB, fault, two-instance and privacy tests: where
 * the server is (MONGODB_URI), suites that skip without it, a fresh database per test (dropped afterwards), an app
 * over it, and a second, independent handle on the same database to check what really got stored.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { createMongoClient } from '../../src/storage/mongo/connection';
import { openMongoStores } from '../../src/storage/mongo/mongoStores';
import type { StateStore } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import { shippedKnowledge, type TestApp } from './app';
import { tempDir } from './tmp';

/** Where the MongoDB-compatible server to test against is, if anywhere: the one place a test reads the environment. */
export function mongoUri(): string | undefined {
    return process.env.MONGODB_URI || undefined;
}

/** A suite that needs MONGODB_URI, and what stands in its place when it is not set. */
export interface MongoSuite {
    /** The suite's title when MONGODB_URI is set. */
    title: string;
    /** Its title, before "(MONGODB_URI not set: skipped)", when MONGODB_URI is not set (default `title`). */
    skippedAs?: string;
    /** The test shown as pending when it is skipped. */
    pending: string;
    /** What the printed note calls the suite ("MongoDB suite"). */
    note: string;
}

/**
 * `describe(suite.title, body)` with MONGODB_URI when it is set. When it is not, a suite with one pending test takes
 * its place, and a note says how to include it, so that a run without a server says what it left out.
 */
export function describeWithMongo(suite: MongoSuite, body: (this: Mocha.Suite, uri: string) => void): void {
    const uri = mongoUri();
    if (!uri) {
        describe(`${suite.skippedAs ?? suite.title} (MONGODB_URI not set: skipped)`, () => {
            before(function () {
                process.stdout.write(`      ${suite.note} skipped: MONGODB_URI is not set. Start a MongoDB-compatible `
                    + 'server and run with MONGODB_URI=mongodb://HOST:PORT/ to include it.\n');
                this.skip();
            });
            it(suite.pending);
        });
        return;
    }
    describe(suite.title, function () {
        body.call(this, uri);
    });
}

/** MONGODB_URI, for one test inside a suite that runs without it; skips that test when it is not set. */
export function mongoUriOrSkip(test: Mocha.Context): string {
    const uri = mongoUri();
    if (!uri) test.skip();
    return uri;
}

/** A database name no other test uses. */
export function freshDatabase(): string {
    return `signpost_test_${randomBytes(6).toString('hex')}`;
}

/** An app whose store is MongoDB at `uri` (perhaps through a fault proxy); log lines are parsed into `lines`. */
export async function mongoApp(uri: string, database: string, options: {
    lines?: Record<string, unknown>[];
    env?: NodeJS.ProcessEnv;
    /** Puts something between the bot and its state store (a gate that holds writes, in the race test). */
    wrapState?: (state: StateStore) => StateStore;
} = {}): Promise<TestApp> {
    const tmp = tempDir();
    const config = loadConfig({
        SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent', MONGODB_URI: uri, SIGNPOST_MONGODB_DATABASE: database,
        ...options.env,
    });
    const opened = await openMongoStores({ uri, database, stateDays: 30, referralDays: 90 });
    const stores = options.wrapState ? { ...opened, state: options.wrapState(opened.state) } : opened;
    const lines = options.lines;
    const log = lines
        ? createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>))
        : createLogger('silent');
    const app = createApp(config, { knowledge: shippedKnowledge(), log, stores });
    return Object.assign(app, {
        dataDir: tmp.dir,
        dispose: async () => {
            await app.close();
            tmp.remove();
        },
    });
}

/** A separate client on the same database: what another instance, or a connector, would read. */
export async function independentHandle(uri: string, database: string): Promise<{
    stores: Stores;
    /** Closes the handle and drops the database. */
    dropAndClose: () => Promise<void>;
}> {
    const client = createMongoClient(uri);
    await client.connect();
    const stores = await openMongoStores({ uri, database, stateDays: 30, referralDays: 90, client });
    return {
        stores,
        dropAndClose: async () => {
            await stores.close();
            await client.db(database).dropDatabase().catch(() => undefined);
            await client.close();
        },
    };
}

/** The storage key botbuilder's ConversationState uses. */
export function conversationKey(channelId: string, conversationId: string): string {
    return `${channelId}/conversations/${conversationId}/`;
}

/** Waits until `check` is true, polling; fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}
