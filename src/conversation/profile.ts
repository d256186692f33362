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

/**
 * A stored profile as this release reads it, whichever release wrote it (a conversation under way when a release is
 * deployed keeps its needs, place and story): lists are lists, flags are flags, and a profile from before the story
 * was kept gets one from its current needs and words, so a request made later still carries them. Anything that is
 * not a profile at all becomes an empty one.
 */
export function upgradeProfile(stored: unknown): ResidentProfile {
    const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
    const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
    const profile: ResidentProfile = {
        needs: strings(raw.needs),
        prefs: (raw.prefs && typeof raw.prefs === 'object' ? raw.prefs : {}) as Preferences,
        suggested: strings(raw.suggested),
        crisisShown: raw.crisisShown === true,
    };
    const words = text(raw.inOwnWords);
    if (words) profile.inOwnWords = words.slice(0, MAX_OWN_WORDS);
    const draft = text(raw.draftWords);
    if (draft) profile.draftWords = draft.slice(0, MAX_OWN_WORDS);
    if (Array.isArray(raw.story)) {
        profile.story = (raw.story as unknown[]).filter((p) => p && typeof p === 'object').map((p) => {
            const part = p as Record<string, unknown>;
            const said = text(part.words);
            return { needs: strings(part.needs), ...(said ? { words: said } : {}) };
        });
    } else if (profile.needs.length) {
        profile.story = [{ needs: [...profile.needs], ...(words ? { words: profile.inOwnWords } : {}) }];
    }
    profile.everSuggested = Array.isArray(raw.everSuggested) ? strings(raw.everSuggested) : [...profile.suggested];
    return profile;
}
