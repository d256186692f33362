/**
 * The turn's one dialog context, made when first asked for and kept on the turn, so the turn middleware that needs
 * to know where the resident is (the crisis guard, the language line) and the bot's dialogs share it.
 */
import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogInstance, DialogSet, DialogState } from 'botbuilder-dialogs';

/** turnState key: this turn's dialog context. */
const DIALOG_CONTEXT = 'signpost.dialogContext';

/** Makes the turn's dialog context once (a state read), then hands out the same one. */
export class TurnDialogs {
    constructor(private readonly dialogs: DialogSet) {}

    async of(context: TurnContext): Promise<DialogContext> {
        const made = context.turnState.get(DIALOG_CONTEXT) as DialogContext | undefined;
        if (made) return made;
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
