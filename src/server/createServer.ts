/**
 * The HTTP server: Bot Framework activities on /api/messages (through botbuilder's CloudAdapter), a health check,
 * the website chat (page, token route) and, self-hosted, the Direct Line endpoint it talks to, and the connectors'
 * workspace (page and JSON API).
 */
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from '../log';
import { errorKind } from '../log';
import { mountWebChat, type WebChatParts } from './webChat';
import { mountWorkspace, type WorkspaceParts } from '../workspace';

/** The largest request body accepted. A Bot Framework activity is a few kilobytes. */
export const MAX_BODY_BYTES = 256 * 1024;

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
}

/** Builds the restify server with every route; the caller listens. */
export function createServer({ adapter, bot, log, storeKind, web, workspace }: ServerParts): restify.Server {
    const server = restify.createServer({ name: 'signpost', handleUncaughtExceptions: false });
    server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

    server.post('/api/messages', async (req, res) => {
        try {
            await adapter.process(req, res, (context) => bot.run(context));
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
        mountWebChat(server, web, log);
    }

    if (workspace) mountWorkspace(server, workspace);

    server.on('restifyError', (req, _res, err, callback) => {
        log.warn('http.error', { path: req.getPath(), status: (err as { statusCode?: number }).statusCode ?? 500 });
        return callback();
    });
    return server;
}
