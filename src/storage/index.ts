/**
 * Chooses the store for this deployment: MongoDB when a connection string is set (several instances share it),
 * else the embedded SQLite file (one instance, no set-up).
 */
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Stores } from './stores';
import { openEmbeddedStores } from './embedded/sqliteStores';

export interface StoreOptions {
    /** Folder of the embedded database. */
    dataDir: string;
    /** Set: MongoDB at this mongodb:// or mongodb+srv:// address. */
    mongodbUri?: string;
    /** The MongoDB database (default 'signpost'). */
    mongodbDatabase?: string;
    /** Retention, for MongoDB's TTL indexes (the sweep takes its own). */
    stateDays?: number;
    referralDays?: number;
    /** Where to say which store opened. */
    log?: Logger;
}

/** The store options a configuration gives. */
export function storeOptions(config: Config, log?: Logger): StoreOptions {
    return {
        dataDir: config.dataDir,
        ...(config.mongodb ? { mongodbUri: config.mongodb.uri, mongodbDatabase: config.mongodb.database } : {}),
        stateDays: config.stateDays,
        referralDays: config.referralDays,
        ...(log ? { log } : {}),
    };
}

/**
 * Opens the store. MongoDB makes sure its indexes exist first, and fails within a few seconds when it cannot be
 * reached. Logs `store.opened` with the kind (and for MongoDB its host names, never credentials).
 */
export async function openStores(options: StoreOptions): Promise<Stores> {
    if (options.mongodbUri) {
        // Loaded only when used, so the embedded default never loads the driver.
        const { openMongoStores } = await import('./mongo/mongoStores.js');
        const { mongoHosts } = await import('./mongo/connection.js');
        const database = options.mongodbDatabase ?? 'signpost';
        const stores = await openMongoStores({
            uri: options.mongodbUri, database, stateDays: options.stateDays ?? 30, referralDays: options.referralDays,
            log: options.log,
        });
        const hosts = mongoHosts(options.mongodbUri).join(',');
        options.log?.info('store.opened', { kind: 'mongodb', hosts, database });
        return stores;
    }
    const stores = openEmbeddedStores(options.dataDir, undefined, { log: options.log });
    options.log?.info('store.opened', { kind: 'embedded' });
    return stores;
}

export type { Stores } from './stores';
