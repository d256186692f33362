/**
 * The wording file: every sentence a resident reads lives in knowledge/wording.json, validated here. Code refers
 * to sentences by key, so a missing or misspelt key is caught at start-up, not in front of a resident.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError, type KnowledgeFault } from './faults';
import { LOCALE_WORDING_FILE, LOCALES_DIR, loadLocaleFiles, mergeLocale } from './locales';
import { ACCESS_FEATURES, WELCOME_FEATURES } from './schema';
import { foldForMatching, foldRule } from '../unicode';

export const TEXT_KEYS = [
    'welcome', 'askNeeds', 'reflect', 'chooseNeed', 'notSure', 'needsThanks', 'askWhere', 'whereUnknown',
    'whereOnline', 'whereGot', 'askWhen', 'whenUnknown', 'askCost', 'askAccess', 'askWorries', 'resultsIntro',
    'resultsMore', 'widened', 'widenedTime', 'widenedDay', 'widenedDistance', 'widenedCost', 'widenedOnline',
    'widenedAccess', 'labelWhere', 'labelWhen', 'labelCost', 'labelContact', 'labelWhy', 'labelAccess', 'labelWelcome',
    'labelWhoFor', 'labelChecked', 'free', 'costUnknown', 'online', 'byPhone', 'atHome', 'contactThem', 'kmAway',
    'resultsActions', 'noMore', 'noResults', 'pickNumber', 'askChange', 'offerHandoff', 'handoffNo', 'askMethod',
    'askPhone',
    'askEmail', 'badPhone', 'badEmail', 'askName', 'askTime', 'askConsent', 'consentNo', 'askShareChat', 'handoffDone',
    'handoffRepeated', 'handoffRepeatedUrgent', 'handoffLimited', 'handoffOutOfHours', 'relayStarted', 'relayMessage',
    'relayEnded', 'connectorSuggests', 'handoffFailed', 'help', 'restart', 'stopped',
    'deleted', 'deletedRequests', 'keptRequests', 'keptClosedRequests', 'statusNew',
    'deletedKeptSome', 'keptName', 'keptPhone', 'keptEmail', 'keptBestTime', 'keptNeeds', 'keptChat', 'keptLiveChat',
    'and',
    'statusWithConnector', 'statusClosed', 'statusUnknown', 'statusNoneHere', 'goodbye',
    'crisisIntro', 'crisisCarryOn', 'crisisCallBack', 'crisisOffer', 'handoffDoneUrgent', 'error', 'tooLong', 'nonText',
    'or', 'smsWelcome', 'smsHelp', 'smsStopped', 'smsStarted', 'smsReplyNumbers', 'smsReplyWords', 'smsResultsActions',
    'smsNumberRange', 'cardFindOutMore', 'cardCall', 'cardWebsite', 'cardEmail', 'pageIntro', 'pagePrivacy',
    'pageChatLabel', 'pageLoading', 'pageError', 'pageCloseChat', 'pageMessageLabel', 'pageSend',
    'pageQuickExit', 'pageQuickExitHint', 'teamsShortDescription', 'teamsFullDescription',
    // After crisis routes, and the ways out of a question or a call-back (issue 16).
    'crisisSafeAsk', 'crisisSafeGlad', 'crisisNotSafe', 'handoffCalledOff', 'crisisNumbersAgain',
    'questionCancelled', 'questionSkipped',
    'offTopic', 'thanksClose', 'nothingWanted', 'changeOfMind', 'answerField', 'answerSays', 'answerUnknownPhone',
    'answerUnknownContact',
    'answerUnknownNone', 'changeOfMindNeeds', 'correctionGot',
    // A conversation stored by an earlier release that this one cannot continue (src/bot/storedDialogs.ts).
    'lostPlace',
    // Results sooner (issue 16): one question only when a place matters, then offers to narrow the results down.
    'needsThanksPlace', 'narrowNear', 'narrowMore', 'narrowNo', 'narrowHow', 'narrowGot', 'openNowIntro', 'openNowNone',
    'openNowUntimed',
    // Redirecting at the results ("none of them, I need money help") and distress before a list (session 7, fix D).
    'rejectedNeeds', 'rejectedAsk', 'distressKind', 'forMeGot',
    // Whole conversations in Welsh and Polish (issue 18): the offer to switch, the switch, and the directory's language.
    'languageOffer', 'languageOfferSelf', 'languageSwitched', 'directoryLanguage',
    // How a connector will get in touch, as said in the hand-off's last sentence ("by {method}").
    'methodPhone', 'methodText', 'methodEmail',
    // When connectors can next be in touch, out of hours: the {day} of handoffOutOfHours.
    'openingLaterToday', 'openingTomorrow', 'openingOn',
    // On behalf of someone else (issue 18): a "them" variant of each question, and the hand-off's questions.
    'whoYour', 'whoSomeone', 'reflectThem', 'needsThanksThem', 'needsThanksPlaceThem', 'askWhereThem', 'askWhenThem',
    'askCostThem', 'askAccessThem', 'askWorriesThem', 'resultsIntroThem', 'narrowNearThem', 'offerHandoffThem',
    'askWhoFor', 'askAgrees', 'agreementNeeded', 'askConsentThem',
    'narrowMoreThem', 'askMethodThem', 'askPhoneThem', 'askEmailThem', 'askNameThem', 'askTimeThem',
    // The same said with the person's pronoun when their word says it ("your nan ... is she happy").
    'askAgreesShe', 'askAgreesHe', 'agreementNeededShe', 'agreementNeededHe',
    // Whom the connector should contact, and the contact questions when it is the person ("What's your nan's ...").
    'askContactWho', 'askMethodPerson', 'askPhonePerson', 'askEmailPerson', 'askNamePerson', 'askTimePerson',
    'askConsentPerson', 'whoseYour', 'whoseSomeone',
    // Connectors in Teams (issue 20): linking their Teams to their workspace account, and Claim on a card.
    'teamsLinkFirst', 'teamsLinked', 'teamsLinkWrong', 'teamsLinkTooMany', 'teamsRequestGone',
    // Keep, send, print and report a listing (issue 21): the saved list, the text or e-mail that sends it.
    'savedOne', 'savedMany', 'savedAlready', 'savedFull', 'saveWhich', 'saveNothing', 'listEmpty', 'listIntro',
    'listSend', 'smsSaveHint', 'smsListSend', 'cardSave', 'cardSaveValue', 'cardSend', 'cardPrint', 'labelLink',
    'sendUnavailable', 'sendUnavailablePrint', 'sendUnavailableList', 'sendEmpty', 'sendHow', 'sendSmsConfirm',
    'sendSensitive', 'sendAskPhone', 'sendAskEmail', 'sendBadPhone', 'sendBadEmail', 'sendGiveUp', 'sendDoneText',
    'sendDoneEmail', 'sendFailed', 'sendRefused', 'sendCancelled', 'sendIntro', 'sendLeftOut', 'sendSmsStop',
    'sendEmailUnsubscribe', 'sendSubject', 'addressNotKept', 'reportThanks', 'reportNotPassed', 'reportWhich', 'printIntro', 'printTitle',
    'printOnlyWeb',
    // A connector's suggestions sent by text or e-mail from the workspace (issue 20).
    'suggestIntro', 'suggestSubject', 'suggestEmailEnd',
] as const;
export type TextKey = (typeof TEXT_KEYS)[number];

export const BUTTON_KEYS = [
    'yesRight', 'notQuite', 'somethingElse', 'onlineFine', 'skip', 'mornings', 'afternoons', 'evenings',
    'weekends', 'anyTime', 'freeOnly', 'canPay', 'wheelchair', 'hearingLoop', 'bsl', 'quietSpace',
    'nothingNeeded', 'notAlone', 'nervous', 'imOk', 'showMore', 'changeAnswers', 'talkToPerson', 'thatsAll',
    'changeNeeds', 'changePreferences', 'yesPlease', 'noThanks', 'phoneCall', 'textMessage', 'email', 'agree',
    'disagree', 'shareChat', 'dontShareChat', 'callMeBack',
    'smsMore', 'smsChange', 'smsPerson', 'smsDone',
    'safeYes', 'safeNo', 'safeNow', 'goBack', 'startAgain',
    'findNearMe',
    'forMe', 'forSomeoneElse', 'forMyWork', 'agreesYes', 'agreesNo', 'agreesNotSure', 'contactMe', 'contactThem',
    'canPayThem', 'notAloneThem', 'nervousThem', 'imOkThem',
    'leaveOut', 'keepIn',
] as const;
export type ButtonKey = (typeof BUTTON_KEYS)[number];

/**
 * The website chat page's own sentences (issue 19), beyond the page keys kept in `text`: the page that works without
 * JavaScript, a chat ended after a quiet while, printing. One section, so the Welsh and Polish pages follow it.
 */
export const PAGE_KEYS = [
    'conversation', 'botSaid', 'youSaid', 'choices', 'problem', 'notSent', 'notShown', 'tooMany',
    'tooLongToSend',
    'outOfDate', 'typeFirst', 'ended', 'endedAgain', 'startNew', 'exitHint', 'simpler', 'exitFold',
    // A connector in the website chat (issue 20): their lines named, and the footer while they have the chat.
    'connectorSaid', 'chattingWith',
] as const;
export type PageKey = (typeof PAGE_KEYS)[number];

export const COMMANDS = [
    'help', 'startAgain', 'talkToPerson', 'callMe', 'stop', 'deleteMyData', 'myRequest', 'cancel',
] as const;
export type Command = (typeof COMMANDS)[number];

const sentence = z.string().min(1).max(1200);
const keyed = <K extends string>(keys: readonly K[], value: z.ZodType) =>
    z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, z.ZodType>).strict();

const phrase = z.string().min(1).max(120);

/** Short phrases that say why an opportunity was offered ("free", "1.2 km away"); {name} is filled in. */
export const whyWordingSchema = z.object({
    helpsWith: phrase.describe('{needs}: the needs it helps with'),
    nearFor: phrase.optional().describe('{needs}: said first of a listing near the resident added to a first page'
        + ' where nothing else is near'),
    mentions: phrase.describe('{words}: the resident\'s own words found in the listing'),
    free: phrase,
    costsFrom: phrase.describe('{amount}: the lowest price'),
    costUnknown: phrase.describe('Said when the directory gives no price'),
    kmAway: phrase.describe('{km}: the distance'),
    inYourArea: phrase.optional()
        .describe('Said instead of "0.0 km away" of a listing placed only by the resident\'s own postcode district'),
    online: phrase,
    phone: phrase,
    onlineOrPhone: phrase,
    homeVisit: phrase,
    covers: phrase.describe('{area}: the area it serves'),
    lastChecked: phrase.describe('{month}: month and year'),
    notCheckedSince: phrase.describe('{month}: month and year; said of listings not checked for over a year'),
    referralGp: phrase.describe('Said of a listing you can only join when a GP (or a nurse) refers you'),
    referral: phrase.describe('Said of a listing you can only join when someone such as a health visitor refers you'),
    forChildren: phrase.describe('Said of a children\'s or young people\'s service offered to an adult'),
    forAges: phrase.describe('{min}, {max}: said of a service for an age range the resident is outside'),
    forOver: phrase.describe('{min}: said of a service for older people offered to someone younger'),
    forPlace: phrase.optional().describe('{place}: said of a service only for people who live in another town'),
    access: keyedPhrases(ACCESS_FEATURES).describe('Each access feature in plain words'),
    welcome: keyedPhrases(WELCOME_FEATURES).describe('Each kind of help for nervous newcomers in plain words'),
    months: z.array(phrase).length(12).describe('Month names, January first'),
    weekdays: z.array(phrase).length(7).optional().describe('Day names, Sunday first, as said after "on" (openingOn)'),
    them: z.object({
        nearFor: phrase.optional(), inYourArea: phrase.optional(), homeVisit: phrase.optional(),
        referralGp: phrase.optional(), referral: phrase.optional(),
        welcome: z.object(Object.fromEntries(WELCOME_FEATURES.map((k) => [k, phrase.optional()])) as
            Record<(typeof WELCOME_FEATURES)[number], z.ZodOptional<typeof phrase>>).strict().optional(),
    }).strict().optional().describe('The phrases said "near them", "in their area" when the resident asks for someone'
        + ' else (issue 18); one left out keeps its "you" phrase'),
}).strict();
export type WhyPhrases = z.output<typeof whyWordingSchema>;

/**
 * How the bot turns the reasons into a sentence a person would say: one template per kind of reason, {reason} the
 * reason's words. Notes (a GP referral, who it is for) become sentences of their own.
 */
export const whySentenceSchema = z.object({
    need: phrase, near: phrase, words: phrase, free: phrase, price: phrase, where: phrase, visit: phrase,
    covers: phrase,
    when: phrase, access: phrase, welcome: phrase,
    and: phrase.describe('The word before the last reason: "and"'),
}).strict();
export type WhySentencePhrases = z.output<typeof whySentenceSchema>;

const words = z.array(z.string().min(1).max(60)).min(1);

/**
 * The words wishes are read with (src/matching/wishes.ts): a negation before a day, time or phone word rules it out
 * ("not Sundays", "I don't want phone calls"); the other lists are phrases looked for as whole words.
 */
export const wishWordsSchema = z.object({
    negations: words.describe('Words that rule out what follows within a few words: "not", "no", "never", ...'),
    days: z.object(Object.fromEntries(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].map((d) => [d, words])) as
        Record<'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU', typeof words>).strict().describe('Each day\'s words'),
    weekend: words,
    weekdays: words,
    times: z.object({ morning: words, afternoon: words, evening: words }).strict(),
    phone: words.describe('Words for taking part by phone; after a negation they rule phone-only listings out'),
    noPhone: words.describe('Phrases that rule phone-only listings out on their own ("hard of hearing")'),
    goOut: words.describe('Phrases that say they want to go out to something in person'),
    canPay: words.describe('Phrases that say cost does not matter'),
    young: words.describe('Phrases that say the resident is young or has small children (over-60s services drop)'),
    child: words.describe('Phrases that say the help is for a child or young person (children\'s services stay)'),
}).strict();
export type WishPhrases = z.output<typeof wishWordsSchema>;

/**
 * Short phrases that sum up a resident's choices for the connector who takes their request ("near BS5", "free
 * only"); kept in the request. {name} is filled in.
 */
export const preferencesWordingSchema = z.object({
    near: phrase.describe('{place}: the place the resident gave'),
    onlineOnly: phrase.describe('Only online or by phone, never in person'),
    onlineOk: phrase.describe('Online or by phone is fine as well as in person'),
    freeOnly: phrase,
    access: phrase.describe('{list}: the access needs, comma-separated'),
    worries: phrase.describe('{list}: the worries about going, comma-separated'),
}).strict();
export type PreferencePhrases = z.output<typeof preferencesWordingSchema>;

/**
 * The hand-off's interpreter question (issue 18): asked only when the resident's language is not English, and its
 * answers in the languages Signpost reads ("tak", "ie"), beside the English yes and no of knowledge/intents.
 */
export const interpreterWordingSchema = z.object({
    ask: sentence.describe('Would you like an interpreter? Asked before the consent question'),
    noted: sentence.describe('Said after a yes, before the consent question'),
    yes: z.array(phrase).min(1).describe('Yes in other languages, matched on the whole message'),
    no: z.array(phrase).min(1).describe('No in other languages, matched on the whole message'),
}).strict();
export type InterpreterPhrases = z.output<typeof interpreterWordingSchema>;

function keyedPhrases<K extends string>(keys: readonly K[]) {
    return z.object(Object.fromEntries(keys.map((k) => [k, phrase])) as Record<K, typeof phrase>).strict();
}

export const wordingFileSchema = z.object({
    about: z.string().describe('What this file is for, for content editors'),
    text: keyed(TEXT_KEYS, sentence).describe('Sentences, by key; {name} is filled in by the bot'),
    buttons: keyed(BUTTON_KEYS, z.string().min(1).max(40)).describe('Button and choice labels (max 40 letters)'),
    commands: keyed(COMMANDS, z.array(z.string().min(1).max(40)).min(1))
        .describe('What a resident can type at any time, matched on the whole message'),
    answers: z.object({
        safe: z.array(phrase).min(1)
            .describe('A clear yes to "Are you safe right now?", as the whole message or its first clause'),
        safeDoubt: z.array(phrase).min(1).describe('Words that make a yes doubtful when they follow it ("yes, but...")'),
        callOff: z.array(phrase).min(1).describe('Calling off a request for contact while it is being made ("don\'t '
            + 'call me"), matched anywhere in the message when it ends the message or a clause'),
        yes: z.array(phrase).min(1).optional()
            .describe('A yes to "Would you like to carry on in Welsh?", as the whole message ("yes", "ie", "tak")'),
        no: z.array(phrase).min(1).optional().describe('A no to the same question, as the whole message'),
    }).strict().describe('Answers read at particular questions'),
    why: whyWordingSchema.describe('Reasons given with each recommendation'),
    whySentence: whySentenceSchema.describe('How the reasons are said as a sentence'),
    wishes: wishWordsSchema.describe('The words wishes are read with (not Sundays, not on the phone, can pay, ...)'),
    preferences: preferencesWordingSchema.describe('A resident\'s choices summed up for a connector in a request'),
    interpreter: interpreterWordingSchema
        .describe('The interpreter question of a request, asked when the resident writes in another language'),
    locale: z.object({
        choose: z.array(z.string().min(1).max(40)).min(1)
            .describe('What a resident types to choose English ("English", "Saesneg"), matched on the whole message'),
    }).strict().optional().describe('English as one of the languages a resident can choose (knowledge/locales/)'),
    page: keyed(PAGE_KEYS, sentence).describe('The website chat page\'s sentences: without JavaScript, a chat that '
        + 'ended, printing; {name} is filled in'),
}).strict();

/** The English wording file, as validated. */
export type WordingFile = z.output<typeof wordingFileSchema>;

/** A language the bot can hold a whole conversation in: its code, its names, the words that choose it. */
export interface LocaleInfo {
    code: string;
    /** Its name in English ("Welsh"). */
    name: string;
    /** Its name in itself ("Cymraeg"): the label of the button that chooses it. */
    nativeName: string;
    /** What a resident types to choose it ("Cymraeg", "Welsh"), matched on the whole message. */
    choose: string[];
    /** Whether a fluent speaker has checked its wording. */
    reviewed: boolean;
}

/** A locale's wording with the English laid under it (locales.ts), and its crisis routes' names. */
export interface LocaleWording {
    info: LocaleInfo;
    file: WordingFile;
    crisisRoutes: Record<string, { name: string; how: string }>;
    /** The needs' names, by need id: in a list (`ask`) and after "help with" (`reflect`). */
    needs: Record<string, { ask: string; reflect: string }>;
    /** The words for a helper when a crisis is about someone else (crisis.json `helping`), in this language. */
    crisisHelping?: { intro: string; lines: string[]; childLine: string };
}

/** The language of knowledge/wording.json and of the directory's listings. */
export const BASE_LOCALE = 'en';

/** The words that choose English when knowledge/wording.json does not list its own (`locale.choose`). */
const ENGLISH_CHOOSE = ['english', 'in english', 'saesneg', 'yn saesneg', 'angielski', 'po angielsku'];

/** The language of the turn being run: set by the bot for each turn (src/bot/languageChoice.ts), read by Wording. */
const turnStore = new AsyncLocalStorage<{ locale: string }>();

/**
 * Runs `work` as one turn in `locale`: every sentence a Wording gives during it (dialogs, middleware, renderers) is
 * in that language, without a locale threaded through every call. `setTurnLocale` changes it mid-turn (the resident
 * chose a language).
 */
export function inTurnLocale<T>(locale: string, work: () => T): T {
    return turnStore.run({ locale }, work);
}

/** The language of the turn under way: English outside a turn, or before the bot has read the resident's. */
export function turnLocale(): string {
    return turnStore.getStore()?.locale ?? BASE_LOCALE;
}

/** Changes the language of the turn under way (no effect outside a turn). */
export function setTurnLocale(locale: string): void {
    const turn = turnStore.getStore();
    if (turn) turn.locale = locale;
}

/** The shared tables of a Wording and its views in one locale. */
interface Catalogue {
    locales: Map<string, LocaleWording>;
    commandIndex: Map<string, Command>;
    safeAnswers: Set<string>;
    safeDoubt: string[];
    callOff: RegExp[];
    yes: Set<string>;
    no: Set<string>;
    chooseIndex: Map<string, string>;
}

/**
 * Sentences and labels, with placeholders filled in, in the language of the turn (English by default, or the locale
 * `in()` fixed). What a resident types is read in every language the bot knows: a command or a call-off in Welsh
 * works in an English conversation too.
 */
export class Wording {
    private readonly catalogue: Catalogue;
    private readonly fixed?: string;

    constructor(file: WordingFile, locales: readonly LocaleWording[] = [], shared?: { catalogue: Catalogue; locale: string }) {
        if (shared) {
            this.catalogue = shared.catalogue;
            this.fixed = shared.locale;
            return;
        }
        const english: LocaleWording = {
            info: {
                code: BASE_LOCALE, name: 'English', nativeName: 'English', reviewed: true,
                choose: file.locale?.choose ?? ENGLISH_CHOOSE,
            },
            file, crisisRoutes: {}, needs: {},
        };
        const all = [english, ...locales.filter((l) => l.info.code !== BASE_LOCALE)];
        const catalogue: Catalogue = {
            locales: new Map(all.map((l) => [l.info.code, l])), commandIndex: new Map(), safeAnswers: new Set(),
            safeDoubt: [], callOff: [], chooseIndex: new Map(), yes: new Set(), no: new Set(),
        };
        for (const { file: f, info } of all) {
            for (const a of f.answers.safe) catalogue.safeAnswers.add(normaliseCommand(a));
            catalogue.safeDoubt.push(...f.answers.safeDoubt);
            for (const a of f.answers.yes ?? []) catalogue.yes.add(normaliseCommand(a));
            for (const a of f.answers.no ?? []) catalogue.no.add(normaliseCommand(a));
            catalogue.callOff.push(...f.answers.callOff.map(callOffPattern));
            for (const command of COMMANDS) {
                for (const phrase of (f.commands as Record<Command, string[]>)[command]) {
                    const key = normaliseCommand(phrase);
                    // English as it always was (a later phrase wins); another language never takes an English one.
                    if (key && (info.code === BASE_LOCALE || !catalogue.commandIndex.has(key))) {
                        catalogue.commandIndex.set(key, command);
                    }
                }
            }
            for (const word of [...info.choose, info.nativeName]) {
                const key = normaliseCommand(word);
                if (key && !catalogue.chooseIndex.has(key)) catalogue.chooseIndex.set(key, info.code);
            }
        }
        this.catalogue = catalogue;
    }

    /** The same wording fixed to one locale (English for one it does not have), whatever the turn's language. */
    in(locale: string): Wording {
        return new Wording(this.base.file, [], { catalogue: this.catalogue, locale: this.has(locale) ? locale : BASE_LOCALE });
    }

    /** Every sentence and button label as written, before placeholders are filled: to re-say a question in another. */
    get templates(): { text: Readonly<Record<TextKey, string>>; buttons: Readonly<Record<ButtonKey, string>> } {
        return { text: this.file.text as Record<TextKey, string>, buttons: this.file.buttons as Record<ButtonKey, string> };
    }

    /** The locale sentences come in: the fixed one, else the turn's, else English. */
    get locale(): string {
        const code = this.fixed ?? turnLocale();
        return this.catalogue.locales.has(code) ? code : BASE_LOCALE;
    }

    /** True when the bot can hold a whole conversation in this locale. */
    has(locale: string): boolean {
        return this.catalogue.locales.has(locale);
    }

    /** Every locale the bot can converse in, English first. */
    get locales(): LocaleInfo[] {
        return [...this.catalogue.locales.values()].map((l) => l.info);
    }

    /** The locale a whole message chooses ("Cymraeg", "polski", "English"), if it is one. */
    chosenLocale(message: string): string | undefined {
        return this.catalogue.chooseIndex.get(normaliseCommand(message));
    }

    /** The words a whole message may be to choose a language, with the locale each chooses (for near misses). */
    get chooseWords(): ReadonlyMap<string, string> {
        return this.catalogue.chooseIndex;
    }

    /** A crisis route's name and how to reach it in the turn's language; the English when it has none. */
    crisisRoute<R extends { id?: string; name: string; how: string }>(route: R): R {
        const local = route.id ? this.current.crisisRoutes[route.id] : undefined;
        return local ? { ...route, name: local.name, how: local.how } : route;
    }

    /**
     * The words for a helper (crisis about someone else) in the turn's language: crisis.json's lines are the routes'
     * help lines and, when a child is named, the Childline line last; the English when the locale has none.
     */
    crisisHelping(helping: { intro: string; lines: string[] }, englishLines: number): { intro: string; lines: string[] } {
        const local = this.current.crisisHelping;
        if (!local || local.lines.length !== englishLines) return helping;
        const child = helping.lines.length > englishLines ? [local.childLine] : [];
        return { intro: local.intro, lines: [...local.lines, ...child] };
    }

    /**
     * A need's name in the turn's language: `ask` as listed to choose from, `reflect` after "help with"; undefined in
     * English or when the locale does not name it (knowledge/needs.json has the English).
     */
    needLabel(needId: string, kind: 'ask' | 'reflect'): string | undefined {
        return this.current.needs[needId]?.[kind];
    }

    private get base(): LocaleWording {
        return this.catalogue.locales.get(BASE_LOCALE) as LocaleWording;
    }

    private get current(): LocaleWording {
        return this.catalogue.locales.get(this.locale) as LocaleWording;
    }

    private get file(): WordingFile {
        return this.current.file;
    }

    /** More phrases for a command, such as the word for "person" in other languages (knowledge/languages). */
    addCommandPhrases(command: Command, phrases: readonly string[]): void {
        for (const phrase of phrases) {
            const key = normaliseCommand(phrase);
            if (key && !this.catalogue.commandIndex.has(key)) this.catalogue.commandIndex.set(key, command);
        }
    }

    /** The sentence for `key`, with `{name}` placeholders filled from `vars`. A missing value is a bug: it throws. */
    text(key: TextKey, vars: Record<string, string | number> = {}): string {
        return fill((this.file.text as Record<TextKey, string>)[key], key, vars);
    }

    /** A sentence of the website chat page (PAGE_KEYS), with `{name}` placeholders filled from `vars`. */
    page(key: PageKey, vars: Record<string, string | number> = {}): string {
        return fill((this.file.page as Record<PageKey, string>)[key], key, vars);
    }

    /** Phrases for the reasons given with each recommendation. */
    get why(): WhyPhrases {
        return this.file.why;
    }

    /** Templates that turn the reasons into a sentence (conversation/describe.ts). */
    get whySentence(): WhySentencePhrases {
        return this.file.whySentence;
    }

    /** The words wishes are read with (matching/wishes.ts): the English; the matching engine reads them once. */
    get wishes(): WishPhrases {
        return this.base.file.wishes;
    }

    /**
     * Phrases that sum up a resident's choices for a connector (conversation/preferences.ts): always English, the
     * connectors' language, whatever language the resident speaks.
     */
    get preferences(): PreferencePhrases {
        return this.base.file.preferences;
    }

    /** The interpreter question and its answers in other languages (dialogs/handoffDialog.ts). */
    get interpreter(): InterpreterPhrases {
        return this.file.interpreter;
    }

    button(key: ButtonKey): string {
        return (this.file.buttons as Record<ButtonKey, string>)[key];
    }

    /**
     * True only for a clear yes to "Are you safe right now?" ("yes", "I'm safe now"), on the whole message: "yes but",
     * "not really" or "I don't know" are not, so the bot never moves on from the routes on a doubtful answer.
     */
    saysSafe(message: string): boolean {
        const { safeAnswers, safeDoubt } = this.catalogue;
        if (safeAnswers.has(normaliseCommand(message))) return true;
        // "yes I'm safe, my sister is here": a clear yes as the first clause, and nothing doubtful after it.
        const [first, ...rest] = foldCallOff(message).split(/[,.!;:?]+|\s+-\s+/);
        if (!rest.length || !safeAnswers.has(normaliseCommand(first))) return false;
        const after = ` ${normaliseCommand(rest.join(' '))} `;
        return !safeDoubt.some((w) => after.includes(` ${normaliseCommand(w)} `));
    }

    /**
     * What the resident asked for in the same message as a clear yes to "Are you safe right now?" ("yes I'm safe, I
     * just want a balance class" -> "I just want a balance class"), so it is carried on with and never said twice.
     * The yes is the first clause, or the first words with no comma ("yes im safe i need..."); anything doubtful after
     * it (`answers.safeDoubt`) means no clear yes, and undefined. The words after are as typed; whether they ask for
     * anything is for the caller to read.
     */
    safeRequest(message: string): string | undefined {
        const { safeAnswers, safeDoubt } = this.catalogue;
        const doubtful = (rest: string) => {
            const after = ` ${normaliseCommand(rest)} `;
            return safeDoubt.some((w) => after.includes(` ${normaliseCommand(w)} `));
        };
        const clause = /[,.!;:?]+|\s+-\s+/.exec(message);
        if (clause && safeAnswers.has(normaliseCommand(message.slice(0, clause.index)))) {
            const rest = message.slice(clause.index + clause[0].length).trim();
            return rest && !doubtful(rest) ? rest : undefined;
        }
        // No comma: the longest run of first words that is a clear yes, with words left after it.
        const words = message.trim().split(/\s+/);
        for (let n = Math.min(words.length - 1, 6); n >= 1; n--) {
            if (!safeAnswers.has(normaliseCommand(words.slice(0, n).join(' ')))) continue;
            const rest = words.slice(n).join(' ');
            return doubtful(rest) ? undefined : rest;
        }
        return undefined;
    }

    /**
     * True when the message calls off the request for contact being made ("actually no, don't call me, I'm ok", "I
     * don't want a call"). A phrase counts where it ends the message or a clause, so an answer such as "don't call me
     * before 10" to "When is a good time?" is still read as the answer.
     */
    callsOff(message: string): boolean {
        const t = foldCallOff(message);
        return this.catalogue.callOff.some((re) => re.test(t));
    }

    /** True when the whole message is a yes in any language the bot knows ("yes please", "ie", "tak"). */
    saysYes(message: string): boolean {
        return this.catalogue.yes.has(normaliseCommand(message));
    }

    /** True when the whole message is a no in any language the bot knows ("no thanks", "na", "nie"). */
    saysNo(message: string): boolean {
        return this.catalogue.no.has(normaliseCommand(message));
    }

    /** The global command a whole message asks for, if any ("Start again!" -> startAgain). */
    command(message: string): Command | undefined {
        return this.catalogue.commandIndex.get(normaliseCommand(message));
    }
}

/** A calling-off phrase as a pattern over the folded message (foldCallOff). */
function callOffPattern(p: string): RegExp {
    const words = foldCallOff(p).replace(/[,.!?;:]/g, ' ').trim().split(/\s+/)
        .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const ends = '(?=\\s*(?:$|[,.!?;:)]|(?:im|i am|thanks?|thank you|please|at all|any ?more|after all'
        + '|actually)\\b))';
    // "don't ring" and "don't ring me" are one wish: a phrase may be followed by "me" (or "us").
    return new RegExp(`(?:^|[^\\p{L}\\p{N}])${words.join('[\\s,.!;:]+')}(?:\\s+(?:me|us))?${ends}`, 'u');
}

/** A template with its `{name}` placeholders filled; a missing value is a bug: it throws. */
function fill(template: string, key: string, vars: Record<string, string | number>): string {
    return template.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (!(name in vars)) throw new Error(`Wording "${key}" needs a value for {${name}}`);
        return String(vars[name]);
    });
}

/** A command as matched: read as it looks (invisible characters, look-alike letters, full-width forms; unicode.ts). */
/** A message or phrase as calling off is matched: folded, lower case, no apostrophes, clause punctuation kept. */
function foldCallOff(text: string): string {
    // "did not" and "didn't" are one phrase, so the phrase list need not say each twice.
    return foldForMatching(text).toLowerCase().replace(/[’‘'`]/g, '').replace(/[^\p{L}\p{M}\p{N},.!?;:()]+/gu, ' ')
        .replace(/\s+/g, ' ').trim().replace(/\b(did|do|does) not\b/g, '$1nt');
}

function normaliseCommand(text: string): string {
    // Letters of every script are kept, so that a command may be a word of another language ("człowiek", "شخص").
    return foldRule(foldForMatching(text).toLowerCase()).replace(/[’']/g, '').replace(/[^\p{L}\p{M}\p{N}? ]+/gu, ' ')
        .replace(/\s+/g, ' ').trim()
        .replace(/^(please )|( please)$/g, '').replace(/[.!]+$/, '');
}

/**
 * Reads and validates knowledge/wording.json and every locale under knowledge/locales/ (locales.ts); throws
 * KnowledgeError naming file, key and fault. A locale's gaps are filled with the English, never a fault.
 */
export function loadWording(knowledgeDir: string): Wording {
    const file = 'wording.json';
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(path.join(knowledgeDir, file), 'utf8'));
    } catch (err) {
        throw new KnowledgeError([{ file, message: `cannot be read as JSON (${(err as Error).message})` }]);
    }
    const parsed = wordingFileSchema.safeParse(raw);
    if (!parsed.success) throw new KnowledgeError(faultsFromZod(parsed.error, { file }));
    const faults: KnowledgeFault[] = [];
    const locales: LocaleWording[] = [];
    for (const locale of loadLocaleFiles(knowledgeDir)) {
        const { merged } = mergeLocale(parsed.data as Record<string, unknown>, locale);
        const checked = wordingFileSchema.safeParse(merged);
        if (!checked.success) {
            faults.push(...faultsFromZod(checked.error, { file: `${LOCALES_DIR}/${locale.locale}/${LOCALE_WORDING_FILE}` }));
            continue;
        }
        locales.push({
            info: {
                code: locale.locale, name: locale.name, nativeName: locale.nativeName, choose: locale.choose,
                reviewed: locale.reviewed,
            },
            file: checked.data, crisisRoutes: locale.crisisRoutes, needs: locale.needs,
            crisisHelping: locale.crisisHelping,
        });
    }
    if (faults.length) throw new KnowledgeError(faults);
    return new Wording(parsed.data, locales);
}
