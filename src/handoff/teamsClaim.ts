/**
 * Claiming a request from its card in the connectors' Teams channel. The Teams user must be linked to a workspace
 * account (teamsLink.ts); the claim is then the workspace's own claim (Lifecycle.claim, one conditional change in the
 * store), so a claim from Teams and one from the workspace at the same moment have one winner. The card posted in the
 * channel is brought up to date as after a claim in the workspace.
 */
import type { Logger } from '../log';
import type { EscalationStore } from '../storage/escalationStore';
import type { Escalation } from '../storage/escalationRecord';
import type { Lifecycle } from './lifecycle';
import type { EscalationNotifier } from './notifier';
import type { TeamsLinking } from './teamsLink';

/** What came of pressing Claim in Teams. `taken`: someone else has it (or it has moved on); the request as it is. */
export type TeamsClaimOutcome =
    | { outcome: 'claimed'; escalation: Escalation }
    | { outcome: 'taken'; escalation: Escalation }
    | { outcome: 'unlinked' }
    | { outcome: 'not-found' };

export interface TeamsClaimsParts {
    linking: TeamsLinking;
    lifecycle: Lifecycle;
    store: Pick<EscalationStore, 'getByReference'>;
    notifier?: EscalationNotifier;
    log: Logger;
}

/** Claims from Teams cards, as the linked account. */
export class TeamsClaims {
    constructor(private readonly parts: TeamsClaimsParts) {}

    /** Claims `reference` for the account `aadObjectId` is linked to. */
    async claim(reference: string, aadObjectId: string | undefined): Promise<TeamsClaimOutcome> {
        const { linking, lifecycle, store, notifier, log } = this.parts;
        const actor = await linking.actorOf(aadObjectId);
        if (!actor) {
            log.info('teams.claim_refused', { reason: 'unlinked' });
            return { outcome: 'unlinked' };
        }
        const result = await lifecycle.claim(reference, actor, 'teams');
        if ('done' in result) {
            log.info('escalation.claimed', { escalation: result.escalation.id, user: actor.id, via: 'teams' });
            await notifier?.changed(result.escalation);
            return { outcome: 'claimed', escalation: result.escalation };
        }
        const current = result.refused === 'not-found' ? undefined : await store.getByReference(reference);
        log.info('teams.claim_refused', { reason: result.refused, user: actor.id });
        return current ? { outcome: 'taken', escalation: current } : { outcome: 'not-found' };
    }
}
