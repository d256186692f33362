/**
 * Urgent requests stored under the old rule ("due at the moment it became urgent", so overdue from its first minute)
 * get the new due time (urgentDue.ts: today, or the next working morning). Run at every start: it finds only requests
 * whose due time is still exactly the moment they were made or made urgent, so a second run, or a second instance
 * starting at once, changes nothing more (the store moves a due time only from the value it had).
 */
import type { WorkingHours } from '../config';
import { errorKind, type Logger } from '../log';
import type { EscalationStore, QueuePlace } from '../storage/escalationStore';
import type { AuditAction, Escalation } from '../storage/escalationRecord';
import { queuePlace } from './lifecycle';
import { urgentDueBy } from './urgentDue';

/** What can make a request urgent, with the time it did: when its due time equals that time, the old rule set it. */
const MADE_URGENT: readonly AuditAction[] = ['created', 'raised-urgent', 'repeated'];
const PAGE = 200;

export interface RescheduleParts {
    store: Pick<EscalationStore, 'queuePage' | 'auditTrail' | 'rescheduleDue'>;
    connectorHours: WorkingHours;
    now: () => Date;
    log: Logger;
}

/** Moves the old-rule due times of open urgent requests; how many moved. Never throws: a failure is logged. */
export async function rescheduleUrgent(parts: RescheduleParts): Promise<number> {
    const { store, log } = parts;
    const at = parts.now().toISOString();
    let moved = 0;
    try {
        // Read first, then change: a moved due time changes a request's place in the queue's order.
        const urgent: Escalation[] = [];
        let after: QueuePlace | undefined;
        for (;;) {
            const page = await store.queuePage({ statuses: ['new', 'claimed', 'in-contact'], priority: 'urgent', at,
                limit: PAGE, ...(after ? { after } : {}) });
            urgent.push(...page.escalations);
            const last = page.escalations[page.escalations.length - 1];
            if (page.escalations.length < PAGE || !last) break;
            after = queuePlace(last, new Date(at));
        }
        for (const e of urgent) {
            if (e.firstContactAt || !(await oldRule(e, store))) continue;
            const to = urgentDueBy(new Date(e.dueBy), parts.connectorHours).toISOString();
            if (to <= e.dueBy) continue;
            if (await store.rescheduleDue(e.reference, e.dueBy, to,
                { at, actor: 'system', action: 'due-rescheduled', detail: e.dueBy })) moved++;
        }
    } catch (err) {
        log.error('handoff.reschedule_failed', { error: errorKind(err), moved });
        return moved;
    }
    if (moved > 0) log.info('handoff.urgent_due_rescheduled', { requests: moved });
    return moved;
}

/** Whether the request's due time is the moment it was made, or made urgent (the old rule's mark). */
async function oldRule(e: Escalation, store: Pick<EscalationStore, 'auditTrail'>): Promise<boolean> {
    if (e.dueBy === e.createdAt) return true;
    const trail = await store.auditTrail(e.reference);
    return trail.some((a) => a.at === e.dueBy && MADE_URGENT.includes(a.action));
}
