/**
 * A request's live chat as every adapter keeps it: the newest STORE_LIMITS.liveChatLines lines, numbered from 1 in
 * the order written, and a count of all ever written, so what went is a number (total minus kept), not a guess.
 */
import type { AuditEntry } from './escalationRecord';
import { STORE_LIMITS } from './limits';
import type { ChatLine, ChatPage, LiveChange } from './escalationStore';

/**
 * The lines to keep of a chat of `total` lines whose newest are `lines` (oldest first), with their numbers: the
 * newest liveChatLines of them, the last numbered `total`. For an import, and for an adapter reading its own.
 */
export function numberedChat(lines: readonly AuditEntry[], total = lines.length): ChatLine[] {
    const kept = lines.slice(-STORE_LIMITS.liveChatLines);
    const last = Math.max(total, lines.length);
    return kept.map((line, i) => ({ n: last - kept.length + i + 1, ...chatLine(line) }));
}

/** A chat line with only its own fields, as the ports give it. */
export function chatLine(line: AuditEntry): AuditEntry {
    return {
        at: line.at, actor: line.actor, action: line.action,
        ...(line.detail !== undefined && line.detail !== null ? { detail: line.detail } : {}),
    };
}

/** The page of lines numbered above `after`, from every kept line (numbered) and the count ever written. */
export function chatPage(kept: readonly ChatLine[], total: number, after: number): ChatPage {
    return { lines: kept.filter((l) => l.n > after), total, dropped: Math.max(0, total - kept.length) };
}

/**
 * A request's chat once the lines an older version kept in its audit trail (`old`, oldest first) are put before the
 * ones kept apart since (`kept`, of `total` ever written): every line renumbered, the newest liveChatLines kept.
 */
export function chatWithOldLines(old: readonly AuditEntry[], kept: readonly AuditEntry[], total: number)
    : { lines: ChatLine[]; total: number } {
    const all = Math.max(total, kept.length) + old.length;
    return { lines: numberedChat([...old, ...kept], all), total: all };
}

/** Live changes oldest first, then by kind and reference, so every adapter gives the same order (liveChanges). */
export function byTime(changes: readonly LiveChange[]): LiveChange[] {
    return [...changes].sort((a, b) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind)
        || a.reference.localeCompare(b.reference));
}
