/**
 * Turn middleware: crisis first. Every message with words is read for immediate risk (its first
 * CRISIS_SCAN_LENGTH characters) before anything else the bot says: before the welcome, the length check, the
 * language line and the dialogs, and while a connector has the chat. When found, the UK crisis routes go out at
 * once (after one line in the resident's language when another language's rules found it), the resident's open
 * requests are raised to urgent, and then:
 * - with a connector in the chat, the turn goes on to the live relay (the connector is told, beside the message);
 * - otherwise the offer of an urgent call-back (unless they are already asking for contact) is part of the routes,
 *   the welcome follows the first time, then "Are you safe right now?" on top of the question they were on, and
 *   the turn ends there.
 * Nothing here waits on the store before the routes are sent.
 */
import type { Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { HANDOFF_DIALOG_ID } from '../../dialogs/handoffDialog';
import { askIfSafe } from '../../dialogs/safetyDialog';
import { emptyProfile, type ResidentProfile } from '../conversation/profile';
import type { Matching } from '../conversation/services';
import type { Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import { crisisLanguageActivity, crisisRoutesActivity, helpingFor } from './crisisReply';
import { liveReferenceOf } from './relayCheck';
import { withinTime } from './timeout';
import { messageText, onStack, type TurnDialogs } from './turnDialogs';
import type { Welcome } from './welcome';

/** How much of an over-long message is still read for crisis words (the HTTP body limit bounds the rest). */
export const CRISIS_SCAN_LENGTH = 10_000;

/** turnState key: crisis routes were sent this turn (so onTurnError does not send them again). */
export const CRISIS_ROUTES_SENT = 'signpost.crisisRoutesSent';

/** turnState key: the crisis kinds found in this turn's message, for the live relay to tell the connector. */
const CRISIS_KINDS = 'signpost.crisisKinds';

/** turnState key: the raise of the resident's open requests to urgent, started once the routes were sent. */
const URGENT_RAISE = 'signpost.urgentRaise';

/**
 * How long the end of a turn waits for that raise. The replies have all been sent by then; the wait only lets it
 * finish within the turn when the store answers as usual. A slower raise goes on by itself.
 */
const URGENT_RAISE_WAIT_MS = 3_000;

/** What raises a resident's open requests to urgent when they are shown crisis routes. */
export interface UrgentRaiser {
    raiseFor(channelId: string, userId: string): Promise<unknown>;
}

/** The crisis kinds the guard found in this turn's message (none when it found none). */
export function crisisKindsOf(context: TurnContext): string[] {
    return (context.turnState.get(CRISIS_KINDS) as string[] | undefined) ?? [];
}

/**
 * Waits, a little, for the raise started with the crisis routes (see URGENT_RAISE_WAIT_MS); not at all while the
 * database is known not to answer. The raise never throws.
 */
export async function urgentRaised(context: TurnContext, storeDegraded?: () => boolean): Promise<void> {
    const raising = context.turnState.get(URGENT_RAISE) as Promise<unknown> | undefined;
    if (!raising || storeDegraded?.()) return;
    await withinTime(raising, URGENT_RAISE_WAIT_MS);
}

export interface CrisisGuardOptions {
    /** The matching engine's one face: crisis kinds and routes, the lines in other languages. */
    matching: Pick<Matching, 'crisisKinds' | 'crisisRoutes' | 'crisisLine' | 'crisisHelping'>;
    wording: Wording;
    log: Logger;
    /** The resident's profile (conversation state): it records that routes were shown. */
    profile: StatePropertyAccessor<ResidentProfile>;
    /** The turn's dialog context (shared with the bot). */
    dialogs: Pick<TurnDialogs, 'of'>;
    /** The main dialog's id, which the safety question goes on top of. */
    mainDialogId: string;
    welcome: Welcome;
    /** Told each time routes are shown (a metric). */
    onRoutesShown?: (channelId: string | undefined) => void;
    /** Makes the resident's open requests urgent once routes are shown (handoff/urgent.ts); never throws. */
    urgent?: UrgentRaiser;
}

/** Shows crisis routes first whenever a message needs them; see the file's comment. */
export class CrisisGuard implements Middleware {
    constructor(private readonly options: CrisisGuardOptions) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { matching, wording, dialogs, mainDialogId, welcome } = this.options;
        const text = messageText(context).slice(0, CRISIS_SCAN_LENGTH);
        const kinds = text ? matching.crisisKinds(text) : [];
        if (!kinds.length) return next();
        context.turnState.set(CRISIS_KINDS, kinds);
        // With a connector in the chat (and not asking to delete their data, which the bot handles): no call-back
        // offer, since a connector has the chat; the relay passes the message on and tells them.
        if (liveReferenceOf(context) && wording.command(text) !== 'deleteMyData') {
            await this.showRoutes(context, kinds, false, text);
            return next();
        }
        const dc = await dialogs.of(context);
        // The urgent call-back is offered unless the resident is already asking for contact.
        await this.showRoutes(context, kinds, !onStack(dc, HANDOFF_DIALOG_ID), text);
        await welcome.ifNeeded(context);
        // Next, "Are you safe right now?": only a clear yes goes back to the step they were on (or offers help).
        await askIfSafe(dc, mainDialogId);
    }

    /**
     * The routes for these kinds, at once, after a line in the resident's language when the crisis was found in
     * another language; with `offerCallBack`, then the offer of an urgent call-back.
     */
    private async showRoutes(context: TurnContext, kinds: string[], offerCallBack: boolean, text: string)
        : Promise<void> {
        const { wording, matching, log, profile, urgent } = this.options;
        const languageLine = crisisLanguageActivity(matching, text);
        // The language's code is logged, never the message.
        log.warn('crisis.routes_shown', {
            channel: context.activity.channelId, kinds: kinds.join(','),
            ...(languageLine ? { language: languageLine.locale } : {}),
        });
        this.options.onRoutesShown?.(context.activity.channelId);
        const shown = await profile.get(context, emptyProfile());
        shown.crisisShown = true;
        await profile.set(context, shown);
        if (languageLine) await context.sendActivity(languageLine);
        await context.sendActivity(crisisRoutesActivity(wording, matching.crisisRoutes(kinds), offerCallBack,
            helpingFor(matching, text)));
        context.turnState.set(CRISIS_ROUTES_SENT, true);
        // Only now, with the routes out: any request the resident already made becomes urgent. Not awaited here,
        // so the rest of the reply never waits on the store.
        const userId = context.activity.from?.id;
        if (urgent && userId) {
            const raising = urgent.raiseFor(context.activity.channelId, userId)
                .catch((err: unknown) => log.error('handoff.raise_failed', { error: errorKind(err) }));
            context.turnState.set(URGENT_RAISE, raising);
        }
    }
}
