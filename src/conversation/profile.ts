/**
 * What the bot remembers during one conversation. Kept in conversation state (the store), never in memory,
 * so any instance can take the next turn. Deleted by "delete my data" and by the retention sweep.
 */
import type { Preferences } from '../matching/types';
import { RELATIONS, type Relation } from '../knowledge/intents';

/** How the person a request is for feels about it, as the asker says at the hand-off (issue 18). */
export const AGREEMENTS = ['yes', 'no', 'unsure'] as const;
export type Agreement = (typeof AGREEMENTS)[number];

/**
 * Who the conversation is for, when it is not (only) the resident (issue 18): read from their words
 * (src/conversation/behalf.ts) or their answer to "Is this for you, or for someone else?", kept for the rest of the
 * conversation so the questions speak about "them" and the request says who is asking for whom. Only the relation
 * (a word from the tables, never a name) and answers to the bot's own questions.
 */
/** The pronouns a relation word can say; every other word is "they". */
export const PRONOUNS = ['she', 'he'] as const;
export type Pronoun = (typeof PRONOUNS)[number];

export interface Behalf {
    /** `other`: someone else; `both`: the resident and someone else, not yet clear (asked at the hand-off). */
    about: 'other' | 'both';
    relation?: Relation;
    /** The table's word for them ("mum"), so the bot can say "your mum". */
    word?: string;
    /** The pronoun their word says ("nan": she, "grandad": he); none ("neighbour", "friend"): "they". */
    pronoun?: Pronoun;
    /** The resident is a professional asking for someone they support. */
    professional?: boolean;
    /** Whether the person knows and agrees, as the resident answered at the hand-off. */
    agrees?: Agreement;
    /**
     * Whom the connector should contact, as the resident answered at the hand-off: `person` (their number or e-mail
     * is asked for: "What's your nan's phone number?"), else the resident who asked.
     */
    contact?: ContactOf;
}

/** Whose contact details a request made for someone else holds: the asker's or the person's. */
export const CONTACTS_OF = ['asker', 'person'] as const;
export type ContactOf = (typeof CONTACTS_OF)[number];

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
    /** Who it is for, when someone else (issue 18); absent: the resident themselves. */
    behalf?: Behalf;
    /**
     * The resident's saved list (issue 21): listing ids only, in the order saved, at most MAX_SAVED (keep.ts). What
     * is sent is read from the directory when it is sent; the number or address it goes to is never kept.
     */
    saved?: string[];
    /** The suggestion being talked about (its details opened, or a question about it), for "save this". */
    talkedAbout?: string;
}

export const PROFILE_PROPERTY = 'profile';

export function emptyProfile(): ResidentProfile {
    return { needs: [], prefs: {}, suggested: [], crisisShown: false };
}

/** The longest message a resident may send; longer ones get a kind "too long" answer. */
export const MAX_MESSAGE_LENGTH = 2000;
/** The most ids a stored saved list is read with (conversation/keep.ts MAX_SAVED, which this must not be below). */
const MAX_SAVED_IDS = 10;
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
    const behalf = upgradeBehalf(raw.behalf);
    if (behalf) profile.behalf = behalf;
    if (Array.isArray(raw.saved)) profile.saved = strings(raw.saved).slice(0, MAX_SAVED_IDS);
    const talked = text(raw.talkedAbout);
    if (talked) profile.talkedAbout = talked;
    return profile;
}

/** A stored "who it is for", kept only in the shape this release knows. */
function upgradeBehalf(stored: unknown): Behalf | undefined {
    if (!stored || typeof stored !== 'object') return undefined;
    const raw = stored as Record<string, unknown>;
    if (raw.about !== 'other' && raw.about !== 'both') return undefined;
    const behalf: Behalf = { about: raw.about };
    if (RELATIONS.includes(raw.relation as Relation)) behalf.relation = raw.relation as Relation;
    if (typeof raw.word === 'string' && raw.word) behalf.word = raw.word.slice(0, 40);
    if (PRONOUNS.includes(raw.pronoun as Pronoun)) behalf.pronoun = raw.pronoun as Pronoun;
    if (raw.professional === true) behalf.professional = true;
    if (AGREEMENTS.includes(raw.agrees as Agreement)) behalf.agrees = raw.agrees as Agreement;
    if (CONTACTS_OF.includes(raw.contact as ContactOf)) behalf.contact = raw.contact as ContactOf;
    return behalf;
}
