/**
 * The workspace's JSON API under /workspace/api: registers the route table (src/workspace/routes/) on restify, with
 * the checks every route shares in this one place. Every route but sign-in and the OpenAPI document needs a session;
 * every change needs the session's CSRF token in a header and a same-origin request; bodies and queries must pass
 * the route's zod schemas; lead-only routes check the role. Errors are `{ error: { code, message } }` with a plain
 * message a connector can act on; anything unexpected is logged by kind and answered 500.
 */
import type restify from 'restify';
import type { z } from 'zod';
import { forwardedValue } from '../forwarded';
import { errorKind } from '../log';
import type { WorkspaceSession } from '../storage/sessionStore';
import { CSRF_HEADER, csrfMatches, sessionToken } from './auth';
import type { NeedNames } from './needs';
import { ENGLISH, type LanguageNames } from './languages';
import { WORKSPACE_ROUTES } from './routes';
import { LiveFeed, type EventSink } from './live';
import {
    Failure, type ApiRequest, type Result, type Route, type StreamAnswer, type WorkspaceContext,
} from './routes/route';

/** Where the API lives; route paths in the table are under it. */
export const API_BASE = '/workspace/api';

/**
 * What the API needs from the rest of Signpost: what every handler may use (the context, with the need label
 * optional), plus what only the mount uses.
 */
export interface WorkspaceApiParts extends Omit<WorkspaceContext, 'needLabel' | 'needs' | 'languages'> {
    /** A need id's plain label from the taxonomy ("Feeling lonely or wanting company"); the id when unknown. */
    needLabel?: (needId: string) => string;
    /** The taxonomy's needs, for the queue's Need filter by label or word (none: by id only). */
    needs?: readonly NeedNames[];
    /** The other languages (knowledge/languages), named in requests and the Language filter (none: codes only). */
    languages?: readonly LanguageNames[];
    /** Where the page is served from, for the same-origin check of changes (none: the request's own origin). */
    origin?: WorkspaceOrigin;
    /** The client's address as the HTTP layer trusts it (proxies), for counting failed sign-ins per address. */
    addressOf?: (req: restify.Request) => string;
    /** The live feed (src/workspace/live.ts); one is made from the store when none is given. */
    live?: LiveFeed;
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

/** The handlers' dependencies, built once from what the rest of Signpost gives the API. */
export function workspaceContext(parts: WorkspaceApiParts): WorkspaceContext {
    const {
        auth, escalations, users, lifecycle, log, now, relay, analytics, notifier, directory, teamsLinking, serviceName,
        curation, sender,
    } = parts;
    return {
        auth, escalations, users, lifecycle, log, now, relay, analytics, notifier, directory, teamsLinking, serviceName,
        curation, sender,
        needLabel: parts.needLabel ?? ((id: string) => id),
        needs: parts.needs ?? [],
        live: parts.live ?? new LiveFeed({ escalations, log, now, sessionLive: (id) => auth.sessionLive(id) }),
        languages: [ENGLISH, ...(parts.languages ?? []).filter((l) => l.code !== ENGLISH.code)],
    };
}

/** Adds the API's routes (the table in src/workspace/routes/, unless tests give another). */
export function mountWorkspaceApi(server: restify.Server, parts: WorkspaceApiParts,
    routes: readonly Route[] = WORKSPACE_ROUTES): void {
    const ctx = workspaceContext(parts);
    const send = (req: restify.Request, res: restify.Response, result: Result) => {
        if ('stream' in result) return stream(req, res, result);
        for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
        apiHeaders(res);
        if (result instanceof Failure) {
            res.send(result.status, { error: { code: result.code, message: result.message, ...result.extra } });
        } else {
            res.send(result.status, result.body);
        }
    };
    for (const route of routes) {
        server[route.method](`${API_BASE}${route.path}`, async (req: restify.Request, res: restify.Response) => {
            try {
                send(req, res, await answer(route, req, ctx, parts));
            } catch (err) {
                ctx.log.error('workspace.api_failed', { error: errorKind(err) });
                if (res.headersSent) return void res.end();
                send(req, res, new Failure(500, 'ServerError', 'Something went wrong. Please try again.'));
            }
        });
    }
}

/**
 * A stream of server-sent events: the headers (never cached, never buffered by a proxy), then the handler's events
 * as they come, until either side ends it.
 */
function stream(req: restify.Request, res: restify.Response, answer: StreamAnswer): void {
    apiHeaders(res);
    res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        // nginx and some other proxies buffer a response unless told not to.
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
    });
    res.flushHeaders();
    // A connection that stays open: no socket timeout ends it (the heartbeat keeps proxies from doing so).
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    // A write to a page that has gone does not throw: it is said here, so the feed drops the stream at once.
    const send = (text: string): void => {
        if (res.destroyed || res.writableEnded || req.socket.destroyed) throw new Error('The page has gone');
        res.write(text);
    };
    const sink: EventSink = {
        event: (name, data, id) => send(
            `${id ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`),
        comment: (text) => send(`: ${text}\n\n`),
        retry: (ms) => send(`retry: ${ms}\n\n`),
        end: () => void res.end(),
    };
    // It may have left while its session was being read (its 'close' fired before anyone listened): then no stream
    // is opened, rather than one kept until the session expires, counted against the session's tabs.
    if (res.destroyed || req.socket.destroyed) return;
    const gone = answer.stream(sink);
    res.once('close', gone);
    req.socket.once('close', gone);
}

/** One call: the shared checks in order (session, origin and CSRF, role, body and query), then the handler. */
async function answer(route: Route, req: restify.Request, ctx: WorkspaceContext, parts: WorkspaceApiParts)
    : Promise<Result> {
    const change = route.method !== 'get';
    const request = (): ApiRequest | Failure => {
        const body = route.body ? parse(route.body, req.body) : undefined;
        if (body instanceof Failure) return body;
        const query = route.query
            ? parse(route.query, Object.fromEntries(new URL(req.url ?? '', 'http://x').searchParams))
            : undefined;
        if (query instanceof Failure) return query;
        const lastEventId = req.header('last-event-id');
        return {
            params: (req.params ?? {}) as Record<string, string | undefined>, body: body?.value, query: query?.value,
            ...(parts.addressOf ? { address: parts.addressOf(req) } : {}),
            ...(lastEventId ? { lastEventId } : {}),
        };
    };
    if (route.roles === 'public') {
        const refused = change ? checkOrigin(req, parts.origin) : undefined;
        if (refused) return refused;
        const parsed = request();
        return parsed instanceof Failure ? parsed : route.handler(ctx, parsed);
    }
    const found = await ctx.auth.authenticate(sessionToken(req.header('cookie')));
    if (!found) return new Failure(401, 'SignInNeeded', 'Please sign in.');
    const refused = change ? checkChange(req, found.session, parts.origin) : undefined;
    if (refused) return refused;
    if (!route.roles.includes(found.user.role)) return new Failure(403, 'NotAllowed', 'Only a lead can do this.');
    const parsed = request();
    if (parsed instanceof Failure) return parsed;
    const { user } = found;
    const caller = { ...found, actor: { id: user.id, name: user.name, lead: user.role === 'lead' } };
    return route.handler(ctx, { ...parsed, caller });
}

/** Changes must come from the workspace page: same origin when the browser says, and the session's CSRF token. */
function checkChange(req: restify.Request, session: WorkspaceSession, origin?: WorkspaceOrigin): Failure | undefined {
    const refused = checkOrigin(req, origin);
    if (refused) return refused;
    if (!csrfMatches(session, req.header(CSRF_HEADER) || undefined)) {
        return new Failure(403, 'CsrfTokenMissing', 'This change was refused. Please reload the page and try again.');
    }
    return undefined;
}

/**
 * A browser's request must come from the workspace's own origin, scheme and host: SIGNPOST_PUBLIC_URL's, or the one
 * the request came to. X-Forwarded-Host and -Proto say that only behind a trusted proxy (SIGNPOST_TRUST_PROXY): else
 * anyone may write them. (No Origin header: not a browser, or a same-origin GET; the CSRF token still holds.)
 */
function checkOrigin(req: restify.Request, settings: WorkspaceOrigin = { trustProxy: 0 }): Failure | undefined {
    const origin = req.header('origin');
    if (!origin) return undefined;
    const allowed = new Set<string>();
    if (settings.publicUrl) allowed.add(new URL(settings.publicUrl).origin);
    const scheme = forwardedValue(req, 'x-forwarded-proto', settings.trustProxy) ?? (req.isSecure() ? 'https' : 'http');
    const host = forwardedValue(req, 'x-forwarded-host', settings.trustProxy) ?? req.header('host');
    try {
        if (host) allowed.add(new URL(`${scheme}://${host}`).origin);
        if (allowed.has(new URL(origin).origin)) return undefined;
    } catch {
        // A made-up Origin or Host: refused below.
    }
    return new Failure(403, 'WrongOrigin', 'This change was refused because it came from another site.');
}

/** A body or query checked by its schema: the value, or a 400 naming each field that is wrong. */
function parse<T extends z.ZodType>(schema: T, value: unknown): { value: z.output<T> } | Failure {
    const parsed = schema.safeParse(value ?? {});
    if (parsed.success) return { value: parsed.data };
    const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    return new Failure(400, 'Invalid', `Please check: ${problems.map((p) => p.field).join(', ')}.`, { problems });
}
