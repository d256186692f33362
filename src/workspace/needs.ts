/**
 * The queue's Need filter: connectors pick or type a need the way the page shows it ("Feeling lonely or wanting
 * company") or in a word ("lonely"), never by its internal id alone. Matched on the labels and words the knowledge
 * already has for each need (knowledge/needs.json), so there is one list of words to keep.
 */

/** A need as the filter matches it: the fields of a need in the taxonomy (src/knowledge/taxonomy.ts) it reads. */
export interface NeedNames {
    id: string;
    label: string;
    askLabel: string;
    reflect: string;
    terms: readonly { text: string }[];
    phrases: readonly { text: string }[];
}

/** Lower case, letters and digits only, single spaces: "Feeling lonely, or..." and "feeling lonely or" compare. */
function plain(text: string): string {
    return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * The ids of the needs a connector's words name: the need whose id, label or a word or phrase of it they are, or
 * whose label contains them ("lonely" in "Feeling lonely or wanting company"); and the words themselves as an id, as
 * before, so a need the taxonomy no longer has (or a test's "money") still finds its requests.
 */
export function needsNamed(needs: readonly NeedNames[], text: string): string[] {
    const q = plain(text);
    if (!q) return [];
    const found = needs.filter((n) => {
        const labels = [n.id, n.label, n.askLabel, n.reflect].map(plain);
        const words = [...n.terms, ...n.phrases].map((w) => plain(w.text));
        return labels.includes(q) || words.includes(q) || (q.length >= 4 && labels.some((l) => l.includes(q)));
    }).map((n) => n.id);
    return [...new Set([text.trim(), ...found])];
}
