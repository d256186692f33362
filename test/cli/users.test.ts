import { expect } from 'chai';
import { usersCommand } from '../../src/cli/users';
import { UsageError } from '../../src/cli/usage';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { Auth } from '../../src/workspace/auth';
import { tempDir } from '../helpers/tmp';
import { loadConfig } from '../../src/config';
import { loadSigningKey } from '../../src/channels/directline/tokens';
import { KeyedHasher } from '../../src/keyedHash';
import type { Stores } from '../../src/storage/stores';

/** Sign-in as the server does it, over these stores and the data folder's key. */
function authOver(stores: Stores, dir: string, config: ReturnType<typeof loadConfig>): Auth {
    const hasher = new KeyedHasher(loadSigningKey(dir));
    return new Auth({ users: stores.users, sessions: stores.sessions, attempts: stores.attempts, hasher },
        config.workspace);
}

describe('signpost users unlock', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
        tmp = tempDir();
    });
    afterEach(() => tmp.remove());

    it('unlocks a locked account by e-mail, and says so; an unknown e-mail is exit 1', async () => {
        const env = { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
        const lines: string[] = [];
        const io = { env, out: (l: string) => lines.push(l), readPassword: async () => 'correct horse battery' };
        expect(await usersCommand(['add', '--email', 'sam@example.org', '--name', 'Sam'], io)).to.equal(0);
        const config = loadConfig(env);
        let stores = openEmbeddedStores(tmp.dir);
        const auth = authOver(stores, tmp.dir, config);
        for (let i = 0; i < 5; i++) await auth.signIn('sam@example.org', 'wrong password guess');
        const locked = await auth.signIn('sam@example.org', 'correct horse battery');
        expect(locked.ok ? 'ok' : locked.reason).to.equal('locked');
        await stores.close();

        expect(await usersCommand(['unlock', 'SAM@example.org'], io)).to.equal(0);
        expect(lines.at(-1)).to.equal('Unlocked sam@example.org. They can sign in again now.');
        expect(await usersCommand(['unlock', 'nobody@example.org'], io)).to.equal(1);

        stores = openEmbeddedStores(tmp.dir);
        const again = await authOver(stores, tmp.dir, config).signIn('sam@example.org', 'correct horse battery');
        expect(again.ok).to.equal(true);
        await stores.close();
    });

    it('needs an e-mail address', async () => {
        const env = { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
        let thrown: unknown;
        await usersCommand(['unlock'], { env }).catch((err: unknown) => (thrown = err));
        expect(thrown).to.be.instanceOf(UsageError);
        expect((thrown as Error).message).to.equal('users unlock needs an email address');
    });
});

describe('signpost users add, the password (issue 23)', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
        tmp = tempDir();
    });
    afterEach(() => tmp.remove());

    /** A terminal that answers each prompt with the next of `answers` (undefined: the input ended). */
    function terminal(answers: (string | undefined)[]) {
        const prompts: string[] = [];
        const said: string[] = [];
        return {
            prompts, said,
            io: {
                env: { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' },
                interactive: true,
                out: () => undefined,
                err: (line: string) => said.push(line),
                readPassword: async (prompt: string) => {
                    prompts.push(prompt);
                    return answers.shift();
                },
            },
        };
    }

    async function accounts(): Promise<string[]> {
        const stores = openEmbeddedStores(tmp.dir);
        try {
            return (await stores.users.list()).map((u) => u.email);
        } finally {
            await stores.close();
        }
    }

    it('asks twice at a terminal, and again when the two differ or it is too short, rather than stopping', async () => {
        const t = terminal(['short', 'correct horse battery', 'correct horse batery', 'correct horse battery',
            'correct horse battery']);
        expect(await usersCommand(['add', '--email', 'lee@example.org', '--name', 'Lee'], t.io)).to.equal(0);
        expect(t.prompts).to.deep.equal(['Password for the new account: ', 'Password for the new account: ',
            'Type it again: ', 'Password for the new account: ', 'Type it again: ']);
        expect(t.said).to.have.length(2);
        expect(t.said[0]).to.match(/at least \d+ characters/);
        expect(t.said[1]).to.match(/not the same/);
        expect(await accounts()).to.deep.equal(['lee@example.org']);
        const stores = openEmbeddedStores(tmp.dir);
        const auth = authOver(stores, tmp.dir, loadConfig(t.io.env));
        expect((await auth.signIn('lee@example.org', 'correct horse battery')).ok).to.equal(true);
        await stores.close();
    });

    it('makes no account when the input ends before a password is agreed (exit 1)', async () => {
        const t = terminal(['correct horse battery', undefined]);
        expect(await usersCommand(['add', '--email', 'lee@example.org', '--name', 'Lee'], t.io)).to.equal(1);
        expect(await accounts()).to.deep.equal([]);
    });

    it('reads one line when the password is piped in, as scripts do, and a short one is still exit 1', async () => {
        const env = { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
        let asked = 0;
        const piped = (password: string) => ({
            env, interactive: false, out: () => undefined, err: () => undefined,
            readPassword: async () => (asked++, password),
        });
        expect(await usersCommand(['add', '--email', 'a@example.org', '--name', 'A'], piped('short'))).to.equal(1);
        expect(asked).to.equal(1);
        expect(await usersCommand(['add', '--email', 'b@example.org', '--name', 'B'],
            piped('correct horse battery'))).to.equal(0);
        expect(asked).to.equal(2);
        expect(await accounts()).to.deep.equal(['b@example.org']);
    });

    it('makes a curator account with --role curator (issue 21), and refuses a role it does not know', async () => {
        const env = { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
        const said: string[] = [];
        const io = { env, interactive: false, out: () => undefined, err: (line: string) => said.push(line),
            readPassword: async () => 'correct horse battery' };
        expect(await usersCommand(['add', '--email', 'cleo@example.org', '--name', 'Cleo', '--role', 'curator'], io))
            .to.equal(0);
        let refused: unknown;
        try {
            await usersCommand(['add', '--email', 'x@example.org', '--name', 'X', '--role', 'editor'], io);
        } catch (err) {
            refused = err;
        }
        expect(String(refused)).to.include('--role must be one of: connector, lead, curator');
        expect(said).to.deep.equal([]);
        const stores = openEmbeddedStores(tmp.dir);
        try {
            expect((await stores.users.list()).map((u) => [u.email, u.role])).to.deep.equal([['cleo@example.org',
                'curator']]);
        } finally {
            await stores.close();
        }
    });
});

describe('signpost users link and unlink (Claim from Teams)', () => {
    let tmp: ReturnType<typeof tempDir>;
    beforeEach(() => {
        tmp = tempDir();
    });
    afterEach(() => tmp.remove());

    it('links an account to a Teams user by object id, replaces it, unlinks it; refuses what is not an object id',
        async () => {
            const env = { SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' };
            const lines: string[] = [];
            const io = { env, out: (l: string) => lines.push(l), readPassword: async () => 'correct horse battery' };
            expect(await usersCommand(['add', '--email', 'sam@example.org', '--name', 'Sam'], io)).to.equal(0);
            const aad = '6A3B8F0E-1C2D-4E5F-8A9B-0C1D2E3F4A5B';
            expect(await usersCommand(['link', 'Sam@example.org', aad], io)).to.equal(0);
            expect(lines.at(-1)).to.equal(`Linked sam@example.org to the Teams user ${aad.toLowerCase()}. `
                + 'They can claim requests from Teams now.');
            const stores = openEmbeddedStores(tmp.dir);
            const sam = (await stores.users.getByEmail('sam@example.org'))!;
            expect(await stores.teamsLinks.byAccount(sam.id)).to.deep.include(
                { aadObjectId: aad.toLowerCase(), via: 'lead' });
            await stores.close();

            for (const bad of [['link', 'sam@example.org'], ['link', 'sam@example.org', 'Sam Smith'],
                ['link', 'sam@example.org', 'sam@contoso.com'], ['link', 'not-an-email', aad], ['unlink']]) {
                await usersCommand(bad, io).then(() => expect.fail(bad.join(' ')),
                    (err: unknown) => expect(err, bad.join(' ')).to.be.instanceOf(UsageError));
            }
            expect(await usersCommand(['link', 'nobody@example.org', aad], io)).to.equal(1);
            expect(await usersCommand(['unlink', 'sam@example.org'], io)).to.equal(0);
            expect(lines.at(-1)).to.equal('Unlinked sam@example.org from Teams. Claim in Teams no longer works for them.');
            expect(await usersCommand(['unlink', 'sam@example.org'], io)).to.equal(0);
            expect(lines.at(-1)).to.equal('sam@example.org was not linked to Teams.');
        });
});
