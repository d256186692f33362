/**
 * The storage contract, run against every adapter (as botbuilder-js storageBaseTests does). Each adapter's test
 * file calls `describeStoreContract` with a way to open a fresh store.
 */
import { expect } from 'chai';
import { ETagConflictError, type Stores } from '../../src/storage/ports';
import type { Escalation } from '../../src/handoff/escalation';

export function sampleEscalation(over: Partial<Escalation> = {}): Escalation {
    return {
        id: over.id ?? 'esc-1',
        reference: over.reference ?? 'SP-ABCDEF',
        status: 'new',
        priority: 'normal',
        createdAt: '2026-11-25T10:00:00.000Z',
        dueBy: '2026-11-27T10:00:00.000Z',
        residentKey: 'resident-1',
        channelId: 'webchat',
        conversationId: 'conv-1',
        contact: { method: 'phone', value: '07700900123', bestTime: 'Mornings' },
        summary: { needs: ['loneliness'], preferences: ['near BS5'], suggested: [], crisisShown: false },
        consent: { given: true, at: '2026-11-25T10:00:00.000Z', wording: 'Is that OK?' },
        ...over,
    };
}

export function describeStoreContract(name: string, open: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>) {
    describe(`the ${name} store`, () => {
        let stores: Stores;
        let cleanup: () => Promise<void>;
        beforeEach(async () => ({ stores, cleanup } = await open()));
        afterEach(async () => cleanup());

        describe('when state is written and read back', () => {
            it('returns the same document with an eTag', async () => {
                await stores.state.write({ a: { count: 1, nested: { list: [1, 2] } } });
                const read = await stores.state.read(['a', 'missing']);
                expect(read).to.have.keys(['a']);
                expect(read.a).to.include({ count: 1 });
                expect(read.a.nested).to.deep.equal({ list: [1, 2] });
                expect(read.a.eTag).to.be.a('string').and.not.equal('*');
            });

            it('changes the eTag on every write', async () => {
                await stores.state.write({ a: { n: 1 } });
                const first = (await stores.state.read(['a'])).a.eTag;
                await stores.state.write({ a: { n: 2, eTag: first } });
                const second = (await stores.state.read(['a'])).a;
                expect(second.n).to.equal(2);
                expect(second.eTag).to.not.equal(first);
            });
        });

        describe('when two writers race on one document', () => {
            it('rejects the stale write and keeps the first', async () => {
                await stores.state.write({ a: { n: 1 } });
                const stale = (await stores.state.read(['a'])).a.eTag;
                await stores.state.write({ a: { n: 2, eTag: stale } });
                let error: unknown;
                try {
                    await stores.state.write({ a: { n: 3, eTag: stale } });
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(ETagConflictError);
                expect((await stores.state.read(['a'])).a.n).to.equal(2);
            });

            it('lets "*" overwrite whatever is there', async () => {
                await stores.state.write({ a: { n: 1 } });
                await stores.state.write({ a: { n: 5, eTag: '*' } });
                expect((await stores.state.read(['a'])).a.n).to.equal(5);
            });
        });

        describe('when state is deleted', () => {
            it('is gone, and deleting a missing key is fine', async () => {
                await stores.state.write({ a: { n: 1 }, b: { n: 2 } });
                await stores.state.delete(['a', 'never-there']);
                expect(await stores.state.read(['a', 'b'])).to.have.keys(['b']);
            });
        });

        describe('when old conversations are swept', () => {
            it('removes state older than the retention period only', async () => {
                await stores.state.write({ old: { n: 1 } });
                const inTenDays = new Date(Date.now() + 10 * 86_400_000);
                expect(await stores.sweep(30, inTenDays)).to.equal(0);
                expect(await stores.sweep(5, inTenDays)).to.equal(1);
                expect(await stores.state.read(['old'])).to.deep.equal({});
            });
        });

        describe('when a request for contact is stored', () => {
            it('can be found by its reference and by its resident', async () => {
                await stores.escalations.create(sampleEscalation());
                const found = await stores.escalations.getByReference('SP-ABCDEF');
                expect(found?.contact.value).to.equal('07700900123');
                expect(await stores.escalations.listForResident('resident-1')).to.have.length(1);
                expect(await stores.escalations.list({ status: 'new' })).to.have.length(1);
                expect(await stores.escalations.list({ status: 'closed' })).to.have.length(0);
            });

            it('refuses a second request with the same reference', async () => {
                await stores.escalations.create(sampleEscalation());
                let error: unknown;
                try {
                    await stores.escalations.create(sampleEscalation({ id: 'esc-2' }));
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(Error);
                expect(await stores.escalations.list()).to.have.length(1);
            });
        });

        describe("when a resident deletes their requests", () => {
            it('removes those not yet picked up and keeps the others', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM', status: 'claimed' }));
                await stores.escalations.create(sampleEscalation({ id: 'esc-3', reference: 'SP-NPQRST', residentKey: 'other' }));
                const outcome = await stores.escalations.deleteUnactioned('resident-1');
                expect(outcome).to.deep.equal({ deleted: ['SP-ABCDEF'], kept: ['SP-GHJKLM'] });
                expect(await stores.escalations.getByReference('SP-ABCDEF')).to.equal(undefined);
                expect(await stores.escalations.getByReference('SP-NPQRST')).to.not.equal(undefined);
            });
        });
    });
}
