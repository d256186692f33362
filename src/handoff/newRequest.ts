/**
 * A new request for contact, made from what the hand-off dialog gathered: the domain decides its reference, its
 * priority and when a connector must answer, so the dialog only asks and the rules live with the hand-off.
 */
import type { Escalation, ResidentLanguage } from '../storage/escalationRecord';
import { addWorkingDays, newEscalationId, newReference } from './escalation';
import { residentKeyOf } from './resident';

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
    /** The resident's language, and whether they would like an interpreter (asked when it is not English). */
    language?: ResidentLanguage;
    /** Working days a connector has to answer a request that is not urgent. */
    responseDays: number;
    /** Where the conversation is, for a connector's messages (see conversationReferenceOf in the hand-off dialog). */
    conversationReference: Record<string, unknown>;
}

/**
 * The request to store: new, with a fresh id and reference; urgent and due at once when crisis routes were shown in
 * the chat, else due `responseDays` working days on.
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
        dueBy: (urgent ? now : addWorkingDays(now, facts.responseDays)).toISOString(),
        residentKey: residentKeyOf(facts.channelId, facts.userId),
        channelId: facts.channelId,
        conversationId: facts.conversationId,
        contact: facts.contact,
        summary: facts.summary,
        consent: { given: true, at: now.toISOString(), wording: facts.consentWording },
        ...(facts.language ? { language: facts.language } : {}),
        conversationReference: facts.conversationReference,
        // They are there: they are making it. Later sightings come through LiveRelay.seen.
        residentSeenAt: now.toISOString(),
    };
}
