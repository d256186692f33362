/** The lead report: requests per week by need and outcome, time to first contact, and unmet needs. */
import { buildReport } from '../reports';
import { reportQuery } from '../schemas';
import { LEADS, ok, signedIn, type Route } from './route';

/** The report route (leads only). */
export const reportRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/reports', roles: LEADS, query: reportQuery,
        doc: {
            summary: 'The lead report (leads only): requests per week by need and outcome, median time to '
                + 'first contact in minutes, and unmet needs (searches that found nothing), per week',
            ok: 'The report',
        },
        handler: async (ctx, { query }) => ok(await buildReport(
            { escalations: ctx.escalations, analytics: ctx.analytics, needLabel: ctx.needLabel },
            query.weeks, ctx.now())),
    }),
];
