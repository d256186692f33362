/**
 * The intake of requests for contact over a real SQLite store: merging a resident's own repeats, a new request for
 * anyone else with the same contact detail, and the limits per contact.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { parseUkPhone } from '../../src/conversation/parse';
import { readRepeatDetail } from '../../src/handoff/escalation';
import { RequestIntake, normalisedContact } from '../../src/handoff/intake';
import { KeyedHasher } from '../../src/keyedHash';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { Stores } from '../../src/storage/stores';
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

    it('reads a number exactly as the dialog does, full-width digits and all', () => {
        for (const typed of ['+44 7700 900456', '0044 (7700) 900-456', '０７７００ ９００４５６', '07700\u00A0900456']) {
            expect(parseUkPhone(typed), typed).to.equal('07700900456');
            expect(normalisedContact('text', typed), typed).to.equal('phone:07700900456');
        }
    });

    it('merges twenty at once from the same resident with one number into one request', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () =>
            intake.submit(request('07700 900456', { residentKey: 'resident-1' }), 'client-1')));
        expect(results.filter((r) => r.kind === 'created')).to.have.length(1);
        expect(results.filter((r) => r.kind === 'merged')).to.have.length(19);
        const [stored] = await stores.escalations.list();
        expect(stored!.repeats).to.equal(19);
    });

    it('never merges another resident\'s request into an open one with the same number: a new one, marked',
        async () => {
            const first = await intake.submit(request('07700 900456', { residentKey: 'resident-1' }), 'client-1');
            expect(first.kind).to.equal('created');
            // A shared household phone: someone else, from another chat, with other needs and words.
            const second = await intake.submit(request('+44 7700 900456', { residentKey: 'resident-2',
                contact: { method: 'text', value: '+44 7700 900456', name: 'Kim' },
                summary: { needs: ['money'], inOwnWords: 'rent', preferences: [], suggested: [],
                    crisisShown: false } }), 'client-2');
            expect(second.kind, 'the second resident\'s request').to.equal('created');
            const stored = await stores.escalations.getByReference(second.kind === 'created'
                ? second.escalation.reference : '');
            expect(stored, 'stored whole').to.deep.include({ residentKey: 'resident-2',
                sameContactAs: [first.kind === 'created' ? first.escalation.reference : ''] });
            expect(stored!.contact).to.deep.equal({ method: 'text', value: '+44 7700 900456', name: 'Kim' });
            expect(stored!.summary.needs).to.deep.equal(['money']);
            expect(stored!.summary.inOwnWords).to.equal('rent');
            const firstStored = (await stores.escalations.list()).find((e) => e.residentKey === 'resident-1')!;
            expect(firstStored.repeats, 'the first request is untouched').to.equal(undefined);
            expect(firstStored.sameContactAs).to.equal(undefined);
        });

    it('makes at most three requests of twenty residents at once with one number, refusing the rest', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
            intake.submit(request('07700 900456', { residentKey: `resident-${i}` }), 'client-1')));
        expect(results.filter((r) => r.kind === 'created')).to.have.length(3);
        expect(results.filter((r) => r.kind === 'refused')).to.have.length(17);
        expect(results.filter((r) => r.kind === 'refused').every((r) => r.kind === 'refused' && r.per === 'contact'))
            .to.equal(true);
        const stored = await stores.escalations.list();
        expect(stored).to.have.length(3);
        // Each later one names the open ones before it, so a connector can handle them together.
        expect(stored.map((e) => e.sameContactAs?.length ?? 0).sort()).to.deep.equal([0, 1, 2]);
    });

    it('keeps the new needs of a repeat from the same resident in its audit line', async () => {
        const first = await intake.submit(request('07700900456'), 'client-1');
        const again = await intake.submit(request('07700900456', { priority: 'urgent',
            summary: { needs: ['loneliness', 'money', 'housing'], preferences: [], suggested: [],
                crisisShown: true } }),
        'client-1');
        expect(again.kind).to.equal('merged');
        const reference = first.kind === 'created' ? first.escalation.reference : '';
        const repeated = (await stores.escalations.auditTrail(reference)).filter((a) => a.action === 'repeated');
        expect(repeated.map((a) => a.detail)).to.deep.equal(['urgent; needs: money, housing']);
        expect(readRepeatDetail(repeated[0]!.detail)).to.deep.equal({ urgent: true, needs: ['money', 'housing'] });
        await intake.submit(request('07700900456'), 'client-1');
        const trail = await stores.escalations.auditTrail(reference);
        expect(trail.filter((a) => a.action === 'repeated').at(-1)?.detail, 'nothing new').to.equal(undefined);
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
