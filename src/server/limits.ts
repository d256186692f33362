/**
 * Request limits for every public route: how often one client address (and, on /api/messages, one conversation)
 * may ask, how big a body may be, and what an activity must look like before botbuilder sees it. Over a limit the
 * answer is 429 with Retry-After, never a crash. Log lines name the route kind, never the address.
 *
 * The counts here (per address on every route, per conversation on /api/messages) live in this process's memory:
 * each instance counts on its own, so behind a load balancer the real allowance is the limit times the number of
 * instances. That is enough for a brake on one noisy client. The limits that must hold across instances are kept
 * in the store (the `attempts` store, shared by every instance): failed workspace sign-ins per e-mail and per
 * address (src/workspace/auth.ts), requests for contact per contact detail and per address
 * (src/handoff/intake.ts); and so is the Direct Line per-conversation limit (src/channels/directline/endpoint.ts).
 *
 * A /api/messages request is counted for its conversation on arrival and gives the count back unless the bot
 * takes it (security.ts), so forged requests leave neither counts nor keys; a conversation the full limiter has
 * no room for is not counted at all, never throttled with strangers.
 */
import type restify from 'restify';
import type { DirectLineLimits } from '../channels/directline/endpoint';
import { accountProblem, hasMalformedText, isId, isObject, isOptionalText } from '../channels/activityShape';
import { loadConfig, type HttpSettings, type RequestLimits } from '../config';
import { forwardedValue } from '../forwarded';

/** The settings when none are given: the defaults in src/config.ts, the one place they are written. */
export const DEFAULT_HTTP_SETTINGS: Readonly<HttpSettings> = Object.freeze(loadConfig({}).http);

/** The Direct Line endpoint's share of the limits, in its own terms. */
export function directLineLimits(limits: RequestLimits): Partial<DirectLineLimits> {
    return {
        maxActivityBytes: limits.maxActivityBytes,
        maxTextLength: limits.maxMessageChars,
        requestsPerWindow: limits.directLinePerConversationPerMinute,
        windowMs: 60_000,
    };
}

/** Which allowance a request draws on. */
export type RouteKind = 'bot' | 'token' | 'signin' | 'other';

/**
 * The allowance a request draws on, from its method and the pattern of the route the router runs for it (never the
 * path as the client wrote it: `/api/directline/%74oken` is the token route too; see security.ts routedPath).
 */
export function routeKind(method: string, routePath: string): RouteKind {
    const path = routePath.length > 1 ? routePath.replace(/\/+$/, '') : routePath;
    if (method === 'POST' && path === '/api/messages') return 'bot';
    // The page's refresh of a kept conversation's token counts with the tokens: both hand out a token.
    if (method === 'POST' && (path === '/api/directline/token' || path === '/api/directline/token/refresh')) {
        return 'token';
    }
    // The page without JavaScript: a post without its cookie opens a conversation and hands out a token, so every
    // post there counts with the tokens (30 a minute is far more than a person types).
    if (method === 'POST' && path === '/chat') return 'token';
    if (method === 'POST' && path === '/workspace/api/session') return 'signin';
    return 'other';
}

/** Requests per minute per address for each kind of route. */
export function perAddressLimit(kind: RouteKind, limits: RequestLimits): number {
    switch (kind) {
        case 'bot': return limits.botPerAddressPerMinute;
        case 'token': return limits.tokensPerAddressPerMinute;
        case 'signin': return limits.signInsPerAddressPerMinute;
        default: return limits.perAddressPerMinute;
    }
}

/** What a limiter says about one request. */
export interface Verdict {
    allowed: boolean;
    /** Seconds until the key may ask again, when not allowed. */
    retryAfterSeconds: number;
    /** True for the first refusal of the key in its window, so a flood logs one line, not thousands. */
    firstRefusal: boolean;
    /** The window the request was counted in, for giveBack. */
    window: number;
    /** The key the request was counted under (its own, or the shared overflow one); undefined when not counted. */
    counted?: string;
}

/** What a full limiter does with a key it has no room for. */
export type WhenFull =
    /** Counts it with every other newcomer under one shared key (per-address limits: a newcomer is a stranger). */
    | 'share'
    /**
     * Does not count it (per-conversation limits: the per-address limit still applies, and a real conversation
     * must never be throttled because strangers made up conversation ids).
     */
    | 'pass';

const OVERFLOW = '\0overflow';

/**
 * Counts per key in fixed one-minute windows, in memory. The map is emptied every window and holds at most
 * `maxKeys` keys, so a client inventing addresses or conversation ids cannot grow memory without bound; past that,
 * new keys are shared or passed (`whenFull`). A key whose count is given back to 0 is deleted, so requests that
 * gave their count back (refused ones) leave no key behind.
 */
export class RateLimiter {
    private windowStart = 0;
    private counts = new Map<string, number>();

    constructor(
        private readonly windowMs = 60_000,
        private readonly now: () => number = Date.now,
        private readonly maxKeys = 100_000,
        private readonly whenFull: WhenFull = 'share',
    ) {}

    /** Counts one request for `key` and says whether it is within `max` for this window. */
    hit(key: string, max: number): Verdict {
        return this.check(key, max, 1);
    }

    /** Says whether `key` still has room, without counting. */
    peek(key: string, max: number): Verdict {
        return this.check(key, max, 0);
    }

    /**
     * Takes back the request a `hit` counted, if its window is still the current one; the key goes when its count
     * reaches 0. Call it at most once per hit.
     */
    giveBack(verdict: Verdict): void {
        const key = verdict.counted;
        if (key === undefined || verdict.window !== this.windowStart) return;
        const n = (this.counts.get(key) ?? 0) - 1;
        if (n > 0) this.counts.set(key, n);
        else this.counts.delete(key);
    }

    /** Keys being counted in this window (for tests). */
    get size(): number {
        return this.counts.size;
    }

    private check(key: string, max: number, add: number): Verdict {
        const t = this.now();
        const start = t - (t % this.windowMs);
        if (start !== this.windowStart) {
            this.windowStart = start;
            this.counts = new Map();
        }
        const room = this.counts.has(key) || this.counts.size < this.maxKeys;
        if (!room && this.whenFull === 'pass') {
            return { allowed: true, retryAfterSeconds: 0, firstRefusal: false, window: start };
        }
        const k = room ? key : OVERFLOW;
        const n = (this.counts.get(k) ?? 0) + add;
        if (add) this.counts.set(k, n);
        const allowed = add ? n <= max : n < max;
        return {
            allowed,
            retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((start + this.windowMs - t) / 1000)),
            firstRefusal: !allowed && n === max + add,
            window: start,
            counted: add ? k : undefined,
        };
    }
}

/**
 * The client's address, as a rate-limit key. `trustedProxies` is how many proxies in front of the server add
 * themselves to X-Forwarded-For (Azure App Service: 1); the entry used is the one src/forwarded.ts forwardedValue
 * chooses (none with 0, since anyone can send the header). Ports are dropped (App Service writes
 * "203.0.113.5:51234") and IPv6 addresses are cut to their /64, the block one household or server usually has.
 */
export function clientAddress(req: restify.Request, trustedProxies: number): string {
    const address = forwardedValue(req, 'x-forwarded-for', trustedProxies) ?? req.socket?.remoteAddress ?? '';
    return normaliseAddress(address) || 'unknown';
}

/** An address without its port, IPv4-mapped IPv6 as IPv4, IPv6 as its /64. */
export function normaliseAddress(raw: string): string {
    let a = raw.trim().toLowerCase().slice(0, 100);
    const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(a);
    if (bracketed) a = bracketed[1];
    else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
    if (a.startsWith('::ffff:') && /^[\d.]+$/.test(a.slice(7))) a = a.slice(7);
    if (!a.includes(':')) return a;
    const groups = expandIpv6(a);
    return groups ? `${groups.slice(0, 4).join(':')}::/64` : a;
}

function expandIpv6(a: string): string[] | undefined {
    const [head, tail, ...rest] = a.split('::');
    if (rest.length) return undefined;
    const left = head ? head.split(':') : [];
    const right = tail !== undefined && tail ? tail.split(':') : [];
    if (tail === undefined && left.length !== 8) return undefined;
    const missing = 8 - left.length - right.length;
    if (missing < 0) return undefined;
    const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
    return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups.map((g) => g.replace(/^0+(?=.)/, '')) : undefined;
}

/**
 * Why a body posted to /api/messages is not an activity botbuilder can take, or undefined when it is. botbuilder
 * throws on some shapes (a non-string `type`) outside its own error handling, and the bot's turn fails on others
 * (`membersAdded: [null]`, `locale` as an object, an id with a NUL or half a character); checked here they are a
 * plain 400 before the turn. Every field botbuilder or the bot reads is checked for its type; any other field may
 * hold anything (nesting is limited by the body reader). Every Bot Framework channel (Azure Bot Service, the
 * Emulator) sends the required fields.
 */
export function activityProblem(body: unknown): string | undefined {
    if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
        return 'The body must be one activity, as a JSON object.';
    }
    const a = body as Record<string, unknown>;
    if (typeof a.type !== 'string' || !a.type || a.type.length > 50) return 'The activity needs a type.';
    if (typeof a.channelId !== 'string' || !a.channelId || a.channelId.length > 100) {
        return 'The activity needs a channelId.';
    }
    if (typeof a.serviceUrl !== 'string' || !isWebAddress(a.serviceUrl)) {
        return 'The activity needs a serviceUrl (an http or https address).';
    }
    if (!isId(a.channelId, 100)) return 'The activity channelId must be text with no control characters.';
    const conversation = a.conversation;
    if (!isObject(conversation) || !isId(conversation.id, 1000)) {
        return 'The activity needs conversation.id (text, no control characters).';
    }
    const { isGroup } = conversation;
    if (isGroup !== undefined && isGroup !== null && typeof isGroup !== 'boolean') {
        return 'The activity conversation.isGroup must be true or false.';
    }
    for (const field of ['name', 'conversationType', 'tenantId', 'role'] as const) {
        if (!isOptionalText(conversation[field], 1000)) return `The activity conversation.${field} must be text.`;
    }
    for (const field of ['from', 'recipient'] as const) {
        const problem = a[field] === undefined ? undefined : accountProblem(a[field]);
        if (problem) return `The activity's ${field} ${problem}.`;
    }
    for (const field of ['id', 'replyToId'] as const) {
        if (a[field] !== undefined && a[field] !== null && !isId(a[field], 1000)) {
            return `The activity ${field} must be text with no control characters.`;
        }
    }
    // What botbuilder and the bot read as text (the activity's size is limited by the body limit).
    for (const field of ['text', 'locale', 'textFormat', 'inputHint', 'name', 'speak', 'summary', 'action',
        'valueType', 'topicName', 'localTimezone', 'importance', 'deliveryMode'] as const) {
        if (!isOptionalText(a[field], Number.MAX_SAFE_INTEGER)) return `The activity ${field} must be text.`;
    }
    for (const field of ['timestamp', 'localTimestamp', 'expiration'] as const) {
        const v = a[field];
        if (v !== undefined && v !== null && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) {
            return `The activity ${field} must be a date.`;
        }
    }
    for (const field of ['attachments', 'entities', 'membersAdded', 'membersRemoved'] as const) {
        const v = a[field];
        if (v === undefined || v === null) continue;
        if (!Array.isArray(v)) return `The activity ${field} must be a list.`;
        for (const item of v) {
            const problem = field.startsWith('members') ? accountProblem(item) : !isObject(item) && 'must be an object';
            if (problem) return `Each of the activity's ${field} ${problem}.`;
        }
    }
    for (const field of ['channelData', 'relatesTo'] as const) {
        const v = a[field];
        if (v !== undefined && v !== null && !isObject(v)) return `The activity ${field} must be an object.`;
    }
    if (hasMalformedText(a)) return 'The activity holds text that is not valid Unicode (half of a character).';
    return undefined;
}

function isWebAddress(text: string): boolean {
    if (text.length > 2000) return false;
    try {
        const url = new URL(text);
        return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
        return false;
    }
}
