/**
 * Small helpers shared by `npm run eval` and `npm run bench`: reading the labelled sets, and the numbers both
 * report (shares, percentiles, whether a top 5 holds the needs a message was labelled with).
 */
import * as fs from 'node:fs';

/** One labelled message: the text and the need ids it should give, most important first (empty: small talk). */
export interface LabelledUtterance {
    text: string;
    needs: string[];
}

/** The shared development set and the team's paraphrases, relative to the project root. */
export const UTTERANCES = '../shared/eval/dev-utterances.jsonl';
export const PARAPHRASE_NEEDS = 'test/fixtures/eval/paraphrases-needs.jsonl';

/** Objects of a JSON-lines file; blank lines skipped. */
export function readJsonl<T>(file: string): T[] {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

export function percent(n: number, d: number): string {
    return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

/** "n/d = p%". */
export function ratio(n: number, d: number): string {
    return `${n}/${d} = ${percent(n, d)}`;
}

/** The p-th percentile (0..100) of numbers sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Whether ranked listings (their need ids, best first) cover what a message was labelled with. */
export interface TopHit {
    /** Some listing in the top `k` helps with the first labelled need. */
    first: boolean;
    /** Every labelled need is helped with by some listing in the top `k`. */
    all: boolean;
}

/** Judges the top `k` of a ranking against the labelled needs. */
export function topHit(ranked: readonly (readonly string[])[], want: readonly string[], k = 5): TopHit {
    const top = ranked.slice(0, k);
    const covered = (id: string): boolean => top.some((needs) => needs.includes(id));
    return { first: want.length > 0 && covered(want[0] as string), all: want.length > 0 && want.every(covered) };
}
