/** The workspace accounts port and the account it keeps. */

/**
 * Who may do what in the workspace: connectors work the queue; leads also reassign and see reports; curators work
 * the curation queue of directory listings (issue 21), which leads see too, and never see residents' requests.
 */
export const WORKSPACE_ROLES = ['connector', 'lead', 'curator'] as const;
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/**
 * A workspace account. `passwordHash` is absent for accounts that sign in through single sign-on (an identity
 * provider vouches for `email`); the session layer only ever needs the id.
 */
export interface WorkspaceUser {
    id: string;
    email: string;
    /** First name: what residents are told ("You are now talking with Sam"). */
    name: string;
    role: WorkspaceRole;
    passwordHash?: string;
    createdAt: string;
}

/** Workspace accounts. Emails are stored lower-case and are unique. */
export interface UserStore {
    /** False when an account with that email already exists (it is left as it was). */
    create(user: WorkspaceUser): Promise<boolean>;
    get(id: string): Promise<WorkspaceUser | undefined>;
    getByEmail(email: string): Promise<WorkspaceUser | undefined>;
    list(): Promise<WorkspaceUser[]>;
    setPasswordHash(id: string, hash: string): Promise<void>;
}
