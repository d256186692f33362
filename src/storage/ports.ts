/**
 * Storage ports: what the product keeps, independent of the database. The state store has the same shape as
 * botbuilder's `Storage` (read / write / delete with eTag optimistic concurrency), so it plugs into
 * ConversationState and UserState without this folder importing botbuilder.
 */
import type { Escalation } from '../handoff/escalation';

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

/** Bot conversation and user state. */
export interface StateStore {
    read(keys: string[]): Promise<StoreItems>;
    write(changes: StoreItems): Promise<void>;
    delete(keys: string[]): Promise<void>;
}

/** What deleting a resident's requests did: removed ones never reached a connector; kept ones already had. */
export interface ResidentRequestsDeletion {
    deleted: string[];
    kept: string[];
}

/** Requests for contact by a community connector, and their audit trail. */
export interface EscalationStore {
    /** Stores a new escalation durably; resolves only once it is safely written. */
    create(escalation: Escalation): Promise<void>;
    getByReference(reference: string): Promise<Escalation | undefined>;
    listForResident(residentKey: string): Promise<Escalation[]>;
    list(filter?: { status?: Escalation['status'] }): Promise<Escalation[]>;
    /** Removes the resident's requests that no connector has picked up yet. */
    deleteUnactioned(residentKey: string): Promise<ResidentRequestsDeletion>;
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

/** Everything the product keeps, behind one handle that can be closed. */
export interface Stores {
    kind: 'embedded' | 'mongodb';
    state: StateStore;
    escalations: EscalationStore;
    directLine: DirectLineStore;
    optOuts: OptOutStore;
    /** Removes conversation state (and website chat transcripts) older than the given number of days. Returns how many documents went. */
    sweep(stateDays: number, now?: Date): Promise<number>;
    close(): Promise<void>;
}
