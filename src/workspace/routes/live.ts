/** The live feed: new requests and residents' messages as server-sent events, so open pages need no reload. */
import { liveQuery } from '../schemas';
import { ANYONE, Failure, signedIn, type Route } from './route';

/** The live routes. */
export const liveRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/events', roles: ANYONE, query: liveQuery,
        doc: {
            summary: 'New requests and residents\' messages as they happen, as server-sent events: `request` and '
                + '`message` (data: kind and reference only; the page fetches the rest), `ready` on opening, `end` '
                + 'when the session ends (signed out or expired), heartbeat comments; resumes after Last-Event-ID',
            ok: 'The stream (text/event-stream), open until the session ends or the client goes', stream: true,
            more: {
                429: 'This session has too many live connections open (tabs); close one',
                503: 'This server has too many live connections open, or is stopping',
            },
        },
        handler: async (ctx, req) => {
            const { live } = ctx;
            const { session, user } = req.caller;
            const refused = live ? live.refusal(session.id) : 'instance-full';
            if (refused === 'session-full') {
                return new Failure(429, 'TooManyConnections',
                    'Live updates are already on in other tabs. Close one, then reload this page.');
            }
            if (refused || !live) {
                return new Failure(503, 'LiveUnavailable', 'Live updates are not available now. Reload to see new '
                    + 'requests.', {}, { 'Retry-After': '30' });
            }
            ctx.log.info('workspace.live_opened', { user: user.id, resumed: Boolean(req.lastEventId) });
            const from = req.lastEventId ?? req.query.lastEventId;
            return { stream: (sink) => live.open(session, sink, from) };
        },
    }),
];
