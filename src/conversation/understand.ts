/**
 * What a resident is doing with a message, read before the question's own answer is: answering it, asking for a
 * person, saying thanks or goodbye, asking about a suggestion, changing their mind, naming a new need, going off
 * the subject, or saying yes or no. Pure: text in, an intent out. The words come from knowledge/intents/ (one file
 * per language); the rules that combine them are here, so "aye", "defo" or "someone to ring me" are understood
 * without a list of whole sentences. Crisis is not read here: the bot checks for it before any of this runs.
 */
import type { IntentLexicon, KeepWords, QuestionTopic } from '../knowledge/intents';
import { LISTING_PROBLEMS, QUESTION_TOPICS } from '../knowledge/intents';
import type { ListingProblem } from '../storage/listingFeedbackStore';
import { foldForMatching } from '../unicode';

/** What a message does. "answer" is the default: the question's own reader takes it. */
export type Intent = 'answer' | 'ask-person' | 'thanks' | 'question' | 'change-of-mind' | 'new-need' | 'off-topic'
    | 'yes' | 'no';

export interface Understanding {
    intent: Intent;
    /** For "question": what it asks about (booking, parking, travel, cost, what, times, access, contact). */
    topic?: QuestionTopic;
    /** For "change-of-mind": the new words, after what was taken back ("I want to get fit"). */
    words?: string;
    /** For "ask-person": they asked to be called or contacted, not only to talk. */
    callBack?: boolean;
    /**
     * For "change-of-mind": they said outright that the need changes ("forget ...", "instead", "not X, I want Y",
     * "I've changed my mind"), not only "actually" or "wait". At a preference question only an explicit change
     * replaces the need: "actually I need it free" answers the cost question.
     */
    explicit?: boolean;
    /** For "off-topic": it was asked as a question. An answer with an off-topic word is left to the reader first. */
    asked?: boolean;
}

/** Tells whether some words name a need (the matching engine's detector, at the dialogs' threshold). */
export type NeedDetector = (text: string) => boolean;

/** A message as read: look-alike letters folded, lower case, one kind of apostrophe, single spaces. */
export function normalise(text: string): string {
    return foldForMatching(text).toLowerCase().replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ').trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A phrase as a pattern: its words apart by any spaces, apostrophes optional, not inside a longer word. */
const phrasePattern = (p: string) => escape(p).replace(/ /g, '\\s+').replace(/'/g, "'?");
const alternation = (list: readonly string[]) =>
    [...list].sort((a, b) => b.length - a.length).map(phrasePattern).join('|');
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}])';
/** Parts in a row, the first not inside a word and the last not followed by one. */
const sequence = (...parts: string[]) => new RegExp(`${NOT_WORD_BEFORE}${parts.join('')}${NOT_WORD_AFTER}`, 'u');
const anywhere = (list: readonly string[]) => sequence(`(?:${alternation(list)})`);
const atStart = (list: readonly string[]) => new RegExp(`^(?:${alternation(list)})${NOT_WORD_AFTER}`, 'u');
const whole = (list: readonly string[]) => new RegExp(`^(?:${alternation(list)})$`, 'u');
/** Made once per list: the lexicons are fixed at start-up; compiling a pattern per message cost more than using it. */
function onceper(make: (list: readonly string[]) => RegExp): (list: readonly string[]) => RegExp {
    const made = new WeakMap<readonly string[], RegExp>();
    return (list) => {
        let re = made.get(list);
        if (!re) made.set(list, re = make(list));
        return re;
    };
}
/**
 * A pattern for any of a list of phrases as whole words anywhere in a normalised message (other readers use it).
 * Compiled once per list (by the list itself): pass the lexicon's own list, not a copy made per message.
 */
export const phrasesAnywhere = onceper(anywhere);
/** A pattern for a normalised message that is exactly one of a list of phrases; once per list, as above. */
export const phrasesWhole = onceper(whole);
/** Up to `n` words between two parts of a rule ("speak to [a real] human"). */
const gap = (n: number) => `(?:\\s+\\S+){0,${n}}\\s+`;

/** The patterns of one lexicon, compiled once. */
interface Compiled {
    yes: RegExp;
    no: RegExp;
    noThanks: RegExp;
    skip: RegExp;
    nothingWanted: RegExp;
    personRules: RegExp[];
    callBackRules: RegExp[];
    barePerson: RegExp;
    personFiller: RegExp;
    closing: RegExp;
    closingOnly: RegExp;
    thanksOrBye: RegExp;
    changeMarker: RegExp;
    changeSwitch: RegExp;
    changeOpener: RegExp;
    questionStart: RegExp;
    topics: [QuestionTopic, RegExp][];
    offTopic: RegExp;
}

const compiled = new WeakMap<IntentLexicon, Compiled>();

function compile(lex: IntentLexicon): Compiled {
    const known = compiled.get(lex);
    if (known) return known;
    const p = lex.person;
    const anyPerson = alternation([...p.specific, ...p.generic]);
    const closingWords = [...lex.thanks, ...lex.goodbye, ...lex.pleasantries];
    const c: Compiled = {
        yes: atStart(lex.yes),
        no: atStart(lex.no),
        // "nah ur alright", "I'm good thanks", "you're ok mate": the whole answer, perhaps after a no, so "I'm ok
        // with that" or "I'm fine with mornings" is not read as one.
        noThanks: new RegExp(`^(?:(?:${alternation(lex.no)})[\\s,.!]+)?(?:${alternation(lex.noThanks.who)})\\s+`
            + `(?:(?:really|actually|totally|honestly)\\s+)?(?:${alternation(lex.noThanks.fine)})`
            + `(?:[\\s,.!]+(?:${alternation(lex.noThanks.after)}))*${NOT_WORD_AFTER}[\\s\\p{P}\\p{S}]*$`, 'u'),
        skip: atStart(lex.skip),
        // "no", "nothing really, thanks", "no, nothing for now": the whole answer.
        nothingWanted: new RegExp(`^(?:(?:${alternation(lex.no)})[\\s,.!]+)?`
            + `(?:${alternation([...lex.no, ...lex.nothing])})`
            + `(?:[\\s,.!]+(?:${alternation(lex.noThanks.after)}))*${NOT_WORD_AFTER}[\\s\\p{P}\\p{S}]*$`, 'u'),
        personRules: [
            // "can I speak to a human", "talk with a real person", "I'd rather talk to someone properly"
            sequence(`(?:${alternation(p.talk)})`, gap(2), `(?:${anyPerson})`),
            // "is there a real person I can talk to"
            sequence(`(?:${alternation(p.specific)})`, gap(3), `(?:${alternation(p.talk)})`),
            // "I don't want a computer", "fed up of typing to a bot": the machine is this chat ("a", "this"), so
            // "I'm rubbish with computers" or "I can't use a computer to apply for jobs" is a need, not a refusal.
            sequence(`(?:${alternation(p.refuse)})`, `(?:${gap(4)}|\\s+)`, `(?:${alternation(p.machineBefore)})\\s+`,
                `(?:${alternation(p.machine)})`),
            // "can someone talk to me": asked, so a request; "I wish someone would talk to me" is loneliness.
            new RegExp(`^(?:${alternation(p.askStart)})\\s+(?:${anyPerson})\\s+(?:please\\s+)?`
                + `(?:${alternation(p.toMe)})${NOT_WORD_AFTER}`, 'u'),
            // "are you a robot, I want a person": the person word ends the clause, so not "I need a person centred
            // plan".
            new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(p.want)})\\s+(?:${alternation(p.specific)})`
                + `(?=\\s*(?:[,.!?;]|$)|\\s+(?:please|pls|now|instead|thanks)${NOT_WORD_AFTER})`, 'u'),
            // "I need someone to help", "I want somebody to sort it out": a person wanted for help, also after a
            // need ("my landlord wants me out and I need someone to help"); "I need someone to talk to" is not here.
            sequence(`(?:${alternation(p.want)})\\s+(?:just\\s+)?(?:${anyPerson})\\s+(?:${alternation(p.helpMe)})`),
        ],
        callBackRules: [
            // "I just want a person to ring me", "can someone call me", "someone to get in touch"
            sequence(`(?:${anyPerson})`, `(?:${gap(3)}|\\s+)`, `(?:${alternation(p.callBack)})`),
            // "can I have a call from one of your team", "a ring off someone": the contact asked for first.
            sequence(`(?:${alternation(p.callFrom)})`, `(?:${gap(2)}|\\s+)`, `(?:${anyPerson})`),
        ],
        barePerson: whole(p.specific),
        personFiller: new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(p.filler)})${NOT_WORD_AFTER}`, 'gu'),
        closing: new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(closingWords)})${NOT_WORD_AFTER}`, 'gu'),
        closingOnly: /^[\s\p{P}\p{S}]*$/u,
        thanksOrBye: anywhere([...lex.thanks, ...lex.goodbye]),
        changeMarker: anywhere(lex.change.markers),
        changeSwitch: anywhere(lex.change.switches),
        changeOpener: anywhere(lex.change.openers),
        questionStart: atStart(lex.question.starts),
        topics: QUESTION_TOPICS.map((t) => [t, anywhere(lex.question.topics[t])]),
        offTopic: anywhere(lex.offTopic),
    };
    compiled.set(lex, c);
    return c;
}

/** The first words of a message, up to its first full stop, comma or exclamation ("aye, go on" -> "aye"). */
const strip = (t: string) => t.replace(/^[\s\p{P}]+|[\s.!?,;:]+$/gu, '');

/** True when the message starts with a way of saying yes ("aye", "yh", "go on then", "defo") and not no. */
export function saysYes(text: string, lex: IntentLexicon): boolean {
    const t = strip(normalise(text));
    const c = compile(lex);
    return !c.no.test(t) && !c.noThanks.test(t) && c.yes.test(t);
}

/** True when the message starts with a way of saying no ("nah", "not really") or is a no thanks ("I'm good"). */
export function saysNo(text: string, lex: IntentLexicon): boolean {
    const t = strip(normalise(text));
    const c = compile(lex);
    return c.no.test(t) || c.noThanks.test(t);
}

/**
 * True when the whole message says nothing is wanted: a no, a no thanks ("nah ur alright") or a "nothing" phrase,
 * perhaps with "thanks" or "for now" after it ("nothing really, thanks"). Whole, so that "no one to talk to" or
 * "not sure what I need" is not read as one: at "What would you like help with?" those still go on.
 */
export function saysNothingWanted(text: string, lex: IntentLexicon): boolean {
    const t = strip(normalise(text));
    const c = compile(lex);
    return c.nothingWanted.test(t) || c.noThanks.test(t);
}

/**
 * True when the answer starts with a way of saying "no preference" ("doesn't matter", "not bothered", "any is fine",
 * "I really don't mind"): the question is answered, with nothing to narrow by. Softening words ("really", "honestly",
 * "just") are read past, so the lexicon needs each phrase once.
 */
export function saysSkip(text: string, lex: IntentLexicon): boolean {
    const t = strip(normalise(text)).replace(SOFTENERS, ' ').replace(/\s+/g, ' ').trim();
    return compile(lex).skip.test(t);
}

/** Words that soften an answer without changing it ("I really don't mind", "honestly not bothered"). */
const SOFTENERS =
    /(?<![\p{L}])(?:really|honestly|genuinely|truly|just|tbh|totally|to be honest|literally)(?![\p{L}])/gu;

/** Words that make a call-back a phone call ("ring me", "give me a bell"). */
const PHONE_WORDS = /(?<![\p{L}])(?:call|ring|phone|bell)(?![\p{L}])/u;

/** The person-asking rules: true, with whether a call-back was asked, or undefined. */
function asksForPerson(t: string, c: Compiled): { callBack: boolean } | undefined {
    // A call-back by phone only when they said so ("ring me"); "contact me" leaves the way to the hand-off.
    if (c.callBackRules.some((r) => r.test(t))) return { callBack: PHONE_WORDS.test(t) };
    if (c.personRules.some((r) => r.test(t))) return { callBack: false };
    // A person word on its own, perhaps wrapped in "can I", "please", "just": "a real person please".
    const bare = t.replace(/[^\p{L}\p{N}' ]+/gu, ' ').replace(c.personFiller, ' ').replace(/\s+/g, ' ').trim();
    return bare && c.barePerson.test(bare) ? { callBack: false } : undefined;
}

/** Only thanks, goodbye and pleasantries, with at least one thanks or goodbye ("thanks that's great"). */
function onlyClosing(t: string, c: Compiled): boolean {
    if (!c.thanksOrBye.test(t)) return false;
    return c.closingOnly.test(t.replace(c.closing, ' '));
}

/** The words after a change of mind: from the new need's opener, else what follows the marker. */
function afterChange(original: string, t: string, c: Compiled): string {
    const marker = c.changeMarker.exec(t);
    const from = marker ? marker.index + marker[0].length : 0;
    const rest = t.slice(from);
    const opener = c.changeOpener.exec(rest);
    let words = opener ? rest.slice(opener.index) : rest;
    // "forget the stress stuff, I want ..." without an opener: what comes after the first comma.
    if (!opener && /,/.test(words) && /forget|scrap|ignore|not /.test(marker?.[0] ?? '')) {
        words = words.slice(words.indexOf(',') + 1);
    }
    words = strip(words);
    // The resident's own letters, not the folded form, when the two line up (they do unless folding changed them).
    const at = normalise(original).indexOf(words);
    return at >= 0 && original.length === normalise(original).length ? strip(original.slice(at, at + words.length))
        : words;
}

/**
 * What the message does. Order matters and is the rule: a request for a person first (never missed), then a change
 * of mind that names a new need, thanks or goodbye on their own, a question about a suggestion, no, yes, off the
 * subject, a new need, and otherwise an answer for the question's own reader.
 */
export function understand(text: string, lex: IntentLexicon, namesNeed: NeedDetector = () => false): Understanding {
    const t = normalise(text);
    if (!t) return { intent: 'answer' };
    const c = compile(lex);
    const person = asksForPerson(t, c);
    if (person) return { intent: 'ask-person', ...(person.callBack ? { callBack: true } : {}) };
    if (c.changeMarker.test(t)) {
        const words = afterChange(text, t, c);
        if (words && namesNeed(words)) {
            return { intent: 'change-of-mind', words, ...(c.changeSwitch.test(t) ? { explicit: true } : {}) };
        }
    }
    const bare = strip(t);
    if ((c.no.test(bare) || c.noThanks.test(bare)) && !/\?\s*$/.test(t)) return { intent: 'no' };
    if (onlyClosing(t, c)) return { intent: 'thanks' };
    const isQuestion = /\?\s*$/.test(t) || c.questionStart.test(bare);
    if (isQuestion) {
        // The longest phrase says most: "step free" is access, not cost; "what time is it" is off the subject.
        const topic = longestTopic(t, c);
        if (topic && topic.length > longest(c.offTopic, t)) return { intent: 'question', topic: topic.topic };
    }
    if (c.yes.test(bare)) return { intent: 'yes' };
    const need = namesNeed(text);
    // Off the subject even when a word names a need, if it is asked as a question: "who won the football".
    if (c.offTopic.test(t) && (!need || isQuestion)) {
        return { intent: 'off-topic', ...(isQuestion ? { asked: true } : {}) };
    }
    if (need) return { intent: 'new-need' };
    return { intent: 'answer' };
}

/** The length of the longest phrase of a pattern found in the text (0 when none). */
function longest(re: RegExp, t: string): number {
    const all = new RegExp(re.source, 'gu');
    let best = 0;
    for (let m = all.exec(t); m; m = all.exec(t)) {
        best = Math.max(best, m[0].length);
        all.lastIndex = m.index + 1;
    }
    return best;
}

/** The topic whose phrase found in the text is the longest, or undefined. */
function longestTopic(t: string, c: Compiled): { topic: QuestionTopic; length: number } | undefined {
    let best: { topic: QuestionTopic; length: number } | undefined;
    for (const [topic, re] of c.topics) {
        const length = longest(re, t);
        if (length && (!best || length > best.length)) best = { topic, length };
    }
    return best;
}

/** The topic a question is about even when it names no need ("is there parking"), or undefined. */
export function questionTopic(text: string, lex: IntentLexicon): QuestionTopic | undefined {
    return longestTopic(normalise(text), compile(lex))?.topic;
}

/**
 * The outward code a place answer means, read generally: one or two letters, the district's digit (and a digit or
 * letter), perhaps spaced apart ("bs 5"), perhaps followed by the sector's digit and part of the rest ("bs5 6",
 * "BS5 6X"). Undefined when the answer is not that shape (a full postcode, a place name, a sentence).
 */
export function outwardCodeOf(text: string): string | undefined {
    const t = normalise(text).replace(/[.,;:!]+$/, '');
    const m = /^([a-z])\s*([a-z])?\s*(\d[a-z\d]?)(?:\s+(\d)(?:\s*[a-z]){0,1})?$/u.exec(t);
    if (!m) return undefined;
    const [, first, second, district, sector] = m;
    // "bs56" with no sector is left to the postcode reader: it may be the district BS56 or BS5 with a sector.
    if (!sector && /^\d\d$/.test(district as string) && !/\s/.test(t)) return undefined;
    return `${first}${second ?? ''}${district}`.toUpperCase();
}

/**
 * The corrected words of a message that takes back what it said ("sorry no, I meant Eastfield not Westmoor" ->
 * "Eastfield"; "actually not mornings, afternoons are better" -> "afternoons are better"): what follows the
 * taking-back word, without the parts it says "not" to. Undefined when nothing is taken back.
 */
export function correctedWords(text: string, lex: IntentLexicon): string | undefined {
    const t = normalise(text);
    const marker = compile(lex).changeMarker.exec(t);
    if (!marker) return undefined;
    const words = strip(t.slice(marker.index + marker[0].length)
        .replace(/(?<![\p{L}])not\s+[^,.;!?]*?(?=\s*(?:[,.;!?]|\s+but\s|$))/gu, ' ')
        .replace(/(?<![\p{L}])but\s+/gu, ' ').replace(/\s+/g, ' '));
    return words || undefined;
}

/** What a message asks of the saved list (issue 21), read by listAction. */
export type ListAction =
    /** Keep suggestions: by number, the one being talked about ("this"), or every one on screen ("all"). */
    | { action: 'save'; picks: number[] | 'this' | 'all' }
    /** Show the saved list. */
    | { action: 'list' }
    /** Send the list, by text or e-mail when they said which. */
    | { action: 'send'; via?: 'sms' | 'email' }
    /** Print the list (the website chat). */
    | { action: 'print' }
    /** Something is wrong with a listing: the one numbered, or the one being talked about. */
    | { action: 'report'; problem: ListingProblem; pick?: number };

/** The one word an SMS resident replies with to have their list sent (wording smsListSend says it). */
const SMS_SEND = 'send';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/**
 * What a message asks of the saved list, or undefined: "print my list" and "my list" as the whole message; "save 2",
 * "save 1 and 3", "keep this one" (a save verb first, then only numbers, "this" or "them": "keep fit" is a need);
 * "send me these", "text me the list" anywhere; "number 2 has closed", "the number doesn't work" anywhere, when not
 * asked as a question. `count`: how many suggestions were numbered, so a number past them is not a pick.
 */
export function listAction(text: string, lex: IntentLexicon, count: number): ListAction | undefined {
    const k = lex.keep;
    if (!k) return undefined;
    const t = strip(normalise(text));
    if (!t) return undefined;
    if (phrasesWhole(k.print).test(t)) return { action: 'print' };
    if (phrasesWhole(k.list).test(t)) return { action: 'list' };
    // SEND alone is the SMS reply the saved list offers ("Reply SEND to get this list as a text"), in every language.
    if (t === SMS_SEND) return { action: 'send' };
    const save = savePicks(t, k, count);
    if (save) return { action: 'save', picks: save };
    if (phrasesAnywhere(k.send).test(t)) {
        const text = phrasesAnywhere(k.byText).test(t);
        const email = phrasesAnywhere(k.byEmail).test(t);
        return { action: 'send', ...(text !== email ? { via: text ? 'sms' as const : 'email' as const } : {}) };
    }
    if (/\?\s*$/.test(normalise(text))) return undefined;
    for (const problem of LISTING_PROBLEMS) {
        if (phrasesAnywhere(k.problems[problem]).test(t)) {
            const pick = suggestionNumber(t, count, lex);
            return { action: 'report', problem, ...(pick ? { pick } : {}) };
        }
    }
    return undefined;
}

/** The picks of a save ("save 1 and 3" -> [1, 3]), or undefined when the message is not a save. */
function savePicks(t: string, k: KeepWords, count: number): number[] | 'this' | 'all' | undefined {
    const words = t.replace(/[,.;:!]+/g, ' ').replace(phrasesFiller(k.filler), ' ').replace(/\s+/g, ' ').trim();
    const verb = phrasesStart(k.save).exec(words);
    if (!verb) return undefined;
    let rest = words.slice(verb[0].length).trim();
    const all = phrasesAnywhere(k.all).test(rest);
    rest = rest.replace(phrasesEvery(k.all), ' ').replace(phrasesEvery(k.this), ' ');
    const picks: number[] = [];
    rest = rest.replace(/(?<![\p{L}\p{N}])#?(\d{1,2})(?:st|nd|rd|th)?(?![\p{L}\p{N}])/gu, (_, n: string) => {
        picks.push(Number(n));
        return ' ';
    });
    rest = rest.replace(new RegExp(`(?<![\\p{L}])(?:the\\s+)?(${ORDINALS.join('|')})(?:\\s+one)?(?![\\p{L}])`, 'gu'),
        (_, w: string) => {
            picks.push(ORDINALS.indexOf(w) + 1);
            return ' ';
        });
    if (rest.replace(/(?<![\p{L}])one(?![\p{L}])/gu, ' ').trim()) return undefined;
    if (picks.length) return [...new Set(picks)].filter((n) => n >= 1 && n <= Math.max(count, 0));
    return all ? 'all' : 'this';
}

/** The number of the suggestion a sentence names ("number 2 has closed", "the second one"), within `count`. */
function suggestionNumber(t: string, count: number, lex: IntentLexicon): number | undefined {
    const digit = /(?:^|[\s#(])(?:number\s*|no\.?\s*)?(\d{1,2})(?:st|nd|rd|th)?(?![\p{L}\p{N}:.])/u.exec(t);
    const n = digit ? Number(digit[1]) : ordinalIn(t, lex);
    return n !== undefined && n >= 1 && n <= count ? n : undefined;
}

/** Each lexicon's ordinals as one pattern per place, made once per lexicon. */
const ordinalPatterns = new WeakMap<IntentLexicon, Array<[number, RegExp]>>();

/**
 * The place in a list a message (as `normalise` reads it) names by a word: "the second one", "ta druga", "yr ail".
 * Read with the lexicon's ordinals (English, and the conversation's language's), the English words always among
 * them; the one named first in the message counts. Undefined when none is named.
 */
export function ordinalIn(t: string, lex: IntentLexicon): number | undefined {
    let compiled = ordinalPatterns.get(lex);
    if (!compiled) {
        compiled = ORDINALS.map((english, i): [number, RegExp] => {
            const words = [english, ...(lex.ordinals?.[String(i + 1) as keyof typeof lex.ordinals] ?? [])];
            return [i + 1, new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(words.map(normalise))})${NOT_WORD_AFTER}`,
                'u')];
        });
        ordinalPatterns.set(lex, compiled);
    }
    let best: { n: number; at: number } | undefined;
    for (const [n, re] of compiled) {
        const at = re.exec(t)?.index;
        if (at !== undefined && (!best || at < best.at)) best = { n, at };
    }
    return best?.n;
}

/** Filler phrases anywhere, every one of them (global), once per list. */
const phrasesFiller = onceper((list) =>
    new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(list)})${NOT_WORD_AFTER}`, 'gu'));
/** The same for any list, global, once per list. */
const phrasesEvery = phrasesFiller;
/** A phrase of the list at the start of the text, once per list. */
const phrasesStart = onceper(atStart);

/** What a message says against the suggestions shown or against a need, read by `redirection`. */
export interface Redirection {
    /** They say the suggestions are no good ("none of them", "no use", "I said ..."). */
    rejects: boolean;
    /** The words left once a leading no, the rejecting phrases and what they say "not" to are taken out. */
    rest: string;
    /** What they say "not" to ("lonely", "carer", "crafts"): the needs these name are not theirs. */
    negated: string[];
}

/** Words that may follow what is said "not" to and add nothing ("I'm not a carer either"). */
const NEGATION_TAIL =
    /(?:\s+(?:either|really|at all|anymore|any more|though|tbh|thanks|ta|mate|stuff|things?|help))+$/u;

/** The longest thing said "not" to that can name a need: longer clauses ("not getting out much") are left alone. */
const MAX_NEGATED_WORDS = 3;

/**
 * The parts of a message said "not" to, each as [the whole match with its negation word, the thing negated]:
 * "nah not lonely" -> "lonely"; "I am not a carer either" -> "carer"; "I said money help not crafts" -> "crafts".
 * A negated verb or state ("I'm not sleeping", "not coping", "not well": `redirect.keep`, or any "-ing" word) is
 * still a need and is not returned; nor is a long clause.
 */
function negatedParts(t: string, lex: IntentLexicon): [string, string][] {
    const r = lex.redirect;
    if (!r) return [];
    const re = new RegExp(`${NOT_WORD_BEFORE}(?:${alternation(r.negation)})\\s+(?:(?:a|an|the|into|about|for|any)\\s+)?`
        + `([^,.;!?]+?)(?=\\s*(?:[,.;!?]|\\s+(?:but|and|i|im|i'm|more)\\s|$))`, 'gu');
    const keep = new RegExp(`^(?:${alternation(r.keep)})${NOT_WORD_AFTER}`, 'u');
    const parts: [string, string][] = [];
    for (const m of t.matchAll(re)) {
        const thing = (m[1] ?? '').replace(NEGATION_TAIL, '').trim();
        const first = thing.split(' ')[0] ?? '';
        if (!thing || keep.test(thing) || /ing$/u.test(first)) continue;
        if (thing.split(' ').length > MAX_NEGATED_WORDS) continue;
        parts.push([m[0], thing]);
    }
    return parts;
}

/**
 * The words of a message without what it says "not" to, for reading needs and ranking: "I'm lonely, I am not a carer
 * either" -> "I'm lonely, either"... so "carer" counts for nothing. Unchanged when nothing is negated.
 */
export function withoutNegated(text: string, lex: IntentLexicon): string {
    const t = normalise(text);
    const parts = negatedParts(t, lex);
    if (!parts.length) return text;
    let out = t;
    for (const [whole] of parts) out = out.replace(whole, ' ');
    return out.replace(/\s+([,.;!?])/gu, '$1').replace(/\s+/g, ' ').trim();
}

/**
 * How a message at the results redirects: whether it says the suggestions are no good ("none of them are any use",
 * "no i said MONEY help not crafts"), what it says "not" to, and the words left that may name what they want.
 * Pure; the dialog decides (a need named: sorry and a new search for it alone; nothing named: ask what would suit).
 */
export function redirection(text: string, lex: IntentLexicon): Redirection {
    const t = normalise(text);
    const r = lex.redirect;
    if (!r || !t) return { rejects: false, rest: strip(t), negated: [] };
    const c = compile(lex);
    const parts = negatedParts(t, lex);
    let rest = t;
    for (const [whole] of parts) rest = rest.replace(whole, ' ');
    const rejecting = phrasesEvery(r.reject);
    const rejects = phrasesAnywhere(r.reject).test(rest);
    rest = strip(rest.replace(rejecting, ' ').replace(/\s+/g, ' ').trim());
    // A no in front ("nah", "no"), perhaps again after the rejecting words went ("nah none of them, ...").
    for (let i = 0; i < 2; i++) rest = strip(rest.replace(c.no, ' ').trim());
    return { rejects, rest, negated: parts.map(([, thing]) => thing) };
}

/**
 * True when a message carries distress short of a crisis ("I just sat and cried", "such a failure", "I can't cope",
 * "at my wits end"): one short kind sentence and the offer of a person come before anything else the bot says. Crisis
 * words never get here: the crisis check answers those first.
 */
export function saysDistress(text: string, lex: IntentLexicon): boolean {
    const r = lex.redirect;
    return r !== undefined && phrasesAnywhere(r.distress).test(normalise(text));
}

/**
 * True when the message says the conversation is for the writer ("it's for me", "It is for me, not my children", "no
 * its for me"): what comes before ", not ...", "but" or a full stop, after a no, is one of `redirect.forMe` whole.
 */
export function saysForMe(text: string, lex: IntentLexicon): boolean {
    const r = lex.redirect;
    if (!r?.forMe.length) return false;
    const t = normalise(text);
    const head = strip(t.split(/[,.;!?]|\s+(?:not|but)\s+/u)[0] ?? '');
    const c = compile(lex);
    const bare = strip(head.replace(c.no, ' ').trim());
    return phrasesWhole(r.forMe).test(bare) || phrasesWhole(r.forMe).test(head);
}
