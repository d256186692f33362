/**
 * A resident's request to be contacted by a community connector, as it is stored: its statuses, contact methods,
 * outcomes and audit lines. Defined here, at the bottom with the ports that keep it; the hand-off domain
 * (src/handoff/) builds on it. Created only after explicit consent.
 */

export const ESCALATION_STATUSES = ['new', 'claimed', 'in-contact', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** How a closed request ended, as a connector records it. */
export const OUTCOMES = ['connected', 'advice-given', 'could-not-contact', 'declined', 'referred-elsewhere'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A connector or lead, as an escalation names them: an id and the first name residents may be told. */
export interface Assignee {
    id: string;
    name: string;
}

export const CONTACT_METHODS = ['phone', 'text', 'email'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export interface Escalation {
    id: string;
    /** What the resident quotes: "SP-" and six letters and digits that cannot be confused (no 0/O, 1/I). */
    reference: string;
    status: EscalationStatus;
    /** Urgent when crisis routes were shown in the chat, before the request was made or while it was open. */
    priority: 'normal' | 'urgent';
    createdAt: string;
    /** Response due, ISO date-time, from the service level. */
    dueBy: string;
    /** A one-way hash of channel and user id: links a resident's requests without storing their channel id. */
    residentKey: string;
    channelId: string;
    conversationId: string;
    contact: { method: ContactMethod; value: string; name?: string; bestTime?: string };
    /**
     * The whole story (src/conversation/story.ts): `needs`, every need confirmed in the conversation (before any was,
     * the needs the resident's words point to); `inOwnWords`,
     * the resident's own words for each, one line per need ("Feeling lonely...: I feel lonely since..."), then any
     * not yet confirmed (so a request made before a need was confirmed still says what they wrote); `suggested`,
     * everything shown in the conversation. Requests made before this kept the last search's only: the same fields.
     */
    summary: {
        needs: string[];
        inOwnWords?: string;
        preferences: string[];
        suggested: { id: string; name: string }[];
        crisisShown: boolean;
    };
    /**
     * The language the resident wrote in (ISO 639-1, "en" for English) and, when it is not English, whether they
     * would like an interpreter (absent: not asked). Absent on requests made before it was kept, when Signpost held
     * conversations in English only: the queue's language filter reads those as English.
     */
    language?: ResidentLanguage;
    /**
     * Asked for someone else (issue 18): who the person is to the asker (`relation`, one of the relations of
     * knowledge/intents, and the word the asker used, such as "mum"), whether the asker is a professional (a support
     * worker, a GP practice: "referred by a professional"), and whether the person knows and agrees, as the asker
     * said (`yes`, `no`, `unsure`; absent when not asked). No name or detail of the person is kept here. Whose the
     * contact details are (`contactOf`): `person` when the asker said the connector should contact the person
     * (asked only when the person knows and agrees), `asker` when the asker; absent (asked before it was asked): the
     * asker's. Absent when the resident asked for themselves, and on requests from before it.
     */
    onBehalf?: {
        relation?: string; word?: string; professional: boolean; agrees?: 'yes' | 'no' | 'unsure';
        contactOf?: 'asker' | 'person';
    };
    /** The consent given; `transcriptShared` says whether the resident also let the connector read the chat. */
    consent: { given: true; at: string; wording: string; transcriptShared?: boolean };
    /** The chat before the request (capped), only when the resident agreed to share it. */
    transcript?: TranscriptEntry[];
    /** Who has it; absent while it is new. */
    assignee?: Assignee;
    /** Set when it is closed. */
    outcome?: Outcome;
    /** When a connector first marked it in contact (for the time-to-first-contact report). */
    firstContactAt?: string;
    closedAt?: string;
    /** When the lifecycle last changed (absent: never changed since it was created). */
    updatedAt?: string;
    /**
     * Where the resident's conversation is, for proactive messages from a connector: botbuilder's
     * ConversationReference as plain data (no user name or text is kept in it).
     */
    conversationReference?: Record<string, unknown>;
    /**
     * The connector who has the live conversation, while they have it: the bot stays silent (but for crisis
     * routes) and passes the resident's messages to them. Kept in the store so every instance sees it.
     */
    relay?: Assignee;
    /**
     * When the resident was last seen in the chat this request came from (ISO date-time): their last message, or
     * their page's last poll or open connection on the website chat. Only a time, no address; absent on requests
     * stored before it was kept, and until they are first seen after the request. Shown to connectors so they know
     * whether a live message can reach anyone.
     */
    residentSeenAt?: string;
    /** The id of the message that announced it to connectors (the Teams card), so that message can be updated. */
    noticeId?: string;
    /**
     * A keyed hash of the normalised contact detail (src/handoff/intake.ts): finds this open request when the same
     * resident asks again with the same number or address, so the repeat is merged into it. Never shown to connectors.
     */
    contactKey?: string;
    /** How many times the same resident asked again with the same contact detail while this was open (merged). */
    repeats?: number;
    /**
     * The references of other residents' open requests with the same contact detail when this one was made (a
     * shared phone, a support worker's number), so a connector can handle them together. Never told to residents.
     */
    sameContactAs?: string[];
    /**
     * The connector's plan and outcome, in the sections of the PRSB Social Prescribing Information Standard v1.1
     * (issue 20): absent until first recorded, and on every request stored before it (an additive field: nothing
     * to migrate). Replaced whole each time it is saved; each save is an audit line.
     */
    plan?: SocialPrescribingPlan;
}

/** Whether the resident agreed that a summary may go to their GP practice, as the connector recorded it. */
export const GP_AGREEMENTS = ['not-asked', 'agreed', 'declined'] as const;
export type GpAgreement = (typeof GP_AGREEMENTS)[number];

/** The longest a section of the plan may be, in characters. */
export const PLAN_SECTION_MAX = 4000;

/**
 * A request's plan and outcome, one free-text section each of the standard's: the person's needs and concerns, what
 * matters to them, the support offered and what they were referred to, and the outcome. `gpAgreement` is the
 * resident's answer to sharing a summary with their GP practice, as the connector who spoke with them recorded it
 * (with when); the export to the GP needs `agreed`. `recordedBy` is the account that saved it last.
 */
export interface SocialPrescribingPlan {
    needsAndConcerns: string;
    whatMatters: string;
    supportOffered: string;
    outcome: string;
    gpAgreement: GpAgreement;
    /** When the GP agreement was last recorded as it is now (absent while not asked). */
    gpAgreementAt?: string;
    recordedAt: string;
    recordedBy: Assignee;
}

/** A request's language: a code, and the interpreter wish asked for when it is not English. */
export interface ResidentLanguage {
    code: string;
    interpreter?: boolean;
}

/** One message of the chat before a request: who said it, when, and what (capped). */
export interface TranscriptEntry {
    at: string;
    from: 'resident' | 'bot';
    text: string;
}

/** One line of an escalation's audit trail: who did what, when. `detail` holds a note's text or an outcome. */
export interface AuditEntry {
    at: string;
    /** A user id, or 'resident' / 'system'. */
    actor: string;
    action: AuditAction;
    detail?: string;
}

/**
 * `raised-urgent`: crisis routes were shown to the resident after the request was made, so it became urgent.
 * `deletion-asked`: the resident asked to delete their data; the request was kept (a connector had it), but the link
 * to their chat was removed and any live chat ended.
 * `repeated`: the same resident asked again with the same contact detail while the request was open; the repeat was
 * merged into it rather than stored as a new request. `detail` says what was new (see repeatDetail).
 * `message-not-delivered`: a connector's live message that did not reach the resident's chat (they had left it, the
 * channel refused it, or it timed out); kept in the live chat so nothing a connector wrote is lost.
 * `due-rescheduled`: the due time moved under a new rule for requests already stored (urgent: due today, not at
 * once); `detail` holds the old due time.
 * `suggested`: a connector sent listings from the directory to the resident in their chat (the workspace's directory
 * search); `detail` holds their names, so the request says what was suggested and by whom.
 * `plan-recorded`: the plan and outcome were saved (`detail`: the GP agreement as recorded). `exported`: the closed
 * request was exported as the PRSB "Message back to GP and referrer" (`detail`: the model's name), by whom and when.
 */
export const AUDIT_ACTIONS = [
    'created', 'claimed', 'released', 'reassigned', 'in-contact', 'closed', 'note', 'message-sent', 'relay-started',
    'relay-ended', 'resident-message', 'crisis-routes-shown', 'raised-urgent', 'deletion-asked', 'repeated',
    'message-not-delivered', 'due-rescheduled', 'suggested', 'plan-recorded', 'exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
