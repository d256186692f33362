/**
 * A re-import against what the directory file already holds: records are updated in place by id (the file keeps its
 * order, so a diff shows only what changed), new ones go at the end, and those gone from the source are removed. A
 * record still in the source but now invalid keeps its previous version: one bad edit upstream must not make a
 * service vanish.
 */
import type { Opportunity } from '../knowledge/schema';

/** What merging did, by id. */
export interface MergeOutcome {
    opportunities: Opportunity[];
    added: string[];
    updated: string[];
    unchanged: string[];
    removed: string[];
    /** Invalid in the source now; their previous version is kept. */
    keptPrevious: string[];
}

/** A record as JSON with keys in a fixed order, so key order alone is never a change. */
function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : v));
}

/**
 * Merges freshly imported records into the previous ones.
 * @param previous the records already in the directory file (empty on a first import)
 * @param fresh the valid records of this import, in source order
 * @param invalidIds ids present in the source whose records are invalid now
 */
export function mergeRecords(
    previous: readonly Opportunity[],
    fresh: readonly Opportunity[],
    invalidIds: ReadonlySet<string>,
): MergeOutcome {
    const freshById = new Map(fresh.map((o) => [o.id, o]));
    const outcome: MergeOutcome = {
        opportunities: [], added: [], updated: [], unchanged: [], removed: [], keptPrevious: [],
    };
    const seen = new Set<string>();
    for (const old of previous) {
        const next = freshById.get(old.id);
        seen.add(old.id);
        if (next) {
            outcome.opportunities.push(next);
            // Records the importer wrote keep its key order, so plain JSON usually settles it without sorting keys.
            const same = JSON.stringify(next) === JSON.stringify(old) || canonicalJson(next) === canonicalJson(old);
            (same ? outcome.unchanged : outcome.updated).push(old.id);
        } else if (invalidIds.has(old.id)) {
            outcome.opportunities.push(old);
            outcome.keptPrevious.push(old.id);
        } else {
            outcome.removed.push(old.id);
        }
    }
    for (const record of fresh) {
        if (!seen.has(record.id)) {
            outcome.opportunities.push(record);
            outcome.added.push(record.id);
        }
    }
    return outcome;
}
