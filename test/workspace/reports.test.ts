import { expect } from 'chai';
import type { AuditEntry, Escalation } from '../../src/storage/escalationRecord';
import { buildReport, type ReportSources } from '../../src/workspace/reports';
import { sampleEscalation } from '../storage/contract';

/** Minutes after a time, as ISO text. */
const after = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * Known requests around two weeks: Monday 16 and Monday 23 November 2026 (UTC), the report made on Wednesday 25th.
 * Three were marked in contact (30, 90 and 10 minutes after asking); one was only claimed (5 minutes after); one is
 * from before the period.
 */
function knownRequests(): { escalations: Escalation[]; audit: Map<string, AuditEntry[]> } {
    const housing = { needs: ['housing'], preferences: [], suggested: [], crisisShown: false };
    const list: Escalation[] = [
        sampleEscalation({ id: 'r1', reference: 'SP-RRRRR1', createdAt: '2026-11-23T00:00:00.000Z',
            status: 'in-contact', firstContactAt: after('2026-11-23T00:00:00.000Z', 30) }),
        sampleEscalation({ id: 'r2', reference: 'SP-RRRRR2', createdAt: '2026-11-22T23:59:00.000Z',
            status: 'claimed' }),
        sampleEscalation({ id: 'r3', reference: 'SP-RRRRR3', createdAt: '2026-11-17T09:00:00.000Z', status: 'closed',
            outcome: 'connected', firstContactAt: after('2026-11-17T09:00:00.000Z', 90) }),
        sampleEscalation({ id: 'r4', reference: 'SP-RRRRR4', createdAt: '2026-11-24T10:00:00.000Z', status: 'closed',
            outcome: 'connected', firstContactAt: after('2026-11-24T10:00:00.000Z', 10) }),
        sampleEscalation({ id: 'r5', reference: 'SP-RRRRR5', createdAt: '2026-11-09T10:00:00.000Z', status: 'closed',
            outcome: 'declined', firstContactAt: after('2026-11-09T10:00:00.000Z', 1000) }),
        ...[1, 2, 3, 4, 5, 6].map((n) => sampleEscalation({ id: `h${n}`, reference: `SP-HHHHH${n}`,
            createdAt: `2026-11-2${n % 3 + 3}T08:00:00.000Z`, summary: housing })),
    ];
    const audit = new Map<string, AuditEntry[]>(list.map((e) => [e.reference,
        [{ at: e.createdAt, actor: 'resident', action: 'created' }]]));
    // Claims come before contact; only a mark of contact is first contact.
    for (const e of list.slice(0, 4)) {
        audit.get(e.reference)!.push({ at: after(e.createdAt, 5), actor: 'u1', action: 'claimed' });
        if (e.firstContactAt) audit.get(e.reference)!.push({ at: e.firstContactAt, actor: 'u1', action: 'in-contact' });
    }
    return { escalations: list, audit };
}

function sources(): ReportSources {
    const { escalations, audit } = knownRequests();
    return {
        escalations: {
            list: async () => escalations,
            auditTrail: async (reference: string) => audit.get(reference) ?? [],
        } as unknown as ReportSources['escalations'],
        analytics: { unmetSince: async () => [
            { week: '2026-11-16', needId: 'money-debt', count: 7 },
            { week: '2026-11-23', needId: 'money-debt', count: 1 },
        ] },
        needLabel: (id) => `label of ${id}`,
    };
}

describe('the lead report, on known requests', () => {
    const now = new Date('2026-11-25T12:00:00.000Z');

    it('takes the median time to first contact from the requests marked in contact only', async () => {
        const r = await buildReport(sources(), 2, now);
        // 10, 30 and 90 minutes; the claim-only request and the one before the period do not count.
        expect(r.firstContact).to.deep.include({ medianMinutes: 30, count: 3 });
    });

    it('counts each week from Monday 00:00 UTC, a request a minute before in the week before', async () => {
        const r = await buildReport(sources(), 2, now);
        expect(r).to.deep.include({ from: '2026-11-16', to: '2026-11-23' });
        expect(r.perWeek.map((w) => [w.week, w.total])).to.deep.equal([['2026-11-16', 2], ['2026-11-23', 8]]);
        expect(r.perWeek[0]!.byOutcome.map((b) => [b.key, b.count])).to.deep.equal([['connected', 1], ['open', 1]]);
        expect(r.byNeed.map((b) => [b.key, b.count])).to.deep.equal([['housing', 6], ['loneliness', 4]]);
        expect(r.byOutcome.map((b) => [b.key, b.count])).to.deep.equal([['connected', 2], ['open', 8]]);
        expect(r.unmet.map((b) => [b.key, b.count])).to.deep.equal([['money-debt', 8]]);
        expect((await buildReport(sources(), 1, now)).perWeek.map((w) => w.total)).to.deep.equal([8]);
    });

    it('shows counts from 1 to 4 as "fewer than 5", and 0 and 5 or more as they are', async () => {
        const r = await buildReport(sources(), 2, now);
        expect(r.perWeek.map((w) => w.shown)).to.deep.equal(['fewer than 5', '8']);
        expect(r.byNeed.map((b) => b.shown)).to.deep.equal(['6', 'fewer than 5']);
        expect(r.firstContact.shown).to.equal('fewer than 5');
        expect(r.unmetPerWeek.map((w) => w.byNeed.map((b) => b.shown))).to.deep.equal([['7'], ['fewer than 5']]);
        const empty = await buildReport({ ...sources(), escalations: { list: async () => [] } as never }, 1, now);
        expect(empty.perWeek[0]).to.deep.include({ total: 0, shown: '0' });
        expect(empty.firstContact).to.deep.equal({ medianMinutes: null, count: 0, shown: '0' });
    });
});
