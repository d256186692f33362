/**
 * The bot: checks every message for crisis first, then runs the dialogs. State is saved to the store at the end
 * of every turn, so any instance can take the next one.
 */
import { randomUUID } from 'node:crypto';
import {
    ActivityHandler, ActivityTypes, MiddlewareSet, type ConversationState, type StatePropertyAccessor, type TurnContext,
} from 'botbuilder';
import {
    DialogSet, DialogTurnStatus, type Dialog, type DialogContext, type DialogInstance, type DialogState,
} from 'botbuilder-dialogs';
import { HANDOFF_DIALOG_ID } from '../../dialogs/handoffDialog';
import { askIfSafe } from '../../dialogs/safetyDialog';
import type { ChannelPolicy } from '../conversation/channelPolicy';
import { DELETE_STATE_AFTER_TURN, DIALOG_STATE_PROPERTY } from '../conversation/turnState';
import { MAX_MESSAGE_LENGTH, PROFILE_PROPERTY, emptyProfile, type ResidentProfile } from '../conversation/profile';
import { withContent } from '../conversation/messages';
import { crisisLanguageActivity, crisisRoutesActivity } from './crisisReply';
import type { Matching } from '../conversation/services';
import type { TranscriptEntry } from '../storage/escalationRecord';
import type { ResidentRelay } from '../handoff/relay';
import type { Wording } from '../knowledge/wording';
import { errorKind, withCorrelation, type Logger } from '../log';
import { ChannelGate } from './channelGate';
import { PostcodeCut } from './postcodeCut';
import { RelayCheck, liveReferenceOf } from './relayCheck';
import { DIALOG_VERSION_PROPERTY, StoredDialogs } from './storedDialogs';
import { withinTime } from './timeout';
import { TranscriptRecorder, transcriptProperty } from './transcript';

/** What the bot reports for metrics; channel ids only. */
export interface TurnObserver {
    turn(channel: string | undefined, seconds: number): void;
    crisisRoutesShown(channel: string | undefined): void;
}

export interface SignpostBotOptions {
    conversationState: ConversationState;
    dialog: Dialog;
    wording: Wording;
    /** The matching engine's one face: crisis kinds and routes, the lines in other languages, languages. */
    matching: Matching;
    serviceName: string;
    stateDays: number;
    log: Logger;
    /** Per-channel rendering and keywords; without it every channel gets the neutral messages as they are. */
    channels?: ChannelPolicy;
    /** Live conversations with connectors; without it the bot always answers. */
    relay?: ResidentRelay;
    /** True while the database is known not to answer (storage/resilient.ts): the relay check is skipped then. */
    storeDegraded?: () => boolean;
    /** The clock for transcript times; the system clock without it. */
    now?: () => Date;
    /** Told of every turn and every time crisis routes are shown. */
    metrics?: TurnObserver;
    /** Makes the resident's open requests urgent once crisis routes are shown (handoff/urgent.ts); never throws. */
    urgent?: UrgentRaiser;
}

/** What raises a resident's open requests to urgent when they are shown crisis routes. */
export interface UrgentRaiser {
    raiseFor(channelId: string, userId: string): Promise<unknown>;
}

/** turnState key: the turn's correlation id, so onTurnError can log with it after the turn has thrown. */
export const TURN_ID = 'signpost.turnId';

/**
 * The conversation-state property counting turns in a row that failed (onTurnError.ts). A turn that succeeds
 * removes it.
 */
export const FAILED_TURNS_PROPERTY = 'failedTurns';

/** How much of an over-long message is still read for crisis words (the HTTP body limit bounds the rest). */
export const CRISIS_SCAN_LENGTH = 10_000;

/** turnState key: crisis routes were sent this turn (so onTurnError does not send them again). */
export const CRISIS_ROUTES_SENT = 'signpost.crisisRoutesSent';

/** turnState key: the raise of the resident's open requests to urgent, started once the routes were sent. */
const URGENT_RAISE = 'signpost.urgentRaise';

/**
 * How long the end of a turn waits for that raise. The replies have all been sent by then; the wait only lets it
 * finish within the turn when the store answers as usual. A slower raise goes on by itself.
 */
const URGENT_RAISE_WAIT_MS = 3_000;

export class SignpostBot extends ActivityHandler {
    private readonly dialogState: StatePropertyAccessor<DialogState>;
    private readonly profile: StatePropertyAccessor<ResidentProfile>;
    private readonly welcomed: StatePropertyAccessor<boolean>;
    private readonly transcript: StatePropertyAccessor<TranscriptEntry[]>;
    private readonly failedTurns: StatePropertyAccessor<number>;
    private readonly dialogs: DialogSet;
    /** Checks a stored conversation from another release before the dialogs run (storedDialogs.ts). */
    private readonly stored: StoredDialogs;
    /** The turn's cross-cutting jobs, in order, before the bot's own logic (each a file of src/bot/ with its test). */
    private readonly middleware: MiddlewareSet;

    constructor(private readonly options: SignpostBotOptions) {
        super();
        const { conversationState, dialog } = options;
        this.dialogState = conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
        this.profile = conversationState.createProperty<ResidentProfile>(PROFILE_PROPERTY);
        this.welcomed = conversationState.createProperty<boolean>('welcomed');
        this.transcript = transcriptProperty(conversationState);
        this.failedTurns = conversationState.createProperty<number>(FAILED_TURNS_PROPERTY);
        this.dialogs = new DialogSet(this.dialogState).add(dialog);
        this.stored = new StoredDialogs({
            version: conversationState.createProperty<number>(DIALOG_VERSION_PROPERTY),
            dialogState: this.dialogState, profile: this.profile,
        }, [dialog]);
        const { channels, relay, log, storeDegraded, now } = options;
        this.middleware = new MiddlewareSet(
            // Only the district of a postcode is ever kept: cut before anything reads or stores the message.
            new PostcodeCut(),
            new TranscriptRecorder(this.transcript, now),
            ...(channels ? [new ChannelGate(channels)] : []),
            ...(relay ? [new RelayCheck({ relay, log, storeDegraded })] : []),
        );

        this.onMembersAdded(async (context, next) => {
            const botId = context.activity.recipient?.id;
            const residents = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
            if (residents.length && !(await this.welcomed.get(context, false))) await this.welcome(context);
            await next();
        });

        this.onMessage(async (context, next) => {
            await this.handleMessage(context);
            await this.urgentRaised(context);
            await next();
        });
    }

    /** Runs the turn with its own correlation id on every log line written during it. */
    override async run(context: TurnContext): Promise<void> {
        const turnId = randomUUID();
        context.turnState.set(TURN_ID, turnId);
        const started = process.hrtime.bigint();
        try {
            await withCorrelation({ turnId }, () => this.runTurn(context));
        } finally {
            this.options.metrics?.turn(context.activity.channelId, Number(process.hrtime.bigint() - started) / 1e9);
        }
    }

    /** Runs the turn, then saves state; deletes it instead when the resident asked for that. */
    private async runTurn(context: TurnContext): Promise<void> {
        const started = Date.now();
        await this.middleware.run(context, () => super.run(context));
        const { conversationState, log } = this.options;
        if (context.turnState.get(DELETE_STATE_AFTER_TURN)) {
            await conversationState.delete(context);
        } else {
            // This turn went through: failures before it no longer count as "in a row".
            await this.failedTurns.delete(context);
            await conversationState.saveChanges(context, false);
        }
        log.info('turn', {
            channel: context.activity.channelId,
            type: context.activity.type,
            ms: Date.now() - started,
        });
    }

    private async handleMessage(context: TurnContext): Promise<void> {
        const { wording, matching } = this.options;
        const text = (context.activity.text ?? '').trim();
        if (!text) {
            await context.sendActivity(wording.text('nonText'));
            return;
        }
        const live = liveReferenceOf(context);
        if (live) {
            await this.whileLive(context, live, text);
            // "Delete my data" works even while a connector has the chat. The words are not passed to the connector:
            // they see a 'deletion-asked' line (no text) in the request's audit trail, and the live chat ends.
            if (wording.command(text) !== 'deleteMyData') return;
        }
        // A conversation stored by another release: kept if it fits this one, else cleared (said below, not before
        // crisis routes or a command).
        const stored = await this.stored.check(context);
        const dc = await this.dialogs.createContext(context);
        // Crisis comes before everything, even the welcome and the length check: the routes are the first reply.
        const kinds = matching.crisisKinds(text.slice(0, CRISIS_SCAN_LENGTH));
        if (kinds.length) {
            // The urgent call-back is offered unless the resident is already asking for contact.
            await this.showCrisisRoutes(context, kinds, !onStack(dc, HANDOFF_DIALOG_ID),
                text.slice(0, CRISIS_SCAN_LENGTH));
            if (!(await this.welcomed.get(context, false))) await this.welcome(context);
            // Next, "Are you safe right now?": only a clear yes goes back to the step they were on (or offers help).
            await askIfSafe(dc, this.options.dialog.id);
            return;
        }
        if (text.length > MAX_MESSAGE_LENGTH) {
            await context.sendActivity(wording.text('tooLong'));
            return;
        }
        // A message in a language Signpost cannot yet talk in gets one line in it, never a guess at its needs. Not
        // while contact details are being asked for: a name or an address is not a language. Not for a short answer
        // while a question is waiting either ("7pm", "ya", "Heol y Felin"): the question's own prompt reads it, as
        // for any answer. A sentence at a question may still get the line, and then the question is asked again.
        if (!onStack(dc, HANDOFF_DIALOG_ID) && wording.command(text) === undefined
            && (!dc.activeDialog || isSentence(text))) {
            const code = matching.language(text);
            const line = code === 'en' ? undefined : matching.unsupportedLine(code);
            if (line) {
                this.options.log.info('language.unsupported', { channel: context.activity.channelId, language: code });
                await context.sendActivity({ type: ActivityTypes.Message, text: line, locale: code });
                if (!(await this.welcomed.get(context, false))) await this.welcome(context);
                // The step the resident was on is asked again, so that on SMS the next "1" answers it.
                if (dc.activeDialog) await dc.repromptDialog();
                return;
            }
        }
        if (!(await this.welcomed.get(context, false))) await this.welcome(context);
        if (stored === 'restarted' && wording.command(text) === undefined) {
            await context.sendActivity(wording.text('lostPlace'));
        }
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.dialog.id);
    }

    /**
     * A connector has the conversation: the message is kept for them and the bot stays silent, except that crisis
     * routes are always shown at once (the connector may not be reading at that moment).
     */
    private async whileLive(context: TurnContext, reference: string, text: string): Promise<void> {
        const { relay, matching, log, wording } = this.options;
        const kinds = matching.crisisKinds(text.slice(0, CRISIS_SCAN_LENGTH));
        // The routes go first, before anything is written: no call-back offer, since a connector has the chat.
        if (kinds.length) await this.showCrisisRoutes(context, kinds, false, text.slice(0, CRISIS_SCAN_LENGTH));
        // "Delete my data" is a command, not a message for the connector: it is not kept with the request (which
        // records that the resident asked, with no text, and lets go of this chat).
        if (wording.command(text) === 'deleteMyData') return;
        await relay!.fromResident(reference, text);
        log.info('relay.resident_message', { channel: context.activity.channelId });
        // The connector is told beside the resident's message, in the live chat they are watching.
        if (kinds.length) await relay!.crisisShown(reference, kinds);
    }

    /**
     * The routes for these kinds, at once, after a line in the resident's language when the crisis was found in
     * another language; with `offerCallBack`, then the offer of an urgent call-back.
     */
    private async showCrisisRoutes(context: TurnContext, kinds: string[], offerCallBack: boolean, text: string)
        : Promise<void> {
        const { wording, matching, log } = this.options;
        const languageLine = crisisLanguageActivity(matching, text);
        // The language's code is logged, never the message.
        log.warn('crisis.routes_shown', {
            channel: context.activity.channelId, kinds: kinds.join(','),
            ...(languageLine ? { language: languageLine.locale } : {}),
        });
        this.options.metrics?.crisisRoutesShown(context.activity.channelId);
        const profile = await this.profile.get(context, emptyProfile());
        profile.crisisShown = true;
        await this.profile.set(context, profile);
        if (languageLine) await context.sendActivity(languageLine);
        await context.sendActivity(crisisRoutesActivity(wording, matching.crisisRoutes(kinds), offerCallBack));
        context.turnState.set(CRISIS_ROUTES_SENT, true);
        // Only now, with the routes out: any request the resident already made becomes urgent. Not awaited here,
        // so the rest of the reply never waits on the store.
        const userId = context.activity.from?.id;
        if (this.options.urgent && userId) {
            const raising = this.options.urgent.raiseFor(context.activity.channelId, userId)
                .catch((err: unknown) => log.error('handoff.raise_failed', { error: errorKind(err) }));
            context.turnState.set(URGENT_RAISE, raising);
        }
    }

    /**
     * Waits, a little, for the raise started with the crisis routes (see URGENT_RAISE_WAIT_MS); not at all while the
     * database is known not to answer. The raise never throws.
     */
    private async urgentRaised(context: TurnContext): Promise<void> {
        const raising = context.turnState.get(URGENT_RAISE) as Promise<unknown> | undefined;
        if (!raising || this.options.storeDegraded?.()) return;
        await withinTime(raising, URGENT_RAISE_WAIT_MS);
    }

    private async welcome(context: TurnContext): Promise<void> {
        const { wording, serviceName, stateDays } = this.options;
        const text = wording.text('welcome', { serviceName, stateDays });
        await context.sendActivity(withContent({ type: ActivityTypes.Message, text }, { kind: 'welcome' }));
        await this.welcomed.set(context, true);
    }
}

/** Whether a dialog is anywhere on the stack, inside component dialogs too (they keep theirs in state.dialogs). */
function onStack(dc: DialogContext, id: string): boolean {
    const search = (stack: DialogInstance[] | undefined): boolean => (stack ?? []).some((d) =>
        d.id === id || search((d.state as { dialogs?: DialogState } | undefined)?.dialogs?.dialogStack));
    return search(dc.stack);
}

/**
 * A message that reads as a sentence rather than an answer to a question: four words or more in Latin letters, or
 * any letters of another script (an answer such as "7pm" or "SW1A 1AA" is never that).
 */
function isSentence(text: string): boolean {
    if (/[^\p{Script=Latin}\P{L}]/u.test(text)) return true;
    return text.trim().split(/\s+/).filter((w) => /\p{L}/u.test(w)).length >= 4;
}
