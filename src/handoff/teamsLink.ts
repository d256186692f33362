/**
 * Linking a Microsoft Teams user to a workspace account, so that pressing Claim on a card in Teams claims as that
 * account. The link is made by a lead (`signpost users link`) or by a one-time code that the account's own signed-in
 * workspace shows and its owner types into a chat with the bot in Teams ("link 12345678"): whoever types it proves they
 * can see that workspace. Nothing a Teams user says about themselves (a name, an e-mail) ever links them.
 *
 * Codes are eight digits, last ten minutes, work once, and are kept only as keyed hashes. Every try is counted before
 * any code is looked at (so tries fired at the same moment cannot slip past the count), per Teams user and, for the
 * tries a user's own limit lets through, for everyone together. The per-user limit stops one guesser; the much higher
 * limit for everyone stops many accounts guessing together, yet ten users typing five wrong codes each do not lock the
 * rest out. With a hundred million codes, guessing one someone else has open is hopeless. Making codes is limited per
 * account. Only connectors and leads act from Teams: a curator account is never linked, and never an actor.
 */
import { randomInt } from 'node:crypto';
import type { KeyedHasher } from '../keyedHash';
import type { Logger } from '../log';
import type { AttemptStore } from '../storage/attemptStore';
import type { TeamsLink, TeamsLinkStore } from '../storage/teamsLinkStore';
import type { UserStore, WorkspaceRole, WorkspaceUser } from '../storage/userStore';
import type { Actor } from './lifecycle';

/** How long a code works. */
export const LINK_CODE_MINUTES = 10;
/** Codes one account may make in an hour. */
export const LINK_CODES_PER_HOUR = 5;
/** Codes, right or wrong, one Teams user may type in a quarter of an hour. */
export const LINK_TRIES_PER_TEAMS_USER = 5;
/**
 * Codes all Teams users together may type in a quarter of an hour (counting only tries each user's own limit let
 * through): high enough that a handful of users cannot lock everyone out, low enough that many cannot guess.
 */
export const LINK_TRIES_FOR_EVERYONE = 1000;
/** How many digits a code has: eight, so that even everyone's tries together find an open code about never. */
export const LINK_CODE_DIGITS = 8;

const MINUTE = 60_000;
const TRY_WINDOW = 15 * MINUTE;
const HOUR = 60 * MINUTE;

/** What "link 12345678" typed into Teams looks like (the bot's @mention removed first); the code is group 1. */
export const LINK_MESSAGE = /^\s*link\s+(\d{8})\s*$/i;
/** The roles that may act from Teams (claim a resident's request): not a curator, who works the directory only. */
const ACTS_FROM_TEAMS: readonly WorkspaceRole[] = ['connector', 'lead'];

export type NewCode = { code: string; expiresAt: string } | { refused: 'too-many'; retryAt: string };
export type Redeemed = { linked: WorkspaceUser } | { refused: 'wrong' | 'too-many' };

export interface TeamsLinkingParts {
    links: TeamsLinkStore;
    users: Pick<UserStore, 'get'>;
    attempts: AttemptStore;
    hasher: KeyedHasher;
    log: Logger;
    now: () => Date;
}

/** Makes and redeems link codes, and says which account a Teams user acts as. */
export class TeamsLinking {
    constructor(private readonly parts: TeamsLinkingParts) {}

    /** A fresh code for the signed-in account (replacing any it had), or a refusal when it made too many. */
    async newCode(userId: string): Promise<NewCode> {
        const { attempts, hasher, links } = this.parts;
        const now = this.parts.now();
        const made = await attempts.add(`teams-code:${hasher.hash('teams-link-code-made', userId)}`, now.getTime(),
            HOUR);
        if (made.count > LINK_CODES_PER_HOUR) {
            return { refused: 'too-many', retryAt: new Date(made.resetAtMs).toISOString() };
        }
        const expiresAt = new Date(now.getTime() + LINK_CODE_MINUTES * MINUTE).toISOString();
        for (;;) {
            const code = String(randomInt(0, 10 ** LINK_CODE_DIGITS)).padStart(LINK_CODE_DIGITS, '0');
            // Another account has the same code open (one in a hundred million per open code): make another.
            if (await links.putCode({ codeHash: this.codeHash(code), userId, expiresAt })) {
                this.parts.log.info('teams.link_code_made', { user: userId });
                return { code, expiresAt };
            }
        }
    }

    /**
     * Links the Teams user to the account whose code they typed. Every try counts, right or wrong, and is counted
     * first (one atomic add, then its count compared), so a burst of tries at once gets at most the limit evaluated.
     * A Teams user over their own limit is refused without using up everyone's tries.
     */
    async redeem(aadObjectId: string, code: string): Promise<Redeemed> {
        const { attempts, hasher, links, users, log } = this.parts;
        const now = this.parts.now();
        const mine = `teams-link-try:${hasher.hash('teams-link-try', aadObjectId)}`;
        const everyone = 'teams-link-try:everyone';
        const own = await attempts.add(mine, now.getTime(), TRY_WINDOW);
        const all = own.count > LINK_TRIES_PER_TEAMS_USER ? undefined
            : await attempts.add(everyone, now.getTime(), TRY_WINDOW);
        if (!all || all.count > LINK_TRIES_FOR_EVERYONE) {
            log.info('teams.link_refused', { reason: 'too-many' });
            return { refused: 'too-many' };
        }
        const wellFormed = code.length === LINK_CODE_DIGITS && /^\d+$/.test(code);
        const userId = wellFormed ? await links.takeCode(this.codeHash(code), now.toISOString()) : undefined;
        const found = userId ? await users.get(userId) : undefined;
        const user = found && ACTS_FROM_TEAMS.includes(found.role) ? found : undefined;
        if (!user) {
            log.info('teams.link_refused', { reason: 'wrong-code' });
            return { refused: 'wrong' };
        }
        await links.link({ aadObjectId, userId: user.id, via: 'code', linkedAt: now.toISOString() });
        log.info('teams.linked', { user: user.id, via: 'code' });
        return { linked: user };
    }

    /**
     * The account a Teams user acts as, as an actor for the lifecycle; undefined when not linked (or it is gone), and
     * for a curator account (linked before this check, or by hand): a curator never holds a resident's request.
     */
    async actorOf(aadObjectId: string | undefined): Promise<Actor | undefined> {
        if (!aadObjectId) return undefined;
        const link = await this.parts.links.byTeamsUser(aadObjectId);
        const user = link ? await this.parts.users.get(link.userId) : undefined;
        if (!user || !ACTS_FROM_TEAMS.includes(user.role)) return undefined;
        return { id: user.id, name: user.name, lead: user.role === 'lead' };
    }

    /** The account's link, if it has one (the workspace shows whether it is linked). */
    async linkOf(userId: string): Promise<TeamsLink | undefined> {
        return this.parts.links.byAccount(userId);
    }

    /** Removes the account's link (the connector, in their workspace, or a lead). */
    async unlink(userId: string): Promise<boolean> {
        const gone = await this.parts.links.unlinkAccount(userId);
        if (gone) this.parts.log.info('teams.unlinked', { user: userId });
        return gone;
    }

    private codeHash(code: string): string {
        return this.parts.hasher.hash('teams-link-code', code);
    }
}
