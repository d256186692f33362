/**
 * The terminal as a channel: the same bot and dialogs, in-process. Buttons are shown as numbered options and a
 * typed number is sent as that option's text, as a resident would expect.
 */
import { randomUUID } from 'node:crypto';
import {
    ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse,
} from 'botbuilder';
import { CHOICES_AS_WORDS } from '../conversation/messages';
import { TERMINAL_CHANNEL_ID } from '../channelIds';

export class TerminalAdapter extends BotAdapter {
    private readonly conversationId = randomUUID();
    private options: string[] = [];

    constructor(private readonly write: (text: string) => void, private readonly botName = 'Signpost') {
        super();
    }

    /** Sends one line the resident typed to the bot, mapping "2" to the second option shown, if any. */
    async send(line: string, logic: (context: TurnContext) => Promise<void>): Promise<void> {
        const n = /^\s*(\d{1,2})\s*$/.exec(line);
        const text = n && this.options[Number(n[1]) - 1] !== undefined ? this.options[Number(n[1]) - 1] : line;
        this.options = [];
        await this.run(this.activity({ type: ActivityTypes.Message, text }), logic);
    }

    /** Starts the conversation as web chat does: the resident joins, the bot says hello. */
    async join(logic: (context: TurnContext) => Promise<void>): Promise<void> {
        await this.run(this.activity({
            type: ActivityTypes.ConversationUpdate,
            membersAdded: [{ id: 'resident', name: 'resident' }],
        }), logic);
    }

    override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
        for (const a of activities) {
            if (a.type === 'delay') {
                await new Promise((r) => setTimeout(r, Math.min(Number(a.value) || 0, 2000)));
                continue;
            }
            if (a.type !== ActivityTypes.Message) continue;
            if (a.text) this.write(`\n${this.botName}: ${a.text.replace(/\n/g, '\n  ')}\n`);
            const actions = a.suggestedActions?.actions ?? [];
            if (actions.length) {
                const labels = actions.map((x) => String(x.value ?? x.title));
                const asWords = Boolean((a.channelData as Record<string, unknown> | undefined)?.[CHOICES_AS_WORDS]);
                if (asWords) {
                    this.write(`  (${labels.join(' / ')})\n`);
                } else {
                    this.options = labels;
                    this.write(labels.map((l, i) => `  ${i + 1}. ${l}`).join('\n') + '\n');
                }
            }
        }
        return activities.map(() => ({ id: randomUUID() }));
    }

    override async updateActivity(): Promise<void> {
        throw new Error('The terminal cannot change a message already shown.');
    }

    override async deleteActivity(): Promise<void> {
        throw new Error('The terminal cannot delete a message already shown.');
    }

    override async continueConversation(
        reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>,
    ): Promise<void> {
        const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event }, reference, true);
        await this.run(activity, logic);
    }

    private activity(partial: Partial<Activity>): Partial<Activity> {
        return {
            ...partial,
            id: randomUUID(),
            channelId: TERMINAL_CHANNEL_ID,
            from: { id: 'resident', name: 'resident' },
            recipient: { id: 'signpost', name: this.botName },
            conversation: { id: this.conversationId, isGroup: false, conversationType: 'personal', name: '' },
            serviceUrl: 'terminal:',
            timestamp: new Date(),
            locale: 'en-GB',
        };
    }

    private async run(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
        const context = new TurnContext(this, activity);
        await this.runMiddleware(context, logic);
    }
}
