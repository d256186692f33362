/**
 * The website chat: the page at `/` (the official Web Chat component, served from its package), its script and
 * styles (content-hashed, compressed once, kept by browsers for a year: staticAssets.ts), the embed script, and
 * the token route the page calls. On a slow phone the page shows the welcome and a plain form at once, from the
 * HTML and its one inline script (pageShell.ts); Web Chat takes over when it has loaded (chat.js). Self-hosted, the token opens a conversation on our
 * own Direct Line endpoint; in Azure mode the route exchanges the Direct Line secret for a short-lived token, so
 * the secret never reaches the browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import type { DirectLineEndpoint } from '../channels/directline/endpoint';
import { DEFAULT_QUICK_EXIT_URL } from '../config';
import { CHAT_FORGOTTEN_EVENT, DIRECT_LINE_BASE } from '../channels/directline/endpoint';
import { BASE_LOCALE, type Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import { projectRoot } from '../paths';
import { escapeHtml, exitHint, VIEWPORT } from './html';
import { shellScript } from './pageShell';
import { languageTag, PAGE_LANGUAGE_FIELD, pageLocale } from './pageLanguage';
import { AzurePlainLine, DirectLineServiceError, exchangeSecret, refreshAzure, type AzureDirectLine }
    from './azureDirectLine';
import { mountPlainChat, PLAIN_CHAT_ROUTE, PLAIN_EXIT_ROUTE } from './plainChat';
import { compressSmall, sendEncoded, StaticAssets, type StaticSource } from './staticAssets';

export type { AzureDirectLine, TokenGrant } from './azureDirectLine';

/** Where the page gets tokens. */
export const TOKEN_ROUTE = '/api/directline/token';

export interface WebChatParts {
    wording: Wording;
    serviceName: string;
    stateDays: number;
    /** Self-hosted mode: our own Direct Line endpoint. */
    directLine?: DirectLineEndpoint;
    /** Azure mode: the Direct Line channel of an Azure Bot. */
    azure?: AzureDirectLine;
    /** Where the quick exit leaves for (SIGNPOST_QUICK_EXIT_URL; default the config's). */
    quickExitUrl?: string;
    /** Where the compressed copies of the page's files are kept (default dist/static, see staticAssets.ts). */
    staticCacheDir?: string;
    /** This server's public address (an https one makes the page's cookie Secure); createServer sets it. */
    publicUrl?: string;
    /** How many proxies in front may be believed (SIGNPOST_TRUST_PROXY); createServer sets it. */
    trustProxy?: number;
}

/**
 * Adds the page, its assets, the embed script and the token route; returns the assets (their `ready` settles once
 * each is compressed, for tests and tools that must not measure a server still compressing). Their security headers (the page's
 * Content-Security-Policy, who may frame it) and the token route's per-address limit are set for every route in
 * src/server/security.ts.
 */
export function mountWebChat(server: restify.Server, parts: WebChatParts, log: Logger): StaticAssets {
    const domain = parts.azure ? parts.azure.endpoint.replace(/\/+$/, '') : DIRECT_LINE_BASE;
    const assets = new StaticAssets(webChatSources(), parts.staticCacheDir);
    assets.mount(server);
    // Rendered and compressed once per language: the page changes only with the settings and the wording, read at
    // start-up. One page per locale the bot converses in (knowledge/locales), English first.
    const pages = new Map(parts.wording.locales.map((l) => [l.code, {
        page: compressSmall(HTML, renderPage(parts, domain, assets, false, l.code)),
        embedded: compressSmall(HTML, renderPage(parts, domain, assets, true, l.code)),
    }]));
    server.get('/', async (req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const embedded = url.searchParams.has('embed');
        const locale = pageLocale(parts.wording, url.searchParams.get('lang'), req.header('accept-language'));
        const page = pages.get(locale) ?? (pages.get(BASE_LOCALE) as NonNullable<ReturnType<typeof pages.get>>);
        // no-store: the page holding a conversation never comes back from the cache (Back, a reload after a
        // quick exit); its files have hashed names and are kept for a year, so a repeat visit fetches this alone.
        // Which page depends on the Accept-Language header too.
        sendEncoded(req, res, embedded ? page.embedded : page.page, 'no-store', ['Accept-Language']);
    });
    const embedScript = compressSmall('text/javascript; charset=utf-8',
        fs.readFileSync(path.join(publicDir(), 'embed.js'), 'utf8')
            .replace('__SIGNPOST_EMBED__', jsonForScript({
                open: parts.wording.text('pageChatLabel', { serviceName: parts.serviceName }),
                close: parts.wording.text('pageCloseChat'),
            })));
    // Its address is in other sites' pages, so it cannot have a hashed name: browsers ask again each time (a 304).
    server.get('/embed.js', async (req, res) => sendEncoded(req, res, embedScript, 'no-cache'));

    server.post(TOKEN_ROUTE, async (_req, res) => {
        res.header('Cache-Control', 'no-store');
        try {
            if (parts.azure) {
                res.send(200, await exchangeSecret(parts.azure));
            } else if (parts.directLine) {
                res.send(200, parts.directLine.issueToken());
            } else {
                res.send(404, { error: { code: 'NotFound', message: 'The website chat is not switched on.' } });
            }
        } catch (err) {
            log.error('webchat.token_failed', { error: errorKind(err) });
            const message = 'The chat is not available just now. Please try again later.';
            res.send(502, { error: { code: 'ServiceError', message } });
        }
    });
    mountRefresh(server, parts, log);
    // The page without JavaScript, through the same Direct Line as the scripted page: the endpoint in this process
    // when self-hosted, Azure's REST API from the server in Azure mode (azureDirectLine.ts).
    const line = parts.directLine ?? (parts.azure ? new AzurePlainLine(parts.azure) : undefined);
    if (line) {
        mountPlainChat(server, {
            wording: parts.wording, serviceName: parts.serviceName, stateDays: parts.stateDays,
            directLine: line, quickExitUrl: parts.quickExitUrl ?? DEFAULT_QUICK_EXIT_URL,
            styleUrl: assets.url('chat.css'), publicUrl: parts.publicUrl, trustProxy: parts.trustProxy,
        }, log);
    }
    return assets;
}

const HTML = 'text/html; charset=utf-8';

function publicDir(): string {
    return path.join(projectRoot(), 'src/server/public');
}

/** The files the page loads, for StaticAssets: its script and styles, and the Web Chat bundle from its package. */
export function webChatSources(): StaticSource[] {
    return [
        { name: 'chat.css', file: path.join(publicDir(), 'chat.css'), type: 'text/css; charset=utf-8' },
        { name: 'chat.js', file: path.join(publicDir(), 'chat.js'), type: 'text/javascript; charset=utf-8' },
        {
            name: 'webchat.js',
            file: path.resolve(path.dirname(require.resolve('botframework-webchat')), '../dist/webchat.js'),
            type: 'text/javascript; charset=utf-8',
        },
    ];
}

/** Where a reloaded page refreshes the token of the conversation it kept, to carry on in it. */
export const TOKEN_REFRESH_ROUTE = '/api/directline/token/refresh';

/**
 * A fresh token for the conversation the page kept (its token in the Authorization header), or 404 when that
 * conversation cannot be carried on (token expired or forged, conversation gone): the page then starts a new one.
 */
function mountRefresh(server: restify.Server, parts: WebChatParts, log: Logger): void {
    server.post(TOKEN_REFRESH_ROUTE, async (req, res) => {
        res.header('Cache-Control', 'no-store');
        const m = /^Bearer\s+(\S{1,4000})$/i.exec(req.header('authorization') ?? '');
        // Returns nothing: restify logs whatever an async handler returns (a response would carry the token).
        const gone = (): void => {
            const message = 'That chat cannot be carried on. Please start a new one.';
            res.send(404, { error: { code: 'NotFound', message } });
        };
        if (!m) {
            gone();
            return;
        }
        try {
            const grant = parts.azure ? await refreshAzure(parts.azure, m[1])
                : parts.directLine ? await parts.directLine.refreshToken(m[1]) : undefined;
            if (!grant) {
                gone();
                return;
            }
            res.send(200, grant);
        } catch (err) {
            if (err instanceof DirectLineServiceError && err.status >= 400 && err.status < 500) {
                gone();
                return;
            }
            log.error('webchat.token_refresh_failed', { error: errorKind(err) });
            const message = 'The chat is not available just now. Please try again later.';
            res.send(502, { error: { code: 'ServiceError', message } });
        }
    });
}

function renderPage(parts: WebChatParts, domain: string, assets: StaticAssets, embedded: boolean, locale: string)
    : string {
    const { serviceName, stateDays } = parts;
    const wording = parts.wording.in(locale);
    const config = {
        tokenUrl: TOKEN_ROUTE,
        refreshUrl: TOKEN_REFRESH_ROUTE,
        forgottenEvent: CHAT_FORGOTTEN_EVENT,
        domain,
        // Sent with every message: the bot holds the conversation in this language (src/bot/languageChoice.ts).
        locale: languageTag(locale),
        talkToPerson: wording.button('talkToPerson'),
        error: wording.text('pageError'),
        quickExit: parts.quickExitUrl ?? DEFAULT_QUICK_EXIT_URL,
        simpler: parts.directLine || parts.azure ? parts.wording.page('simpler') : undefined,
        ended: wording.page('ended'),
        endedAgain: wording.page('endedAgain'),
        startNew: wording.page('startNew'),
        // The footer while a connector has the chat; the page puts their first name in (chat.js).
        chattingWith: wording.page('chattingWith', { name: '{name}' }),
        // The Shift key works only with the script, so the script says so (shell.js); the page says the rest.
        exitHint: wording.text('pageQuickExitHint'),
    };
    const e = escapeHtml;
    // Without JavaScript the forms post to the plain page (plainChat.ts), and the quick exit forgets its cookie on
    // the way out (in Azure mode too: the plain page talks to Azure's Direct Line from the server).
    const plain = Boolean(parts.directLine || parts.azure);
    // In another site's frame the plain page opens as the whole page: there its SameSite=Strict cookie is sent.
    const target = embedded ? ' target="_top"' : '';
    const formAction = plain ? ` method="post" action="${PLAIN_CHAT_ROUTE}"${target}` : '';
    const exitHref = plain ? PLAIN_EXIT_ROUTE : config.quickExit;
    // The page without JavaScript keeps this page's language (a Welsh page's chat is in Welsh).
    const langField = plain && locale !== BASE_LOCALE
        ? `<input type="hidden" name="${PAGE_LANGUAGE_FIELD}" value="${e(locale)}">` : '';
    // The bot's own welcome, shown at once; Web Chat shows the same message from the bot when it takes over.
    const welcome = wording.text('welcome', { serviceName, stateDays }).split('\n')
        .map((line) => `<p>${e(line)}</p>`).join('');
    return `<!doctype html>
<html lang="${languageTag(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="${VIEWPORT}">
<title>${e(serviceName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.url('chat.css')}">
<script src="${assets.url('chat.js')}" defer></script>
<script src="${assets.url('webchat.js')}" defer></script>
</head>
<body class="${embedded ? 'embedded' : 'page'}">
<header class="top">
<a href="${e(exitHref)}" target="_top" role="button" id="quick-exit" class="quick-exit" `
        + `aria-describedby="quick-exit-hint">`
        + `${e(wording.text('pageQuickExit'))}</a>
<div class="brand">
<h1>${e(serviceName)}</h1>
<p class="intro">${e(wording.text('pageIntro'))}</p>
</div>
<form${formAction} class="person-form">${langField}
<button type="submit" name="text" value="${e(wording.button('talkToPerson'))}" id="talk-to-person" class="person">`
        + `${e(wording.button('talkToPerson'))}</button>
</form>
${exitHint(wording.page('exitHint'), wording.page('exitFold'))}
</header>
<main class="chat" id="chat" aria-label="${e(wording.text('pageChatLabel', { serviceName }))}">
<p id="chat-status" class="status" role="status" hidden>${e(wording.text('pageLoading'))}</p>
<div id="shell" class="shell">
<div id="shell-log" class="shell-log" role="log">
<div class="shell-message shell-from-bot" dir="auto">${welcome}</div>
</div>
<form id="shell-form" class="shell-form"${formAction}>${langField}
<label for="shell-input" class="visually-hidden">${e(wording.text('pageMessageLabel'))}</label>
<input id="shell-input" name="text" type="text" autocomplete="off" placeholder="${e(wording.text('pageMessageLabel'))}">
<button type="submit" class="shell-send">${e(wording.text('pageSend'))}</button>
</form>
</div>
<div id="webchat" class="webchat webchat-loading"></div>
</main>
<footer class="bottom">
<p id="privacy" class="privacy">${e(wording.text('pagePrivacy', { serviceName, stateDays }))}</p>
</footer>
<script type="application/json" id="signpost-config">${jsonForScript(config)}</script>
<script>${shellScript()}</script>
</body>
</html>
`;
}

/** JSON safe inside a <script> element or a script file: no "</script>", no HTML comment openers. */
function jsonForScript(value: unknown): string {
    return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
