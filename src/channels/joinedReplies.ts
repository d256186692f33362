/**
 * Replies a resident reads as one message, sent as one. The dialogs often say a short line and then ask the next
 * question ("Thank you. One quick question..." then "Where are you?"; "OK, no problem." then "Type a number..."):
 * two activities in a row that a person reads as one message. On channels that allow it (the website chat, Teams)
 * such a line is held back and put on top of the message after it, with a blank line between, so the resident
 * reads the same words in one bubble and the channel gets one HTTP POST instead of two. Only rendered messages are
 * joined, so each channel's own rules have already been applied; what the dialogs sent (the neutral messages, the
 * transcript) is unchanged. Questions, buttons and a line in another language never lead; a line goes on top of
 * cards only where the caller says so (the results: "Thanks, I'll look near BS5." above "Here are some things...";
 * the cards themselves stay as they are). After crisis routes nothing is joined or held for the rest of the turn
 * (channels/index.ts), so what follows the routes (the safety question) stands on its own.
 */
import { type Activity, type TurnContext, DeliveryModes, InputHints } from 'botbuilder';

/** The gap between two joined lines: a new paragraph on every channel that joins. */
const BETWEEN = '\n\n';

/** A message with words and nothing else the channel shows. */
function plainMessage(a: Partial<Activity>): boolean {
    return a.type === 'message' && typeof a.text === 'string' && a.text.trim() !== ''
        && !a.attachments?.length && a.speak === undefined && a.value === undefined;
}

/**
 * A line that may go on top of the next message: plain words, no buttons, asking nothing, with nothing for the
 * client in channelData.
 */
function canLead(a: Partial<Activity>): boolean {
    return plainMessage(a) && !a.suggestedActions?.actions?.length && a.inputHint !== InputHints.ExpectingInput
        && a.channelData === undefined;
}

/**
 * A message a held line may be put on top of: plain words (buttons allowed), or cards the caller allows, in the
 * same language.
 */
function canFollow(lead: Partial<Activity>, next: Partial<Activity>, cardsTakeALine: ReadonlySet<object>): boolean {
    const words = typeof next.text === 'string' && next.text.trim() !== '';
    return next.type === 'message' && words && (plainMessage(next) || cardsTakeALine.has(next))
        && next.locale === lead.locale && next.textFormat === lead.textFormat;
}

/** How joinReplies may join one send. */
export interface JoinOptions {
    /** Rendered messages with cards that a line may go on top of (the results); no others with cards. */
    cardsTakeALine?: ReadonlySet<object>;
    /** False: nothing is held back, what was held goes out first (after crisis routes). */
    hold?: boolean;
}

/**
 * One send's rendered activities with the line held from before: what to send now, and the last line held back
 * for the next send (or the turn's end). Pure.
 */
export function joinReplies(held: Partial<Activity> | undefined, activities: readonly Partial<Activity>[],
    options: JoinOptions = {}): { send: Partial<Activity>[]; held?: Partial<Activity> } {
    const { cardsTakeALine = new Set(), hold = true } = options;
    if (!hold) return { send: held ? [held, ...activities] : [...activities] };
    const send: Partial<Activity>[] = [];
    let lead = held;
    for (const activity of activities) {
        if (lead && canFollow(lead, activity, cardsTakeALine)) {
            lead = { ...activity, text: `${lead.text as string}${BETWEEN}${activity.text as string}` };
        } else if (lead) {
            send.push(lead);
            lead = activity;
        } else {
            lead = activity;
        }
        if (!canLead(lead)) {
            send.push(lead);
            lead = undefined;
        }
    }
    return lead ? { send, held: lead } : { send };
}

/**
 * Sends a line held back to the end of the turn, past the turn's send handlers: they have all seen it already
 * (the transcript recorded it when the dialogs sent it). With expectReplies, it joins the turn's buffered replies,
 * as TurnContext.sendActivities does.
 */
export async function sendHeld(context: TurnContext, held: Partial<Activity>): Promise<void> {
    if (context.activity.deliveryMode === DeliveryModes.ExpectReplies) {
        context.bufferedReplyActivities.push(held);
    } else {
        await context.adapter.sendActivities(context, [held]);
    }
    context.responded = true;
}
