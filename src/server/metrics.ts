/**
 * `GET /metrics` in Prometheus text format, for a scraper holding the metrics token. Without a token configured
 * the route does not exist (404), so metrics are off unless someone chose to serve them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { Registry } from 'prom-client';
import { errorKind, type Logger } from '../log';

export interface MetricsRoute {
    registry: Registry;
    /** The bearer token a scraper must send; without it there is no /metrics. */
    token?: string;
}

/** Mounts /metrics when a token is set. */
export function mountMetrics(server: restify.Server, { registry, token }: MetricsRoute, log: Logger): void {
    if (!token) return;
    const expected = digest(token);
    server.get('/metrics', async (req, res) => {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '')?.[1];
        // Hashing both sides first gives equal lengths, so the comparison takes the same time whatever was sent.
        if (!given || !timingSafeEqual(digest(given), expected)) {
            log.warn('metrics.unauthorised', { tokenSent: Boolean(given) });
            res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
            res.send(401, { error: 'The metrics need a valid token: Authorization: Bearer <token>.' });
            return;
        }
        let body: string;
        try {
            body = await registry.metrics();
        } catch (err) {
            log.error('metrics.scrape_failed', { error: errorKind(err) });
            res.send(500, { error: 'The metrics could not be read.' });
            return;
        }
        res.sendRaw(200, body, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
    });
}

function digest(text: string): Buffer {
    return createHash('sha256').update(text, 'utf8').digest();
}
