/** Signing in and out of the workspace, and who is signed in. */
import { signInBody } from '../schemas';
import { publicUser } from './common';
import { EVERYONE, Failure, ok, publicRoute, signedIn, type Route } from './route';

/** A lock's end as the message says it: hours and minutes, UTC. */
function timeOf(iso: string): string {
    return new Date(iso).toISOString().slice(11, 16) + ' UTC';
}

/** The session routes: sign in (no session needed), who am I, sign out. */
export const sessionRoutes: readonly Route[] = [
    publicRoute({
        method: 'post', path: '/session', roles: 'public', body: signInBody,
        doc: { summary: 'Sign in', ok: 'Signed in; sets the session cookie', more: {
            423: 'This e-mail is locked after repeated failures (the same for an e-mail with no account)',
            429: 'Too many failed sign-ins from this address (Retry-After says how long to wait)',
        } },
        handler: async (ctx, { body, address }) => {
            const result = await ctx.auth.signIn(body.email, body.password, address);
            if (!result.ok && result.reason === 'locked') {
                ctx.log.warn('workspace.signin_locked');
                return new Failure(423, 'Locked',
                    `Too many failed sign-ins. Try again after ${timeOf(result.until)}, or ask a lead to help.`,
                    { until: result.until });
            }
            if (!result.ok && result.reason === 'throttled') {
                ctx.log.warn('workspace.signin_throttled');
                const wait = Math.max(1, Math.ceil((Date.parse(result.until) - ctx.now().getTime()) / 1000));
                return new Failure(429, 'TooManyAttempts', 'Too many failed sign-ins from this network. '
                    + `Try again after ${timeOf(result.until)}, or ask a lead to help.`, { until: result.until },
                { 'Retry-After': String(wait) });
            }
            if (!result.ok) {
                ctx.log.warn('workspace.signin_failed');
                return new Failure(401, 'BadCredentials', 'That email and password do not match an account.');
            }
            ctx.log.info('workspace.signed_in', { user: result.user.id });
            return ok({ user: publicUser(result.user), csrfToken: result.session.csrfToken }, 200,
                { 'Set-Cookie': ctx.auth.cookie(result.token) });
        },
    }),
    signedIn({
        method: 'get', path: '/session', roles: EVERYONE,
        doc: { summary: 'Who is signed in, and the CSRF token', ok: 'The user' },
        handler: async (_ctx, { caller: { user, session } }) =>
            ok({ user: publicUser(user), csrfToken: session.csrfToken }),
    }),
    signedIn({
        method: 'del', path: '/session', roles: EVERYONE,
        doc: { summary: 'Sign out', ok: 'Signed out' },
        handler: async (ctx, { caller: { user, session } }) => {
            await ctx.auth.signOut(session);
            ctx.live?.signedOut(session.id);
            ctx.log.info('workspace.signed_out', { user: user.id });
            return ok({ signedOut: true }, 200, { 'Set-Cookie': ctx.auth.clearCookie() });
        },
    }),
];
