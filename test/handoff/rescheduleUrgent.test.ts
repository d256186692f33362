/**
 * Urgent requests stored under the old rule (due at the moment they became urgent) get the new due time, on a real
 * database file made by the code of before, once, and through the app's start.
 */
import { expect } from 'chai';
import { openApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { rescheduleUrgent } from '../../src/handoff/rescheduleUrgent';
import { DEFAULT_CONNECTOR_HOURS } from '../../src/handoff/urgentDue';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { Stores } from '../../src/storage/stores';
import { sampleEscalation } from '../storage/contract';
import { tempDir } from '../helpers/tmp';

// Tuesday 1 December 2026: made at 10:00 and at 20:00 London (GMT), raised at 11:00.
const MADE = '2026-12-01T10:00:00.000Z';
const MADE_LATE = '2026-12-01T20:00:00.000Z';
const RAISED = '2026-12-01T11:00:00.000Z';

/** What the code of before stored: urgent requests due the moment they were made, or made urgent. */
async function oldRuleRequests(stores: Stores): Promise<void> {
    const e = (reference: string, over: Parameters<typeof sampleEscalation>[0]) =>
        stores.escalations.create(sampleEscalation({ id: `id-${reference}`, reference, ...over }));
    await e('SP-AAAAAA', { priority: 'urgent', createdAt: MADE, dueBy: MADE });
    await e('SP-BBBBBB', { priority: 'urgent', createdAt: MADE_LATE, dueBy: MADE_LATE });
    // Made normal, then crisis routes: the old raise set the due time to the raise's time.
    await e('SP-CCCCCC', { priority: 'normal', createdAt: MADE, dueBy: '2026-12-03T10:00:00.000Z' });
    await stores.escalations.raiseToUrgent('SP-CCCCCC', RAISED, { at: RAISED, actor: 'system', action: 'raised-urgent' });
    // Already due before the raise (the due time moved earlier only): not the old rule's mark, left as it is.
    await e('SP-DDDDDD', { priority: 'urgent', createdAt: MADE, dueBy: '2026-11-30T09:00:00.000Z' });
    // Contact made, or closed: the due time is history.
    await e('SP-EEEEEE', { priority: 'urgent', createdAt: MADE, dueBy: MADE, status: 'in-contact',
        firstContactAt: RAISED });
    await e('SP-FFFFFF', { priority: 'urgent', createdAt: MADE, dueBy: MADE, status: 'closed', closedAt: RAISED,
        outcome: 'connected' });
    // Normal: not urgent, not touched.
    await e('SP-GGGGGG', { priority: 'normal', createdAt: MADE, dueBy: '2026-12-03T10:00:00.000Z' });
}

describe('urgent requests stored under the old due rule', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
        tmp = tempDir();
    });
    afterEach(() => tmp.remove());

    it('get today\'s due time (or the next working morning), once, with an audit line, others untouched', async () => {
        const stores = openEmbeddedStores(tmp.dir);
        try {
            await oldRuleRequests(stores);
            const parts = { store: stores.escalations, connectorHours: DEFAULT_CONNECTOR_HOURS,
                now: () => new Date('2026-12-02T08:00:00.000Z'), log: createLogger('silent') };
            expect(await rescheduleUrgent(parts)).to.equal(3);
            expect(await rescheduleUrgent(parts), 'a second start changes nothing').to.equal(0);
            const due = async (reference: string) => (await stores.escalations.getByReference(reference))?.dueBy;
            expect(await due('SP-AAAAAA')).to.equal('2026-12-01T17:00:00.000Z');
            expect(await due('SP-BBBBBB')).to.equal('2026-12-02T12:00:00.000Z');
            expect(await due('SP-CCCCCC')).to.equal('2026-12-01T17:00:00.000Z');
            expect(await due('SP-DDDDDD')).to.equal('2026-11-30T09:00:00.000Z');
            expect(await due('SP-EEEEEE')).to.equal(MADE);
            expect(await due('SP-FFFFFF')).to.equal(MADE);
            expect(await due('SP-GGGGGG')).to.equal('2026-12-03T10:00:00.000Z');
            const trail = await stores.escalations.auditTrail('SP-AAAAAA');
            expect(trail.at(-1)).to.deep.equal({ at: '2026-12-02T08:00:00.000Z', actor: 'system',
                action: 'due-rescheduled', detail: MADE });
        } finally {
            await stores.close();
        }
    });

    it('are moved when the app starts on a database made before', async () => {
        const before = openEmbeddedStores(tmp.dir);
        await oldRuleRequests(before);
        await before.close();
        const app = await openApp(loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' }));
        try {
            expect((await app.stores.escalations.getByReference('SP-AAAAAA'))?.dueBy)
                .to.equal('2026-12-01T17:00:00.000Z');
        } finally {
            await app.close();
        }
    });
});
