/**
 * A self-hosted Direct Line 3.0 endpoint, so the website chat works with no Azure account: the routes and shapes
 * that botframework-directlinejs and Web Chat use (conversations, activities with watermarks, the streamUrl
 * WebSocket, tokens and refresh), relayed in-process to the same bot as /api/messages. Conversations and their
 * activities live in the store, so a chat survives a restart and any instance can answer. Bad requests get a
 * status and an error body ({ error: { code, message } }, as Direct Line's), never a crash.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Activity, TurnContext } from 'botbuilder';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLIENT_ADDRESS_KEY, DELETE_STATE_AFTER_TURN, REPLACE_MESSAGE_AFTER_TURN } from '../../conversation/turnState';
import { forwardedValue } from '../../forwarded';
import { errorKind, type Logger } from '../../log';
import { districtOnly } from '../../matching/postcode';
import type { ResidentPresence } from '../../handoff/relay';
import type { DirectLineEntry, DirectLineStore } from '../../storage/directLineStore';
import { accountProblem, hasMalformedText, isObject, isOptionalText } from '../activityShape';
import { DirectLineAdapter, activityId } from './adapter';
import { DIRECT_LINE_CHANNEL_ID } from '../../channelIds';
import { keptChannelData, keptValue } from './kept';
import type { TokenClaims, TokenSigner } from './tokens';
import { TOKEN_LIFETIME_SECONDS } from './tokens';

export const DIRECT_LINE_BASE = '/v3/directline';

/**
 * The event the bot's side puts in a website chat after "delete my data": the page (src/server/public/chat.js)
 * forgets the conversation it kept for a reload, so the next visit starts a new chat.
 */
export const CHAT_FORGOTTEN_EVENT = 'signpost.forgotten';

/** How much one conversation may send and ask for. */
export interface DirectLineLimits {
    /** Largest activity a client may post, in bytes of JSON. */
    maxActivityBytes: number;
    /** Longest message text a client may post. The bot itself answers kindly above 2,000 characters. */
    maxTextLength: number;
    /** Requests (posts, polls, reconnects) one conversation may make per window... */
    requestsPerWindow: number;
    /** ...of this many milliseconds. Polling once a second uses half of the default allowance. */
    windowMs: number;
    /** Activities returned by one poll or WebSocket message at most. */
    pageSize: number;
    /** Open WebSockets per conversation at most (a few tabs). */
    socketsPerConversation: number;
}

export const DEFAULT_DIRECT_LINE_LIMITS: Readonly<DirectLineLimits> = Object.freeze({
    maxActivityBytes: 32 * 1024,
    maxTextLength: 5000,
    requestsPerWindow: 120,
    windowMs: 60_000,
    pageSize: 100,
    socketsPerConversation: 5,
});

/** How often an open WebSocket looks in the store for replies written by another instance, in milliseconds. */
const STREAM_POLL_MS = 2000;
const HEARTBEAT_MS = 30_000;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{8,64}$/;
const CLIENT_TYPES = new Set(['message', 'event', 'typing']);

export interface DirectLineEndpointOptions {
    store: DirectLineStore;
    signer: TokenSigner;
    bot: { run(context: TurnContext): Promise<void> };
    /** The website chat's adapter, built with the app (src/app.ts), its error handler set there. */
    adapter: DirectLineAdapter;
    log: Logger;
    /** The bot's name in the conversation (the service name). */
    botName: string;
    /** Public address of the server (https://chat.example.org), for streamUrl; else taken from the request. */
    publicUrl?: string;
    /** How many proxies in front may be believed about X-Forwarded-Host and -Proto (SIGNPOST_TRUST_PROXY); 0. */
    trustProxy?: number;
    limits?: Partial<DirectLineLimits>;
    now?: () => Date;
    /**
     * An opaque key for the client's address (a keyed hash: the address itself is never passed on), given to the
     * bot's turn in turnState, for the per-address limit on requests for contact. Set by the server from the
     * connection (and the trusted proxies), never from anything the client sends.
     */
    clientKey?: (req: restify.Request) => string;
    /**
     * Told each time the resident's page shows it is there (a poll, a message, an open WebSocket answering), so a
     * connector sees when they were last seen and a live message is not sent to a page that has gone.
     */
    presence?: ResidentPresence;
}

/** A Direct Line error: status, code and a sentence that says what to do (exported for in-process clients). */
export class DirectLineError extends Error {
    constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterSeconds?: number) {
        super(message);
        this.name = 'DirectLineError';
    }
}

interface Stream {
    ws: WebSocket;
    conversationId: string;
    sent: number;
    busy: boolean;
    again: boolean;
    alive: boolean;
}

interface Auth {
    /** The token's claims; absent when the signing secret itself was used (a trusted server-side client). */
    claims?: TokenClaims;
    token: string;
}

export class DirectLineEndpoint {
    readonly adapter: DirectLineAdapter;
    private readonly limits: DirectLineLimits;
    private readonly now: () => Date;
    private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
    private readonly streams = new Map<string, Set<Stream>>();
    private readonly turns = new Map<string, Promise<unknown>>();
    private readonly timers: NodeJS.Timeout[] = [];
    private readonly botAccount: { id: string; name: string; role: string };

    constructor(private readonly options: DirectLineEndpointOptions) {
        this.limits = { ...DEFAULT_DIRECT_LINE_LIMITS, ...options.limits };
        this.now = options.now ?? (() => new Date());
        this.botAccount = { id: 'signpost', name: options.botName, role: 'bot' };
        this.adapter = options.adapter;
        this.adapter.onAppended((id) => this.notify(id));
    }

    /** Adds the Direct Line routes and the streamUrl WebSocket to the server. */
    mount(server: restify.Server): void {
        const b = DIRECT_LINE_BASE;
        server.post(`${b}/tokens/generate`, this.route((req, res) => this.generate(req, res)));
        server.post(`${b}/tokens/refresh`, this.route((req, res) => this.refresh(req, res)));
        server.post(`${b}/conversations`, this.route((req, res) => this.start(req, res)));
        server.get(`${b}/conversations/:conversationId`, this.route((req, res) => this.reconnect(req, res)));
        server.get(`${b}/conversations/:conversationId/activities`, this.route((req, res) => this.poll(req, res)));
        server.post(`${b}/conversations/:conversationId/activities`, this.route((req, res) => this.post(req, res)));
        server.post(`${b}/conversations/:conversationId/upload`, this.route(async () => {
            throw new DirectLineError(400, 'BadArgument', 'This chat takes typed messages only, not files.');
        }));
        server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
            // Node takes its own error listener off an upgraded socket: a client that drops the connection while the
            // token and the conversation are checked would otherwise be an uncaught ECONNRESET.
            socket.on('error', () => socket.destroy());
            this.upgrade(req, socket, head).catch((err) => {
                this.options.log.error('directline.upgrade_failed', { error: errorKind(err) });
                refuse(socket, 500);
            });
        });
        const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS);
        const sweep = setInterval(() => this.flushAll(), STREAM_POLL_MS);
        heartbeat.unref();
        sweep.unref();
        this.timers.push(heartbeat, sweep);
    }

    /** A token for a new conversation with a new resident id: what the page's token route hands out. */
    issueToken(): { conversationId: string; token: string; expires_in: number } {
        const conversationId = randomId(16);
        const { token } = this.options.signer.issue(conversationId, `dl_${randomId(12)}`);
        return { conversationId, token, expires_in: TOKEN_LIFETIME_SECONDS };
    }

    /**
     * A fresh token for the conversation a genuine, unexpired token opens, if that conversation is still kept: what
     * the page's token route gives a reloaded page, so it carries on in the same chat. Undefined otherwise (the
     * page then starts a new one).
     */
    async refreshToken(token: string): Promise<{ conversationId: string; token: string; expires_in: number } | undefined> {
        const claims = this.options.signer.verify(token);
        if (typeof claims === 'string') return undefined;
        if (!(await this.options.store.getConversation(claims.conv))) return undefined;
        const fresh = this.options.signer.issue(claims.conv, claims.user);
        return { conversationId: claims.conv, token: fresh.token, expires_in: TOKEN_LIFETIME_SECONDS };
    }

    /** Closes every WebSocket and stops the timers (server shutdown, tests). */
    close(): void {
        for (const t of this.timers) clearInterval(t);
        for (const set of this.streams.values()) for (const s of set) s.ws.terminate();
        this.streams.clear();
        this.wss.close();
    }

    // --- routes ---

    /** POST tokens/generate, with the signing secret: a token for a new conversation. */
    private async generate(req: restify.Request, res: restify.Response) {
        const auth = this.authorise(req);
        if (auth.claims) throw new DirectLineError(403, 'Forbidden', 'Tokens are made with the secret, not a token.');
        const user = userIdFrom(req.body) ?? `dl_${randomId(12)}`;
        const conversationId = randomId(16);
        const { token } = this.options.signer.issue(conversationId, user);
        res.send(200, { conversationId, token, expires_in: TOKEN_LIFETIME_SECONDS });
    }

    /** POST tokens/refresh: a fresh token for the same conversation, before the old one runs out. */
    private async refresh(req: restify.Request, res: restify.Response) {
        const auth = this.authorise(req);
        if (!auth.claims) throw new DirectLineError(400, 'BadArgument', 'Only a token can be refreshed.');
        const { token } = this.options.signer.issue(auth.claims.conv, auth.claims.user);
        res.send(200, { conversationId: auth.claims.conv, token, expires_in: TOKEN_LIFETIME_SECONDS });
    }

    /** POST conversations: opens the token's conversation (201, and the bot says hello) or finds it again (200). */
    private async start(req: restify.Request, res: restify.Response) {
        const { created, claims, token } = await this.open(req, this.authorise(req), req.body);
        res.send(created ? 201 : 200, this.conversationBody(req, claims, token, 0));
    }

    /** Opens the conversation a token (or, with the secret, a new token) names; the bot says hello when it is new. */
    private async open(req: restify.Request, auth: Auth, body: unknown)
        : Promise<{ created: boolean; claims: TokenClaims; token: string }> {
        let claims = auth.claims;
        let token = auth.token;
        if (!claims) {
            const issued = this.options.signer.issue(randomId(16), userIdFrom(body) ?? `dl_${randomId(12)}`);
            claims = issued.claims;
            token = issued.token;
        }
        const { store } = this.options;
        const created = await store.createConversation({
            id: claims.conv, userId: claims.user, createdAt: this.now().toISOString(),
        });
        await this.allow(claims.conv);
        if (created) {
            this.options.log.info('directline.conversation_started', { channel: DIRECT_LINE_CHANNEL_ID });
            const locale = localeFrom(body);
            await this.runTurn(claims.conv, {
                type: 'conversationUpdate',
                id: `${claims.conv}|join`,
                channelId: DIRECT_LINE_CHANNEL_ID,
                serviceUrl: this.serviceUrl(req),
                timestamp: this.now(),
                conversation: { id: claims.conv, isGroup: false, conversationType: 'personal', name: '' },
                from: { id: claims.user, name: '', role: 'user' },
                recipient: this.botAccount,
                membersAdded: [this.botAccount, { id: claims.user, name: '' }],
                locale,
            } as Partial<Activity>);
        }
        return { created, claims, token };
    }

    /** GET conversations/:id: a new streamUrl for a client reconnecting its WebSocket. */
    private async reconnect(req: restify.Request, res: restify.Response) {
        const { claims, token } = await this.conversationRequest(req);
        this.seen(claims.conv);
        res.send(200, this.conversationBody(req, claims, token, watermarkFrom(req)));
    }

    /** GET conversations/:id/activities?watermark=: what was said after the watermark (polling clients). */
    private async poll(req: restify.Request, res: restify.Response) {
        const { claims } = await this.conversationRequest(req);
        this.seen(claims.conv);
        const watermark = watermarkFrom(req);
        const entries = await this.options.store.since(claims.conv, watermark, this.limits.pageSize);
        const last = entries.length ? entries[entries.length - 1].seq : watermark;
        res.send(200, { activities: entries.map((e) => e.activity), watermark: String(last) });
    }

    /** POST conversations/:id/activities: the resident's message, echoed into the conversation, then the bot's turn. */
    private async post(req: restify.Request, res: restify.Response) {
        const { claims } = await this.conversationRequest(req);
        const incoming = this.validate(req.body);
        if (incoming.type === 'typing') {
            res.send(200, { id: '' });
            return;
        }
        const entry = await this.deliver(req, claims, incoming);
        res.send(200, { id: entry.activity.id });
    }

    /** The resident's activity into the conversation, then the bot's turn (and "delete my data" carried out). */
    private async deliver(req: restify.Request, claims: TokenClaims, incoming: Partial<Activity>) {
        const conversationId = claims.conv;
        this.seen(conversationId);
        const entry = await this.options.store.append(conversationId, (seq) => JSON.parse(JSON.stringify({
            ...incoming,
            // As the bot does: only a postcode's district is kept, in the stored chat as everywhere else.
            ...(typeof incoming.text === 'string' ? { text: districtOnly(incoming.text) } : {}),
            id: activityId(conversationId, seq),
            timestamp: this.now().toISOString(),
            channelId: DIRECT_LINE_CHANNEL_ID,
            serviceUrl: this.serviceUrl(req),
            conversation: { id: conversationId },
            // The resident is who the token says, whatever the client wrote.
            from: { id: claims.user, name: incoming.from?.name ?? '', role: 'user' },
            recipient: this.botAccount,
        })) as Record<string, unknown>);
        this.notify(conversationId);
        const timestamp = new Date(String(entry.activity.timestamp));
        const activity = { ...entry.activity, timestamp } as Partial<Activity>;
        const { deleted, replaceWith } = await this.runTurn(conversationId, activity, this.options.clientKey?.(req));
        // A number or address typed to send the list: used in the turn, and not kept in the chat's history.
        if (replaceWith !== undefined && !deleted) {
            await this.options.store.redact(conversationId, entry.seq, replaceWith);
        }
        if (deleted) {
            // "Delete my data": what was typed goes too; only the bot's confirmation stays in the chat.
            await this.options.store.forgetBefore(conversationId, entry.seq + 1);
            // Tells the page to forget this conversation too, so a reload starts afresh (chat.js, endForGood).
            await this.options.store.append(conversationId, (seq) => ({
                type: 'event', name: CHAT_FORGOTTEN_EVENT, id: activityId(conversationId, seq),
                timestamp: this.now().toISOString(), channelId: DIRECT_LINE_CHANNEL_ID,
                conversation: { id: conversationId }, from: this.botAccount,
            }));
            this.notify(conversationId);
        }
        return entry;
    }

    // --- for a client in this process: the page without JavaScript (src/server/plainChat.ts) ---
    // The same checks, allowance, store and bot as the routes above; a refusal throws the DirectLineError the route
    // would have answered. Only a token opens a conversation here, never the signing secret.

    /** As POST conversations with a token from issueToken: the conversation opens and the bot says hello. */
    async openConversation(req: restify.Request, token: string, locale?: string): Promise<void> {
        await this.open(req, this.tokenOnly(token), locale ? { locale } : {});
    }

    /** As POST conversations/:id/activities with a typed message; its place in the conversation (its watermark). */
    async sendText(req: restify.Request, conversationId: string, token: string, text: string, locale?: string)
        : Promise<number> {
        const { claims } = await this.conversationAuth(this.tokenOnly(token), conversationId);
        const message = { type: 'message', text, ...(locale ? { locale } : {}) };
        const entry = await this.deliver(req, claims, this.validate(message));
        return entry.seq;
    }

    /** As GET conversations/:id/activities, from the start: every activity the conversation keeps, oldest first. */
    async conversationSoFar(conversationId: string, token: string): Promise<DirectLineEntry[]> {
        await this.conversationAuth(this.tokenOnly(token), conversationId);
        this.seen(conversationId);
        const all: DirectLineEntry[] = [];
        for (let watermark = 0; ;) {
            const entries = await this.options.store.since(conversationId, watermark, this.limits.pageSize);
            all.push(...entries);
            if (entries.length < this.limits.pageSize) return all;
            watermark = entries[entries.length - 1].seq;
        }
    }

    private tokenOnly(token: string): Auth {
        const auth = this.check(token);
        if (!auth.claims) throw new DirectLineError(401, 'TokenInvalid', 'This token is not valid.');
        return auth;
    }

    // --- helpers ---

    /** The resident's page showed it is there (presence; written at most every so often, never awaited). */
    private seen(conversationId: string): void {
        void this.options.presence?.seen(DIRECT_LINE_CHANNEL_ID, conversationId).catch(() => undefined);
    }

    /** Wraps a handler: Direct Line errors become their status and body; anything else is logged, 500. */
    private route(handler: (req: restify.Request, res: restify.Response) => Promise<void>) {
        return async (req: restify.Request, res: restify.Response) => {
            try {
                await handler(req, res);
            } catch (err) {
                if (err instanceof DirectLineError) {
                    if (err.retryAfterSeconds !== undefined) res.header('Retry-After', String(err.retryAfterSeconds));
                    this.options.log.warn('directline.refused', { status: err.status, code: err.code });
                    res.send(err.status, { error: { code: err.code, message: err.message } });
                    return;
                }
                this.options.log.error('directline.failed', { error: errorKind(err) });
                if (!res.headersSent) {
                    const message = 'Something went wrong. Please try again.';
                    res.send(500, { error: { code: 'ServiceError', message } });
                }
            }
        };
    }

    private authorise(req: restify.Request): Auth {
        const header = req.header('authorization') ?? '';
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m) throw new DirectLineError(401, 'TokenMissing', 'Send a token: Authorization: Bearer TOKEN.');
        return this.check(m[1]);
    }

    private check(token: string): Auth {
        if (this.options.signer.isSecret(token)) return { token };
        const claims = this.options.signer.verify(token);
        if (claims === 'invalid') throw new DirectLineError(401, 'TokenInvalid', 'This token is not valid.');
        if (claims === 'expired') {
            throw new DirectLineError(403, 'TokenExpired', 'This token has expired. Get a new one and reconnect.');
        }
        return { claims, token };
    }

    /** A request about one conversation: a token for it, the conversation exists, and it is within its allowance. */
    private conversationRequest(req: restify.Request): Promise<{ claims: TokenClaims; token: string }> {
        return this.conversationAuth(this.authorise(req), String(req.params?.conversationId ?? ''));
    }

    private async conversationAuth(auth: Auth, conversationId: string)
        : Promise<{ claims: TokenClaims; token: string }> {
        if (!CONVERSATION_ID.test(conversationId)) throw notFound();
        if (auth.claims && auth.claims.conv !== conversationId) {
            throw new DirectLineError(403, 'Forbidden', 'This token is for another conversation.');
        }
        const conversation = await this.options.store.getConversation(conversationId);
        if (!conversation) throw notFound();
        await this.allow(conversationId);
        const claims = auth.claims ?? {
            conv: conversationId, user: conversation.userId, iat: 0, exp: Math.floor(this.now().getTime() / 1000) + 60,
        };
        return { claims, token: auth.token };
    }

    private async allow(conversationId: string): Promise<void> {
        const { requestsPerWindow, windowMs } = this.limits;
        const { retryAfterMs } = await this.options.store.hit(conversationId, this.now().getTime(), windowMs,
            requestsPerWindow);
        if (retryAfterMs > 0) {
            throw new DirectLineError(429, 'TooManyRequests', 'Too many requests. Please wait a moment and try again.',
                Math.max(1, Math.ceil(retryAfterMs / 1000)));
        }
    }

    /** The client's activity, checked: JSON object, known type, text within limits, no files. */
    private validate(body: unknown): Partial<Activity> {
        if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
            throw new DirectLineError(400, 'BadSyntax', 'Send one activity as a JSON object.');
        }
        const size = Buffer.byteLength(JSON.stringify(body));
        if (size > this.limits.maxActivityBytes) {
            throw new DirectLineError(413, 'MessageSizeTooBig', 'This message is too big. Please send a shorter one.');
        }
        const a = body as Record<string, unknown>;
        if (a.type === undefined) throw new DirectLineError(400, 'MissingProperty', 'The activity needs a type.');
        if (typeof a.type !== 'string' || !CLIENT_TYPES.has(a.type)) {
            throw new DirectLineError(400, 'BadArgument', 'The activity type must be message, event or typing.');
        }
        if (a.text !== undefined && typeof a.text !== 'string') {
            throw new DirectLineError(400, 'BadArgument', 'The activity text must be a string.');
        }
        if (typeof a.text === 'string' && a.text.length > this.limits.maxTextLength) {
            // Not refused: a long message may be someone in distress pouring it all out, and a refusal would leave
            // them with no answer at all. Only its first part is kept; the bot checks that for crisis and asks for
            // a shorter message. (Past the activity size above, it is refused.)
            const cut = a.text.slice(0, this.limits.maxTextLength);
            // Never half an emoji: a lone high surrogate at the end goes.
            a.text = /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
        }
        if (Array.isArray(a.attachments) && a.attachments.length) {
            throw new DirectLineError(400, 'BadArgument', 'This chat takes typed messages only, not files.');
        }
        if (a.name !== undefined && (typeof a.name !== 'string' || a.name.length > 100)) {
            throw new DirectLineError(400, 'BadArgument', 'The event name must be a short string.');
        }
        // What the turn reads must be of its type (else the turn fails after a 200 and nobody is answered).
        for (const field of ['locale', 'textFormat'] as const) {
            if (!isOptionalText(a[field], 1000)) {
                throw new DirectLineError(400, 'BadArgument', `The activity ${field} must be text.`);
            }
        }
        const fromProblem = a.from === undefined || a.from === null ? undefined : accountProblem(a.from, false);
        if (fromProblem) throw new DirectLineError(400, 'BadArgument', `The activity's from ${fromProblem}.`);
        if (a.channelData !== undefined && a.channelData !== null && !isObject(a.channelData)) {
            throw new DirectLineError(400, 'BadArgument', 'The activity channelData must be an object.');
        }
        if (a.entities !== undefined && a.entities !== null
            && (!Array.isArray(a.entities) || !a.entities.every(isObject))) {
            throw new DirectLineError(400, 'BadArgument', 'The activity entities must be a list of objects.');
        }
        if (hasMalformedText(a)) {
            throw new DirectLineError(400, 'BadArgument', 'The activity holds text that is not valid Unicode.');
        }
        const from = a.from as { name?: unknown } | undefined;
        const name = typeof from?.name === 'string' ? from.name.slice(0, 50) : undefined;
        // Only what a resident's client may say is kept; ids, roles and addresses are the server's to set.
        const out: Partial<Activity> = { type: a.type };
        if (typeof a.text === 'string') out.text = a.text;
        if (typeof a.textFormat === 'string') out.textFormat = a.textFormat.slice(0, 20);
        if (typeof a.locale === 'string') out.locale = a.locale.slice(0, 20);
        if (typeof a.name === 'string') out.name = a.name;
        // Stored for days: only what the bot or Web Chat reads (kept.ts); entities never are.
        const value = keptValue(a.value);
        if (value !== undefined) out.value = value;
        const channelData = keptChannelData(a.channelData);
        if (channelData) out.channelData = channelData;
        if (name !== undefined) out.from = { id: '', name };
        return out;
    }

    /**
     * Runs a turn after any earlier one in the same conversation: whether the resident deleted their data, and the
     * words to keep in place of their message when it must not be kept (a number or address used once).
     */
    private runTurn(conversationId: string, activity: Partial<Activity>, clientKey?: string)
        : Promise<{ deleted: boolean; replaceWith?: string }> {
        const previous = this.turns.get(conversationId) ?? Promise.resolve();
        const turn = previous.catch(() => undefined).then(async () => {
            let deleted = false;
            let replaceWith: string | undefined;
            await this.adapter.processActivity(activity, async (context) => {
                if (clientKey) context.turnState.set(CLIENT_ADDRESS_KEY, clientKey);
                try {
                    await this.options.bot.run(context);
                } finally {
                    // Read even when the turn failed after sending (a state save refused): the address still goes.
                    deleted = Boolean(context.turnState.get(DELETE_STATE_AFTER_TURN));
                    const replace = context.turnState.get(REPLACE_MESSAGE_AFTER_TURN) as unknown;
                    if (typeof replace === 'string') replaceWith = replace;
                }
            });
            return { deleted, ...(replaceWith !== undefined ? { replaceWith } : {}) };
        });
        this.turns.set(conversationId, turn);
        void turn.catch(() => undefined).finally(() => {
            if (this.turns.get(conversationId) === turn) this.turns.delete(conversationId);
        });
        return turn;
    }

    private conversationBody(req: restify.Request, claims: TokenClaims, token: string, watermark: number) {
        const expires = Math.max(0, claims.exp - Math.floor(this.now().getTime() / 1000));
        const base = this.publicBase(req).replace(/^http/, 'ws');
        const streamUrl = `${base}${DIRECT_LINE_BASE}/conversations/${claims.conv}/stream`
            + `?watermark=${watermark || ''}&t=${encodeURIComponent(token)}`;
        return { conversationId: claims.conv, token, expires_in: expires, streamUrl };
    }

    /**
     * This server as the client reached it: SIGNPOST_PUBLIC_URL, else the request's own scheme and Host. The
     * X-Forwarded- headers count only behind a trusted proxy (SIGNPOST_TRUST_PROXY); else anyone could send a client
     * its streamUrl on another host.
     */
    private publicBase(req: restify.Request): string {
        if (this.options.publicUrl) return this.options.publicUrl.replace(/\/+$/, '');
        const trusted = this.options.trustProxy ?? 0;
        const proto = (forwardedValue(req, 'x-forwarded-proto', trusted) ?? (req.isSecure() ? 'https' : 'http'))
            === 'https' ? 'https' : 'http';
        const host = forwardedValue(req, 'x-forwarded-host', trusted) ?? req.header('host') ?? 'localhost';
        return `${proto}://${/^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : 'localhost'}`;
    }

    private serviceUrl(req: restify.Request): string {
        return `${this.publicBase(req)}${DIRECT_LINE_BASE}`;
    }

    // --- the streamUrl WebSocket ---

    private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const m = new RegExp(`^${DIRECT_LINE_BASE}/conversations/([^/]+)/stream$`).exec(url.pathname);
        if (!m) return refuse(socket, 404);
        let conversationId: string;
        try {
            conversationId = decodeURIComponent(m[1]);
        } catch {
            // A broken escape ("%E0%A4%A"): the client's mistake, not ours.
            return refuse(socket, 400);
        }
        try {
            const auth = this.check(url.searchParams.get('t') ?? '');
            if (auth.claims && auth.claims.conv !== conversationId) return refuse(socket, 403);
            if (!CONVERSATION_ID.test(conversationId) || !(await this.options.store.getConversation(conversationId))) {
                return refuse(socket, 404);
            }
            await this.allow(conversationId);
        } catch (err) {
            return refuse(socket, err instanceof DirectLineError ? err.status : 500);
        }
        const open = this.streams.get(conversationId) ?? new Set<Stream>();
        if (open.size >= this.limits.socketsPerConversation) return refuse(socket, 429);
        const watermark = Number(url.searchParams.get('watermark'));
        this.wss.handleUpgrade(req, socket, head, (ws) => {
            const stream: Stream = {
                ws, conversationId, sent: Number.isInteger(watermark) && watermark > 0 ? watermark : 0,
                busy: false, again: false, alive: true,
            };
            open.add(stream);
            this.streams.set(conversationId, open);
            this.seen(conversationId);
            const answered = () => {
                stream.alive = true;
                this.seen(conversationId);
            };
            ws.on('pong', answered);
            // Clients send empty messages to keep the line open; nothing a client sends here is read.
            ws.on('message', answered);
            ws.on('error', () => ws.terminate());
            ws.on('close', () => {
                open.delete(stream);
                if (!open.size) this.streams.delete(conversationId);
            });
            void this.flush(stream);
        });
    }

    /** Tells the open WebSockets of a conversation that there is something new. */
    private notify(conversationId: string): void {
        for (const stream of this.streams.get(conversationId) ?? []) void this.flush(stream);
    }

    private flushAll(): void {
        for (const set of this.streams.values()) for (const stream of set) void this.flush(stream);
    }

    /** Sends a stream what it has not had yet, in order, as { activities, watermark } messages. */
    private async flush(stream: Stream): Promise<void> {
        if (stream.busy) {
            stream.again = true;
            return;
        }
        stream.busy = true;
        try {
            do {
                stream.again = false;
                for (;;) {
                    if (stream.ws.readyState !== stream.ws.OPEN) return;
                    const entries = await this.options.store.since(stream.conversationId, stream.sent,
                        this.limits.pageSize);
                    if (!entries.length) break;
                    stream.sent = entries[entries.length - 1].seq;
                    stream.ws.send(JSON.stringify({
                        activities: entries.map((e) => e.activity), watermark: String(stream.sent),
                    }));
                    if (entries.length < this.limits.pageSize) break;
                }
            } while (stream.again);
        } catch (err) {
            this.options.log.error('directline.stream_failed', { error: errorKind(err) });
            stream.ws.terminate();
        } finally {
            stream.busy = false;
        }
    }

    private heartbeat(): void {
        for (const set of this.streams.values()) {
            for (const stream of set) {
                if (!stream.alive) {
                    stream.ws.terminate();
                    continue;
                }
                stream.alive = false;
                stream.ws.ping();
            }
        }
    }
}

function notFound(): DirectLineError {
    return new DirectLineError(404, 'NotFound', 'There is no such conversation. Start a new one.');
}

function refuse(socket: Duplex, status: number): void {
    const reason = {
        400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
    }[status]
        ?? 'Internal Server Error';
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function randomId(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
}

function watermarkFrom(req: restify.Request): number {
    const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('watermark') ?? '';
    if (raw === '' || raw === '-') return 0;
    if (!/^\d{1,12}$/.test(raw)) throw new DirectLineError(400, 'BadArgument', 'The watermark must be a number.');
    return Number(raw);
}

function userIdFrom(body: unknown): string | undefined {
    const id = (body as { user?: { id?: unknown } } | undefined)?.user?.id;
    return typeof id === 'string' && /^[\w.:@-]{1,64}$/.test(id) ? id : undefined;
}

function localeFrom(body: unknown): string {
    const locale = (body as { locale?: unknown } | undefined)?.locale;
    return typeof locale === 'string' && /^[A-Za-z-]{2,20}$/.test(locale) ? locale : 'en-GB';
}
