/**
 * The words Signpost reads a resident's intent by (knowledge/intents/<language>.json): yes and no, asking for a
 * person, thanks and goodbye, changing their mind, questions about a suggestion, off-topic. Kept as data, per
 * language, so a content editor can add "aye" or "defo" without touching code; the rules that combine the words
 * are in src/conversation/understand.ts. Validated here, so a bad edit stops start-up instead of reaching a resident.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError } from './faults';
import { projectRoot } from '../paths';
import { turnLocale } from './wording';
import { DAY_CODES, type DayCode } from './schema';

const phrase = z.string().min(1).max(60).refine((p) => p === p.toLowerCase() && p === p.trim(), 'lower case, trimmed');
const phrases = z.array(phrase).min(1);

/** What a suggestion can be asked about; each is answered from the listing, or honestly when it does not say. */
export const QUESTION_TOPICS = ['booking', 'parking', 'travel', 'cost', 'what', 'times', 'access', 'contact'] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];
/** Topics answered by quoting the listing's own words, for want of a field in the directory. */
export const LISTING_TOPICS = ['booking', 'parking', 'travel'] as const satisfies readonly QuestionTopic[];
export type ListingTopic = (typeof LISTING_TOPICS)[number];

/** The places in a list a resident can name by a word ("the second one", "ta druga", "yr ail"): first to tenth. */
export const ORDINAL_PLACES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;

/** The relations a person a message is about can have to its writer (src/conversation/behalf.ts). */
export const RELATIONS = [
    'parent', 'grandparent', 'partner', 'child', 'sibling', 'relative', 'friend', 'neighbour', 'client',
] as const;
export type Relation = (typeof RELATIONS)[number];

/**
 * The words "who is this for?" is read by: a person named with "my" ("my mum", "my elderly neighbour") at the start
 * of a clause, or after a word of helping ("help for my dad"), is who the message is about, unless the words around
 * say they were lost or are cared for by the writer ("since my wife died", "I look after my mum"): then the message
 * is the writer's own. Kept as data so a content editor can add "my nanna" or "my support worker" without code.
 */
const whoWordsSchema = z.object({
    relations: z.object(Object.fromEntries(RELATIONS.map((r) => [r, phrases])) as Record<Relation, typeof phrases>)
        .strict().describe('Words for each relation ("mum", "husband", "client"); a client or patient is a'
            + ' professional\'s'),
    owners: phrases.describe('Words before a relation that make it the writer\'s ("my", "our")'),
    describing: phrases.describe('Words that may come between: "my elderly mum", "our 80 year old neighbour"'),
    lossBefore: phrases.describe('Words before "my ..." that make the message the writer\'s own: a loss ("since my'
        + ' wife") or caring ("I look after my mum")'),
    lossAfter: phrases.describe('Words after "my ..." that do the same ("my husband died", "my wife left")'),
    helpFor: phrases.describe('Words before a person that make them the one helped ("help for my dad", "about my'
        + ' neighbour")'),
    pronounObjects: phrases.describe('"him", "her", "them": after a helpFor word, someone else'),
    subjectPronouns: phrases.describe('"he", "she": starting a clause, someone else (when nothing says the writer)'),
    professional: phrases.describe('A professional writing about someone they support ("I\'m a support worker",'
        + ' "our patients", "GP practice")'),
    together: phrases.describe('The writer and the other person together ("me and my", "both of us"): unclear'
        + ' who it is for, so it is asked at the hand-off'),
    selfNeed: phrases.describe('The writer saying a need of their own ("I\'m lonely", "I\'m a carer", "I need a'
        + ' break"): with someone else named, unclear'),
    she: phrases.optional().describe('Relation words that say "she" ("nan", "mum", "wife", "daughter"): the'
        + ' sentences with a "She" variant use it; any other word is "they"'),
    he: phrases.optional().describe('Relation words that say "he" ("grandad", "dad", "husband", "son")'),
}).strict();
/** One language's words for who a message is about. */
export type WhoWords = z.output<typeof whoWordsSchema>;

/** What a resident can say is wrong with a listing (src/storage/listingFeedbackStore.ts ListingProblem). */
export const LISTING_PROBLEMS = ['closed', 'phone', 'time', 'place', 'other'] as const;

/**
 * The words a saved list is kept and sent by (issue 21): "save 2", "my list", "send me these", "print my list", "this
 * has closed". Kept as data so a content editor can add "stick it on my list" or a language's own words.
 */
const keepWordsSchema = z.object({
    save: phrases.describe('Verbs that start a message keeping a suggestion ("save", "keep"), before "this" or a'
        + ' number: "keep fit" is a need, not a save'),
    this: phrases.describe('Words for the suggestion being talked about, after a save or before a problem ("this",'
        + ' "that one", "it")'),
    all: phrases.describe('Words for every suggestion on screen, after a save ("them", "all of them", "both")'),
    filler: phrases.describe('Words that may go with a save or a send and add nothing ("please", "to my list")'),
    list: phrases.describe('The whole message asking to see the saved list ("my list", "what have I saved")'),
    send: phrases.describe('Asking for the list to be sent, anywhere in a message ("send me these", "send them")'),
    byText: phrases.describe('Asking for it by text ("text me", "to my phone")'),
    byEmail: phrases.describe('Asking for it by e-mail ("email me", "to my email")'),
    print: phrases.describe('The whole message asking to print the list ("print my list", "print it")'),
    problems: z.object(Object.fromEntries(LISTING_PROBLEMS.map((p) => [p, phrases])) as
        Record<(typeof LISTING_PROBLEMS)[number], typeof phrases>).strict()
        .describe('Saying a listing is wrong, anywhere in a message ("has closed", "the number doesn\'t work")'),
}).strict();
/** One language's words for keeping, sending and correcting suggestions. */
export type KeepWords = z.output<typeof keepWordsSchema>;

export const intentsFileSchema = z.object({
    about: z.string().describe('What this file is for, for content editors'),
    language: z.string().regex(/^[a-z]{2,3}$/).describe('The language code, as the file name'),
    yes: phrases.describe('Ways of saying yes, including dialect and text-speak ("aye", "yh", "defo")'),
    no: phrases.describe('Ways of saying no ("nah", "not really", "no ta"), at the start of an answer'),
    noThanks: z.object({
        who: phrases.describe('Who is fine ("you\'re", "ur", "I\'m")'),
        fine: phrases.describe('Being fine ("alright", "ok", "good")'),
        after: phrases.describe('Words that may follow and add nothing ("thanks", "mate")'),
    }).strict().describe('No thanks as a whole answer, perhaps after a no: "nah ur alright", "I\'m good thanks";'
        + ' "I\'m ok with that" is not one'),
    nothing: phrases.describe('Ways of saying nothing is wanted ("nothing", "nothing really", "none"), as the whole'
        + ' answer to "What would you like help with?"; a no or a no thanks says it too'),
    skip: phrases.describe('Ways of saying "no preference" at a question ("doesn\'t matter", "not bothered", "any is'
        + ' fine"), at the start of an answer'),
    person: z.object({
        specific: phrases.describe('Words for a person that are only ever a person ("a human", "a real person")'),
        generic: phrases.describe('Words that may mean a person ("someone"), asked for only with a call-back'),
        talk: phrases.describe('Verbs for talking to someone ("speak to"), before a specific person word'),
        callBack: phrases.describe('Ways of asking to be contacted ("ring me"), after any person word'),
        callFrom: phrases.describe('Ways of asking to be contacted before the person word ("a call from [one of]'
            + ' your team")'),
        machine: phrases.describe('Words for the bot itself ("computer"), after a refusal and one of machineBefore'),
        machineBefore: phrases.describe('Words before a machine word that make it this chat ("a", "this"): not'
            + ' "computers" in "I\'m rubbish with computers"'),
        askStart: phrases.describe('Words that start a request ("can", "could"), before a person word and toMe'),
        toMe: phrases.describe('Ways of asking to be talked to ("talk to me"): a request only after askStart and a'
            + ' person word ("can someone talk to me"), not "I wish someone would talk to me"'),
        want: phrases.describe('Ways of asking for something ("I want"), before a specific person word'),
        helpMe: phrases.describe('What a person is wanted for ("to help", "to sort it"): after want and any person'
            + ' word it is a request ("I need someone to help"); "I need someone to talk to" stays loneliness'),
        refuse: phrases.describe('Ways of refusing ("don\'t want"), before a machine word'),
        filler: phrases.describe('Words that may wrap a bare person word ("can I", "please")'),
    }).strict(),
    thanks: phrases.describe('Ways of saying thank you'),
    goodbye: phrases.describe('Ways of saying goodbye or that they have finished'),
    pleasantries: phrases.describe('Words that may go with thanks or goodbye and add nothing ("that\'s great")'),
    change: z.object({
        markers: phrases.describe('Ways of taking back what was said ("forget that", "actually")'),
        switches: phrases.describe('Taking-back words that say outright the need changes ("forget", "instead"),'
            + ' not only "actually": at a preference question only these replace the need'),
        openers: phrases.describe('What starts the new words after a change of mind ("I want")'),
    }).strict(),
    question: z.object({
        starts: phrases.describe('Words a question starts with, for a question typed without a question mark'),
        topics: z.object(Object.fromEntries(QUESTION_TOPICS.map((t) => [t, phrases])) as
            Record<QuestionTopic, typeof phrases>).strict().describe('What a suggestion can be asked about'),
        listing: z.object(Object.fromEntries(LISTING_TOPICS.map((t) => [t, phrases])) as
            Record<ListingTopic, typeof phrases>).strict()
            .describe('Words in a listing\'s own text that answer a topic the directory has no field for'),
    }).strict(),
    offTopic: phrases.describe('Subjects Signpost cannot help with ("weather", "football")'),
    when: z.object({
        today: phrases.describe('Words for today, anywhere in a message ("today", "this afternoon")'),
        tonight: phrases.describe('Words for this evening ("tonight", "tonite")'),
        tomorrow: phrases.describe('Words for tomorrow, with any spelling residents use ("tmrw")'),
        now: phrases.describe('Asking for something on now, anywhere in a message ("open now", "on now"): a'
            + ' session running now or starting within two hours'),
        nowAlone: phrases.describe('The same, only as the whole message ("now", "asap"): "I\'m lonely right now"'
            + ' is not asking for something open now'),
        days: z.object(Object.fromEntries(DAY_CODES.map((d) => [d, phrases])) as Record<DayCode, typeof phrases>)
            .partial().strict().optional().describe('A language\'s names for each day, in every form a resident'
                + ' types ("wtorek", "we wtorki", "dydd Mawrth", "nos Fawrth"); compared without accents. English'
                + ' day names are read by conversation/parse.ts itself'),
        weekend: phrases.optional().describe('Words for the weekend ("weekend", "penwythnos")'),
        weekdays: phrases.optional().describe('Words for Monday to Friday ("w tygodniu", "yn ystod yr wythnos")'),
        times: z.object({ morning: phrases, afternoon: phrases, evening: phrases }).partial().strict().optional()
            .describe('Words for parts of the day ("rano", "po południu", "bore", "gyda\'r nos")'),
        anyTime: phrases.optional().describe('No preference about when ("kiedykolwiek", "unrhyw bryd")'),
        greetings: phrases.optional().describe('Greetings that hold a time word and say no time ("bore da", "dobry'
            + ' wieczór"): taken out before the time words are read'),
        ruleOut: phrases.optional().describe('Words before a day or time that rule it out ("nie", "oprócz", "ddim",'
            + ' "heblaw"): "nie w niedzielę" is not a Sunday asked for'),
    }).strict().describe('Time words read against the clock in Europe/London (src/conversation/when.ts)'),
    needOpeners: phrases.describe('Ways of naming another need ("I want", "also")'),
    redirect: z.object({
        reject: phrases.describe('Saying the suggestions shown are no good ("none of them", "no use", "i said"):'
            + ' at the results, sorry and a new search for what they name, or asked what would suit better'),
        negation: phrases.describe('Words before a need they say is not theirs ("not", "i\'m not"): "nah not'
            + ' lonely", "I\'m not a carer either" take that need away'),
        keep: phrases.describe('Words after a negation that keep the need ("not coping", "not well", "not able"):'
            + ' "I\'m not sleeping" is still a need'),
        forMe: phrases.describe('Saying the conversation is for the writer ("it\'s for me", "for myself"), as the'
            + ' whole message or before ", not ..." or "but": the questions go back to "you"'),
        distress: phrases.describe('Words of distress short of crisis ("cried", "such a failure", "can\'t cope"):'
            + ' one kind sentence and the offer of a person come first'),
    }).strict().optional().describe('Redirecting at the results and distress (session 7, fix D;'
        + ' src/conversation/understand.ts). Optional: a language without it reads them in English'),
    ordinals: z.object(Object.fromEntries(ORDINAL_PLACES.map((n) => [n, phrases])) as
        Record<(typeof ORDINAL_PLACES)[number], typeof phrases>).partial().strict().optional()
        .describe('Words for a place in the list, by number, in every form ("second"; "druga", "drugi", "drugie";'
            + ' "ail"): "where is the second one?" asks about suggestion 2. Compared without accents. Also real words'
            + ' of the language that the needs lexicon never reads as a typo ("druga" is not "drugs")'),
    keep: keepWordsSchema.optional().describe('Keeping, sending, printing and correcting suggestions (issue 21;'
        + ' src/conversation/understand.ts listAction). Optional: a language without it reads them in English'),
    who: whoWordsSchema.optional().describe('Who a message is about, when it is written for someone else (issue 18;'
        + ' src/conversation/behalf.ts). Optional, so a language without it reads every message as the writer\'s own'),
}).strict();

/** One language's intent words. */
export type IntentLexicon = z.output<typeof intentsFileSchema>;

/** The intents folder of a knowledge folder. */
export const INTENTS_DIR = 'intents';

/** Reads and validates every knowledge/intents/<language>.json; throws KnowledgeError naming file and fault. */
export function loadIntents(knowledgeDir: string): Map<string, IntentLexicon> {
    const dir = path.join(knowledgeDir, INTENTS_DIR);
    const out = new Map<string, IntentLexicon>();
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort() : [];
    for (const name of names) {
        const file = `${INTENTS_DIR}/${name}`;
        let raw: unknown;
        try {
            raw = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
        } catch (err) {
            throw new KnowledgeError([{ file, message: `cannot be read as JSON (${(err as Error).message})` }]);
        }
        const parsed = intentsFileSchema.safeParse(raw);
        if (!parsed.success) throw new KnowledgeError(faultsFromZod(parsed.error, { file }));
        if (`${parsed.data.language}.json` !== name) {
            throw new KnowledgeError([{ file, message: `says language "${parsed.data.language}", not its file name` }]);
        }
        out.set(parsed.data.language, parsed.data);
    }
    if (!out.has('en')) throw new KnowledgeError([{ file: `${INTENTS_DIR}/en.json`, message: 'is missing' }]);
    return out;
}

let shipped: Map<string, IntentLexicon> | undefined;

/**
 * The words shipped with Signpost, loaded once, in the language of the turn (English, or English with the turn's
 * language's words added): what the plain answer readers (conversation/parse.ts) use, since they take text alone. A
 * knowledge folder of its own still has its files checked at start-up.
 */
export function shippedIntents(): IntentLexicon {
    shipped ??= loadIntents(path.join(projectRoot(), 'knowledge'));
    return intentsFor(shipped, turnLocale());
}

const merged = new WeakMap<Map<string, IntentLexicon>, Map<string, IntentLexicon>>();

/**
 * The words a message is read with in a conversation held in `locale`: the English lists with that language's
 * (knowledge/intents/<locale>.json) added to each, so a Welsh speaker's "ie" is a yes and their "OK" still is. The
 * English alone for English or a language without a file, so an English conversation reads exactly as before. One
 * object per language, made once, so what is compiled from it (conversation/understand.ts) is made once too.
 */
export function intentsFor(all: Map<string, IntentLexicon>, locale: string): IntentLexicon {
    const english = all.get('en') as IntentLexicon;
    const theirs = all.get(locale);
    if (!theirs || locale === 'en') return english;
    let cache = merged.get(all);
    if (!cache) merged.set(all, (cache = new Map()));
    let lexicon = cache.get(locale);
    if (!lexicon) cache.set(locale, (lexicon = union(english, theirs) as IntentLexicon));
    return lexicon;
}

/**
 * Every list of `a` with the same list of `b` added (no repeats); other values from `a`. A part only `b` has (a
 * language's day names, where English has none in the file) is taken from `b`.
 */
function union(a: unknown, b: unknown): unknown {
    if (a === undefined) return b;
    if (Array.isArray(a)) return [...new Set([...a, ...(Array.isArray(b) ? b : [])])];
    if (a && typeof a === 'object') {
        const other = (b && typeof b === 'object' ? b : {}) as Record<string, unknown>;
        const keys = [...new Set([...Object.keys(a), ...Object.keys(other)])];
        return Object.fromEntries(keys.map((k) => [k, union((a as Record<string, unknown>)[k], other[k])]));
    }
    return a;
}
