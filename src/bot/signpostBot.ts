/**
 * The bot: every turn goes through its middleware first (postcode cut, transcript, channel policy, relay check,
 * crisis guard, live relay, length check, language line, welcome: one small file of src/bot/ each), then runs the
 * dialogs, and saves state at the end of every turn, so any instance can take the next one.
 */
import { randomUUID } from 'node:crypto';
import {
    ActivityHandler, MiddlewareSet, type ConversationState, type StatePropertyAccessor, type TurnContext,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { ChannelPolicy } from '../conversation/channelPolicy';
import { DELETE_STATE_AFTER_TURN, DIALOG_STATE_PROPERTY } from '../conversation/turnState';
import { PROFILE_PROPERTY, type ResidentProfile } from '../conversation/profile';
import type { Matching } from '../conversation/services';
import type { ResidentRelay } from '../handoff/relay';
import { BASE_LOCALE, inTurnLocale, type Wording } from '../knowledge/wording';
import { withCorrelation, type Logger } from '../log';
import { ChannelGate } from './channelGate';
import { CrisisGuard, urgentRaised, type UrgentRaiser } from './crisisGuard';
import { LanguageChoice, LANGUAGE_PROPERTY, type LanguageState } from './languageChoice';
import { LanguageLine } from './languageLine';
import { LengthCheck } from './lengthCheck';
import { LivePass } from './livePass';
import { PostcodeCut } from './postcodeCut';
import { RelayCheck } from './relayCheck';
import { TranscriptRecorder, transcriptProperty } from './transcript';
import type { TeamsConnectors } from './teamsConnectors';
import { DIALOG_VERSION_PROPERTY, StoredDialogs } from './storedDialogs';
import { TurnDialogs, placeLost } from './turnDialogs';
import { Welcome } from './welcome';

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
    /** Connectors in Teams: Claim on a request's card, and "link 12345678" (teamsConnectors.ts). */
    teamsConnectors?: TeamsConnectors;
}

/** turnState key: the turn's correlation id, so onTurnError can log with it after the turn has thrown. */
export const TURN_ID = 'signpost.turnId';

/**
 * The conversation-state property counting turns in a row that failed (onTurnError.ts). A turn that succeeds
 * removes it.
 */
export const FAILED_TURNS_PROPERTY = 'failedTurns';

export class SignpostBot extends ActivityHandler {
    private readonly failedTurns: StatePropertyAccessor<number>;
    private readonly dialogs: TurnDialogs;
    private readonly welcome: Welcome;
    /** The turn's cross-cutting jobs, in order, before the bot's own logic (each a file of src/bot/ with its test). */
    private readonly middleware: MiddlewareSet;

    constructor(private readonly options: SignpostBotOptions) {
        super();
        const { conversationState, dialog, wording, matching, channels, relay, log, storeDegraded, now } = options;
        const profile = conversationState.createProperty<ResidentProfile>(PROFILE_PROPERTY);
        this.failedTurns = conversationState.createProperty<number>(FAILED_TURNS_PROPERTY);
        const dialogState = conversationState.createProperty<DialogState>(DIALOG_STATE_PROPERTY);
        // A conversation stored by another release is checked before any dialog runs: kept if it fits this one,
        // else cleared (said in handleMessage, not before crisis routes or a command).
        const stored = new StoredDialogs({
            version: conversationState.createProperty<number>(DIALOG_VERSION_PROPERTY), dialogState, profile,
        }, [dialog]);
        this.dialogs = new TurnDialogs(new DialogSet(dialogState).add(dialog), stored);
        this.welcome = new Welcome({
            welcomed: conversationState.createProperty<boolean>('welcomed'), wording,
            serviceName: options.serviceName, stateDays: options.stateDays,
        });
        const language = new LanguageChoice({
            language: conversationState.createProperty<LanguageState>(LANGUAGE_PROPERTY), wording, matching, log,
            dialogs: this.dialogs, welcome: this.welcome, mainDialogId: dialog.id,
        });
        this.middleware = new MiddlewareSet(
            // Only the district of a postcode is ever kept: cut before anything reads or stores the message.
            new PostcodeCut(),
            // The turn's language (the resident's choice, else the channel's): it says nothing, so routes stay first.
            language.reader,
            // A connector's Claim on a Teams card, or their link code: not a resident's turn, and not kept in one.
            ...(options.teamsConnectors ? [options.teamsConnectors] : []),
            new TranscriptRecorder(transcriptProperty(conversationState), now),
            ...(channels ? [new ChannelGate(channels)] : []),
            ...(relay ? [new RelayCheck({ relay, log, storeDegraded })] : []),
            // Crisis comes before everything the bot says, even the welcome and the length check, on every channel,
            // while a connector has the chat too: the routes are the first reply.
            new CrisisGuard({
                matching, wording, log, profile, dialogs: this.dialogs, mainDialogId: dialog.id, welcome: this.welcome,
                onRoutesShown: (channel) => options.metrics?.crisisRoutesShown(channel), urgent: options.urgent,
            }),
            ...(relay ? [new LivePass({ relay, wording, log })] : []),
            new LengthCheck(wording),
            // A language chosen by name, or offered when a sentence is clearly in one the bot can converse in.
            language.switcher,
            new LanguageLine({ matching, wording, log, dialogs: this.dialogs, welcome: this.welcome }),
            this.welcome,
        );

        this.onMembersAdded(async (context, next) => {
            const botId = context.activity.recipient?.id;
            const residents = (context.activity.membersAdded ?? []).filter((m) => m.id !== botId);
            if (residents.length) await this.welcome.ifNeeded(context);
            await next();
        });

        this.onMessage(async (context, next) => {
            await this.handleMessage(context);
            await next();
        });
    }

    /** Runs the turn with its own correlation id on every log line written during it. */
    override async run(context: TurnContext): Promise<void> {
        const turnId = randomUUID();
        context.turnState.set(TURN_ID, turnId);
        const started = process.hrtime.bigint();
        try {
            // Every sentence of the turn in its language: English until the language reader says otherwise.
            await withCorrelation({ turnId }, () => inTurnLocale(BASE_LOCALE, () => this.runTurn(context)));
        } finally {
            this.options.metrics?.turn(context.activity.channelId, Number(process.hrtime.bigint() - started) / 1e9);
        }
    }

    /** Runs the turn, then saves state; deletes it instead when the resident asked for that. */
    private async runTurn(context: TurnContext): Promise<void> {
        const started = Date.now();
        await this.middleware.run(context, () => super.run(context));
        const { conversationState, log, storeDegraded } = this.options;
        // A raise to urgent started with crisis routes may finish within the turn (crisisGuard.ts).
        await urgentRaised(context, storeDegraded);
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

    /** What the middleware left: a message without words gets one line; anything else goes to the dialogs. */
    private async handleMessage(context: TurnContext): Promise<void> {
        if (!(context.activity.text ?? '').trim()) {
            await context.sendActivity(this.options.wording.text('nonText'));
            return;
        }
        const dc = await this.dialogs.of(context);
        const { wording } = this.options;
        if (placeLost(context) && wording.command(context.activity.text ?? '') === undefined) {
            await context.sendActivity(wording.text('lostPlace'));
        }
        const result = await dc.continueDialog();
        if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.options.dialog.id);
    }
}
