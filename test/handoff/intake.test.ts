/** The intake of requests for contact over a real SQLite store: merging repeats, and the limits per contact. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { RequestIntake, normalisedContact } from '../../src/handoff/intake';
import { KeyedHasher } from '../../src/keyedHash';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { Stores } from '../../src/storage/ports';
import { sampleEscalation } from '../storage/contract';
import { tempDir } from '../helpers/tmp';

describe('the intake of requests for contact', () => {
    let tmp: ReturnType<typeof tempDir>;
    let stores: Stores;
    let clock: Date;
    let intake: RequestIntake;
    const request = (value: string, over: Parameters<typeof sampleEscalation>[0] = {}) => {
        const id = randomUUID();
        return sampleEscalation({ id, reference: `SP-${id.replace(/[^A-HJ-NP-Z2-9]/gi, '').slice(0, 6).toUpperCase()}`,
            contact: { method: 'phone', value }, createdAt: clock.toISOString(), ...over });
    };

    beforeEach(() => {
        tmp = tempDir();
        stores = openEmbeddedStores(tmp.dir);
        clock = new Date('2026-03-02T10:00:00Z');
        intake = new RequestIntake({
            store: stores.escalations, attempts: stores.attempts, hasher: new KeyedHasher(Buffer.alloc(32, 1)),
            limits: { perContactPerDay: 3, perAddressPerHour: 6 }, log: createLogger('silent'), now: () => clock,
        });
    });
    afterEach(async () => {
        await stores.close();
        tmp.remove();
    });

    it('takes a number however it was typed, and an e-mail in any case, as one contact', () => {
        const phones = ['+44 7700 900456', '07700-900-456', '0044 7700900456', '(07700) 900 456']
            .map((v) => intake.contactKey('phone', v));
        expect(new Set([...phones, intake.contactKey('text', '07700900456')]).size).to.equal(1);
        expect(intake.contactKey('email', ' Sam@Example.org')).to.equal(intake.contactKey('email', 'sam@example.org'));
        expect(intake.contactKey('phone', '07700900457')).to.not.equal(phones[0]);
        expect(normalisedContact('phone', '+44 7700 900456')).to.equal('phone:07700900456');
        // Keyed: not the plain SHA-256 of the number, and nothing of the number in it.
        expect(phones[0]).to.match(/^[\w-]{32}$/).and.not.include('900456');
    });

    it('makes one request of twenty at once from one number, the others merged into it', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
            intake.submit(request('07700 900456', { residentKey: `resident-${i}` }), 'client-1')));
        expect(results.filter((r) => r.kind === 'created')).to.have.length(1);
        expect(results.filter((r) => r.kind === 'merged')).to.have.length(19);
        const [stored] = await stores.escalations.list();
        expect(stored!.repeats).to.equal(19);
    });

    it('lets one number make three new requests a day, then refuses until the day is over', async () => {
        const closeAll = async () => {
            for (const e of await stores.escalations.list({ status: 'new' })) {
                await stores.escalations.change(e.reference, { from: ['new'], to: 'closed', outcome: 'declined',
                    audit: { at: clock.toISOString(), actor: 'u1', action: 'closed' } });
            }
        };
        const kinds = [];
        for (let i = 0; i < 4; i++) {
            kinds.push((await intake.submit(request('07700900456', { residentKey: `r${i}` }), `client-${i}`)).kind);
            await closeAll();
        }
        expect(kinds).to.deep.equal(['created', 'created', 'created', 'refused']);
        clock = new Date(clock.getTime() + 25 * 3_600_000);
        expect((await intake.submit(request('07700900456'), 'client-9')).kind).to.equal('created');
    });

    it('limits a resident with no client address (Teams, SMS) to six new requests an hour', async () => {
        const results = [];
        for (let i = 0; i < 7; i++) results.push(await intake.submit(request(`0770090010${i}`)));
        expect(results.map((r) => r.kind)).to.deep.equal([...Array(6).fill('created'), 'refused']);
        expect(results[6]).to.deep.equal({ kind: 'refused', per: 'resident' });
    });
});
