/**
 * Workspace sign-in and sessions. A session is a random token in a secure, http-only, same-site cookie; the store
 * keeps only its hash, with a CSRF token that every change must echo in a header. Password sign-in is one way to
 * start a session: single sign-on (OpenID Connect) would call `startSession` for the user its provider vouches for,
 * and nothing else changes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyedHasher } from '../keyedHash';
import type { AttemptStore } from '../storage/attemptStore';
import type { SessionStore, WorkspaceSession } from '../storage/sessionStore';
import type { UserStore, WorkspaceUser } from '../storage/userStore';
import { MAX_PASSWORD_LENGTH, decoyHash, verifyPassword } from './passwords';

/** The session cookie; scoped to the workspace so the resident-facing pages never receive it. */
export const SESSION_COOKIE = 'signpost_workspace';
export const CSRF_HEADER = 'x-csrf-token';

export interface AuthSettings {
    sessionHours: number;
    /** Failed sign-ins for one e-mail within `lockoutMinutes` that lock it. */
    maxFailedSignIns: number;
    /** How long a lock lasts, and how long a failure counts towards one. */
    lockoutMinutes: number;
    /** Failed sign-ins from one client address within an hour, for any e-mails, after which it must wait. */
    maxFailedSignInsPerAddress: number;
}

/** What sign-in needs from the store, and the key that hashes e-mails and addresses before they are counted. */
export interface AuthStores {
    users: UserStore;
    sessions: SessionStore;
    attempts: AttemptStore;
    hasher: KeyedHasher;
}

export type SignInResult =
    | { ok: true; user: WorkspaceUser; token: string; session: WorkspaceSession }
    | { ok: false; reason: 'bad-credentials' }
    | { ok: false; reason: 'locked'; until: string }
    | { ok: false; reason: 'throttled'; until: string };

/** The window for failures per client address. */
const ADDRESS_WINDOW_MS = 3_600_000;

/** Hash of a session token: what the store keys sessions by. */
function tokenId(token: string): string {
    return createHash('sha256').update(token).digest('base64url');
}

export class Auth {
    private readonly users: UserStore;
    private readonly sessions: SessionStore;

    constructor(
        private readonly stores: AuthStores,
        readonly settings: AuthSettings,
        private readonly now: () => Date = () => new Date(),
    ) {
        this.users = stores.users;
        this.sessions = stores.sessions;
    }

    /**
     * Checks an email and password. The lock is kept per e-mail (a keyed hash of it), whether or not an account has
     * it, so the answers (status, words, timing) are the same for an e-mail with no account: a lock proves nothing.
     * Failures count for `lockoutMinutes`; a lock lasts that long from the failure that set it, then the count
     * starts again. A locked e-mail, or an address over its allowance, is refused without checking the password
     * (for any e-mail alike). `address` is the client's address as the HTTP layer sees it.
     */
    async signIn(email: string, password: string, address?: string): Promise<SignInResult> {
        const { attempts } = this.stores;
        const { maxFailedSignIns, maxFailedSignInsPerAddress } = this.settings;
        const nowMs = this.now().getTime();
        const emailKey = this.emailKey(email);
        const addressKey = address ? `signin-address:${this.stores.hasher.hash('signin-address', address)}` : undefined;
        const held = await attempts.get(emailKey, nowMs);
        if (held.count >= maxFailedSignIns) return { ok: false, reason: 'locked', until: iso(held.resetAtMs) };
        if (addressKey) {
            const from = await attempts.get(addressKey, nowMs);
            if (from.count >= maxFailedSignInsPerAddress) {
                return { ok: false, reason: 'throttled', until: iso(from.resetAtMs) };
            }
        }
        const user = await this.users.getByEmail(email.trim());
        const good = password.length <= MAX_PASSWORD_LENGTH
            && await verifyPassword(password, user?.passwordHash ?? await decoyHash());
        if (!user || !user.passwordHash || !good) {
            if (addressKey) await attempts.add(addressKey, nowMs, ADDRESS_WINDOW_MS);
            const lockMs = this.settings.lockoutMinutes * 60_000;
            const count = await attempts.add(emailKey, nowMs, lockMs, { at: maxFailedSignIns, ms: lockMs });
            if (count.count >= maxFailedSignIns) return { ok: false, reason: 'locked', until: iso(count.resetAtMs) };
            return { ok: false, reason: 'bad-credentials' };
        }
        await attempts.clear(emailKey);
        return { ok: true, user, ...(await this.startSession(user)) };
    }

    /** When the e-mail's lock ends, if it is locked now. */
    async lockedUntil(email: string): Promise<string | undefined> {
        const held = await this.stores.attempts.get(this.emailKey(email), this.now().getTime());
        return held.count >= this.settings.maxFailedSignIns ? iso(held.resetAtMs) : undefined;
    }

    /** Ends the e-mail's lock and forgets its failures (a lead, or `signpost users unlock`). True if it had any. */
    async unlock(email: string): Promise<boolean> {
        return this.stores.attempts.clear(this.emailKey(email));
    }

    private emailKey(email: string): string {
        return `signin-email:${this.stores.hasher.hash('signin-email', email.trim().toLowerCase())}`;
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

    /** True while the session exists and has not expired: an open live stream checks it, as it may end elsewhere. */
    async sessionLive(sessionId: string): Promise<boolean> {
        return (await this.sessions.get(sessionId, this.now().toISOString())) !== undefined;
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

function iso(ms: number): string {
    return new Date(ms).toISOString();
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
