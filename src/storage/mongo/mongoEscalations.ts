/**
 * Requests for contact in MongoDB. Each request is one document holding its audit trail, so a lifecycle change and
 * its audit line are one findOneAndUpdate: the precondition (status, holder) is in the filter, and of twenty
 * simultaneous claims exactly one matches. (On FerretDB 1.x with the update leases: see DocumentQueue.)
 */
import type { Collection, Filter, UpdateFilter } from 'mongodb';
import type { Assignee, AuditEntry, Escalation, EscalationStatus, SocialPrescribingPlan } from '../escalationRecord';
import {
    LIVE_CHAT_ACTIONS, type ChangeResult, type ChatPage, type EscalationChange, type EscalationStore,
    type LiveChange, type LiveChatAction, type OpenForContact, type PlanSave, type QueuePage, type QueueQuery,
    type ResidentRequestsDeletion,
} from '../escalationStore';
import { STORE_LIMITS, checkSize, jsonBytes } from '../limits';
import { byTime, chatPage, chatWithOldLines, numberedChat } from '../chat';
import { DAY_MS, DocumentQueue, literal } from './connection';

/** A stored request: the Escalation, its audit trail, and when the TTL index may delete it once closed. */
export interface EscalationDoc extends Omit<Escalation, 'conversationReference'> {
    /** The escalation's id. */
    _id: string;
    /** botbuilder's ConversationReference as JSON, so none of its keys is ever read as a field path. */
    conversationReference?: string;
    /** Oldest first, the newest STORE_LIMITS.auditEntries kept. */
    audit: AuditEntry[];
    /** The live chat, oldest first, the newest STORE_LIMITS.liveChatLines kept (absent: none yet). */
    chat?: AuditEntry[];
    /** How many live-chat lines were ever written: the newest one's number. */
    chatTotal?: number;
    /** When the resident last wrote in the live chat, for the workspace's live changes (absent: never, or before). */
    residentMessageAt?: string;
    expireAt?: Date;
}

/**
 * Never read with the request itself: the trail can be long and has its own method. (Reads only: FerretDB 1.24
 * refuses a projection on findOneAndUpdate, "support for field fields is not implemented", so updates return the
 * whole document and escalationOf drops the trail.)
 */
const WITHOUT_AUDIT = {
    projection: { audit: 0, chat: 0, chatTotal: 0, residentMessageAt: 0, expireAt: 0 },
} as const;

/** A filter matching a request whose trail is longer than the cap (it has an element at index `cap`). */
const OVER_CAP = { [`audit.${STORE_LIMITS.auditEntries}`]: { $exists: true } };
const CHAT_OVER_CAP = { [`chat.${STORE_LIMITS.liveChatLines}`]: { $exists: true } };

/** `null` matches a missing field too: a request nobody has live has no `relay`. */
const NO_RELAY = { relay: { $eq: null } } as unknown as Filter<EscalationDoc>;
const HAS_RELAY = { relay: { $ne: null } } as unknown as Filter<EscalationDoc>;

/** An escalation as the ports give it, from its document. */
export function escalationOf(doc: Omit<EscalationDoc, 'audit'> & { audit?: unknown }): Escalation {
    const { _id, audit: _audit, chat: _chat, chatTotal: _chatTotal, expireAt: _expireAt, conversationReference,
        residentMessageAt: _wrote, ...rest } = doc;
    return {
        ...rest,
        ...(conversationReference
            ? { conversationReference: JSON.parse(conversationReference) as Record<string, unknown> } : {}),
    };
}

/** An audit line with only its own fields, as strings: what a caller passes is never stored beyond them. */
export function auditLine(entry: AuditEntry): AuditEntry {
    return {
        at: literal(entry.at), actor: literal(entry.actor), action: literal(entry.action) as AuditEntry['action'],
        ...(entry.detail !== undefined && entry.detail !== null ? { detail: literal(entry.detail) } : {}),
    };
}

/**
 * Appends audit lines and (on MongoDB and Cosmos DB) drops the oldest beyond the cap, in the same update as whatever
 * else changes. FerretDB 1.24 ignores `$slice`: see trimAudit.
 */
function pushAudit(...entries: AuditEntry[]) {
    for (const entry of entries) checkSize('audit line', jsonBytes(entry), STORE_LIMITS.auditEntryBytes);
    return { audit: { $each: entries.map(auditLine), $slice: -STORE_LIMITS.auditEntries } };
}

/** The document for a new (or imported) request, with its live chat when it has one. */
export function escalationDoc(e: Escalation, audit: AuditEntry[], referralDays: number | undefined,
    chat: { lines: AuditEntry[]; total?: number } = { lines: [] }): EscalationDoc {
    const { conversationReference, ...rest } = e;
    const expireAt = e.status === 'closed' && e.closedAt && referralDays !== undefined
        ? new Date(Date.parse(e.closedAt) + referralDays * DAY_MS) : undefined;
    return {
        ...rest,
        _id: literal(e.id),
        ...(conversationReference ? { conversationReference: JSON.stringify(conversationReference) } : {}),
        audit: audit.slice(-STORE_LIMITS.auditEntries).map(auditLine),
        ...(chat.lines.length || chat.total ? {
            chat: numberedChat(chat.lines, chat.total).map(({ n: _n, ...line }) => auditLine(line)),
            chatTotal: Math.max(chat.total ?? 0, chat.lines.length),
        } : {}),
        ...(expireAt && !Number.isNaN(expireAt.getTime()) ? { expireAt } : {}),
    };
}

export class MongoEscalationStore implements EscalationStore {
    constructor(
        private readonly collection: Collection<EscalationDoc>,
        private readonly referralDays?: number,
        private readonly queue = new DocumentQueue(false),
    ) {}

    /** Runs an update of one request after any other this process is making to it (see DocumentQueue). */
    private serial<T>(reference: string, task: () => Promise<T>): Promise<T> {
        return this.queue.run(`escalations:${literal(reference)}`, task);
    }

    async create(e: Escalation): Promise<void> {
        checkSize('request for contact', jsonBytes(e), STORE_LIMITS.escalationBytes);
        // The relay is only ever set by setRelay, so a live chat always starts from the lifecycle.
        const { relay: _relay, ...escalation } = e;
        await this.collection.insertOne(escalationDoc(escalation, [
            { at: e.createdAt, actor: 'resident', action: 'created' },
        ], this.referralDays));
    }

    async getByReference(reference: string): Promise<Escalation | undefined> {
        const doc = await this.collection.findOne({ reference: literal(reference) }, WITHOUT_AUDIT);
        return doc ? escalationOf(doc) : undefined;
    }

    async listForResident(residentKey: string): Promise<Escalation[]> {
        return this.find({ residentKey: literal(residentKey) });
    }

    async list(filter: { status?: Escalation['status'] } = {}): Promise<Escalation[]> {
        return this.find(filter.status ? { status: literal(filter.status) as Escalation['status'] } : {});
    }

    /**
     * The queue in up to four plain finds, one per group (urgent and overdue, urgent, overdue, the rest), each sorted
     * by due time and id on an index and cut to what the page still needs, and one count: no aggregation
     * expressions, which FerretDB 1.x lacks, and never every request read.
     */
    async queuePage(q: QueueQuery): Promise<QueuePage> {
        if (q.statuses.length === 0) throw new Error('The queue needs at least one status');
        const at = literal(q.at);
        const statuses = q.statuses.map((s) => literal(s) as EscalationStatus);
        const base: Filter<EscalationDoc>[] = [{ status: { $in: statuses } }];
        // As isOverdue (src/handoff/lifecycle.ts): open, first contact not yet made (null matches a missing field),
        // past its due time; anything else is in time.
        const overdue = { status: { $ne: 'closed' }, firstContactAt: { $eq: null }, dueBy: { $lt: at } } as
            unknown as Filter<EscalationDoc>;
        const inTime = { $or: [{ status: 'closed' }, { firstContactAt: { $ne: null } }, { dueBy: { $gte: at } }] } as
            unknown as Filter<EscalationDoc>;
        if (q.priority) base.push({ priority: literal(q.priority) as Escalation['priority'] });
        if (q.needs) base.push({ 'summary.needs': { $in: q.needs.map(literal) } });
        if (q.languages) {
            // "en" also matches a request with no language (made when Signpost spoke English only).
            const codes = q.languages.map((l) => literal(l) as string);
            base.push({ $or: [{ 'language.code': { $in: codes } },
                ...(codes.includes('en') ? [{ 'language.code': { $exists: false } }] : [])] } as
                unknown as Filter<EscalationDoc>);
        }
        if (q.overdue !== undefined) base.push(q.overdue ? overdue : inTime);
        if (q.heldBy !== undefined) base.push({ 'assignee.id': literal(q.heldBy) });
        if (q.notHeldBy !== undefined) base.push({ 'assignee.id': { $ne: literal(q.notHeldBy) } });
        if (q.unclaimed) base.push({ 'assignee.id': { $eq: null } } as unknown as Filter<EscalationDoc>);
        const total = await this.collection.countDocuments({ $and: base });
        const escalations: Escalation[] = [];
        for (let group = q.after?.[0] ?? 0; group < 4 && escalations.length < q.limit; group += 1) {
            const late = group % 2 === 0;
            if (q.overdue !== undefined && q.overdue !== late) continue;
            const urgent = group < 2;
            if (q.priority && q.priority !== (urgent ? 'urgent' : 'normal')) continue;
            const filter: Filter<EscalationDoc>[] = [...base, late ? overdue : inTime,
                { priority: urgent ? 'urgent' : 'normal' }];
            if (q.after && q.after[0] === group) {
                const [, due, id] = q.after.map(String);
                filter.push({ $or: [{ dueBy: { $gt: literal(due) } },
                    { dueBy: literal(due), _id: { $gt: literal(id) } }] });
            }
            const docs = await this.collection.find({ $and: filter },
                { ...WITHOUT_AUDIT, sort: { dueBy: 1, _id: 1 }, limit: q.limit - escalations.length }).toArray();
            escalations.push(...docs.map(escalationOf));
        }
        return { escalations, total };
    }

    async change(reference: string, c: EscalationChange): Promise<ChangeResult> {
        if (c.from.length === 0) throw new Error('An escalation change needs at least one status it applies from');
        return this.serial(reference, () => this.changeNow(reference, c));
    }

    private async changeNow(reference: string, c: EscalationChange): Promise<ChangeResult> {
        const filter: Filter<EscalationDoc> = {
            reference: literal(reference),
            status: { $in: c.from.map((s) => literal(s) as Escalation['status']) },
        };
        if (c.assignedTo !== undefined) filter['assignee.id'] = literal(c.assignedTo);
        const at = literal(c.audit.at);
        const set: Record<string, unknown> = { status: literal(c.to), updatedAt: at };
        const unset: Record<string, ''> = {};
        if (c.assignee) set.assignee = { id: literal(c.assignee.id), name: literal(c.assignee.name) };
        else if (c.assignee === null) unset.assignee = '';
        if (c.outcome) set.outcome = literal(c.outcome);
        if (c.to === 'closed') {
            set.closedAt = at;
            if (this.referralDays !== undefined) set.expireAt = new Date(Date.parse(at) + this.referralDays * DAY_MS);
        }
        const update: UpdateFilter<EscalationDoc> = { $set: set, $push: pushAudit(c.audit) };
        if (Object.keys(unset).length) update.$unset = unset;
        // "Unless it is already set" without a pipeline update: $min sets a missing field and otherwise keeps the
        // earlier ISO time, which is the one already there.
        if (c.firstContact) update.$min = { firstContactAt: at };
        const doc = await this.collection.findOneAndUpdate(filter, update, { returnDocument: 'after' });
        if (doc) {
            await this.trimAudit(doc._id);
            return { applied: true, escalation: escalationOf(doc) };
        }
        return { applied: false, current: await this.getByReference(reference) };
    }

    async appendAudit(reference: string, entry: AuditEntry): Promise<boolean> {
        const push = pushAudit(entry);
        return this.serial(reference, async () => {
            const result = await this.collection.updateOne({ reference: literal(reference) }, { $push: push });
            if (result.matchedCount !== 1) return false;
            await this.trimAudit({ reference: literal(reference) });
            return true;
        });
    }

    /**
     * Drops the oldest audit lines beyond the cap. `$slice` in the $push does this at once on MongoDB and Cosmos DB,
     * but FerretDB 1.24 silently ignores `$slice`, so each push is followed by conditional `$pop`s: each removes
     * one line only while the trail is still over the cap, so concurrent writers never remove too many. On MongoDB
     * the filter matches nothing.
     */
    private async trimAudit(which: string | Filter<EscalationDoc>): Promise<void> {
        const filter = typeof which === 'string' ? { _id: which } : which;
        for (let i = 0; i < STORE_LIMITS.auditEntries; i++) {
            const popped = await this.collection.updateOne({ ...filter, ...OVER_CAP }, { $pop: { audit: -1 } });
            if (popped.matchedCount === 0) return;
        }
    }

    async appendChat(reference: string, line: AuditEntry & { action: LiveChatAction }): Promise<boolean> {
        checkSize('live-chat line', jsonBytes(line), STORE_LIMITS.auditEntryBytes);
        // The line and the count in one update, so a line's number (count minus those after it) never drifts.
        const update: UpdateFilter<EscalationDoc> = {
            $push: { chat: { $each: [auditLine(line)], $slice: -STORE_LIMITS.liveChatLines } },
            $inc: { chatTotal: 1 },
            // Kept apart from the chat so the workspace's live changes find it on an index (liveChanges).
            ...(line.action === 'resident-message' ? { $set: { residentMessageAt: literal(line.at) } } : {}),
        };
        return this.serial(reference, async () => {
            const result = await this.collection.updateOne({ reference: literal(reference) }, update);
            if (result.matchedCount !== 1) return false;
            // FerretDB ignores $slice (see trimAudit).
            for (let i = 0; i < STORE_LIMITS.liveChatLines; i++) {
                const popped = await this.collection.updateOne({ reference: literal(reference), ...CHAT_OVER_CAP },
                    { $pop: { chat: -1 } });
                if (popped.matchedCount === 0) break;
            }
            return true;
        });
    }

    /**
     * Moves the live-chat lines that versions before `chat` kept in a request's audit trail into its chat, before
     * the lines kept there since (see moveChatOutOfAudit in the embedded store for why a move). Run at every
     * start-up: idempotent, since moved lines leave the audit trail, and safe with several instances starting at
     * once, since each update applies only to the document as it was read (its audit trail's length and last line,
     * and its chat's count), else it is read again.
     */
    async moveChatOutOfAudit(): Promise<{ requests: number; lines: number }> {
        const actions = [...LIVE_CHAT_ACTIONS] as AuditEntry['action'][];
        const found = await this.collection.find({ 'audit.action': { $in: actions } }, { projection: { reference: 1 } })
            .toArray();
        let requests = 0;
        let lines = 0;
        for (const { reference } of found) {
            const moved = await this.serial(reference, () => this.moveChatNow(reference));
            if (moved > 0) requests++;
            lines += moved;
        }
        return { requests, lines };
    }

    private async moveChatNow(reference: string): Promise<number> {
        const isChat = (a: AuditEntry) => (LIVE_CHAT_ACTIONS as readonly string[]).includes(a.action);
        for (let attempt = 0; attempt < 10; attempt++) {
            const doc = await this.collection.findOne({ reference: literal(reference) },
                { projection: { audit: 1, chat: 1, chatTotal: 1 } });
            const audit = doc?.audit ?? [];
            const old = audit.filter(isChat);
            if (!doc || old.length === 0) return 0;
            const last = audit.length - 1;
            const lastLine = audit[last] as AuditEntry;
            const chat = chatWithOldLines(old, doc.chat ?? [], doc.chatTotal ?? 0);
            const unchanged = {
                _id: doc._id,
                [`audit.${audit.length}`]: { $exists: false },
                [`audit.${last}.at`]: lastLine.at,
                [`audit.${last}.action`]: lastLine.action,
                chatTotal: doc.chatTotal === undefined ? { $exists: false } : doc.chatTotal,
            } as Filter<EscalationDoc>;
            const result = await this.collection.updateOne(unchanged, {
                $set: {
                    audit: audit.filter((a) => !isChat(a)).map(auditLine),
                    chat: chat.lines.map(({ n: _n, ...line }) => auditLine(line)),
                    chatTotal: chat.total,
                },
            });
            if (result.matchedCount === 1) return old.length;
        }
        return 0;
    }

    async chat(reference: string, after = 0): Promise<ChatPage | undefined> {
        const doc = await this.collection.findOne({ reference: literal(reference) },
            { projection: { chat: 1, chatTotal: 1 } });
        if (!doc) return undefined;
        const lines = doc.chat ?? [];
        const total = Math.max(doc.chatTotal ?? 0, lines.length);
        return chatPage(numberedChat(lines, total), total, after);
    }

    async auditTrail(reference: string): Promise<AuditEntry[]> {
        const doc = await this.collection.findOne({ reference: literal(reference) }, { projection: { audit: 1 } });
        return (doc?.audit ?? []).map(auditLine);
    }

    async setConversationReference(reference: string, conversationReference: Record<string, unknown>): Promise<void> {
        const json = JSON.stringify(conversationReference);
        checkSize('conversation reference', Buffer.byteLength(json, 'utf8'), STORE_LIMITS.conversationReferenceBytes);
        await this.serial(reference, () => this.collection.updateOne({ reference: literal(reference) },
            { $set: { conversationReference: json } }));
    }

    async setNoticeId(reference: string, noticeId: string): Promise<void> {
        await this.serial(reference, () => this.collection.updateOne({ reference: literal(reference) },
            { $set: { noticeId: literal(noticeId) } }));
    }

    async setPlan(reference: string, plan: SocialPrescribingPlan, audit: AuditEntry, basedOn: string | null):
        Promise<PlanSave> {
        checkSize('plan', jsonBytes(plan), STORE_LIMITS.planBytes);
        const push = pushAudit(audit);
        return this.serial(reference, async () => {
            // A field added to the document: requests stored before simply have none. Written only over the plan
            // the writer loaded, in one conditional update inside the request's lease.
            const loaded = basedOn === null ? { plan: { $exists: false } } : { 'plan.recordedAt': literal(basedOn) };
            const result = await this.collection.updateOne({ reference: literal(reference), ...loaded },
                { $set: { plan }, $push: push });
            if (result.matchedCount !== 1) {
                const there = await this.collection.findOne({ reference: literal(reference) },
                    { projection: { _id: 1 } });
                return there ? 'changed' : 'not-found';
            }
            await this.trimAudit({ reference: literal(reference) });
            return 'saved';
        });
    }

    async setRelay(reference: string, relay: Assignee | null, audit: AuditEntry): Promise<boolean> {
        pushAudit(audit);
        return this.serial(reference, () => this.setRelayNow(reference, relay, audit));
    }

    private async setRelayNow(reference: string, relay: Assignee | null, audit: AuditEntry): Promise<boolean> {
        const filter = { reference: literal(reference) };
        const result = relay
            ? await this.collection.updateOne(
                { reference: literal(reference), status: { $in: ['claimed', 'in-contact'] }, ...NO_RELAY },
                { $set: { relay: { id: literal(relay.id), name: literal(relay.name) } }, $push: pushAudit(audit) })
            : await this.collection.updateOne(
                { reference: literal(reference), ...HAS_RELAY },
                { $unset: { relay: '' }, $push: pushAudit(audit) });
        if (result.matchedCount !== 1) return false;
        await this.trimAudit(filter);
        return true;
    }

    async raiseToUrgent(reference: string, dueBy: string, audit: AuditEntry): Promise<boolean> {
        const push = pushAudit(audit);
        const at = literal(dueBy);
        return this.serial(reference, async () => {
            // The precondition is the filter, so of two raises at once only one matches. The due time only moves
            // earlier ($min of ISO times): an overdue request stays overdue.
            const result = await this.collection.updateOne(
                { reference: literal(reference), status: { $in: ['new', 'claimed', 'in-contact'] },
                    priority: { $ne: 'urgent' } },
                { $set: { priority: 'urgent' }, $min: { dueBy: at }, $push: push });
            if (result.matchedCount !== 1) return false;
            await this.trimAudit({ reference: literal(reference) });
            return true;
        });
    }

    async openForContact(contactKey: string): Promise<OpenForContact[]> {
        const docs = await this.collection.find(
            { contactKey: literal(contactKey), status: { $in: ['new', 'claimed', 'in-contact'] } },
            { projection: { reference: 1, residentKey: 1, 'summary.needs': 1, 'contact.method': 1 },
                sort: { createdAt: 1, _id: 1 }, limit: STORE_LIMITS.openPerContact }).toArray();
        return docs.map((d) => ({ reference: d.reference, residentKey: d.residentKey,
            needs: d.summary?.needs ?? [], method: d.contact.method }));
    }

    async rescheduleDue(reference: string, from: string, to: string, audit: AuditEntry): Promise<boolean> {
        const push = pushAudit(audit);
        return this.serial(reference, async () => {
            // Still due at `from` is the filter: of two instances moving it at once, only one matches.
            const result = await this.collection.updateOne({ reference: literal(reference), dueBy: literal(from) },
                { $set: { dueBy: literal(to) }, $push: push });
            if (result.matchedCount !== 1) return false;
            await this.trimAudit({ reference: literal(reference) });
            return true;
        });
    }

    async mergeRepeat(reference: string, urgentDueBy: string | undefined, audit: AuditEntry,
    ): Promise<Escalation | undefined> {
        const push = pushAudit(audit);
        const urgent = urgentDueBy !== undefined;
        const at = literal(urgentDueBy ?? '');
        return this.serial(reference, async () => {
            // Not closed is the filter, so a repeat never reopens a closed request; the due time only moves earlier.
            const update: UpdateFilter<EscalationDoc> = { $inc: { repeats: 1 }, $push: push };
            if (urgent) Object.assign(update, { $set: { priority: 'urgent' }, $min: { dueBy: at } });
            const result = await this.collection.updateOne(
                { reference: literal(reference), status: { $in: ['new', 'claimed', 'in-contact'] } }, update);
            if (result.matchedCount !== 1) return undefined;
            await this.trimAudit({ reference: literal(reference) });
            return this.getByReference(reference);
        });
    }

    async forgetConversation(reference: string, audit: AuditEntry): Promise<boolean> {
        const push = pushAudit(audit);
        return this.serial(reference, async () => {
            const result = await this.collection.updateOne({ reference: literal(reference) },
                { $unset: { conversationReference: '', relay: '' }, $push: push });
            if (result.matchedCount !== 1) return false;
            await this.trimAudit({ reference: literal(reference) });
            return true;
        });
    }

    async residentSeen(channelId: string, conversationId: string, at: string): Promise<number> {
        // Not serialised per request: one conditional $set, and a later time always wins.
        const result = await this.collection.updateMany({
            channelId: literal(channelId), conversationId: literal(conversationId), status: { $ne: 'closed' },
            $or: [{ residentSeenAt: { $exists: false } }, { residentSeenAt: { $lt: literal(at) } }],
        } as Filter<EscalationDoc>, { $set: { residentSeenAt: literal(at) } });
        return result.modifiedCount;
    }

    async liveChanges(since: string, limit: number): Promise<LiveChange[]> {
        // Two indexed range reads rather than one $or, so each is cut to `limit` in time order on its own index.
        const [made, wrote] = await Promise.all([
            this.collection.find({ createdAt: { $gte: literal(since) } },
                { projection: { reference: 1, createdAt: 1 }, sort: { createdAt: 1 }, limit }).toArray(),
            this.collection.find({ residentMessageAt: { $gte: literal(since) } },
                { projection: { reference: 1, residentMessageAt: 1 }, sort: { residentMessageAt: 1 }, limit }).toArray(),
        ]);
        return byTime([
            ...made.map((d) => ({ kind: 'request' as const, reference: d.reference, at: d.createdAt })),
            ...wrote.map((d) => ({ kind: 'message' as const, reference: d.reference, at: d.residentMessageAt! })),
        ]).slice(0, limit);
    }

    async relayFor(channelId: string, conversationId: string): Promise<Escalation | undefined> {
        const doc = await this.collection.findOne(
            { ...HAS_RELAY, channelId: literal(channelId), conversationId: literal(conversationId) },
            { ...WITHOUT_AUDIT, sort: { createdAt: -1 } });
        return doc ? escalationOf(doc) : undefined;
    }

    async deleteUnactioned(residentKey: string): Promise<ResidentRequestsDeletion> {
        const result: ResidentRequestsDeletion = { deleted: [], kept: [] };
        const rows = await this.collection.find({ residentKey: literal(residentKey) },
            { projection: { reference: 1, status: 1 }, sort: { createdAt: 1, _id: 1 } }).toArray();
        for (const row of rows) {
            // Deleting only if it is still new: a connector claiming it meanwhile wins, and it is kept.
            const gone = row.status === 'new' && await this.serial(row.reference,
                async () => (await this.collection.deleteOne({ _id: row._id, status: 'new' })).deletedCount === 1);
            (gone ? result.deleted : result.kept).push(row.reference);
        }
        return result;
    }

    /** Removes requests closed before `closedBefore` (ISO date-time), audit trail and all. Returns how many. */
    async sweepClosed(closedBefore: string): Promise<number> {
        return (await this.collection.deleteMany({ status: 'closed', closedAt: { $lt: closedBefore } })).deletedCount;
    }

    private async find(filter: Filter<EscalationDoc>): Promise<Escalation[]> {
        const docs = await this.collection.find(filter, { ...WITHOUT_AUDIT, sort: { createdAt: 1, _id: 1 } }).toArray();
        return docs.map(escalationOf);
    }
}
