/**
 * The pieces of `npm run eval:directory` that need no data: a plain Okapi BM25 baseline and the ranking metrics
 * (nDCG@k, precision@k, hit@k, recall@k) over graded judgments. Pure.
 */
import { cleanText } from '../import/html';
import { seededRandom } from './random';

/** A small English stopword list: words that say nothing about which service fits. */
const STOPWORDS = new Set((
    'a an and are as at be been but by can could do does for from had has have he her him his how i i\'m im if in '
    + 'into is it its me my myself no not of on or our ours she so some something that the their them then there '
    + 'these they this those to too up us was we were what when where which who will with would you your yours '
    + 'am any all just about get got need want looking help'
).split(' '));

/** Lower-cased word tokens without stopwords; HTML is stripped first. */
export function tokenize(text: string): string[] {
    return cleanText(text).toLowerCase().replace(/[’']/g, '').split(/[^a-z0-9]+/)
        .filter((t) => t && !STOPWORDS.has(t));
}

export interface Bm25Document {
    id: string;
    name: string;
    description: string;
}

export interface Bm25Index {
    /** Ids best first; only documents sharing at least one query word; ties by id. */
    search(query: string, limit: number): { id: string; score: number }[];
}

/** Okapi BM25 (k1 = 1.2, b = 0.75) over name + description, one field. */
export function buildBm25(docs: readonly Bm25Document[], k1 = 1.2, b = 0.75): Bm25Index {
    const termFreqs = docs.map((d) => {
        const tf = new Map<string, number>();
        for (const t of tokenize(`${d.name} ${d.description}`)) tf.set(t, (tf.get(t) ?? 0) + 1);
        return tf;
    });
    const lengths = termFreqs.map((tf) => [...tf.values()].reduce((s, n) => s + n, 0));
    const avgLength = lengths.reduce((s, n) => s + n, 0) / Math.max(1, docs.length);
    const docFreq = new Map<string, number>();
    for (const tf of termFreqs) for (const t of tf.keys()) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
    const n = docs.length;
    const idf = (t: string): number => {
        const df = docFreq.get(t) ?? 0;
        return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    };
    return {
        search(query, limit) {
            const terms = [...new Set(tokenize(query))];
            const scored: { id: string; score: number }[] = [];
            termFreqs.forEach((tf, i) => {
                let score = 0;
                for (const t of terms) {
                    const f = tf.get(t);
                    if (!f) continue;
                    score += idf(t) * (f * (k1 + 1)) / (f + k1 * (1 - b + b * lengths[i] / (avgLength || 1)));
                }
                if (score > 0) scored.push({ id: docs[i].id, score });
            });
            scored.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
            return scored.slice(0, limit);
        },
    };
}

/** Grades of one query's judged services: 0 not, 1 partly, 2 relevant. Unjudged services count as 0. */
export type Grades = ReadonlyMap<string, number>;

/** nDCG@k with linear gains (the grade) and the ideal from every judged service; undefined when no gain exists. */
export function ndcgAt(ranked: readonly string[], grades: Grades, k = 5): number | undefined {
    const dcg = (gains: number[]) => gains.slice(0, k).reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
    const ideal = dcg([...grades.values()].sort((x, y) => y - x));
    if (ideal === 0) return undefined;
    return dcg(ranked.map((id) => grades.get(id) ?? 0)) / ideal;
}

/** Share of the top k that are relevant (grade 2); a shorter list still divides by k. */
export function precisionAt(ranked: readonly string[], grades: Grades, k = 5): number {
    return ranked.slice(0, k).filter((id) => grades.get(id) === 2).length / k;
}

/** Relevant services (grade 2) among the judged ones. */
function relevant(grades: Grades): string[] {
    return [...grades].filter(([, g]) => g === 2).map(([id]) => id);
}

/** 1 when a relevant service is in the top k; undefined when the query has no relevant judged service. */
export function hitAt(ranked: readonly string[], grades: Grades, k = 5): number | undefined {
    if (!relevant(grades).length) return undefined;
    return ranked.slice(0, k).some((id) => grades.get(id) === 2) ? 1 : 0;
}

/** Share of the relevant judged services found in the top k; undefined when there are none. */
export function recallAt(ranked: readonly string[], grades: Grades, k = 20): number | undefined {
    const all = relevant(grades);
    if (!all.length) return undefined;
    const top = new Set(ranked.slice(0, k));
    return all.filter((id) => top.has(id)).length / all.length;
}

/** Top-k results with no judgment yet (they count as 0 in every metric). */
export function unjudgedAt(ranked: readonly string[], grades: Grades, k = 5): number {
    return ranked.slice(0, k).filter((id) => !grades.has(id)).length;
}

/** Mean of the defined values, and how many there were. */
export function mean(values: readonly (number | undefined)[]): { mean: number | undefined; n: number } {
    const defined = values.filter((v): v is number => v !== undefined);
    const n = defined.length;
    return { mean: n ? defined.reduce((s, v) => s + v, 0) / n : undefined, n };
}

/** Fisher-Yates with a seeded generator; returns a new array. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
    const out = [...items];
    const random = seededRandom(seed);
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}
