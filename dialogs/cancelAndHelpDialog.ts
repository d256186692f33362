/**
 * The base for the main dialog: help, start again, talk to a person, stop and delete my data work from any
 * step, handled here once. They are matched on the whole message, so "I stopped going out" is not "stop".
 */
import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { residentKeyOf } from '../src/handoff/resident';
import { DELETE_STATE_AFTER_TURN, type DialogServices } from './services';
import { emptyProfile } from './profile';

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
        switch (command) {
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
            case 'stop': {
                await innerDc.cancelAllDialogs();
                await innerDc.context.sendActivity(wording.text('stopped'));
                log.info('conversation.stopped', { channel: activity.channelId });
                return { status: DialogTurnStatus.cancelled };
            }
            case 'deleteMyData': {
                await innerDc.cancelAllDialogs();
                const key = residentKeyOf(activity.channelId, activity.from.id);
                const outcome = await escalations.deleteUnactioned(key);
                innerDc.context.turnState.set(DELETE_STATE_AFTER_TURN, true);
                const lines = [wording.text('deleted')];
                if (outcome.deleted.length) {
                    lines.push(wording.text('deletedRequests', { references: outcome.deleted.join(', ') }));
                }
                if (outcome.kept.length) {
                    lines.push(wording.text('keptRequests', { references: outcome.kept.join(', ') }));
                }
                await innerDc.context.sendActivity(lines.join('\n'));
                log.info('resident.data_deleted', {
                    channel: activity.channelId,
                    requestsDeleted: outcome.deleted.length,
                    requestsKept: outcome.kept.length,
                });
                return { status: DialogTurnStatus.cancelled };
            }
            default:
                return undefined;
        }
    }
}
