/**
 * What every response says about itself and who may ask: security headers on every page and API answer, and the
 * request limits of src/server/limits.ts, put in front of every route once (createServer calls `protect`).
 *
 * - The website chat (`/` and its files) may be framed by this server and by the sites in SIGNPOST_EMBED_ORIGINS
 *   only (`frame-ancestors`); its scripts come from this server alone; it may connect to this server (https and
 *   its WebSocket) and, in Azure mode, to Azure Direct Line.
 * - The workspace pages and every API answer may never be framed (`frame-ancestors 'none'` and X-Frame-Options).
 * - Everything is `nosniff` and sends no referrer; with an https SIGNPOST_PUBLIC_URL, browsers are told to use
 *   https only (Strict-Transport-Security).
 * - The page without JavaScript (/chat, plainChat.ts) runs no script at all and may post its forms to this server.
 * - Every route takes JSON or no body (else 415), except the plain page's form (POST /chat); with MicrosoftAppId
 *   set, /api/messages takes only a valid Bot Framework token (else 401, see StrictBotFrameworkAuthentication).
 */
import {
    CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory,
    DeliveryModes, StatusCodes, type Activity, type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
// botbuilder's own dependency (same version, one copy): CloudAdapter answers 401 only for this error class.
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type restify from 'restify';
import { DIRECT_LINE_CHANNEL_ID } from '../channelIds';
import { isLoopback, type Config, type HttpSettings } from '../config';
import type { Logger } from '../log';
import { WORKSPACE_CSP } from '../workspace/page';
import {
    DEFAULT_HTTP_SETTINGS, RateLimiter, activityProblem, clientAddress, perAddressLimit, routeKind,
} from './limits';
import { shellScriptSource } from './pageShell';
import { PLAIN_CHAT_ROUTE, PLAIN_EXIT_ROUTE } from './plainChat';
import { quietly } from './quietConsole';
import { STATIC_PREFIX } from './staticAssets';

/** What `protect` needs: the HTTP settings and this server's public address. */
export interface ServerProtection extends HttpSettings {
    /** This server's public address (https://chat.example.org); https switches on Strict-Transport-Security. */
    publicUrl?: string;
    /** How many keys each in-memory limiter keeps in a window (RateLimiter's maxKeys; default 100,000; tests less). */
    limiterKeys?: number;
}

/** The protection settings from the configuration. */
export function httpProtection(config: Pick<Config, 'http' | 'publicUrl'>): ServerProtection {
    return { ...config.http, publicUrl: config.publicUrl };
}

/** The largest request body, in bytes. */
export function bodyLimit(protection?: ServerProtection): number {
    return (protection ?? DEFAULT_HTTP_SETTINGS).limits.maxBodyBytes;
}

/** The paths of the website chat: the page, the embed script, and (under /static/) the files the page loads. */
const CHAT_PATHS = new Set(['/', '/embed.js']);
/** What nothing but a page needs: no scripts, no frames. API answers and errors get this. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
const HSTS = 'max-age=31536000; includeSubDomains';
/** application/json, or a JSON-based type such as application/activity+json (as restify's JSON parser reads). */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
/** A plain HTML form: what the page without JavaScript posts (plainChat.ts), and only there. */
const FORM_TYPE = /^application\/x-www-form-urlencoded$/i;
/** The page without JavaScript: no script at all; its forms post to this server only. */
const PLAIN_PATHS = new Set([PLAIN_CHAT_ROUTE, PLAIN_EXIT_ROUTE]);
const PERMISSIONS = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The website chat's Content-Security-Policy. */
export function chatCsp(options: {
    embedOrigins: readonly string[];
    /** Where the page's WebSocket goes: this server as the browser sees it (`host:port`). */
    host?: string;
    publicUrl?: string;
    /** Azure mode: Direct Line's base address. */
    azureDirectLine?: string;
}): string {
    const connect = ["'self'"];
    if (options.azureDirectLine) {
        // Azure mode: the page talks to Azure Direct Line (https and its WebSocket), not to this server's endpoint.
        const origin = new URL(options.azureDirectLine).origin;
        connect.push(origin, origin.replace(/^http/, 'ws'));
    } else if (options.publicUrl) {
        connect.push(new URL(options.publicUrl).origin.replace(/^http/, 'ws'));
    } else if (options.host && HOST.test(options.host)) {
        // 'self' covers the same-origin WebSocket in CSP level 3 browsers; the ws(s) origin is named for older ones.
        connect.push(`ws://${options.host}`, `wss://${options.host}`);
    }
    return [
        "default-src 'self'",
        // The page's one inline script, by its hash (src/server/pageShell.ts); nothing else inline.
        `script-src 'self' ${shellScriptSource()}`,
        // Web Chat sets styles from script (emotion), so inline styles must be allowed; scripts stay 'self' only.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        `connect-src ${connect.join(' ')}`,
        "base-uri 'none'",
        // The first form posts to the plain page when there is no script (plainChat.ts); nowhere else.
        "form-action 'self'",
        "object-src 'none'",
        `frame-ancestors ${["'self'", ...options.embedOrigins].join(' ')}`,
    ].join('; ');
}

/** The Content-Security-Policy of the page without JavaScript: no script at all, forms to this server only. */
export function plainChatCsp(options: { embedOrigins: readonly string[] }): string {
    return [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'self'",
        `frame-ancestors ${["'self'", ...options.embedOrigins].join(' ')}`,
    ].join('; ');
}

/** The security headers for a response to `path`. */
export function securityHeaders(path: string, options: ServerProtection & { host?: string; azureDirectLine?: string }) {
    const headers: Record<string, string> = {
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Permissions-Policy': PERMISSIONS,
    };
    if (options.publicUrl?.startsWith('https:')) headers['Strict-Transport-Security'] = HSTS;
    if (CHAT_PATHS.has(path) || path.startsWith(STATIC_PREFIX)) {
        headers['Content-Security-Policy'] = chatCsp(options);
    } else if (PLAIN_PATHS.has(path)) {
        headers['Content-Security-Policy'] = plainChatCsp(options);
    } else {
        const workspacePage = path === '/workspace'
            || (path.startsWith('/workspace/') && !path.startsWith('/workspace/api/'));
        headers['Content-Security-Policy'] = workspacePage ? WORKSPACE_CSP : API_CSP;
        // Only what may never be framed says so in the old header too; the chat page must stay embeddable.
        headers['X-Frame-Options'] = 'DENY';
    }
    return headers;
}

/** What `protect` hands back for createServer's routes. */
export interface Guard {
    /** POST /api/messages, before botbuilder: the activity's shape and its conversation's allowance. */
    botActivity: restify.RequestHandler;
    /**
     * The bot took the request's activity (its sender authenticated and its turn began): its count for the
     * conversation stays. Any other request to /api/messages gives it back when it ends, however it ends.
     */
    taken(req: restify.Request): void;
}

/**
 * Puts the headers and the per-address limits in front of every route (before the body is read, so a flood costs
 * little) and gives the /api/messages check. Call once, before the routes are added.
 */
export function protect(server: restify.Server, options: {
    protection?: ServerProtection;
    log: Logger;
    /** Azure mode: Direct Line's base address, which the chat page connects to. */
    azureDirectLine?: string;
    now?: () => number;
}): Guard {
    const settings = options.protection ?? DEFAULT_HTTP_SETTINGS;
    const { limits, trustProxy } = settings;
    const { log } = options;
    // In memory, per instance: see src/server/limits.ts.
    const addresses = new RateLimiter(60_000, options.now, options.protection?.limiterKeys);
    // A conversation the full limiter has no room for is not counted (the per-address limit still is): strangers
    // inventing conversation ids must never throttle a resident's real one.
    const conversations = new RateLimiter(60_000, options.now, options.protection?.limiterKeys, 'pass');
    /** Each /api/messages request's count, until the bot takes it or the request ends. */
    const pending = new WeakMap<restify.Request, { take(): void }>();

    server.pre((req, res, next) => {
        const path = req.getPath();
        const headers = securityHeaders(path, {
            ...settings, host: req.header('host'), azureDirectLine: options.azureDirectLine,
        });
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        // The allowance of the route the router will run, whatever the path's spelling (`/api/directline/%74oken`
        // is the token route), so it is asked, not the raw text.
        const kind = routeKind(req.method ?? '', routedPath(server, req, res) ?? '');
        const verdict = addresses.hit(`${kind} ${clientAddress(req, trustProxy)}`, perAddressLimit(kind, limits));
        if (!verdict.allowed) {
            if (verdict.firstRefusal) log.warn('http.rate_limited', { route: kind, per: 'address' });
            tooMany(res, verdict.retryAfterSeconds);
            return next(false);
        }
        // Every route takes JSON or nothing; the page without JavaScript takes its form.
        const type = req.getContentType();
        const plainForm = path === PLAIN_CHAT_ROUTE && req.method === 'POST' && FORM_TYPE.test(type);
        if ((req.isChunked() || req.getContentLength() > 0) && !JSON_TYPE.test(type) && !plainForm) {
            res.setHeader('Cache-Control', 'no-store');
            const message = 'Send JSON (Content-Type: application/json).';
            res.send(415, { error: { code: 'UnsupportedMediaType', message } });
            return next(false);
        }
        return next();
    });

    const botActivity: restify.RequestHandler = (req, res, next) => {
        const problem = activityProblem(req.body);
        if (problem) {
            res.send(400, { error: { code: 'BadActivity', message: problem } });
            return next(false);
        }
        const body = req.body as { channelId: string; conversation: { id: string } };
        const key = `${body.channelId} ${body.conversation.id}`;
        const max = limits.botPerConversationPerMinute;
        // Counted on arrival, so a burst sent at once cannot all get in before any has finished.
        const verdict = conversations.hit(key, max);
        if (!verdict.allowed) {
            if (verdict.firstRefusal) log.warn('http.rate_limited', { route: 'bot', per: 'conversation' });
            tooMany(res, verdict.retryAfterSeconds);
            return next(false);
        }
        // Counted until the bot takes it; a request that ends first (refused, failed, or its client hung up,
        // when 'finish' never comes) gives its count back, so forged requests cannot use up a resident's turns
        // nor leave keys behind.
        let state: 'counted' | 'taken' | 'returned' = 'counted';
        const end = () => {
            if (state !== 'counted') return;
            state = 'returned';
            conversations.giveBack(verdict);
        };
        pending.set(req, {
            take() {
                // Taken after its client hung up (the turn runs anyway): it counts again.
                if (state === 'returned') conversations.hit(key, max);
                state = 'taken';
            },
        });
        res.once('finish', end);
        res.once('close', end);
        return next();
    };

    return { botActivity, taken: (req) => pending.get(req)?.take() };
}

/** The path pattern of the route the router will run for `req` (`/api/messages`), or undefined when none. */
function routedPath(server: restify.Server, req: restify.Request, res: restify.Response): string | undefined {
    try {
        // The router's own lookup (find-my-way: percent-decoding and its other rules); restify looks again after
        // the pre handlers, so what this sets on req is set again the same way.
        if (!server.router.lookup(req, res)) return undefined;
        const path = (req as { route?: { path?: unknown } }).route?.path;
        return typeof path === 'string' ? path : undefined;
    } catch {
        // A path the router cannot read (a broken escape): it will not run any route either.
        return undefined;
    }
}

function tooMany(res: restify.Response, retryAfterSeconds: number): void {
    res.setHeader('Retry-After', String(retryAfterSeconds));
    res.setHeader('Cache-Control', 'no-store');
    const message = 'Too many requests. Please wait a moment and try again.';
    res.send(429, { error: { code: 'TooManyRequests', message } });
}

/**
 * An activity /api/messages will not take, though its sender may be who they say: 403, with a short code for the
 * log line (`reason`) and a sentence for the sender. Never holds anything the activity said.
 */
export class RefusedActivityError extends AuthenticationError {
    constructor(readonly reason: string, message: string) {
        super(message, 403 as StatusCodes);
        this.name = 'RefusedActivityError';
    }
}

/** What /api/messages takes besides what the token proves. */
export interface ActivityPolicy {
    /** There is no MicrosoftAppId: no token proves who sent an activity. */
    unauthenticated: boolean;
    /** SIGNPOST_INSECURE_DEV: unauthenticated, any serviceUrl and replies in the answer. */
    insecureDev: boolean;
    /** SIGNPOST_WEBSITE_CHAT_ONLY: nothing at all. */
    closed: boolean;
}

/**
 * Bot Framework authentication for /api/messages exactly as botbuilder does it, except that every failure to
 * authenticate is a 401. botbuilder 4.23 lets jsonwebtoken's own errors escape as 500s: a token whose key id is one
 * the Bot Framework publishes but whose signature is forged is answered "500", which reads as our fault and hides an
 * attack in the error rate. botbuilder's own console output while it checks a token is dropped (quietConsole.ts):
 * the adapter logs one line per refusal instead.
 *
 * With no MicrosoftAppId there is no authentication: anyone who reaches /api/messages could name any serviceUrl
 * (and the bot would post the replies there) or ask for the replies in the answer to any conversation. So then,
 * unless SIGNPOST_INSECURE_DEV, an activity is taken only when its serviceUrl is a bare http(s) origin on this
 * computer (the Emulator's http://localhost:PORT), it does not ask for `expectReplies`, and its channel is not
 * `directline` (the built-in website chat's, see botAdapter.ts; Azure Direct Line always comes with an app id).
 * With SIGNPOST_WEBSITE_CHAT_ONLY nothing is taken at all (403), before any token work.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
    constructor(options: ConfigurationBotFrameworkAuthenticationOptions,
        credentials: ConfigurationServiceClientCredentialFactory,
        private readonly policy?: ActivityPolicy) {
        super(options, credentials);
    }

    override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
        if (this.policy?.closed) {
            throw new RefusedActivityError('closed', 'This server takes no Bot Framework activities: it serves its '
                + 'website chat only.');
        }
        let result: AuthenticateRequestResult;
        try {
            result = await quietly(() => super.authenticateRequest(activity, authHeader));
        } catch (err) {
            throw unauthorised(err);
        }
        if (this.policy?.unauthenticated && !this.policy.insecureDev) unauthenticatedRefusal(activity);
        return result;
    }

    override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string)
        : Promise<AuthenticateRequestResult> {
        try {
            return await quietly(() => super.authenticateStreamingRequest(authHeader, channelIdHeader));
        } catch (err) {
            throw unauthorised(err);
        }
    }
}

/** Throws RefusedActivityError when an unauthenticated activity asks for more than local development needs. */
function unauthenticatedRefusal(activity: Activity): void {
    if (!isLocalServiceUrl(activity.serviceUrl)) {
        throw new RefusedActivityError('service-url', 'Without MicrosoftAppId, replies go only to this computer: '
            + 'the serviceUrl must be http://localhost:PORT or http://127.0.0.1:PORT.');
    }
    if (activity.deliveryMode === DeliveryModes.ExpectReplies) {
        throw new RefusedActivityError('expect-replies', 'Without MicrosoftAppId, replies are not sent in the answer.');
    }
    if (activity.channelId === DIRECT_LINE_CHANNEL_ID) {
        throw new RefusedActivityError('website-chat', 'The website chat does not come through /api/messages.');
    }
}

/** An http(s) origin on this computer, with nothing after it: no path, query, fragment or credentials. */
export function isLocalServiceUrl(serviceUrl: unknown): boolean {
    if (typeof serviceUrl !== 'string') return false;
    let url: URL;
    try {
        url = new URL(serviceUrl);
    } catch {
        return false;
    }
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopback(url.hostname)
        && !url.username && !url.password && (url.pathname === '/' || url.pathname === '') && !url.search
        && !url.hash && !/[?#]/.test(serviceUrl);
}

function unauthorised(err: unknown): AuthenticationError {
    if (err instanceof AuthenticationError && err.statusCode === StatusCodes.UNAUTHORIZED) return err;
    return new AuthenticationError('Unauthorized. The token could not be validated.', StatusCodes.UNAUTHORIZED);
}

/**
 * The bot's identity and how incoming tokens are checked, from the settings. `endpoints` replaces Microsoft's
 * OpenID metadata addresses (tests serve their own keys, so they never reach the internet).
 */
export function botAuthentication(auth: Config['auth'],
    endpoints: Partial<ConfigurationBotFrameworkAuthenticationOptions> = {}): StrictBotFrameworkAuthentication {
    const settings = {
        MicrosoftAppId: auth.appId ?? '',
        MicrosoftAppPassword: auth.appPassword ?? '',
        MicrosoftAppType: auth.appType ?? 'MultiTenant',
        MicrosoftAppTenantId: auth.tenantId ?? '',
    };
    // botbuilder takes either no endpoint at all (Azure's public cloud) or every one of them.
    const publicCloud = Object.keys(endpoints).length ? {
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
        ValidateAuthority: true,
    } : {};
    return new StrictBotFrameworkAuthentication({ ...settings, ...publicCloud, ...endpoints },
        new ConfigurationServiceClientCredentialFactory(settings),
        {
            unauthenticated: !auth.appId,
            insecureDev: Boolean(auth.insecureDev),
            closed: Boolean(auth.websiteChatOnly),
        });
}
