/**
 * The bot: checks every message for crisis first, then runs the dialogs. State is saved to the store at the end
 * of every turn, so any instance can take the next one.
 */
import {
    ActivityHandler, ActivityTypes, type ConversationState, type StatePropertyAccessor, type TurnContext,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { DELETE_STATE_AFTER_TURN } from '../../dialogs/services';
import { MAX_MESSAGE_LENGTH, PROFILE_PROPERTY, emptyProfile, type ResidentProfile } from '../../dialogs/profile';
import { withContent } from '../../dialogs/messages';
import type { TranscriptEntry } from '../handoff/escalation';
import type { ResidentRelay } from '../handoff/relay';
import type { Wording } from '../knowledge/wording';
import type { Logger } from '../log';
import { recordTranscript, transcriptProperty } from './transcript';

/** What the bot needs to answer a crisis at once, on any step. */
export interface CrisisResponder {
    /** Kinds of immediate risk in the text; empty when there is none. */
    kinds(text: string): string[];
    /** Who to contact for those kinds, most urgent first. */
    routes(kinds: string[]): { name: string; how: string }[];
}

/**
 * What differs per channel, chosen by the turn's channelId: how outgoing messages look (a renderer registered on
 * the turn) and what a channel answers before the dialogs (SMS keywords such as STOP).
 */
export interface ChannelPolicy {
    /** Registers the channel's renderer on this turn; may answer the message itself. False: the turn is done. */
    begin(context: TurnContext): Promise<boolean>;
}

export interface SignpostBotOptions {
    conversationState: ConversationState;
    dialog: Dialog;
    wording: Wording;
    crisis: CrisisResponder;
    serviceName: string;
    stateDays: number;
    log: Logger;
    /** Per-channel rendering and keywords; without it every channel gets the neutral messages as they are. */
    channels?: ChannelPolicy;
    /** Live conversations with connectors; without it the bot always answers. */
    relay?: ResidentRelay;
    /** The clock for transcript times; the system clock without it. */
    now?: () => Date;
}

/** The conversation-state property holding the dialog stack (channels may clear it, as SMS does on STOP). */
export const DIALOG_STATE_PROPERTY = 'dialogState';

/** How much of an over-long message is still read for crisis words (the HTTP body limit bounds the rest). */
const CRISIS_SCAN_LENGTH = 10_000;

export class SignpostBot extends ActivityHandler {
    private readonly dialogState: StatePropertyAccessor<DialogState>;
    private readonly profile: StatePropertyAccessor<ResidentProfile>;
    private readonly welcomed: StatePropertyAccessor<boolean>;
    private readonly transcript: StatePropertyAccessor<TranscriptEntry[]>;
    private readonly dialogs: DialogSet;

    constructor(private readonly options: SignpostBotOptions) {
        super();
        const { conversationState, dialog } = options;
        this.dialogState = conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
        this.profile = conversationState.createProperty<ResidentProfile>(PROFILE_PROPERTY);
        this.welcomed = conversationState.createProperty<boolean>('welcomed');
        this.transcript = transcriptProperty(conversationState);
        this.dialogs = new DialogSet(this.dialogState).add(dialog);

        this.onMembersAdded(async (context, next) => {
            const botId = context.activity.recipient?.id;
            const residents = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
            if (residents.length && !(await this.welcomed.get(context, false))) await this.welcome(context);
            await next();
        });

        this.onMessage(async (context, next) => {
            await this.handleMessage(context);
            await next();
        });
    }

    /** Runs the turn, then saves state; deletes it instead when the resident asked for that. */
    override async run(context: TurnContext): Promise<void> {
        const started = Date.now();
        // The running transcript lives in conversation state, so it is saved, or deleted, with it below.
        await recordTranscript(context, this.transcript, this.options.now ?? (() => new Date()));
        const carryOn = this.options.channels ? await this.options.channels.begin(context) : true;
        if (carryOn) await super.run(context);
        const { conversationState, log } = this.options;
        if (context.turnState.get(DELETE_STATE_AFTER_TURN)) {
            await conversationState.delete(context);
        } else {
            await conversationState.saveChanges(context, false);
        }
        log.info('turn', {
            channel: context.activity.channelId,
            type: context.activity.type,
            ms: Date.now() - started,
        });
    }

    private async handleMessage(context: TurnContext): Promise<void> {
        const { wording, crisis } = this.options;
        const text = (context.activity.text ?? '').trim();
        if (!text) {
            await context.sendActivity(wording.text('nonText'));
            return;
        }
        const { channelId, conversation } = context.activity;
        const live = await this.options.relay?.holding(channelId, conversation.id);
        if (live) {
            await this.whileLive(context, live, text);
            return;
        }
        const dc = await this.dialogs.createContext(context);
        // Crisis comes before everything, even the welcome and the length check: the routes are the first reply.
        const kinds = crisis.kinds(text.slice(0, CRISIS_SCAN_LENGTH));
        if (kinds.length) {
            await this.showCrisisRoutes(context, kinds);
            if (!(await this.welcomed.get(context, false))) await this.welcome(context);
            if (dc.activeDialog) {
                // The step the resident was on is asked again, so the conversation never just ends.
                await context.sendActivity(wording.text('crisisCarryOn'));
                await dc.repromptDialog();
            } else {
                await context.sendActivity(wording.text('crisisOffer'));
            }
            return;
        }
        if (text.length > MAX_MESSAGE_LENGTH) {
            await context.sendActivity(wording.text('tooLong'));
            return;
        }
        if (!(await this.welcomed.get(context, false))) await this.welcome(context);
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.dialog.id);
    }

    /**
     * A connector has the conversation: the message is kept for them and the bot stays silent, except that crisis
     * routes are always shown at once (the connector may not be reading at that moment).
     */
    private async whileLive(context: TurnContext, reference: string, text: string): Promise<void> {
        const { relay, crisis, log } = this.options;
        await relay!.fromResident(reference, text);
        log.info('relay.resident_message', { channel: context.activity.channelId });
        const kinds = crisis.kinds(text.slice(0, CRISIS_SCAN_LENGTH));
        if (kinds.length) await this.showCrisisRoutes(context, kinds);
    }

    private async showCrisisRoutes(context: TurnContext, kinds: string[]): Promise<void> {
        const { wording, crisis, log } = this.options;
        log.warn('crisis.routes_shown', { channel: context.activity.channelId, kinds: kinds.join(',') });
        const profile = await this.profile.get(context, emptyProfile());
        profile.crisisShown = true;
        await this.profile.set(context, profile);
        const routes = crisis.routes(kinds).map((r) => `${r.name}: ${r.how}`);
        await context.sendActivity([wording.text('crisisIntro'), ...routes].join('\n'));
    }

    private async welcome(context: TurnContext): Promise<void> {
        const { wording, serviceName, stateDays } = this.options;
        const text = wording.text('welcome', { serviceName, stateDays });
        await context.sendActivity(withContent({ type: ActivityTypes.Message, text }, { kind: 'welcome' }));
        await this.welcomed.set(context, true);
    }
}
