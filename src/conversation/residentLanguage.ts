/**
 * The language a request records for the resident (Escalation.language), and so whether the hand-off asks about an
 * interpreter. One small function on purpose: the conversation's language when the resident chose one (Welsh,
 * Polish: the hand-off passes it), else what most of their own messages are written in.
 */

/** Shortest message, in words with letters, that says which language a resident writes in ("osoba" does not). */
const SENTENCE_WORDS = 3;

/**
 * The language most of the resident's sentences are identified as (ISO 639-1; "en" when none is another language,
 * and on a tie between English and another): `identify` is the engine's language identification. `chosen`, the
 * conversation's language when the resident chose one, wins over what their messages look like.
 */
export function residentLanguageOf(messages: readonly string[], identify: (text: string) => string,
    chosen?: string): string {
    if (chosen) return chosen;
    const counts = new Map<string, number>();
    for (const text of messages) {
        if (text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length < SENTENCE_WORDS) continue;
        const code = identify(text);
        counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    let best = 'en';
    let most = counts.get('en') ?? 0;
    for (const [code, n] of counts) {
        if (code !== 'en' && n > most) [best, most] = [code, n];
    }
    return best;
}
