/**
 * What the hand-off domain does with a stored request for contact (src/storage/escalationRecord.ts): its
 * reference, its id, its due date, the detail of a repeat.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CONTACT_METHODS, type ContactMethod } from '../storage/escalationRecord';

/** What a repeat brought that its open request did not have: kept in the `repeated` audit line's detail. */
export interface RepeatNews {
    /** It came after crisis routes, so the request became urgent. */
    urgent: boolean;
    /** Need ids the request did not have yet. */
    needs: string[];
    /** A way to get in touch other than the request's (phone and text share a number, so share a request). */
    method?: ContactMethod;
}

/**
 * The `repeated` audit line's detail: "urgent; needs: money, housing; method: text", with only the parts that
 * apply, or undefined when nothing is new. Need ids, not labels: the workspace shows their labels.
 */
export function repeatDetail(news: RepeatNews): string | undefined {
    const parts = [
        ...(news.urgent ? ['urgent'] : []),
        ...(news.needs.length ? [`needs: ${news.needs.join(', ')}`] : []),
        ...(news.method ? [`method: ${news.method}`] : []),
    ];
    return parts.length ? parts.join('; ') : undefined;
}

/** Reads a `repeated` audit line's detail back (repeatDetail); an unknown part is ignored. */
export function readRepeatDetail(detail: string | undefined): RepeatNews {
    const news: RepeatNews = { urgent: false, needs: [] };
    for (const part of (detail ?? '').split(';').map((p) => p.trim())) {
        if (part === 'urgent') news.urgent = true;
        else if (part.startsWith('needs:')) news.needs = part.slice(6).split(',').map((n) => n.trim()).filter(Boolean);
        else if (part.startsWith('method:')) {
            const method = part.slice(7).trim();
            if ((CONTACT_METHODS as readonly string[]).includes(method)) news.method = method as ContactMethod;
        }
    }
    return news;
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new reference such as "SP-7K3Q9M" (32^6, about a billion: collisions are rejected by the store). */
export function newReference(): string {
    const bytes = randomBytes(6);
    let out = '';
    for (const b of bytes) out += REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length];
    return `SP-${out}`;
}

/** Normalises what a resident typed as a reference ("sp 7k3q9m" -> "SP-7K3Q9M"), or undefined. */
export function parseReference(text: string): string | undefined {
    const m = /\bsp[\s-]?([a-z2-9]{6})\b/i.exec(text);
    return m ? `SP-${m[1].toUpperCase()}` : undefined;
}

export function newEscalationId(): string {
    return randomUUID();
}

/** Adds working days (Monday to Friday) to a date; weekends do not count. */
export function addWorkingDays(from: Date, days: number): Date {
    const d = new Date(from.getTime());
    let left = days;
    while (left > 0) {
        d.setUTCDate(d.getUTCDate() + 1);
        const day = d.getUTCDay();
        if (day !== 0 && day !== 6) left--;
    }
    return d;
}
