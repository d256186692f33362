/** The migration port: what a store holds, kind by kind, to copy a whole store to another adapter. */
import type { UnmetCount } from './analyticsStore';
import type { DirectLineConversation } from './directLineStore';
import type { AuditEntry, Escalation } from './escalationRecord';
import type { ListingDecision, ListingReportSummary } from './listingFeedbackStore';
import type { ScheduledMessage } from './scheduledMessageStore';
import type { WorkspaceSession } from './sessionStore';
import type { TeamsLink } from './teamsLinkStore';
import type { WorkspaceUser } from './userStore';

/** What a store holds, as the migration copies it: one kind per table or collection. */
export const RECORD_KINDS = [
    'state', 'escalations', 'users', 'sessions', 'optOuts', 'unmetNeeds', 'chatConversations', 'chatActivities',
    'teamsLinks', 'listingReports', 'listingDecisions', 'scheduledMessages',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * Where each kind is kept: the same name for the embedded store's table and the MongoDB collection, so a data map
 * (docs/privacy.md) and a migration speak of one thing.
 */
export const RECORD_STORE_NAMES: Readonly<Record<RecordKind, string>> = Object.freeze({
    state: 'state',
    escalations: 'escalations',
    users: 'workspace_users',
    sessions: 'workspace_sessions',
    optOuts: 'sms_opt_outs',
    unmetNeeds: 'unmet_needs',
    chatConversations: 'dl_conversations',
    chatActivities: 'dl_activities',
    teamsLinks: 'teams_links',
    listingReports: 'listing_reports',
    listingDecisions: 'listing_decisions',
    scheduledMessages: 'scheduled_messages',
});

/**
 * One stored thing in an adapter-neutral shape, for copying a whole store to another adapter. `id` is what makes
 * it unique, so importing the same record twice leaves one copy. Rate-limit windows are not copied: they last a
 * minute; nor are Teams link codes (ten minutes).
 */
export type StoreRecord =
    | { kind: 'state'; id: string; doc: { item: Record<string, unknown>; eTag: string; updatedAt: number } }
    | {
        kind: 'escalations'; id: string;
        /** `chat`: the kept live-chat lines, oldest first; `chatTotal`: how many were ever written. */
        doc: { escalation: Escalation; audit: AuditEntry[]; chat?: AuditEntry[]; chatTotal?: number };
    }
    | { kind: 'users'; id: string; doc: WorkspaceUser }
    | { kind: 'sessions'; id: string; doc: WorkspaceSession }
    | { kind: 'optOuts'; id: string; doc: { optedOut: boolean; at: string } }
    | { kind: 'unmetNeeds'; id: string; doc: UnmetCount }
    | { kind: 'chatConversations'; id: string; doc: DirectLineConversation & { lastSeq: number; updatedAt: number } }
    | {
        kind: 'chatActivities'; id: string;
        doc: { conversationId: string; seq: number; activity: Record<string, unknown> };
    }
    | { kind: 'teamsLinks'; id: string; doc: TeamsLink }
    | { kind: 'listingReports'; id: string; doc: ListingReportSummary }
    | { kind: 'listingDecisions'; id: string; doc: ListingDecision }
    | { kind: 'scheduledMessages'; id: string; doc: ScheduledMessage };

/**
 * Moving a whole store to another adapter (`signpost store migrate`). Not for the bot: nothing a resident does
 * reaches it.
 */
export interface StoreMigration {
    /** Everything stored, kind by kind. */
    exportAll(): AsyncIterable<StoreRecord>;
    /** Writes records, replacing any with the same kind and id (so running twice gives the same result). */
    importRecords(records: readonly StoreRecord[]): Promise<void>;
    /** How many records of each kind are stored. */
    counts(): Promise<Record<RecordKind, number>>;
}
