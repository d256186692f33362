/**
 * Linking the signed-in account's Microsoft Teams, so Claim on a request's card in Teams claims as them: whether it
 * is linked, a one-time code to type into a chat with the bot in Teams ("link 12345678"), and removing the link.
 * The code is shown only here, to the account's own session, which is what makes typing it in Teams a proof.
 */
import { LINK_CODE_MINUTES } from '../../handoff/teamsLink';
import { emptyBody } from '../schemas';
import { ANYONE, Failure, ok, signedIn, type Route, type WorkspaceContext } from './route';
import type { TeamsLinking } from '../../handoff/teamsLink';

/** The linking service, or a 503 when this server was built without one. */
function linking(ctx: WorkspaceContext): TeamsLinking | Failure {
    return ctx.teamsLinking ?? new Failure(503, 'Unavailable', 'Linking Teams is not available on this server.');
}

/** The Teams link routes (any signed-in account, for itself only). */
export const teamsRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/teams/link', roles: ANYONE,
        doc: { summary: 'Whether your account is linked to a Teams user (so Claim works in Teams)', ok: 'The link' },
        handler: async (ctx, { caller }) => {
            const l = linking(ctx);
            if (l instanceof Failure) return l;
            const link = await l.linkOf(caller.user.id);
            return ok({ linked: Boolean(link), ...(link ? { linkedAt: link.linkedAt, via: link.via } : {}) });
        },
    }),
    signedIn({
        method: 'post', path: '/teams/link-code', roles: ANYONE, body: emptyBody,
        doc: {
            summary: `A one-time code to link your Teams: type "link" and the code to the bot in Teams within `
                + `${LINK_CODE_MINUTES} minutes. It works once; a new code replaces the last`,
            ok: 'The code and when it stops working', created: true,
            more: { 429: 'Too many codes made this hour (Retry-After says how long to wait)' },
        },
        handler: async (ctx, { caller }) => {
            const l = linking(ctx);
            if (l instanceof Failure) return l;
            const made = await l.newCode(caller.user.id);
            if ('refused' in made) {
                const seconds = Math.max(1, Math.ceil((Date.parse(made.retryAt) - ctx.now().getTime()) / 1000));
                return new Failure(429, 'TooManyCodes', 'Too many codes were made this hour. Please try again later.',
                    { retryAt: made.retryAt }, { 'Retry-After': String(seconds) });
            }
            return ok({ code: made.code, expiresAt: made.expiresAt, minutes: LINK_CODE_MINUTES }, 201);
        },
    }),
    signedIn({
        method: 'del', path: '/teams/link', roles: ANYONE,
        doc: { summary: 'Unlink your Teams (Claim in Teams stops working for you)', ok: 'Unlinked, or was not linked' },
        handler: async (ctx, { caller }) => {
            const l = linking(ctx);
            if (l instanceof Failure) return l;
            return ok({ unlinked: await l.unlink(caller.user.id) });
        },
    }),
];
