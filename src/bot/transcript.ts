/**
 * The running transcript of a conversation: the resident's messages and the bot's replies, kept in conversation
 * state (so it is deleted with it: "delete my data" and the retention sweep) and capped. It is shared with a
 * connector only when the resident agrees. Its text is never logged.
 */
import {
    ActivityTypes, type ConversationState, type Middleware, type StatePropertyAccessor, type TurnContext,
} from 'botbuilder';
import type { TranscriptEntry } from '../storage/escalationRecord';
import { capTranscript } from '../handoff/transcript';
import { TRANSCRIPT_PROPERTY } from '../conversation/turnState';

/** The transcript property of a conversation state. */
export function transcriptProperty(state: ConversationState): StatePropertyAccessor<TranscriptEntry[]> {
    return state.createProperty<TranscriptEntry[]>(TRANSCRIPT_PROPERTY);
}

/**
 * Records this turn's message from the resident and every reply the bot sends (as the dialogs wrote it, before a
 * channel renders it). Call at the start of a turn, before anything is sent.
 */
export async function recordTranscript(context: TurnContext, property: StatePropertyAccessor<TranscriptEntry[]>,
    now: () => Date): Promise<void> {
    const add = async (from: TranscriptEntry['from'], texts: string[]) => {
        if (!texts.length) return;
        const entries = await property.get(context, []);
        // Times only go forward, one millisecond at least between entries, so "before" and "after" a moment in
        // the conversation (the hand-off keeps the time of the last entry when it began) never tie.
        const last = entries.length ? Date.parse(entries[entries.length - 1].at) : Number.NaN;
        const start = Math.max(now().getTime(), Number.isNaN(last) ? 0 : last + 1);
        await property.set(context, capTranscript([...entries,
            ...texts.map((text, i) => ({ at: new Date(start + i).toISOString(), from, text }))]));
    };
    context.onSendActivities(async (_ctx, activities, next) => {
        try {
            await add('bot', activities
                .filter((a) => (a.type ?? ActivityTypes.Message) === ActivityTypes.Message
                    && typeof a.text === 'string')
                .map((a) => (a.text as string).trim())
                .filter((t) => t.length > 0));
        } catch {
            // The state could not be loaded (the turn is failing for it): a reply, crisis routes above all, must
            // still go out. onTurnError logs the failure.
        }
        return next();
    });
    const { type, text } = context.activity;
    if (type === ActivityTypes.Message && text?.trim()) await add('resident', [text.trim()]);
}

/**
 * Turn middleware: records the turn's message and every reply in the running transcript (recordTranscript), before
 * anything is sent. The transcript lives in conversation state, so it is saved, or deleted, with it at the turn's end.
 */
export class TranscriptRecorder implements Middleware {
    constructor(private readonly property: StatePropertyAccessor<TranscriptEntry[]>,
        private readonly now: () => Date = () => new Date()) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        await recordTranscript(context, this.property, this.now);
        await next();
    }
}
