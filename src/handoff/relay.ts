/**
 * The live conversation between a connector and a resident. A connector's messages reach the resident as proactive
 * messages through the conversation reference kept with the request: botbuilder's CloudAdapter for Bot Framework
 * channels, the self-hosted Direct Line adapter for the website chat. Whether a connector has the conversation is
 * a flag in the store, never in memory, so every instance stays silent while they do.
 */
import type { Activity, BotAdapter, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { DIRECT_LINE_CHANNEL_ID } from '../channelIds';
import type { Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import type { EscalationStore, LiveChatAction } from '../storage/escalationStore';
import type { OptOutStore } from '../storage/optOutStore';
import type { Assignee, Escalation } from '../storage/escalationRecord';

/**
 * What a relay step did. `not-live`: there was no live conversation to end, or it could not be started.
 * `unreachable`: there is no chat to write to (no conversation reference, or the resident texted STOP).
 * `left`: the resident has left the chat (the website chat's conversation is gone, or their page has not been seen
 * for RESIDENT_AWAY_MS). `not-delivered`: the channel refused the message or did not answer in DELIVERY_TIMEOUT_MS.
 * On `left` and `not-delivered` the message is kept in the request's live chat, marked not delivered.
 */
export type RelayResult = 'sent' | 'unreachable' | 'not-live' | 'left' | 'not-delivered';

/**
 * A website chat page not seen for this long (no poll, no message, no answer on its open connection, which is
 * checked every 30 seconds) has gone: a message to it would be stored where nobody reads it, so it is not sent.
 */
export const RESIDENT_AWAY_MS = 90_000;

/** A proactive send that has not finished in this long is taken as not delivered (the channel is not answering). */
export const DELIVERY_TIMEOUT_MS = 15_000;

/** How often one conversation's presence is written to the store at most (a page polls every second). */
export const SEEN_EVERY_MS = 15_000;

/**
 * What the website chat page reads of a live chat, in `channelData.signpost` of the bot's messages on the built-in
 * Direct Line endpoint: `started` and `ended` are the bot saying so, `message` a connector's words (with
 * `role: 'connector'`, and their first name in `from.name` too). `connector` is their first name only: never their
 * surname, e-mail or account id. The page names and styles a connector's messages and says in its footer who the
 * resident is chatting with; the page without JavaScript does the same from the stored conversation.
 */
export interface LiveChatMark {
    relay: 'started' | 'message' | 'ended';
    connector: string;
    role?: 'connector';
}

/** The live chat's mark on one activity of the website chat, if it has one (see LiveChatMark). */
export function liveChatMark(activity: { channelData?: unknown }): LiveChatMark | undefined {
    const mark = (activity.channelData as { signpost?: Partial<LiveChatMark> } | undefined)?.signpost;
    if (!mark || typeof mark.connector !== 'string') return undefined;
    if (mark.relay !== 'started' && mark.relay !== 'message' && mark.relay !== 'ended') return undefined;
    return { relay: mark.relay, connector: mark.connector, ...(mark.role === 'connector' ? { role: mark.role } : {}) };
}

/** The live conversation as the workspace sees it; it needs no botbuilder. */
export interface ConnectorRelay {
    /** Sends a connector's message; the first one starts the live conversation and introduces them by first name. */
    send(escalation: Escalation, from: Assignee, text: string): Promise<RelayResult>;
    /** Ends the live conversation: the resident is told, and the bot resumes. */
    end(escalation: Escalation, by: Assignee): Promise<RelayResult>;
    /**
     * Whether presence on this channel says if the resident is there: only on the built-in website chat, whose page
     * keeps itself seen while open (polls, its WebSocket). Elsewhere (Azure Direct Line, Teams, SMS) only messages
     * are seen, and a quiet resident may still be reading.
     */
    watchesPresence(channelId: string): boolean;
}

/** The live conversation as the bot sees it on each resident message. */
export interface ResidentRelay {
    /**
     * The reference of the request whose live conversation a connector has in this chat, if any. Asked on each
     * resident message, so it also counts the resident as seen (see `seen`).
     */
    holding(channelId: string, conversationId: string): Promise<string | undefined>;
    /** Keeps a resident's message for the connector, in the request's live chat. */
    fromResident(reference: string, text: string): Promise<void>;
    /** Tells the connector, in the live chat, that crisis routes were shown to the resident (kind ids). */
    crisisShown(reference: string, kinds: readonly string[]): Promise<void>;
}

/** Where proactive messages go out: the adapters, built before the app (src/app.ts). */
export interface RelayAdapters {
    /** Bot Framework channels, with the bot's app id ('' when there is no authentication, as locally). */
    cloud?: { adapter: CloudAdapter; appId: string };
    /** The website chat on the self-hosted Direct Line endpoint. */
    directLine?: BotAdapter;
}

/** Who is told that a resident is still there: the website chat's endpoint, on each poll and open connection. */
export interface ResidentPresence {
    /**
     * The resident was seen in this conversation just now (a message, a poll, an open connection). Written to their
     * open requests at most once per SEEN_EVERY_MS; never throws and need not be awaited.
     */
    seen(channelId: string, conversationId: string): Promise<void>;
}

export interface LiveRelayParts {
    store: EscalationStore;
    optOuts: OptOutStore;
    wording: Wording;
    log: Logger;
    now: () => Date;
    /** How long a proactive send may take before it counts as not delivered; DELIVERY_TIMEOUT_MS (tests less). */
    deliveryTimeoutMs?: number;
    /** The adapters a connector's messages go out through; none, and nothing can be delivered. */
    adapters?: RelayAdapters;
}

/** A proactive send that took longer than DELIVERY_TIMEOUT_MS. */
class DeliveryTimeout extends Error {
    constructor() {
        super('The channel did not answer in time');
        this.name = 'DeliveryTimeout';
    }
}

/** The longest resident message kept for a connector (the bot's own limit on messages is lower). */
const MAX_KEPT = 4000;

/** Why a delivery failed, as RelayResult says it. */
type Undelivered = 'left' | 'not-delivered';

export class LiveRelay implements ConnectorRelay, ResidentRelay, ResidentPresence {
    private readonly adapters: RelayAdapters;
    /** When each conversation's presence was last written, by "channel conversation"; pruned as it grows. */
    private readonly lastWritten = new Map<string, number>();

    constructor(private readonly parts: LiveRelayParts) {
        this.adapters = parts.adapters ?? {};
    }

    async send(escalation: Escalation, from: Assignee, text: string): Promise<RelayResult> {
        const { store, wording, log } = this.parts;
        const reference = escalation.conversationReference;
        if (!reference || !(await this.reachable(escalation))) return 'unreachable';
        if (this.away(escalation)) return this.undelivered(escalation, from, text, 'left');
        let started = false;
        if (!escalation.relay) {
            started = await store.setRelay(escalation.reference, { id: from.id, name: from.name },
                this.audit(from.id, 'relay-started'));
            // Someone else may have started it a moment ago; then it is live all the same, with no second greeting.
            if (!started && !(await store.getByReference(escalation.reference))?.relay) return 'not-live';
        }
        // Outside a bot turn no language is set: the resident's, as the request recorded it.
        const said = wording.in(escalation.language?.code ?? 'en');
        // The website chat page names the connector above their words; every other channel has the name in the text.
        const page = escalation.channelId === DIRECT_LINE_CHANNEL_ID;
        const texts: Partial<Activity>[] = [
            ...(started ? [marked(said.text('relayStarted', { name: from.name }), page, 'started', from.name)] : []),
            marked(page ? text : said.text('relayMessage', { name: from.name, text }), page, 'message', from.name),
        ];
        const delivered = await this.deliver(reference, texts);
        if (delivered !== true) {
            // Nobody can hear the connector, so the bot must not stay silent on their behalf.
            if (started) await store.setRelay(escalation.reference, null, this.audit(from.id, 'relay-ended'));
            return this.undelivered(escalation, from, text, delivered);
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
        if (this.away(escalation)) return 'left';
        const said = wording.in(escalation.language?.code ?? 'en');
        const page = escalation.channelId === DIRECT_LINE_CHANNEL_ID;
        const told = await this.deliver(reference, [marked(said.text('relayEnded', { name: had.name }), page, 'ended',
            had.name)]);
        return told === true ? 'sent' : told;
    }

    async holding(channelId: string, conversationId: string): Promise<string | undefined> {
        void this.seen(channelId, conversationId);
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

    async seen(channelId: string, conversationId: string): Promise<void> {
        const key = `${channelId} ${conversationId}`;
        const now = this.parts.now().getTime();
        const last = this.lastWritten.get(key);
        if (last !== undefined && now - last < SEEN_EVERY_MS && now >= last) return;
        if (this.lastWritten.size >= 10_000) {
            for (const [k, at] of this.lastWritten) if (now - at >= SEEN_EVERY_MS) this.lastWritten.delete(k);
        }
        this.lastWritten.set(key, now);
        try {
            await this.parts.store.residentSeen(channelId, conversationId, new Date(now).toISOString());
        } catch (err) {
            // Presence is a help to connectors, never a reason for a resident's turn to fail.
            this.lastWritten.delete(key);
            this.parts.log.warn('relay.seen_failed', { channel: channelId, error: errorKind(err) });
        }
    }

    watchesPresence(channelId: string): boolean {
        return channelId === DIRECT_LINE_CHANNEL_ID && this.adapters.directLine !== undefined;
    }

    /**
     * On the built-in website chat, whether the resident's page has gone: it keeps itself seen while open, so a
     * last sighting older than RESIDENT_AWAY_MS means nobody would read the message. Unknown (a request stored before
     * presence was kept): not taken as gone. Other channels deliver to the resident's device (or a quiet page)
     * whether or not they are looking.
     */
    private away(escalation: Escalation): boolean {
        if (!this.watchesPresence(escalation.channelId) || !escalation.residentSeenAt) return false;
        return this.parts.now().getTime() - Date.parse(escalation.residentSeenAt) > RESIDENT_AWAY_MS;
    }

    /** A message that did not reach the resident: kept in the live chat marked so, and said so to the caller. */
    private async undelivered(escalation: Escalation, from: Assignee, text: string, why: Undelivered)
        : Promise<RelayResult> {
        await this.parts.store.appendChat(escalation.reference, this.line(from.id, 'message-not-delivered', text));
        this.parts.log.warn('relay.not_delivered', { escalation: escalation.id, channel: escalation.channelId, why });
        return why;
    }

    /** A resident who texted STOP gets nothing more, from the bot or a connector. */
    private async reachable(escalation: Escalation): Promise<boolean> {
        return escalation.channelId !== 'sms' || !(await this.parts.optOuts.isOptedOut(escalation.residentKey));
    }

    /**
     * Sends the texts proactively: true once the channel took every one (on the built-in Direct Line: stored in
     * the resident's conversation); else why not. A conversation that no longer exists means they left.
     */
    private async deliver(stored: Record<string, unknown>, texts: Partial<Activity>[]): Promise<true | Undelivered> {
        const reference = stored as Partial<ConversationReference>;
        // The adapters hand a failed turn to the bot's error handler, which swallows it: the failure is kept here.
        let failure: unknown;
        const logic = async (context: TurnContext) => {
            // Sending sets `from` to the bot; a connector's own message then gets their first name in it.
            context.onSendActivities(async (_ctx, activities, next) => {
                for (const activity of activities) {
                    const mark = liveChatMark(activity);
                    if (mark?.role === 'connector') activity.from = { ...activity.from!, name: mark.connector };
                }
                return next();
            });
            try {
                for (const text of texts) await context.sendActivity(text);
            } catch (err) {
                failure = err;
                throw err;
            }
        };
        const { cloud, directLine } = this.adapters;
        let timer: NodeJS.Timeout | undefined;
        let sending: Promise<void>;
        if (reference.channelId === DIRECT_LINE_CHANNEL_ID && directLine) {
            sending = directLine.continueConversation(reference, logic);
        } else if (cloud) {
            // Every other channel, and the website chat when Azure Direct Line carries it.
            sending = cloud.adapter.continueConversationAsync(cloud.appId, reference, logic);
        } else {
            return 'not-delivered';
        }
        try {
            await Promise.race([sending, new Promise<never>((_, reject) => {
                const ms = this.parts.deliveryTimeoutMs ?? DELIVERY_TIMEOUT_MS;
                timer = setTimeout(() => reject(new DeliveryTimeout()), ms);
            })]);
            if (failure !== undefined) throw failure;
            return true;
        } catch (err) {
            sending.catch(() => undefined);
            this.parts.log.warn('relay.delivery_failed', { channel: reference.channelId, error: errorKind(err) });
            return (err as Error)?.name === 'UnknownConversationError' ? 'left' : 'not-delivered';
        } finally {
            clearTimeout(timer);
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

/**
 * A message of the live chat: on the website chat page (`page`), with its LiveChatMark; elsewhere the text alone, as
 * Teams and SMS need nothing else (and Teams keeps channelData for itself).
 */
function marked(text: string, page: boolean, relay: LiveChatMark['relay'], name: string): Partial<Activity> {
    if (!page) return { type: 'message', text };
    const mark: LiveChatMark = { relay, connector: name, ...(relay === 'message' ? { role: 'connector' as const } : {}) };
    return { type: 'message', text, channelData: { signpost: mark } };
}
