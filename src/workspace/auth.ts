/**
 * Workspace sign-in and sessions. A session is a random token in a secure, http-only, same-site cookie; the store
 * keeps only its hash, with a CSRF token that every change must echo in a header. Password sign-in is one way to
 * start a session: single sign-on (OpenID Connect) would call `startSession` for the user its provider vouches for,
 * and nothing else changes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionStore, UserStore, WorkspaceSession, WorkspaceUser } from '../storage/ports';
import { MAX_PASSWORD_LENGTH, decoyHash, verifyPassword } from './passwords';

/** The session cookie; scoped to the workspace so the resident-facing pages never receive it. */
export const SESSION_COOKIE = 'signpost_workspace';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthSettings {
    sessionHours: number;
    maxFailedSignIns: number;
    lockoutMinutes: number;
}

export type SignInResult =
    | { ok: true; user: WorkspaceUser; token: string; session: WorkspaceSession }
    | { ok: false; reason: 'bad-credentials' }
    | { ok: false; reason: 'locked'; until: string };

/** Hash of a session token: what the store keys sessions by. */
function tokenId(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
}

export class Auth {
    constructor(
        private readonly users: UserStore,
        private readonly sessions: SessionStore,
        readonly settings: AuthSettings,
        private readonly now: () => Date = () => new Date(),
    ) {}

    /**
     * Checks an email and password. Unknown emails cost the same hashing time as known ones, and the answer does
     * not say which was wrong. A locked account is refused without checking the password.
     */
    async signIn(email: string, password: string): Promise<SignInResult> {
        const user = await this.users.getByEmail(email.trim());
        const now = this.now();
        if (user?.lockedUntil && user.lockedUntil > now.toISOString()) {
            return { ok: false, reason: 'locked', until: user.lockedUntil };
        }
        const good = password.length <= MAX_PASSWORD_LENGTH
            && await verifyPassword(password, user?.passwordHash ?? await decoyHash());
        if (!user || !user.passwordHash || !good) {
            if (user) {
                const lockUntil = new Date(now.getTime() + this.settings.lockoutMinutes * 60_000).toISOString();
                const count = await this.users.recordFailedSignIn(user.id, this.settings.maxFailedSignIns, lockUntil);
                if (count.lockedUntil && count.lockedUntil > now.toISOString()) {
                    return { ok: false, reason: 'locked', until: count.lockedUntil };
                }
            }
            return { ok: false, reason: 'bad-credentials' };
        }
        await this.users.recordSignIn(user.id);
        return { ok: true, user, ...(await this.startSession(user)) };
    }

    /** Opens a session for a user someone has already vouched for (a password here, or an SSO provider). */
    async startSession(user: WorkspaceUser): Promise<{ token: string; session: WorkspaceSession }> {
        const token = randomBytes(32).toString('base64url');
        const now = this.now();
        const session: WorkspaceSession = {
            id: tokenId(token),
            userId: user.id,
            csrfToken: randomBytes(24).toString('base64url'),
            createdAt: now.toISOString(),
            expiresAt: new Date(now.getTime() + this.settings.sessionHours * 3_600_000).toISOString(),
        };
        await this.sessions.create(session);
        return { token, session };
    }

    /** The session and user for a cookie token, if the session is live and the account still exists. */
    async authenticate(
        token: string | undefined,
    ): Promise<{ user: WorkspaceUser; session: WorkspaceSession } | undefined> {
        if (!token || token.length > 100) return undefined;
        const session = await this.sessions.get(tokenId(token), this.now().toISOString());
        if (!session) return undefined;
        const user = await this.users.get(session.userId);
        return user ? { user, session } : undefined;
    }

    async signOut(session: WorkspaceSession): Promise<void> {
        await this.sessions.delete(session.id);
    }

    /** The cookie that carries a session token. */
    cookie(token: string): string {
        return `${SESSION_COOKIE}=${token}; Path=/workspace; Max-Age=${this.settings.sessionHours * 3600}; `
            + 'HttpOnly; Secure; SameSite=Strict';
    }

    /** The cookie that removes the session token. */
    clearCookie(): string {
        return `${SESSION_COOKIE}=; Path=/workspace; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
    }
}

/** True when the header carries the session's CSRF token (constant-time). */
export function csrfMatches(session: WorkspaceSession, header: string | undefined): boolean {
    if (!header) return false;
    const a = Buffer.from(header);
    const b = Buffer.from(session.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
}

/** The session token from a Cookie header. */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
    for (const part of (cookieHeader ?? '').split(';')) {
        const [name, ...value] = part.trim().split('=');
        if (name === SESSION_COOKIE) return value.join('=');
    }
    return undefined;
}
