/**
 * The escalation lifecycle: new -> claimed -> in-contact -> closed (with an outcome). Each step is one conditional
 * change in the store, so the rules hold across instances; refusals are values that say why, never exceptions.
 */
import type { EscalationStore, QueuePlace } from '../storage/escalationStore';
import type { Assignee, Escalation, Outcome } from '../storage/escalationRecord';

/** Who is acting, and whether they lead (leads may act on requests another connector holds). */
export interface Actor extends Assignee {
    lead: boolean;
}

/** Why a step was refused. `holder` is who has the request, when that is the reason. */
export type Refusal =
    | { refused: 'not-found' }
    | { refused: 'already-claimed'; holder: Assignee }
    | { refused: 'not-yours'; holder?: Assignee }
    | { refused: 'wrong-status'; status: Escalation['status'] };

export type StepResult = { done: true; escalation: Escalation } | Refusal;

/**
 * Lifecycle steps over a store. The clock is passed in so tests can fix it.
 */
export class Lifecycle {
    constructor(private readonly store: EscalationStore, private readonly now: () => Date = () => new Date()) {}

    /**
     * Takes a new request. Exactly one of several simultaneous claims wins, wherever each comes from; the others learn
     * who has it. `from`: 'teams' when pressed on the card in Teams, said in the audit line ("from Teams").
     */
    async claim(reference: string, actor: Actor, from?: 'teams'): Promise<StepResult> {
        const result = await this.store.change(reference, {
            from: ['new'], to: 'claimed', assignee: { id: actor.id, name: actor.name },
            audit: this.audit(actor, 'claimed', from === 'teams' ? 'from Teams' : undefined),
        });
        return this.explain(result, actor);
    }

    /** The connector has reached the resident (first contact is timed from here). */
    async markInContact(reference: string, actor: Actor): Promise<StepResult> {
        const result = await this.store.change(reference, {
            from: ['claimed'], to: 'in-contact', firstContact: true, ...this.holder(actor),
            audit: this.audit(actor, 'in-contact'),
        });
        return this.explain(result, actor);
    }

    /** Closes with an outcome; a note, if any, goes into the audit trail with it. */
    async close(reference: string, actor: Actor, outcome: Outcome): Promise<StepResult> {
        const result = await this.store.change(reference, {
            from: ['claimed', 'in-contact'], to: 'closed', outcome, ...this.holder(actor),
            audit: this.audit(actor, 'closed', outcome),
        });
        return this.explain(result, actor);
    }

    /** Gives a claimed request back to the queue. */
    async release(reference: string, actor: Actor): Promise<StepResult> {
        const result = await this.store.change(reference, {
            from: ['claimed', 'in-contact'], to: 'new', assignee: null, ...this.holder(actor),
            audit: this.audit(actor, 'released'),
        });
        return this.explain(result, actor);
    }

    /** A lead hands an open request to someone (only leads may). */
    async reassign(reference: string, actor: Actor, to: Assignee): Promise<StepResult> {
        if (!actor.lead) return { refused: 'not-yours' };
        const current = await this.store.getByReference(reference);
        if (!current) return { refused: 'not-found' };
        if (current.status === 'closed') return { refused: 'wrong-status', status: current.status };
        // Keeps in-contact as it is; a new request becomes claimed by the person it is given to.
        const to2 = current.status === 'new' ? 'claimed' : current.status;
        const result = await this.store.change(reference, {
            from: [current.status], to: to2, assignee: to,
            audit: this.audit(actor, 'reassigned', to.id),
        });
        return this.explain(result, actor);
    }

    /** Adds a note to the audit trail; anyone signed in may, on any request that exists. */
    async note(reference: string, actor: Actor, text: string): Promise<boolean> {
        return this.store.appendAudit(reference, this.audit(actor, 'note', text));
    }

    /** Leads act on anyone's requests; connectors only on their own. */
    private holder(actor: Actor): { assignedTo?: string } {
        return actor.lead ? {} : { assignedTo: actor.id };
    }

    private audit(actor: Actor, action: Parameters<EscalationStore['appendAudit']>[1]['action'], detail?: string) {
        return { at: this.now().toISOString(), actor: actor.id, action, ...(detail !== undefined ? { detail } : {}) };
    }

    private explain(result: Awaited<ReturnType<EscalationStore['change']>>, actor: Actor): StepResult {
        if (result.applied) return { done: true, escalation: result.escalation };
        const current = result.current;
        if (!current) return { refused: 'not-found' };
        if (current.assignee && current.assignee.id !== actor.id && current.status !== 'closed') {
            return current.status === 'claimed' || current.status === 'in-contact'
                ? { refused: 'already-claimed', holder: current.assignee }
                : { refused: 'not-yours', holder: current.assignee };
        }
        return { refused: 'wrong-status', status: current.status };
    }
}

/** Where a request stands in the queue: its group (overdue, urgent), when it is due, and its id to break ties. */
export type { QueuePlace };

/**
 * A request's place in the queue at `now`: urgent first (the chat touched on crisis), overdue before in time, then by
 * when first contact is owed. Urgent is "contact today", not late from its first minute, so it must still come
 * above a normal request that is late: the group is urgent-ness first, overdue second.
 */
export function queuePlace(e: Escalation, now: Date): QueuePlace {
    return [(e.priority === 'urgent' ? 0 : 1) * 2 + (isOverdue(e, now) ? 0 : 1), e.dueBy, e.id];
}

/** Compares two places in the queue (a total order, so pages never overlap). */
export function comparePlaces(a: QueuePlace, b: QueuePlace): number {
    return a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]);
}

/** Orders a queue: urgent first, overdue before in time, then by when a response is due (then by id). */
export function queueOrder(now: Date): (a: Escalation, b: Escalation) => number {
    return (a, b) => comparePlaces(queuePlace(a, now), queuePlace(b, now));
}

/**
 * True when first contact is owed and late: the request is open, past its due time, and no connector has marked it
 * in contact. The due time is when first contact is owed, so marking contact meets it for good (a request given back
 * afterwards is not overdue again).
 */
export function isOverdue(e: Escalation, now: Date): boolean {
    return e.status !== 'closed' && !e.firstContactAt && e.dueBy < now.toISOString();
}
