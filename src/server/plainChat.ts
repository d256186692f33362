/**
 * The website chat without JavaScript (issue 19): a plain HTML form conversation at /chat, for a phone whose
 * browser has scripts off or whose scripts failed, built as GOV.UK services are (progressive enhancement, not a
 * blank page). Each message is a form POST; the answer is a redirect to GET /chat (post-redirect-get), which shows
 * the conversation so far, the bot's choices as numbered buttons that post the choice, and the box, with the focus
 * on the newest message through the address's #anchor.
 *
 * It is the same bot through the same Direct Line as the scripted page: the conversation is opened, written and read
 * through the self-hosted Direct Line endpoint in this process (or, in Azure mode, Azure's Direct Line from the
 * server: azureDirectLine.ts), with its checks, its limits on length and
 * rate, and its token (kept in an HttpOnly, SameSite=Strict cookie, Secure over https, refreshed as the chat goes on;
 * never in the page). Every form carries the conversation's own CSRF token in a hidden field, which must match the
 * one in the cookie; the first message, before there is a cookie, is refused when the browser says it came from
 * another site. A message that could not be sent is shown again in the box with a sentence that says why. Pages are
 * `Cache-Control: no-store`, and their Content-Security-Policy allows no script at all (security.ts).
 *
 * Nothing a resident types is logged here: log lines carry event names and status codes only.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { CHAT_FORGOTTEN_EVENT, DirectLineError } from '../channels/directline/endpoint';
import { liveChatMark } from '../handoff/relay';
import { BASE_LOCALE, type Wording } from '../knowledge/wording';
import { forwardedValue } from '../forwarded';
import { errorKind, type Logger } from '../log';
import { escapeHtml as e, exitHint, markdownToHtml, safeHref, VIEWPORT } from './html';
import { languageTag, PAGE_LANGUAGE_FIELD, pageLocale } from './pageLanguage';

/** The page that works without JavaScript; the first page's form posts here too. */
export const PLAIN_CHAT_ROUTE = '/chat';
/** The quick exit without JavaScript: forgets the chat's cookie, then leaves for the neutral site. */
export const PLAIN_EXIT_ROUTE = '/chat/exit';
/** The cookie holding the conversation: its id, its Direct Line token and its CSRF token. */
export const PLAIN_CHAT_COOKIE = 'signpost_chat';

/**
 * The Direct Line the page talks through: the self-hosted endpoint in this process (DirectLineEndpoint), or Azure's
 * over its REST API (AzurePlainLine, azureDirectLine.ts). A refusal throws a DirectLineError either way.
 */
export interface PlainChatLine {
    /** A token for a new conversation, and the resident id it is bound to when the line needs it kept (Azure). */
    issueToken(): Grant | Promise<Grant>;
    /** A fresh token for the conversation a token opens; undefined when it has ended. */
    refreshToken(token: string): Promise<{ conversationId: string; token: string } | undefined>;
    /** Opens the token's conversation: the bot says hello. */
    openConversation(req: restify.Request, token: string, locale?: string): Promise<void>;
    /** Sends a typed message, once the bot has answered it; the message's place in the conversation. */
    sendText(req: restify.Request, conversationId: string, token: string, text: string, locale?: string,
        user?: string): Promise<number>;
    /** Every activity the conversation keeps, oldest first, each with from.role 'user' or 'bot'. */
    conversationSoFar(conversationId: string, token: string, user?: string)
        : Promise<{ seq: number; activity: Record<string, unknown> }[]>;
}

/** A new conversation's token; `user` is the resident id a line needs given back with each call (Azure's). */
type Grant = { conversationId: string; token: string; user?: string };

/** A resident id as this server makes them. */
const RESIDENT_ID = /^dl_[A-Za-z0-9_-]{1,64}$/;

/** What the page without JavaScript needs. */
export interface PlainChatParts {
    wording: Wording;
    serviceName: string;
    stateDays: number;
    directLine: PlainChatLine;
    quickExitUrl: string;
    /** The page's styles (a hashed /static/ address). */
    styleUrl: string;
    /** This server's public address; an https one makes the cookie Secure. */
    publicUrl?: string;
    /** How many proxies in front may be believed about X-Forwarded-Proto (SIGNPOST_TRUST_PROXY). */
    trustProxy?: number;
}

/** The conversation a browser holds: kept only in its cookie. */
interface Held {
    conversationId: string;
    token: string;
    csrf: string;
    /** The page's language (pageLanguage.ts): the page and the bot speak it. English when absent. */
    locale?: string;
    /** The resident id the token is bound to, when the line needs it (Azure mode). */
    user?: string;
}

/** Why a message was not sent, as the page says it. */
type Problem = 'notSent' | 'notShown' | 'tooMany' | 'tooLongToSend' | 'outOfDate' | 'typeFirst' | 'ended';

const HTML = 'text/html; charset=utf-8';
const FIELD_MAX = 100_000;

/** Adds GET and POST /chat and the quick exit without JavaScript. */
export function mountPlainChat(server: restify.Server, parts: PlainChatParts, log: Logger): void {
    server.get(PLAIN_CHAT_ROUTE, async (req, res) => {
        const held = readCookie(req, parts);
        if (!held) {
            const locale = pageLocale(parts.wording, null, req.header('accept-language'));
            sendPage(res, 200, renderPage(parts, { entries: [], locale }));
            return;
        }
        try {
            const fresh = await refreshed(parts, held);
            const entries = await parts.directLine.conversationSoFar(fresh.conversationId, fresh.token, fresh.user);
            // After "delete my data" the chat is forgotten here too: the next message starts a new one.
            const forgotten = entries.at(-1)?.activity.name === CHAT_FORGOTTEN_EVENT;
            setCookie(req, res, parts, forgotten ? undefined : fresh);
            sendPage(res, 200, renderPage(parts, { entries, csrf: forgotten ? undefined : fresh.csrf,
                locale: held.locale }));
        } catch (err) {
            const problem = problemOf(err, log);
            if (problem === 'ended') setCookie(req, res, parts, undefined);
            retryAfter(res, err);
            const shown = problem === 'ended' ? problem : 'notShown';
            sendPage(res, problem === 'ended' ? 200 : statusOf(err),
                renderPage(parts, { entries: [], problem: shown, csrf: problem === 'ended' ? undefined : held.csrf,
                    locale: held.locale }));
        }
    });

    server.post(PLAIN_CHAT_ROUTE, async (req, res) => {
        const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
        const text = (form.get('text') ?? '').slice(0, FIELD_MAX);
        const held = readCookie(req, parts);
        // The chat's language: the one it started in, else the first page's (its hidden field), else the browser's.
        const locale = held?.locale
            ?? pageLocale(parts.wording, form.get(PAGE_LANGUAGE_FIELD), req.header('accept-language'));
        const again = (status: number, problem: Problem, entries: Entry[] = [], csrf?: string): void =>
            sendPage(res, status, renderPage(parts, { entries, problem, typed: text, csrf, locale }));
        // Every post is checked, "Start a new chat" too: another site must not end a resident's chat.
        if (held ? !sameToken(form.get('csrf') ?? '', held.csrf) : fromAnotherSite(req, parts)) {
            log.warn('plainchat.refused', { reason: 'csrf' });
            again(403, 'outOfDate', held ? await soFar(parts, held) : [], held?.csrf);
            return;
        }
        if (form.get('action') === 'new') {
            setCookie(req, res, parts, undefined);
            redirect(res, PLAIN_CHAT_ROUTE);
            return;
        }
        if (!text.trim()) {
            again(400, 'typeFirst', held ? await soFar(parts, held) : [], held?.csrf);
            return;
        }
        let current = held;
        try {
            current = held ? await refreshed(parts, held) : await started(req, parts, locale);
            const seq = await parts.directLine.sendText(req, current.conversationId, current.token, text,
                languageTag(locale), current.user);
            setCookie(req, res, parts, current);
            // The bot's first answer, just after the message: the page opens there, and the focus goes to it.
            redirect(res, `${PLAIN_CHAT_ROUTE}#m${seq + 1}`);
        } catch (err) {
            const problem = problemOf(err, log);
            if (problem === 'ended') {
                setCookie(req, res, parts, undefined);
                again(200, 'ended');
                return;
            }
            if (current) setCookie(req, res, parts, current);
            retryAfter(res, err);
            again(statusOf(err), problem, current ? await soFar(parts, current) : [], current?.csrf);
        }
    });

    server.get(PLAIN_EXIT_ROUTE, async (req, res) => {
        setCookie(req, res, parts, undefined);
        res.header('Cache-Control', 'no-store');
        res.header('Location', parts.quickExitUrl);
        res.send(303);
    });
}

type Entry = { seq: number; activity: Record<string, unknown> };

/** A new conversation: a token for it, opened on the endpoint (the bot's welcome is its first message). */
async function started(req: restify.Request, parts: PlainChatParts, locale: string): Promise<Held> {
    const grant = await parts.directLine.issueToken();
    await parts.directLine.openConversation(req, grant.token, languageTag(locale));
    return { conversationId: grant.conversationId, token: grant.token, csrf: randomBytes(24).toString('base64url'),
        ...(locale !== BASE_LOCALE ? { locale } : {}), ...(grant.user ? { user: grant.user } : {}) };
}

/** The held conversation with a fresh token, so a chat that goes on never expires; throws when it has ended. */
async function refreshed(parts: PlainChatParts, held: Held): Promise<Held> {
    const grant = await parts.directLine.refreshToken(held.token);
    if (!grant || grant.conversationId !== held.conversationId) {
        throw new DirectLineError(403, 'TokenExpired', 'This chat has ended.');
    }
    return { ...held, token: grant.token };
}

/** The conversation so far for a page showing a problem; nothing when even that cannot be read. */
async function soFar(parts: PlainChatParts, held: Held): Promise<Entry[]> {
    try {
        return await parts.directLine.conversationSoFar(held.conversationId, held.token, held.user);
    } catch {
        return [];
    }
}

/** What the page says of a failure; an unexpected one is logged by its kind only. */
function problemOf(err: unknown, log: Logger): Problem {
    if (err instanceof DirectLineError) {
        log.warn('plainchat.refused', { status: err.status, code: err.code });
        if (err.status === 429) return 'tooMany';
        if (err.status === 413) return 'tooLongToSend';
        if (err.status === 403 || err.status === 404 || err.status === 401) return 'ended';
        return 'notSent';
    }
    log.error('plainchat.failed', { error: errorKind(err) });
    return 'notSent';
}

/** Says when to ask again, when the endpoint said so (over its limit on requests). */
function retryAfter(res: restify.Response, err: unknown): void {
    if (err instanceof DirectLineError && err.retryAfterSeconds !== undefined) {
        res.header('Retry-After', String(err.retryAfterSeconds));
    }
}

function statusOf(err: unknown): number {
    return err instanceof DirectLineError ? err.status : 503;
}

/**
 * True when the browser says the form was sent from another site: Sec-Fetch-Site (every current browser), else an
 * Origin that is not this server's (its public address, the Host it was asked for, or a trusted proxy's forwarded
 * host). Browsers too old to say either are let through: the cookie is SameSite=Strict, so another site can at most
 * start a new chat, never write into the resident's.
 */
function fromAnotherSite(req: restify.Request, parts: PlainChatParts): boolean {
    const site = req.header('sec-fetch-site');
    if (site) return site !== 'same-origin' && site !== 'none';
    const origin = req.header('origin');
    if (!origin || origin === 'null') return false;
    let host: string;
    try {
        host = new URL(origin).host;
    } catch {
        return true;
    }
    const ours = [req.header('host'), forwardedValue(req, 'x-forwarded-host', parts.trustProxy ?? 0)];
    if (parts.publicUrl) ours.push(new URL(parts.publicUrl).host);
    return !ours.includes(host);
}

function sameToken(given: string, expected: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(req: restify.Request, parts: PlainChatParts): Held | undefined {
    const header = req.header('cookie') ?? '';
    const m = new RegExp(`(?:^|;\\s*)${PLAIN_CHAT_COOKIE}=([A-Za-z0-9_-]{1,6000})`).exec(header);
    if (!m) return undefined;
    try {
        const held = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as Partial<Held>;
        if (typeof held.conversationId === 'string' && typeof held.token === 'string'
            && typeof held.csrf === 'string' && held.csrf.length >= 16) {
            // A language this server does not speak (an old cookie, a changed knowledge folder): English.
            const locale = typeof held.locale === 'string' && held.locale !== BASE_LOCALE
                && parts.wording.has(held.locale) ? held.locale : undefined;
            const user = typeof held.user === 'string' && RESIDENT_ID.test(held.user) ? held.user : undefined;
            return { conversationId: held.conversationId, token: held.token, csrf: held.csrf,
                ...(locale ? { locale } : {}), ...(user ? { user } : {}) };
        }
    } catch {
        // A cookie this server did not write: as if there were none.
    }
    return undefined;
}

/** Sets the conversation's cookie, or clears it (undefined). A session cookie: it goes when the browser closes. */
function setCookie(req: restify.Request, res: restify.Response, parts: PlainChatParts, held: Held | undefined): void {
    const value = held ? Buffer.from(JSON.stringify(held), 'utf8').toString('base64url') : '';
    const secure = isHttps(req, parts) ? '; Secure' : '';
    const expiry = held ? '' : '; Max-Age=0';
    res.header('Set-Cookie', `${PLAIN_CHAT_COOKIE}=${value}; Path=${PLAIN_CHAT_ROUTE}; HttpOnly; SameSite=Strict`
        + `${secure}${expiry}`);
}

function isHttps(req: restify.Request, parts: PlainChatParts): boolean {
    if (parts.publicUrl?.startsWith('https:')) return true;
    return (forwardedValue(req, 'x-forwarded-proto', parts.trustProxy ?? 0) ?? (req.isSecure() ? 'https' : 'http'))
        === 'https';
}

function redirect(res: restify.Response, location: string): void {
    res.header('Cache-Control', 'no-store');
    res.header('Location', location);
    res.send(303);
}

function sendPage(res: restify.Response, status: number, html: string): void {
    res.header('Cache-Control', 'no-store');
    res.header('Content-Type', HTML);
    res.sendRaw(status, html);
}

/** What one page shows. */
interface PageState {
    entries: Entry[];
    /** The page's language (pageLanguage.ts); English when absent. */
    locale?: string;
    problem?: Problem;
    /** What the resident typed, when it was not sent: back in the box. */
    typed?: string;
    /** The conversation's CSRF token; none before the chat starts. */
    csrf?: string;
}

/** One stored activity as the page shows it; undefined for what is not shown (events, typing, the bot's traces). */
function messageHtml(entry: Entry, parts: PlainChatParts, last: boolean, csrf: string | undefined): string | undefined {
    const a = entry.activity as {
        type?: string; text?: string; from?: { role?: string }; attachments?: { content?: unknown }[];
        suggestedActions?: { actions?: { title?: string; value?: unknown }[] };
    };
    if (a.type !== 'message') return undefined;
    const { wording, serviceName } = parts;
    const fromBot = a.from?.role === 'bot';
    // A connector's words: named, in a bubble of their own, as on the page with JavaScript.
    const mark = fromBot ? liveChatMark(entry.activity) : undefined;
    const connector = mark?.role === 'connector' ? mark.connector : undefined;
    const who = connector !== undefined ? wording.page('connectorSaid', { name: connector })
        : fromBot ? wording.page('botSaid', { serviceName }) : wording.page('youSaid');
    const body: string[] = [];
    if (typeof a.text === 'string' && a.text) {
        body.push(fromBot ? markdownToHtml(a.text) : `<p>${e(a.text)}</p>`);
    }
    for (const attachment of a.attachments ?? []) body.push(cardHtml(attachment.content, parts, csrf, a.text));
    if (!body.length) return undefined;
    const choices = last && fromBot ? (a.suggestedActions?.actions ?? []) : [];
    const choiceForm = choices.length && csrf ? choicesHtml(choices.map((c) => ({
        label: String(c.title ?? c.value ?? ''), value: String(c.value ?? c.title ?? ''),
    })), parts, csrf) : '';
    const side = connector !== undefined ? 'shell-from-bot shell-from-connector'
        : fromBot ? 'shell-from-bot' : 'shell-from-resident';
    const heading = connector !== undefined ? `<h3 class="shell-who">${e(who)}</h3>`
        : `<h3 class="visually-hidden">${e(who)}</h3>`;
    return `<li id="m${entry.seq}" tabindex="-1" class="shell-message ${side}">`
        + `${heading}${body.join('')}</li>${choiceForm}`;
}

/** The bot's choices: numbered buttons, each posting its choice as if typed. */
function choicesHtml(choices: { label: string; value: string }[], parts: PlainChatParts, csrf: string): string {
    const buttons = choices.map((c, i) => `<li><button type="submit" name="text" value="${e(c.value)}" `
        + `class="plain-choice">${i + 1}. ${e(c.label)}</button></li>`).join('');
    return `<li class="plain-choices"><form method="post" action="${PLAIN_CHAT_ROUTE}">`
        + `<input type="hidden" name="csrf" value="${e(csrf)}">`
        + `<p id="choices-label">${e(parts.wording.page('choices'))}</p>`
        + `<ul aria-labelledby="choices-label">${buttons}</ul></form></li>`;
}

type CardElement = { type?: string; text?: string; style?: string; title?: string; url?: string; data?: unknown };

/** The words of a message as a person reads them: markdown links as their label, spaces and line breaks as one. */
function wordsOf(text: string): string {
    return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
}

/** An Adaptive Card as plain HTML: its text blocks, its links (call, website, e-mail), its send-back buttons. */
function cardHtml(content: unknown, parts: PlainChatParts, csrf: string | undefined, messageText?: string): string {
    const card = (content ?? {}) as { body?: CardElement[]; actions?: CardElement[]; fallbackText?: string };
    const blocks = (card.body ?? []).filter((b) => b.type === 'TextBlock' && typeof b.text === 'string');
    const text = blocks.map((b) => b.style === 'heading'
        ? `<h4>${e(String(b.text))}</h4>` : markdownToHtml(String(b.text))).join('');
    const links: string[] = [];
    const sends: { label: string; value: string }[] = [];
    for (const action of card.actions ?? []) {
        const title = String(action.title ?? '');
        if (action.type === 'Action.OpenUrl' && typeof action.url === 'string') {
            const href = safeHref(action.url);
            if (href) links.push(`<li><a href="${e(href)}">${e(title)}</a></li>`);
        } else if (action.type === 'Action.Submit') {
            const data = action.data as { cardAction?: { value?: unknown } } | undefined;
            const value = data?.cardAction?.value;
            if (typeof value === 'string') sends.push({ label: title, value });
        }
    }
    // A card with no text blocks (choices, crisis call buttons) says itself through its fallback text, unless the
    // message above already says it (the crisis routes: said once, then their call links).
    const fallback = card.fallbackText ?? '';
    const shown = text || (blocks.length || wordsOf(fallback) === wordsOf(messageText ?? '') ? ''
        : markdownToHtml(fallback));
    const linkList = links.length ? `<ul class="plain-links">${links.join('')}</ul>` : '';
    const sendForm = sends.length && csrf
        ? `<form method="post" action="${PLAIN_CHAT_ROUTE}" class="plain-card-actions">`
        + `<input type="hidden" name="csrf" value="${e(csrf)}">`
        + sends.map((s) => `<button type="submit" name="text" value="${e(s.value)}" class="plain-choice">`
            + `${e(s.label)}</button>`).join('') + '</form>' : '';
    return `<div class="plain-card">${shown}${linkList}${sendForm}</div>`;
}

/** The connector who has the chat now (their first name), from the bot's last live chat mark; none after they left. */
function chattingWith(entries: Entry[]): string | undefined {
    for (let i = entries.length - 1; i >= 0; i--) {
        const activity = entries[i]!.activity as { from?: { role?: string } };
        const mark = activity.from?.role === 'bot' ? liveChatMark(entries[i]!.activity) : undefined;
        if (mark) return mark.relay === 'ended' ? undefined : mark.connector;
    }
    return undefined;
}

function renderPage(all: PlainChatParts, state: PageState): string {
    // Every sentence on the page in its language (a Welsh page's chat is in Welsh); English when none is given.
    const locale = state.locale ?? BASE_LOCALE;
    const parts: PlainChatParts = { ...all, wording: all.wording.in(locale) };
    const { wording, serviceName, stateDays } = parts;
    const { entries, problem, typed, csrf } = state;
    const lastMessage = [...entries].reverse().find((x) => x.activity.type === 'message');
    const items = entries.map((entry) => messageHtml(entry, parts, entry === lastMessage, csrf)).filter(Boolean);
    // While a connector has the chat the footer says so; before and after, it says the bot is a computer program.
    const holder = chattingWith(entries);
    const footer = holder !== undefined ? wording.page('chattingWith', { name: holder })
        : wording.text('pagePrivacy', { serviceName, stateDays });
    // Before the chat starts (or after it ended), the bot's welcome is shown as the first page shows it.
    const welcome = wording.text('welcome', { serviceName, stateDays }).split('\n').map((l) => `<p>${e(l)}</p>`)
        .join('');
    const log = items.length ? items.join('')
        : `<li class="shell-message shell-from-bot"><h3 class="visually-hidden">`
            + `${e(wording.page('botSaid', { serviceName }))}</h3>${welcome}</li>`;
    // The box is described by the problem that kept its words in it.
    const described = problem && problem !== 'ended' ? ' aria-describedby="problem"' : '';
    const csrfField = csrf ? `<input type="hidden" name="csrf" value="${e(csrf)}">` : '';
    const problemText = problem === 'ended'
        ? `<p>${e(wording.page('ended'))}</p><p>${e(wording.page('endedAgain'))}</p>`
        : problem ? `<p>${e(wording.page(problem))}</p>` : '';
    const alert = problem ? `<div class="plain-problem" id="problem" role="alert" tabindex="-1">`
        + `<h2>${e(wording.page('problem'))}</h2>${problemText}</div>` : '';
    const startNew = csrf ? `<form method="post" action="${PLAIN_CHAT_ROUTE}" class="plain-new">`
        + `<input type="hidden" name="action" value="new">${csrfField}`
        + `<button type="submit" class="plain-secondary">${e(wording.page('startNew'))}</button></form>` : '';
    return `<!doctype html>
<html lang="${languageTag(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="${VIEWPORT}">
<title>${e(serviceName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${e(parts.styleUrl)}">
</head>
<body class="page plain">
<header class="top">
<a href="${PLAIN_EXIT_ROUTE}" target="_top" id="quick-exit" class="quick-exit" aria-describedby="quick-exit-hint">`
        + `${e(wording.text('pageQuickExit'))}</a>
<div class="brand">
<h1>${e(serviceName)}</h1>
<p class="intro">${e(wording.text('pageIntro'))}</p>
</div>
<form method="post" action="${PLAIN_CHAT_ROUTE}" class="person-form">${csrfField}
<button type="submit" name="text" value="${e(wording.button('talkToPerson'))}" id="talk-to-person" class="person">`
        + `${e(wording.button('talkToPerson'))}</button>
</form>
${exitHint(wording.page('exitHint'), wording.page('exitFold'))}
</header>
<main class="chat plain-chat" id="chat">
<h2 class="visually-hidden">${e(wording.page('conversation', { serviceName }))}</h2>
${alert}
<div class="shell-log plain-log"><ol class="plain-messages">${log}</ol></div>
<form method="post" action="${PLAIN_CHAT_ROUTE}" class="shell-form" id="shell-form">${csrfField}
<label for="shell-input" class="visually-hidden">${e(wording.text('pageMessageLabel'))}</label>
<input id="shell-input" name="text" type="text" autocomplete="off" value="${e(typed ?? '')}" `
        + `placeholder="${e(wording.text('pageMessageLabel'))}"${described}>
<button type="submit" class="shell-send">${e(wording.text('pageSend'))}</button>
</form>
${startNew}
</main>
<footer class="bottom">
<p id="privacy" class="privacy">${e(footer)}</p>
</footer>
</body>
</html>
`;
}
