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

/**
 * The JSON of a document (without its eTag) that its reader or writer already has, so that no layer makes it
 * again: a turn's state would otherwise be serialised five or six times (botbuilder's change hash on load and twice
 * on save, the resilient cache on read and write, the store itself). Each entry is short-lived by rule: a store
 * notes what it parsed a document from as it returns it (`noteReadJson`), and its reader takes it before handing
 * the object to anyone who may change it (`takeReadJson`); a writer notes the JSON it made just before a write
 * (`noteJsonToWrite`) and clears it once the write is over, so a stale JSON is never written for a changed object.
 */
const READ_JSON = new WeakMap<object, string>();
const WRITE_JSON = new WeakMap<object, string>();

/** A store notes the JSON it parsed this document from (without its eTag). */
export function noteReadJson(item: object, json: string): void {
    READ_JSON.set(item, json);
}

/** The JSON this just-read document was parsed from, if its store noted it; a reader takes it only once. */
export function readJson(item: object): string | undefined {
    return READ_JSON.get(item);
}

/** Forgets the read JSON: the document is about to be handed to code that may change it. */
export function takeReadJson(item: object): string | undefined {
    const json = READ_JSON.get(item);
    READ_JSON.delete(item);
    return json;
}

/** The writer says: this is the document's JSON (without its eTag) for the write about to be made. */
export function noteJsonToWrite(item: object, json: string | undefined): void {
    if (json === undefined) WRITE_JSON.delete(item);
    else WRITE_JSON.set(item, json);
}

/** The JSON its writer made for this document's write, if any: a store writes it as it is. */
export function jsonToWrite(item: object): string | undefined {
    return WRITE_JSON.get(item);
}
