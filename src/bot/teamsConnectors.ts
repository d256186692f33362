/**
 * Turn middleware: what connectors do with the bot in Teams, answered before anything a resident's turn goes through.
 * Pressing Claim on a request's card arrives as an `invoke` named `adaptiveCard/action` (the card's Action.Execute,
 * verb "claim"); it is answered, in the HTTP response, with the card as it is after (so it changes for everyone in the
 * channel), or with a short message to the person who pressed it (not linked yet: how to link). "link 12345678" typed to
 * the bot in Teams links that Teams user to the workspace account whose signed-in page showed the code.
 *
 * Only these two are taken; every other Teams activity goes on as before. A "link" message is eight digits and nothing
 * else, so it never holds words the crisis check would act on.
 */
import type { Activity, Attachment, Middleware, TurnContext } from 'botbuilder';
import { TEAMS_CHANNEL_ID } from '../channelIds';
import { CLAIM_VERB } from '../handoff/notifier';
import type { TeamsClaims } from '../handoff/teamsClaim';
import { LINK_MESSAGE, type TeamsLinking } from '../handoff/teamsLink';
import type { Wording } from '../knowledge/wording';
import { errorKind, type Logger } from '../log';
import type { Escalation } from '../storage/escalationRecord';

/** The invoke an Adaptive Card's Action.Execute sends. */
export const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** The answer types of an adaptiveCard/action invoke (Universal Actions for Adaptive Cards). */
export const CARD_RESPONSE = 'application/vnd.microsoft.card.adaptive';
export const MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message';
export const ERROR_RESPONSE = 'application/vnd.microsoft.error';

/** A request reference as the card carries it ("SP-7K3Q9M"). */
const REFERENCE = /^SP-[A-Z2-9]{6}$/;

export interface TeamsConnectorsParts {
    claims: TeamsClaims;
    linking: TeamsLinking;
    wording: Wording;
    /** The request's card as it is now (the notifier's escalationCard). */
    card: (e: Escalation) => Attachment;
    log: Logger;
    /** The connectors' tenant, when the setting names it: a Teams user of another tenant is never linked or let claim. */
    tenantId?: string;
}

/** The body of an adaptiveCard/action invoke's answer. */
interface CardActionAnswer {
    statusCode: number;
    type: string;
    value: unknown;
}

export class TeamsConnectors implements Middleware {
    constructor(private readonly parts: TeamsConnectorsParts) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const a = context.activity;
        if (a.channelId !== TEAMS_CHANNEL_ID) return next();
        if (a.type === 'invoke' && a.name === CARD_ACTION_INVOKE && verbOf(a) === CLAIM_VERB) {
            await answer(context, await this.claim(a));
            return;
        }
        if (a.type === 'message') {
            const m = LINK_MESSAGE.exec(withoutMentions(a.text ?? ''));
            if (m) {
                await context.sendActivity(await this.link(a, m[1]!));
                return;
            }
        }
        return next();
    }

    /** Claims the request the card names, as the account the presser is linked to. */
    private async claim(a: Activity): Promise<CardActionAnswer> {
        const action = (a.value as { action?: { type?: unknown; data?: { reference?: unknown } } }).action;
        const reference = action?.data?.reference;
        if (action?.type !== 'Action.Execute' || typeof reference !== 'string' || !REFERENCE.test(reference)) {
            return { statusCode: 400, type: ERROR_RESPONSE,
                value: { code: 'BadRequest', message: 'The card\'s Claim carries no request reference.' } };
        }
        const { wording, card, claims, log } = this.parts;
        try {
            const result = await claims.claim(reference, this.teamsUser(a));
            switch (result.outcome) {
                case 'claimed':
                case 'taken':
                    return { statusCode: 200, type: CARD_RESPONSE, value: card(result.escalation).content };
                case 'unlinked':
                    return { statusCode: 200, type: MESSAGE_RESPONSE, value: wording.text('teamsLinkFirst') };
                case 'not-found':
                    return { statusCode: 200, type: MESSAGE_RESPONSE, value: wording.text('teamsRequestGone') };
            }
        } catch (err) {
            log.warn('teams.claim_failed', { error: errorKind(err) });
            return { statusCode: 500, type: ERROR_RESPONSE,
                value: { code: 'InternalError', message: 'The claim could not be made. Please try again.' } };
        }
    }

    /** Redeems a link code typed into Teams; the answer to send back. */
    private async link(a: Activity, code: string): Promise<string> {
        const { wording, linking } = this.parts;
        const aad = this.teamsUser(a);
        const result = aad ? await linking.redeem(aad, code) : { refused: 'wrong' as const };
        if ('linked' in result) return wording.text('teamsLinked', { name: result.linked.name });
        return wording.text(result.refused === 'too-many' ? 'teamsLinkTooMany' : 'teamsLinkWrong');
    }

    /** The Teams user's Entra object id, when they are of the connectors' tenant (or no tenant is set). */
    private teamsUser(a: Activity): string | undefined {
        const tenant = (a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id
            ?? a.conversation?.tenantId;
        if (this.parts.tenantId && tenant !== this.parts.tenantId) return undefined;
        const aad = a.from?.aadObjectId;
        return typeof aad === 'string' && aad.length > 0 && aad.length <= 100 ? aad.toLowerCase() : undefined;
    }
}

/** The verb of an Action.Execute invoke, if it has one. */
function verbOf(a: Activity): unknown {
    return (a.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
}

/** Answers the invoke: the CloudAdapter returns this as the HTTP response to Teams' POST. */
async function answer(context: TurnContext, body: CardActionAnswer): Promise<void> {
    await context.sendActivity({ type: 'invokeResponse', value: { status: body.statusCode, body } });
}

/** The text without the bot's @mention, as Teams sends a message in a channel ("<at>Signpost</at> link 12345678"). */
function withoutMentions(text: string): string {
    return text.replace(/<at>[^<]*<\/at>/gi, ' ');
}
