/** The queue of requests for contact, one request with its trail, and the lifecycle steps connectors take on it. */
import type { z } from 'zod';
import { readRepeatDetail } from '../../handoff/escalation';
import { queuePlace, type QueuePlace, type StepResult } from '../../handoff/lifecycle';
import { ESCALATION_STATUSES } from '../../storage/escalationRecord';
import type { QueuePage } from '../../storage/escalationStore';
import { needsNamed } from '../needs';
import { languageNamed } from '../languages';
import { OPEN_STATUSES, assignBody, closeBody, emptyBody, noteBody, queueQuery } from '../schemas';
import { chatView, found, needLabels, notFound, referenceOf, refusal, userNames, view } from './common';
import {
    ANYONE, Failure, LEADS, ok, signedIn, type Result, type Route, type SignedInRequest, type WorkspaceContext,
} from './route';

/** The queue's filters and page as the query gives them, with when "overdue" is judged and who "mine" means. */
export interface QueueFilters extends Pick<z.output<typeof queueQuery>, 'status' | 'priority' | 'need' | 'overdue'
    | 'mine' | 'limit'>, Partial<Pick<z.output<typeof queueQuery>, 'view' | 'language'>> {
    at: Date;
    userId: string;
    /** The page starts after this place in the queue. */
    after?: QueuePlace;
}

/**
 * One page of requests that pass the queue's filters, in queue order, with how many pass in all. The one place the
 * queue reads the store: the filters, the order and the page are the store's query (EscalationStore.queuePage),
 * never every request loaded. The need is found from the words a connector gives (src/workspace/needs.ts), the
 * language from its code or name (src/workspace/languages.ts).
 */
export async function listQueue(ctx: WorkspaceContext, filters: QueueFilters): Promise<QueuePage> {
    const { status, view, mine, userId } = filters;
    return ctx.escalations.queuePage({
        statuses: status === 'open' ? OPEN_STATUSES : status === 'all' ? ESCALATION_STATUSES : [status],
        ...(filters.priority ? { priority: filters.priority } : {}),
        ...(filters.need ? { needs: needsNamed(ctx.needs, filters.need) } : {}),
        ...(filters.language ? { languages: [languageNamed(ctx.languages, filters.language)] } : {}),
        ...(filters.overdue ? { overdue: filters.overdue === 'true' } : {}),
        ...(mine === 'true' || view === 'mine' ? { heldBy: userId } : {}),
        ...(mine === 'false' ? { notHeldBy: userId } : {}),
        ...(view === 'unclaimed' ? { unclaimed: true } : {}),
        at: filters.at.toISOString(),
        ...(filters.after ? { after: filters.after } : {}),
        limit: filters.limit,
    });
}

/** A page's cursor: the place in the queue of its last request, as opaque text. */
function cursorOf(place: QueuePlace): string {
    return Buffer.from(JSON.stringify(place)).toString('base64url');
}

/** The place a cursor names; a 400 naming the field when it is not one this API made. */
function placeOf(cursor: string): QueuePlace | Failure {
    try {
        const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
        if (Array.isArray(p) && p.length === 3 && Number.isInteger(p[0]) && typeof p[1] === 'string'
            && typeof p[2] === 'string') return p as QueuePlace;
    } catch {
        // Not JSON: refused below.
    }
    return new Failure(400, 'Invalid', 'Please check: cursor.',
        { problems: [{ field: 'cursor', message: 'Not a cursor from this list. Start again from the first page.' }] });
}

/**
 * A lifecycle step on the request the path names: logged, told to the notifier, and answered with the request as
 * it is after. Closing, releasing or handing on a request ends its live chat, so the bot does not stay silent.
 */
async function afterStep(ctx: WorkspaceContext, req: SignedInRequest, result: StepResult | Failure, event: string,
    endsLiveChat: boolean): Promise<Result> {
    if (result instanceof Failure) return result;
    if (!('done' in result)) return refusal(result);
    ctx.log.info(event, { escalation: result.escalation.id, user: req.caller.user.id });
    await ctx.notifier?.changed(result.escalation);
    if (endsLiveChat && result.escalation.relay && ctx.relay) {
        await ctx.relay.end(result.escalation, req.caller.actor);
        const after = await ctx.escalations.getByReference(result.escalation.reference);
        if (after) return ok({ escalation: view(after, ctx.now(), ctx) });
    }
    return ok({ escalation: view(result.escalation, ctx.now(), ctx) });
}

/** The request routes: the queue, one request, the steps, notes. */
export const escalationRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/escalations', roles: ANYONE, query: queueQuery,
        doc: {
            summary: 'The queue (open requests unless `status` says): urgent first, then overdue, then by due time; '
                + 'in pages (`limit`, and '
                + '`cursor` from the answer\'s `nextCursor`, absent on the last page; `total` counts all)',
            ok: 'The matching requests',
        },
        handler: async (ctx, { query, caller }) => {
            const after = query.cursor === undefined ? undefined : placeOf(query.cursor);
            if (after instanceof Failure) return after;
            const at = ctx.now();
            // A page starts after the place the cursor names, so a request added or moved meanwhile shifts nothing
            // else. (One that became overdue meanwhile moves up, to a page already seen: reloading shows it.)
            // One more than the page is asked for, to know whether there is a next page.
            const { escalations, total } = await listQueue(ctx, { ...query, at, userId: caller.user.id,
                limit: query.limit + 1, ...(after ? { after } : {}) });
            const page = escalations.slice(0, query.limit);
            const last = page.at(-1);
            return ok({
                escalations: page.map((e) => view(e, at, ctx)), needLabels: needLabels(ctx, page), total,
                // Every need by the label connectors see, for the Need filter to offer (on the first page only).
                ...(after ? {} : { needChoices: ctx.needs.map((n) => ({ id: n.id, label: n.askLabel })) }),
                // Every language by name, for the Language filter to offer (on the first page only).
                ...(after ? {} : { languageChoices: ctx.languages.map((l) => ({ code: l.code, name: l.name })) }),
                ...(escalations.length > page.length && last ? { nextCursor: cursorOf(queuePlace(last, at)) } : {}),
            });
        },
    }),
    signedIn({
        method: 'get', path: '/escalations/:reference', roles: ANYONE,
        doc: {
            summary: 'One request with its audit trail and its live chat (the newest messages kept)',
            ok: 'The request', more: { 404: 'No such reference' },
        },
        handler: async (ctx, req) => {
            const e = await found(ctx, req);
            if (e instanceof Failure) return e;
            const names = await userNames(ctx);
            const trail = await ctx.escalations.auditTrail(e.reference);
            const chat = await ctx.escalations.chat(e.reference);
            // What each repeat added, read back from its audit line, so the page can show the needs by their labels.
            const audit = trail.map((a) => ({ ...a, actorName: names.get(a.actor) ?? a.actor,
                ...(a.action === 'repeated' ? { repeat: readRepeatDetail(a.detail) } : {}) }));
            const repeatNeeds = audit.flatMap((a) => a.repeat?.needs ?? []);
            return ok({
                escalation: view(e, ctx.now(), ctx),
                needLabels: { ...needLabels(ctx, [e]),
                    ...Object.fromEntries(repeatNeeds.map((id) => [id, ctx.needLabel(id)])) },
                audit,
                ...chatView(chat, names),
            });
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/claim', roles: ANYONE, body: emptyBody,
        doc: {
            summary: 'Claim a new request (exactly one of simultaneous claims wins)',
            ok: 'Claimed', more: { 409: 'Someone else has it (holder named)' },
        },
        handler: async (ctx, req) => afterStep(ctx, req,
            await ctx.lifecycle.claim(referenceOf(req), req.caller.actor), 'escalation.claimed', false),
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/contact', roles: ANYONE, body: emptyBody,
        doc: {
            summary: 'Mark as in contact with the resident',
            ok: 'In contact', more: { 409: 'Not in a status that allows it' },
        },
        handler: async (ctx, req) => afterStep(ctx, req,
            await ctx.lifecycle.markInContact(referenceOf(req), req.caller.actor), 'escalation.in_contact', false),
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/release', roles: ANYONE, body: emptyBody,
        doc: { summary: 'Give it back to the queue', ok: 'Released' },
        handler: async (ctx, req) => afterStep(ctx, req,
            await ctx.lifecycle.release(referenceOf(req), req.caller.actor), 'escalation.released', true),
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/close', roles: ANYONE, body: closeBody,
        doc: {
            summary: 'Close with an outcome (ends any live chat)',
            ok: 'Closed', more: { 409: 'Already closed or not claimed' },
        },
        handler: async (ctx, req) => {
            const { body, caller: { actor } } = req;
            if (body.note) await ctx.lifecycle.note(referenceOf(req), actor, body.note);
            return afterStep(ctx, req, await ctx.lifecycle.close(referenceOf(req), actor, body.outcome),
                'escalation.closed', true);
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/notes', roles: ANYONE, body: noteBody,
        doc: { summary: 'Add a note to the audit trail', ok: 'Added', created: true },
        handler: async (ctx, req) => {
            const { body, caller: { actor, user } } = req;
            if (!(await ctx.lifecycle.note(referenceOf(req), actor, body.text))) return notFound();
            ctx.log.info('escalation.note_added', { user: user.id });
            return ok({ added: true }, 201);
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/assign', roles: LEADS, body: assignBody,
        doc: { summary: 'Give the request to someone (leads only)', ok: 'Reassigned' },
        handler: async (ctx, req) => {
            const to = await ctx.users.get(req.body.userId);
            // Only those who work residents' requests may hold one: a curator sees the directory, not the queue.
            const result = !to ? new Failure(400, 'Invalid', 'There is no account with that id.')
                : !ANYONE.includes(to.role) ? new Failure(400, 'Invalid',
                    'That account is a curator\'s: a request can be given only to a connector or a lead.')
                    : await ctx.lifecycle.reassign(referenceOf(req), req.caller.actor, { id: to.id, name: to.name });
            return afterStep(ctx, req, result, 'escalation.reassigned', true);
        },
    }),
];
