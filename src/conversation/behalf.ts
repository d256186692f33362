/**
 * Who a message is for (issue 18): the writer, someone else, or both. Social prescribing often starts with someone
 * else (a daughter worried about her dad, a neighbour, a support worker for a client), and then the questions speak
 * about "them", the preferences are theirs and the request tells a connector who is asking for whom. Pure: text and
 * the word tables of knowledge/intents/<language>.json ("who") in, a reading out; no state, no botbuilder.
 *
 * The rules, in order: a professional's words ("I'm a support worker", "my client") make it someone else's, asked
 * for by a professional. Otherwise a person named with "my" at the start of a clause ("my dad is on his own") or
 * after a word of helping ("help for my mum"), or "he"/"she" starting a clause, is someone else, unless the words
 * around say the person was lost or is cared for ("since my wife died", "I look after my mum": the writer's own
 * need). The writer and the person together ("me and my husband"), or the writer's own need beside someone else's
 * ("my wife has dementia and I need a break"), is unclear: the hand-off asks. Anything else is the writer's own.
 */
import type { Relation, WhoWords } from '../knowledge/intents';
import type { ButtonKey, TextKey, Wording } from '../knowledge/wording';
import type { Pronoun, ResidentProfile } from './profile';
import { normalise } from './understand';

export type { Relation } from '../knowledge/intents';

/** What a message says about who it is for, when it is not (only) the writer. */
export interface WhoFor {
    /** `other`: someone else; `both`: unclear, the writer and someone else (asked at the hand-off). */
    about: 'other' | 'both';
    /** Who the person is to the writer, when a word says it ("my mum": parent). */
    relation?: Relation;
    /** The word the writer used for them, from the tables only ("mum", "neighbour"), to say "your mum". */
    word?: string;
    /** The pronoun that word says (the tables' `she` and `he`): "nan" is she; "neighbour" none, so "they". */
    pronoun?: Pronoun;
    /** A professional writing about someone they support (a support worker, a GP practice). */
    professional: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const phrase = (p: string) => escape(p).replace(/ /g, '\\s+').replace(/'/g, "'?");
const alternation = (list: readonly string[]) => [...list].sort((a, b) => b.length - a.length).map(phrase).join('|');
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

/** The tables compiled once per lexicon. */
interface Compiled {
    mention: RegExp;
    wordToRelation: Map<string, Relation>;
    lossBefore: RegExp;
    lossAfter: RegExp;
    helpBefore: RegExp;
    helpPronoun: RegExp;
    subjectPronoun: RegExp;
    professional: RegExp;
    together: RegExp;
    selfNeed: RegExp;
}

const compiled = new WeakMap<WhoWords, Compiled>();

function compile(words: WhoWords): Compiled {
    let done = compiled.get(words);
    if (done) return done;
    const wordToRelation = new Map<string, Relation>();
    for (const [relation, list] of Object.entries(words.relations) as [Relation, string[]][]) {
        for (const w of list) if (!wordToRelation.has(w)) wordToRelation.set(w, relation);
    }
    const describing = `(?:(?:${alternation(words.describing)}|\\d{1,3}\\s*(?:year|yr)s?\\s*old)\\s+){0,2}`;
    const relationWords = alternation([...wordToRelation.keys()]);
    done = {
        // "my (elderly) mum", "our neighbour": the relation word is group 1; "'s" may follow ("my mum's lonely").
        mention: new RegExp(`${B}(?:${alternation(words.owners)})\\s+${describing}(${relationWords})(?:'?s)?${E}`,
            'gu'),
        wordToRelation,
        lossBefore: new RegExp(`${B}(?:${alternation(words.lossBefore)})\\s*$`, 'u'),
        lossAfter: new RegExp(`^\\s*(?:${alternation(words.lossAfter)})${E}`, 'u'),
        helpBefore: new RegExp(`${B}(?:${alternation(words.helpFor)})\\s*$`, 'u'),
        helpPronoun: new RegExp(`${B}(?:${alternation(words.helpFor)})\\s+(?:${alternation(words.pronounObjects)})${E}`,
            'u'),
        subjectPronoun: new RegExp(`(?:^|[,.;:!?]\\s*|${B}(?:and|but|so|because|cos|as)\\s+)`
            + `(?:${alternation(words.subjectPronouns)})\\s+\\p{L}`, 'u'),
        professional: new RegExp(`${B}(?:${alternation(words.professional)})${E}`, 'u'),
        together: new RegExp(`${B}(?:${alternation(words.together)})${E}`, 'u'),
        selfNeed: new RegExp(`${B}(?:${alternation(words.selfNeed)})${E}`, 'u'),
    };
    compiled.set(words, done);
    return done;
}

/** Where a clause starts: the text's start, a stop or comma, or a joining word. */
const CLAUSE_START = /(?:^|[,.;:!?]|(?<![\p{L}])(?:and|but|so|because|cos|as|also|plus|then|now))\s*$/u;

interface Mention {
    word: string;
    relation: Relation;
    /** Named as the subject of a clause, or as the one helped. */
    subject: boolean;
    /** Lost or cared for by the writer. */
    loss: boolean;
}

/**
 * Who the message is for, or undefined when it reads as the writer's own (or says nothing of anyone else).
 * `words` is the language's "who" tables; without them every message is the writer's own.
 */
export function whoFor(text: string, words: WhoWords | undefined): WhoFor | undefined {
    if (!words || !text) return undefined;
    const c = compile(words);
    const t = normalise(text);
    const mentions: Mention[] = [];
    for (const m of t.matchAll(c.mention)) {
        const start = m.index ?? 0;
        const before = t.slice(0, start);
        const after = t.slice(start + m[0].length);
        const word = m[1];
        const relation = c.wordToRelation.get(word) ?? c.wordToRelation.get(word.replace(/\s+/g, ' ')) ?? 'relative';
        const loss = c.lossBefore.test(before) || c.lossAfter.test(after);
        const subject = !loss && (CLAUSE_START.test(before) || c.helpBefore.test(before));
        mentions.push({ word: word.replace(/\s+/g, ' '), relation, subject, loss });
    }
    const professional = c.professional.test(t) || mentions.some((m) => m.relation === 'client' && !m.loss);
    const named = mentions.find((m) => m.subject) ?? mentions.find((m) => !m.loss);
    const someone = professional || mentions.some((m) => m.subject) || c.helpPronoun.test(t)
        || c.subjectPronoun.test(t);
    const together = c.together.test(t) && (named !== undefined || someone);
    const self = c.selfNeed.test(t);
    if (!someone && !together) return undefined;
    const about: WhoFor['about'] = together || (self && !professional) ? 'both' : 'other';
    const who: WhoFor = { about, professional };
    if (named) {
        who.relation = named.relation;
        who.word = named.word;
        const pronoun = words.she?.includes(named.word) ? 'she' : words.he?.includes(named.word) ? 'he' : undefined;
        if (pronoun) who.pronoun = pronoun;
    } else if (professional) {
        who.relation = 'client';
    }
    return who;
}

/**
 * Notes who the resident's words say the conversation is for, the first time they say someone else: once known it
 * is kept for the rest of the conversation (later words about a need do not undo it), and an unclear reading becomes
 * clear when later words are. Returns whether the profile changed.
 */
export function noteWhoFor(profile: ResidentProfile, text: string, words: WhoWords | undefined): boolean {
    if (profile.behalf?.about === 'other') return false;
    const who = whoFor(text, words);
    if (!who) return false;
    profile.behalf = {
        ...profile.behalf, about: who.about, ...(who.relation ? { relation: who.relation } : {}),
        ...(who.word ? { word: who.word } : {}), ...(who.professional ? { professional: true } : {}),
    };
    // A new word replaces the old one, and its pronoun with it (none: "they").
    if (who.word) {
        if (who.pronoun) profile.behalf.pronoun = who.pronoun;
        else delete profile.behalf.pronoun;
    }
    return true;
}

/** Whether the questions speak about "them": the conversation is clearly for someone else. */
export function forThem(profile: Pick<ResidentProfile, 'behalf'>): boolean {
    return profile.behalf?.about === 'other';
}

/** How the bot names the person: "your mum" from the table's word, else "the person you're asking about". */
export function whoPhrase(profile: Pick<ResidentProfile, 'behalf'>, wording: Wording): string {
    const word = profile.behalf?.word;
    return word ? wording.text('whoYour', { word }) : wording.text('whoSomeone');
}

/**
 * The wording key said about someone else for each key that has one (knowledge/wording.json, "...Them"): a whole
 * sentence per question, written by a person, never words swapped in code.
 */
const THEM_KEYS: Partial<Record<TextKey, TextKey>> = {
    reflect: 'reflectThem', needsThanks: 'needsThanksThem', needsThanksPlace: 'needsThanksPlaceThem',
    askWhere: 'askWhereThem', askWhen: 'askWhenThem', askCost: 'askCostThem', askAccess: 'askAccessThem',
    askWorries: 'askWorriesThem', resultsIntro: 'resultsIntroThem', narrowNear: 'narrowNearThem',
    narrowMore: 'narrowMoreThem', offerHandoff: 'offerHandoffThem', askConsent: 'askConsentThem',
    // In the hand-off "they" would be the person: these say "the connector".
    askMethod: 'askMethodThem', askPhone: 'askPhoneThem', askEmail: 'askEmailThem', askName: 'askNameThem',
    askTime: 'askTimeThem',
};

/**
 * The sentences said with the person's pronoun when their word says one ("Does your nan know you're asking, and is
 * she happy for us to help?"): a whole sentence per pronoun in knowledge/wording.json, as the "Them" ones.
 */
const PRONOUN_KEYS: Partial<Record<TextKey, Record<Pronoun, TextKey>>> = {
    askAgrees: { she: 'askAgreesShe', he: 'askAgreesHe' },
    agreementNeeded: { she: 'agreementNeededShe', he: 'agreementNeededHe' },
};

/**
 * A sentence about the person, with their pronoun when their word says one and the key has such a variant, else
 * "they"; `{who}` ("your nan") is filled in.
 */
export function textAbout(profile: Pick<ResidentProfile, 'behalf'>, wording: Wording, key: TextKey,
    vars: Record<string, string | number> = {}): string {
    const pronoun = profile.behalf?.word ? profile.behalf.pronoun : undefined;
    const variant = pronoun ? PRONOUN_KEYS[key]?.[pronoun] : undefined;
    return wording.text(variant ?? key, { ...vars, who: whoPhrase(profile, wording) });
}

/**
 * The hand-off's contact questions when the connector is to contact the person themselves ("What's your nan's phone
 * number?"), not the resident who asked.
 */
const PERSON_KEYS: Partial<Record<TextKey, TextKey>> = {
    askMethod: 'askMethodPerson', askPhone: 'askPhonePerson', askEmail: 'askEmailPerson', askName: 'askNamePerson',
    askTime: 'askTimePerson', askConsent: 'askConsentPerson',
};

/** Whether the connector is to contact the person, not the resident asking for them. */
export function contactsPerson(profile: Pick<ResidentProfile, 'behalf'>): boolean {
    return forThem(profile) && profile.behalf?.contact === 'person';
}

/** "your nan's" from the table's word, else "their": whose number or e-mail is asked for. */
export function whosePhrase(profile: Pick<ResidentProfile, 'behalf'>, wording: Wording): string {
    const word = profile.behalf?.word;
    return word ? wording.text('whoseYour', { word }) : wording.text('whoseSomeone');
}

/**
 * A sentence of the wording, about "them" when the conversation is for someone else and the key has such a variant
 * (to the person when the connector is to contact them, PERSON_KEYS); `{who}` ("your mum") and `{whose}` ("your
 * mum's") are filled in for the variants that name them.
 */
export function textFor(profile: Pick<ResidentProfile, 'behalf'>, wording: Wording, key: TextKey,
    vars: Record<string, string | number> = {}): string {
    const person = contactsPerson(profile) ? PERSON_KEYS[key] : undefined;
    const them = person ?? (forThem(profile) ? THEM_KEYS[key] : undefined);
    if (!them) return wording.text(key, vars);
    return wording.text(them, { ...vars, who: whoPhrase(profile, wording), whose: whosePhrase(profile, wording) });
}

/** The buttons said in the resident's voice that have a "them" variant ("They'd rather not go alone"). */
const THEM_BUTTONS: Partial<Record<ButtonKey, ButtonKey>> = {
    canPay: 'canPayThem', notAlone: 'notAloneThem', nervous: 'nervousThem', imOk: 'imOkThem',
};

/** A button's words, about "them" when the conversation is for someone else and the button has such a variant. */
export function buttonFor(profile: Pick<ResidentProfile, 'behalf'>, wording: Wording, key: ButtonKey): string {
    const them = forThem(profile) ? THEM_BUTTONS[key] : undefined;
    return wording.button(them ?? key);
}

/**
 * Every sentence and button of `value` said about "them" put back in the writer's own words, for a question already
 * on screen when the resident says "it's for me, not my mum": the prompt's retry says it the same way. Strings are
 * mapped wherever they sit (text, buttons, the channels' content), whole sentences only, never words swapped.
 */
export function inWritersWords<T>(value: T, profile: Pick<ResidentProfile, 'behalf'>, wording: Wording): T {
    const pairs: [string, string][] = [];
    const who = whoPhrase(profile, wording);
    for (const [key, them] of Object.entries(THEM_KEYS) as [TextKey, TextKey][]) {
        try {
            pairs.push([wording.text(them, { who }), wording.text(key)]);
        } catch {
            // A sentence with other blanks ("{needs}") is never a question's prompt: left as it is.
        }
    }
    for (const [key, them] of Object.entries(THEM_BUTTONS) as [ButtonKey, ButtonKey][]) {
        pairs.push([wording.button(them), wording.button(key)]);
    }
    pairs.sort((a, b) => b[0].length - a[0].length);
    const map = (v: unknown): unknown => {
        if (typeof v === 'string') return pairs.reduce((s, [from, to]) => s.split(from).join(to), v);
        if (Array.isArray(v)) return v.map(map);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x)]));
        return v;
    };
    return map(value) as T;
}
