/**
 * The HTTP server: Bot Framework activities on /api/messages (through botbuilder's CloudAdapter), a health check,
 * the website chat (page, token route) and, self-hosted, the Direct Line endpoint it talks to, and the connectors'
 * workspace (page and JSON API).
 */
// Before restify: it would warn DEP0111 at every start on Node 20 (quietWarnings.ts).
import './quietWarnings';
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from '../log';
import { errorKind, withCorrelation } from '../log';
import { readBody } from './body';
import { correlateRequests } from './correlation';
import { mountMetrics, type MetricsRoute } from './metrics';
import { mountOruk, type OrukSource } from './oruk';
import { bodyLimit, protect, type ServerProtection } from './security';
import { mountWebChat, type WebChatParts } from './webChat';
import { mountWorkspace, type WorkspaceParts } from '../workspace';

export interface ServerParts {
    adapter: CloudAdapter;
    bot: ActivityHandler;
    log: Logger;
    /** Reported by /healthz. */
    storeKind: string;
    /** The website chat; without it the server has /api/messages and /healthz only. */
    web?: WebChatParts;
    /** The connectors' workspace (page and API); without it there is no /workspace. */
    workspace?: WorkspaceParts;
    /** Prometheus metrics; /metrics exists only when they come with a token. */
    metrics?: MetricsRoute;
    /** Request limits, security headers, the proxy in front (src/server/security.ts); config defaults without it. */
    protection?: ServerProtection;
    /** The directory as an Open Referral UK API at /oruk (SIGNPOST_ORUK_API=on); without it there is no /oruk. */
    oruk?: OrukSource;
}

/** Builds the restify server with every route; the caller listens. */
export function createServer(parts: ServerParts): restify.Server {
    const { adapter, bot, log, storeKind, web, workspace, metrics, protection, oruk } = parts;
    const server = restify.createServer({ name: 'signpost', handleUncaughtExceptions: false });
    // JSON only (other bodies are 415, src/server/security.ts): restify's multipart parser would write uploads to
    // disk. A Bot Framework activity is a few kilobytes; the limit is SIGNPOST_LIMIT_BODY_KB, sent and unpacked.
    // Our own reader, not restify's: see src/server/body.ts.
    server.use(readBody({ maxBytes: bodyLimit(protection), log }));
    server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));
    correlateRequests(server);
    const guard = protect(server, { protection, log, azureDirectLine: web?.azure?.endpoint });

    server.post('/api/messages', guard.botActivity, async (req, res) => {
        try {
            await adapter.process(req, res, (context) => {
                // The bot runs the turn only for an authenticated activity: it keeps its conversation's count.
                guard.taken(req);
                return bot.run(context);
            });
        } catch (err) {
            log.error('http.messages_failed', { error: errorKind(err) });
            if (!res.headersSent) res.send(500, { error: 'The bot could not process this activity.' });
        }
    });

    server.get('/healthz', async (_req, res) => {
        res.send(200, { status: 'ok', store: storeKind });
    });

    if (web) {
        web.directLine?.mount(server);
        const proxy = protection ?? { publicUrl: undefined, trustProxy: undefined };
        mountWebChat(server, { publicUrl: proxy.publicUrl, trustProxy: proxy.trustProxy, ...web }, log);
    }

    if (workspace) mountWorkspace(server, workspace);
    if (metrics) mountMetrics(server, metrics, log);
    if (oruk) mountOruk(server, oruk);

    server.on('restifyError', (req, _res, err, callback) => {
        // Errors raised while the body is read (400, 413) arrive outside the request's async context.
        withCorrelation({ requestId: req.id() }, () => log.warn('http.error', {
            path: req.getPath(), status: (err as { statusCode?: number }).statusCode ?? 500,
        }));
        return callback();
    });
    return server;
}
