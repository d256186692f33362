/**
 * The MongoDB store (MongoDB, Azure Cosmos DB for MongoDB vCore, FerretDB): every port over one shared client, for
 * deployments with several instances.
 */
import type { MongoClient } from 'mongodb';
import type { Logger } from '../../log';
import { retentionOf, type Stores } from '../stores';
import {
    COLLECTIONS, DAY_MS, DocumentQueue, type LeaseDoc, createMongoClient, ensureIndexes, mongoHosts, safeMessage,
    type ServerTraits,
} from './connection';
import { MongoStateStore, type StateDoc } from './mongoState';
import { MongoEscalationStore, type EscalationDoc } from './mongoEscalations';
import {
    MongoDirectLineStore, MongoOptOutStore, type ActivityDoc, type ConversationDoc, type OptOutDoc, type RateWindowDoc,
} from './mongoDirectLine';
import {
    MongoAnalyticsStore, MongoAttemptStore, MongoSessionStore, MongoTeamsLinkStore, MongoUserStore, type AttemptDoc,
    type SessionDoc, type TeamsLinkCodeDoc, type TeamsLinkDoc, type UnmetDoc, type UserDoc,
} from './mongoWorkspace';
import { MongoMigration } from './mongoMigration';
import { MongoScheduledMessageStore, type ScheduledDoc } from './mongoScheduled';
import {
    MongoListingFeedbackStore, type CurationVersionDoc, type ListingDecisionDoc, type ListingReportDoc,
} from './mongoListingFeedback';

export interface MongoStoreOptions {
    /** mongodb:// or mongodb+srv:// connection string. */
    uri: string;
    database: string;
    /** Days state and website chats are kept after their last message (their TTL). */
    stateDays: number;
    /** Days a closed request is kept (its TTL); absent: until the sweep is told. */
    referralDays?: number;
    /** A client to use instead of making one (tests share one); it is left open on close. */
    client?: MongoClient;
    /** Told when the server lacks TTL indexes or atomic updates. */
    log?: Logger;
}

/** Thrown when the database cannot be reached or refuses us at start-up. Names the hosts, never credentials. */
export class StoreUnavailableError extends Error {
    constructor(hosts: string[], cause: unknown) {
        super(`MongoDB (${hosts.join(', ') || 'no host'}) could not be used: ${safeMessage(cause)}`);
        this.name = 'StoreUnavailableError';
    }
}

/**
 * Connects, makes sure every index exists (idempotent, so each instance does it at start-up), and returns the
 * stores. Fails within about five seconds when the database is down.
 */
export async function openMongoStores(options: MongoStoreOptions): Promise<Stores> {
    const client = options.client ?? createMongoClient(options.uri);
    const db = client.db(options.database);
    let traits: ServerTraits;
    try {
        traits = await ensureIndexes(db);
    } catch (err) {
        if (!options.client) await client.close().catch(() => undefined);
        throw new StoreUnavailableError(mongoHosts(options.uri), err);
    }
    if (!traits.ttl) options.log?.warn('store.ttl_unavailable', { kind: 'mongodb', cleanup: 'hourly-sweep' });
    if (!traits.atomicUpdates) {
        // Updates of a document are queued in this process and leased across processes. See DocumentQueue.
        options.log?.info('store.updates_leased', { server: 'ferretdb', version: traits.ferretdb });
    }
    const queue = new DocumentQueue(!traits.atomicUpdates, db.collection<LeaseDoc>(COLLECTIONS.updateLeases));
    const state = new MongoStateStore(db.collection<StateDoc>(COLLECTIONS.state), options.stateDays, queue);
    const escalations = new MongoEscalationStore(db.collection<EscalationDoc>(COLLECTIONS.escalations),
        options.referralDays, queue);
    try {
        // Live chats that older versions kept in the audit trail move to the chat (see moveChatOutOfAudit).
        const moved = await escalations.moveChatOutOfAudit();
        if (moved.lines > 0) options.log?.info('store.chat_moved', moved);
    } catch (err) {
        if (!options.client) await client.close().catch(() => undefined);
        throw new StoreUnavailableError(mongoHosts(options.uri), err);
    }
    const directLine = new MongoDirectLineStore(
        db.collection<ConversationDoc>(COLLECTIONS.chatConversations),
        db.collection<ActivityDoc>(COLLECTIONS.chatActivities),
        db.collection<RateWindowDoc>(COLLECTIONS.rateWindows),
        options.stateDays,
        queue);
    const sessions = new MongoSessionStore(db.collection<SessionDoc>(COLLECTIONS.sessions));
    const attempts = new MongoAttemptStore(db.collection<AttemptDoc>(COLLECTIONS.attempts), queue);
    const teamsLinks = new MongoTeamsLinkStore(db.collection<TeamsLinkDoc>(COLLECTIONS.teamsLinks),
        db.collection<TeamsLinkCodeDoc>(COLLECTIONS.teamsLinkCodes), queue);
    const scheduled = new MongoScheduledMessageStore(db.collection<ScheduledDoc>(COLLECTIONS.scheduledMessages), queue);
    return {
        kind: 'mongodb',
        state,
        escalations,
        directLine,
        optOuts: new MongoOptOutStore(db.collection<OptOutDoc>(COLLECTIONS.optOuts)),
        users: new MongoUserStore(db.collection<UserDoc>(COLLECTIONS.users), queue),
        sessions,
        attempts,
        analytics: new MongoAnalyticsStore(db.collection<UnmetDoc>(COLLECTIONS.unmetNeeds), queue),
        teamsLinks,
        listingFeedback: new MongoListingFeedbackStore(
            db.collection<ListingReportDoc>(COLLECTIONS.listingReports),
            db.collection<ListingDecisionDoc>(COLLECTIONS.listingDecisions),
            db.collection<CurationVersionDoc>(COLLECTIONS.curationVersion),
            queue),
        scheduled,
        migration: new MongoMigration(db, { stateDays: options.stateDays, referralDays: options.referralDays }),
        sweep: async (retention, now = new Date()) => {
            const { stateDays, referralDays } = retentionOf(retention);
            const cutoff = new Date(now.getTime() - stateDays * DAY_MS);
            // Website chat transcripts hold what residents typed: they go with the state, on the same day.
            const chats = await directLine.sweep(cutoff);
            await sessions.sweep(now.toISOString());
            await attempts.sweep(now.getTime());
            await teamsLinks.sweep(now.toISOString());
            // Finished reminders and check-ins go with the state (their addresses went at their last use).
            const messages = await scheduled.sweep(cutoff);
            const closed = referralDays === undefined
                ? 0 : await escalations.sweepClosed(new Date(now.getTime() - referralDays * DAY_MS).toISOString());
            return (await state.sweep(cutoff)) + chats + closed + messages;
        },
        close: async () => {
            if (!options.client) await client.close();
        },
    };
}
