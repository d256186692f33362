/**
 * Azure's Direct Line 3.0 service, as this server uses it in Azure mode (DIRECT_LINE_SECRET set): the page's token
 * route exchanges the secret for a short-lived token (tokens/generate) and refreshes it (tokens/refresh), and the
 * page without JavaScript talks to the bot through the same service from the server (`AzurePlainLine`): it opens,
 * writes and reads the conversation over Direct Line's REST API, as a polling client would. The secret never leaves
 * the server; nothing a resident types is logged here.
 */
import { randomBytes } from 'node:crypto';
import { DirectLineError } from '../channels/directline/endpoint';
import type { DirectLineEntry } from '../storage/directLineStore';

/** Where Azure's Direct Line is, and the secret of the bot's Direct Line channel. */
export interface AzureDirectLine {
    secret: string;
    /** Direct Line's base address, e.g. https://europe.directline.botframework.com/v3/directline */
    endpoint: string;
    /** The HTTP client (tests replace only this, at the protocol boundary). */
    fetch?: typeof fetch;
}

/** What the page gets from the token route (the shape of Direct Line's tokens/generate answer). */
export interface TokenGrant {
    conversationId: string;
    token: string;
    expires_in: number;
}

/** Azure's Direct Line refused or answered something unexpected; carries its status only (never the secret). */
export class DirectLineServiceError extends Error {
    constructor(readonly status: number) {
        super(`Direct Line token service answered ${status}`);
        this.name = 'DirectLineServiceError';
    }
}

/** How long one call to Direct Line may take. */
const CALL_TIMEOUT_MS = 10_000;

function base(azure: AzureDirectLine): string {
    return azure.endpoint.replace(/\/+$/, '');
}

/** A token grant from a Direct Line answer; throws on a shape it does not know. */
async function grantFrom(res: Response): Promise<TokenGrant> {
    const body = await res.json() as { conversationId?: unknown; token?: unknown; expires_in?: unknown };
    if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
        throw new DirectLineServiceError(res.status);
    }
    return {
        conversationId: body.conversationId, token: body.token,
        expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800,
    };
}

/** A new resident id on Direct Line: random, telling nothing about them. */
export function newResidentId(): string {
    return `dl_${randomBytes(12).toString('base64url')}`;
}

/** Asks Azure's Direct Line for a token for one new conversation, bound to a resident id (a new one by default). */
export async function exchangeSecret(azure: AzureDirectLine, user = newResidentId()): Promise<TokenGrant> {
    const doFetch = azure.fetch ?? fetch;
    const res = await doFetch(`${base(azure)}/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${azure.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: user } }),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!res.ok) throw new DirectLineServiceError(res.status);
    return grantFrom(res);
}

/** Asks Azure's Direct Line for a fresh token for the conversation a token opens (tokens/refresh). */
export async function refreshAzure(azure: AzureDirectLine, token: string): Promise<TokenGrant> {
    const doFetch = azure.fetch ?? fetch;
    const res = await doFetch(`${base(azure)}/tokens/refresh`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
    if (!res.ok) throw new DirectLineServiceError(res.status);
    return grantFrom(res);
}

/** The place of an activity in its conversation, from its id ("<conversation>|0000012" -> 12); 0 when unknown. */
export function seqOf(activity: Record<string, unknown>): number {
    const m = /\|(\d+)$/.exec(typeof activity.id === 'string' ? activity.id : '');
    return m ? Number(m[1]) : 0;
}

/** How long the page without JavaScript waits for the bot's answer before showing the chat as it is. */
const REPLY_WAIT_MS = 8_000;
const REPLY_POLL_MS = 250;
/** The most activities one read takes in, across Direct Line's pages. */
const MAX_ACTIVITIES = 2_000;

/**
 * The page without JavaScript (plainChat.ts) in Azure mode: the same five calls the built-in endpoint offers in
 * this process, made over Azure Direct Line's REST API. Its refusals become the DirectLineError the built-in
 * endpoint would throw (status, code, Retry-After), so the page says the same things. Replies come back through
 * Azure, not within the call, so a message waits (up to 8 s) until the bot has answered it.
 *
 * The token is bound to a resident id made here (Direct Line's enhanced authentication refuses a message from any
 * other id), which the page keeps in its cookie and passes back; and since Direct Line's activities need not say
 * who is the bot, an activity is the resident's when it comes from that id and the bot's otherwise.
 */
export class AzurePlainLine {
    private readonly doFetch: typeof fetch;

    constructor(private readonly azure: AzureDirectLine, private readonly sleep = (ms: number) =>
        new Promise<void>((resolve) => setTimeout(resolve, ms))) {
        this.doFetch = azure.fetch ?? fetch;
    }

    /** A token for a new conversation (tokens/generate with the secret), bound to a new resident id. */
    async issueToken(): Promise<TokenGrant & { user: string }> {
        const user = newResidentId();
        try {
            return { ...await exchangeSecret(this.azure, user), user };
        } catch (err) {
            throw unavailable(err);
        }
    }

    /** A fresh token for the same conversation; undefined when Direct Line no longer knows it. */
    async refreshToken(token: string): Promise<TokenGrant | undefined> {
        try {
            return await refreshAzure(this.azure, token);
        } catch (err) {
            if (err instanceof DirectLineServiceError && err.status >= 400 && err.status < 500) return undefined;
            throw unavailable(err);
        }
    }

    /** Starts the conversation the token names (POST conversations): the bot is told a resident has joined. */
    async openConversation(_req: unknown, token: string, locale?: string): Promise<void> {
        await this.call('POST', '/conversations', token, locale ? { locale } : undefined);
    }

    /** Sends a typed message and waits for the bot's first answer to it; the message's place in the conversation. */
    async sendText(_req: unknown, conversationId: string, token: string, text: string, locale?: string,
        user?: string): Promise<number> {
        const resident = user ?? LEGACY_RESIDENT;
        const sent = await this.call('POST', `/conversations/${encodeURIComponent(conversationId)}/activities`, token, {
            type: 'message', text, ...(locale ? { locale } : {}), from: { id: resident },
        }) as { id?: unknown };
        const id = typeof sent.id === 'string' ? sent.id : '';
        const seq = seqOf({ id });
        for (let waited = 0; waited < REPLY_WAIT_MS; waited += REPLY_POLL_MS) {
            const page = await this.page(conversationId, token, seq);
            if (page.activities.some((a) => a.replyToId === id && a.from?.id !== resident)) break;
            await this.sleep(REPLY_POLL_MS);
        }
        return seq;
    }

    /**
     * Every activity the conversation keeps, oldest first (GET activities, page by page), each marked as the
     * resident's or the bot's by who sent it, whatever Direct Line said of it.
     */
    async conversationSoFar(conversationId: string, token: string, user?: string): Promise<DirectLineEntry[]> {
        const resident = user ?? LEGACY_RESIDENT;
        const all: DirectLineEntry[] = [];
        let watermark: string | undefined;
        while (all.length < MAX_ACTIVITIES) {
            const page = await this.page(conversationId, token, watermark);
            for (const activity of page.activities) {
                const from = activity.from && typeof activity.from === 'object' ? activity.from : {};
                const role = from.id === resident ? 'user' : 'bot';
                all.push({ seq: seqOf(activity), activity: { ...activity, from: { ...from, role } } });
            }
            if (!page.activities.length || page.watermark === undefined || page.watermark === watermark) break;
            watermark = page.watermark;
        }
        return all;
    }

    private async page(conversationId: string, token: string, watermark?: string | number)
        : Promise<{ activities: (Record<string, unknown> & { replyToId?: unknown; from?: { id?: unknown } })[];
            watermark?: string }> {
        const query = watermark === undefined ? '' : `?watermark=${encodeURIComponent(String(watermark))}`;
        const body = await this.call('GET', `/conversations/${encodeURIComponent(conversationId)}/activities${query}`,
            token) as { activities?: unknown; watermark?: unknown };
        const activities = Array.isArray(body.activities)
            ? body.activities.filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null) : [];
        return { activities, watermark: typeof body.watermark === 'string' ? body.watermark : undefined };
    }

    /** One REST call; a refusal becomes a DirectLineError with Direct Line's status and code. */
    private async call(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<unknown> {
        let res: Response;
        try {
            res = await this.doFetch(`${base(this.azure)}${path}`, {
                method,
                headers: {
                    Authorization: `Bearer ${token}`,
                    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
                },
                ...(body === undefined ? (method === 'POST' ? { body: '' } : {}) : { body: JSON.stringify(body) }),
                signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
            });
        } catch (err) {
            throw unavailable(err);
        }
        if (res.ok) return res.status === 204 ? {} : await res.json().catch(() => ({}));
        const error = await res.json().catch(() => ({})) as { error?: { code?: unknown; message?: unknown } };
        const retry = Number(res.headers.get('retry-after'));
        throw new DirectLineError(res.status, typeof error.error?.code === 'string' ? error.error.code : 'ServiceError',
            typeof error.error?.message === 'string' ? error.error.message : 'Direct Line refused the request.',
            Number.isFinite(retry) && retry > 0 ? retry : undefined);
    }
}

/** Never a resident id Signpost makes (they start "dl_"): for a cookie written before the id was kept. */
const LEGACY_RESIDENT = 'resident';

/** Direct Line could not be reached: the page says the message was not sent (503). */
function unavailable(err: unknown): DirectLineError {
    if (err instanceof DirectLineError) return err;
    return new DirectLineError(503, 'ServiceUnavailable', 'Direct Line is not available just now.');
}
