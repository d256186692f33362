/**
 * One renderer per channel: dialogs send neutral messages (plain text, buttons as suggested actions, and what they
 * show as data under channelData.signpost); a renderer turns them into what its channel shows best. Adding a
 * channel means adding a renderer and listing it in channels/index.ts.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { CHOICES_AS_WORDS, SIGNPOST_CONTENT } from '../conversation/messages';
import type { Wording } from '../knowledge/wording';

/** What every renderer may need. */
export interface RendererSettings {
    wording: Wording;
    serviceName: string;
    stateDays: number;
}

export interface ChannelRenderer {
    /** The channelIds this renderer serves. */
    readonly channelIds: readonly string[];
    /** The neutral activities of one send, in this channel's form (may be more or fewer of them). */
    render(activities: Partial<Activity>[], context: TurnContext): Promise<Partial<Activity>[]>;
    /**
     * True when this channel shows a short line and the message after it well as one message: they are sent as one
     * (joinedReplies.ts), one HTTP call fewer.
     */
    readonly joinsReplies?: boolean;
    /** Runs before the dialogs on this channel. False: the renderer answered the message itself. */
    receive?(context: TurnContext): Promise<boolean>;
}

/** The buttons of a message, as the text each one sends back. */
export function buttonLabels(activity: Partial<Activity>): string[] {
    return (activity.suggestedActions?.actions ?? []).map((a) => String(a.value ?? a.title));
}

/** The message's channelData without what dialogs said to renderers (the client has no use for it). */
export function channelDataForClient(activity: Partial<Activity>): Record<string, unknown> | undefined {
    const data = activity.channelData as Record<string, unknown> | undefined;
    if (!data) return undefined;
    const rest = { ...data };
    delete rest[SIGNPOST_CONTENT];
    delete rest[CHOICES_AS_WORDS];
    return Object.keys(rest).length ? rest : undefined;
}
