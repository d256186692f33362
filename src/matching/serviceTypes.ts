/**
 * Finds the kinds of service (knowledge/service-types.json) named in a text. The importer tags a service with the
 * kinds its name, category or first sentence names (`terms`); ranking finds the kinds a resident names (`terms` and
 * the looser `queryTerms`) and puts listings of that kind first, so "tai chi" finds the tai chi class before the
 * many other exercise listings that share the broad need.
 *
 * Words are compared whole, after the same folding on both sides: lower case, accents, apostrophes and punctuation
 * off ("Parkinson's" -> "parkinsons", "men's shed" -> "mens shed"), "&" as "and", and a final plural "s" off words
 * of five letters or more ("bowls" stays, "walks" -> "walk", "carers" -> "carer"), "es" off "-sses", "-ches",
 * "-shes" and "-xes" ("classes" -> "class").
 */
import type { ServiceType } from '../knowledge/serviceTypes';

/** A vocabulary ready to match: each folded phrase and the type ids it names. */
export interface ServiceTypeMatcher {
    /** Every type, in file order. */
    readonly types: readonly ServiceType[];
    /** Folded phrase -> ids, for a service's own words. */
    readonly serviceTerms: ReadonlyMap<string, readonly string[]>;
    /** Folded phrase -> ids, for a resident's words (serviceTerms and the queryTerms). */
    readonly queryTerms: ReadonlyMap<string, readonly string[]>;
    /** The longest phrase, in words. */
    readonly maxWords: number;
}

/**
 * Folds one word: plural "es" off "-sses", "-ches", "-shes" and "-xes" ("classes" -> "class", "flushes" -> "flush"),
 * else plural "s" off words of five letters or more (not "ss": "class", "fitness").
 */
function foldWord(word: string): string {
    if (word.length >= 5 && /(?:ss|ch|sh|x)es$/.test(word)) return word.slice(0, -2);
    return foldS(word);
}

/** Plural "s" off words of five letters or more, not "ss" (the service labeller's folding, measured on its gold). */
function foldS(word: string): string {
    return word.length >= 5 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/**
 * The folded words of a text (see the module comment). `esPlurals: false` folds only a final "s", as the service
 * labeller's vocabulary was built and measured with (knowledge/service-needs.json).
 */
export function foldedWords(text: string, esPlurals = true): string[] {
    const lower = text.toLowerCase();
    // Plain ASCII has no accents to take off (NFKD leaves it as it is): most feed text, so skip that work.
    return (/^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
        .replace(/['\u2019\u2018`]/g, '')
        .replace(/&/g, ' and ')
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 0)
        .map(esPlurals ? foldWord : foldS);
}

const PREFIXES = new WeakMap<ReadonlyMap<string, unknown>, ReadonlySet<string>>();

/**
 * Every phrase of a phrase map and each of its shorter word prefixes ("couch to 5k" gives "couch", "couch to" and
 * itself), worked out once per map. A scan of a text stops lengthening a phrase once no phrase starts with it, rather
 * than trying every length up to the longest phrase at every word: the same phrases are found, much faster.
 */
export function phrasePrefixes(map: ReadonlyMap<string, unknown>): ReadonlySet<string> {
    let prefixes = PREFIXES.get(map);
    if (!prefixes) {
        const set = new Set<string>();
        for (const phrase of map.keys()) {
            for (let end = phrase.indexOf(' '); end > 0; end = phrase.indexOf(' ', end + 1)) {
                set.add(phrase.slice(0, end));
            }
            set.add(phrase);
        }
        prefixes = set;
        PREFIXES.set(map, prefixes);
    }
    return prefixes;
}

function addTerm(map: Map<string, string[]>, phrase: string, id: string): number {
    const words = foldedWords(phrase);
    if (words.length === 0) {
        return 0;
    }
    const key = words.join(' ');
    const ids = map.get(key) ?? [];
    if (!ids.includes(id)) {
        ids.push(id);
    }
    map.set(key, ids);
    return words.length;
}

/** Builds the matcher once, when the knowledge is loaded. */
export function buildServiceTypeMatcher(types: readonly ServiceType[]): ServiceTypeMatcher {
    const serviceTerms = new Map<string, string[]>();
    const queryTerms = new Map<string, string[]>();
    let maxWords = 1;
    for (const type of types) {
        for (const term of type.terms) {
            maxWords = Math.max(maxWords, addTerm(serviceTerms, term, type.id), addTerm(queryTerms, term, type.id));
        }
        for (const term of type.queryTerms) {
            maxWords = Math.max(maxWords, addTerm(queryTerms, term, type.id));
        }
    }
    return { types, serviceTerms, queryTerms, maxWords };
}

/**
 * The type ids whose phrases occur in the words, in order of first appearance. The longest phrase at a place wins
 * and its words are used up: "learning disability" names that kind, not also "learning" and "disability".
 */
function typesInWords(
    words: readonly string[],
    terms: ReadonlyMap<string, readonly string[]>,
    maxWords: number,
    negatable = false,
): string[] {
    const found: string[] = [];
    const prefixes = phrasePrefixes(terms);
    let start = 0;
    while (start < words.length) {
        let phrase = '';
        let longest = 0;
        let ids: readonly string[] = [];
        for (let length = 1; length <= maxWords && start + length <= words.length; length++) {
            phrase = length === 1 ? (words[start] as string) : `${phrase} ${words[start + length - 1] as string}`;
            if (!prefixes.has(phrase)) {
                break;
            }
            const named = terms.get(phrase);
            if (named) {
                longest = length;
                ids = named;
            }
        }
        // "I don't need the food bank" does not ask for one; "I can't afford my energy bills" does.
        const negated = negatable && turnedDown(words, start);
        for (const id of negated ? [] : ids) {
            if (!found.includes(id)) {
                found.push(id);
            }
        }
        start += Math.max(1, longest);
    }
    return found;
}

/** Words that turn down what follows within NEGATION_WINDOW words, folded (apostrophes off). */
const NEGATIONS: ReadonlySet<string> = new Set(['not', 'no', 'dont', 'doesnt', 'never', 'without', 'cant', 'wont',
    'isnt', 'arent', 'didnt', 'nor']);
const NEGATION_WINDOW = 3;
/**
 * Words that, right after a negation, say a struggle rather than a refusal: "can't afford", "can't pay", "can't cope
 * with", "don't know any". The kind after them is what the resident needs help with.
 */
const STRUGGLES: ReadonlySet<string> = new Set(['afford', 'pay', 'cope', 'manage', 'keep', 'stop', 'heat', 'feed',
    'find', 'know', 'sleep', 'hear', 'see', 'walk', 'eat', 'get']);

/** Whether a negation within NEGATION_WINDOW words before `start` turns down what starts there. */
function turnedDown(words: readonly string[], start: number): boolean {
    for (let i = Math.max(0, start - NEGATION_WINDOW); i < start; i++) {
        if (NEGATIONS.has(words[i] as string) && !STRUGGLES.has(words[i + 1] as string)) {
            return true;
        }
    }
    return false;
}

/** The kinds a resident's words name ("a running club" -> running), in order of first appearance. */
export function typesInQuery(text: string, matcher: ServiceTypeMatcher): string[] {
    return typesInWords(foldedWords(text), matcher.queryTerms, matcher.maxWords, true);
}

/** What a service is, as the importer reads it: its name and category weigh most, then its first sentence. */
export interface ServiceTypeEvidence {
    name: string;
    category?: string;
    keywords?: readonly string[];
    description: string;
}

/** The first sentence of a description, at most 300 characters: what a service is comes first. */
export function firstSentence(description: string): string {
    const end = description.search(/[.!?](\s|$)|\n/);
    const first = end < 0 ? description : description.slice(0, end);
    // A first "sentence" of a few words is a heading ("Kid Kitchen."): what the service is comes in the next one.
    if (end >= 0 && first.trim().split(/\s+/).length <= 4) {
        const rest = description.slice(end + 1);
        const next = rest.search(/[.!?](\s|$)|\n/);
        return `${first}. ${next < 0 ? rest : rest.slice(0, next)}`.slice(0, 300);
    }
    return first.slice(0, 300);
}

/** The kinds a service is, from its name, category, keywords and first sentence (its own words only). */
export function typesOfService(evidence: ServiceTypeEvidence, matcher: ServiceTypeMatcher): string[] {
    const text = [evidence.name, evidence.category ?? '', ...(evidence.keywords ?? []), firstSentence(evidence.description)]
        .join(' . ');
    return typesInWords(foldedWords(text), matcher.serviceTerms, matcher.maxWords);
}
