/**
 * Needs from a service's own description, read as a service describes itself rather than as a resident talks
 * (issue 17). The residents' lexicon (knowledge/needs.json) reads "email" as learning, "book" as arts, "park" as
 * nature and "friend" as loneliness, and misses "coffee and chat" or "Women's Institute"; this labeller has its own
 * vocabulary (knowledge/service-needs.json) and weighs where a word is: the name (and category) most, then the first
 * sentence, then the rest. A service with no confident need gets none, and is kept: it is still found by its words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError } from '../knowledge/faults';
import { firstSentence, foldedWords, phrasePrefixes } from '../matching/serviceTypes';

/** The file name inside a knowledge directory. */
export const SERVICE_NEEDS_FILE = 'service-needs.json';

const phrases = z.array(z.string().trim().min(1).max(80)).default([]);

const serviceNeedsFileSchema = z.object({
    about: z.string(),
    source: z.string().min(1),
    needs: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.object({
        strong: phrases.describe('Says the need on its own, wherever it is'),
        medium: phrases.describe('Says the need in the name or the first sentence'),
        weak: phrases.describe('Only adds to other words'),
    }).strict()),
    stop: phrases.describe('Phrases that give no need and use up their words ("car park", "social care")'),
}).strict();

/** Tunables of the labeller, frozen. */
export const LABELLER = Object.freeze({
    /** Weight of a strong, medium and weak word. */
    strong: 3,
    medium: 2,
    weak: 1,
    /** How much a word counts in the name (and category), the first sentence, and the rest of the description. */
    nameZone: 3,
    firstZone: 2,
    restZone: 1,
    /** The rest of a description adds at most this much to one need: long descriptions name many things. */
    restCap: 6,
    /** A need this score or more is confident. */
    confident: 4,
    /** After the first, a need must also reach this share of the first need's score. */
    secondShare: 0.65,
    /** At most this many needs. */
    maxNeeds: 3,
    /** The labeller reads this much of a description. */
    textChars: 2000,
});

/** The vocabulary, ready to match: folded phrase -> needs and weights (empty for a stop phrase). */
export interface ServiceLabeller {
    readonly phrases: ReadonlyMap<string, readonly { need: string; weight: number }[]>;
    readonly maxWords: number;
}

/** A need the labeller found, with its score and the words that gave it. */
export interface LabelledNeed {
    need: string;
    score: number;
    /** Where the strongest evidence is: the name, the first sentence or the rest of the description. */
    where: 'name' | 'first sentence' | 'description';
    words: string[];
}

/** Builds the labeller from the file's content; need ids outside `known` are left out. */
export function buildServiceLabeller(
    file: z.input<typeof serviceNeedsFileSchema>, known?: ReadonlySet<string>,
): ServiceLabeller {
    const data = serviceNeedsFileSchema.parse(file);
    const map = new Map<string, { need: string; weight: number }[]>();
    let maxWords = 1;
    const add = (phrase: string, entry?: { need: string; weight: number }): void => {
        const words = foldedWords(phrase, false);
        if (words.length === 0) {
            return;
        }
        maxWords = Math.max(maxWords, words.length);
        const key = words.join(' ');
        const list = map.get(key) ?? [];
        if (entry && !list.some((e) => e.need === entry.need)) {
            list.push(entry);
        }
        map.set(key, list);
    };
    for (const stop of data.stop) {
        add(stop);
    }
    const stops = new Set(data.stop.map((s) => foldedWords(s, false).join(' ')));
    for (const [need, levels] of Object.entries(data.needs)) {
        if (known && !known.has(need)) {
            continue;
        }
        for (const [level, weight] of [['strong', LABELLER.strong], ['medium', LABELLER.medium],
            ['weak', LABELLER.weak]] as const) {
            for (const phrase of levels[level]) {
                if (!stops.has(foldedWords(phrase, false).join(' '))) {
                    add(phrase, { need, weight });
                }
            }
        }
    }
    return { phrases: map, maxWords };
}

/**
 * Loads `<dir>/service-needs.json`; undefined when the folder has none (the importer then falls back to the
 * residents' lexicon, as before the labeller).
 * @throws KnowledgeError naming the file and field of every fault.
 */
export function loadServiceLabeller(dir: string, known?: ReadonlySet<string>): ServiceLabeller | undefined {
    const file = path.join(dir, SERVICE_NEEDS_FILE);
    if (!fs.existsSync(file)) {
        return undefined;
    }
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
        throw new KnowledgeError([{ file: SERVICE_NEEDS_FILE, message: `is not valid JSON (${(error as Error).message})` }]);
    }
    const parsed = serviceNeedsFileSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
        throw new KnowledgeError(faultsFromZod(parsed.error, { file: SERVICE_NEEDS_FILE }));
    }
    return buildServiceLabeller(parsed.data, known);
}

/** The phrases in a text, longest first at each place (a stop phrase uses its words up and gives nothing). */
function phrasesIn(text: string, labeller: ServiceLabeller): string[] {
    const words = foldedWords(text, false);
    const found: string[] = [];
    const prefixes = phrasePrefixes(labeller.phrases);
    let start = 0;
    while (start < words.length) {
        let phrase = '';
        let longest = 0;
        let best = '';
        for (let length = 1; length <= labeller.maxWords && start + length <= words.length; length++) {
            phrase = length === 1 ? (words[start] as string) : `${phrase} ${words[start + length - 1] as string}`;
            if (!prefixes.has(phrase)) {
                break;
            }
            if (labeller.phrases.has(phrase)) {
                longest = length;
                best = phrase;
            }
        }
        if (longest > 0 && !found.includes(best)) {
            found.push(best);
        }
        start += Math.max(1, longest);
    }
    return found;
}

/** What the labeller reads. */
export interface LabellerEvidence {
    name: string;
    category?: string;
    description: string;
}

/** The confident needs of a service, best first, each with its score and words. Pure. */
export function labelService(evidence: LabellerEvidence, labeller: ServiceLabeller): LabelledNeed[] {
    const description = evidence.description.slice(0, LABELLER.textChars);
    const first = firstSentence(description);
    const zones = [
        { where: 'name' as const, text: evidence.category ? `${evidence.name} . ${evidence.category}` : evidence.name,
            factor: LABELLER.nameZone },
        { where: 'first sentence' as const, text: first, factor: LABELLER.firstZone },
        { where: 'description' as const, text: description.slice(first.length), factor: LABELLER.restZone },
    ];
    const scores = new Map<string, { score: number; best: number; where: LabelledNeed['where']; words: string[] }>();
    for (const zone of zones) {
        // Per need in one place: its strongest word counts whole, each other word half, so a name of one strong
        // word is not outweighed by a description that lists five small ones.
        const inZone = new Map<string, { max: number; sum: number; words: string[] }>();
        for (const phrase of phrasesIn(zone.text, labeller)) {
            for (const { need, weight } of labeller.phrases.get(phrase) ?? []) {
                const z = inZone.get(need) ?? { max: 0, sum: 0, words: [] };
                z.max = Math.max(z.max, weight);
                z.sum += weight;
                z.words.push(phrase);
                inZone.set(need, z);
            }
        }
        for (const [need, z] of inZone) {
            let gain = zone.factor * (z.max + 0.5 * (z.sum - z.max));
            if (zone.where === 'description') {
                gain = Math.min(gain, LABELLER.restCap);
            }
            const entry = scores.get(need) ?? { score: 0, best: 0, where: zone.where, words: [] };
            entry.score += gain;
            if (gain > entry.best) {
                entry.best = gain;
                entry.where = zone.where;
                entry.words = [...z.words, ...entry.words.filter((w) => !z.words.includes(w))];
            } else {
                entry.words.push(...z.words.filter((w) => !entry.words.includes(w)));
            }
            scores.set(need, entry);
        }
    }
    const ranked = [...scores].map(([need, e]) => ({ need, score: e.score, where: e.where, words: e.words }))
        .filter((n) => n.score >= LABELLER.confident)
        .sort((a, b) => b.score - a.score || (a.need < b.need ? -1 : 1));
    const top = ranked[0]?.score ?? 0;
    return ranked.filter((n, i) => i === 0 || n.score >= top * LABELLER.secondShare).slice(0, LABELLER.maxNeeds);
}
