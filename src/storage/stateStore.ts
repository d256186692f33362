/**
 * The state store port: bot conversation and user state. It has the same shape as botbuilder's `Storage` (read /
 * write / delete with eTag optimistic concurrency), so it plugs into ConversationState and UserState without this
 * folder importing botbuilder.
 */

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
