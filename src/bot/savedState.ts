/**
 * Conversation state serialised once per save. botbuilder's BotState decides whether a turn changed its state by a
 * SHA-256 of the whole state as JSON, made on load, again before a save and once more after it: three
 * serialisations and three hashes of a few kilobytes on every turn, on top of the stores' own. This class makes the
 * same decision with the JSON itself: on load it keeps the JSON the store parsed the document from (or makes it
 * once), and on save it makes the JSON once, compares it and, when it changed, hands that same JSON to the store to
 * keep (stateStore.ts `noteJsonToWrite`). What is written, when, and with which eTag ('*', which the optimistic
 * store turns into the eTag read) is what BotState does; so are clear, delete and get.
 */
import { ConversationState, type TurnContext } from 'botbuilder';
import {
    noteJsonToWrite, takeReadJson, type StateStore, type StoreItem,
} from '../storage/stateStore';

/** The turn's copy of the state and the JSON it was last read or written as. */
interface Cached {
    state: StoreItem;
    json: string;
}

/** The JSON of a state document without its eTag: what the stores keep and what a change is judged by. */
function jsonOf(state: StoreItem): string {
    const { eTag: _eTag, ...rest } = state;
    return JSON.stringify(rest);
}

/** ConversationState with one serialisation per save; see the file's comment. */
export class SavedConversationState extends ConversationState {
    private readonly cacheKey = Symbol('signpost.conversationState');

    constructor(private readonly store: StateStore, namespace = '') {
        super(store, namespace);
    }

    override async load(context: TurnContext, force = false): Promise<StoreItem> {
        const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (cached && !force) return cached.state;
        const key = await this.storageKey(context);
        const items = await this.store.read([key]);
        const state = items[key] ?? {};
        // Taken before the object is handed to the dialogs, who change it.
        const json = takeReadJson(state) ?? jsonOf(state);
        context.turnState.set(this.cacheKey, { state, json } satisfies Cached);
        return state;
    }

    override async saveChanges(context: TurnContext, force = false): Promise<void> {
        let cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        if (!cached && !force) return;
        cached ??= { state: {}, json: '' };
        const json = jsonOf(cached.state);
        if (!force && json === cached.json) return;
        const key = await this.storageKey(context);
        cached.state.eTag = '*';
        noteJsonToWrite(cached.state, json);
        try {
            await this.store.write({ [key]: cached.state });
        } finally {
            noteJsonToWrite(cached.state, undefined);
        }
        cached.json = json;
        context.turnState.set(this.cacheKey, cached);
    }

    override async clear(context: TurnContext): Promise<void> {
        // An empty JSON never matches a document's, so the cleared state is saved.
        context.turnState.set(this.cacheKey, { state: {}, json: '' } satisfies Cached);
    }

    override async delete(context: TurnContext): Promise<void> {
        context.turnState.delete(this.cacheKey);
        const key = await this.storageKey(context);
        await this.store.delete([key]);
    }

    override get(context: TurnContext): StoreItem | undefined {
        const cached = context.turnState.get(this.cacheKey) as Cached | undefined;
        return typeof cached === 'object' && typeof cached.state === 'object' ? cached.state : undefined;
    }
}
