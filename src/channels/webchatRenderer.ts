/**
 * Web chat (our page, Azure's Web Chat channel, Direct Line clients and the Emulator): buttons stay suggested
 * actions, results and details become Adaptive Cards with call buttons, and phone numbers in text become tel:
 * links. Web Chat reads text as markdown, so single line breaks are made hard breaks.
 */
import type { Activity } from 'botbuilder';
import { channelDataForClient } from './renderer';
import { withCards } from './cards';
import type { ChannelRenderer, RendererSettings } from './renderer';
import { linkPhones } from './text';
import { contentOf } from '../conversation/messages';

/** channelData key of a saved list the website chat page prints at once (src/server/public/chat.js). */
export const PRINT_LIST = 'printList';

export const WEBCHAT_CHANNEL_IDS = ['webchat', 'directline', 'emulator'] as const;

export class WebChatRenderer implements ChannelRenderer {
    readonly joinsReplies = true;
    readonly channelIds = WEBCHAT_CHANNEL_IDS;

    constructor(private readonly settings: RendererSettings) {}

    async render(activities: Partial<Activity>[]): Promise<Partial<Activity>[]> {
        return activities.map((a) => this.renderOne(a));
    }

    private renderOne(activity: Partial<Activity>): Partial<Activity> {
        if (activity.type !== 'message') return activity;
        const out = withCards(activity, this.settings.wording, 'webchat', channelDataForClient(activity));
        const content = contentOf(activity);
        if (content?.kind === 'savedList' && content.print) {
            // The page's print view of the list (chat.js): in the activity only, never in a URL.
            const { wording } = this.settings;
            out.channelData = { ...(out.channelData as object | undefined), [PRINT_LIST]: {
                title: content.title, items: content.items, labels: {
                    when: wording.text('labelWhen'), where: wording.text('labelWhere'),
                    contact: wording.text('labelContact'),
                },
            } };
        }
        if (out.text) out.text = markdownLines(linkPhones(out.text));
        return out;
    }
}

/** Single line breaks as markdown hard breaks (two spaces), so lines stay lines. */
function markdownLines(text: string): string {
    return text.replace(/([^\n])\n(?!\n)/g, '$1  \n');
}
