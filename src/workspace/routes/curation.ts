/**
 * The curation queue (curators and leads): listings residents reported, listings past their check date and
 * listings the importer's review flags, and a curator's action on one (fixed, checked, hidden, shown again). Every
 * action is kept with the listing in the store (an audit line with the account id and the action) and logged by
 * ids only; it applies on this instance at once and on the others at their next poll.
 */
import { curationQueue, decideListing, QUEUE_LIMIT } from '../curation';
import { curationBody, curationQuery } from '../schemas';
import { CURATORS, Failure, ok, signedIn, type Route, type WorkspaceContext } from './route';

function noCuration(): Failure {
    return new Failure(503, 'CurationUnavailable', 'The curation queue is not available on this server.');
}

/** Today as YYYY-MM-DD in London, where the council is: a check at 00:30 BST is that day's. */
export function londonDay(now: Date): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit',
        day: '2-digit' }).format(now);
}

function partsOf(ctx: WorkspaceContext) {
    return ctx.curation ?? noCuration();
}

/** The curation routes. */
export const curationRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/curation', roles: CURATORS, query: curationQuery,
        doc: {
            summary: 'The curation queue (curators and leads): listings residents reported (counts and dates, never '
                + 'who), listings past their check date, and listings the importer\'s review flags, with any '
                + 'curator\'s decision on each and whether the feed has changed the record since (lapsed)',
            ok: 'The listings, the most reported first, then the longest since checked',
            more: { 503: 'The curation queue is not available on this server' },
        },
        handler: async (ctx, { query }) => {
            const parts = partsOf(ctx);
            if (parts instanceof Failure) return parts;
            const queue = await curationQueue(parts, londonDay(ctx.now()), {
                ...(query.reason ? { reason: query.reason } : {}), offset: query.offset,
                limit: Math.min(query.limit, QUEUE_LIMIT),
            });
            return ok(queue);
        },
    }),
    signedIn({
        method: 'post', path: '/curation/:id', roles: CURATORS, body: curationBody,
        doc: {
            summary: 'Act on a listing (curators and leads): mark its reports fixed (those up to reportsUpTo, the last '
                + 'the curator saw), mark it checked today (the date '
                + 'residents are then told), hide it from suggestions or show it again; kept with the caller\'s id in '
                + 'its audit trail, and applied on every instance within SIGNPOST_CURATION_POLL_SECONDS',
            ok: 'Done; the listing\'s decision as it is now',
            more: { 404: 'No such listing', 503: 'The curation queue is not available on this server' },
        },
        handler: async (ctx, { params, body, caller }) => {
            const parts = partsOf(ctx);
            if (parts instanceof Failure) return parts;
            const id = String(params.id ?? '');
            const decided = id.length <= 100
                ? await decideListing(parts, id, body.action, caller.user.id, ctx.now(), londonDay(ctx.now()),
                    body.reportsUpTo)
                : undefined;
            if (!decided) return new Failure(404, 'NotFound', 'There is no listing with that id.');
            ctx.log.info('workspace.listing_decided', { listing: id, action: body.action, user: caller.user.id });
            return ok({ decision: decided });
        },
    }),
];
