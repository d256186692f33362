/**
 * The directory from the workspace: search it as the bot does (same engine, filters and "why"), read a listing's
 * details, and send chosen listings to the resident in their chat, recorded on the request as suggested by whom.
 */
import { needsNamed } from '../needs';
import { directoryQuery, suggestionsBody } from '../schemas';
import { liveChatOf, notDelivered } from './chat';
import { unreachable, view } from './common';
import { ANYONE, EVERYONE, Failure, ok, signedIn, type Route, type WorkspaceContext } from './route';

function noDirectory(): Failure {
    return new Failure(503, 'DirectoryUnavailable', 'The directory is not available on this server.');
}

function directoryOf(ctx: WorkspaceContext) {
    return ctx.directory ?? noDirectory();
}

/** The directory routes. */
export const directoryRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/directory', roles: EVERYONE, query: directoryQuery,
        doc: {
            summary: 'Search the directory as the bot does: the same engine, filters and reasons ("why"), a page of '
                + 'listings in words, with the needs and place the search understood',
            ok: 'The listings', more: { 503: 'The directory is not available on this server' },
        },
        handler: async (ctx, { query }) => {
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const needs = query.need ? needsNamed(ctx.needs, query.need) : undefined;
            return ok(directory.search({
                text: query.text, needs, place: query.place, freeOnly: query.free === 'true',
                onlineOk: query.online === 'true', offset: query.offset, limit: query.limit,
            }));
        },
    }),
    signedIn({
        method: 'get', path: '/directory/:id', roles: EVERYONE,
        doc: {
            summary: 'One listing\'s details, as the bot gives them', ok: 'The details',
            more: { 404: 'No such listing', 503: 'The directory is not available on this server' },
        },
        handler: async (ctx, req) => {
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const item = directory.details(String(req.params.id ?? ''));
            return item ? ok({ listing: item }) : new Failure(404, 'NotFound', 'There is no listing with that id.');
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/suggestions', roles: ANYONE, body: suggestionsBody,
        doc: {
            summary: 'Send chosen listings to the resident in their chat (holder or lead), as a message from the '
                + 'caller; the request records what was suggested and by whom',
            ok: 'Sent', created: true,
            more: {
                404: 'No such reference, or none of the listings exists',
                409: 'Not claimed, closed, the resident cannot be reached, or not delivered (NotDelivered)',
                503: 'Live chat or the directory is not available on this server',
            },
        },
        handler: async (ctx, req) => {
            const { actor } = req.caller;
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const live = await liveChatOf(ctx, req, actor);
            if (live instanceof Failure) return live;
            // In the resident's language, as the request recorded it (Welsh, Polish); the listings stay as they are.
            const message = directory.suggestionText(req.body.ids, live.e.language?.code);
            if (!message) return new Failure(404, 'NotFound', 'None of those listings is in the directory.');
            const sent = await live.relay.send(live.e, { id: actor.id, name: actor.name }, message.text);
            if (sent === 'unreachable') return unreachable();
            if (sent === 'left' || sent === 'not-delivered') return notDelivered(sent);
            if (sent === 'not-live') {
                return new Failure(409, 'NotLive', 'This request changed just now. Please reload it.');
            }
            await ctx.escalations.appendAudit(live.e.reference,
                { at: ctx.now().toISOString(), actor: actor.id, action: 'suggested', detail: message.names.join('; ') });
            ctx.log.info('workspace.suggested', { escalation: live.e.id, user: actor.id, count: message.names.length });
            const after = (await ctx.escalations.getByReference(live.e.reference)) ?? live.e;
            return ok({ sent: true, suggested: message.names, escalation: view(after, ctx.now(), ctx) }, 201);
        },
    }),
];
