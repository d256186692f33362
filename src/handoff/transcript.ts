/**
 * The caps on a conversation's transcript, shared by the bot that records it and the hand-off that copies it into a
 * request (with the resident's consent), so documents stay small.
 */
import type { TranscriptEntry } from '../storage/escalationRecord';

/** At most this many entries are kept: the oldest go first. */
export const MAX_TRANSCRIPT_ENTRIES = 80;
/** At most this many characters of text in all, so documents stay small. */
export const MAX_TRANSCRIPT_CHARS = 20_000;
/** The longest single entry kept. */
export const MAX_TRANSCRIPT_ENTRY = 2_000;

/** A copy of the entries within the caps: the last entries that fit, oldest first. */
export function capTranscript(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
    // Every turn records into the transcript: most of the time it is within the caps and is copied as it is.
    if (withinCaps(entries)) return [...entries];
    const out: TranscriptEntry[] = [];
    let chars = 0;
    for (let i = entries.length - 1; i >= 0 && out.length < MAX_TRANSCRIPT_ENTRIES; i--) {
        const entry = { ...entries[i], text: entries[i].text.slice(0, MAX_TRANSCRIPT_ENTRY) };
        if (chars + entry.text.length > MAX_TRANSCRIPT_CHARS) break;
        chars += entry.text.length;
        out.push(entry);
    }
    return out.reverse();
}

function withinCaps(entries: readonly TranscriptEntry[]): boolean {
    if (entries.length > MAX_TRANSCRIPT_ENTRIES) return false;
    let chars = 0;
    for (const { text } of entries) {
        if (text.length > MAX_TRANSCRIPT_ENTRY) return false;
        chars += text.length;
    }
    return chars <= MAX_TRANSCRIPT_CHARS;
}
