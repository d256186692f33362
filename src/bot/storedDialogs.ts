/**
 * Conversations stored by an earlier release, read by this one: a resident may be mid-question when a release is
 * deployed. The dialog stack they left names dialogs by id and waterfall steps by number; a release that renamed a
 * dialog, or added or moved a step, would throw on the id or resume at a step that now means something else. So the
 * stored state carries a version stamp, and each version's dialogs are recorded (dialogShapes.json): before the
 * dialogs run, a stack from another version carries on only when every dialog on it, and every step of every
 * waterfall on it, is the same in this release; otherwise it is cleared and the resident is told, kindly.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { WaterfallDialog, type Dialog, type DialogInstance, type DialogState } from 'botbuilder-dialogs';
import { upgradeProfile, type ResidentProfile } from '../conversation/profile';
import recorded from './dialogShapes.json';

/**
 * The version of the stored dialog state this release writes. Bump it, and record the new shape under it in
 * dialogShapes.json, whenever a dialog id, a prompt's kind or a waterfall's steps change (docs/architecture.md);
 * test/bot/storedDialogs.test.ts fails until both are done.
 */
export const DIALOG_STATE_VERSION = 6;

/** The conversation-state property with the version of the dialog state stored beside it. */
export const DIALOG_VERSION_PROPERTY = 'dialogVersion';

/** State stored before there was a stamp (release f9dc32b and before) is read as this version. */
export const UNSTAMPED_VERSION = 1;

/**
 * What stored dialog state depends on, per dialog (by its path of ids from the root): a waterfall's step names in
 * order, or any other dialog's class (a TextPrompt keeps other state than a ChoicePrompt).
 */
export type DialogShape = Record<string, string | string[]>;

/** Every dialog's shape under these roots (the dialogs a DialogSet holds). */
export function dialogShape(roots: readonly Dialog[]): DialogShape {
    const shape: DialogShape = {};
    const visit = (dialog: Dialog, path: string): void => {
        if (dialog instanceof WaterfallDialog) {
            const steps = (dialog as unknown as { steps: { name: string }[] }).steps;
            shape[path] = steps.map((s, i) => s.name.replace(/^bound /, '') || `step ${i}`);
            return;
        }
        shape[path] = dialog.constructor.name;
        const inner = (dialog as { dialogs?: { getDialogs?: () => Dialog[] } }).dialogs?.getDialogs?.() ?? [];
        for (const child of inner) visit(child, `${path}/${child.id}`);
    };
    for (const root of roots) visit(root, root.id);
    return shape;
}

/** The recorded shape of a version's dialogs, if that version is known to this release. */
export function recordedShape(version: number): DialogShape | undefined {
    const shape = (recorded as unknown as Record<string, unknown>)[String(version)];
    return shape && typeof shape === 'object' ? shape as DialogShape : undefined;
}

/**
 * Whether a stack stored by a release whose dialogs had the shape `stored` can be continued by dialogs of the shape
 * `current`: every dialog on it (inside component dialogs too) exists here with the same class, every waterfall on it
 * has its stored steps as its first steps (steps may be added at the end, never inserted, removed or renamed), and
 * every waterfall's step index is one of its stored steps.
 */
export function stackFits(stack: readonly DialogInstance[] | undefined, stored: DialogShape, current: DialogShape,
    parent = ''): boolean {
    return (stack ?? []).every((entry) => {
        if (!entry || typeof entry.id !== 'string') return false;
        const path = parent ? `${parent}/${entry.id}` : entry.id;
        const now = current[path];
        const then = stored[path];
        if (now === undefined || then === undefined) return false;
        const state = (entry.state ?? {}) as { stepIndex?: unknown; dialogs?: DialogState };
        if (Array.isArray(now)) {
            // A waterfall fits when its stored steps are the first steps here, in order (steps added at the end
            // leave every stored index meaning what it meant), and the index is one of the stored steps.
            if (!Array.isArray(then) || then.length > now.length) return false;
            if (then.some((name, k) => now[k] !== name)) return false;
            const i = state.stepIndex;
            if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= then.length) return false;
        } else if (then !== now) {
            return false;
        }
        return stackFits(state.dialogs?.dialogStack, stored, current, path);
    });
}

/** What the check did to a turn's stored state. */
export type StoredDialogsOutcome = 'current' | 'carriedOn' | 'restarted';

/**
 * Checks and upgrades the stored state at the start of a message turn, before any dialog runs: a stack from
 * another version is kept when it fits this release and cleared when it does not; an old profile is upgraded;
 * the stamp is set. `restarted` means a question the resident was at was lost, and they should be told.
 */
export class StoredDialogs {
    private readonly current: DialogShape;
    /** Each container dialog (one with child dialogs) by its path, for botbuilder's own version of it. */
    private readonly containers = new Map<string, { getVersion(): string }>();

    constructor(private readonly accessors: {
        version: StatePropertyAccessor<number>;
        dialogState: StatePropertyAccessor<DialogState>;
        profile: StatePropertyAccessor<ResidentProfile>;
    }, roots: readonly Dialog[]) {
        this.current = dialogShape(roots);
        const visit = (dialog: Dialog, path: string): void => {
            const inner = (dialog as { dialogs?: { getDialogs?: () => Dialog[]; getVersion(): string } }).dialogs;
            if (dialog instanceof WaterfallDialog || !inner?.getDialogs) return;
            this.containers.set(path, inner);
            for (const child of inner.getDialogs()) visit(child, `${path}/${child.id}`);
        };
        for (const root of roots) visit(root, root.id);
    }

    async check(context: TurnContext): Promise<StoredDialogsOutcome> {
        const { version, dialogState, profile } = this.accessors;
        const stamped = await version.get(context);
        if (stamped === DIALOG_STATE_VERSION) return 'current';
        const from = typeof stamped === 'number' ? stamped : UNSTAMPED_VERSION;
        const kept = await profile.get(context);
        if (kept !== undefined) await profile.set(context, upgradeProfile(kept));
        await version.set(context, DIALOG_STATE_VERSION);
        const stack = (await dialogState.get(context))?.dialogStack;
        if (!stack?.length) return 'carriedOn';
        const stored = recordedShape(from);
        if (stored && stackFits(stack, stored, this.current)) {
            // botbuilder keeps its own version of each component on the stack (a hash of every child's id and step
            // count) and raises "versionChanged" when any child differs, even one that is not on the stack (a
            // dialog added beside it). The stack was checked finer than that just now: it is this release's.
            this.restamp(stack, '');
            return 'carriedOn';
        }
        await dialogState.set(context, { dialogStack: [] });
        return 'restarted';
    }

    /** Sets botbuilder's version of every component on a fitting stack to this release's. */
    private restamp(stack: DialogInstance[], parent: string): void {
        for (const entry of stack) {
            const path = parent ? `${parent}/${entry.id}` : entry.id;
            const container = this.containers.get(path);
            if (container && entry.version !== undefined) entry.version = container.getVersion();
            const inner = (entry.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack;
            if (inner) this.restamp(inner, path);
        }
    }
}
