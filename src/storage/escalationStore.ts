/**
 * The escalation store port: requests for contact by a community connector, their audit trail and live chat. The
 * records it keeps are in escalationRecord.ts.
 */
import type {
    Assignee, AuditAction, AuditEntry, ContactMethod, Escalation, EscalationStatus, Outcome, SocialPrescribingPlan,
} from './escalationRecord';

/** The audit actions that are lines of a request's live chat, kept apart from its audit trail (see ChatPage). */
export const LIVE_CHAT_ACTIONS = [
    'message-sent', 'message-not-delivered', 'resident-message', 'crisis-routes-shown',
] as const;
export type LiveChatAction = (typeof LIVE_CHAT_ACTIONS)[number];

/** One line of a request's live chat: an audit-shaped line with its number, from 1, in the order it was kept. */
export interface ChatLine extends AuditEntry {
    n: number;
}

/**
 * Part of a request's live chat: the lines numbered above the one asked for, oldest first. `total` is how many lines
 * were ever written (the newest one's number); `dropped`, how many of the oldest are no longer kept
 * (STORE_LIMITS.liveChatLines are), so a connector can be told that earlier messages went.
 */
export interface ChatPage {
    lines: ChatLine[];
    total: number;
    dropped: number;
}

/** What deleting a resident's requests did: removed ones never reached a connector; kept ones already had. */
export interface ResidentRequestsDeletion {
    deleted: string[];
    kept: string[];
}

/**
 * A conditional change to an escalation's lifecycle. It applies only when the escalation is in one of `from` (and,
 * when `assignedTo` is given, is held by that user); the check and the change are one atomic operation, so two
 * connectors claiming at once cannot both win. The audit line is written with it.
 */
export interface EscalationChange {
    from: readonly EscalationStatus[];
    to: EscalationStatus;
    /** Precondition: the escalation is held by this user id. */
    assignedTo?: string;
    /** The new holder; null removes the holder; absent leaves it as it is. */
    assignee?: Assignee | null;
    outcome?: Outcome;
    /** Sets firstContactAt, unless it is already set. */
    firstContact?: boolean;
    audit: { at: string; actor: string; action: AuditAction; detail?: string };
}

/** What a change did: applied (with the escalation as it now is), or refused with the escalation as it is. */
export type ChangeResult =
    | { applied: true; escalation: Escalation }
    | { applied: false; current: Escalation | undefined };

/** What became of a plan save: saved, refused because someone else saved one since it was loaded, or no request. */
export type PlanSave = 'saved' | 'changed' | 'not-found';

/** Requests for contact by a community connector, and their audit trail. */
export interface EscalationStore {
    /** Stores a new escalation durably; resolves only once it is safely written. */
    create(escalation: Escalation): Promise<void>;
    getByReference(reference: string): Promise<Escalation | undefined>;
    listForResident(residentKey: string): Promise<Escalation[]>;
    list(filter?: { status?: Escalation['status'] }): Promise<Escalation[]>;
    /**
     * One page of the connectors' queue, filtered, ordered and cut by the store itself (an indexed query, never every
     * request loaded), with how many requests pass the filters in all. See QueueQuery for the order.
     */
    queuePage(query: QueueQuery): Promise<QueuePage>;
    /** Removes the resident's requests that no connector has picked up yet. */
    deleteUnactioned(residentKey: string): Promise<ResidentRequestsDeletion>;
    /** Applies a lifecycle change if its precondition holds (one atomic conditional update). */
    change(reference: string, change: EscalationChange): Promise<ChangeResult>;
    /** Adds a line to the audit trail (a note, a message sent) without changing the lifecycle. */
    appendAudit(reference: string, entry: AuditEntry): Promise<boolean>;
    /** The audit trail, oldest first. */
    auditTrail(reference: string): Promise<AuditEntry[]>;
    /**
     * Adds a line to the live chat (a connector's message, a resident's, crisis routes shown), numbering it and
     * dropping the oldest beyond STORE_LIMITS.liveChatLines, in one atomic step. False when there is no request.
     */
    appendChat(reference: string, line: AuditEntry & { action: LiveChatAction }): Promise<boolean>;
    /** The live chat's lines numbered above `after` (default 0: all that are kept); undefined: no such request. */
    chat(reference: string, after?: number): Promise<ChatPage | undefined>;
    /** Stores where the resident's conversation is, for proactive messages. */
    setConversationReference(reference: string, conversationReference: Record<string, unknown>): Promise<void>;
    /**
     * Gives the live conversation to a connector (`relay` set) or ends it (null), with its audit line, in one
     * atomic step. Starting applies only to a claimed or in-contact request that no one has live; ending only to
     * one that someone has. False when it did not apply.
     */
    setRelay(reference: string, relay: Assignee | null, audit: AuditEntry): Promise<boolean>;
    /**
     * Crisis routes were shown to the resident: makes an open request urgent, due at `dueBy` (or earlier, if it was
     * already due before then), with its audit line, in one atomic conditional update. Applies only to a request
     * that is not closed and not already urgent; false when it did not apply (so a second raise changes nothing).
     */
    raiseToUrgent(reference: string, dueBy: string, audit: AuditEntry): Promise<boolean>;
    /**
     * Moves a request's due time from `from` to `to`, with its audit line, in one atomic conditional update: only
     * when it is still due at `from` (so two instances doing it at once change it once). False when it did not apply.
     * For a change of rule applied to requests already stored (see rescheduleUrgent in the hand-off).
     */
    rescheduleDue(reference: string, from: string, to: string, audit: AuditEntry): Promise<boolean>;
    /**
     * The resident asked to delete their data and this request was kept (a connector has it): removes where their
     * chat is (the conversation reference) and ends any live chat, with its audit line, in one atomic update. The
     * contact details they agreed to share stay: they are what the request is for. False when there is no request.
     */
    forgetConversation(reference: string, audit: AuditEntry): Promise<boolean>;
    /**
     * The requests with this contact key (Escalation.contactKey) that are not closed, oldest first, at most
     * STORE_LIMITS.openPerContact: whose each is and what it holds, for deciding on a new request with that detail.
     */
    openForContact(contactKey: string): Promise<OpenForContact[]>;
    /**
     * The same resident asked again with the same contact detail: counts the repeat on this open request
     * (`repeats` + 1) and, when `urgentDueBy` is given, makes it urgent and due then (or earlier, if it was already
     * due before then), with its audit line, in one atomic conditional update. Applies only to a request that is not
     * closed; the request as it now is, or undefined when it did not apply.
     */
    mergeRepeat(reference: string, urgentDueBy: string | undefined, audit: AuditEntry): Promise<Escalation | undefined>;
    /** Keeps the id of the message that announced the request to connectors (a Teams card), to update it later. */
    setNoticeId(reference: string, noticeId: string): Promise<void>;
    /**
     * Saves the plan and outcome (replacing any before) with its audit line, in one atomic conditional write, only
     * over the plan the writer loaded: `basedOn` is that plan's `recordedAt` (null when it had none). Two connectors
     * (or a connector and a lead) editing the same plan must not silently overwrite each other's words: `changed`
     * when the plan is no longer the one loaded (nothing written, no audit line); `not-found` when no request has
     * that reference.
     */
    setPlan(reference: string, plan: SocialPrescribingPlan, audit: AuditEntry, basedOn: string | null):
        Promise<PlanSave>;
    /** The request whose live conversation a connector has in this channel's conversation, if any. */
    relayFor(channelId: string, conversationId: string): Promise<Escalation | undefined>;
    /**
     * The resident was seen at `at` in this channel's conversation (a message, a poll, an open connection): sets
     * residentSeenAt on every request from it that is not closed, unless it already holds a later time. How many
     * requests changed. Only a time is kept, so connectors know whether a live message can reach anyone.
     */
    residentSeen(channelId: string, conversationId: string, at: string): Promise<number>;
    /**
     * What connectors' pages are told of live (src/workspace/live.ts), so every instance can read it from the store
     * rather than from one another: requests made at or after `since` (ISO date-time), and requests whose resident
     * last wrote in the live chat at or after it (the newest such message per request), oldest first, at most
     * `limit`. An indexed query on two times, cheap enough to ask every few seconds.
     */
    liveChanges(since: string, limit: number): Promise<LiveChange[]>;
}

/**
 * A change the workspace announces as it happens: a new request, or a resident's message on one. Only a reference,
 * a kind and a time, which every signed-in connector may already see in the queue; the page fetches the rest.
 */
export interface LiveChange {
    kind: 'request' | 'message';
    reference: string;
    /** When it happened, as stored (the request's createdAt, the message's time). */
    at: string;
}

/**
 * A request's place in the queue at a given time: its group (0 urgent and overdue, 1 urgent, 2 overdue, 3 the rest;
 * "overdue" is open and past its due time), its due time, its id. The queue is in this order, a total one.
 */
export type QueuePlace = [group: number, dueBy: string, id: string];

/** What the connectors' queue asks the store for: its filters, when "overdue" is judged, and where a page starts. */
export interface QueueQuery {
    /** Only requests in one of these statuses (at least one). */
    statuses: readonly EscalationStatus[];
    priority?: Escalation['priority'];
    /** Only requests with at least one of these needs (ids); an empty list matches nothing. */
    needs?: readonly string[];
    /**
     * Only requests in one of these languages (Escalation.language codes; "en" also matches requests with no
     * language, made when Signpost spoke English only); an empty list matches nothing.
     */
    languages?: readonly string[];
    /** Only requests past (true) or within (false) their due time at `at`; a closed request is never overdue. */
    overdue?: boolean;
    /** Only requests held by this user id. */
    heldBy?: string;
    /** Only requests not held by this user id (held by someone else, or by nobody). */
    notHeldBy?: string;
    /** Only requests nobody holds. */
    unclaimed?: boolean;
    /** When "overdue" is judged (ISO date-time). */
    at: string;
    /** The page starts after this place (the last request of the page before). */
    after?: QueuePlace;
    /** At most this many requests. */
    limit: number;
}

/** A page of the queue, and how many requests pass its filters in all pages. */
export interface QueuePage {
    escalations: Escalation[];
    total: number;
}

/** An open request with a given contact detail, as the intake of a new one needs it (src/handoff/intake.ts). */
export interface OpenForContact {
    reference: string;
    residentKey: string;
    /** Its needs (ids), so a repeat's new needs can be told apart. */
    needs: string[];
    method: ContactMethod;
}
