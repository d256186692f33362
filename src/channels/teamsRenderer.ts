/**
 * Microsoft Teams: results and details as Adaptive Cards 1.5 (each with its plain-text fallback); at most three
 * suggested actions, so longer lists of choices become card buttons. Teams reads text as markdown, where a single
 * line break is lost, so lines are made paragraphs.
 */
import type { Activity } from 'botbuilder';
import { choicesCard, withCards } from './cards';
import { buttonLabels, channelDataForClient, type ChannelRenderer, type RendererSettings } from './renderer';
import { TEAMS_CHANNEL_ID } from '../channelIds';
/** The most suggested actions Teams is given; more become card buttons. */
export const TEAMS_MAX_SUGGESTED_ACTIONS = 3;

export class TeamsRenderer implements ChannelRenderer {
    readonly joinsReplies = true;
    readonly channelIds = [TEAMS_CHANNEL_ID] as const;

    constructor(private readonly settings: RendererSettings) {}

    async render(activities: Partial<Activity>[]): Promise<Partial<Activity>[]> {
        return activities.map((a) => this.renderOne(a));
    }

    private renderOne(activity: Partial<Activity>): Partial<Activity> {
        if (activity.type !== 'message') return activity;
        const { wording } = this.settings;
        const out = withCards(activity, wording, 'teams', channelDataForClient(activity));
        const labels = buttonLabels(activity);
        if (labels.length > TEAMS_MAX_SUGGESTED_ACTIONS) {
            out.suggestedActions = undefined;
            out.attachments = [...(out.attachments ?? []), choicesCard(activity.text ?? '', labels, 'teams')];
        }
        if (out.text) out.text = out.text.replace(/\n+/g, '\n\n');
        return out;
    }
}
