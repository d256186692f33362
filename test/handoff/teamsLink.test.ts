/**
 * Teams link codes (src/handoff/teamsLink.ts) against a real SQLite file: tries fired at the same moment cannot slip
 * past the limits (each is counted before any code is looked at), one busy guesser cannot lock everyone else out,
 * and only connectors and leads act from Teams.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { KeyedHasher } from '../../src/keyedHash';
import {
    LINK_CODE_DIGITS, LINK_TRIES_FOR_EVERYONE, LINK_TRIES_PER_TEAMS_USER, TeamsLinking,
} from '../../src/handoff/teamsLink';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { Stores } from '../../src/storage/stores';
import type { WorkspaceRole } from '../../src/storage/userStore';
import { tempDir } from '../helpers/tmp';

const log = { info() {}, warn() {}, error() {}, debug() {} };

describe('Teams link codes', () => {
    let tmp: ReturnType<typeof tempDir>;
    let stores: Stores;
    let linking: TeamsLinking;
    /** How many codes were looked up (a try that got as far as being evaluated). */
    let evaluated: number;

    beforeEach(() => {
        tmp = tempDir();
        stores = openEmbeddedStores(tmp.dir);
        evaluated = 0;
        const links = stores.teamsLinks;
        const counted = Object.create(links) as typeof links;
        counted.takeCode = (hash, now) => {
            evaluated++;
            return links.takeCode(hash, now);
        };
        linking = new TeamsLinking({ links: counted, users: stores.users, attempts: stores.attempts,
            hasher: new KeyedHasher(Buffer.alloc(32, 3)), log, now: () => new Date() });
    });
    afterEach(async () => {
        await stores.close();
        tmp.remove();
    });

    async function account(role: WorkspaceRole): Promise<string> {
        const id = randomUUID();
        await stores.users.create({ id, email: `${id}@example.org`, name: 'Vic', role,
            createdAt: new Date().toISOString() });
        return id;
    }

    /** A code of the right length that is not `code`. */
    function wrongCode(code: string, n = 1): string {
        return String((Number(code) + n) % 10 ** LINK_CODE_DIGITS).padStart(LINK_CODE_DIGITS, '0');
    }

    it('makes codes of eight digits', async () => {
        const made = await linking.newCode(await account('connector'));
        expect(made).to.have.property('code').that.matches(/^\d{8}$/);
    });

    it('a burst of a thousand tries at once from one Teams user: at most five are evaluated, and the right code at '
        + 'the end links nobody', async function () {
        this.timeout(120_000);
        const victim = await account('lead');
        const made = await linking.newCode(victim);
        if (!('code' in made)) throw new Error('no code');
        const tries = Array.from({ length: 999 }, (_, i) => wrongCode(made.code, i + 1));
        tries.push(made.code);
        const results = await Promise.all(tries.map((c) => linking.redeem('attacker-aad', c)));
        expect(evaluated).to.be.at.most(LINK_TRIES_PER_TEAMS_USER);
        expect(results.filter((r) => 'linked' in r)).to.have.length(0);
        expect(results.filter((r) => 'refused' in r && r.refused === 'too-many'))
            .to.have.length(1000 - evaluated);
        expect(await stores.teamsLinks.byTeamsUser('attacker-aad')).to.equal(undefined);
    });

    it('counts every try, a right one too: five tries in all, then even a fresh right code is refused', async () => {
        const sam = await account('connector');
        const first = await linking.newCode(sam);
        if (!('code' in first)) throw new Error('no code');
        expect(await linking.redeem('sam-aad', first.code)).to.have.property('linked');
        for (let i = 0; i < LINK_TRIES_PER_TEAMS_USER - 1; i++) {
            expect(await linking.redeem('sam-aad', wrongCode(first.code))).to.deep.equal({ refused: 'wrong' });
        }
        const second = await linking.newCode(sam);
        if (!('code' in second)) throw new Error('no code');
        expect(await linking.redeem('sam-aad', second.code)).to.deep.equal({ refused: 'too-many' });
    });

    it('ten Teams users trying five wrong codes each do not lock out a connector with the right code', async () => {
        const sam = await account('connector');
        const made = await linking.newCode(sam);
        if (!('code' in made)) throw new Error('no code');
        await Promise.all(Array.from({ length: 10 }, (_, u) => Promise.all(Array.from({ length: 5 },
            (_, i) => linking.redeem(`guesser-${u}`, wrongCode(made.code, i + 1))))));
        const res = await linking.redeem('sam-aad', made.code);
        expect(res).to.have.property('linked').that.deep.includes({ id: sam });
    });

    it('a locked-out Teams user hammering on does not use up everyone\'s tries; many users together still stop',
        async function () {
            this.timeout(120_000); // a thousand tries against a real database file, on a busy machine
            const sam = await account('connector');
            const made = await linking.newCode(sam);
            if (!('code' in made)) throw new Error('no code');
            // One user: two hundred tries, only five count for everyone.
            await Promise.all(Array.from({ length: 200 },
                (_, i) => linking.redeem('hammer', wrongCode(made.code, i + 1))));
            // Enough users, each within their own limit, to use up everyone's tries (less the hammer's five).
            const users = Math.ceil((LINK_TRIES_FOR_EVERYONE - LINK_TRIES_PER_TEAMS_USER) / LINK_TRIES_PER_TEAMS_USER);
            evaluated = 0;
            await Promise.all(Array.from({ length: users }, (_, u) => Promise.all(Array.from(
                { length: LINK_TRIES_PER_TEAMS_USER },
                (_, i) => linking.redeem(`many-${u}`, wrongCode(made.code, i + 1))))));
            expect(evaluated).to.be.at.most(LINK_TRIES_FOR_EVERYONE - LINK_TRIES_PER_TEAMS_USER);
            expect(await linking.redeem('sam-aad', made.code)).to.deep.equal({ refused: 'too-many' });
        });

    it('acts from Teams only as a connector or a lead: a linked curator account is no actor', async () => {
        const cara = await account('curator');
        const lee = await account('lead');
        const at = new Date().toISOString();
        await stores.teamsLinks.link({ aadObjectId: 'aad-cara', userId: cara, via: 'lead', linkedAt: at });
        await stores.teamsLinks.link({ aadObjectId: 'aad-lee', userId: lee, via: 'lead', linkedAt: at });
        expect(await linking.actorOf('aad-cara')).to.equal(undefined);
        expect(await linking.actorOf('aad-lee')).to.deep.equal({ id: lee, name: 'Vic', lead: true });
    });

    it('a curator cannot link by a code either', async () => {
        const cara = await account('curator');
        const made = await linking.newCode(cara);
        if (!('code' in made)) throw new Error('no code');
        expect(await linking.redeem('aad-cara', made.code)).to.deep.equal({ refused: 'wrong' });
        expect(await stores.teamsLinks.byTeamsUser('aad-cara')).to.equal(undefined);
    });
});
