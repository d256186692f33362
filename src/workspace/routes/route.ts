/**
 * What a workspace API route is: a method, a path, who may call it, the schemas of its body and query, what the
 * OpenAPI document says of it, and a handler. Handlers are plain functions of a context (built once) and the parsed
 * request; they return an answer or an expected failure as a value, and know nothing of the HTTP server, so moving
 * the API to another server later touches only the mount (src/workspace/api.ts).
 */
import type { z } from 'zod';
import type { Auth } from '../auth';
import type { Actor, Lifecycle } from '../../handoff/lifecycle';
import type { EscalationNotifier } from '../../handoff/notifier';
import type { ConnectorRelay } from '../../handoff/relay';
import type { Logger } from '../../log';
import type { Sender } from '../../sending/port';
import type { DirectorySearch } from '../directory';
import type { CurationParts } from '../curation';
import type { EventSink, LiveFeed } from '../live';
import type { TeamsLinking } from '../../handoff/teamsLink';
import type { AnalyticsStore } from '../../storage/analyticsStore';
import type { EscalationStore } from '../../storage/escalationStore';
import type { NeedNames } from '../needs';
import type { LanguageNames } from '../languages';
import type { WorkspaceSession } from '../../storage/sessionStore';
import type { UserStore, WorkspaceRole, WorkspaceUser } from '../../storage/userStore';

/** What every handler may use, built once when the API is mounted: the stores, the clock, the relay, the log. */
export interface WorkspaceContext {
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
    /** A need id's plain label from the taxonomy; the id itself when unknown. */
    needLabel: (needId: string) => string;
    /** The taxonomy's needs, so the queue's Need filter finds them by label or word (none: by id only). */
    needs: readonly NeedNames[];
    /** New requests and residents' messages sent to open pages as they happen (src/workspace/live.ts). */
    live?: LiveFeed;
    /** The directory, searched with the bot's engine (src/workspace/directory.ts); without it those routes are 503. */
    directory?: DirectorySearch;
    /** The languages requests may be in, English first, for showing them by name and the Language filter. */
    languages: readonly LanguageNames[];
    /** Linking accounts to Teams users, for Claim in Teams (src/handoff/teamsLink.ts); without it those routes are 503. */
    teamsLinking?: TeamsLinking;
    /** The service's name (SIGNPOST_SERVICE_NAME), as the message back to a GP names the service; "Signpost" if none. */
    serviceName?: string;
    /** The curation queue's directory, store and review (src/workspace/curation.ts); without it its routes are 503. */
    curation?: CurationParts;
    /** Texts and e-mails (src/sending/), for suggestions sent to the resident's own number or address; none: 503. */
    sender?: Sender;
}

/** The signed-in person making a call, so handlers never look at cookies. */
export interface Caller {
    user: WorkspaceUser;
    session: WorkspaceSession;
    actor: Actor;
}

/** A request as handlers see it: the path's parameters, and the body and query already checked by their schemas. */
export interface ApiRequest<B = unknown, Q = unknown> {
    params: Readonly<Record<string, string | undefined>>;
    body: B;
    query: Q;
    /** The client's address as the HTTP layer trusts it (proxies), for counting failed sign-ins per address. */
    address?: string;
    /** The Last-Event-ID header a reconnecting event stream sends: where the live feed resumes. */
    lastEventId?: string;
}

/** A request on a route that needs a session: who is calling. */
export interface SignedInRequest<B = unknown, Q = unknown> extends ApiRequest<B, Q> {
    caller: Caller;
}

/** A successful answer: its status, its JSON body, and any headers it sets (a cookie). */
export interface Answer {
    status: number;
    body: unknown;
    headers?: Readonly<Record<string, string>>;
}

/**
 * An expected refusal (not signed in, not found, wrong status...), returned rather than thrown so a handler's every
 * outcome is in its signature. It becomes `{ error: { code, message, ...extra } }` with the status.
 */
export class Failure {
    constructor(
        readonly status: number,
        readonly code: string,
        readonly message: string,
        readonly extra: object = {},
        readonly headers: Readonly<Record<string, string>> = {},
    ) {}
}

/**
 * An answer that is a stream of server-sent events rather than one JSON body (the live feed): the mount writes the
 * headers, then calls `start` with a sink to write events to; `start` returns what to call when the client goes.
 */
export interface StreamAnswer {
    stream: (sink: EventSink) => () => void;
}

/** What a handler gives back. Anything it throws is unexpected: a logged 500. */
export type Result = Answer | StreamAnswer | Failure;

/** An answer with this body (200 unless said). */
export function ok(body: unknown, status = 200, headers?: Readonly<Record<string, string>>): Answer {
    return { status, body, ...(headers ? { headers } : {}) };
}

/** The HTTP methods the API uses, named as restify names them. */
export type Method = 'get' | 'post' | 'del';

/** What the OpenAPI document says of a route, beside what the table already tells it (params, body, security). */
export interface RouteDoc {
    summary: string;
    /** What success means. */
    ok: string;
    /** True for the routes whose success is 201 Created (a note or a message added); 200 otherwise. */
    created?: boolean;
    /** The other statuses this route gives beyond 400, 401 and 403, and what each means. */
    more?: Readonly<Record<number, string>>;
    /** True for a route whose success is a stream of server-sent events (text/event-stream), not JSON. */
    stream?: boolean;
}

interface RouteBase {
    method: Method;
    /** Under /workspace/api, restify style (`/escalations/:reference`). */
    path: string;
    /** The JSON body's schema; a change without one takes no body. */
    body?: z.ZodType;
    /** The query string's schema; without one the query is ignored. */
    query?: z.ZodType;
    /** How the route is documented; 'self' only for the route that serves the document. */
    doc: RouteDoc | 'self';
}

/** A route anyone may call without a session (sign-in, the OpenAPI document). Changes still need the same origin. */
export interface PublicRoute extends RouteBase {
    roles: 'public';
    handler: (ctx: WorkspaceContext, req: ApiRequest) => Promise<Result>;
}

/** A route that needs a session with one of these roles; changes also need the CSRF token and the same origin. */
export interface SignedInRoute extends RouteBase {
    roles: readonly WorkspaceRole[];
    handler: (ctx: WorkspaceContext, req: SignedInRequest) => Promise<Result>;
}

/** One row of the route table. */
export type Route = PublicRoute | SignedInRoute;

/** Anyone who works residents' requests: connectors and leads (not curators, who never see them). */
export const ANYONE: readonly WorkspaceRole[] = ['connector', 'lead'];
/** Leads only. */
export const LEADS: readonly WorkspaceRole[] = ['lead'];
/** Everyone signed in, whatever their role (who am I, sign out, searching the directory). */
export const EVERYONE: readonly WorkspaceRole[] = ['connector', 'lead', 'curator'];
/** Those who work the curation queue of directory listings: curators and leads. */
export const CURATORS: readonly WorkspaceRole[] = ['curator', 'lead'];

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

interface Spec<B, Q, R> extends RouteBase {
    roles: R;
    body?: B & z.ZodType;
    query?: Q & z.ZodType;
}

/**
 * A signed-in route whose handler sees its body and query typed by their schemas. (The table holds them untyped; the
 * mount parses each with the route's own schemas before calling, which is what makes the cast below true.)
 */
export function signedIn<B = undefined, Q = undefined>(spec: Spec<B, Q, readonly WorkspaceRole[]> & {
    handler: (ctx: WorkspaceContext, req: SignedInRequest<Out<B>, Out<Q>>) => Promise<Result>;
}): SignedInRoute {
    return spec as SignedInRoute;
}

/** A route without a session, its body and query typed by their schemas (see signedIn). */
export function publicRoute<B = undefined, Q = undefined>(spec: Spec<B, Q, 'public'> & {
    handler: (ctx: WorkspaceContext, req: ApiRequest<Out<B>, Out<Q>>) => Promise<Result>;
}): PublicRoute {
    return spec as PublicRoute;
}
