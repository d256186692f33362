import { expect } from 'chai';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { tempDir } from '../helpers/tmp';
import { describeStoreContract, sampleEscalation } from './contract';

describeStoreContract('embedded (SQLite)', async () => {
    const tmp = tempDir();
    const stores = openEmbeddedStores(tmp.dir);
    return { stores, cleanup: async () => { await stores.close(); tmp.remove(); } };
});

describe('the embedded store file', () => {
    it('keeps requests for contact after it is closed and opened again', async () => {
        const tmp = tempDir();
        try {
            const first = openEmbeddedStores(tmp.dir);
            await first.escalations.create(sampleEscalation());
            await first.close();
            const second = openEmbeddedStores(tmp.dir);
            expect((await second.escalations.getByReference('SP-ABCDEF'))?.id).to.equal('esc-1');
            await second.close();
        } finally {
            tmp.remove();
        }
    });
});

describe('an embedded store file made before the escalation lifecycle', () => {
    it('gains the lifecycle columns on opening and keeps its requests', async () => {
        const tmp = tempDir();
        try {
            const db = new Database(path.join(tmp.dir, 'signpost.db'));
            db.exec(`CREATE TABLE escalations (id TEXT PRIMARY KEY, reference TEXT NOT NULL UNIQUE,
                resident_key TEXT NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL, created_at TEXT NOT NULL,
                doc TEXT NOT NULL);
                CREATE TABLE escalation_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, escalation_id TEXT NOT NULL,
                at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL);`);
            const e = sampleEscalation();
            db.prepare(`INSERT INTO escalations VALUES (?, ?, ?, ?, ?, ?, ?)`)
                .run(e.id, e.reference, e.residentKey, e.status, e.priority, e.createdAt, JSON.stringify(e));
            db.close();
            const stores = openEmbeddedStores(tmp.dir);
            const result = await stores.escalations.change('SP-ABCDEF', {
                from: ['new'], to: 'claimed', assignee: { id: 'sam', name: 'Sam' },
                audit: { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'claimed' },
            });
            expect(result.applied).to.equal(true);
            await stores.close();
        } finally {
            tmp.remove();
        }
    });
});
