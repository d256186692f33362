/** The accounts, as a lead sees them, and ending an account's lock after failed sign-ins. */
import type { WorkspaceUser } from '../../storage/userStore';
import { emptyBody } from '../schemas';
import { publicUser } from './common';
import { Failure, LEADS, ok, signedIn, type Route, type WorkspaceContext } from './route';

/** An account as a lead sees it: with whether its e-mail is locked now, and until when. */
async function withLock(ctx: WorkspaceContext, u: WorkspaceUser) {
    const until = await ctx.auth.lockedUntil(u.email);
    return { ...publicUser(u), locked: until !== undefined, ...(until ? { lockedUntil: until } : {}) };
}

/** The account routes (leads only). */
export const userRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/users', roles: LEADS,
        doc: { summary: 'Accounts, for assigning, with whether each is locked (leads only)', ok: 'The accounts' },
        handler: async (ctx) => ok({ users: await Promise.all((await ctx.users.list()).map((u) => withLock(ctx, u))) }),
    }),
    signedIn({
        method: 'post', path: '/users/:id/unlock', roles: LEADS, body: emptyBody,
        doc: {
            summary: 'End an account\'s lock after failed sign-ins, now (leads only)',
            ok: 'Unlocked; the account as it is now', more: { 404: 'No such account' },
        },
        handler: async (ctx, { params, caller }) => {
            const id = String(params.id ?? '');
            const u = id.length <= 100 ? await ctx.users.get(id) : undefined;
            if (!u) return new Failure(404, 'NotFound', 'There is no account with that id.');
            const wasLocked = await ctx.auth.unlock(u.email);
            ctx.log.info('workspace.user_unlocked', { user: u.id, by: caller.user.id, hadFailures: wasLocked });
            return ok({ user: await withLock(ctx, u) });
        },
    }),
];
