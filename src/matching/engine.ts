/**
 * The matching engine: one object built once from loaded knowledge, answering every per-turn question from
 * indexes in memory. Pure: no I/O, no botbuilder. Used by the dialogs and by `signpost match`.
 */
import type { Opportunity, Place } from '../knowledge/schema';
import type { ServiceType } from '../knowledge/serviceTypes';
import type { CrisisRoute, CrisisRules, NeedTaxonomy } from '../knowledge/taxonomy';
import { buildCrisisModel, buildHelpingModel, detectCrisis, helpingReply, type HelpingReply } from './crisis';
import { buildLanguageCrisisModel, detectLanguageCrisis, type LanguageCrisis } from './crisisLanguages';
import { identify, mostlyEnglish, romanisedTwin, topOtherLanguage } from './language';
import { FUNCTION_WORDS, lexiconKey } from './text';
import type { LanguageFile } from '../knowledge/languages';
import { buildDirectoryIndex, rankOpportunities, type DirectoryIndex, type RankQuery } from './rank';
import { curateIndex, type IndexCuration } from './directory-index';
import { buildNeedModel, detectNeeds } from './needs';
import { buildLocaleNeedModel, detectLocaleNeeds, isLanguageWord, type LocaleNeedModel } from './localeNeeds';
import type { IntentLexicon } from '../knowledge/intents';
import type { LocaleNeedsFile } from '../knowledge/localeNeeds';
import { buildGazetteer, isResolvedPlace, resolvePlace, type Gazetteer } from './postcode';
import type { LatLng } from './geo';
import type { NeedScore, RankOutcome, ResolvedPlace } from './types';
import type { WhyWording } from './why';
import { readWishes, type WishWords, type Wishes } from './wishes';

/** What the engine is built from (a subset of the loaded knowledge). */
export interface EngineInput {
    taxonomy: NeedTaxonomy;
    crisis: CrisisRules;
    places: { places: readonly Place[]; outcodes: ReadonlyMap<string, LatLng> };
    opportunities: readonly Opportunity[];
    whyWording?: Partial<WhyWording>;
    /** The phrasings wishes are read with (knowledge/wording.json `wishes`); none: no wishes are read. */
    wishWords?: WishWords;
    /** Kinds of service residents name (knowledge/service-types.json); none: no kind is put first. */
    serviceTypes?: readonly ServiceType[];
    /** The other languages' crisis rules (knowledge/languages); none: English only. */
    languages?: readonly LanguageFile[];
    /** The needs lexicons of other languages (knowledge/locales/<code>/needs.json); none: needs read in English. */
    localeNeeds?: readonly LocaleNeedsFile[];
    /**
     * The intent words of each language (knowledge/intents): real words of that language, which its needs lexicon
     * and the English reader in a conversation in it never read as a typo of a need word.
     */
    intents?: ReadonlyMap<string, IntentLexicon>;
}

/** A crisis found in another language's rules: which language chooses the line shown first, and whether a child. */
export interface CrisisLanguage {
    language: string;
    aboutChild: boolean;
    /** Romanised Urdu or Panjabi that could be either: the other one, whose line is shown too (romanisedTwin). */
    also?: string;
}

export interface Engine {
    /**
     * The needs a message names, read with the lexicon of its language (`needsLanguage`): the English detector for
     * English, a language's own lexicon (knowledge/locales/<code>/needs.json) for Welsh or Polish, never the English
     * spelling corrector on them. `locale` is the conversation's language when known.
     */
    detectNeeds(text: string, locale?: string): NeedScore[];
    /**
     * Which lexicon reads a message's needs: the conversation's locale when it has a lexicon (unless the message
     * is in English words that English reads needs in: "I'm lonely" in a Welsh conversation), else the message's
     * identified language when it has one, else "en" (or, when English reads nothing in it, the language it looks
     * most like, when that has one).
     */
    needsLanguage(text: string, locale?: string): string;
    isCrisis(text: string): boolean;
    /** The kinds of immediate risk in a text (empty when none). */
    crisisKinds(text: string): string[];
    /**
     * The language whose crisis rules fired, when it is not English: the one the message is identified as when its
     * rules fired, else the first that fired. Undefined when no other language's rules fired, or when English's did
     * and the message reads as English.
     */
    crisisLanguage(text: string): CrisisLanguage | undefined;
    /** The language of a message (ISO 639-1); "en" also when it cannot tell. */
    language(text: string): string;
    /** The routes to show for those kinds, most urgent first; every route when no kind is known. */
    crisisRoutes(kinds: readonly string[]): CrisisRoute[];
    /** The words for a helper when a crisis message is about someone else (issue 18); undefined otherwise. */
    crisisHelping(text: string): HelpingReply | undefined;
    resolvePlace(text: string): ResolvedPlace | undefined;
    /** What a message says the resident wants or rules out (not Sundays, not on the phone, can pay, who they are). */
    readWishes(text: string): Wishes;
    rank(query: RankQuery): RankOutcome;
    opportunity(id: string): Opportunity | undefined;
    needIds(): string[];
    askLabel(needId: string): string;
    /** `them`: the words about someone else ("their housing"), where they differ. */
    reflectLabel(needId: string, them?: boolean): string;
    /**
     * This engine with curators' decisions laid over its directory (hidden listings left out, check dates
     * replaced), sharing every model and index: milliseconds, where building an engine over the curated records
     * takes about a second with 10,000 listings and blocks every resident's turn meanwhile. Scores as this engine
     * does (a hidden listing still counts in the words' statistics). Each call starts from the engine as built.
     */
    curated(curation: IndexCuration): Engine;
}

/** Builds every index and model once. */
export function createEngine(input: EngineInput): Engine {
    const needModel = buildNeedModel(input.taxonomy);
    const needIdList = input.taxonomy.needs.map((n) => n.id);
    const localeModels: ReadonlyMap<string, LocaleNeedModel> = new Map((input.localeNeeds ?? [])
        .map((f) => [f.locale, buildLocaleNeedModel(f, needIdList, intentWords(input.intents?.get(f.locale)))]));
    const crisisModel = buildCrisisModel(input.crisis);
    const helpingModel = buildHelpingModel(input.crisis);
    const languageModel = buildLanguageCrisisModel(input.languages ?? []);
    const kindOrder = input.crisis.kinds.map((k) => k.id);
    // The English words the detectors know: a message mostly made of them is English.
    const englishWord = (word: string) => FUNCTION_WORDS.has(word) || crisisModel.whole.has(word)
        || needModel.terms.has(lexiconKey(word));
    // A turn asks of one message its crisis kinds, then (when a crisis) its language line, then its language: each
    // answer is worked out once per message. Pure functions of the text, so the last answer is the answer.
    const identifyLanguage = lastOf((text: string) => identify(text, englishWord));
    const englishCrisis = lastOf((text: string) => detectCrisis(text, crisisModel));
    // The other languages' crisis, once per message: a crisis turn asks for its kinds and then its language.
    const otherCrisis = lastOf((text: string): OtherCrisis => otherLanguagesCrisis(text));
    /**
     * Every language's rules run on every message, with one exception: a message identified as English and at least
     * half English words is read by the English rules alone, unless it looks most like a language whose rules fired
     * ("mi hija se quiere suicidar"). Other languages' words are English words too often ("insult", "ambulance",
     * "overdose", "mus"), and their alarms would make a resident's request urgent and show a line in a language
     * they do not speak. See docs/matching.md.
     */
    const otherLanguagesCrisis = (text: string): OtherCrisis => {
        const found = detectLanguageCrisis(text, languageModel);
        if (found.languages.length === 0) return { found };
        const identified = identifyLanguage(text);
        if (identified !== 'en') return { found, identified };
        const top = topOtherLanguage(text);
        if (top && found.languages.includes(top)) return { found, identified: top };
        if (mostlyEnglish(text, englishWord)) return { found: { kinds: [], languages: [], aboutChild: [] } };
        return { found, identified };
    };
    const gazetteer: Gazetteer = buildGazetteer(input.places);
    const needs = new Map(input.taxonomy.needs.map((n) => [n.id, n]));
    // A listing a curator hid is never offered (schema.ts `hidden`).
    const offered = input.opportunities.filter((o) => o.hidden !== true);
    const index: DirectoryIndex = buildDirectoryIndex(offered, {
        needLabels: new Map(input.taxonomy.needs.map((n) => [n.id, n.reflect])),
        needLabelsThem: new Map(input.taxonomy.needs.flatMap((n) => (n.reflectThem ? [[n.id, n.reflectThem]] : []))),
        outcodes: input.places.outcodes,
        places: input.places.places,
        wording: input.whyWording,
        ...(input.serviceTypes ? { serviceTypes: input.serviceTypes } : {}),
    });
    const byId = new Map(offered.map((o) => [o.id, o]));
    /**
     * The lexicon a message is read with, and its needs. A message identification leaves as English and that English
     * reads no need in is read with the lexicon of the language it looks most like, when it has one ("mam dość
     * samotności" is too short to be called Polish): of the 765 English and other-language messages of the eval
     * sets, none goes that way (docs/matching.md).
     */
    const readNeeds = (text: string, locale?: string): { language: string; needs: NeedScore[] } => {
        const identified = identifyLanguage(text);
        const chosen = locale === undefined ? undefined : localeModels.get(locale);
        if (chosen) {
            // In a Welsh or Polish conversation, a message in English words that English reads needs in is English
            // ("I'm so lonely since my wife died"); any other is the conversation's language ("Jestem samotny od
            // roku" has "od", an English crisis word, in half its words).
            if (identified === 'en' && mostlyEnglish(text, englishWord)) {
                // The language's own words left out: the English corrector would read "druga" (second) as "drug".
                const needs = detectNeeds(withoutWords(text, (w) => !englishWord(w) && isLanguageWord(w, chosen)),
                    needModel);
                if (needs.length) return { language: 'en', needs };
            }
            return { language: locale as string, needs: detectLocaleNeeds(text, chosen) };
        }
        const model = localeModels.get(identified);
        if (model) return { language: identified, needs: detectLocaleNeeds(text, model) };
        const needs = detectNeeds(text, needModel);
        if (needs.length || identified !== 'en') return { language: 'en', needs };
        const other = topOtherLanguage(text);
        const fallback = other === undefined ? undefined : localeModels.get(other);
        const found = fallback ? detectLocaleNeeds(text, fallback) : [];
        return found.length ? { language: other as string, needs: found } : { language: 'en', needs };
    };
    /** The engine's face over one view of the directory: the index as built, or with decisions laid over it. */
    const over = (view: DirectoryIndex, opportunity: (id: string) => Opportunity | undefined): Engine => ({
        ...answers,
        rank: (query) => rankOpportunities(view, query),
        opportunity,
        curated: (curation) => {
            const dated = new Map<string, Opportunity>();
            for (const [id, date] of curation.checked) {
                const o = byId.get(id);
                if (o) dated.set(id, { ...o, assured_date: date });
            }
            return over(curateIndex(index, curation),
                (id) => (curation.hidden.has(id) ? undefined : dated.get(id) ?? byId.get(id)));
        },
    });
    const answers = {
        detectNeeds: (text, locale) => readNeeds(text, locale).needs,
        needsLanguage: (text, locale) => readNeeds(text, locale).language,
        isCrisis: (text) => englishCrisis(text).crisis || otherCrisis(text).found.kinds.length > 0,
        crisisKinds: (text) => {
            // Every language's rules (but see otherLanguagesCrisis): safety never depends on guessing the language.
            const found = new Set([...englishCrisis(text).kinds, ...otherCrisis(text).found.kinds]);
            return kindOrder.filter((k) => found.has(k));
        },
        crisisLanguage: (text) => {
            const { found, identified } = otherCrisis(text);
            if (found.languages.length === 0) return undefined;
            if (identified === 'en' && englishCrisis(text).crisis) return undefined;
            const language = identified && found.languages.includes(identified) ? identified
                : found.languages[0] as string;
            const also = romanisedTwin(text, language);
            return { language, aboutChild: found.aboutChild.includes(language), ...(also ? { also } : {}) };
        },
        language: (text) => identifyLanguage(text),
        crisisRoutes: (kinds) => routesFor(input.crisis, kinds),
        crisisHelping: (text) => helpingReply(text, helpingModel, englishCrisis(text).kinds),
        resolvePlace: (text) => {
            const place = resolvePlace(text, gazetteer);
            return isResolvedPlace(place) ? place : undefined;
        },
        readWishes: (text) => (input.wishWords ? readWishes(text, input.wishWords) : {}),
        needIds: () => input.taxonomy.needs.map((n) => n.id),
        askLabel: (id) => needs.get(id)?.askLabel ?? id,
        reflectLabel: (id, them) => (them ? needs.get(id)?.reflectThem : undefined) ?? needs.get(id)?.reflect ?? id,
    } satisfies Omit<Engine, 'rank' | 'opportunity' | 'curated'>;
    return over(index, (id) => byId.get(id));
}

/**
 * A pure function of a text that remembers its last answer: asked again about the same text (as a turn asks
 * several questions of one message), it answers without working it out again. Answers are treated as read-only.
 */
function lastOf<T>(work: (text: string) => T): (text: string) => T {
    let last: { text: string; answer: T } | undefined;
    return (text) => {
        if (last?.text !== text) last = { text, answer: work(text) };
        return last.answer;
    };
}

/** The other languages' rules on a message, and the language it is taken to be in when any fired. */
interface OtherCrisis {
    found: LanguageCrisis;
    identified?: string;
}

/** Routes for the kinds found, in the order the kinds list them, without repeats. */
function routesFor(rules: CrisisRules, kinds: readonly string[]): CrisisRoute[] {
    const byId = new Map(rules.routes.map((r) => [r.id, r]));
    const wanted = rules.kinds.filter((k) => kinds.includes(k.id)).flatMap((k) => k.routes);
    const ids = [...new Set(wanted.length ? wanted : rules.routes.map((r) => r.id))];
    return ids.map((id) => byId.get(id)).filter((r): r is CrisisRoute => r !== undefined);
}

/** Every word of a language's intent lists (not its notes): real words of that language. */
function intentWords(lexicon: IntentLexicon | undefined): string[] {
    if (!lexicon) return [];
    const words: string[] = [];
    const walk = (value: unknown): void => {
        if (typeof value === 'string') words.push(...value.split(/[^\p{L}\p{M}']+/u).filter(Boolean));
        else if (Array.isArray(value)) value.forEach(walk);
        else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    const { about: _about, language: _language, ...lists } = lexicon;
    walk(lists);
    return words;
}

/** The text with the words `drop` picks blanked out, so no reader joins the words either side of them. */
function withoutWords(text: string, drop: (word: string) => boolean): string {
    return text.replace(/[\p{L}\p{M}]+/gu, (word) => (drop(word.toLowerCase()) ? ' ~ ' : word));
}
