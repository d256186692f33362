/**
 * The HTTP server: Bot Framework activities on /api/messages (through botbuilder's CloudAdapter) and a health
 * check. Web chat, Direct Line and the connectors' workspace are added here as they arrive.
 */
import restify from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { ActivityHandler } from 'botbuilder';
import type { Logger } from '../log';
import { errorKind } from '../log';

/** The largest request body accepted. A Bot Framework activity is a few kilobytes. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ServerParts {
    adapter: CloudAdapter;
    bot: ActivityHandler;
    log: Logger;
    /** Reported by /healthz. */
    storeKind: string;
}

export function createServer({ adapter, bot, log, storeKind }: ServerParts): restify.Server {
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

    server.on('restifyError', (req, _res, err, callback) => {
        log.warn('http.error', { path: req.getPath(), status: (err as { statusCode?: number }).statusCode ?? 500 });
        return callback();
    });
    return server;
}
