/**
 * Builds the bot from configuration: knowledge, matching engine, stores, dialogs. Shared by the server
 * (src/index.ts), the terminal chat and the tests, so every channel runs exactly the same bot. Wiring only.
 */
import type { CloudAdapter, ConversationState } from 'botbuilder';
import { MainDialog } from '../dialogs/mainDialog';
import { PROFILE_PROPERTY, type ResidentProfile } from './conversation/profile';
import type { DialogServices } from './conversation/services';
import { conversationMatching } from './conversation/matching';
import { SignpostBot } from './bot/signpostBot';
import { SavedConversationState } from './bot/savedState';
import { createOnTurnError } from './bot/onTurnError';
import { transcriptProperty } from './bot/transcript';
import { createChannelPolicy } from './channels';
import { loadSigningKey } from './channels/directline/tokens';
import { DirectLineAdapter } from './channels/directline/adapter';
import type { Config } from './config';
import { loadKnowledge, type Knowledge } from './knowledge';
import { intentsFor, type IntentLexicon } from './knowledge/intents';
import { LanguageWording } from './knowledge/languages';
import { KeyedHasher } from './keyedHash';
import { createLogger, type Logger } from './log';
import { createEngine, type Engine } from './matching/engine';
import { Metrics } from './metrics';
import { instrumentStores } from './metrics/instrumentStores';
import { openStores, storeOptions, type Stores } from './storage';
import { openEmbeddedStores } from './storage/embedded/sqliteStores';
import { OptimisticStateStore } from './storage/optimistic';
import { ResilientStateStore } from './storage/resilient';
import { Lifecycle } from './handoff/lifecycle';
import { LiveRelay } from './handoff/relay';
import { NO_NOTIFIER, TeamsNotifier } from './handoff/notifier';
import { UrgentRaise } from './handoff/urgent';
import { rescheduleUrgent } from './handoff/rescheduleUrgent';
import { RequestIntake } from './handoff/intake';
import { clientAddress } from './server/limits';
import { botAdapter } from './server/botAdapter';
import { Auth } from './workspace/auth';
import { LiveFeed } from './workspace/live';
import { workspaceDirectory } from './workspace/directory';
import type { WorkspaceParts } from './workspace';

/**
 * The adapters turns come in through and proactive messages go out through, built before the app so that every
 * service that sends (the live relay, the Teams notifier) is given them when it is made: nothing is connected later.
 */
export interface AppAdapters {
    /** Bot Framework channels at /api/messages (Teams, SMS, Azure Direct Line, the Emulator). */
    cloud: CloudAdapter;
    /** The bot's app id for proactive sends ('' when there is no authentication, as locally). */
    appId: string;
    /** The built-in website chat's adapter; none when Azure Direct Line carries the website chat. */
    directLine?: DirectLineAdapter;
}

/**
 * The adapters as the server uses them, from the settings: CloudAdapter with the settings' authentication (the
 * website chat's conversations kept apart), and the built-in website chat's adapter unless Azure Direct Line is set.
 */
export function appAdapters(config: Config, stores: Pick<Stores, 'directLine'>, log: Logger, now?: () => Date)
    : AppAdapters {
    return {
        cloud: botAdapter(config.auth, { log, websiteChats: stores.directLine }),
        appId: config.auth.appId ?? '',
        directLine: config.webChat.directLineSecret ? undefined : new DirectLineAdapter(stores.directLine, now),
    };
}

export interface App {
    config: Config;
    knowledge: Knowledge;
    engine: Engine;
    stores: Stores;
    /** Conversation state as the bot uses it: rides out a database outage (storage/resilient.ts). */
    stateStore: ResilientStateStore;
    conversationState: ConversationState;
    /** What the dialogs are built with (also used by dialog tests). */
    services: DialogServices;
    bot: SignpostBot;
    onTurnError: ReturnType<typeof createOnTurnError>;
    log: Logger;
    /** Prometheus metrics of this app (its own registry); the server serves them when a token is set. */
    metrics: Metrics;
    /** The connectors' workspace services (sign-in, lifecycle), for the server to mount. */
    workspace: WorkspaceParts;
    /** Live chats between connectors and residents, sending through `adapters`. */
    relay: LiveRelay;
    /** Posts new requests to the connectors' Teams channel, when one is configured, through `adapters.cloud`. */
    notifier?: TeamsNotifier;
    /** The adapters the server mounts, their error handler set to this app's. */
    adapters: AppAdapters;
    /** Keyed hashes of what is only counted or compared (sign-in e-mails, addresses, contact details). */
    hasher: KeyedHasher;
    close(): Promise<void>;
}

export interface AppOverrides {
    log?: Logger;
    now?: () => Date;
    /** Already-loaded knowledge, so tests and the chat share one load. */
    knowledge?: Knowledge;
    /** Already-opened stores (openApp opens them; tests may pass their own). */
    stores?: Stores;
    /** Adapters built by the caller (tests with their own authentication); `appAdapters` without them. */
    adapters?: AppAdapters;
}

/**
 * Opens the configured store (MongoDB needs a connection and its indexes first, so this is async), then builds the
 * app over it. What the server and the terminal chat use.
 */
export async function openApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
    const log = overrides.log ?? createLogger(config.logLevel);
    const stores = overrides.stores ?? await openStores(storeOptions(config, log));
    // Urgent requests stored when "urgent" meant "due at once" get today's due time (never throws; see the module).
    await rescheduleUrgent({ store: stores.escalations, connectorHours: config.connectorHours,
        now: overrides.now ?? (() => new Date()), log });
    try {
        return createApp(config, { ...overrides, log, stores });
    } catch (err) {
        if (!overrides.stores) await stores.close();
        throw err;
    }
}

/** The embedded store for createApp when none is given; MongoDB cannot be opened synchronously. */
function defaultStores(config: Config): Stores {
    if (config.mongodb) throw new Error('MONGODB_URI is set: open the app with openApp, which connects first');
    return openEmbeddedStores(config.dataDir);
}

/**
 * Loads everything and wires the bot over `overrides.stores`, or the embedded store when none is given. Throws
 * KnowledgeError on bad data.
 */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
    const log = overrides.log ?? createLogger(config.logLevel);
    const knowledge = overrides.knowledge ?? loadKnowledge(config.knowledgeDir);
    const engine = createEngine({
        ...knowledge, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes,
    });
    const metrics = new Metrics({
        needIds: engine.needIds(), log, now: overrides.now, processMetrics: Boolean(config.metricsToken),
    });
    const stores = instrumentStores(overrides.stores ?? defaultStores(config),
        (store, operation, err) => metrics.storeError(store, operation, err));
    metrics.watchEscalations(stores.escalations);
    // E-mails tried at sign-in, contact details and client addresses are counted by keyed hash (keyedHash.ts).
    const hasher = new KeyedHasher(loadSigningKey(config.dataDir, config.webChat.tokenSecret));
    // The bot's state survives a database outage, and a stale write is refused rather than lost (storage/*.ts).
    const stateStore = new ResilientStateStore(stores.state, { log });
    metrics.watchStateStore(stateStore);
    // Serialised once per save, the stores keeping that same JSON (bot/savedState.ts).
    const conversationState = new SavedConversationState(new OptimisticStateStore(stateStore));
    // The engine's one face for the dialogs, the bot and the error path.
    const matching = conversationMatching(engine, new LanguageWording(knowledge.languages ?? []), knowledge.wording);
    const now = overrides.now ?? (() => new Date());
    // Built first: what sends is given them when it is made.
    const adapters = overrides.adapters ?? appAdapters(config, stores, log, overrides.now);
    const cloud = { adapter: adapters.cloud, appId: adapters.appId };
    const notifier = config.teamsConnectors ? new TeamsNotifier({
        target: config.teamsConnectors,
        store: stores.escalations,
        log,
        needLabel: (id) => engine.askLabel(id),
        workspaceUrl: config.publicUrl ? `${config.publicUrl}/workspace` : undefined,
        timeZone: config.connectorHours.timeZone,
        cloud,
    }) : undefined;
    const escalations = metrics.countingCreations(stores.escalations);
    const services: DialogServices = {
        wording: knowledge.wording,
        // In the turn's language (English with the resident's language's words added): read at each use.
        get intents(): IntentLexicon {
            return intentsFor(knowledge.intents, knowledge.wording.locale);
        },
        matcher: matching,
        escalations,
        intake: new RequestIntake({
            store: escalations, attempts: stores.attempts, hasher, limits: config.requests, log, now,
        }),
        analytics: metrics.countingUnmet(stores.analytics),
        notifier: notifier ?? NO_NOTIFIER,
        profile: conversationState.createProperty<ResidentProfile>(PROFILE_PROPERTY),
        transcript: transcriptProperty(conversationState),
        settings: {
            serviceName: config.serviceName,
            stateDays: config.stateDays,
            referralDays: config.referralDays,
            responseDays: config.responseDays,
            connectorHours: config.connectorHours,
        },
        log,
        now,
        // Issue 21: the sender (src/sending/) and the listing report sink are wired by the lead at merge.
        sender: undefined,
        listingReports: undefined,
    };
    const relay = new LiveRelay({
        store: stores.escalations, optOuts: stores.optOuts, wording: knowledge.wording, log, now: services.now,
        adapters: { cloud, directLine: adapters.directLine },
    });
    // Not the counting store: raising a request is not making one.
    const urgent = new UrgentRaise({
        store: stores.escalations, notifier, log, now: services.now, connectorHours: config.connectorHours,
        onRaised: () => metrics.escalationRaisedUrgent(),
    });
    const bot = new SignpostBot({
        conversationState,
        dialog: new MainDialog(services),
        wording: knowledge.wording,
        matching,
        serviceName: config.serviceName,
        stateDays: config.stateDays,
        log,
        relay,
        storeDegraded: () => stateStore.degraded,
        now: services.now,
        metrics,
        urgent,
        channels: createChannelPolicy({
            wording: knowledge.wording,
            serviceName: config.serviceName,
            stateDays: config.stateDays,
            conversationState,
            optOuts: stores.optOuts,
            log,
            now: services.now,
        }),
    });
    const workspace: WorkspaceParts = {
        auth: new Auth({ users: stores.users, sessions: stores.sessions, attempts: stores.attempts, hasher },
            config.workspace, services.now),
        addressOf: (req) => clientAddress(req, config.http.trustProxy),
        escalations: stores.escalations,
        users: stores.users,
        lifecycle: new Lifecycle(stores.escalations, services.now),
        log,
        now: services.now,
        relay,
        analytics: stores.analytics,
        notifier,
        needLabel: (id) => engine.askLabel(id),
        needs: knowledge.taxonomy.needs,
        directory: workspaceDirectory(matching, knowledge.wording),
        languages: knowledge.languages ?? [],
        origin: { publicUrl: config.publicUrl, trustProxy: config.http.trustProxy },
    };
    // New requests and residents' messages to open workspace pages, from the store (so across instances).
    workspace.live = new LiveFeed({ escalations: stores.escalations, log, now: services.now,
        sessionLive: (id) => workspace.auth.sessionLive(id) });
    const onTurnError = createOnTurnError(conversationState, knowledge.wording, log, {
        responder: matching, onRoutesShown: (channel) => metrics.crisisRoutesShown(channel), urgent,
    });
    adapters.cloud.onTurnError = onTurnError;
    if (adapters.directLine) adapters.directLine.onTurnError = onTurnError;
    return {
        config, knowledge, engine, stores, stateStore, conversationState, services, bot, log, metrics, workspace, relay,
        notifier, hasher, adapters, onTurnError,
        close: async () => {
            workspace.live?.close();
            stateStore.stop();
            await stores.close();
        },
    };
}
