/** The workspace sessions port and the session it keeps. */

/** A signed-in session. `id` is a hash of the cookie's token, so a copy of the store cannot sign anyone in. */
export interface WorkspaceSession {
    id: string;
    userId: string;
    /** The token every change must carry in its X-CSRF-Token header. */
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
}

/** Workspace sessions, kept in the store so any instance can serve any request. */
export interface SessionStore {
    create(session: WorkspaceSession): Promise<void>;
    /** The session if it exists and has not expired at `now`. */
    get(id: string, now: string): Promise<WorkspaceSession | undefined>;
    delete(id: string): Promise<void>;
}
