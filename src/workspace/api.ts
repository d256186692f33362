/**
 * The workspace's JSON API under /workspace/api. Every route but sign-in and the OpenAPI document needs a session;
 * every change needs the session's CSRF token in a header and a JSON body that passes its zod schema; lead-only
 * routes check the role. Errors are `{ error: { code, message } }` with a plain message a connector can act on.
 */
import type restify from 'restify';
import type { z } from 'zod';
import { forwardedValue } from '../forwarded';
import { readRepeatDetail } from '../handoff/escalation';
import type { Escalation } from '../storage/escalationRecord';
import type { EscalationNotifier } from '../handoff/notifier';
import type { ConnectorRelay } from '../handoff/relay';
import {
    comparePlaces, isOverdue, queueOrder, queuePlace, type Actor, type Lifecycle, type QueuePlace, type StepResult,
} from '../handoff/lifecycle';
import { errorKind, type Logger } from '../log';
import type { AnalyticsStore } from '../storage/analyticsStore';
import type { ChatPage, EscalationStore } from '../storage/escalationStore';
import type { UserStore, WorkspaceRole, WorkspaceUser } from '../storage/userStore';
import type { WorkspaceSession } from '../storage/sessionStore';
import { STORE_LIMITS } from '../storage/limits';
import { CSRF_HEADER, csrfMatches, sessionToken, type Auth } from './auth';
import { openApiDocument } from './openapi';
import { buildReport } from './reports';
import {
    assignBody, chatQuery, closeBody, emptyBody, messageBody, noteBody, queueQuery, reportQuery, signInBody,
} from './schemas';

export const API_BASE = '/workspace/api';


/** What the API needs from the rest of Signpost. */
export interface WorkspaceApiParts {
    auth: Auth;
    escalations: EscalationStore;
    users: UserStore;
    lifecycle: Lifecycle;
    log: Logger;
    now: () => Date;
    /** The live conversation with residents; without it the reply routes answer that it is not available. */
    relay?: ConnectorRelay;
    /** Anonymous counts of needs the bot found nothing for, for the lead report. */
    analytics: Pick<AnalyticsStore, 'unmetSince'>;
    /** Keeps what connectors saw elsewhere (the Teams card) up to date as a request moves on. */
    notifier?: EscalationNotifier;
    /** A need id's plain label from the taxonomy ("Feeling lonely or wanting company"); the id when unknown. */
    needLabel?: (needId: string) => string;
    /** Where the page is served from, for the same-origin check of changes (none: the request's own origin). */
    origin?: WorkspaceOrigin;
    /** The client's address as the HTTP layer trusts it (proxies), for counting failed sign-ins per address. */
    addressOf?: (req: restify.Request) => string;
}

/** SIGNPOST_PUBLIC_URL and SIGNPOST_TRUST_PROXY (how many proxies in front set X-Forwarded-Host and -Proto). */
export interface WorkspaceOrigin {
    publicUrl?: string;
    trustProxy: number;
}

/** The headers every workspace API answer carries: never cached, never sniffed, never framed. */
export function apiHeaders(res: restify.Response): void {
    // setHeader, not header: restify's header() adds a second value to what src/server/security.ts already set.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    res.setHeader('Referrer-Policy', 'no-referrer');
}

class ApiError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly extra: object = {}) {
        super(message);
        this.name = 'ApiError';
    }
}

interface Caller {
    user: WorkspaceUser;
    session: WorkspaceSession;
    actor: Actor;
}

type Handler = (req: restify.Request, res: restify.Response, caller: Caller) => Promise<[number, unknown]>;

/** Adds the API routes. */
export function mountWorkspaceApi(server: restify.Server, parts: WorkspaceApiParts): void {
    const { auth, escalations, users, lifecycle, log, now } = parts;
    const label = parts.needLabel ?? ((id: string) => id);
    /** Plain labels for the needs of these requests, so the page never shows bare ids. */
    const needLabels = (list: readonly Escalation[]) =>
        Object.fromEntries([...new Set(list.flatMap((e) => e.summary.needs))].map((id) => [id, label(id)]));

    const send = (res: restify.Response, status: number, body: unknown) => {
        apiHeaders(res);
        res.send(status, body);
    };
    const fail = (res: restify.Response, err: unknown) => {
        if (err instanceof ApiError) {
            send(res, err.status, { error: { code: err.code, message: err.message, ...err.extra } });
        } else {
            log.error('workspace.api_failed', { error: errorKind(err) });
            send(res, 500, { error: { code: 'ServerError', message: 'Something went wrong. Please try again.' } });
        }
    };

    /** A route that needs a session (and, for changes, the CSRF token and a same-origin request). */
    const route = (method: 'get' | 'post' | 'del', path: string, roles: readonly WorkspaceRole[], handler: Handler) => {
        server[method](`${API_BASE}${path}`, async (req: restify.Request, res: restify.Response) => {
            try {
                const found = await auth.authenticate(sessionToken(req.header('cookie')));
                if (!found) throw new ApiError(401, 'SignInNeeded', 'Please sign in.');
                if (method !== 'get') checkChange(req, found.session, parts.origin);
                if (!roles.includes(found.user.role)) {
                    throw new ApiError(403, 'NotAllowed', 'Only a lead can do this.');
                }
                const { user } = found;
                const caller = { ...found, actor: { id: user.id, name: user.name, lead: user.role === 'lead' } };
                const [status, body] = await handler(req, res, caller);
                send(res, status, body);
            } catch (err) {
                fail(res, err);
            }
        });
    };
    const anyone = ['connector', 'lead'] as const;
    const leads = ['lead'] as const;

    server.get(`${API_BASE}/openapi.json`, async (_req, res) => send(res, 200, openApiDocument()));

    server.post(`${API_BASE}/session`, async (req, res) => {
        try {
            checkOrigin(req, parts.origin);
            const body = parse(signInBody, req.body);
            const result = await auth.signIn(body.email, body.password, parts.addressOf?.(req));
            if (!result.ok && result.reason === 'locked') {
                log.warn('workspace.signin_locked');
                throw new ApiError(423, 'Locked',
                    `Too many failed sign-ins. Try again after ${timeOf(result.until)}, or ask a lead to help.`,
                    { until: result.until });
            }
            if (!result.ok && result.reason === 'throttled') {
                log.warn('workspace.signin_throttled');
                res.setHeader('Retry-After', String(Math.max(1, Math.ceil((Date.parse(result.until)
                    - now().getTime()) / 1000))));
                throw new ApiError(429, 'TooManyAttempts', 'Too many failed sign-ins from this network. '
                    + `Try again after ${timeOf(result.until)}, or ask a lead to help.`, { until: result.until });
            }
            if (!result.ok) {
                log.warn('workspace.signin_failed');
                throw new ApiError(401, 'BadCredentials', 'That email and password do not match an account.');
            }
            log.info('workspace.signed_in', { user: result.user.id });
            res.header('Set-Cookie', auth.cookie(result.token));
            send(res, 200, { user: publicUser(result.user), csrfToken: result.session.csrfToken });
        } catch (err) {
            fail(res, err);
        }
    });

    route('get', '/session', anyone, async (_req, _res, { user, session }) =>
        [200, { user: publicUser(user), csrfToken: session.csrfToken }]);

    route('del', '/session', anyone, async (_req, res, { user, session }) => {
        await auth.signOut(session);
        res.header('Set-Cookie', auth.clearCookie());
        log.info('workspace.signed_out', { user: user.id });
        return [200, { signedOut: true }];
    });

    route('get', '/escalations', anyone, async (req, _res, { user }) => {
        const query = parse(queueQuery, Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams));
        const after = query.cursor === undefined ? undefined : placeOf(query.cursor);
        const at = now();
        const all = await escalations.list(query.status ? { status: query.status } : {});
        const items = all.filter((e) =>
            (!query.priority || e.priority === query.priority)
            && (!query.need || e.summary.needs.includes(query.need))
            && (!query.overdue || isOverdue(e, at) === (query.overdue === 'true'))
            && (!query.mine || (e.assignee?.id === user.id) === (query.mine === 'true')))
            .sort(queueOrder(at));
        // A page starts after the place the cursor names, so a request added or moved meanwhile shifts nothing
        // else. (One that became overdue meanwhile moves up, to a page already seen: reloading shows it.)
        const rest = after ? items.filter((e) => comparePlaces(queuePlace(e, at), after) > 0) : items;
        const page = rest.slice(0, query.limit);
        const last = page.at(-1);
        return [200, {
            escalations: page.map((e) => view(e, at)), needLabels: needLabels(page), total: items.length,
            ...(rest.length > page.length && last ? { nextCursor: cursorOf(queuePlace(last, at)) } : {}),
        }];
    });

    route('get', '/escalations/:reference', anyone, async (req) => {
        const e = await found(req);
        const names = new Map((await users.list()).map((u) => [u.id, u.name]));
        const trail = await escalations.auditTrail(e.reference);
        const chat = await escalations.chat(e.reference);
        // What each repeat added, read back from its audit line, so the page can show the needs by their labels.
        const audit = trail.map((a) => ({ ...a, actorName: names.get(a.actor) ?? a.actor,
            ...(a.action === 'repeated' ? { repeat: readRepeatDetail(a.detail) } : {}) }));
        const repeatNeeds = audit.flatMap((a) => a.repeat?.needs ?? []);
        return [200, {
            escalation: view(e, now()),
            needLabels: { ...needLabels([e]), ...Object.fromEntries(repeatNeeds.map((id) => [id, label(id)])) },
            audit,
            ...chatView(chat, names),
        }];
    });

    // The page's refresh while a chat is live: the messages after the last it has, and whether it is still live,
    // never the whole request again.
    route('get', '/escalations/:reference/messages', anyone, async (req) => {
        const query = parse(chatQuery, Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams));
        const e = await found(req);
        const chat = await escalations.chat(e.reference, query.after);
        const names = new Map((await users.list()).map((u) => [u.id, u.name]));
        const live = { status: e.status, relay: e.relay ?? null, canReply: view(e, now()).canReply };
        return [200, { ...chatView(chat, names), live }];
    });

    const step = (path: string, roles: readonly WorkspaceRole[],
        act: (req: restify.Request, c: Caller) => Promise<StepResult>, event: string, endsLiveChat = false) => {
        route('post', `/escalations/:reference/${path}`, roles, async (req, _res, caller) => {
            const result = await act(req, caller);
            if (!('done' in result)) throw refusal(result);
            log.info(event, { escalation: result.escalation.id, user: caller.user.id });
            await parts.notifier?.changed(result.escalation);
            // Closing, releasing or handing on a request ends its live chat, so the bot does not stay silent.
            if (endsLiveChat && result.escalation.relay && parts.relay) {
                await parts.relay.end(result.escalation, caller.actor);
                const after = await escalations.getByReference(result.escalation.reference);
                if (after) return [200, { escalation: view(after, now()) }];
            }
            return [200, { escalation: view(result.escalation, now()) }];
        });
    };
    step('claim', anyone, (req, c) => {
        parse(emptyBody, req.body ?? {});
        return lifecycle.claim(ref(req), c.actor);
    }, 'escalation.claimed');
    step('contact', anyone, (req, c) => {
        parse(emptyBody, req.body ?? {});
        return lifecycle.markInContact(ref(req), c.actor);
    }, 'escalation.in_contact');
    step('release', anyone, (req, c) => {
        parse(emptyBody, req.body ?? {});
        return lifecycle.release(ref(req), c.actor);
    }, 'escalation.released', true);
    step('close', anyone, async (req, c) => {
        const body = parse(closeBody, req.body);
        if (body.note) await lifecycle.note(ref(req), c.actor, body.note);
        return lifecycle.close(ref(req), c.actor, body.outcome);
    }, 'escalation.closed', true);
    step('assign', leads, async (req, c) => {
        const body = parse(assignBody, req.body);
        const to = await users.get(body.userId);
        if (!to) throw new ApiError(400, 'Invalid', 'There is no account with that id.');
        return lifecycle.reassign(ref(req), c.actor, { id: to.id, name: to.name });
    }, 'escalation.reassigned', true);

    route('post', '/escalations/:reference/notes', anyone, async (req, _res, { actor, user }) => {
        const body = parse(noteBody, req.body);
        if (!(await lifecycle.note(ref(req), actor, body.text))) throw notFound();
        log.info('escalation.note_added', { user: user.id });
        return [201, { added: true }];
    });

    route('post', '/escalations/:reference/messages', anyone, async (req, _res, { actor }) => {
        const body = parse(messageBody, req.body);
        const e = await liveChatOf(req, actor);
        const sent = await parts.relay!.send(e, { id: actor.id, name: actor.name }, body.text);
        if (sent === 'unreachable') throw unreachable();
        if (sent === 'not-live') throw new ApiError(409, 'NotLive', 'This request changed just now. Please reload it.');
        const after = (await escalations.getByReference(e.reference)) ?? e;
        return [201, { sent: true, escalation: view(after, now()) }];
    });

    route('post', '/escalations/:reference/end-chat', anyone, async (req, _res, { actor }) => {
        parse(emptyBody, req.body ?? {});
        const e = await liveChatOf(req, actor);
        const ended = await parts.relay!.end(e, { id: actor.id, name: actor.name });
        if (ended === 'not-live') throw new ApiError(409, 'NotLive', 'There is no live chat on this request.');
        const after = (await escalations.getByReference(e.reference)) ?? e;
        // Ended either way; `told` says whether the resident's chat heard it.
        return [200, { ended: true, told: ended === 'sent', escalation: view(after, now()) }];
    });

    route('get', '/reports', leads, async (req) => {
        const query = parse(reportQuery, Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams));
        const report = await buildReport({ escalations, analytics: parts.analytics, needLabel: label },
            query.weeks, now());
        return [200, report];
    });

    /** An account as a lead sees it: with whether its e-mail is locked now, and until when. */
    const withLock = async (u: WorkspaceUser) => {
        const until = await auth.lockedUntil(u.email);
        return { ...publicUser(u), locked: until !== undefined, ...(until ? { lockedUntil: until } : {}) };
    };

    route('get', '/users', leads, async () =>
        [200, { users: await Promise.all((await users.list()).map(withLock)) }]);

    route('post', '/users/:id/unlock', leads, async (req, _res, { user: lead }) => {
        parse(emptyBody, req.body ?? {});
        const id = String((req.params as Record<string, string>).id ?? '');
        const u = id.length <= 100 ? await users.get(id) : undefined;
        if (!u) throw new ApiError(404, 'NotFound', 'There is no account with that id.');
        const wasLocked = await auth.unlock(u.email);
        log.info('workspace.user_unlocked', { user: u.id, by: lead.id, hadFailures: wasLocked });
        return [200, { user: await withLock(u) }];
    });

    async function found(req: restify.Request): Promise<Escalation> {
        const e = await escalations.getByReference(ref(req));
        if (!e) throw notFound();
        return e;
    }

    /** The request, if the caller may chat live on it now: its holder or a lead, while it is open and claimed. */
    async function liveChatOf(req: restify.Request, actor: Actor): Promise<Escalation> {
        if (!parts.relay) throw new ApiError(503, 'LiveChatUnavailable', 'Live chat is not available on this server.');
        const e = await found(req);
        if (e.status !== 'claimed' && e.status !== 'in-contact') {
            throw new ApiError(409, 'WrongStatus', e.status === 'new'
                ? 'Please claim this request before you write to the resident.'
                : `This request is ${e.status}, so that cannot be done now.`, { status: e.status });
        }
        if (!actor.lead && e.assignee?.id !== actor.id) {
            throw new ApiError(403, 'NotYours', `${e.assignee?.name ?? 'Someone else'} has this request. `
                + 'Only they or a lead can do that.');
        }
        if (!e.conversationReference) throw unreachable();
        return e;
    }
}

/** A page's cursor: the place in the queue of its last request, as opaque text. */
function cursorOf(place: QueuePlace): string {
    return Buffer.from(JSON.stringify(place)).toString('base64url');
}

/** The place a cursor names; a 400 naming the field when it is not one this API made. */
function placeOf(cursor: string): QueuePlace {
    try {
        const p = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
        if (Array.isArray(p) && p.length === 3 && Number.isInteger(p[0]) && typeof p[1] === 'string'
            && typeof p[2] === 'string') return p as QueuePlace;
    } catch {
        // Not JSON: refused below.
    }
    throw new ApiError(400, 'Invalid', 'Please check: cursor.',
        { problems: [{ field: 'cursor', message: 'Not a cursor from this list. Start again from the first page.' }] });
}

function ref(req: restify.Request): string {
    return String((req.params as Record<string, string>).reference ?? '').toUpperCase();
}

function notFound(): ApiError {
    return new ApiError(404, 'NotFound', 'There is no request with that reference.');
}

function unreachable(): ApiError {
    return new ApiError(409, 'Unreachable',
        'The resident cannot be reached in their chat now. Please use the contact details they gave.');
}

function refusal(r: Exclude<StepResult, { done: true }>): ApiError {
    switch (r.refused) {
        case 'not-found':
            return notFound();
        case 'already-claimed':
            return new ApiError(409, 'AlreadyClaimed', `${r.holder.name} already has this request.`,
                { holder: { id: r.holder.id, name: r.holder.name } });
        case 'not-yours':
            return new ApiError(403, 'NotYours', r.holder
                ? `${r.holder.name} has this request. Only they or a lead can do that.`
                : 'Only a lead can do that.');
        case 'wrong-status':
            return new ApiError(409, 'WrongStatus', `This request is ${r.status}, so that cannot be done now.`,
                { status: r.status });
    }
}

/** Changes must come from the workspace page: same origin when the browser says, and the session's CSRF token. */
function checkChange(req: restify.Request, session: WorkspaceSession, origin?: WorkspaceOrigin): void {
    checkOrigin(req, origin);
    if (!csrfMatches(session, req.header(CSRF_HEADER) || undefined)) {
        throw new ApiError(403, 'CsrfTokenMissing', 'This change was refused. Please reload the page and try again.');
    }
}

/**
 * A browser's request must come from the workspace's own origin, scheme and host: SIGNPOST_PUBLIC_URL's, or the one
 * the request came to. X-Forwarded-Host and -Proto say that only behind a trusted proxy (SIGNPOST_TRUST_PROXY): else
 * anyone may write them. (No Origin header: not a browser, or a same-origin GET; the CSRF token still holds.)
 */
function checkOrigin(req: restify.Request, settings: WorkspaceOrigin = { trustProxy: 0 }): void {
    const origin = req.header('origin');
    if (!origin) return;
    const allowed = new Set<string>();
    if (settings.publicUrl) allowed.add(new URL(settings.publicUrl).origin);
    const scheme = forwardedValue(req, 'x-forwarded-proto', settings.trustProxy) ?? (req.isSecure() ? 'https' : 'http');
    const host = forwardedValue(req, 'x-forwarded-host', settings.trustProxy) ?? req.header('host');
    try {
        if (host) allowed.add(new URL(`${scheme}://${host}`).origin);
        if (allowed.has(new URL(origin).origin)) return;
    } catch {
        // A made-up Origin or Host: refused below.
    }
    throw new ApiError(403, 'WrongOrigin', 'This change was refused because it came from another site.');
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
    const parsed = schema.safeParse(value ?? {});
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new ApiError(400, 'Invalid', `Please check: ${problems.map((p) => p.field).join(', ')}.`, { problems });
}

function publicUser(u: WorkspaceUser) {
    return { id: u.id, name: u.name, email: u.email, role: u.role };
}

/** What a connector sees of a request: everything but the internal resident key and conversation address. */
/**
 * The live conversation, both ways, oldest first, numbered (the page asks for what follows its last), with the
 * moments the bot showed crisis routes (`text` then holds the crisis kind ids), so the connector sees them where
 * they are reading; and how many messages there were, how many of the oldest are no longer kept, and how many are.
 */
function chatView(chat: ChatPage | undefined, names: ReadonlyMap<string, string>) {
    return {
        messages: (chat?.lines ?? []).map((l) => ({
            n: l.n,
            at: l.at,
            from: l.action === 'resident-message' ? 'resident'
                : l.action === 'crisis-routes-shown' ? 'signpost' : 'connector',
            name: l.action === 'message-sent' ? names.get(l.actor) ?? l.actor : undefined,
            text: l.detail ?? '',
        })),
        chat: { total: chat?.total ?? 0, dropped: chat?.dropped ?? 0, keeps: STORE_LIMITS.liveChatLines },
    };
}

function view(e: Escalation, now: Date) {
    const { residentKey: _key, conversationReference, noticeId: _notice, contactKey: _contact, ...rest } = e;
    return { ...rest, overdue: isOverdue(e, now), canReply: conversationReference !== undefined };
}

function timeOf(iso: string): string {
    return new Date(iso).toISOString().slice(11, 16) + ' UTC';
}
