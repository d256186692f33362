/**
 * Issue 18, part 1: messages written for someone else (a mum, a neighbour, a client). Family words there say who
 * the message is about, not that the writer needs parenting support, so this set measures the right first need and
 * how often family-parenting is invented. Each line says its part ("split"): the held-out lines were written blind
 * after the dev ones had been tuned on, and are measured only when asked. (Until session 6 a hash of the text chose
 * a third; those lines are dev now, marked "seen", since they were measured.)
 */
import { detectNeeds } from '../matching/needs';
import type { NeedModel } from '../matching/needs';
import { percent, ratio } from './measure';
import type { LabelledUtterance } from './measure';

/** The set, relative to the project root. */
export const PARAPHRASE_BEHALF = 'test/fixtures/eval/paraphrases-behalf.jsonl';

/** One line of the set: a labelled message and the part it belongs to. */
export interface BehalfCase extends LabelledUtterance {
    split?: 'dev' | 'heldout';
}

/** Held out when the line says so; a line without a split is dev. */
export function isBehalfHeldOut(line: BehalfCase): boolean {
    return line.split === 'heldout';
}

/** What the set measures: first need right, and family-parenting found where it was not labelled. */
export interface BehalfStats {
    messages: number;
    firstRight: number;
    /** Messages not labelled family-parenting. */
    notFamily: number;
    /** Of those, how many got family-parenting anyway. */
    inventedFamily: number;
    /** Messages labelled family-parenting (the parenting controls). */
    family: number;
    /** Of those, how many kept it. */
    familyKept: number;
    misses: string[];
}

/** Scores one part of the set: the first need found must be the first labelled one. */
export function measureBehalf(cases: readonly LabelledUtterance[], model: NeedModel): BehalfStats {
    const stats: BehalfStats = {
        messages: cases.length, firstRight: 0, notFamily: 0, inventedFamily: 0, family: 0, familyKept: 0, misses: [],
    };
    for (const c of cases) {
        const found = detectNeeds(c.text, model).map((n) => n.id);
        const wanted = c.needs[0];
        const labelledFamily = c.needs.includes('family-parenting');
        const foundFamily = found.includes('family-parenting');
        if (found[0] === wanted) {
            stats.firstRight++;
        }
        if (labelledFamily) {
            stats.family++;
            stats.familyKept += foundFamily ? 1 : 0;
        } else {
            stats.notFamily++;
            stats.inventedFamily += foundFamily ? 1 : 0;
        }
        if (found[0] !== wanted || foundFamily !== labelledFamily) {
            stats.misses.push(`    "${c.text}" wanted [${c.needs.join(', ')}] got [${found.join(', ')}]`);
        }
    }
    return stats;
}

/** Prints one part; the held-out part's lines are never printed, only its numbers. */
export function printBehalf(name: string, stats: BehalfStats, showMisses: boolean): void {
    console.log(`\nOn behalf of someone else, ${name}: ${stats.messages} messages (${PARAPHRASE_BEHALF})`);
    console.log(`  first need right          ${ratio(stats.firstRight, stats.messages)}  (aim: 90%)`);
    console.log(`  invented family-parenting ${ratio(stats.inventedFamily, stats.notFamily)}  (aim: none)`);
    console.log(`  parenting controls kept   ${ratio(stats.familyKept, stats.family)}  (aim: all)`);
    if (showMisses) {
        console.log(stats.misses.length ? `  misses (${stats.misses.length}):\n${stats.misses.join('\n')}`
            : '  misses: none');
    }
}

/** One line for the summary. */
export function behalfSummary(name: string, stats: BehalfStats): string {
    return `  ${name.padEnd(9)} first need right ${percent(stats.firstRight, stats.messages)}, invented family-parenting `
        + `${stats.inventedFamily}/${stats.notFamily}, parenting kept ${stats.familyKept}/${stats.family}`;
}
