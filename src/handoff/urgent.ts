/**
 * A crisis makes a resident's open requests urgent. A request made before crisis routes were shown was stored as
 * normal (due in days); once the routes are shown, every open request of that resident becomes urgent and due today
 * (or the next working morning: urgentDue.ts), so it goes up the connectors' queue. This runs after the routes have gone out and never throws: a
 * failure is logged, and the resident has the routes whatever happens here.
 */
import { errorKind, type Logger } from '../log';
import type { EscalationStore } from '../storage/escalationStore';
import type { Escalation } from '../storage/escalationRecord';
import type { WorkingHours } from '../config';
import type { EscalationNotifier } from './notifier';
import { residentKeyOf } from './resident';
import { DEFAULT_CONNECTOR_HOURS, urgentDueBy } from './urgentDue';

export interface UrgentRaiseParts {
    store: Pick<EscalationStore, 'listForResident' | 'raiseToUrgent' | 'getByReference'>;
    /** Brings the connectors' Teams card up to date; without it nothing is updated. */
    notifier?: EscalationNotifier;
    log: Logger;
    now: () => Date;
    /** When connectors work: a request made urgent is due by the end of their day (see urgentDue.ts). */
    connectorHours?: WorkingHours;
    /** Told of each request raised (a metric). */
    onRaised?: () => void;
}

/** Raises a resident's open requests to urgent when crisis routes are shown to them. */
export class UrgentRaise {
    constructor(private readonly parts: UrgentRaiseParts) {}

    /** Every open, not yet urgent request of the resident on this channel. Never throws. The references raised. */
    async raiseFor(channelId: string, userId: string): Promise<string[]> {
        const { store, log } = this.parts;
        let open: Escalation[];
        try {
            open = (await store.listForResident(residentKeyOf(channelId, userId)))
                .filter((e) => e.status !== 'closed' && e.priority !== 'urgent');
        } catch (err) {
            log.error('handoff.raise_failed', { error: errorKind(err) });
            return [];
        }
        const raised: string[] = [];
        for (const e of open) {
            try {
                // The store checks again, atomically: a request closed or raised meanwhile is left as it is.
                const now = this.parts.now();
                const dueBy = urgentDueBy(now, this.parts.connectorHours ?? DEFAULT_CONNECTOR_HOURS).toISOString();
                const applied = await store.raiseToUrgent(e.reference, dueBy,
                    { at: now.toISOString(), actor: 'system', action: 'raised-urgent' });
                if (!applied) continue;
            } catch (err) {
                log.error('handoff.raise_failed', { escalation: e.id, error: errorKind(err) });
                continue;
            }
            raised.push(e.reference);
            log.warn('handoff.raised_urgent', { escalation: e.id });
            this.parts.onRaised?.();
            await this.updateNotice(e.reference);
        }
        return raised;
    }

    /** The Teams card shows the new priority and due time (the notifier itself never throws). */
    private async updateNotice(reference: string): Promise<void> {
        const { notifier, store } = this.parts;
        if (!notifier) return;
        const now = await store.getByReference(reference).catch(() => undefined);
        if (now) await notifier.changed(now);
    }
}
