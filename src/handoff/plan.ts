/**
 * A request's plan and outcome in the sections of the PRSB Social Prescribing Information Standard v1.1 (issue 20),
 * and the closed request as that standard's "Message back to GP and referrer", for the resident's GP practice's
 * records. Source: the standard's page at the Professional Record Standards Body
 * (https://theprsb.org/standards/social-prescribing-standard/: version 1.1, January 2023, in three models: the
 * standard, "Referral to social prescribing services" and "Message back to GP and referrer"). See docs/privacy.md
 * ("The plan and the GP message") for what is in it and why.
 *
 * Signpost holds only what a resident chose to tell it: never an NHS number, a date of birth or an address. The
 * message says so of each ("not collected") and invents nothing. It is given only when the resident's agreement to
 * share with their GP is recorded, only to the connector holding the request or a lead, and each export is an audit
 * line on the request.
 */
import type { EscalationStore } from '../storage/escalationStore';
import type { Escalation, GpAgreement, SocialPrescribingPlan } from '../storage/escalationRecord';
import type { Actor, Refusal } from './lifecycle';

/** What the message says of a field the standard asks for and Signpost never holds. */
export const NOT_COLLECTED = 'not collected';

/** The standard and the model the export follows, as named by PRSB. */
export const GP_MESSAGE_STANDARD = 'PRSB Social Prescribing Information Standard v1.1';
export const GP_MESSAGE_MODEL = 'Message back to GP and referrer';

/** The plan's sections as a connector writes them. */
export interface PlanInput {
    needsAndConcerns: string;
    whatMatters: string;
    supportOffered: string;
    outcome: string;
    gpAgreement: GpAgreement;
    /**
     * The `recordedAt` of the plan as the writer's form loaded it (null when there was none): the save is refused
     * when someone else saved the plan since, rather than overwrite their words unseen.
     */
    loadedRecordedAt: string | null;
}

/** A save refused because the plan changed since the writer loaded it: who saved it last, and when. */
export type PlanChanged = { refused: 'plan-changed'; recordedBy?: { name: string }; recordedAt?: string };

/** Why an export was refused, beyond the lifecycle's reasons: the resident's agreement is not recorded. */
export type ExportRefusal = Refusal | { refused: 'no-agreement' };

/** Whether this person may write the plan of, or export, this request: the connector holding it, or a lead. */
export function mayHandle(e: Escalation, actor: Actor): boolean {
    return actor.lead || e.assignee?.id === actor.id;
}

/**
 * Saves the plan (replacing any before) with an audit line saying the GP agreement as recorded, only over the plan
 * the writer loaded (the store checks it in the same write), so two people editing it at once cannot overwrite each
 * other unseen. The time of the agreement is kept while it stays the same answer, and set anew when it changes.
 */
export async function recordPlan(store: EscalationStore, reference: string, actor: Actor, input: PlanInput,
    now: Date): Promise<{ done: true; escalation: Escalation } | Refusal | PlanChanged> {
    const e = await store.getByReference(reference);
    if (!e) return { refused: 'not-found' };
    if (!mayHandle(e, actor)) return { refused: 'not-yours', ...(e.assignee ? { holder: e.assignee } : {}) };
    const changed = async (): Promise<PlanChanged> => {
        const latest = (await store.getByReference(reference))?.plan;
        return { refused: 'plan-changed',
            ...(latest ? { recordedBy: { name: latest.recordedBy.name }, recordedAt: latest.recordedAt } : {}) };
    };
    if ((e.plan?.recordedAt ?? null) !== input.loadedRecordedAt) return changed();
    const at = now.toISOString();
    const before = e.plan;
    const agreementAt = input.gpAgreement === 'not-asked' ? undefined
        : before?.gpAgreement === input.gpAgreement && before.gpAgreementAt ? before.gpAgreementAt : at;
    const plan: SocialPrescribingPlan = {
        needsAndConcerns: input.needsAndConcerns, whatMatters: input.whatMatters,
        supportOffered: input.supportOffered, outcome: input.outcome, gpAgreement: input.gpAgreement,
        ...(agreementAt ? { gpAgreementAt: agreementAt } : {}),
        recordedAt: at, recordedBy: { id: actor.id, name: actor.name },
    };
    const saved = await store.setPlan(reference, plan,
        { at, actor: actor.id, action: 'plan-recorded', detail: `GP agreement: ${input.gpAgreement}` },
        input.loadedRecordedAt);
    if (saved === 'not-found') return { refused: 'not-found' };
    if (saved === 'changed') return changed();
    return { done: true, escalation: { ...e, plan } };
}

/** What the message needs beyond the request: the service's name and the needs' plain labels. */
export interface GpMessageParts {
    serviceName: string;
    needLabel: (needId: string) => string;
    now: Date;
    /** The listings a connector sent from the workspace, as the audit trail's `suggested` lines name them. */
    suggestedByConnector: readonly string[];
}

/**
 * Whether this request may be exported to the GP by this person now: closed, theirs (or a lead's to give), and the
 * resident's agreement recorded. The refusal says which.
 */
export function mayExport(e: Escalation | undefined, actor: Actor): ExportRefusal | undefined {
    if (!e) return { refused: 'not-found' };
    if (!mayHandle(e, actor)) return { refused: 'not-yours', ...(e.assignee ? { holder: e.assignee } : {}) };
    if (e.status !== 'closed') return { refused: 'wrong-status', status: e.status };
    if (e.plan?.gpAgreement !== 'agreed') return { refused: 'no-agreement' };
    return undefined;
}

/** Text as given, or "not collected" when nothing was written. */
function given(text: string | undefined): string {
    return text && text.trim() ? text.trim() : NOT_COLLECTED;
}

/**
 * The closed request as the PRSB "Message back to GP and referrer": the person (only what they told Signpost, the
 * rest "not collected"; asked for on their behalf, not even their name: the name given is the asker's), the referrer
 * when someone asked for them (who they are to the person, professional or not, their name if given, whether the
 * person agrees), the referral, the social prescribing service and link worker (first name), the consent to
 * share, then the four sections of the plan (needs and concerns, what matters to the person, support offered and
 * referred to, outcome). The contact detail the resident gave for the connector is not in it: the practice has its
 * own, and the resident agreed to it for a call back, not for their record.
 */
export function gpMessage(e: Escalation, parts: GpMessageParts) {
    const plan = e.plan;
    const needs = e.summary.needs.map((id) => parts.needLabel(id));
    const behalf = e.onBehalf;
    // Asked for someone else: the name and words are the asker's, never the person's (a GP must not file the
    // message under the asker's name); the person's name was never asked.
    const referrer = behalf ? {
        referrer: {
            relationToThePerson: given(behalf.word ?? behalf.relation),
            professional: behalf.professional,
            name: given(e.contact.name),
            personKnowsAndAgrees: behalf.agrees ?? NOT_COLLECTED,
        },
    } : {};
    const words = behalf ? { inTheReferrersWords: given(e.summary.inOwnWords) }
        : { inTheirOwnWords: given(e.summary.inOwnWords) };
    return {
        standard: GP_MESSAGE_STANDARD,
        model: GP_MESSAGE_MODEL,
        createdAt: parts.now.toISOString(),
        reference: e.reference,
        person: {
            name: behalf ? NOT_COLLECTED : given(e.contact.name),
            nhsNumber: NOT_COLLECTED,
            dateOfBirth: NOT_COLLECTED,
            address: NOT_COLLECTED,
            gpPractice: NOT_COLLECTED,
            preferredLanguage: e.language?.code ?? 'en',
            interpreterNeeded: e.language?.interpreter ?? NOT_COLLECTED,
        },
        ...referrer,
        referral: {
            source: e.onBehalf?.professional ? 'Referred by a professional, through the Signpost chat'
                : e.onBehalf ? 'Asked for by someone close to the person, through the Signpost chat'
                    : 'Self-referral, through the Signpost chat',
            dateOfReferral: e.createdAt,
            reasonForReferral: needs.length ? needs : [NOT_COLLECTED],
            ...words,
        },
        socialPrescribingService: {
            service: parts.serviceName,
            linkWorker: e.assignee?.name ?? NOT_COLLECTED,
            dateOfFirstContact: e.firstContactAt ?? NOT_COLLECTED,
            dateClosed: e.closedAt ?? NOT_COLLECTED,
        },
        consent: {
            shareWithGp: plan?.gpAgreement ?? 'not-asked',
            recordedAt: plan?.gpAgreementAt ?? NOT_COLLECTED,
            recordedBy: plan?.recordedBy.name ?? NOT_COLLECTED,
        },
        needsAndConcerns: {
            needs: needs.length ? needs : [NOT_COLLECTED],
            notes: given(plan?.needsAndConcerns),
        },
        whatMattersToThePerson: given(plan?.whatMatters),
        supportOfferedAndReferredTo: {
            notes: given(plan?.supportOffered),
            suggestedInTheChat: e.summary.suggested.map((s) => s.name),
            suggestedByTheLinkWorker: [...parts.suggestedByConnector],
        },
        outcome: {
            result: e.outcome ?? NOT_COLLECTED,
            notes: given(plan?.outcome),
        },
    };
}
