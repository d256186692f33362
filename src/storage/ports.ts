/**
 * Storage ports: what the product keeps, independent of the database. The state store has the same shape as
 * botbuilder's `Storage` (read / write / delete with eTag optimistic concurrency), so it plugs into
 * ConversationState and UserState without this folder importing botbuilder.
 */
import type {
    Assignee, AuditAction, AuditEntry, ContactMethod, Escalation, EscalationStatus, Outcome,
} from '../handoff/escalation';

/** A stored document. `eTag` is set by the store; '*' or absent on write means "overwrite whatever is there". */
export interface StoreItem {
    eTag?: string;
    [key: string]: unknown;
}

export type StoreItems = Record<string, StoreItem>;

/** Raised when a write carries an eTag that no longer matches the stored one (somebody wrote first). */
export class ETagConflictError extends Error {
    constructor(readonly key: string) {
        super(`Stale write rejected for a state document (eTag mismatch)`);
        this.name = 'ETagConflictError';
    }
}

/**
 * Raised when a document is larger than the store accepts (see storage/limits.ts). Nothing is written. Carries
 * what kind of document and its size, never its content.
 */
export class DocumentTooLargeError extends Error {
    constructor(readonly kind: string, readonly bytes: number, readonly limit: number) {
        super(`Refused to store a ${kind} of ${bytes} bytes (the limit is ${limit})`);
        this.name = 'DocumentTooLargeError';
    }
}

/** Thrown when an activity is appended to a Direct Line conversation that does not exist. */
export class UnknownConversationError extends Error {
    constructor() {
        super('No such Direct Line conversation');
        this.name = 'UnknownConversationError';
    }
}

/** Bot conversation and user state. */
export interface StateStore {
    read(keys: string[]): Promise<StoreItems>;
    write(changes: StoreItems): Promise<void>;
    delete(keys: string[]): Promise<void>;
}

/** The audit actions that are lines of a request's live chat, kept apart from its audit trail (see ChatPage). */
export const LIVE_CHAT_ACTIONS = ['message-sent', 'resident-message', 'crisis-routes-shown'] as const;
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

/** Requests for contact by a community connector, and their audit trail. */
export interface EscalationStore {
    /** Stores a new escalation durably; resolves only once it is safely written. */
    create(escalation: Escalation): Promise<void>;
    getByReference(reference: string): Promise<Escalation | undefined>;
    listForResident(residentKey: string): Promise<Escalation[]>;
    list(filter?: { status?: Escalation['status'] }): Promise<Escalation[]>;
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
     * Crisis routes were shown to the resident: makes an open request urgent, due at `audit.at` (or earlier, if it
     * was already due before then), with its audit line, in one atomic conditional update. Applies only to a request
     * that is not closed and not already urgent; false when it did not apply (so a second raise changes nothing).
     */
    raiseToUrgent(reference: string, audit: AuditEntry): Promise<boolean>;
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
     * (`repeats` + 1) and, when `urgent`, makes it urgent and due at `audit.at` (or earlier, if it was already due before then), with its audit
     * line, in one atomic conditional update. Applies only to a request that is not closed; the request as it now
     * is, or undefined when it did not apply.
     */
    mergeRepeat(reference: string, urgent: boolean, audit: AuditEntry): Promise<Escalation | undefined>;
    /** Keeps the id of the message that announced the request to connectors (a Teams card), to update it later. */
    setNoticeId(reference: string, noticeId: string): Promise<void>;
    /** The request whose live conversation a connector has in this channel's conversation, if any. */
    relayFor(channelId: string, conversationId: string): Promise<Escalation | undefined>;
}

/** An open request with a given contact detail, as the intake of a new one needs it (src/handoff/intake.ts). */
export interface OpenForContact {
    reference: string;
    residentKey: string;
    /** Its needs (ids), so a repeat's new needs can be told apart. */
    needs: string[];
    method: ContactMethod;
}

/** Who may do what in the workspace: connectors work the queue; leads also reassign and see reports. */
export const WORKSPACE_ROLES = ['connector', 'lead'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/**
 * A workspace account. `passwordHash` is absent for accounts that sign in through single sign-on (an identity
 * provider vouches for `email`); the session layer only ever needs the id.
 */
export interface WorkspaceUser {
    id: string;
    email: string;
    /** First name: what residents are told ("You are now talking with Sam"). */
    name: string;
    role: WorkspaceRole;
    passwordHash?: string;
    createdAt: string;
}

/** Workspace accounts. Emails are stored lower-case and are unique. */
export interface UserStore {
    /** False when an account with that email already exists (it is left as it was). */
    create(user: WorkspaceUser): Promise<boolean>;
    get(id: string): Promise<WorkspaceUser | undefined>;
    getByEmail(email: string): Promise<WorkspaceUser | undefined>;
    list(): Promise<WorkspaceUser[]>;
    setPasswordHash(id: string, hash: string): Promise<void>;
}

/** A key's count of attempts in its current window, and when that window closes (ms since the epoch). */
export interface AttemptCount {
    count: number;
    /** When the count goes back to 0; 0 when there is no open window. */
    resetAtMs: number;
}

/**
 * Counts attempts per key in a window, shared by every instance: failed workspace sign-ins per e-mail and per
 * address, requests for contact per contact detail and per address. Keys are keyed hashes made by the caller (never
 * an e-mail, number or address in clear). A window opens at a key's first attempt and lasts `windowMs`; an attempt
 * after it has closed opens a new one (count 1), so a count always ends. Windows are removed by the sweep once they
 * have closed.
 */
export interface AttemptStore {
    /**
     * Counts one attempt (one atomic step). When the count reaches `hold.at`, the window is held open until
     * `nowMs + hold.ms` (a lockout that lasts its full time from the attempt that caused it).
     */
    add(key: string, nowMs: number, windowMs: number, hold?: { at: number; ms: number }): Promise<AttemptCount>;
    /** The key's count now (0 when its window has closed). */
    get(key: string, nowMs: number): Promise<AttemptCount>;
    /** Forgets the key's count (a lead unlocked an account). True when there was one. */
    clear(key: string): Promise<boolean>;
}

/** A signed-in session. `id` is a hash of the cookie's token, so a copy of the store cannot sign anyone in. */
export interface WorkspaceSession {
    id: string;
    userId: string;
    /** The token every change must carry in its X-CSRF-Token header. */
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
}

/** Workspace sessions, kept in the store so any instance can serve any request. */
export interface SessionStore {
    create(session: WorkspaceSession): Promise<void>;
    /** The session if it exists and has not expired at `now`. */
    get(id: string, now: string): Promise<WorkspaceSession | undefined>;
    delete(id: string): Promise<void>;
}

/** A conversation on the self-hosted Direct Line endpoint (the website chat). */
export interface DirectLineConversation {
    id: string;
    /** The resident's id in the conversation, fixed by the token that opened it. */
    userId: string;
    createdAt: string;
}

/** One stored activity of a Direct Line conversation, with its place in the conversation (the watermark). */
export interface DirectLineEntry {
    seq: number;
    activity: Record<string, unknown>;
}

/**
 * The self-hosted Direct Line endpoint's conversations and their activities, kept durably so a resident's chat
 * survives a restart and any instance can serve the next request. Every method is one atomic operation.
 */
export interface DirectLineStore {
    /** Creates the conversation. False when one with that id already exists (it is left as it was). */
    createConversation(conversation: DirectLineConversation): Promise<boolean>;
    getConversation(id: string): Promise<DirectLineConversation | undefined>;
    /**
     * Appends an activity, giving it the next number in the conversation; `build` makes the activity from that
     * number (its id includes it). Throws when the conversation does not exist.
     */
    append(conversationId: string, build: (seq: number) => Record<string, unknown>): Promise<DirectLineEntry>;
    /** Activities numbered above `watermark`, oldest first, at most `limit` of them. */
    since(conversationId: string, watermark: number, limit: number): Promise<DirectLineEntry[]>;
    /** Forgets the conversation's activities numbered below `seq` (the resident asked to delete their data). */
    forgetBefore(conversationId: string, seq: number): Promise<number>;
    /**
     * Counts one request against the conversation's allowance of `max` per `windowMs`. `retryAfterMs` is 0 when
     * the request is allowed, else how long until the window resets.
     */
    hit(conversationId: string, nowMs: number, windowMs: number, max: number): Promise<{ retryAfterMs: number }>;
}

/** SMS numbers that texted STOP: nothing more is sent to them until they text START. Keyed by resident key. */
export interface OptOutStore {
    isOptedOut(residentKey: string): Promise<boolean>;
    /** Records opting out (true) or back in (false), and when. */
    record(residentKey: string, optedOut: boolean, at: string): Promise<void>;
}

/** One count of a need the bot found nothing for, in the week (Monday, UTC) it happened. */
export interface UnmetCount {
    /** The Monday that starts the week, YYYY-MM-DD (UTC). */
    week: string;
    needId: string;
    count: number;
}

/**
 * Anonymous service analytics for the lead report. Only counts per need per week are kept: no resident key,
 * conversation, text or exact time, so nothing here can point at a person.
 */
export interface AnalyticsStore {
    /** Counts one search that found nothing for these needs (each need once), in the week of `at`. */
    recordUnmet(needIds: readonly string[], at: string): Promise<void>;
    /** The counts for weeks starting on or after `fromWeek` (YYYY-MM-DD), oldest week first. */
    unmetSince(fromWeek: string): Promise<UnmetCount[]>;
}

/** The Monday (UTC) that starts the week of an ISO date-time, as YYYY-MM-DD: how reports group by week. */
export function weekStart(at: string | Date): string {
    const d = new Date(at);
    const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
    return day.toISOString().slice(0, 10);
}

/**
 * How long things are kept. `stateDays`: conversation state and website chats, after their last message.
 * `referralDays`: requests for contact, after they are closed (absent: closed requests are not swept).
 */
export interface Retention {
    stateDays: number;
    referralDays?: number;
}

/** What a store holds, as the migration copies it: one kind per table or collection. */
export const RECORD_KINDS = [
    'state', 'escalations', 'users', 'sessions', 'optOuts', 'unmetNeeds', 'chatConversations', 'chatActivities',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * Where each kind is kept: the same name for the embedded store's table and the MongoDB collection, so a data map
 * (docs/privacy.md) and a migration speak of one thing.
 */
export const RECORD_STORE_NAMES: Readonly<Record<RecordKind, string>> = Object.freeze({
    state: 'state',
    escalations: 'escalations',
    users: 'workspace_users',
    sessions: 'workspace_sessions',
    optOuts: 'sms_opt_outs',
    unmetNeeds: 'unmet_needs',
    chatConversations: 'dl_conversations',
    chatActivities: 'dl_activities',
});

/**
 * One stored thing in an adapter-neutral shape, for copying a whole store to another adapter. `id` is what makes
 * it unique, so importing the same record twice leaves one copy. Rate-limit windows are not copied: they last a
 * minute.
 */
export type StoreRecord =
    | { kind: 'state'; id: string; doc: { item: Record<string, unknown>; eTag: string; updatedAt: number } }
    | {
        kind: 'escalations'; id: string;
        /** `chat`: the kept live-chat lines, oldest first; `chatTotal`: how many were ever written. */
        doc: { escalation: Escalation; audit: AuditEntry[]; chat?: AuditEntry[]; chatTotal?: number };
    }
    | { kind: 'users'; id: string; doc: WorkspaceUser }
    | { kind: 'sessions'; id: string; doc: WorkspaceSession }
    | { kind: 'optOuts'; id: string; doc: { optedOut: boolean; at: string } }
    | { kind: 'unmetNeeds'; id: string; doc: UnmetCount }
    | { kind: 'chatConversations'; id: string; doc: DirectLineConversation & { lastSeq: number; updatedAt: number } }
    | {
        kind: 'chatActivities'; id: string;
        doc: { conversationId: string; seq: number; activity: Record<string, unknown> };
    };

/**
 * Moving a whole store to another adapter (`signpost store migrate`). Not for the bot: nothing a resident does
 * reaches it.
 */
export interface StoreMigration {
    /** Everything stored, kind by kind. */
    exportAll(): AsyncIterable<StoreRecord>;
    /** Writes records, replacing any with the same kind and id (so running twice gives the same result). */
    importRecords(records: readonly StoreRecord[]): Promise<void>;
    /** How many records of each kind are stored. */
    counts(): Promise<Record<RecordKind, number>>;
}

/** Everything the product keeps, behind one handle that can be closed. */
export interface Stores {
    kind: 'embedded' | 'mongodb';
    state: StateStore;
    escalations: EscalationStore;
    directLine: DirectLineStore;
    optOuts: OptOutStore;
    users: UserStore;
    sessions: SessionStore;
    /** Attempt counts for lockouts and limits; not copied by a migration (they last an hour or a day). */
    attempts: AttemptStore;
    analytics: AnalyticsStore;
    /** Copying the store to another adapter. */
    migration: StoreMigration;
    /**
     * Removes conversation state and website chats untouched for `stateDays`, expired workspace sessions, closed
     * attempt windows and, when `referralDays` is given, requests for contact closed that many days ago (with their
     * audit trail). A number is `stateDays` alone. Returns how many conversations, chats and requests went.
     */
    sweep(retention: number | Retention, now?: Date): Promise<number>;
    close(): Promise<void>;
}

/** The retention as an object, whichever way it was given. */
export function retentionOf(retention: number | Retention): Retention {
    return typeof retention === 'number' ? { stateDays: retention } : retention;
}
