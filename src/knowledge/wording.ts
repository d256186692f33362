/**
 * The wording file: every sentence a resident reads lives in knowledge/wording.json, validated here. Code refers
 * to sentences by key, so a missing or misspelt key is caught at start-up, not in front of a resident.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError } from './faults';
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
    'relayEnded', 'handoffFailed', 'help', 'restart', 'stopped',
    'deleted', 'deletedRequests', 'keptRequests', 'keptClosedRequests', 'statusNew',
    'deletedKeptSome', 'keptName', 'keptPhone', 'keptEmail', 'keptBestTime', 'keptNeeds', 'keptChat', 'keptLiveChat',
    'and',
    'statusWithConnector', 'statusClosed', 'statusUnknown', 'statusNoneHere', 'goodbye',
    'crisisIntro', 'crisisCarryOn', 'crisisCallBack', 'crisisOffer', 'handoffDoneUrgent', 'error', 'tooLong', 'nonText',
    'or', 'smsWelcome', 'smsHelp', 'smsStopped', 'smsStarted', 'smsReplyNumbers', 'smsReplyWords', 'smsResultsActions',
    'smsNumberRange', 'cardFindOutMore', 'cardCall', 'cardWebsite', 'cardEmail', 'pageIntro', 'pagePrivacy',
    'pageChatLabel', 'pageLoading', 'pageError', 'pageCloseChat', 'teamsShortDescription', 'teamsFullDescription',
    'offTopic', 'thanksClose', 'changeOfMind', 'answerField', 'answerSays', 'answerUnknownPhone', 'answerUnknownContact',
    'answerUnknownNone', 'changeOfMindNeeds', 'correctionGot',
] as const;
export type TextKey = (typeof TEXT_KEYS)[number];

export const BUTTON_KEYS = [
    'yesRight', 'notQuite', 'somethingElse', 'onlineFine', 'skip', 'mornings', 'afternoons', 'evenings',
    'weekends', 'anyTime', 'freeOnly', 'canPay', 'wheelchair', 'hearingLoop', 'bsl', 'quietSpace',
    'nothingNeeded', 'notAlone', 'nervous', 'imOk', 'showMore', 'changeAnswers', 'talkToPerson', 'thatsAll',
    'changeNeeds', 'changePreferences', 'yesPlease', 'noThanks', 'phoneCall', 'textMessage', 'email', 'agree',
    'disagree', 'shareChat', 'dontShareChat', 'callMeBack',
    'smsMore', 'smsChange', 'smsPerson', 'smsDone',
] as const;
export type ButtonKey = (typeof BUTTON_KEYS)[number];

export const COMMANDS = ['help', 'startAgain', 'talkToPerson', 'callMe', 'stop', 'deleteMyData', 'myRequest'] as const;
export type Command = (typeof COMMANDS)[number];

const sentence = z.string().min(1).max(1200);
const keyed = <K extends string>(keys: readonly K[], value: z.ZodType) =>
    z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, z.ZodType>).strict();

const phrase = z.string().min(1).max(120);

/** Short phrases that say why an opportunity was offered ("free", "1.2 km away"); {name} is filled in. */
export const whyWordingSchema = z.object({
    helpsWith: phrase.describe('{needs}: the needs it helps with'),
    mentions: phrase.describe('{words}: the resident\'s own words found in the listing'),
    free: phrase,
    costsFrom: phrase.describe('{amount}: the lowest price'),
    costUnknown: phrase.describe('Said when the directory gives no price'),
    kmAway: phrase.describe('{km}: the distance'),
    online: phrase,
    phone: phrase,
    onlineOrPhone: phrase,
    homeVisit: phrase,
    covers: phrase.describe('{area}: the area it serves'),
    lastChecked: phrase.describe('{month}: month and year'),
    notCheckedSince: phrase.describe('{month}: month and year; said of listings not checked for over a year'),
    access: keyedPhrases(ACCESS_FEATURES).describe('Each access feature in plain words'),
    welcome: keyedPhrases(WELCOME_FEATURES).describe('Each kind of help for nervous newcomers in plain words'),
    months: z.array(phrase).length(12).describe('Month names, January first'),
}).strict();
export type WhyPhrases = z.output<typeof whyWordingSchema>;

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

function keyedPhrases<K extends string>(keys: readonly K[]) {
    return z.object(Object.fromEntries(keys.map((k) => [k, phrase])) as Record<K, typeof phrase>).strict();
}

export const wordingFileSchema = z.object({
    about: z.string().describe('What this file is for, for content editors'),
    text: keyed(TEXT_KEYS, sentence).describe('Sentences, by key; {name} is filled in by the bot'),
    buttons: keyed(BUTTON_KEYS, z.string().min(1).max(40)).describe('Button and choice labels (max 40 letters)'),
    commands: keyed(COMMANDS, z.array(z.string().min(1).max(40)).min(1))
        .describe('What a resident can type at any time, matched on the whole message'),
    why: whyWordingSchema.describe('Reasons given with each recommendation'),
    preferences: preferencesWordingSchema.describe('A resident\'s choices summed up for a connector in a request'),
}).strict();

/** Sentences and labels, with placeholders filled in. */
export class Wording {
    private readonly commandIndex = new Map<string, Command>();

    constructor(private readonly file: z.output<typeof wordingFileSchema>) {
        for (const command of COMMANDS) {
            for (const phrase of (file.commands as Record<Command, string[]>)[command]) {
                this.commandIndex.set(normaliseCommand(phrase), command);
            }
        }
    }

    /** More phrases for a command, such as the word for "person" in other languages (knowledge/languages). */
    addCommandPhrases(command: Command, phrases: readonly string[]): void {
        for (const phrase of phrases) {
            const key = normaliseCommand(phrase);
            if (key && !this.commandIndex.has(key)) this.commandIndex.set(key, command);
        }
    }

    /** The sentence for `key`, with `{name}` placeholders filled from `vars`. A missing value is a bug: it throws. */
    text(key: TextKey, vars: Record<string, string | number> = {}): string {
        const template = (this.file.text as Record<TextKey, string>)[key];
        return template.replace(/\{(\w+)\}/g, (_, name: string) => {
            if (!(name in vars)) throw new Error(`Wording "${key}" needs a value for {${name}}`);
            return String(vars[name]);
        });
    }

    /** Phrases for the reasons given with each recommendation. */
    get why(): WhyPhrases {
        return this.file.why;
    }

    /** Phrases that sum up a resident's choices for a connector (conversation/preferences.ts). */
    get preferences(): PreferencePhrases {
        return this.file.preferences;
    }

    button(key: ButtonKey): string {
        return (this.file.buttons as Record<ButtonKey, string>)[key];
    }

    /** The global command a whole message asks for, if any ("Start again!" -> startAgain). */
    command(message: string): Command | undefined {
        return this.commandIndex.get(normaliseCommand(message));
    }
}

/** A command as matched: read as it looks (invisible characters, look-alike letters, full-width forms; unicode.ts). */
function normaliseCommand(text: string): string {
    // Letters of every script are kept, so that a command may be a word of another language ("człowiek", "شخص").
    return foldRule(foldForMatching(text).toLowerCase()).replace(/[’']/g, '').replace(/[^\p{L}\p{M}\p{N}? ]+/gu, ' ')
        .replace(/\s+/g, ' ').trim()
        .replace(/^(please )|( please)$/g, '').replace(/[.!]+$/, '');
}

/** Reads and validates knowledge/wording.json; throws KnowledgeError naming file, key and fault. */
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
    return new Wording(parsed.data);
}
