/**
 * The import report: counts (read, imported, skipped by reason), what changed since the last import, what was
 * changed or left out inside records, needs and places, and the support files. It names records by id and fields
 * by name, never by value: feeds carry e-mail addresses and phone numbers.
 */
import type { SupportFile } from './support';

/** A reason with how many records had it and the first few ids. */
export interface Tally {
    reason: string;
    count: number;
    ids: string[];
}

/** Everything an import did. `--json` prints this object. */
export interface ImportReport {
    /** Faults that stop the folder loading (the first few), or [] when it loads. */
    loads: string[];
    source: string;
    format: string;
    /** The directory file written, relative to the output folder. */
    file: string;
    written: boolean;
    read: number;
    imported: number;
    skipped: { total: number; byReason: Tally[] };
    changes: { added: number; updated: number; unchanged: number; removed: string[]; keptPrevious: string[] };
    notes: Tally[];
    /** `none`: services kept with no need found (found by their words alone); a curator may want to look. */
    needs: { perNeed: Record<string, number>; fromTaxonomy: number; fromText: number; none: number };
    places: Record<string, number>;
    stale: number;
    support: SupportFile[];
    sourceNotes: string[];
    pages?: number;
    retries?: number;
    /**
     * How the records were built (parallelBuild.ts): slices, and how many a worker thread built (the rest were built
     * on the main thread, the first always; a worker that failed has its slice built there too).
     */
    build: { slices: number; byWorkers: number };
    elapsedMs: number;
    peakRssMb: number;
}

/** How many ids a tally keeps. */
export const TALLY_IDS = 5;

/** Counts reasons with their first ids. */
export class Tallies {
    private readonly tallies = new Map<string, Tally>();

    add(reason: string, id: string): void {
        const tally = this.tallies.get(reason) ?? { reason, count: 0, ids: [] };
        tally.count++;
        if (tally.ids.length < TALLY_IDS && !tally.ids.includes(id)) {
            tally.ids.push(id);
        }
        this.tallies.set(reason, tally);
    }

    /** Most common first. */
    list(): Tally[] {
        return [...this.tallies.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    }
}

function tallyLines(tallies: readonly Tally[], total?: number): string[] {
    return tallies.map((t) => {
        const more = t.count > t.ids.length ? `, ... (${t.count - t.ids.length} more)` : '';
        const share = total ? ` (${Math.round((t.count / total) * 100)}%)` : '';
        return `  ${String(t.count).padStart(5)}${share}  ${t.reason}  [${t.ids.join(', ')}${more}]`;
    });
}

function idList(ids: readonly string[]): string {
    return ids.length === 0 ? '' : ` [${ids.slice(0, TALLY_IDS).join(', ')}${ids.length > TALLY_IDS ? ', ...' : ''}]`;
}

/** The report as plain text, for a person at a terminal. */
export function formatReport(r: ImportReport): string {
    const lines = [
        `Imported ${r.source} (${r.format}) -> ${r.file}${r.written ? '' : '  (NOT written: nothing usable came in)'}`,
        `  read ${r.read}, imported ${r.imported}, skipped ${r.skipped.total}`
            + (r.pages !== undefined ? `; ${r.pages} page(s), ${r.retries ?? 0} retried request(s)` : ''),
    ];
    if (r.written) {
        const c = r.changes;
        lines.push(`  since the last import: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, `
            + `${c.removed.length} removed${idList(c.removed)}`);
        if (c.keptPrevious.length > 0) {
            lines.push(`  kept the previous version of ${c.keptPrevious.length} now invalid in the source`
                + idList(c.keptPrevious));
        }
    }
    if (r.skipped.byReason.length > 0) {
        lines.push('', 'skipped, by reason (field: reason [record ids]):', ...tallyLines(r.skipped.byReason));
    }
    if (r.notes.length > 0) {
        lines.push('', 'changed or left out inside imported records (field: what [record ids]):');
        lines.push(...tallyLines(r.notes));
    }
    lines.push('', `needs (from taxonomy terms: ${r.needs.fromTaxonomy} services, from their own words: `
        + `${r.needs.fromText}, none found, kept and found by their words: ${r.needs.none}):`);
    for (const [need, n] of Object.entries(r.needs.perNeed)) {
        lines.push(`  ${need.padEnd(20)} ${String(n).padStart(5)}${n === 0 ? '  <- nothing listed' : ''}`);
    }
    lines.push('', 'placed by:');
    for (const [how, n] of Object.entries(r.places)) {
        lines.push(`  ${how.padEnd(20)} ${String(n).padStart(5)}`);
    }
    lines.push('', `not checked for over a year: ${r.stale} (see signpost kb stats)`);
    if (r.sourceNotes.length > 0) {
        lines.push('', 'about the source:', ...r.sourceNotes.map((n) => `  ${n}`));
    }
    if (r.loads.length > 0) {
        lines.push('', 'THE FOLDER DOES NOT LOAD; fix these first:', ...r.loads.map((f) => `  ${f}`));
    }
    lines.push('', 'other knowledge files:');
    for (const s of r.support) {
        lines.push(`  ${s.file.padEnd(20)} ${s.action}${s.note ? ` (${s.note})` : ''}`);
    }
    lines.push('', `took ${(r.elapsedMs / 1000).toFixed(2)} s, peak memory ${r.peakRssMb} MB`);
    return lines.join('\n') + '\n';
}
