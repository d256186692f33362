/**
 * What the bot remembers during one conversation. Kept in conversation state (the store), never in memory,
 * so any instance can take the next turn. Deleted by "delete my data" and by the retention sweep.
 */
import type { Preferences } from '../matching/types';

export interface ResidentProfile {
    /** Need ids the resident confirmed, best first. */
    needs: string[];
    /** Their own words about what matters (capped), shared with a connector only with consent. */
    inOwnWords?: string;
    prefs: Preferences;
    /** Opportunity ids shown so far, in the order numbered to the resident. */
    suggested: string[];
    /** True once crisis routes were shown in this conversation: a request for contact is then urgent. */
    crisisShown: boolean;
    /**
     * Every need confirmed in this conversation, with the words that led to it, oldest first (capped; story.ts), so a
     * request carries the whole story and not only the current search's. Absent in conversations from before it.
     */
    story?: { needs: string[]; words?: string }[];
    /** What the resident wrote about what matters, while it is not yet confirmed (capped). */
    draftWords?: string;
    /** Every opportunity shown in this conversation, in the order shown (capped; story.ts). */
    everSuggested?: string[];
    /**
     * They asked for something on now ("open now"): the results are those with a session running now or starting
     * within two hours, read against the clock when shown (src/conversation/when.ts). Not a preference a connector
     * needs: it is about the moment it was said.
     */
    openNow?: boolean;
}

export const PROFILE_PROPERTY = 'profile';

export function emptyProfile(): ResidentProfile {
    return { needs: [], prefs: {}, suggested: [], crisisShown: false };
}

/** The longest message a resident may send; longer ones get a kind "too long" answer. */
export const MAX_MESSAGE_LENGTH = 2000;
/** How much of the resident's own words a request for contact keeps. */
export const MAX_OWN_WORDS = 500;
