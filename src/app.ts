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
import { FollowupScheduler } from './followup/scheduler';
import { followupDelivery } from './channels/followupDelivery';
import { instrumentSender } from './metrics/instrumentSender';
import { createSender } from './sending';
import type { Sender } from './sending/port';
import { openStores, storeOptions, type Stores } from './storage';
import { openEmbeddedStores } from './storage/embedded/sqliteStores';
import { OptimisticStateStore } from './storage/optimistic';
import { ResilientStateStore } from './storage/resilient';
import { Lifecycle } from './handoff/lifecycle';
import { LiveRelay } from './handoff/relay';
import { NO_NOTIFIER, TeamsNotifier, escalationCard } from './handoff/notifier';
import { TeamsClaims } from './handoff/teamsClaim';
import { TeamsLinking } from './handoff/teamsLink';
import { TeamsConnectors } from './bot/teamsConnectors';
import { UrgentRaise } from './handoff/urgent';
import { rescheduleUrgent } from './handoff/rescheduleUrgent';
import { RequestIntake } from './handoff/intake';
import { clientAddress } from './server/limits';
import { botAdapter } from './server/botAdapter';
import { Auth } from './workspace/auth';
import { LiveFeed } from './workspace/live';
import { workspaceDirectory } from './workspace/directory';
import type { WorkspaceParts } from './workspace';
import type { ReviewOf } from './workspace/curation';
import { CuratedDirectory } from './conversation/curation';

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
    /** The directory with the curators' decisions laid over it, polled from the store (conversation/curation.ts). */
    curation: CuratedDirectory;
    /** Live chats between connectors and residents, sending through `adapters`. */
    relay: LiveRelay;
    /** Posts new requests to the connectors' Teams channel, when one is configured, through `adapters.cloud`. */
    notifier?: TeamsNotifier;
    /** The adapters the server mounts, their error handler set to this app's. */
    adapters: AppAdapters;
    /**
     * Sends texts and e-mails on a resident's request, as settings choose (unset: the logging fake locally, nothing
     * on a deployment), counted in /metrics; the same sender the dialogs get as `services.sender`.
     */
    sender: Sender;
    /** Keyed hashes of what is only counted or compared (sign-in e-mails, addresses, contact details). */
    hasher: KeyedHasher;
    /**
     * Sends due reminders and check-ins (issue 22): started by the server (src/index.ts) when
     * SIGNPOST_FOLLOWUP_SECONDS is above 0, stopped on shutdown. Not started here, so tests and the terminal send none.
     */
    followup: FollowupScheduler;
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
    /** A sender instead of the one the settings choose (tests keep the logging fake to read what was sent). */
    sender?: Sender;
    /**
     * The importer's review of the loaded directory, for the curation queue (src/index.ts gives `kb review`'s
     * checks; the app may not import the offline importer). None: the queue shows no review flags.
     */
    review?: ReviewOf;
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
    // The curators' decisions laid over the directory, read from the store every few seconds (conversation/
    // curation.ts).
    const curated = new CuratedDirectory({
        base: engine, records: knowledge.opportunities, store: stores.listingFeedback, log,
        pollMs: config.curationPollSeconds * 1000,
    });
    void curated.start();
    // The engine's one face for the dialogs, the bot and the error path: the directory as curated.
    const matching = conversationMatching(curated.engine, new LanguageWording(knowledge.languages ?? []),
        knowledge.wording);
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
    // Texts and e-mails a resident asks for; every result counted by kind and reason.
    const sender = instrumentSender(overrides.sender ?? createSender(config.sending, { log, now }), metrics);
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
        sender,
        scheduled: stores.scheduled,
        log,
        now,
        // "This listing is wrong": counted against the listing in the store, for the curation queue (issue 21).
        listingReports: stores.listingFeedback,
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
    const lifecycle = new Lifecycle(stores.escalations, services.now);
    // Teams users linked to workspace accounts claim from the card in the connectors' channel (issue 20).
    const teamsLinking = new TeamsLinking({ links: stores.teamsLinks, users: stores.users, attempts: stores.attempts,
        hasher, log, now: services.now });
    const teamsConnectors = new TeamsConnectors({
        claims: new TeamsClaims({ linking: teamsLinking, lifecycle, store: stores.escalations, notifier, log }),
        linking: teamsLinking,
        wording: knowledge.wording,
        card: (e) => escalationCard(e, { needLabel: (id) => engine.askLabel(id),
            workspaceUrl: config.publicUrl ? `${config.publicUrl}/workspace` : undefined,
            timeZone: config.connectorHours.timeZone }),
        log,
        tenantId: config.teamsConnectors?.tenantId,
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
        teamsConnectors,
        channels: createChannelPolicy({
            wording: knowledge.wording,
            serviceName: config.serviceName,
            stateDays: config.stateDays,
            conversationState,
            optOuts: stores.optOuts,
            scheduled: stores.scheduled,
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
        lifecycle,
        teamsLinking,
        log,
        now: services.now,
        relay,
        analytics: stores.analytics,
        notifier,
        needLabel: (id) => engine.askLabel(id),
        needs: knowledge.taxonomy.needs,
        directory: workspaceDirectory(matching, knowledge.wording),
        curation: { directory: curated, store: stores.listingFeedback, review: overrides.review },
        languages: knowledge.languages ?? [],
        serviceName: config.serviceName,
        // A connector's chosen listings sent by text or e-mail to the resident's own contact (issue 20).
        sender,
        origin: { publicUrl: config.publicUrl, trustProxy: config.http.trustProxy },
    };
    // New requests and residents' messages to open workspace pages, from the store (so across instances).
    workspace.live = new LiveFeed({ escalations: stores.escalations, log, now: services.now,
        sessionLive: (id) => workspace.auth.sessionLive(id) });
    const onTurnError = createOnTurnError(conversationState, knowledge.wording, log, {
        responder: matching, onRoutesShown: (channel) => metrics.crisisRoutesShown(channel), urgent,
    });
    adapters.cloud.onTurnError = onTurnError;
    metrics.watchScheduled(stores.scheduled);
    const followup = new FollowupScheduler({
        store: stores.scheduled, log, now: services.now, intervalMs: Math.max(1, config.followupSeconds) * 1000,
        onOutcome: (kind, outcome) => metrics.followupOutcome(kind, outcome),
        deliver: followupDelivery({
            sender, cloud: config.auth.appId ? cloud : undefined,
            // The conversation references and the wording of reminders and check-ins come with the resident-facing
            // dialogs (issue 22, a later step): until then such a message fails and, after its attempts, is stuck.
            reference: async () => undefined,
            render: () => undefined,
            now: () => services.now().getTime(),
        }),
    });
    if (adapters.directLine) adapters.directLine.onTurnError = onTurnError;
    return {
        config, knowledge, engine, stores, stateStore, conversationState, services, bot, log, metrics, workspace, relay,
        notifier, hasher, adapters, onTurnError, sender, curation: curated, followup,
        close: async () => {
            await followup.stop();
            curated.stop();
            workspace.live?.close();
            stateStore.stop();
            await stores.close();
        },
    };
}
