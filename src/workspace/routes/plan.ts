/**
 * A request's plan and outcome in the PRSB Social Prescribing Information Standard's sections, and the closed
 * request exported as its "Message back to GP and referrer" (src/handoff/plan.ts): only with the resident's recorded
 * agreement, only for the connector holding it or a lead, each export an audit line.
 */
import { gpMessage, mayExport, recordPlan, type ExportRefusal } from '../../handoff/plan';
import { emptyBody, planBody } from '../schemas';
import { refusal, referenceOf, view } from './common';
import { ANYONE, Failure, ok, signedIn, type Route } from './route';

/** An export refused: the lifecycle's reasons, or no agreement to share with the GP. */
function exportRefusal(r: ExportRefusal): Failure {
    if (r.refused === 'no-agreement') {
        return new Failure(409, 'NoAgreement', 'The person has not agreed to share this with their GP practice. '
            + 'Record their agreement in the plan first, only if they give it.');
    }
    if (r.refused === 'wrong-status') {
        return new Failure(409, 'WrongStatus', 'Only a closed request can be sent to the GP. Close it first.',
            { status: r.status });
    }
    return refusal(r);
}

/** The plan routes: record it, and export the message back to the GP. */
export const planRoutes: readonly Route[] = [
    signedIn({
        method: 'post', path: '/escalations/:reference/plan', roles: ANYONE, body: planBody,
        doc: {
            summary: 'Record the plan and outcome (PRSB Social Prescribing Information Standard v1.1 sections: needs '
                + 'and concerns, what matters to the person, support offered and referred to, outcome) and the '
                + 'person\'s answer about sharing with their GP; the connector holding it or a lead; replaces the '
                + 'plan before, with an audit line',
            ok: 'Recorded', more: { 404: 'No such reference', 409: 'Someone else saved the plan since it was loaded' },
        },
        handler: async (ctx, req) => {
            const { body, caller: { actor } } = req;
            const result = await recordPlan(ctx.escalations, referenceOf(req), actor, body, ctx.now());
            if (!('done' in result)) {
                if (result.refused !== 'plan-changed') return refusal(result);
                ctx.log.info('escalation.plan_refused', { user: actor.id, reason: 'changed' });
                return new Failure(409, 'PlanChanged', 'Someone else changed this plan; reload to see it. '
                    + 'What you wrote was not saved.', result.recordedBy ? { recordedBy: result.recordedBy,
                    recordedAt: result.recordedAt } : {});
            }
            ctx.log.info('escalation.plan_recorded', { escalation: result.escalation.id, user: actor.id,
                gpAgreement: body.gpAgreement });
            return ok({ escalation: view(result.escalation, ctx.now(), ctx) });
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/gp-message', roles: ANYONE, body: emptyBody,
        doc: {
            summary: 'Export a closed request as the PRSB "Message back to GP and referrer" (JSON), for the GP '
                + 'practice\'s records: only with the person\'s recorded agreement, for the connector holding it or '
                + 'a lead; fields Signpost does not hold (NHS number, date of birth, address) say "not collected"; '
                + 'each export is an audit line',
            ok: 'The message', more: { 404: 'No such reference', 409: 'Not closed, or no recorded agreement' },
        },
        handler: async (ctx, req) => {
            const { caller: { actor } } = req;
            const reference = referenceOf(req);
            const e = await ctx.escalations.getByReference(reference);
            const refused = mayExport(e, actor);
            if (refused) return exportRefusal(refused);
            const trail = await ctx.escalations.auditTrail(reference);
            const suggested = trail.filter((a) => a.action === 'suggested' && a.detail)
                .flatMap((a) => a.detail!.split('; '));
            const at = ctx.now();
            const message = gpMessage(e!, { serviceName: ctx.serviceName ?? 'Signpost', needLabel: ctx.needLabel,
                now: at, suggestedByConnector: suggested });
            await ctx.escalations.appendAudit(reference,
                { at: at.toISOString(), actor: actor.id, action: 'exported', detail: message.model });
            ctx.log.info('escalation.gp_message_exported', { escalation: e!.id, user: actor.id });
            return ok(message, 200, {
                'Content-Disposition': `attachment; filename="${reference}-message-to-gp.json"`,
            });
        },
    }),
];
