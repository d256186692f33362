/** The workspace API's request bodies and query, validated with zod; the OpenAPI document is made from them. */
import { z } from 'zod';
import { ESCALATION_STATUSES, GP_AGREEMENTS, OUTCOMES, PLAN_SECTION_MAX } from '../storage/escalationRecord';

export const signInBody = z.object({
    email: z.string().trim().min(3).max(254).describe('The account email'),
    password: z.string().min(1).max(200).describe('The account password'),
}).strict();

export const noteBody = z.object({
    text: z.string().trim().min(1).max(2000).describe('The note; kept in the audit trail'),
}).strict();

export const closeBody = z.object({
    outcome: z.enum(OUTCOMES).describe('How it ended'),
    note: z.string().trim().min(1).max(2000).optional().describe('A closing note for the audit trail'),
}).strict();

export const assignBody = z.object({
    userId: z.string().min(1).max(100).describe('The account to give the request to'),
}).strict();

export const messageBody = z.object({
    text: z.string().trim().min(1).max(2000).describe('What the resident will read'),
}).strict();

/** An empty body for steps that need none (claim, contact, release); extra fields are refused. */
export const emptyBody = z.object({}).strict();

const planSection = (what: string) => z.string().trim().max(PLAN_SECTION_MAX).default('').describe(what);

/** The plan and outcome, in the PRSB Social Prescribing Information Standard's sections (src/handoff/plan.ts). */
export const planBody = z.object({
    needsAndConcerns: planSection('Needs and concerns: what the person needs help with, and what worries them'),
    whatMatters: planSection('What matters to the person'),
    supportOffered: planSection('Support offered and referred to'),
    outcome: planSection('Outcome: what happened, in the person\'s words where possible'),
    gpAgreement: z.enum(GP_AGREEMENTS).describe('Whether the person agreed that a summary may go to their GP '
        + 'practice, as they told the connector (`agreed` is needed to export the message back to the GP)'),
    loadedRecordedAt: z.string().max(40).nullable().describe('The plan\'s `recordedAt` as the form loaded it (null '
        + 'when there was no plan): the save is refused with 409 PlanChanged when someone else saved it since'),
}).strict();

/** The statuses a request can be open in: the queue's default view. */
export const OPEN_STATUSES = ['new', 'claimed', 'in-contact'] as const;

export const queueQuery = z.object({
    status: z.enum([...ESCALATION_STATUSES, 'open', 'all']).default('open')
        .describe('Only requests in this status; "open" (the default): new, claimed or in contact; "all": any'),
    priority: z.enum(['normal', 'urgent']).optional().describe('Only requests of this priority'),
    need: z.string().trim().min(1).max(60).optional()
        .describe('Only requests with this need: its id, its label, or a word for it ("lonely")'),
    language: z.string().trim().min(2).max(40).optional()
        .describe('Only requests in this language: its code ("pl"), its name ("Polish") or its own name ("Polski")'),
    overdue: z.enum(['true', 'false']).optional().describe('Only requests past (true) or within (false) their due time'),
    mine: z.enum(['true', 'false']).optional().describe('Only requests held (true) or not held (false) by the caller'),
    view: z.enum(['all', 'mine', 'unclaimed']).default('all')
        .describe('Whose requests: everyone\'s (the default), the caller\'s, or those nobody has claimed'),
    limit: z.coerce.number().int().min(1).max(200).default(50)
        .describe('How many requests in one page (1 to 200, default 50)'),
    cursor: z.string().max(300).regex(/^[A-Za-z0-9_-]+$/).optional()
        .describe('Where the page starts: nextCursor from the page before'),
}).strict();

/** The lead report's query: how many weeks back, this week included. */
/** The page's refresh of a live chat: only the messages numbered above the last it has. */
export const chatQuery = z.object({
    after: z.string().regex(/^\d{1,9}$/, 'A whole number from 0').default('0').transform(Number)
        .describe('The number of the last message the page has (0: all that are kept)'),
}).strict();

export const reportQuery = z.object({
    weeks: z.coerce.number().int().min(1).max(52).default(12).describe('How many weeks, this one included (1 to 52)'),
}).strict();

/** The live feed's query: where to resume, for a client that cannot send the Last-Event-ID header. */
export const liveQuery = z.object({
    lastEventId: z.string().max(80).optional()
        .describe('The id of the last event the page had (the Last-Event-ID header says the same, and wins)'),
}).strict();

/** A directory search from the workspace: words, needs, a place, and the bot's commonest filters. */
export const directoryQuery = z.object({
    text: z.string().trim().max(500).optional().describe('What the person needs, in words ("lonely since my wife died")'),
    need: z.string().trim().min(1).max(60).optional()
        .describe('A need by its id, label or a word for it; used instead of the needs found in the words'),
    place: z.string().trim().max(60).optional().describe('A postcode, district or place name, for distance'),
    free: z.enum(['true', 'false']).optional().describe('Only free listings'),
    online: z.enum(['true', 'false']).optional().describe('Online and phone listings count as near'),
    offset: z.coerce.number().int().min(0).max(200).default(0).describe('How many results to skip (paging)'),
    limit: z.coerce.number().int().min(1).max(20).default(5).describe('How many results (1 to 20, default 5)'),
}).strict();

/** Listings chosen from the directory to send to the resident in their chat. */
export const suggestionsBody = z.object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(3).describe('The listings\' ids, in order (1 to 3)'),
}).strict();

/** Chosen listings to send by text or e-mail to the contact the resident gave on the request. */
export const suggestionsSendBody = z.object({
    ids: z.array(z.string().min(1).max(200)).min(1).max(3).describe('The listings\' ids, in order (1 to 3)'),
    by: z.enum(['sms', 'email']).describe('sms: a text to the UK mobile the resident gave; email: to their address'),
}).strict();

/** The curation queue's filter and page (issue 21). */
export const curationQuery = z.object({
    reason: z.enum(['reported', 'stale', 'review']).optional()
        .describe('Only listings here for this reason: reported by residents, past their check date, or flagged by the '
            + 'importer\'s review'),
    offset: z.coerce.number().int().min(0).max(100_000).default(0).describe('How many listings to skip (paging)'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('How many listings (1 to 500, default 100)'),
}).strict();

/** A curator's action on a listing. */
export const curationBody = z.object({
    action: z.enum(['fixed', 'checked', 'hidden', 'shown'])
        .describe('fixed: its reports are dealt with; checked: today becomes its check date; hidden: never suggested; '
            + 'shown: suggested again'),
    reportsUpTo: z.string().datetime().optional()
        .describe('For fixed: the lastAt of the reports the curator saw; a report made after it keeps the listing\'s '
            + 'reports in the queue'),
}).strict();
