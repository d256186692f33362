/**
 * One id per HTTP request, sent back in `X-Request-Id` and written on every log line of that request (through
 * the logger's correlation ids), so a request's lines can be picked out of the interleaved log.
 */
import type restify from 'restify';
import { withCorrelation } from '../log';

/** The response header carrying the request's id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An id a proxy in front may have given the request is kept when it is a UUID or hex string (as nginx and most
 * gateways make them): anything else could carry words, so restify's own UUID is used instead.
 */
const UPSTREAM_ID = /^[0-9a-f-]{16,64}$/i;

/**
 * Gives every request its id and runs its handlers with it. Call it after the body parser is registered: the
 * parser reads the body in stream callbacks that lose the async context, so the id is set again after it.
 */
export function correlateRequests(server: restify.Server): void {
    server.pre((req, res, next) => {
        const upstream = req.header(REQUEST_ID_HEADER);
        if (upstream && UPSTREAM_ID.test(upstream)) {
            try {
                // restify's id(reqId) sets the id once; its typings only know the getter.
                (req.id as (reqId: string) => string).call(req, upstream);
            } catch {
                // Already set: keep the one the request has.
            }
        }
        res.setHeader(REQUEST_ID_HEADER, req.id());
        withCorrelation({ requestId: req.id() }, next);
    });
    server.use((req, _res, next) => withCorrelation({ requestId: req.id() }, next));
}
