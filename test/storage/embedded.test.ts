import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { loadSigningKey } from '../../src/channels/directline/tokens';
import { tempDir } from '../helpers/tmp';
import { describeChatUpgrade, describeStoreContract, sampleEscalation } from './contract';

describeStoreContract('embedded (SQLite)', async () => {
    const tmp = tempDir();
    const stores = openEmbeddedStores(tmp.dir);
    return { stores, cleanup: async () => { await stores.close(); tmp.remove(); } };
});

describeChatUpgrade('embedded (SQLite)', async (requests) => {
    const tmp = tempDir();
    // Rows written as a version before the move wrote them: chat lines in escalation_audit, file version 1.
    const first = openEmbeddedStores(tmp.dir);
    for (const r of requests) await first.escalations.create(r.escalation);
    await first.close();
    const db = new Database(path.join(tmp.dir, 'signpost.db'));
    for (const r of requests) {
        db.prepare('DELETE FROM escalation_audit WHERE escalation_id = ?').run(r.escalation.id);
        for (const a of r.audit) {
            db.prepare(`INSERT INTO escalation_audit (escalation_id, at, actor, action, detail)
                VALUES (?, ?, ?, ?, ?)`).run(r.escalation.id, a.at, a.actor, a.action, a.detail ?? null);
        }
        for (const [i, c] of (r.chat ?? []).entries()) {
            db.prepare(`INSERT INTO escalation_chat (escalation_id, n, at, actor, action, detail)
                VALUES (?, ?, ?, ?, ?, ?)`).run(r.escalation.id, i + 1, c.at, c.actor, c.action, c.detail ?? null);
        }
        db.prepare('UPDATE escalations SET chat_total = ? WHERE id = ?').run(r.chat?.length ?? 0, r.escalation.id);
    }
    db.pragma('user_version = 1');
    db.close();
    let stores = openEmbeddedStores(tmp.dir);
    return {
        stores,
        reopen: async () => {
            await stores.close();
            stores = openEmbeddedStores(tmp.dir);
            return stores;
        },
        cleanup: async () => { await stores.close(); tmp.remove(); },
    };
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

describe('an embedded store file made before residents were seen', () => {
    it('gains the column on opening, loads its requests without it, then keeps it', async () => {
        const tmp = tempDir();
        try {
            const first = openEmbeddedStores(tmp.dir);
            await first.escalations.create(sampleEscalation());
            await first.close();
            // As today's version leaves the file: no resident_seen_at column.
            const db = new Database(path.join(tmp.dir, 'signpost.db'));
            db.exec('ALTER TABLE escalations DROP COLUMN resident_seen_at');
            db.close();
            const stores = openEmbeddedStores(tmp.dir);
            expect((await stores.escalations.getByReference('SP-ABCDEF'))?.residentSeenAt).to.equal(undefined);
            await stores.escalations.residentSeen('webchat', 'conv-1', '2026-11-25T11:00:00.000Z');
            expect((await stores.escalations.getByReference('SP-ABCDEF'))?.residentSeenAt)
                .to.equal('2026-11-25T11:00:00.000Z');
            await stores.close();
        } finally {
            tmp.remove();
        }
    });
});

describe('the embedded store\'s files on disk', () => {
    /** The permission bits of a file or folder, as octal text ("600"). */
    const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
    let umask: number;
    // The usual umask of a container or a shell, which on its own would leave files readable by everyone.
    beforeEach(() => (umask = process.umask(0o022)));
    afterEach(() => process.umask(umask));

    it('makes the data folder for its owner only (700) and the database, its WAL and shared memory 600', async () => {
        const tmp = tempDir();
        const dataDir = path.join(tmp.dir, 'data', 'signpost');
        try {
            const stores = openEmbeddedStores(dataDir);
            await stores.escalations.create(sampleEscalation());
            loadSigningKey(dataDir);
            const files = fs.readdirSync(dataDir).sort();
            expect(files).to.include.members(['signpost.db', 'signpost.db-wal', 'signpost.db-shm',
                'directline-signing-key']);
            expect(mode(dataDir), 'the data folder').to.equal('700');
            expect(Object.fromEntries(files.map((f) => [f, mode(path.join(dataDir, f))]))).to.deep.equal(
                Object.fromEntries(files.map((f) => [f, '600'])));
            await stores.close();
        } finally {
            tmp.remove();
        }
    });

    it('takes away what others could read of a folder and files an older version left open', async () => {
        const tmp = tempDir();
        try {
            const first = openEmbeddedStores(tmp.dir);
            await first.escalations.create(sampleEscalation());
            loadSigningKey(tmp.dir);
            await first.close();
            fs.chmodSync(tmp.dir, 0o755);
            for (const f of fs.readdirSync(tmp.dir)) fs.chmodSync(path.join(tmp.dir, f), 0o644);
            const second = openEmbeddedStores(tmp.dir);
            loadSigningKey(tmp.dir);
            expect(mode(tmp.dir), 'the data folder').to.equal('700');
            const files = fs.readdirSync(tmp.dir);
            expect(files).to.include.members(['signpost.db', 'signpost.db-wal', 'directline-signing-key']);
            expect(Object.fromEntries(files.map((f) => [f, mode(path.join(tmp.dir, f))]))).to.deep.equal(
                Object.fromEntries(files.map((f) => [f, '600'])));
            await second.close();
        } finally {
            tmp.remove();
        }
    });
});

describe('the website chat\'s signing key on disk, with no embedded store (MongoDB)', () => {
    it('is made 600 in a 700 folder, and an open key and folder are tightened', () => {
        const tmp = tempDir();
        const umask = process.umask(0o022);
        try {
            const dataDir = path.join(tmp.dir, 'data');
            const key = loadSigningKey(dataDir);
            const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
            const file = path.join(dataDir, 'directline-signing-key');
            expect([mode(dataDir), mode(file)]).to.deep.equal(['700', '600']);
            fs.chmodSync(dataDir, 0o755);
            fs.chmodSync(file, 0o644);
            expect(loadSigningKey(dataDir).equals(key), 'the same key').to.equal(true);
            expect([mode(dataDir), mode(file)]).to.deep.equal(['700', '600']);
        } finally {
            process.umask(umask);
            tmp.remove();
        }
    });
});

describe('an embedded store file written before deletions were wiped', () => {
    it('is wiped once on opening: what an older version deleted is not left in the file', async () => {
        const tmp = tempDir();
        try {
            const file = path.join(tmp.dir, 'signpost.db');
            // As an older version left it: secure_delete off, a request deleted, its bytes still in free space.
            const first = openEmbeddedStores(tmp.dir);
            await first.close();
            const old = new Database(file);
            old.pragma('secure_delete = OFF');
            old.pragma('user_version = 0');
            old.prepare(`INSERT INTO escalations (id, reference, resident_key, status, priority, created_at, doc)
                VALUES ('esc-old', 'SP-OLDOLD', 'k', 'new', 'normal', '2026-01-01', ?)`)
                .run(JSON.stringify({ contact: { value: 'margaret.thompson@example.org' } }));
            old.prepare("DELETE FROM escalations WHERE id = 'esc-old'").run();
            old.pragma('wal_checkpoint(TRUNCATE)');
            old.close();
            expect(fs.readFileSync(file).toString('latin1')).to.include('margaret.thompson@example.org');
            const stores = openEmbeddedStores(tmp.dir);
            for (const f of fs.readdirSync(tmp.dir)) {
                expect(fs.readFileSync(path.join(tmp.dir, f)).toString('latin1'), f)
                    .to.not.include('margaret.thompson@example.org');
            }
            await stores.escalations.create(sampleEscalation());
            await stores.close();
            // Once only: a file already wiped is not rewritten at every start.
            const again = new Database(file, { readonly: true });
            expect(again.pragma('user_version', { simple: true })).to.be.greaterThan(0);
            again.close();
        } finally {
            tmp.remove();
        }
    });
});

describe('an embedded store file made before the queue was read by the store', () => {
    it('gains the queue\'s indexes on opening, and its queue reads them', async () => {
        const tmp = tempDir();
        try {
            // A file as the release before made it: the same tables, without the queue's two indexes.
            const first = openEmbeddedStores(tmp.dir);
            await first.escalations.create(sampleEscalation({ priority: 'urgent' }));
            await first.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM' }));
            await first.close();
            const db = new Database(path.join(tmp.dir, 'signpost.db'));
            db.exec('DROP INDEX escalations_queue; DROP INDEX escalations_holder;');
            db.close();
            const stores = openEmbeddedStores(tmp.dir);
            const page = await stores.escalations.queuePage({ statuses: ['new'], at: '2026-11-26T10:00:00.000Z',
                limit: 10 });
            expect(page.escalations.map((e) => e.reference)).to.deep.equal(['SP-ABCDEF', 'SP-GHJKLM']);
            await stores.close();
            const check = new Database(path.join(tmp.dir, 'signpost.db'), { readonly: true });
            const names = (check.prepare('PRAGMA index_list(escalations)').all() as { name: string }[])
                .map((i) => i.name);
            // The status filter is answered from the queue's index, not by reading the whole table.
            const plan = (check.prepare(`EXPLAIN QUERY PLAN SELECT id FROM escalations
                WHERE status IN ('new', 'claimed') AND priority = 'urgent'`).all() as { detail: string }[])
                .map((p) => p.detail).join('\n');
            check.close();
            expect(names).to.include.members(['escalations_queue', 'escalations_holder']);
            expect(plan).to.match(/USING (COVERING )?INDEX escalations_queue/);
        } finally {
            tmp.remove();
        }
    });
});
