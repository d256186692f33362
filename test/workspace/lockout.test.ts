/**
 * Workspace sign-in lockout against a real SQLite store and a clock the test moves: a lock ends, failures count in a
 * window, an e-mail with no account locks exactly like one with an account, and one address cannot try for ever.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { Stores } from '../../src/storage/stores';
import { KeyedHasher } from '../../src/keyedHash';
import { Auth, type SignInResult } from '../../src/workspace/auth';
import { hashPassword } from '../../src/workspace/passwords';
import { tempDir } from '../helpers/tmp';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong password guess';
const SETTINGS = { sessionHours: 8, maxFailedSignIns: 5, lockoutMinutes: 15, maxFailedSignInsPerAddress: 30 };

describe('workspace sign-in lockout', () => {
    let tmp: ReturnType<typeof tempDir>;
    let stores: Stores;
    let clock: Date;
    let auth: Auth;
    const minutes = (n: number) => {
        clock = new Date(clock.getTime() + n * 60_000);
    };
    const reason = (r: SignInResult) => (r.ok ? 'ok' : r.reason);

    beforeEach(async () => {
        tmp = tempDir();
        stores = openEmbeddedStores(tmp.dir);
        clock = new Date('2026-03-02T10:00:00Z');
        auth = makeAuth(stores, () => clock);
        await stores.users.create({
            id: randomUUID(), email: 'sam@example.org', name: 'Sam', role: 'connector',
            passwordHash: await hashPassword(PASSWORD), createdAt: clock.toISOString(),
        });
    });
    afterEach(async () => {
        await stores.close();
        tmp.remove();
    });

    it('lets a connector back in when the lock ends: one wrong password after it does not lock again', async () => {
        for (let i = 0; i < 5; i++) await auth.signIn('sam@example.org', WRONG);
        expect(reason(await auth.signIn('sam@example.org', PASSWORD))).to.equal('locked');
        minutes(16);
        expect(reason(await auth.signIn('sam@example.org', WRONG))).to.equal('bad-credentials');
        expect(reason(await auth.signIn('sam@example.org', PASSWORD))).to.equal('ok');
    });

    it('counts failures within the lockout window only: five spread over hours never lock', async () => {
        for (let i = 0; i < 6; i++) {
            expect(reason(await auth.signIn('sam@example.org', WRONG)), `attempt ${i + 1}`).to.equal('bad-credentials');
            minutes(16);
        }
        expect(reason(await auth.signIn('sam@example.org', PASSWORD))).to.equal('ok');
    });

    it('locks an e-mail with no account exactly as it locks one with an account, for as long', async () => {
        const known: string[] = [];
        const unknown: string[] = [];
        const until: (string | undefined)[] = [];
        for (let i = 0; i < 7; i++) {
            const a = await auth.signIn('sam@example.org', WRONG);
            const b = await auth.signIn('nobody@example.org', WRONG);
            known.push(reason(a));
            unknown.push(reason(b));
            until.push(!a.ok && a.reason === 'locked' ? a.until : undefined,
                !b.ok && b.reason === 'locked' ? b.until : undefined);
        }
        expect(known).to.deep.equal(['bad-credentials', 'bad-credentials', 'bad-credentials', 'bad-credentials',
            'locked', 'locked', 'locked']);
        expect(unknown).to.deep.equal(known);
        // Each pair of answers names the same moment.
        for (let i = 0; i < until.length; i += 2) expect(until[i]).to.equal(until[i + 1]);
        minutes(16);
        expect(reason(await auth.signIn('nobody@example.org', WRONG))).to.equal('bad-credentials');
    });

    it('stops one address trying many accounts, without locking those accounts for anyone else', async () => {
        const from = '203.0.113.7';
        for (let i = 0; i < 30; i++) {
            expect(reason(await auth.signIn(`guess${i}@example.org`, WRONG, from))).to.equal('bad-credentials');
        }
        // Even the right password is not checked from there now; from another address it works.
        expect(reason(await auth.signIn('sam@example.org', PASSWORD, from))).to.equal('throttled');
        expect(reason(await auth.signIn('sam@example.org', PASSWORD, '198.51.100.2'))).to.equal('ok');
        minutes(61);
        expect(reason(await auth.signIn('sam@example.org', PASSWORD, from))).to.equal('ok');
    });
});

/** The Auth under test, over the real store. */
function makeAuth(stores: Stores, now: () => Date): Auth {
    const hasher = new KeyedHasher(Buffer.alloc(32, 7));
    return new Auth({ users: stores.users, sessions: stores.sessions, attempts: stores.attempts, hasher },
        SETTINGS, now);
}
