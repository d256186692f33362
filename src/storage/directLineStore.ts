/** The self-hosted Direct Line endpoint's port: the website chat's conversations and their activities. */

/** Thrown when an activity is appended to a Direct Line conversation that does not exist. */
export class UnknownConversationError extends Error {
    constructor() {
        super('No such Direct Line conversation');
        this.name = 'UnknownConversationError';
    }
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
     * Replaces the words of one activity with `text` (a number or address the resident typed, used once to send
     * their list and not kept). False when there is no such activity.
     */
    redact(conversationId: string, seq: number, text: string): Promise<boolean>;
    /**
     * Counts one request against the conversation's allowance of `max` per `windowMs`. `retryAfterMs` is 0 when
     * the request is allowed, else how long until the window resets.
     */
    hit(conversationId: string, nowMs: number, windowMs: number, max: number): Promise<{ retryAfterMs: number }>;
}
