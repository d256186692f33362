/**
 * Size limits every adapter enforces, so a bug that grows a document without bound fails loudly and at once rather
 * than months later at MongoDB's 16 MB document limit. The numbers keep the worst case of one escalation (creation
 * plus a full audit trail) well under that limit.
 */

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

export const STORE_LIMITS = Object.freeze({
    /** A conversation's or user's bot state, serialized. Real ones are a few kilobytes. */
    stateBytes: 1_048_576,
    /** A request for contact as created (its summary and the shared transcript), serialized. */
    escalationBytes: 1_048_576,
    /** One audit line: a note or a relayed message is at most 4,000 characters, up to 4 bytes each. */
    auditEntryBytes: 20_480,
    /** Audit lines kept per request: the oldest go first. */
    auditEntries: 500,
    /**
     * Live-chat lines kept per request (each at most auditEntryBytes), apart from the audit trail: the oldest go
     * first, and the workspace says how many went. 1 MB + (500 + 200) x 20 KB stays under MongoDB's 16 MB.
     */
    liveChatLines: 200,
    /**
     * Open requests read per contact detail when a new one comes in (oldest first). Each contact detail may make
     * only a few a day (SIGNPOST_REQUESTS_PER_CONTACT_PER_DAY), so more than this open at once is a flood.
     */
    openPerContact: 50,
    /** A request's plan and outcome: four sections of at most 4,000 characters, up to 4 bytes each, and its stamps. */
    planBytes: 81_920,
    /** A saved conversation reference (botbuilder's, without names or text). */
    conversationReferenceBytes: 65_536,
    /** Curators' audit lines kept per listing (src/storage/listingFeedbackStore.ts): the oldest go first. */
    curationAuditLines: 50,
});

/** UTF-8 size of a value serialized as JSON. */
export function jsonBytes(value: unknown): number {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/** Throws DocumentTooLargeError when `bytes` is over `limit`. */
export function checkSize(kind: string, bytes: number, limit: number): void {
    if (bytes > limit) throw new DocumentTooLargeError(kind, bytes, limit);
}
