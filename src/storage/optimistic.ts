/**
 * Optimistic concurrency for bot state. botbuilder's BotState.saveChanges always writes with eTag '*' (the last
 * writer wins, silently), so two turns of one conversation on two instances would lose one turn's changes without a
 * word. This decorator remembers each document it hands out on a read and the eTag it was read with; when that same
 * object comes back to be written with '*', the write is made conditional on that eTag instead. The store then
 * refuses the stale one with ETagConflictError, and onTurnError tells that resident kindly to say it again.
 *
 * A conversation's first write has nothing read before it and stays unconditional (two first messages at the same
 * instant: the later one wins). Once a document is written its stored eTag changes, so a second save of the same
 * object in the same turn overwrites (the turn already won its race).
 */
import { jsonToWrite, noteJsonToWrite, type StateStore, type StoreItems } from './stateStore';

export class OptimisticStateStore implements StateStore {
    private readonly readWith = new WeakMap<object, string>();

    constructor(private readonly inner: StateStore) {}

    async read(keys: string[]): Promise<StoreItems> {
        const items = await this.inner.read(keys);
        for (const item of Object.values(items)) {
            if (typeof item.eTag === 'string' && item.eTag !== '*') this.readWith.set(item, item.eTag);
        }
        return items;
    }

    async write(changes: StoreItems): Promise<void> {
        const conditional: StoreItems = {};
        const copies: object[] = [];
        for (const [key, item] of Object.entries(changes)) {
            const readWith = this.readWith.get(item);
            if (readWith !== undefined && (item.eTag === undefined || item.eTag === '*')) {
                const copy = { ...item, eTag: readWith };
                // The same contents: the JSON its writer made still stands for the copy.
                noteJsonToWrite(copy, jsonToWrite(item));
                copies.push(copy);
                conditional[key] = copy;
            } else {
                conditional[key] = item;
            }
        }
        try {
            await this.inner.write(conditional);
        } finally {
            for (const copy of copies) noteJsonToWrite(copy, undefined);
        }
        for (const item of Object.values(changes)) this.readWith.delete(item);
    }

    async delete(keys: string[]): Promise<void> {
        await this.inner.delete(keys);
    }
}
