/**
 * The live conversation between a connector and a resident. A connector's messages reach the resident as proactive
 * messages through the conversation reference kept with the request: botbuilder's CloudAdapter for Bot Framework
 * channels, the self-hosted Direct Line adapter for the website chat. Whether a connector has the conversation is
 * a flag in the store, never in memory, so every instance stays silent while they do.
 */
import type { BotAdapter, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DIRECT_LINE_CHANNEL_ID } from '../channelIds';
import type { Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import type { EscalationStore, LiveChatAction } from '../storage/escalationStore';
import type { OptOutStore } from '../storage/optOutStore';
import type { Assignee, Escalation } from '../storage/escalationRecord';

/** What a relay step did. `not-live`: there was no live conversation to end, or it could not be started. */
export type RelayResult = 'sent' | 'unreachable' | 'not-live';

/** The live conversation as the workspace sees it; it needs no botbuilder. */
export interface ConnectorRelay {
    /** Sends a connector's message; the first one starts the live conversation and introduces them by first name. */
    send(escalation: Escalation, from: Assignee, text: string): Promise<RelayResult>;
    /** Ends the live conversation: the resident is told, and the bot resumes. */
    end(escalation: Escalation, by: Assignee): Promise<RelayResult>;
}

/** The live conversation as the bot sees it on each resident message. */
export interface ResidentRelay {
    /** The reference of the request whose live conversation a connector has in this chat, if any. */
    holding(channelId: string, conversationId: string): Promise<string | undefined>;
    /** Keeps a resident's message for the connector, in the request's live chat. */
    fromResident(reference: string, text: string): Promise<void>;
    /** Tells the connector, in the live chat, that crisis routes were shown to the resident (kind ids). */
    crisisShown(reference: string, kinds: readonly string[]): Promise<void>;
}

/** Where proactive messages go out: set once the server has built its adapters. */
export interface RelayAdapters {
    /** Bot Framework channels, with the bot's app id ('' when there is no authentication, as locally). */
    cloud?: { adapter: CloudAdapter; appId: string };
    /** The website chat on the self-hosted Direct Line endpoint. */
    directLine?: BotAdapter;
}

export interface LiveRelayParts {
    store: EscalationStore;
    optOuts: OptOutStore;
    wording: Wording;
    log: Logger;
    now: () => Date;
}

/** The longest resident message kept for a connector (the bot's own limit on messages is lower). */
const MAX_KEPT = 4000;

export class LiveRelay implements ConnectorRelay, ResidentRelay {
    private adapters: RelayAdapters = {};

    constructor(private readonly parts: LiveRelayParts) {}

    /** Gives the relay its adapters (built by the server after the app). */
    connect(adapters: RelayAdapters): void {
        this.adapters = adapters;
    }

    async send(escalation: Escalation, from: Assignee, text: string): Promise<RelayResult> {
        const { store, wording, log } = this.parts;
        const reference = escalation.conversationReference;
        if (!reference || !(await this.reachable(escalation))) return 'unreachable';
        let started = false;
        if (!escalation.relay) {
            started = await store.setRelay(escalation.reference, { id: from.id, name: from.name },
                this.audit(from.id, 'relay-started'));
            // Someone else may have started it a moment ago; then it is live all the same, with no second greeting.
            if (!started && !(await store.getByReference(escalation.reference))?.relay) return 'not-live';
        }
        const texts = [
            ...(started ? [wording.text('relayStarted', { name: from.name })] : []),
            wording.text('relayMessage', { name: from.name, text }),
        ];
        if (!(await this.deliver(reference, texts))) {
            // Nobody can hear the connector, so the bot must not stay silent on their behalf.
            if (started) await store.setRelay(escalation.reference, null, this.audit(from.id, 'relay-ended'));
            log.warn('relay.unreachable', { escalation: escalation.id, channel: escalation.channelId });
            return 'unreachable';
        }
        await store.appendChat(escalation.reference, this.line(from.id, 'message-sent', text));
        log.info('relay.message_sent', { escalation: escalation.id, user: from.id, started });
        return 'sent';
    }

    async end(escalation: Escalation, by: Assignee): Promise<RelayResult> {
        const { store, wording, log } = this.parts;
        const had = escalation.relay;
        if (!had || !(await store.setRelay(escalation.reference, null, this.audit(by.id, 'relay-ended')))) {
            return 'not-live';
        }
        log.info('relay.ended', { escalation: escalation.id, user: by.id });
        const reference = escalation.conversationReference;
        if (!reference || !(await this.reachable(escalation))) return 'unreachable';
        const told = await this.deliver(reference, [wording.text('relayEnded', { name: had.name })]);
        return told ? 'sent' : 'unreachable';
    }

    async holding(channelId: string, conversationId: string): Promise<string | undefined> {
        return (await this.parts.store.relayFor(channelId, conversationId))?.reference;
    }

    async fromResident(reference: string, text: string): Promise<void> {
        const kept = text.slice(0, MAX_KEPT);
        await this.parts.store.appendChat(reference, this.line('resident', 'resident-message', kept));
    }

    async crisisShown(reference: string, kinds: readonly string[]): Promise<void> {
        const line = this.line('system', 'crisis-routes-shown', kinds.join(', '));
        await this.parts.store.appendChat(reference, line);
        // A safety event: in the audit trail too, where it stays however long the chat goes on.
        await this.parts.store.appendAudit(reference, line);
        this.parts.log.warn('relay.crisis_routes_shown', { kinds: kinds.join(',') });
    }

    /** A resident who texted STOP gets nothing more, from the bot or a connector. */
    private async reachable(escalation: Escalation): Promise<boolean> {
        return escalation.channelId !== 'sms' || !(await this.parts.optOuts.isOptedOut(escalation.residentKey));
    }

    private async deliver(stored: Record<string, unknown>, texts: string[]): Promise<boolean> {
        const reference = stored as Partial<ConversationReference>;
        const logic = async (context: TurnContext) => {
            for (const text of texts) await context.sendActivity(text);
        };
        const { cloud, directLine } = this.adapters;
        try {
            if (reference.channelId === DIRECT_LINE_CHANNEL_ID && directLine) {
                await directLine.continueConversation(reference, logic);
            } else if (cloud) {
                // Every other channel, and the website chat when Azure Direct Line carries it.
                await cloud.adapter.continueConversationAsync(cloud.appId, reference, logic);
            } else {
                return false;
            }
            return true;
        } catch (err) {
            this.parts.log.warn('relay.delivery_failed', { channel: reference.channelId, error: errorKind(err) });
            return false;
        }
    }

    /** A line of the audit trail: the live chat starting and ending. */
    private audit(actor: string, action: 'relay-started' | 'relay-ended') {
        return { at: this.parts.now().toISOString(), actor, action };
    }

    /** A line of the live chat, kept apart from the audit trail (capped: see STORE_LIMITS.liveChatLines). */
    private line(actor: string, action: LiveChatAction, detail: string) {
        return { at: this.parts.now().toISOString(), actor, action, detail };
    }
}
