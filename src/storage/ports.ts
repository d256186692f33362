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

/** Everything the product keeps, behind one handle that can be closed. */
export interface Stores {
    kind: 'embedded' | 'mongodb';
    state: StateStore;
    escalations: EscalationStore;
    /** Removes conversation state older than the given number of days. Returns how many documents went. */
    sweep(stateDays: number, now?: Date): Promise<number>;
    close(): Promise<void>;
}
