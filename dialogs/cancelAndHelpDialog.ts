/**
 * The base for the main dialog: help, start again, talk to a person, call me (back), stop and delete my data work
 * from any step, handled here once. They are matched on the whole message, so "I stopped going out" is not "stop".
 * A message that is no command is then read for what the resident is doing (asking for a person, changing their
 * mind, thanks, a question about a suggestion, off the subject): one hook, in understood.ts.
 */
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { parseReference } from '../src/handoff/escalation';
import type { Escalation } from '../src/storage/escalationRecord';
import { residentKeyOf } from '../src/handoff/resident';
import type { TextKey } from '../src/knowledge/wording';
import type { HandoffOptions } from './handoffDialog';
import type { DialogServices } from '../src/conversation/services';
import { DELETE_STATE_AFTER_TURN } from '../src/conversation/turnState';
import { emptyProfile } from '../src/conversation/profile';
import { cancelQuestion } from './insteadDialog';
import { safetyAsked } from './safetyDialog';
import { actOnIntent } from './understood';

export abstract class CancelAndHelpDialog extends ComponentDialog {
    protected constructor(id: string, protected readonly services: DialogServices) {
        super(id);
    }

    /** The dialog that asks for contact by a person ("talk to a person"). */
    protected abstract readonly handoffDialogId: string;

    override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
        const interrupted = await this.interrupt(innerDc);
        if (interrupted) return interrupted;
        return super.onBeginDialog(innerDc, options);
    }

    override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
        const interrupted = await this.interrupt(innerDc);
        if (interrupted) return interrupted;
        return super.onContinueDialog(innerDc);
    }

    private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
        const activity = innerDc.context.activity;
        if (activity.type !== ActivityTypes.Message || !activity.text) return undefined;
        const { wording, profile, escalations, log } = this.services;
        const command = wording.command(activity.text);
        const reference = command ? undefined : askedAbout(activity.text);
        if (command === 'myRequest' || reference) {
            const key = residentKeyOf(activity.channelId, activity.from.id);
            const found = reference
                ? await escalations.getByReference(reference)
                : (await escalations.listForResident(key)).at(-1);
            await innerDc.context.sendActivity(this.statusOf(found, reference));
            log.info('resident.status_asked', { channel: activity.channelId, found: found !== undefined });
            if (innerDc.activeDialog) {
                await innerDc.repromptDialog();
                return { status: DialogTurnStatus.waiting };
            }
            return { status: DialogTurnStatus.complete };
        }
        // At "Are you safe right now?" only a clear yes moves on: "start again" is an answer that is not one, and a
        // request for a person is made over the question, which is asked again after it (dialogs/safetyDialog.ts).
        if (safetyAsked(innerDc) && command === 'startAgain') return undefined;
        if (safetyAsked(innerDc) && command === 'talkToPerson') return innerDc.beginDialog(this.handoffDialogId);
        switch (command) {
            case 'cancel':
                // That question only, never the conversation (dialogs/insteadDialog.ts).
                return cancelQuestion(innerDc, this.handoffDialogId, this.initialDialogId, this.services);
            case 'help': {
                await innerDc.context.sendActivity(wording.text('help'));
                if (innerDc.activeDialog) {
                    await innerDc.repromptDialog();
                    return { status: DialogTurnStatus.waiting };
                }
                // Nothing under way yet: help, then the usual first question.
                return super.onBeginDialog(innerDc, {});
            }
            case 'startAgain': {
                await innerDc.cancelAllDialogs();
                const kept = await profile.get(innerDc.context, emptyProfile());
                await profile.set(innerDc.context, { ...emptyProfile(), crisisShown: kept.crisisShown });
                await innerDc.context.sendActivity(wording.text('restart'));
                return innerDc.beginDialog(this.initialDialogId, {});
            }
            case 'talkToPerson': {
                await innerDc.cancelAllDialogs();
                return innerDc.beginDialog(this.handoffDialogId);
            }
            case 'callMe': {
                // Already asking for contact: the question on screen reads the words ("call me" = a phone call).
                if (innerDc.stack.some((d) => d.id === this.handoffDialogId)) return undefined;
                // On top of the step they were on, not instead of it: after the hand-off that step is asked again.
                // Urgent when crisis routes were shown in this chat (the hand-off reads that from the profile).
                log.info('resident.call_back_asked', { channel: activity.channelId });
                return innerDc.beginDialog(this.handoffDialogId, { method: 'phone' } satisfies HandoffOptions);
            }
            case 'stop': {
                // "bye" after crisis routes may be a farewell, not an opt-out: the numbers for now once more (H12).
                const crisisShown = (await profile.get(innerDc.context, emptyProfile())).crisisShown;
                await innerDc.cancelAllDialogs();
                await innerDc.context.sendActivity(wording.text('stopped'));
                if (crisisShown) await innerDc.context.sendActivity(wording.text('crisisNumbersAgain'));
                log.info('conversation.stopped', { channel: activity.channelId });
                return { status: DialogTurnStatus.cancelled };
            }
            case 'deleteMyData': {
                const crisisShown = (await profile.get(innerDc.context, emptyProfile())).crisisShown;
                await innerDc.cancelAllDialogs();
                await this.deleteMyData(innerDc.context);
                if (crisisShown) await innerDc.context.sendActivity(wording.text('crisisNumbersAgain'));
                return { status: DialogTurnStatus.cancelled };
            }
            default:
                // At "Are you safe right now?" the question reads every other answer itself: thanks, a change of
                // mind or an off-topic line is not a clear yes, so it gets 999 and the call-back again.
                if (safetyAsked(innerDc)) return undefined;
                // Not a command: what the resident is doing with the message (issue 16), in its own file.
                return actOnIntent(innerDc, this.services, {
                    handoffDialogId: this.handoffDialogId, initialDialogId: this.initialDialogId,
                });
        }
    }

    /**
     * Deletes the resident's requests no connector has picked up; those kept lose their link to this chat (and any
     * live chat on them ends). The conversation state goes after the turn. Says what was done.
     */
    private async deleteMyData(context: TurnContext): Promise<void> {
        const { wording, escalations, log, settings } = this.services;
        const activity = context.activity;
        const key = residentKeyOf(activity.channelId, activity.from.id);
        const outcome = await escalations.deleteUnactioned(key);
        // Reminders and check-ins stop, and the number or address kept for them goes.
        await this.services.scheduled?.cancelForResident(key, this.services.now());
        // A kept request keeps the contact details the resident agreed to share (that is what it is for), but no
        // longer points at this chat: nothing more reaches them here, or is kept from here.
        const at = this.services.now().toISOString();
        for (const reference of outcome.kept) {
            await escalations.forgetConversation(reference, { at, actor: 'resident', action: 'deletion-asked' });
        }
        context.turnState.set(DELETE_STATE_AFTER_TURN, true);
        // Never "everything" when a connector keeps a request: the resident is told what went and what stays.
        const lines = [wording.text(outcome.kept.length ? 'deletedKeptSome' : 'deleted')];
        if (outcome.deleted.length) {
            lines.push(wording.text('deletedRequests', { references: outcome.deleted.join(', ') }));
        }
        // A closed request is said apart: no one is going to get in touch about it.
        const kept = outcome.kept.length
            ? (await escalations.listForResident(key)).filter((e) => outcome.kept.includes(e.reference)) : [];
        const open = kept.filter((e) => e.status !== 'closed');
        const finished = kept.filter((e) => e.status === 'closed');
        if (open.length) {
            lines.push(wording.text('keptRequests', {
                references: open.map((e) => e.reference).join(', '), kept: await this.keptParts(open),
            }));
        }
        if (finished.length) {
            lines.push(wording.text('keptClosedRequests', {
                references: finished.map((e) => e.reference).join(', '), referralDays: settings.referralDays,
                kept: await this.keptParts(finished),
            }));
        }
        await context.sendActivity(lines.join('\n'));
        log.info('resident.data_deleted', {
            channel: activity.channelId,
            requestsDeleted: outcome.deleted.length,
            requestsKept: outcome.kept.length,
        });
    }

    /**
     * What kept requests still hold of what the resident gave, in plain words ("the name you gave, your email
     * address and what you told me you need"): each part only when some request has it.
     */
    private async keptParts(requests: readonly Escalation[]): Promise<string> {
        const { wording, escalations } = this.services;
        const has = new Set<KeptPart>();
        for (const e of requests) {
            if (e.contact.name) has.add('keptName');
            has.add(e.contact.method === 'email' ? 'keptEmail' : 'keptPhone');
            if (e.contact.bestTime) has.add('keptBestTime');
            if (e.summary.needs.length || e.summary.inOwnWords || e.summary.preferences.length) has.add('keptNeeds');
            if (e.transcript?.length) has.add('keptChat');
            const chat = await escalations.chat(e.reference);
            if (chat?.lines.some((l) => l.action === 'resident-message')) has.add('keptLiveChat');
        }
        const parts = KEPT_PARTS.filter((p) => has.has(p)).map((p) => wording.text(p));
        return parts.length > 1
            ? `${parts.slice(0, -1).join(', ')} ${wording.text('and')} ${parts.at(-1)}` : parts.join('');
    }

    /**
     * A request's status, by reference. Only the status is told: no names or contact details, since anyone who
     * has the reference can ask.
     */
    private statusOf(e: Escalation | undefined, reference: string | undefined): string {
        const { wording } = this.services;
        if (!e) return reference ? wording.text('statusUnknown', { reference }) : wording.text('statusNoneHere');
        if (e.status === 'new') return wording.text('statusNew', { reference: e.reference, due: dayOf(e.dueBy) });
        if (e.status === 'closed') return wording.text('statusClosed', { reference: e.reference });
        return wording.text('statusWithConnector', { reference: e.reference });
    }
}

/** The parts of a kept request a resident is told about, in the order they are said. */
const KEPT_PARTS = [
    'keptName', 'keptPhone', 'keptEmail', 'keptBestTime', 'keptNeeds', 'keptChat', 'keptLiveChat',
] as const satisfies readonly TextKey[];
type KeptPart = (typeof KEPT_PARTS)[number];

/**
 * The reference a message asks about: "SP-7K3Q9M" written with its dash, or "sp 7k3q9m" beside a word such as
 * "request", so an ordinary sentence is never read as a reference.
 */
export function askedAbout(text: string): string | undefined {
    const reference = parseReference(text);
    if (!reference) return undefined;
    return /\bsp-/i.test(text) || /request|reference|\bref\b|status/i.test(text) ? reference : undefined;
}

/** "Friday 27 November", in UK time. */
function dayOf(iso: string): string {
    return new Date(iso).toLocaleDateString('en-GB', {
        weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/London',
    });
}
