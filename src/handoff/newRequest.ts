/**
 * A new request for contact, made from what the hand-off dialog gathered: the domain decides its reference, its
 * priority and when a connector must answer, so the dialog only asks and the rules live with the hand-off.
 */
import type { WorkingHours } from '../config';
import type { Escalation } from '../storage/escalationRecord';
import { addWorkingDays, newEscalationId, newReference } from './escalation';
import { residentKeyOf } from './resident';
import { DEFAULT_CONNECTOR_HOURS, urgentDueBy } from './urgentDue';

/** What the resident told the bot and agreed to, from which a request is made. */
export interface RequestFacts {
    now: Date;
    channelId: string;
    /** The resident's id in the channel: kept only as a one-way resident key. */
    userId: string;
    conversationId: string;
    contact: Escalation['contact'];
    summary: Escalation['summary'];
    /** The consent question exactly as the resident saw it. */
    consentWording: string;
    /** Working days a connector has to answer a request that is not urgent. */
    responseDays: number;
    /** When connectors work: an urgent request is due by the end of their day (see urgentDue.ts). */
    connectorHours?: WorkingHours;
    /** Where the conversation is, for a connector's messages (see conversationReferenceOf in the hand-off dialog). */
    conversationReference: Record<string, unknown>;
    /** Asked for someone else: who they are to the asker, and whether they know and agree (issue 18). */
    onBehalf?: Escalation['onBehalf'];
}

/**
 * The request to store: new, with a fresh id and reference; urgent when crisis routes were shown in the chat, and
 * then due today (or the next working morning: urgentDueBy), else due `responseDays` working days on.
 */
export function escalationFrom(facts: RequestFacts): Escalation {
    const { now } = facts;
    const urgent = facts.summary.crisisShown;
    return {
        id: newEscalationId(),
        reference: newReference(),
        status: 'new',
        priority: urgent ? 'urgent' : 'normal',
        createdAt: now.toISOString(),
        dueBy: (urgent ? urgentDueBy(now, facts.connectorHours ?? DEFAULT_CONNECTOR_HOURS)
            : addWorkingDays(now, facts.responseDays)).toISOString(),
        residentKey: residentKeyOf(facts.channelId, facts.userId),
        channelId: facts.channelId,
        conversationId: facts.conversationId,
        contact: facts.contact,
        summary: facts.summary,
        consent: { given: true, at: now.toISOString(), wording: facts.consentWording },
        ...(facts.onBehalf ? { onBehalf: facts.onBehalf } : {}),
        conversationReference: facts.conversationReference,
        // They are there: they are making it. Later sightings come through LiveRelay.seen.
        residentSeenAt: now.toISOString(),
    };
}
