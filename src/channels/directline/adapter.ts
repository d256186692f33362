/**
 * The bot's side of the self-hosted Direct Line endpoint: runs turns in-process, through the same bot and
 * middleware as /api/messages, and stores every reply in the conversation, where the resident's page reads it.
 * No HTTP round trip and no Azure identity are involved, so it works the same with or without MicrosoftAppId.
 */
import {
    ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse,
} from 'botbuilder';
import type { DirectLineStore } from '../../storage/directLineStore';
import { DIRECT_LINE_CHANNEL_ID } from '../../channelIds';

/** An activity's id in a conversation: "conversationId|0000012", as Direct Line numbers them. */
export function activityId(conversationId: string, seq: number): string {
    return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/**
 * Built before the app and the endpoint (src/app.ts), so the relay can send through it from the start; the endpoint
 * listens for what it appends (`onAppended`) to push replies to open WebSockets.
 */
export class DirectLineAdapter extends BotAdapter {
    private readonly listeners: ((conversationId: string) => void)[] = [];

    /**
     * @param store where conversations and their activities live
     */
    constructor(
        private readonly store: DirectLineStore,
        private readonly now: () => Date = () => new Date(),
    ) {
        super();
    }

    /** `listener` is told after each stored reply (the endpoint, so open WebSockets get it at once). */
    onAppended(listener: (conversationId: string) => void): void {
        this.listeners.push(listener);
    }

    /** Runs one turn for an activity the resident's client sent (already stored as the conversation's echo). */
    async processActivity(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
        const context = new TurnContext(this, activity);
        await this.runMiddleware(context, logic);
    }

    override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
        const responses: ResourceResponse[] = [];
        for (const activity of activities) {
            if (activity.type === 'delay') {
                await new Promise((r) => setTimeout(r, Math.min(Number(activity.value) || 0, 2000)));
                responses.push({ id: '' });
                continue;
            }
            if (activity.type === ActivityTypes.Trace || activity.type === 'invokeResponse') {
                responses.push({ id: '' });
                continue;
            }
            const conversationId = activity.conversation?.id ?? context.activity.conversation.id;
            const timestamp = this.now().toISOString();
            const entry = await this.store.append(conversationId, (seq) => JSON.parse(JSON.stringify({
                ...activity,
                id: activityId(conversationId, seq),
                timestamp,
                channelId: DIRECT_LINE_CHANNEL_ID,
                from: { ...activity.from, role: 'bot' },
                recipient: activity.recipient ? { ...activity.recipient, role: 'user' } : undefined,
            })) as Record<string, unknown>);
            responses.push({ id: String(entry.activity.id) });
            for (const listener of this.listeners) listener(conversationId);
        }
        return responses;
    }

    override async updateActivity(): Promise<void> {
        throw new Error('The website chat cannot change a message already sent.');
    }

    override async deleteActivity(): Promise<void> {
        throw new Error('The website chat cannot delete a message already sent.');
    }

    /** Proactive messages (a connector writing back): the reply is stored and reaches the page like any other. */
    override async continueConversation(
        reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>,
    ): Promise<void> {
        const event = { type: ActivityTypes.Event, name: 'continueConversation' };
        const activity = TurnContext.applyConversationReference(event, reference, true);
        await this.processActivity(activity, logic);
    }
}
