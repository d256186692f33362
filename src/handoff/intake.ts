/**
 * Where a resident's request for contact goes in: before a new request is stored, a repeat from the same resident
 * with the same contact detail is merged into their open request, and new requests are limited per contact detail
 * and per client address (or, where the channel has no address of the resident, per resident). So a flood of fake
 * urgent requests cannot bury the real ones in the connectors' queue: 100 chats with one number make at most three
 * requests a day, and the rest are refused kindly.
 *
 * Only the same resident is merged: someone else giving a number that has an open request (a shared household phone,
 * a support worker's number used for several clients) makes a request of their own, with their own needs, words and
 * chat, and is never told anything of the other one. The new request names the open ones with that contact detail
 * (`sameContactAs`) for the connectors, who can then handle them together.
 *
 * Contact details and addresses are compared and counted by keyed hash (src/keyedHash.ts): the number or e-mail is
 * in clear only in the request itself. Limits apply only to making requests: crisis routes are shown before any of
 * this, whatever happens here, and a refused resident is given the numbers to call.
 */
import type { KeyedHasher } from '../keyedHash';
import type { Logger } from '../log';
import type { AttemptStore } from '../storage/attemptStore';
import type { EscalationStore } from '../storage/escalationStore';
import { normalisedContact } from './contact';
import { repeatDetail } from './escalation';
import type { AuditEntry, ContactMethod, Escalation } from '../storage/escalationRecord';

export { normalisedContact } from './contact';

export interface IntakeLimits {
    /** New requests one contact detail may make in 24 hours (the same resident asking again is merged, not counted). */
    perContactPerDay: number;
    /** New requests one client address, or one resident, may make in an hour. */
    perAddressPerHour: number;
}

export interface IntakeParts {
    store: Pick<EscalationStore, 'create' | 'openForContact' | 'mergeRepeat'>;
    attempts: Pick<AttemptStore, 'add'>;
    hasher: KeyedHasher;
    limits: IntakeLimits;
    log: Logger;
    now: () => Date;
}

/** What became of a request. */
export type IntakeResult =
    | { kind: 'created'; escalation: Escalation }
    /** The same resident's open request, with this repeat merged into it, as it now is. */
    | { kind: 'merged'; escalation: Escalation }
    | { kind: 'refused'; per: 'contact' | 'address' | 'resident' };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export class RequestIntake {
    /** Requests being decided, per contact key: one at a time in this process, so a burst cannot all miss. */
    private readonly busy = new Map<string, Promise<unknown>>();

    constructor(private readonly parts: IntakeParts) {}

    /** The keyed hash of a contact detail, as stored in Escalation.contactKey. */
    contactKey(method: ContactMethod, value: string): string {
        return this.parts.hasher.hash('contact', normalisedContact(method, value));
    }

    /**
     * Stores the request, merges it into the same resident's open one with this contact detail, or refuses it (over a
     * limit). `clientKey` is the opaque key the HTTP layer gave for the resident's address (built-in website chat
     * only); without it the limit is per resident. Throws only when the store fails (the caller tells the resident
     * it was not saved).
     */
    async submit(escalation: Escalation, clientKey?: string): Promise<IntakeResult> {
        const contactKey = this.contactKey(escalation.contact.method, escalation.contact.value);
        const previous = this.busy.get(contactKey) ?? Promise.resolve();
        const run = previous.catch(() => undefined).then(() => this.decide({ ...escalation, contactKey }, clientKey));
        const tail = run.catch(() => undefined);
        this.busy.set(contactKey, tail);
        void tail.then(() => {
            if (this.busy.get(contactKey) === tail) this.busy.delete(contactKey);
        });
        return run;
    }

    private async decide(escalation: Escalation & { contactKey: string }, clientKey?: string): Promise<IntakeResult> {
        const { store, attempts, hasher, limits, log } = this.parts;
        const at = this.parts.now();
        const open = await store.openForContact(escalation.contactKey);
        const theirs = open.find((o) => o.residentKey === escalation.residentKey);
        if (theirs) {
            // The same resident asking again: what is new in it (needs, a way to get in touch) goes in the audit line.
            const urgent = escalation.priority === 'urgent';
            const news = {
                urgent,
                needs: escalation.summary.needs.filter((n) => !theirs.needs.includes(n)),
                ...(escalation.contact.method !== theirs.method ? { method: escalation.contact.method } : {}),
            };
            const detail = repeatDetail(news);
            const audit: AuditEntry = { at: at.toISOString(), actor: 'resident', action: 'repeated',
                ...(detail ? { detail } : {}) };
            const merged = await store.mergeRepeat(theirs.reference, urgent ? escalation.dueBy : undefined, audit);
            if (merged) {
                log.warn('handoff.repeat_merged', { escalation: merged.id, repeats: merged.repeats ?? 1, urgent,
                    newNeeds: news.needs.length });
                return { kind: 'merged', escalation: merged };
            }
            // Closed in the meantime: this one is new.
        }
        const nowMs = at.getTime();
        const perContact = await attempts.add(`request-contact:${escalation.contactKey}`, nowMs, DAY_MS);
        if (perContact.count > limits.perContactPerDay) return this.refuse('contact');
        // Keyed hashes both: a count never holds anything that leads back to the chat without the key.
        const [per, source] = clientKey
            ? ['address', hasher.hash('request-address', clientKey)] as const
            : ['resident', hasher.hash('request-resident', escalation.residentKey)] as const;
        const perSource = await attempts.add(`request-${per}:${source}`, nowMs, HOUR_MS);
        if (perSource.count > limits.perAddressPerHour) return this.refuse(per);
        // Anyone else's open requests with this contact detail: named for the connectors, never told the resident.
        const others = open.filter((o) => o !== theirs).map((o) => o.reference);
        const stored = others.length ? { ...escalation, sameContactAs: others } : escalation;
        await store.create(stored);
        return { kind: 'created', escalation: stored };
    }

    private refuse(per: 'contact' | 'address' | 'resident'): IntakeResult {
        this.parts.log.warn('handoff.request_limited', { per });
        return { kind: 'refused', per };
    }
}
