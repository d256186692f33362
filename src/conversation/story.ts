/**
 * The whole story a request for contact carries: every need confirmed in the conversation, the resident's own words
 * for each, and everything suggested, not only the last search's. A request made before any need was confirmed
 * carries the words the resident wrote so far, so a connector never gets an empty request.
 */
import { MAX_OWN_WORDS, type ResidentProfile } from './profile';

/**
 * At most this many parts of the story are kept (the newest; the needs of older ones are kept without their words),
 * and this many suggestions in a request.
 */
export const MAX_STORY_PARTS = 6;
export const MAX_SUGGESTED_IN_REQUEST = 12;
/** The longest "in their own words" a request carries: each part is cut to MAX_OWN_WORDS first. */
export const MAX_STORY_WORDS = 2000;

/**
 * Needs the resident confirmed, with the words that led to them. The profile's `needs` and `inOwnWords` stay the
 * current search's (ranking reads them); the story keeps what came before.
 */
export function noteConfirmed(profile: ResidentProfile, needs: string[], words: string | undefined): void {
    profile.needs = needs;
    const said = words?.trim().slice(0, MAX_OWN_WORDS) || undefined;
    // New needs without words (picked from the list) replace the old words too: ranking reads `inOwnWords`, and the
    // words of a need given up ("arts and crafts") must stop counting. The story below still keeps them.
    if (said) profile.inOwnWords = said;
    else delete profile.inOwnWords;
    delete profile.draftWords;
    if (!needs.length && !said) return;
    const story = (profile.story ?? []).filter((p) => !(said && p.words === said));
    story.push({ needs: [...needs], ...(said ? { words: said } : {}) });
    if (story.length > MAX_STORY_PARTS) {
        // The oldest words go, never a need: the needs of the parts dropped are kept together, first.
        const dropped = story.slice(0, story.length - MAX_STORY_PARTS + 1);
        profile.story = [{ needs: [...new Set(dropped.flatMap((p) => p.needs))] },
            ...story.slice(-(MAX_STORY_PARTS - 1))];
    } else {
        profile.story = story;
    }
}

/** What the resident wrote about what matters before it was confirmed (replaced by the next such message). */
export function noteDraft(profile: ResidentProfile, words: string): void {
    const said = words.trim().slice(0, MAX_OWN_WORDS);
    if (said) profile.draftWords = said;
}

/** Opportunities shown, kept across searches in the order shown (a new search's own list replaces `suggested`). */
export function noteSuggested(profile: ResidentProfile, ids: string[]): void {
    const all = [...(profile.everSuggested ?? []), ...ids.filter((id) => !(profile.everSuggested ?? []).includes(id))];
    profile.everSuggested = [...new Set(all)].slice(-MAX_SUGGESTED_IN_REQUEST * 2);
}

/** The story as a request's summary takes it: needs, the own words (one line each) and what was suggested. */
export interface StorySummary {
    needs: string[];
    inOwnWords?: string;
    suggested: string[];
}

/**
 * Every need confirmed, first confirmed first, then the current search's; the own words as one line per part
 * ("Feeling lonely: I feel lonely since my wife died"), then any words not yet confirmed; everything suggested.
 * `label` names a need for the connector.
 */
export function storyOf(profile: ResidentProfile, label: (needId: string) => string): StorySummary {
    const parts = [...(profile.story ?? [])];
    // A profile from before the story was kept (a conversation already under way): its current needs and words.
    if (!parts.length && (profile.needs.length || profile.inOwnWords)) {
        parts.push({ needs: profile.needs, ...(profile.inOwnWords ? { words: profile.inOwnWords } : {}) });
    }
    const needs = [...new Set([...parts.flatMap((p) => p.needs), ...profile.needs])];
    const lines = parts.filter((p) => p.words).map((p) => {
        const labels = p.needs.map(label).join(', ');
        return labels ? `${labels}: ${p.words}` : p.words!;
    });
    if (profile.draftWords && !parts.some((p) => p.words === profile.draftWords)) lines.push(profile.draftWords);
    const words = lines.join('\n').slice(0, MAX_STORY_WORDS).trim();
    const suggested = [...new Set([...(profile.everSuggested ?? []), ...profile.suggested])]
        .slice(0, MAX_SUGGESTED_IN_REQUEST);
    return { needs, ...(words ? { inOwnWords: words } : {}), suggested };
}
