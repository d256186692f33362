/**
 * Everything the product keeps, independent of the database: one handle over every port (one file per port in
 * this folder), and how long things are kept.
 */
import type { AnalyticsStore } from './analyticsStore';
import type { AttemptStore } from './attemptStore';
import type { DirectLineStore } from './directLineStore';
import type { EscalationStore } from './escalationStore';
import type { ListingFeedbackStore } from './listingFeedbackStore';
import type { ScheduledMessageStore } from './scheduledMessageStore';
import type { OptOutStore } from './optOutStore';
import type { SessionStore } from './sessionStore';
import type { StateStore } from './stateStore';
import type { StoreMigration } from './storeMigration';
import type { TeamsLinkStore } from './teamsLinkStore';
import type { UserStore } from './userStore';

/**
 * How long things are kept. `stateDays`: conversation state and website chats, after their last message.
 * `referralDays`: requests for contact, after they are closed (absent: closed requests are not swept).
 */
export interface Retention {
    stateDays: number;
    referralDays?: number;
}

/** Everything the product keeps, behind one handle that can be closed. */
export interface Stores {
    kind: 'embedded' | 'mongodb';
    state: StateStore;
    escalations: EscalationStore;
    directLine: DirectLineStore;
    optOuts: OptOutStore;
    users: UserStore;
    sessions: SessionStore;
    /** Attempt counts for lockouts and limits; not copied by a migration (they last an hour or a day). */
    attempts: AttemptStore;
    analytics: AnalyticsStore;
    /** Which Teams users act as which workspace accounts (Claim in Teams), and the one-time codes that link them. */
    teamsLinks: TeamsLinkStore;
    /** Residents' reports against listings (counts, nothing about them) and curators' decisions (issue 21). */
    listingFeedback: ListingFeedbackStore;
    /**
     * Reminders and check-ins to send later (issue 22); finished ones are swept after the state retention, and an
     * address kept for one goes at its last use.
     */
    scheduled: ScheduledMessageStore;
    /** Copying the store to another adapter. */
    migration: StoreMigration;
    /**
     * Removes conversation state and website chats untouched for `stateDays`, expired workspace sessions, closed
     * attempt windows, expired Teams link codes and, when `referralDays` is given, requests for contact closed that
     * many days ago (with their audit trail). A number is `stateDays` alone. Returns how many conversations, chats and requests went.
     */
    sweep(retention: number | Retention, now?: Date): Promise<number>;
    close(): Promise<void>;
}

/** The retention as an object, whichever way it was given. */
export function retentionOf(retention: number | Retention): Retention {
    return typeof retention === 'number' ? { stateDays: retention } : retention;
}
