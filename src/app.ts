/**
 * Builds the bot from configuration: knowledge, matching engine, stores, dialogs. Shared by the server
 * (src/index.ts), the terminal chat and the tests, so every channel runs exactly the same bot. Wiring only.
 */
import { ConversationState } from 'botbuilder';
import { MainDialog } from '../dialogs/mainDialog';
import { PROFILE_PROPERTY, type ResidentProfile } from '../dialogs/profile';
import type { DialogServices } from '../dialogs/services';
import { SignpostBot } from './bot/signpostBot';
import { createOnTurnError } from './bot/onTurnError';
import { transcriptProperty } from './bot/transcript';
import { createChannelPolicy } from './channels';
import type { Config } from './config';
import { loadKnowledge, type Knowledge } from './knowledge';
import { createLogger, type Logger } from './log';
import { createEngine, type Engine } from './matching/engine';
import { openStores, type Stores } from './storage';
import { Lifecycle } from './handoff/lifecycle';
import { LiveRelay } from './handoff/relay';
import { NO_NOTIFIER, TeamsNotifier } from './handoff/notifier';
import { Auth } from './workspace/auth';
import type { WorkspaceParts } from './workspace';

export interface App {
    config: Config;
    knowledge: Knowledge;
    engine: Engine;
    stores: Stores;
    conversationState: ConversationState;
    /** What the dialogs are built with (also used by dialog tests). */
    services: DialogServices;
    bot: SignpostBot;
    onTurnError: ReturnType<typeof createOnTurnError>;
    log: Logger;
    /** The connectors' workspace services (sign-in, lifecycle), for the server to mount. */
    workspace: WorkspaceParts;
    /** Live chats between connectors and residents; the server connects it to its adapters. */
    relay: LiveRelay;
    /** Posts new requests to the connectors' Teams channel, when one is configured; the server connects it. */
    notifier?: TeamsNotifier;
    close(): Promise<void>;
}

export interface AppOverrides {
    log?: Logger;
    now?: () => Date;
    /** Already-loaded knowledge, so tests and the chat share one load. */
    knowledge?: Knowledge;
    stores?: Stores;
}

/** Loads everything and wires the bot. Throws KnowledgeError on bad data. */
export function createApp(config: Config, overrides: AppOverrides = {}): App {
    const log = overrides.log ?? createLogger(config.logLevel);
    const knowledge = overrides.knowledge ?? loadKnowledge(config.knowledgeDir);
    const engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why });
    const stores = overrides.stores ?? openStores({ dataDir: config.dataDir });
    const conversationState = new ConversationState(stores.state);
    const notifier = config.teamsConnectors ? new TeamsNotifier({
        target: config.teamsConnectors,
        store: stores.escalations,
        log,
        needLabel: (id) => engine.askLabel(id),
        workspaceUrl: config.publicUrl ? `${config.publicUrl}/workspace` : undefined,
        timeZone: config.connectorHours.timeZone,
    }) : undefined;
    const services: DialogServices = {
        wording: knowledge.wording,
        matcher: engine,
        escalations: stores.escalations,
        analytics: stores.analytics,
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
        now: overrides.now ?? (() => new Date()),
    };
    const relay = new LiveRelay({
        store: stores.escalations, optOuts: stores.optOuts, wording: knowledge.wording, log, now: services.now,
    });
    const bot = new SignpostBot({
        conversationState,
        dialog: new MainDialog(services),
        wording: knowledge.wording,
        crisis: { kinds: (text) => engine.crisisKinds(text), routes: (kinds) => engine.crisisRoutes(kinds) },
        serviceName: config.serviceName,
        stateDays: config.stateDays,
        log,
        relay,
        now: services.now,
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
        auth: new Auth(stores.users, stores.sessions, config.workspace, services.now),
        escalations: stores.escalations,
        users: stores.users,
        lifecycle: new Lifecycle(stores.escalations, services.now),
        log,
        now: services.now,
        relay,
        analytics: stores.analytics,
        notifier,
        needLabel: (id) => engine.askLabel(id),
    };
    return {
        config, knowledge, engine, stores, conversationState, services, bot, log, workspace, relay, notifier,
        onTurnError: createOnTurnError(conversationState, knowledge.wording, log),
        close: () => stores.close(),
    };
}
