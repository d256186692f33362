/**
 * The turn's one dialog context, made when first asked for and kept on the turn, so the turn middleware that needs
 * to know where the resident is (the crisis guard, the language line) and the bot's dialogs share it.
 *
 * botbuilder-dialogs builds a memory-state configuration (nine memory scopes, five path resolvers, checked against
 * zod schemas) for the first dialog context of every turn and keeps it for that turn only: some 0.2 ms of every turn.
 * Signpost uses no adaptive dialogs or memory paths, and those scopes and resolvers hold nothing of their own (they
 * read the turn and the dialog context they are given), so the configuration is made once and handed to every turn
 * under the key botbuilder looks for (DialogStateManager, botbuilder-dialogs 4.23). The bot test checks that it is
 * what botbuilder itself would make.
 */
import { TurnContext } from 'botbuilder';
import {
    DialogContext, DialogSet, type DialogInstance, type DialogState, type DialogStateManagerConfiguration,
} from 'botbuilder-dialogs';
import type { StoredDialogs, StoredDialogsOutcome } from './storedDialogs';

/** turnState key: this turn's dialog context. */
const DIALOG_CONTEXT = 'signpost.dialogContext';

/** turnState key: what the check of a stored stack did this turn. */
const STORED_OUTCOME = 'signpost.storedDialogs';

/** Whether this turn cleared a stack stored by another release (the resident is told once, by the bot). */
export function placeLost(context: TurnContext): boolean {
    return (context.turnState.get(STORED_OUTCOME) as StoredDialogsOutcome | undefined) === 'restarted';
}

/** The turnState key under which botbuilder-dialogs' DialogStateManager keeps (and looks for) its configuration. */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

let sharedConfiguration: DialogStateManagerConfiguration | undefined;

/** The configuration botbuilder makes for a turn, made once (on a throwaway turn) and kept. */
function stateManagerConfiguration(context: TurnContext): DialogStateManagerConfiguration {
    // A turn of its own, so nothing of this one is written while botbuilder makes it.
    sharedConfiguration ??= new DialogContext(new DialogSet(), new TurnContext(context.adapter, context.activity),
        { dialogStack: [] }).state.configuration;
    return sharedConfiguration;
}

/**
 * Makes the turn's dialog context once (a state read), then hands out the same one. A stack stored by another
 * release is checked first (storedDialogs.ts), so no dialog ever runs on a stack this release cannot continue.
 */
export class TurnDialogs {
    constructor(private readonly dialogs: DialogSet, private readonly stored?: StoredDialogs) {}

    async of(context: TurnContext): Promise<DialogContext> {
        const made = context.turnState.get(DIALOG_CONTEXT) as DialogContext | undefined;
        if (made) return made;
        if (this.stored) context.turnState.set(STORED_OUTCOME, await this.stored.check(context));
        if (!context.turnState.has(STATE_MANAGER_CONFIGURATION)) {
            context.turnState.set(STATE_MANAGER_CONFIGURATION, stateManagerConfiguration(context));
        }
        const dc = await this.dialogs.createContext(context);
        context.turnState.set(DIALOG_CONTEXT, dc);
        return dc;
    }
}

/** Whether a dialog is anywhere on the stack, inside component dialogs too (they keep theirs in state.dialogs). */
export function onStack(dc: DialogContext, id: string): boolean {
    const search = (stack: DialogInstance[] | undefined): boolean => (stack ?? []).some((d) =>
        d.id === id || search((d.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack));
    return search(dc.stack);
}

/** The message's text as the turn middleware reads it (trimmed); empty for any other activity. */
export function messageText(context: TurnContext): string {
    const { type, text } = context.activity;
    return type === 'message' ? (text ?? '').trim() : '';
}
