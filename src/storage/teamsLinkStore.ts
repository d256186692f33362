/**
 * The Teams links port: which Microsoft Teams user acts as which workspace account when they press Claim on a card
 * in Teams, and the one-time codes a signed-in connector makes to link themselves. A link is only ever made by a lead
 * (`signpost users link`) or by a code the account's own signed-in workspace showed, never by what a Teams user says
 * about themselves.
 */

/** How a link was made: by a lead on the command line, or by a one-time code typed into Teams. */
export const TEAMS_LINK_WAYS = ['lead', 'code'] as const;
export type TeamsLinkWay = (typeof TEAMS_LINK_WAYS)[number];

/**
 * One Teams user linked to one workspace account. `aadObjectId` is the Teams user's Microsoft Entra (Azure AD) object
 * id, as Teams sends it on every activity (`from.aadObjectId`); the only thing kept about the Teams user.
 */
export interface TeamsLink {
    aadObjectId: string;
    userId: string;
    via: TeamsLinkWay;
    linkedAt: string;
}

/** A one-time code for linking: a keyed hash of the code (never the code), whose account, and when it stops working. */
export interface TeamsLinkCode {
    codeHash: string;
    userId: string;
    expiresAt: string;
}

/** Teams links, one to one, and the short-lived codes that make them. */
export interface TeamsLinkStore {
    /** Links the two, one to one: an earlier link of that Teams user, or of that account, is replaced. */
    link(link: TeamsLink): Promise<void>;
    /** The link of a Teams user, if any. */
    byTeamsUser(aadObjectId: string): Promise<TeamsLink | undefined>;
    /** The link of a workspace account, if any. */
    byAccount(userId: string): Promise<TeamsLink | undefined>;
    /** Removes the account's link. True when there was one. */
    unlinkAccount(userId: string): Promise<boolean>;
    /**
     * Keeps a code for the account, replacing any code it had. False, and nothing kept, when the same code is
     * already kept for another account (the caller makes another).
     */
    putCode(code: TeamsLinkCode): Promise<boolean>;
    /**
     * The account a code was made for, when it is kept and has not expired at `now` (ISO). The code goes as it is
     * read: of two that take the same code at once, one gets the account.
     */
    takeCode(codeHash: string, now: string): Promise<string | undefined>;
}
