/**
 * Chooses each turn's renderer by channelId and registers it on the turn. Channels without a renderer (tests, a
 * channel not yet supported) get the neutral messages, which read well on their own.
 */
import type { ScheduledMessageStore } from '../storage/scheduledMessageStore';
import type { Activity, ConversationState, TurnContext } from 'botbuilder';
import type { ChannelPolicy } from '../conversation/channelPolicy';
import { errorKind, type Logger } from '../log';
import type { OptOutStore } from '../storage/optOutStore';
import { joinReplies, sendHeld } from './joinedReplies';
import { contentOf } from '../conversation/messages';
import type { ChannelRenderer, RendererSettings } from './renderer';
import { SmsRenderer } from './smsRenderer';
import { TeamsRenderer } from './teamsRenderer';
import { TerminalRenderer } from './terminalRenderer';
import { WebChatRenderer } from './webchatRenderer';

export interface ChannelDeps extends RendererSettings {
    conversationState: ConversationState;
    optOuts: OptOutStore;
    /** Reminders and check-ins: STOP cancels the resident's (issue 22). */
    scheduled?: Pick<ScheduledMessageStore, 'cancelForResident'>;
    log: Logger;
    now: () => Date;
}

/** Every renderer Signpost has, one per channel. */
export function createRenderers(deps: ChannelDeps): ChannelRenderer[] {
    return [new TerminalRenderer(), new WebChatRenderer(deps), new TeamsRenderer(deps), new SmsRenderer(deps)];
}

/** turnState key: a rendered line held back to go on top of the turn's next message (joinedReplies.ts). */
const HELD_LINE = Symbol('signpost.heldLine');
/** turnState flag: crisis routes went out this turn; nothing after them is joined or held. */
const CRISIS_SENT = Symbol('signpost.crisisSent');
/**
 * turnState flag: the turn's end has come (ChannelGate ran `end`); what is sent after it (the error handler's
 * "something went wrong, say it again") goes out at once, as nothing would send a line held then.
 */
const TURN_ENDED = Symbol('signpost.turnEnded');

/**
 * The bot's per-channel policy: the renderer for the turn's channel, and its keywords before the dialogs. On
 * channels whose renderer joins replies, lines a resident reads as one message go as one (joinedReplies.ts).
 */
export function createChannelPolicy(deps: ChannelDeps): ChannelPolicy {
    const byChannel = new Map<string, ChannelRenderer>();
    for (const renderer of createRenderers(deps)) {
        for (const id of renderer.channelIds) byChannel.set(id, renderer);
    }
    return {
        async begin(context: TurnContext): Promise<boolean> {
            const renderer = byChannel.get(context.activity.channelId);
            if (!renderer) return true;
            context.onSendActivities(async (ctx, activities, next) => {
                let rendered: Partial<Activity>[] = [];
                // The rendered results, which a line may go on top of (joinedReplies.ts).
                const cardsTakeALine = new Set<object>();
                if (activities.some((a) => contentOf(a)?.kind === 'crisis')) ctx.turnState.set(CRISIS_SENT, true);
                try {
                    if (renderer.joinsReplies) {
                        // One at a time, to know which rendered message shows results.
                        for (const activity of activities) {
                            const out = await renderer.render([activity], ctx);
                            if (contentOf(activity)?.kind === 'results') out.forEach((o) => cardsTakeALine.add(o));
                            rendered.push(...out);
                        }
                    } else {
                        rendered = await renderer.render([...activities], ctx);
                    }
                } catch (err) {
                    // A fault in a renderer must not silence the bot: the neutral messages still read well.
                    deps.log.error('render.failed', { channel: ctx.activity.channelId, error: errorKind(err) });
                    rendered = [...activities];
                }
                if (renderer.joinsReplies) {
                    const joined = joinReplies(ctx.turnState.get(HELD_LINE), rendered, {
                        cardsTakeALine, hold: !ctx.turnState.get(CRISIS_SENT) && !ctx.turnState.get(TURN_ENDED),
                    });
                    ctx.turnState.set(HELD_LINE, joined.held);
                    rendered = joined.send;
                    // All held back: nothing goes out yet, so nothing below is called (no empty POST). The turn has
                    // still said something (it goes out at the end), as botbuilder's prompts must know: they re-ask
                    // their question only when nothing was said, the same on every channel.
                    if (!rendered.length) {
                        ctx.responded = true;
                        return [];
                    }
                }
                activities.splice(0, activities.length, ...rendered);
                return next();
            });
            return renderer.receive ? renderer.receive(context) : true;
        },
        async end(context: TurnContext): Promise<void> {
            context.turnState.set(TURN_ENDED, true);
            const held = context.turnState.get(HELD_LINE) as Partial<Activity> | undefined;
            if (!held) return;
            context.turnState.delete(HELD_LINE);
            await sendHeld(context, held);
        },
    };
}
