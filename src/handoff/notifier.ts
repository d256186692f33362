/**
 * Telling connectors about requests outside the workspace. The one notifier so far posts each new request to a
 * connectors' Teams channel as an Adaptive Card (1.5) with a Claim button that works in Teams (teamsClaim.ts), and
 * updates that card as the request moves on. The card carries no contact details or words of the resident: a Teams channel is a wider room than the
 * workspace, so it shows only what a connector needs to decide to pick it up.
 */
import {
    CardFactory, type Attachment, type CloudAdapter, type ConversationReference, type TurnContext,
} from 'botbuilder';
import { errorKind, type Logger } from '../log';
import type { TeamsTarget } from '../config';
import type { EscalationStore } from '../storage/escalationStore';
import type { Escalation } from '../storage/escalationRecord';

/** Something that hears about new requests and their changes. It never throws: a notice is not worth a failure. */
export interface EscalationNotifier {
    created(escalation: Escalation): Promise<void>;
    /** The request changed (claimed, released, closed...): bring what connectors saw up to date. */
    changed(escalation: Escalation): Promise<void>;
}

/** The notifier when none is configured. */
export const NO_NOTIFIER: EscalationNotifier = { created: async () => undefined, changed: async () => undefined };

export interface TeamsNotifierParts {
    target: TeamsTarget;
    store: EscalationStore;
    log: Logger;
    needLabel: (needId: string) => string;
    /** The workspace's public address (https://chat.example.org/workspace); without it the card has no button. */
    workspaceUrl?: string;
    timeZone: string;
    /** The Bot Framework adapter the cards go out through, built before the app (src/app.ts); none, and none go. */
    cloud?: { adapter: CloudAdapter; appId: string };
}

const STATUS: Record<Escalation['status'], string> = {
    'new': 'New', 'claimed': 'Claimed', 'in-contact': 'In contact', 'closed': 'Closed',
};

/**
 * The card for a request as it is now: a Claim button while it is new (claims in Teams), and an Open button to the
 * request in the workspace when its address is known.
 */
export function escalationCard(e: Escalation,
    parts: Pick<TeamsNotifierParts, 'needLabel' | 'workspaceUrl' | 'timeZone'>): Attachment {
    const due = new Date(e.dueBy).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short',
        timeZone: parts.timeZone });
    const by = e.assignee && e.status !== 'new' ? ` by ${e.assignee.name}` : '';
    const status = `${STATUS[e.status]}${by}`;
    const title = e.status === 'new' ? `New request ${e.reference}`
        : `Request ${e.reference}: ${STATUS[e.status].toLowerCase()}${by}`;
    const url = parts.workspaceUrl ? `${parts.workspaceUrl}#${e.reference}` : undefined;
    return CardFactory.adaptiveCard({
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true,
                ...(e.priority === 'urgent' && e.status === 'new' ? { color: 'Attention' } : {}) },
            {
                type: 'FactSet',
                facts: [
                    { title: 'Priority',
                        value: e.priority === 'urgent' ? 'Urgent (the chat touched on crisis)' : 'Normal' },
                    { title: 'Needs', value: e.summary.needs.map(parts.needLabel).join(', ') || 'None named' },
                    { title: 'Due', value: due },
                    { title: 'Status', value: status },
                ],
            },
        ],
        actions: [
            // Claim works inside Teams: an Action.Execute the bot receives as an adaptiveCard/action invoke
            // (src/bot/teamsConnectors.ts), answered with this card as it is after the claim.
            ...(e.status === 'new'
                ? [{ type: 'Action.Execute', title: 'Claim', verb: CLAIM_VERB, data: { reference: e.reference } }] : []),
            ...(url ? [{ type: 'Action.OpenUrl', title: 'Open', url }] : []),
        ],
    });
}

/** The verb of the card's Claim (Action.Execute), as the bot receives it in the invoke's value.action.verb. */
export const CLAIM_VERB = 'claim';

/** Posts new requests to the connectors' Teams channel and updates the card when a request changes. */
export class TeamsNotifier implements EscalationNotifier {
    private readonly cloud?: { adapter: CloudAdapter; appId: string };

    constructor(private readonly parts: TeamsNotifierParts) {
        this.cloud = parts.cloud;
    }

    async created(e: Escalation): Promise<void> {
        const id = await this.inChannel(async (context) =>
            (await context.sendActivity({ type: 'message', attachments: [escalationCard(e, this.parts)] }))?.id);
        // Kept in the store, not in memory, so whichever instance handles the claim can update the card.
        if (id) await this.parts.store.setNoticeId(e.reference, id).catch((err) => this.failed(err));
        if (id) this.parts.log.info('teams.card_posted', { escalation: e.id });
    }

    async changed(e: Escalation): Promise<void> {
        const stored = e.noticeId ? e : await this.parts.store.getByReference(e.reference).catch(() => undefined);
        const noticeId = stored?.noticeId;
        if (!noticeId) return;
        await this.inChannel(async (context) => {
            const card = escalationCard(e, this.parts);
            await context.updateActivity({ type: 'message', id: noticeId, attachments: [card] });
            return noticeId;
        });
    }

    /** Runs `logic` in the connectors' channel; undefined when it could not (not connected, or Teams failed). */
    private async inChannel(logic: (context: TurnContext) => Promise<string | undefined>): Promise<string | undefined> {
        if (!this.cloud) return undefined;
        const { target } = this.parts;
        const reference: Partial<ConversationReference> = {
            channelId: target.channelId,
            serviceUrl: target.serviceUrl,
            conversation: { id: target.conversationId, isGroup: true, conversationType: 'channel', name: '',
                ...(target.tenantId ? { tenantId: target.tenantId } : {}) },
        };
        let result: string | undefined;
        try {
            await this.cloud.adapter.continueConversationAsync(this.cloud.appId, reference, async (context) => {
                result = await logic(context);
            });
        } catch (err) {
            this.failed(err);
            return undefined;
        }
        return result;
    }

    private failed(err: unknown): void {
        this.parts.log.warn('teams.notice_failed', { error: errorKind(err) });
    }
}
