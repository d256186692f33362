/**
 * The storage contract, run against every adapter (as botbuilder-js storageBaseTests does). Each adapter's test
 * file calls `describeStoreContract` with a way to open a fresh store.
 */
import { expect } from 'chai';
import { DocumentTooLargeError } from '../../src/storage/limits';
import { ETagConflictError } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import type { WorkspaceUser } from '../../src/storage/userStore';
import { STORE_LIMITS } from '../../src/storage/limits';
import type { AuditEntry, Escalation, SocialPrescribingPlan } from '../../src/storage/escalationRecord';
import type { QueueQuery } from '../../src/storage/escalationStore';
import {
    SCHEDULED_MAX_ATTEMPTS, ScheduledMessageError, type NewScheduledMessage,
} from '../../src/storage/scheduledMessageStore';
import type {
    CuratorAction, CuratorChange, ListingProblem,
} from '../../src/storage/listingFeedbackStore';

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

/** A plan and outcome (issue 20), as a store keeps it. */
const SAMPLE_PLAN: SocialPrescribingPlan = {
    needsAndConcerns: 'Lonely', whatMatters: 'Gardening', supportOffered: 'Garden club', outcome: 'Goes weekly',
    gpAgreement: 'agreed', gpAgreementAt: '2026-11-25T12:00:00.000Z', recordedAt: '2026-11-25T12:00:00.000Z',
    recordedBy: { id: 'u1', name: 'Sam' },
};

/** Something of every kind a store holds, for migration tests. Returns what was put in, to compare. */
export async function populateStores(stores: Stores) {
    await stores.state.write({
        'webchat/conversations/c1/': { profile: { needs: ['loneliness'] }, $odd: { 'a.b': 1 } },
        'webchat/users/u1/': { seen: true },
    });
    await stores.escalations.create(sampleEscalation());
    await stores.escalations.create(
        sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM', residentKey: 'resident-2' }));
    await stores.escalations.change('SP-ABCDEF', {
        from: ['new'], to: 'claimed', assignee: { id: 'u1', name: 'Sam' },
        audit: { at: '2026-11-25T11:00:00.000Z', actor: 'u1', action: 'claimed' },
    });
    await stores.escalations.appendAudit('SP-ABCDEF',
        { at: '2026-11-25T11:05:00.000Z', actor: 'u1', action: 'note', detail: 'Left a voicemail' });
    await stores.escalations.setConversationReference('SP-ABCDEF', { serviceUrl: 'https://x', channelId: 'webchat' });
    await stores.escalations.setRelay('SP-ABCDEF', { id: 'u1', name: 'Sam' },
        { at: '2026-11-25T11:06:00.000Z', actor: 'u1', action: 'relay-started' });
    await stores.escalations.appendChat('SP-ABCDEF',
        { at: '2026-11-25T11:07:00.000Z', actor: 'u1', action: 'message-sent', detail: 'Hello, I am Sam' });
    await stores.escalations.appendChat('SP-ABCDEF',
        { at: '2026-11-25T11:08:00.000Z', actor: 'resident', action: 'resident-message', detail: 'Hi Sam' });
    await stores.escalations.setPlan('SP-GHJKLM', SAMPLE_PLAN,
        { at: SAMPLE_PLAN.recordedAt, actor: 'u1', action: 'plan-recorded', detail: 'GP agreement: agreed' }, null);
    await stores.users.create({
        id: 'u1', email: 'sam@example.org', name: 'Sam', role: 'connector', passwordHash: 'scrypt$x',
        createdAt: '2026-11-25T10:00:00.000Z',
    });
    await stores.users.create({
        id: 'u2', email: 'lee@example.org', name: 'Lee', role: 'lead', createdAt: '2026-11-25T10:00:00.000Z',
    });
    await stores.teamsLinks.link({ aadObjectId: 'aad-sam', userId: 'u1', via: 'code',
        linkedAt: '2026-11-25T10:30:00.000Z' });
    await stores.sessions.create({
        id: 'hash-1', userId: 'u1', csrfToken: 'c', createdAt: '2026-11-25T10:00:00.000Z',
        expiresAt: '2099-11-25T18:00:00.000Z',
    });
    await stores.optOuts.record('key-1', true, '2026-11-25T10:00:00.000Z');
    await stores.analytics.recordUnmet(['housing', 'money'], '2026-11-23T09:00:00.000Z');
    await stores.directLine.createConversation({ id: 'chat-1', userId: 'dl_1', createdAt: '2026-11-25T10:00:00.000Z' });
    for (const text of ['one', 'two', 'three']) {
        await stores.directLine.append('chat-1', (seq) => ({ id: `chat-1|${seq}`, text, channelData: { $k: 1 } }));
    }
    await stores.listingFeedback.recordReport(
        { listingId: 'opp-1', problem: 'phone', at: '2026-11-25T10:00:00.000Z', channel: 'sms' });
    await stores.listingFeedback.decide({
        listingId: 'opp-2', action: 'hidden', by: 'u2', at: '2026-11-25T12:00:00.000Z', fingerprint: 'f2',
    });
}

/** Reads back what populateStores wrote, and says whether it is all there. */
export async function expectPopulated(stores: Stores) {
    const state = await stores.state.read(['webchat/conversations/c1/', 'webchat/users/u1/']);
    expect(state['webchat/conversations/c1/'])
        .to.deep.include({ profile: { needs: ['loneliness'] }, $odd: { 'a.b': 1 } });
    expect(state['webchat/users/u1/']).to.deep.include({ seen: true });
    const escalation = await stores.escalations.getByReference('SP-ABCDEF');
    expect(escalation).to.deep.include({
        id: 'esc-1', status: 'claimed', assignee: { id: 'u1', name: 'Sam' }, relay: { id: 'u1', name: 'Sam' },
        conversationReference: { serviceUrl: 'https://x', channelId: 'webchat' },
    });
    expect(escalation?.contact.value).to.equal('07700900123');
    expect((await stores.escalations.auditTrail('SP-ABCDEF')).map((a) => [a.action, a.detail])).to.deep.equal([
        ['created', undefined], ['claimed', undefined], ['note', 'Left a voicemail'], ['relay-started', undefined],
    ]);
    expect((await stores.escalations.relayFor('webchat', 'conv-1'))?.reference).to.equal('SP-ABCDEF');
    expect(await stores.escalations.chat('SP-ABCDEF')).to.deep.equal({
        total: 2, dropped: 0, lines: [
            { n: 1, at: '2026-11-25T11:07:00.000Z', actor: 'u1', action: 'message-sent', detail: 'Hello, I am Sam' },
            { n: 2, at: '2026-11-25T11:08:00.000Z', actor: 'resident', action: 'resident-message', detail: 'Hi Sam' },
        ],
    });
    expect((await stores.escalations.getByReference('SP-GHJKLM'))?.residentKey).to.equal('resident-2');
    expect((await stores.escalations.getByReference('SP-GHJKLM'))?.plan).to.deep.equal(SAMPLE_PLAN);
    expect((await stores.escalations.auditTrail('SP-GHJKLM')).map((a) => a.action))
        .to.deep.equal(['created', 'plan-recorded']);
    expect((await stores.users.getByEmail('sam@example.org'))?.passwordHash).to.equal('scrypt$x');
    expect(await stores.users.get('u2')).to.deep.include({ role: 'lead', email: 'lee@example.org' });
    expect(await stores.teamsLinks.byTeamsUser('aad-sam')).to.deep.equal({ aadObjectId: 'aad-sam', userId: 'u1',
        via: 'code', linkedAt: '2026-11-25T10:30:00.000Z' });
    expect((await stores.sessions.get('hash-1', '2026-11-25T12:00:00.000Z'))?.userId).to.equal('u1');
    expect(await stores.optOuts.isOptedOut('key-1')).to.equal(true);
    expect(await stores.analytics.unmetSince('2026-11-23')).to.have.length(2);
    const chat = await stores.directLine.since('chat-1', 1, 10);
    expect(chat.map((e) => [e.seq, e.activity.text, e.activity.channelData])).to.deep.equal([
        [2, 'two', { $k: 1 }], [3, 'three', { $k: 1 }],
    ]);
    // The copied conversation carries on numbering where it was.
    expect((await stores.directLine.append('chat-1', () => ({ text: 'four' }))).seq).to.equal(4);
    expect(await stores.listingFeedback.reports(10)).to.deep.equal([{
        listingId: 'opp-1', count: 1, problems: { phone: 1 }, firstAt: '2026-11-25T10:00:00.000Z',
        lastAt: '2026-11-25T10:00:00.000Z',
    }]);
    expect((await stores.listingFeedback.decisions()).map((d) => [d.listingId, d.hidden, d.fingerprint, d.by]))
        .to.deep.equal([['opp-2', true, 'f2', 'u2']]);
}

export function describeStoreContract(
    name: string, open: () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>,
) {
    describe(`the ${name} store`, () => {
        let stores: Stores;
        let cleanup: () => Promise<void>;
        beforeEach(async () => ({ stores, cleanup } = await open()));
        afterEach(async () => cleanup?.());

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

            it('keeps who a request made for someone else is for, and leaves it out of one that is not', async () => {
                const onBehalf = { relation: 'parent', word: 'dad', professional: false, agrees: 'unsure' as const,
                    contactOf: 'person' as const };
                await stores.escalations.create(sampleEscalation({ onBehalf }));
                await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM' }));
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.onBehalf).to.deep.equal(onBehalf);
                expect((await stores.escalations.list({ status: 'new' })).find((e) => e.reference === 'SP-ABCDEF')
                    ?.onBehalf).to.deep.equal(onBehalf);
                expect(await stores.escalations.getByReference('SP-GHJKLM')).to.not.have.property('onBehalf');
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

        describe('when connectors change a request', () => {
            const claim = (id: string, at = '2026-11-25T11:00:00.000Z') => stores.escalations.change('SP-ABCDEF', {
                from: ['new'], to: 'claimed', assignee: { id, name: `Name ${id}` },
                audit: { at, actor: id, action: 'claimed' },
            });

            it('lets exactly one of twenty simultaneous claims win, and the others see who has it', async () => {
                await stores.escalations.create(sampleEscalation());
                const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(`user-${i}`)));
                const winners = results.filter((r) => r.applied);
                expect(winners).to.have.length(1);
                const winner = winners[0]!.applied ? winners[0]!.escalation.assignee : undefined;
                for (const r of results.filter((x) => !x.applied)) {
                    expect(r.applied ? undefined : r.current?.assignee).to.deep.equal(winner);
                }
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail.map((a) => a.action)).to.deep.equal(['created', 'claimed']);
                expect(trail[1]!.actor).to.equal(winner!.id);
            });

            it('changes only from the named statuses, and only for the holder when one is named', async () => {
                await stores.escalations.create(sampleEscalation());
                expect((await claim('sam')).applied).to.equal(true);
                const byOther = await stores.escalations.change('SP-ABCDEF', {
                    from: ['claimed'], to: 'in-contact', assignedTo: 'alex', firstContact: true,
                    audit: { at: '2026-11-25T12:00:00.000Z', actor: 'alex', action: 'in-contact' },
                });
                expect(byOther.applied).to.equal(false);
                expect(byOther.applied ? undefined : byOther.current?.status).to.equal('claimed');
                const bySam = await stores.escalations.change('SP-ABCDEF', {
                    from: ['claimed'], to: 'in-contact', assignedTo: 'sam', firstContact: true,
                    audit: { at: '2026-11-25T12:00:00.000Z', actor: 'sam', action: 'in-contact' },
                });
                expect(bySam.applied && bySam.escalation.firstContactAt).to.equal('2026-11-25T12:00:00.000Z');
                const closed = await stores.escalations.change('SP-ABCDEF', {
                    from: ['claimed', 'in-contact'], to: 'closed', assignedTo: 'sam', outcome: 'connected',
                    audit: { at: '2026-11-26T09:00:00.000Z', actor: 'sam', action: 'closed', detail: 'connected' },
                });
                expect(closed.applied).to.equal(true);
                const stored = await stores.escalations.getByReference('SP-ABCDEF');
                expect(stored).to.deep.include({
                    status: 'closed', outcome: 'connected', closedAt: '2026-11-26T09:00:00.000Z',
                    firstContactAt: '2026-11-25T12:00:00.000Z', assignee: { id: 'sam', name: 'Name sam' },
                });
                expect((await claim('alex')).applied).to.equal(false);
            });

            it('removes the holder when asked, and refuses a request that does not exist', async () => {
                await stores.escalations.create(sampleEscalation());
                await claim('sam');
                const released = await stores.escalations.change('SP-ABCDEF', {
                    from: ['claimed'], to: 'new', assignee: null,
                    audit: { at: '2026-11-25T12:00:00.000Z', actor: 'sam', action: 'released' },
                });
                expect(released.applied && released.escalation.assignee).to.equal(undefined);
                const missing = await stores.escalations.change('SP-ZZZZZZ', {
                    from: ['new'], to: 'claimed',
                    audit: { at: '2026-11-25T12:00:00.000Z', actor: 'x', action: 'claimed' },
                });
                expect(missing).to.deep.equal({ applied: false, current: undefined });
            });

            it('keeps notes in the audit trail in order, with who and when', async () => {
                await stores.escalations.create(sampleEscalation());
                expect(await stores.escalations.appendAudit('SP-ABCDEF',
                    { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note', detail: 'Left a voicemail' }))
                    .to.equal(true);
                expect(await stores.escalations.appendAudit('SP-ZZZZZZ',
                    { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note' })).to.equal(false);
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail[1]).to.deep.equal(
                    { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note', detail: 'Left a voicemail' });
            });

            it('keeps the conversation reference for proactive messages', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.escalations.setConversationReference('SP-ABCDEF',
                    { serviceUrl: 'https://x', channelId: 'webchat' });
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.conversationReference)
                    .to.deep.equal({ serviceUrl: 'https://x', channelId: 'webchat' });
            });

            it('keeps when the resident was last seen on the open requests from their conversation, later times only',
                async () => {
                    // Today's shape: a request with no residentSeenAt loads, and has none.
                    await stores.escalations.create(sampleEscalation());
                    await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM' }));
                    await stores.escalations.create(sampleEscalation({
                        id: 'esc-3', reference: 'SP-NPQRST', conversationId: 'conv-other' }));
                    await stores.escalations.create(sampleEscalation({ id: 'esc-4', reference: 'SP-UVWXYZ' }));
                    await stores.escalations.change('SP-UVWXYZ', {
                        from: ['new'], to: 'closed', outcome: 'connected',
                        audit: { at: '2026-11-25T10:30:00.000Z', actor: 'sam', action: 'closed' },
                    });
                    const seenOf = async (ref: string) => (await stores.escalations.getByReference(ref))?.residentSeenAt;
                    expect(await seenOf('SP-ABCDEF')).to.equal(undefined);

                    const later = '2026-11-25T11:00:00.000Z';
                    expect(await stores.escalations.residentSeen('webchat', 'conv-1', later)).to.equal(2);
                    expect(await seenOf('SP-ABCDEF')).to.equal(later);
                    expect(await seenOf('SP-GHJKLM')).to.equal(later);
                    expect(await seenOf('SP-NPQRST'), 'another conversation').to.equal(undefined);
                    expect(await seenOf('SP-UVWXYZ'), 'a closed request').to.equal(undefined);
                    expect(await stores.escalations.residentSeen('webchat', 'conv-1', '2026-11-25T10:59:00.000Z'))
                        .to.equal(0);
                    expect(await seenOf('SP-ABCDEF'), 'an earlier time never wins').to.equal(later);
                    expect(await stores.escalations.residentSeen('sms', 'conv-1', later), 'another channel')
                        .to.equal(0);
                });

            it('keeps the id of the message that announced it to connectors', async () => {
                await stores.escalations.create(sampleEscalation());
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.noticeId).to.equal(undefined);
                await stores.escalations.setNoticeId('SP-ABCDEF', '1732540000000');
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.noticeId).to.equal('1732540000000');
            });

            it('gives the live chat to one connector at a time, only on a claimed request, and ends it', async () => {
                const at = '2026-11-25T10:00:00.000Z';
                const sam = { id: 'sam', name: 'Sam' };
                await stores.escalations.create(sampleEscalation());
                const start = (who = sam) => stores.escalations.setRelay('SP-ABCDEF', who,
                    { at, actor: who.id, action: 'relay-started' });
                expect(await start(), 'a new request has no live chat').to.equal(false);
                await stores.escalations.change('SP-ABCDEF', {
                    from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'sam', action: 'claimed' },
                });
                const starts = await Promise.all([start(), start({ id: 'lee', name: 'Lee' })]);
                expect(starts.filter(Boolean)).to.have.length(1);
                expect((await stores.escalations.relayFor('webchat', 'conv-1'))?.reference).to.equal('SP-ABCDEF');
                expect(await stores.escalations.relayFor('webchat', 'conv-2')).to.equal(undefined);
                expect(await stores.escalations.relayFor('emulator', 'conv-1')).to.equal(undefined);
                const end = () => stores.escalations.setRelay('SP-ABCDEF', null,
                    { at, actor: 'sam', action: 'relay-ended' });
                expect(await end()).to.equal(true);
                expect(await end()).to.equal(false);
                expect(await stores.escalations.relayFor('webchat', 'conv-1')).to.equal(undefined);
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.relay).to.equal(undefined);
                const actions = (await stores.escalations.auditTrail('SP-ABCDEF')).map((a) => a.action);
                expect(actions).to.deep.equal(['created', 'claimed', 'relay-started', 'relay-ended']);
            });
        });

        describe('when connectors read the queue', () => {
            const at = '2026-11-26T10:00:00.000Z';
            const needs = (...ids: string[]) => ({ needs: ids, preferences: [], suggested: [], crisisShown: false });
            const add = (n: number, over: Partial<Escalation>) => stores.escalations.create(sampleEscalation({
                id: `esc-${n}`, reference: `SP-QUEUE${String.fromCharCode(65 + n)}`, residentKey: `r-${n}`, ...over,
            }));
            const refs = async (q: Partial<QueueQuery>) => (await stores.escalations.queuePage({
                statuses: ['new', 'claimed', 'in-contact'], at, limit: 50, ...q,
            })).escalations.map((e) => e.reference.slice(-1));
            beforeEach(async () => {
                // A: overdue normal; B: overdue urgent; C: urgent in time; D: normal in time, claimed by u1;
                // E: closed, urgent and past its due time (never overdue); F: normal in time, claimed by u2.
                await add(0, { dueBy: '2026-11-25T10:00:00.000Z', summary: needs('money-debt') });
                await add(1, { dueBy: '2026-11-26T09:00:00.000Z', priority: 'urgent', summary: needs('loneliness') });
                await add(2, { dueBy: '2026-11-26T12:00:00.000Z', priority: 'urgent', summary: needs('housing') });
                await add(3, { dueBy: '2026-11-27T10:00:00.000Z', summary: needs('loneliness', 'housing') });
                await add(4, { dueBy: '2026-11-20T10:00:00.000Z', priority: 'urgent', status: 'closed',
                    outcome: 'connected' });
                await add(5, { dueBy: '2026-11-28T10:00:00.000Z', summary: needs('transport') });
                for (const [ref, id] of [['SP-QUEUED', 'u1'], ['SP-QUEUEF', 'u2']]) {
                    await stores.escalations.change(ref!, { from: ['new'], to: 'claimed',
                        assignee: { id: id!, name: id! }, audit: { at, actor: id!, action: 'claimed' } });
                }
            });

            it('gives urgent first, overdue before in time, then by due time, filtered by status, priority, need, holder',
                async () => {
                    // An urgent request is "contact today": above a normal one that is late (A), never below.
                    expect(await refs({})).to.deep.equal(['B', 'C', 'A', 'D', 'F']);
                    expect(await refs({ statuses: ['new', 'claimed', 'in-contact', 'closed'] }))
                        .to.deep.equal(['B', 'E', 'C', 'A', 'D', 'F']);
                    expect(await refs({ statuses: ['claimed'] })).to.deep.equal(['D', 'F']);
                    expect(await refs({ priority: 'urgent' })).to.deep.equal(['B', 'C']);
                    expect(await refs({ needs: ['housing'] })).to.deep.equal(['C', 'D']);
                    expect(await refs({ needs: ['loneliness', 'money-debt'] })).to.deep.equal(['B', 'A', 'D']);
                    expect(await refs({ needs: [] })).to.deep.equal([]);
                    expect(await refs({ overdue: true })).to.deep.equal(['B', 'A']);
                    expect(await refs({ overdue: false, statuses: ['new', 'closed'] })).to.deep.equal(['E', 'C']);
                    expect(await refs({ heldBy: 'u1' })).to.deep.equal(['D']);
                    expect(await refs({ notHeldBy: 'u1' })).to.deep.equal(['B', 'C', 'A', 'F']);
                    expect(await refs({ unclaimed: true })).to.deep.equal(['B', 'C', 'A']);
                    expect(await refs({ unclaimed: true, needs: ['loneliness'], priority: 'urgent' }))
                        .to.deep.equal(['B']);
                });

            it('keeps the resident\'s language and interpreter wish, and filters by language (no language: English)',
                async () => {
                    await add(6, { dueBy: '2026-11-29T10:00:00.000Z', language: { code: 'pl', interpreter: true } });
                    await add(7, { dueBy: '2026-11-30T10:00:00.000Z', language: { code: 'cy', interpreter: false } });
                    await add(8, { dueBy: '2026-12-01T10:00:00.000Z', language: { code: 'en' } });
                    expect((await stores.escalations.getByReference('SP-QUEUEG'))?.language)
                        .to.deep.equal({ code: 'pl', interpreter: true });
                    expect((await stores.escalations.getByReference('SP-QUEUEH'))?.language)
                        .to.deep.equal({ code: 'cy', interpreter: false });
                    expect((await stores.escalations.getByReference('SP-QUEUEA'))?.language).to.equal(undefined);
                    expect(await refs({ languages: ['pl'] })).to.deep.equal(['G']);
                    expect(await refs({ languages: ['pl', 'cy'] })).to.deep.equal(['G', 'H']);
                    expect(await refs({ languages: ['en'] })).to.deep.equal(['B', 'C', 'A', 'D', 'F', 'I']);
                    expect(await refs({ languages: ['cy'], unclaimed: true })).to.deep.equal(['H']);
                    expect(await refs({ languages: [] })).to.deep.equal([]);
                    const page = await stores.escalations.queuePage({ statuses: ['new'], languages: ['pl', 'cy'], at,
                        limit: 1 });
                    expect(page.total).to.equal(2);
                });

            it('gives a page after a place, and counts all that pass the filters', async () => {
                const first = await stores.escalations.queuePage({ statuses: ['new', 'claimed'], at, limit: 2 });
                expect(first.total).to.equal(5);
                expect(first.escalations.map((e) => e.reference.slice(-1))).to.deep.equal(['B', 'C']);
                // After C (group 1, due at noon): the next groups; after A (group 2): the rest, normal and in time.
                expect(await refs({ after: [1, '2026-11-26T12:00:00.000Z', 'esc-2'], limit: 2 }))
                    .to.deep.equal(['A', 'D']);
                expect(await refs({ after: [2, '2026-11-25T10:00:00.000Z', 'esc-0'] })).to.deep.equal(['D', 'F']);
                expect(await refs({ after: [3, '2026-11-27T10:00:00.000Z', 'esc-3'] })).to.deep.equal(['F']);
                expect(await refs({ after: [3, '2026-11-28T10:00:00.000Z', 'esc-5'] })).to.deep.equal([]);
                const urgent = await stores.escalations.queuePage({ statuses: ['new'], priority: 'urgent', at,
                    limit: 1, after: [0, '2026-11-26T09:00:00.000Z', 'esc-1'] });
                expect(urgent.total).to.equal(2);
                expect(urgent.escalations.map((e) => e.reference)).to.deep.equal(['SP-QUEUEC']);
            });

            it('counts a due time as met once a connector marks contact: no longer overdue, in its place', async () => {
                await stores.escalations.change('SP-QUEUEB', { from: ['new'], to: 'claimed',
                    assignee: { id: 'u1', name: 'u1' }, audit: { at, actor: 'u1', action: 'claimed' } });
                expect(await refs({ overdue: true })).to.deep.equal(['B', 'A']);
                await stores.escalations.change('SP-QUEUEB', { from: ['claimed'], to: 'in-contact', firstContact: true,
                    audit: { at, actor: 'u1', action: 'in-contact' } });
                expect(await refs({ overdue: true })).to.deep.equal(['A']);
                expect(await refs({ overdue: false })).to.deep.equal(['B', 'C', 'D', 'F']);
                expect(await refs({})).to.deep.equal(['B', 'C', 'A', 'D', 'F']);
                // Given back to the queue after contact, it stays met: first contact was made.
                await stores.escalations.change('SP-QUEUEB', { from: ['in-contact'], to: 'new', assignee: null,
                    audit: { at, actor: 'u1', action: 'released' } });
                expect(await refs({ overdue: true })).to.deep.equal(['A']);
            });

            it('sees a request raised to urgent in its new place', async () => {
                await stores.escalations.raiseToUrgent('SP-QUEUEF', at,
                    { at, actor: 'system', action: 'raised-urgent' });
                expect(await refs({})).to.deep.equal(['B', 'F', 'C', 'A', 'D']);
            });
        });

        describe('when crisis routes are shown after a request was made', () => {
            const at = '2026-11-25T15:00:00.000Z';
            const due = '2026-11-25T17:00:00.000Z';
            const raise = (reference = 'SP-ABCDEF') => stores.escalations.raiseToUrgent(reference, due,
                { at, actor: 'system', action: 'raised-urgent' });

            it('raises an open normal request to urgent, due when told, once, with its audit line', async () => {
                await stores.escalations.create(sampleEscalation());
                const raises = await Promise.all([raise(), raise()]);
                expect(raises.filter(Boolean), 'of two raises at once, one applies').to.have.length(1);
                expect(await raise(), 'a second raise is a no-op').to.equal(false);
                const stored = (await stores.escalations.getByReference('SP-ABCDEF'))!;
                expect(stored).to.deep.include({ priority: 'urgent', dueBy: due, status: 'new' });
                expect(stored.contact.value).to.equal('07700900123');
                expect(await stores.escalations.list()).to.have.length(1);
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail.map((a) => a.action)).to.deep.equal(['created', 'raised-urgent']);
                expect(trail[1]).to.deep.equal({ at, actor: 'system', action: 'raised-urgent' });
            });

            it('raises a claimed request, keeps an earlier due time, and refuses a closed or missing one', async () => {
                const sam = { id: 'sam', name: 'Sam' };
                await stores.escalations.create(sampleEscalation({ dueBy: '2026-11-20T10:00:00.000Z' }));
                await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM' }));
                await stores.escalations.change('SP-ABCDEF', {
                    from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'sam', action: 'claimed' },
                });
                expect(await raise('SP-ABCDEF')).to.equal(true);
                expect(await stores.escalations.getByReference('SP-ABCDEF')).to.deep.include({
                    priority: 'urgent', dueBy: '2026-11-20T10:00:00.000Z', status: 'claimed', assignee: sam,
                });
                await stores.escalations.change('SP-GHJKLM', {
                    from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'sam', action: 'claimed' },
                });
                await stores.escalations.change('SP-GHJKLM', {
                    from: ['claimed'], to: 'closed', outcome: 'connected',
                    audit: { at, actor: 'sam', action: 'closed', detail: 'connected' },
                });
                expect(await raise('SP-GHJKLM'), 'a closed request').to.equal(false);
                expect(await stores.escalations.getByReference('SP-GHJKLM'))
                    .to.deep.include({ priority: 'normal', dueBy: '2026-11-27T10:00:00.000Z' });
                expect((await stores.escalations.auditTrail('SP-GHJKLM')).map((a) => a.action))
                    .to.deep.equal(['created', 'claimed', 'closed']);
                expect(await raise('SP-ZZZZZZ'), 'no such request').to.equal(false);
            });
        });

        describe('when a new rule moves the due time of requests already stored', () => {
            const at = '2026-11-26T08:00:00.000Z';
            const from = '2026-11-27T10:00:00.000Z';
            const to = '2026-11-27T17:00:00.000Z';
            const move = () => stores.escalations.rescheduleDue('SP-ABCDEF', from, to,
                { at, actor: 'system', action: 'due-rescheduled', detail: from });

            it('moves it once, only from the due time it had, with its audit line', async () => {
                await stores.escalations.create(sampleEscalation({ dueBy: from }));
                const moves = await Promise.all([move(), move()]);
                expect(moves.filter(Boolean), 'of two moves at once, one applies').to.have.length(1);
                expect(await move(), 'no longer due at the old time').to.equal(false);
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.dueBy).to.equal(to);
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail.map((a) => a.action)).to.deep.equal(['created', 'due-rescheduled']);
                expect(trail[1]).to.deep.equal({ at, actor: 'system', action: 'due-rescheduled', detail: from });
                expect(await stores.escalations.rescheduleDue('SP-ZZZZZZ', from, to,
                    { at, actor: 'system', action: 'due-rescheduled' }), 'no such request').to.equal(false);
            });
        });

        describe('when the same resident asks again with the same contact detail while their request is open', () => {
            const at = '2026-11-25T15:00:00.000Z';
            const due = '2026-11-25T17:00:00.000Z';
            const repeat = (urgent: boolean, reference = 'SP-ABCDEF') => stores.escalations.mergeRepeat(reference,
                urgent ? due : undefined,
                { at, actor: 'resident', action: 'repeated', ...(urgent ? { detail: 'urgent' } : {}) });

            it('lists the open requests by contact key, oldest first, with whose each is, never closed or another key',
                async () => {
                    await stores.escalations.create(sampleEscalation({ contactKey: 'k1' }));
                    await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM',
                        contactKey: 'k1', createdAt: '2026-11-25T11:00:00.000Z', residentKey: 'resident-2',
                        summary: { needs: ['money', 'housing'], preferences: [], suggested: [],
                            crisisShown: false } }));
                    await stores.escalations.create(sampleEscalation({ id: 'esc-3', reference: 'SP-NPQRST' }));
                    expect(await stores.escalations.openForContact('k1')).to.deep.equal([
                        { reference: 'SP-ABCDEF', residentKey: 'resident-1', needs: ['loneliness'], method: 'phone' },
                        { reference: 'SP-GHJKLM', residentKey: 'resident-2', needs: ['money', 'housing'],
                            method: 'phone' },
                    ]);
                    expect(await stores.escalations.openForContact('k2')).to.deep.equal([]);
                    await stores.escalations.change('SP-ABCDEF', { from: ['new'], to: 'closed', outcome: 'declined',
                        audit: { at, actor: 'u1', action: 'closed' } });
                    expect((await stores.escalations.openForContact('k1')).map((o) => o.reference))
                        .to.deep.equal(['SP-GHJKLM']);
                });

            it('keeps the references of other open requests with the same contact detail', async () => {
                await stores.escalations.create(sampleEscalation({ contactKey: 'k1',
                    sameContactAs: ['SP-GHJKLM', 'SP-NPQRST'] }));
                expect((await stores.escalations.getByReference('SP-ABCDEF'))?.sameContactAs)
                    .to.deep.equal(['SP-GHJKLM', 'SP-NPQRST']);
                expect((await stores.escalations.list())[0]?.sameContactAs).to.deep.equal(['SP-GHJKLM', 'SP-NPQRST']);
            });

            it('counts every one of ten repeats at once, with an audit line each, and keeps it normal', async () => {
                await stores.escalations.create(sampleEscalation({ contactKey: 'k1' }));
                const merged = await Promise.all(Array.from({ length: 10 }, () => repeat(false)));
                expect(merged.every((m) => m?.reference === 'SP-ABCDEF')).to.equal(true);
                const stored = (await stores.escalations.getByReference('SP-ABCDEF'))!;
                expect(stored).to.deep.include({ repeats: 10, priority: 'normal', dueBy: '2026-11-27T10:00:00.000Z' });
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail.filter((a) => a.action === 'repeated')).to.have.length(10);
            });

            it('makes it urgent and due when told on an urgent repeat, keeps an earlier due time, skips closed ones',
                async () => {
                    await stores.escalations.create(sampleEscalation());
                    const urgent = await repeat(true);
                    expect(urgent).to.deep.include({ repeats: 1, priority: 'urgent', dueBy: due });
                    expect((await stores.escalations.list({ status: 'new' }))[0]?.priority).to.equal('urgent');
                    await stores.escalations.create(sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM',
                        dueBy: '2026-11-25T12:00:00.000Z' }));
                    expect((await repeat(true, 'SP-GHJKLM'))?.dueBy).to.equal('2026-11-25T12:00:00.000Z');
                    // A normal repeat of an urgent request leaves it urgent.
                    expect((await repeat(false))?.priority).to.equal('urgent');
                    await stores.escalations.change('SP-ABCDEF', { from: ['new'], to: 'closed', outcome: 'declined',
                        audit: { at, actor: 'u1', action: 'closed' } });
                    expect(await repeat(true)).to.equal(undefined);
                    expect(await repeat(true, 'SP-ZZZZZZ')).to.equal(undefined);
                    expect((await stores.escalations.getByReference('SP-ABCDEF'))?.repeats).to.equal(2);
                });
        });

        describe('when a resident deletes their data and a connector has their request', () => {
            const at = '2026-11-25T15:00:00.000Z';
            const forget = (reference = 'SP-ABCDEF') => stores.escalations.forgetConversation(reference,
                { at, actor: 'resident', action: 'deletion-asked' });

            it('removes where their chat is and ends the live chat, with its audit line, keeping the contact',
                async () => {
                    const sam = { id: 'sam', name: 'Sam' };
                    await stores.escalations.create(sampleEscalation({
                        conversationReference: { serviceUrl: 'https://x', channelId: 'webchat' },
                    }));
                    await stores.escalations.change('SP-ABCDEF', {
                        from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'sam', action: 'claimed' },
                    });
                    expect(await stores.escalations.setRelay('SP-ABCDEF', sam,
                        { at, actor: 'sam', action: 'relay-started' })).to.equal(true);
                    expect(await forget()).to.equal(true);
                    const kept = (await stores.escalations.getByReference('SP-ABCDEF'))!;
                    expect(kept.conversationReference).to.equal(undefined);
                    expect(kept.relay).to.equal(undefined);
                    expect(kept).to.deep.include({ status: 'claimed', assignee: sam });
                    expect(kept.contact).to.deep.equal(
                        { method: 'phone', value: '07700900123', bestTime: 'Mornings' });
                    expect(await stores.escalations.relayFor('webchat', 'conv-1')).to.equal(undefined);
                    const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                    expect(trail.at(-1)).to.deep.equal({ at, actor: 'resident', action: 'deletion-asked' });
                    expect(await forget(), 'asking again is harmless').to.equal(true);
                    expect((await stores.escalations.getByReference('SP-ABCDEF'))?.conversationReference)
                        .to.equal(undefined);
                    expect(await forget('SP-ZZZZZZ'), 'no such request').to.equal(false);
                });
        });

        describe('when a connector records the plan and outcome (PRSB sections)', () => {
            const sam = { id: 'sam', name: 'Sam' };
            const plan = (over: Partial<SocialPrescribingPlan> = {}): SocialPrescribingPlan => ({
                needsAndConcerns: 'Lonely since moving; worried about money', whatMatters: 'Seeing people; $garden',
                supportOffered: 'Walking group; money advice referral', outcome: 'Goes weekly',
                gpAgreement: 'agreed', gpAgreementAt: '2026-11-25T12:00:00.000Z',
                recordedAt: '2026-11-25T12:00:00.000Z', recordedBy: sam, ...over,
            });

            it('keeps it on the request, replaces it whole, with an audit line each time, open or closed',
                async () => {
                    await stores.escalations.create(sampleEscalation());
                    expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan).to.equal(undefined);
                    const first = plan();
                    expect(await stores.escalations.setPlan('SP-ABCDEF', first,
                        { at: first.recordedAt, actor: 'sam', action: 'plan-recorded', detail: 'agreed' }, null))
                        .to.equal('saved');
                    expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan).to.deep.equal(first);
                    await stores.escalations.change('SP-ABCDEF', { from: ['new'], to: 'claimed', assignee: sam,
                        audit: { at: first.recordedAt, actor: 'sam', action: 'claimed' } });
                    await stores.escalations.change('SP-ABCDEF', { from: ['claimed'], to: 'closed',
                        outcome: 'connected', audit: { at: first.recordedAt, actor: 'sam', action: 'closed' } });
                    const second = plan({ outcome: 'Goes weekly, and has a friend there', gpAgreement: 'declined',
                        recordedAt: '2026-11-26T09:00:00.000Z' });
                    delete second.gpAgreementAt;
                    expect(await stores.escalations.setPlan('SP-ABCDEF', second,
                        { at: second.recordedAt, actor: 'sam', action: 'plan-recorded', detail: 'declined' },
                        first.recordedAt)).to.equal('saved');
                    const kept = (await stores.escalations.getByReference('SP-ABCDEF'))!;
                    expect(kept.plan).to.deep.equal(second);
                    expect(kept).to.deep.include({ status: 'closed', outcome: 'connected' });
                    expect((await stores.escalations.list({ status: 'closed' }))[0]!.plan).to.deep.equal(second);
                    const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                    expect(trail.filter((a) => a.action === 'plan-recorded').map((a) => a.detail))
                        .to.deep.equal(['agreed', 'declined']);
                    expect(await stores.escalations.setPlan('SP-ZZZZZZ', second,
                        { at: second.recordedAt, actor: 'sam', action: 'plan-recorded' }, null), 'no such request')
                        .to.equal('not-found');
                });

            it('saves only over the plan the writer loaded: a save based on an older one (or on none) is refused, '
                + 'and of two at once exactly one is saved', async () => {
                await stores.escalations.create(sampleEscalation());
                const robin = { id: 'robin', name: 'Robin' };
                const first = plan();
                expect(await stores.escalations.setPlan('SP-ABCDEF', first,
                    { at: first.recordedAt, actor: 'sam', action: 'plan-recorded' }, null)).to.equal('saved');
                // Robin's page showed no plan: Sam's is there now, so Robin's save is refused and Sam's stays.
                const robins = plan({ whatMatters: 'Robin typed this', recordedAt: '2026-11-25T12:05:00.000Z',
                    recordedBy: robin });
                expect(await stores.escalations.setPlan('SP-ABCDEF', robins,
                    { at: robins.recordedAt, actor: 'robin', action: 'plan-recorded' }, null)).to.equal('changed');
                expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan).to.deep.equal(first);
                // Based on Sam's: saved; then Sam's stale page is refused in turn.
                expect(await stores.escalations.setPlan('SP-ABCDEF', robins,
                    { at: robins.recordedAt, actor: 'robin', action: 'plan-recorded' }, first.recordedAt))
                    .to.equal('saved');
                const sams = plan({ whatMatters: 'Sam typed this', recordedAt: '2026-11-25T12:06:00.000Z' });
                expect(await stores.escalations.setPlan('SP-ABCDEF', sams,
                    { at: sams.recordedAt, actor: 'sam', action: 'plan-recorded' }, first.recordedAt))
                    .to.equal('changed');
                expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan).to.deep.equal(robins);
                // Two saves at the same moment over the same plan: one saved, one refused, and its plan is kept.
                const a = plan({ whatMatters: 'A', recordedAt: '2026-11-25T12:07:00.000Z' });
                const b = plan({ whatMatters: 'B', recordedAt: '2026-11-25T12:07:00.001Z', recordedBy: robin });
                const results = await Promise.all([
                    stores.escalations.setPlan('SP-ABCDEF', a,
                        { at: a.recordedAt, actor: 'sam', action: 'plan-recorded' }, robins.recordedAt),
                    stores.escalations.setPlan('SP-ABCDEF', b,
                        { at: b.recordedAt, actor: 'robin', action: 'plan-recorded' }, robins.recordedAt),
                ]);
                expect([...results].sort()).to.deep.equal(['changed', 'saved']);
                expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan)
                    .to.deep.equal(results[0] === 'saved' ? a : b);
                // A refused save leaves no audit line.
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail.filter((l) => l.action === 'plan-recorded')).to.have.length(3);
            });

            it('refuses a plan over its limit and keeps the one before', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.escalations.setPlan('SP-ABCDEF', plan(),
                    { at: '2026-11-25T12:00:00.000Z', actor: 'sam', action: 'plan-recorded' }, null);
                let error: unknown;
                try {
                    await stores.escalations.setPlan('SP-ABCDEF', plan({ outcome: 'x'.repeat(STORE_LIMITS.planBytes) }),
                        { at: '2026-11-25T13:00:00.000Z', actor: 'sam', action: 'plan-recorded' },
                        '2026-11-25T12:00:00.000Z');
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(DocumentTooLargeError);
                expect((await stores.escalations.getByReference('SP-ABCDEF'))!.plan).to.deep.equal(plan());
            });
        });

        describe('when workspace accounts are kept', () => {
            const user = (over: Partial<WorkspaceUser> = {}): WorkspaceUser => ({
                id: 'u1', email: 'Sam@Example.org', name: 'Sam', role: 'connector', passwordHash: 'scrypt$x',
                createdAt: '2026-11-25T10:00:00.000Z', ...over,
            });

            it('finds an account by email whatever its case, and refuses a second with the same email', async () => {
                expect(await stores.users.create(user())).to.equal(true);
                expect(await stores.users.create(user({ id: 'u2', email: 'sam@example.org' }))).to.equal(false);
                expect((await stores.users.getByEmail('SAM@example.org'))?.id).to.equal('u1');
                expect(await stores.users.list()).to.have.length(1);
            });

            it('keeps no count of failed sign-ins on the account: they are attempts, per e-mail hash', async () => {
                await stores.users.create(user());
                expect(await stores.users.get('u1')).to.deep.equal({ ...user(), email: 'sam@example.org' });
            });

            it('keeps sessions until they expire or are deleted', async () => {
                const session = {
                    id: 'hash-1', userId: 'u1', csrfToken: 'c', createdAt: '2026-11-25T10:00:00.000Z',
                    expiresAt: '2026-11-25T18:00:00.000Z',
                };
                await stores.sessions.create(session);
                expect(await stores.sessions.get('hash-1', '2026-11-25T12:00:00.000Z')).to.deep.equal(session);
                expect(await stores.sessions.get('hash-1', '2026-11-25T18:00:00.000Z')).to.equal(undefined);
                await stores.sessions.delete('hash-1');
                expect(await stores.sessions.get('hash-1', '2026-11-25T12:00:00.000Z')).to.equal(undefined);
            });
        });

        describe('when Teams users are linked to workspace accounts', () => {
            const link = (aadObjectId: string, userId: string) =>
                ({ aadObjectId, userId, via: 'lead' as const, linkedAt: '2026-11-25T10:00:00.000Z' });

            it('links one to one: a new link of either side replaces the old, and an account can be unlinked',
                async () => {
                    await stores.teamsLinks.link(link('aad-1', 'u1'));
                    expect(await stores.teamsLinks.byTeamsUser('aad-1')).to.deep.equal(link('aad-1', 'u1'));
                    expect(await stores.teamsLinks.byAccount('u1')).to.deep.equal(link('aad-1', 'u1'));
                    // The same account from another Teams user: the first Teams user is no longer linked.
                    await stores.teamsLinks.link(link('aad-2', 'u1'));
                    expect(await stores.teamsLinks.byTeamsUser('aad-1')).to.equal(undefined);
                    // The same Teams user to another account: the first account is no longer linked.
                    await stores.teamsLinks.link({ ...link('aad-2', 'u2'), via: 'code' });
                    expect(await stores.teamsLinks.byAccount('u1')).to.equal(undefined);
                    expect(await stores.teamsLinks.byTeamsUser('aad-2')).to.deep.include({ userId: 'u2', via: 'code' });
                    expect(await stores.teamsLinks.unlinkAccount('u2')).to.equal(true);
                    expect(await stores.teamsLinks.unlinkAccount('u2')).to.equal(false);
                    expect(await stores.teamsLinks.byTeamsUser('aad-2')).to.equal(undefined);
                });

            it('keeps one link when ten links of one account race', async () => {
                await Promise.all(Array.from({ length: 10 }, (_, i) => stores.teamsLinks.link(link(`aad-${i}`, 'u1'))));
                const linked = await Promise.all(Array.from({ length: 10 },
                    (_, i) => stores.teamsLinks.byTeamsUser(`aad-${i}`)));
                expect(linked.filter(Boolean)).to.have.length(1);
                expect((await stores.teamsLinks.byAccount('u1'))?.aadObjectId)
                    .to.equal(linked.find(Boolean)?.aadObjectId);
            });

            it('keeps links one to one when links and unlinks of the same accounts race', async () => {
                for (let round = 0; round < 5; round++) {
                    await stores.teamsLinks.link(link('aad-1', 'u1'));
                    await Promise.all([
                        stores.teamsLinks.unlinkAccount('u1'),
                        stores.teamsLinks.link(link('aad-1', 'u2')),
                        stores.teamsLinks.link(link('aad-2', 'u1')),
                        stores.teamsLinks.unlinkAccount('u2'),
                        stores.teamsLinks.link(link('aad-1', 'u3')),
                    ]);
                    for (const aad of ['aad-1', 'aad-2']) {
                        const byTeams = await stores.teamsLinks.byTeamsUser(aad);
                        if (!byTeams) continue;
                        expect((await stores.teamsLinks.byAccount(byTeams.userId))?.aadObjectId).to.equal(aad);
                    }
                    for (const user of ['u1', 'u2', 'u3']) {
                        const byAccount = await stores.teamsLinks.byAccount(user);
                        if (byAccount) {
                            expect((await stores.teamsLinks.byTeamsUser(byAccount.aadObjectId))?.userId).to.equal(user);
                        }
                    }
                    for (const user of ['u1', 'u2', 'u3']) await stores.teamsLinks.unlinkAccount(user);
                }
            });

            it('gives a code\'s account once, only before it expires; a new code replaces the account\'s old one',
                async () => {
                    const at = '2026-11-25T10:00:00.000Z';
                    const code = { codeHash: 'h1', userId: 'u1', expiresAt: '2026-11-25T10:10:00.000Z' };
                    expect(await stores.teamsLinks.putCode(code)).to.equal(true);
                    // The same code for another account while it is kept: refused, the first kept.
                    expect(await stores.teamsLinks.putCode({ ...code, userId: 'u2' })).to.equal(false);
                    const takers = await Promise.all(Array.from({ length: 10 },
                        () => stores.teamsLinks.takeCode('h1', at)));
                    expect(takers.filter((t) => t === 'u1')).to.have.length(1);
                    expect(takers.filter((t) => t !== undefined)).to.have.length(1);
                    expect(await stores.teamsLinks.takeCode('h1', at)).to.equal(undefined);

                    await stores.teamsLinks.putCode(code);
                    expect(await stores.teamsLinks.putCode({ ...code, codeHash: 'h2' })).to.equal(true);
                    expect(await stores.teamsLinks.takeCode('h1', at)).to.equal(undefined);
                    expect(await stores.teamsLinks.takeCode('h2', '2026-11-25T10:10:00.000Z')).to.equal(undefined);

                    await stores.teamsLinks.putCode({ ...code, codeHash: 'h3' });
                    await stores.sweep(30, new Date('2026-11-25T11:00:00.000Z'));
                    expect(await stores.teamsLinks.takeCode('h3', at)).to.equal(undefined);
                });
        });

        describe('when attempts are counted (sign-in failures, requests for contact)', () => {
            const t0 = Date.parse('2026-11-25T10:00:00.000Z');
            const MIN = 60_000;

            it('counts twenty at once exactly, in one window that opened with the first', async () => {
                const counts = await Promise.all(
                    Array.from({ length: 20 }, () => stores.attempts.add('signin-email:h1', t0, 15 * MIN)));
                expect(counts.map((c) => c.count).sort((a, b) => a - b))
                    .to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
                expect(new Set(counts.map((c) => c.resetAtMs))).to.deep.equal(new Set([t0 + 15 * MIN]));
                expect(await stores.attempts.get('signin-email:h1', t0 + 14 * MIN))
                    .to.deep.equal({ count: 20, resetAtMs: t0 + 15 * MIN });
                expect(await stores.attempts.get('signin-email:h2', t0)).to.deep.equal({ count: 0, resetAtMs: 0 });
            });

            it('starts again once the window has closed', async () => {
                await stores.attempts.add('k', t0, 15 * MIN);
                await stores.attempts.add('k', t0 + 10 * MIN, 15 * MIN);
                expect((await stores.attempts.get('k', t0 + 15 * MIN)).count).to.equal(0);
                expect(await stores.attempts.add('k', t0 + 16 * MIN, 15 * MIN))
                    .to.deep.equal({ count: 1, resetAtMs: t0 + 31 * MIN });
            });

            it('holds the window open for the full time from the attempt that reached the hold', async () => {
                const hold = { at: 3, ms: 15 * MIN };
                await stores.attempts.add('k', t0, 15 * MIN, hold);
                expect((await stores.attempts.add('k', t0 + 5 * MIN, 15 * MIN, hold)).resetAtMs)
                    .to.equal(t0 + 15 * MIN);
                expect(await stores.attempts.add('k', t0 + 10 * MIN, 15 * MIN, hold))
                    .to.deep.equal({ count: 3, resetAtMs: t0 + 25 * MIN });
                expect((await stores.attempts.add('k', t0 + 12 * MIN, 15 * MIN, hold)).resetAtMs)
                    .to.equal(t0 + 25 * MIN);
                expect((await stores.attempts.get('k', t0 + 24 * MIN)).count).to.equal(4);
                expect((await stores.attempts.add('k', t0 + 25 * MIN, 15 * MIN, hold)).count).to.equal(1);
            });

            it('forgets a key when cleared, and the sweep removes closed windows', async () => {
                await stores.attempts.add('a', t0, MIN);
                await stores.attempts.add('b', t0, 100 * MIN);
                expect(await stores.attempts.clear('a')).to.equal(true);
                expect(await stores.attempts.clear('a')).to.equal(false);
                expect((await stores.attempts.get('a', t0)).count).to.equal(0);
                await stores.attempts.add('c', t0, MIN);
                await stores.sweep({ stateDays: 30 }, new Date(t0 + 2 * MIN));
                // Swept: clearing finds nothing. Open: still counted.
                expect(await stores.attempts.clear('c')).to.equal(false);
                expect((await stores.attempts.get('b', t0 + 2 * MIN)).count).to.equal(1);
            });
        });

        describe('when searches find nothing for some needs', () => {
            it('counts each need once per search, per week starting Monday, nothing about the resident', async () => {
                await stores.analytics.recordUnmet(['housing', 'money'], '2026-11-23T09:00:00.000Z');
                await stores.analytics.recordUnmet(['housing', 'housing'], '2026-11-29T23:59:00.000Z');
                await stores.analytics.recordUnmet(['housing'], '2026-11-30T00:00:00.000Z');
                await stores.analytics.recordUnmet([], '2026-11-30T00:00:00.000Z');
                await stores.analytics.recordUnmet(['money'], '2026-11-10T10:00:00.000Z');
                expect(await stores.analytics.unmetSince('2026-11-23')).to.deep.equal([
                    { week: '2026-11-23', needId: 'housing', count: 2 },
                    { week: '2026-11-23', needId: 'money', count: 1 },
                    { week: '2026-11-30', needId: 'housing', count: 1 },
                ]);
            });
        });

        describe('when keys or ids look like query operators or field paths', () => {
            it('keeps state under such keys, with such keys inside, exactly as written', async () => {
                const odd = { $set: { admin: true }, 'a.b': { $gt: '' }, list: [{ $where: '1' }] };
                await stores.state.write({ '$where': odd, 'a.b': { n: 1 }, '{"$ne":null}': { n: 2 } });
                const read = await stores.state.read(['$where', 'a.b', '{"$ne":null}', '$gt']);
                expect(read).to.have.keys(['$where', 'a.b', '{"$ne":null}']);
                const { eTag: _eTag, ...back } = read.$where!;
                expect(back).to.deep.equal(odd);
                expect(read['{"$ne":null}']!.n).to.equal(2);
            });

            it('finds nothing for an id written as an operator', async () => {
                await stores.escalations.create(sampleEscalation());
                expect(await stores.escalations.getByReference('{"$ne":null}')).to.equal(undefined);
                expect(await stores.escalations.getByReference('$ne')).to.equal(undefined);
                expect(await stores.escalations.listForResident('{"$gt":""}')).to.deep.equal([]);
                expect(await stores.users.getByEmail('{"$ne":null}')).to.equal(undefined);
            });
        });

        describe('when a document is too large', () => {
            it('refuses a state document over the limit and writes nothing of that call', async () => {
                let error: unknown;
                try {
                    await stores.state.write({
                        small: { n: 1 }, big: { text: 'x'.repeat(STORE_LIMITS.stateBytes + 1) },
                    });
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(DocumentTooLargeError);
                expect((error as Error).message).to.not.include('xxx');
                expect(await stores.state.read(['small', 'big'])).to.deep.equal({});
            });

            it('refuses a request for contact over the limit, and an audit line over its limit', async () => {
                const huge = sampleEscalation({
                    transcript: [{ at: '2026-11-25T10:00:00.000Z', from: 'resident',
                        text: 'x'.repeat(STORE_LIMITS.escalationBytes) }],
                });
                let error: unknown;
                try {
                    await stores.escalations.create(huge);
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(DocumentTooLargeError);
                expect(await stores.escalations.list()).to.deep.equal([]);
                await stores.escalations.create(sampleEscalation());
                error = undefined;
                try {
                    await stores.escalations.appendAudit('SP-ABCDEF', {
                        at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note',
                        detail: 'x'.repeat(STORE_LIMITS.auditEntryBytes),
                    });
                } catch (err) {
                    error = err;
                }
                expect(error).to.be.instanceOf(DocumentTooLargeError);
                expect(await stores.escalations.auditTrail('SP-ABCDEF')).to.have.length(1);
            });

            it('keeps the newest audit lines only, once there are more than the limit', async function () {
                // Five hundred and five writes: quick on SQLite and MongoDB, about ten seconds on FerretDB.
                this.timeout(90_000);
                await stores.escalations.create(sampleEscalation());
                const extra = STORE_LIMITS.auditEntries + 5;
                for (let i = 1; i <= extra; i++) {
                    await stores.escalations.appendAudit('SP-ABCDEF',
                        { at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note', detail: `note ${i}` });
                }
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail).to.have.length(STORE_LIMITS.auditEntries);
                expect(trail[0]!.detail).to.equal(`note ${extra - STORE_LIMITS.auditEntries + 1}`);
                expect(trail[trail.length - 1]!.detail).to.equal(`note ${extra}`);
            });
        });

        describe('when a connector and a resident chat live on a request', () => {
            const line = (i: number, action: 'resident-message' | 'message-sent' | 'crisis-routes-shown') => ({
                at: `2026-11-25T11:${String(i % 60).padStart(2, '0')}:00.000Z`,
                actor: action === 'message-sent' ? 'sam' : action === 'resident-message' ? 'resident' : 'system',
                action, detail: `line ${i}`,
            });

            it('keeps the chat apart from the audit trail, numbered from 1, and gives the lines after a number',
                async () => {
                    await stores.escalations.create(sampleEscalation());
                    expect(await stores.escalations.chat('SP-ABCDEF'))
                        .to.deep.equal({ lines: [], total: 0, dropped: 0 });
                    for (const [i, action] of (['message-sent', 'resident-message', 'crisis-routes-shown'] as const)
                        .entries()) {
                        expect(await stores.escalations.appendChat('SP-ABCDEF', line(i + 1, action))).to.equal(true);
                    }
                    const all = await stores.escalations.chat('SP-ABCDEF');
                    expect(all).to.deep.equal({
                        total: 3, dropped: 0, lines: [
                            { n: 1, ...line(1, 'message-sent') }, { n: 2, ...line(2, 'resident-message') },
                            { n: 3, ...line(3, 'crisis-routes-shown') },
                        ],
                    });
                    expect((await stores.escalations.chat('SP-ABCDEF', 2))!.lines.map((l) => l.n)).to.deep.equal([3]);
                    expect((await stores.escalations.chat('SP-ABCDEF', 3))!.lines).to.deep.equal([]);
                    expect((await stores.escalations.auditTrail('SP-ABCDEF')).map((a) => a.action))
                        .to.deep.equal(['created']);
                    expect(await stores.escalations.appendChat('SP-ZZZZZZ', line(1, 'message-sent'))).to.equal(false);
                    expect(await stores.escalations.chat('SP-ZZZZZZ')).to.equal(undefined);
                    // An oversized line is refused whole, as an audit line is.
                    let error: unknown;
                    try {
                        await stores.escalations.appendChat('SP-ABCDEF',
                            { ...line(4, 'resident-message'), detail: 'x'.repeat(STORE_LIMITS.auditEntryBytes) });
                    } catch (err) {
                        error = err;
                    }
                    expect(error).to.be.instanceOf(DocumentTooLargeError);
                    expect((await stores.escalations.chat('SP-ABCDEF'))!.total).to.equal(3);
                });

            it('gives the workspace its live changes since a time: new requests, and the newest resident message',
                async () => {
                    await stores.escalations.create(sampleEscalation({ reference: 'SP-OLDONE', id: 'old',
                        createdAt: '2026-11-25T09:00:00.000Z' }));
                    await stores.escalations.create(sampleEscalation({ reference: 'SP-NEWONE', id: 'new',
                        createdAt: '2026-11-25T11:01:30.000Z' }));
                    // A resident's messages, a connector's and crisis routes: only the resident's count, the newest.
                    await stores.escalations.appendChat('SP-OLDONE', line(1, 'resident-message'));
                    await stores.escalations.appendChat('SP-OLDONE', line(2, 'resident-message'));
                    await stores.escalations.appendChat('SP-OLDONE', line(3, 'message-sent'));
                    await stores.escalations.appendChat('SP-NEWONE', line(4, 'crisis-routes-shown'));
                    expect(await stores.escalations.liveChanges('2026-11-25T11:00:00.000Z', 10)).to.deep.equal([
                        { kind: 'request', reference: 'SP-NEWONE', at: '2026-11-25T11:01:30.000Z' },
                        { kind: 'message', reference: 'SP-OLDONE', at: '2026-11-25T11:02:00.000Z' },
                    ]);
                    expect(await stores.escalations.liveChanges('2026-11-25T11:01:45.000Z', 10)).to.deep.equal([
                        { kind: 'message', reference: 'SP-OLDONE', at: '2026-11-25T11:02:00.000Z' },
                    ]);
                    expect(await stores.escalations.liveChanges('2026-11-25T08:00:00.000Z', 1)).to.deep.equal([
                        { kind: 'request', reference: 'SP-OLDONE', at: '2026-11-25T09:00:00.000Z' },
                    ]);
                    expect(await stores.escalations.liveChanges('2026-11-25T11:03:00.000Z', 10)).to.deep.equal([]);
                    // What a page is told is no more than the queue shows: the request itself carries nothing new.
                    expect(await stores.escalations.getByReference('SP-OLDONE')).to.not.have.property('residentMessageAt');
                });

            it('keeps only the newest lines, and says how many older ones are no longer kept', async function () {
                this.timeout(90_000);
                await stores.escalations.create(sampleEscalation());
                const cap = STORE_LIMITS.liveChatLines;
                const written = cap + 5;
                for (let i = 1; i <= written; i++) {
                    await stores.escalations.appendChat('SP-ABCDEF',
                        line(i, i % 2 ? 'resident-message' : 'message-sent'));
                }
                const page = (await stores.escalations.chat('SP-ABCDEF'))!;
                expect(page.total).to.equal(written);
                expect(page.dropped).to.equal(5);
                expect(page.lines).to.have.length(cap);
                expect(page.lines[0]).to.include({ n: 6, detail: 'line 6' });
                expect(page.lines.at(-1)).to.include({ n: written, detail: `line ${written}` });
                expect((await stores.escalations.chat('SP-ABCDEF', written - 2))!.lines.map((l) => l.detail))
                    .to.deep.equal([`line ${written - 1}`, `line ${written}`]);
                // The lifecycle is not pushed out of the audit trail by a long chat.
                expect((await stores.escalations.auditTrail('SP-ABCDEF')).map((a) => a.action))
                    .to.deep.equal(['created']);
            });

            it('caps an imported audit trail and chat too', async () => {
                const cap = STORE_LIMITS.liveChatLines;
                const audit = Array.from({ length: STORE_LIMITS.auditEntries + 10 }, (_, i) =>
                    ({ at: '2026-11-25T11:00:00.000Z', actor: 'sam', action: 'note' as const,
                        detail: `note ${i + 1}` }));
                const chat = Array.from({ length: cap + 3 }, (_, i) => line(i + 1, 'resident-message'));
                await stores.migration.importRecords([{
                    kind: 'escalations', id: 'esc-1',
                    doc: { escalation: sampleEscalation(), audit, chat, chatTotal: cap + 3 },
                }]);
                const trail = await stores.escalations.auditTrail('SP-ABCDEF');
                expect(trail).to.have.length(STORE_LIMITS.auditEntries);
                expect(trail[0]!.detail).to.equal('note 11');
                const page = (await stores.escalations.chat('SP-ABCDEF'))!;
                expect(page).to.include({ total: cap + 3, dropped: 3 });
                expect(page.lines).to.have.length(cap);
                expect(page.lines[0]).to.include({ n: 4, detail: 'line 4' });
            });

            it('goes with its request, when the resident deletes it or it is swept', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.escalations.appendChat('SP-ABCDEF', line(1, 'resident-message'));
                await stores.escalations.deleteUnactioned('resident-1');
                expect(await stores.escalations.chat('SP-ABCDEF')).to.equal(undefined);
                // The same request made again starts with no chat: nothing of the old one was left behind.
                await stores.escalations.create(sampleEscalation());
                expect(await stores.escalations.chat('SP-ABCDEF')).to.deep.equal({ lines: [], total: 0, dropped: 0 });
                await stores.escalations.appendChat('SP-ABCDEF', line(2, 'resident-message'));
                const at = new Date(Date.now() - 40 * 86_400_000).toISOString();
                await stores.escalations.change('SP-ABCDEF', {
                    from: ['new'], to: 'closed', outcome: 'declined', audit: { at, actor: 'sam', action: 'closed' },
                });
                expect(await stores.sweep({ stateDays: 30, referralDays: 30 })).to.equal(1);
                await stores.escalations.create(sampleEscalation());
                expect(await stores.escalations.chat('SP-ABCDEF')).to.deep.equal({ lines: [], total: 0, dropped: 0 });
            });
        });

        describe('when closed requests for contact pass their retention period', () => {
            it('removes them, audit trail and all, and keeps open ones however old', async () => {
                const now = Date.now();
                const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();
                await stores.escalations.create(sampleEscalation({ createdAt: daysAgo(400) }));
                await stores.escalations.create(sampleEscalation({
                    id: 'esc-2', reference: 'SP-GHJKLM', createdAt: daysAgo(400),
                }));
                await stores.escalations.change('SP-ABCDEF', {
                    from: ['new'], to: 'claimed', assignee: { id: 'sam', name: 'Sam' },
                    audit: { at: daysAgo(20), actor: 'sam', action: 'claimed' },
                });
                const closed = await stores.escalations.change('SP-ABCDEF', {
                    from: ['claimed'], to: 'closed', outcome: 'connected',
                    audit: { at: daysAgo(10), actor: 'sam', action: 'closed', detail: 'connected' },
                });
                expect(closed.applied).to.equal(true);
                const inDays = (d: number) => new Date(now + d * 86_400_000);
                expect(await stores.sweep({ stateDays: 30, referralDays: 30 }, inDays(0))).to.equal(0);
                expect(await stores.sweep(30, inDays(365)), 'no referralDays: closed requests stay').to.equal(0);
                expect(await stores.escalations.getByReference('SP-ABCDEF')).to.not.equal(undefined);
                expect(await stores.sweep({ stateDays: 30, referralDays: 30 }, inDays(21))).to.equal(1);
                expect(await stores.escalations.getByReference('SP-ABCDEF')).to.equal(undefined);
                expect(await stores.escalations.auditTrail('SP-ABCDEF')).to.deep.equal([]);
                expect((await stores.escalations.getByReference('SP-GHJKLM'))?.status).to.equal('new');
            });
        });

        describe('when the whole store is exported and imported into another', () => {
            it('counts every kind, and importing what was exported twice leaves one copy', async () => {
                await populateStores(stores);
                const counts = await stores.migration.counts();
                expect(counts).to.deep.include({
                    state: 2, escalations: 2, users: 2, sessions: 1, optOuts: 1, unmetNeeds: 2, chatConversations: 1,
                    chatActivities: 3, teamsLinks: 1, listingReports: 1, listingDecisions: 1,
                });
                const records = [];
                for await (const record of stores.migration.exportAll()) records.push(record);
                expect(records).to.have.length(17);
                const version = await stores.listingFeedback.version();
                await stores.migration.importRecords(records);
                // Imported decisions are news to every instance polling the store.
                expect(await stores.listingFeedback.version()).to.be.above(version);
                await stores.migration.importRecords(records);
                expect(await stores.migration.counts()).to.deep.equal(counts);
                await expectPopulated(stores);
            });
        });

        describe('when reminders and check-ins are scheduled, claimed and sent', () => {
            const resident = 'k'.repeat(20) + 'ResidentA1';
            const other = 'k'.repeat(20) + 'ResidentB2';
            const t0 = new Date('2026-12-01T10:00:00.000Z');
            const later = (ms: number) => new Date(t0.getTime() + ms);
            const message = (over: Partial<NewScheduledMessage> = {}): NewScheduledMessage => ({
                idempotencyKey: 'reminder:opp-1:2026-12-01', residentKey: resident, kind: 'reminder',
                reach: { via: 'address', channel: 'sms', address: '+447700900123' },
                wordingKey: 'reminderDayBefore', data: { service: 'Tuesday walk' },
                dueAt: t0.toISOString(), ...over,
            });

            it('keeps one message per idempotency key', async () => {
                const first = await stores.scheduled.schedule(message(), t0);
                const again = await stores.scheduled.schedule(message({ dueAt: later(60_000).toISOString() }), t0);
                expect(first.created).to.equal(true);
                expect(again).to.deep.equal({ id: first.id, created: false });
                const claimed = await stores.scheduled.claimDue(later(120_000), 60_000, 10);
                expect(claimed.map((c) => c.id)).to.deep.equal([first.id]);
                expect(claimed[0]!.dueAt).to.equal(t0.toISOString());
            });

            it('refuses a raw number as the resident key, and bad input', async () => {
                for (const bad of [
                    message({ residentKey: '447700900123' }), message({ residentKey: 'someone@example.org' }),
                    message({ idempotencyKey: '' }), message({ dueAt: 'tomorrow' }),
                    message({ kind: 'nag' as never }), message({ data: { a: 'x'.repeat(201) } }),
                ]) {
                    let error: unknown;
                    try {
                        await stores.scheduled.schedule(bad, t0);
                    } catch (err) {
                        error = err;
                    }
                    expect(error).to.be.instanceOf(ScheduledMessageError);
                }
            });

            it('claims only what is due, earliest first, and never the same message twice at once', async () => {
                const late = await stores.scheduled.schedule(message({ idempotencyKey: 'b',
                    dueAt: later(5_000).toISOString() }), t0);
                const early = await stores.scheduled.schedule(message({ idempotencyKey: 'a' }), t0);
                await stores.scheduled.schedule(message({ idempotencyKey: 'c', dueAt: later(3_600_000).toISOString() }), t0);
                const [one, two] = await Promise.all([
                    stores.scheduled.claimDue(later(10_000), 60_000, 10),
                    stores.scheduled.claimDue(later(10_000), 60_000, 10),
                ]);
                const ids = [...one!, ...two!].map((c) => c.id);
                expect(ids).to.have.members([early.id, late.id]).and.have.length(2);
                const all = [...one!, ...two!].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
                expect(all[0]!.id).to.equal(early.id);
                expect(all[0]!.reach).to.deep.equal({ via: 'address', channel: 'sms', address: '+447700900123' });
                expect(all[0]!.attempts).to.equal(1);
            });

            it('marks sent only with the claim token, forgets the address, and takes a lapsed claim again', async () => {
                const { id } = await stores.scheduled.schedule(message(), t0);
                const [first] = await stores.scheduled.claimDue(t0, 60_000, 10);
                expect(await stores.scheduled.claimDue(later(30_000), 60_000, 10)).to.deep.equal([]);
                // The instance died: after its lease the message is claimed again, and the old token is refused.
                const [second] = await stores.scheduled.claimDue(later(61_000), 60_000, 10);
                expect(second!.id).to.equal(id);
                expect(second!.attempts).to.equal(2);
                expect(await stores.scheduled.markSent(id, first!.leaseToken, later(62_000))).to.equal(false);
                expect(await stores.scheduled.markSent(id, second!.leaseToken, later(62_000))).to.equal(true);
                const sent = await stores.scheduled.get(id);
                expect(sent).to.include({ state: 'sent', sentAt: later(62_000).toISOString() });
                expect(sent!.reach).to.deep.equal({ via: 'address', channel: 'sms', address: '' });
                expect(sent).to.not.have.property('leaseToken');
                expect(await stores.scheduled.claimDue(later(999_000), 60_000, 10)).to.deep.equal([]);
            });

            it('retries a failed send at its retry time and is stuck after the last attempt', async () => {
                const { id } = await stores.scheduled.schedule(message(), t0);
                let now = t0;
                let outcome: string | false = false;
                for (let attempt = 1; attempt <= SCHEDULED_MAX_ATTEMPTS; attempt++) {
                    const [claimed] = await stores.scheduled.claimDue(now, 60_000, 10);
                    expect(claimed?.id, `attempt ${attempt}`).to.equal(id);
                    const retryAt = new Date(now.getTime() + 600_000);
                    outcome = await stores.scheduled.markFailed(id, claimed!.leaseToken, retryAt, now);
                    if (attempt < SCHEDULED_MAX_ATTEMPTS) {
                        expect(outcome).to.equal('failed');
                        expect(await stores.scheduled.claimDue(now, 60_000, 10)).to.deep.equal([]);
                    }
                    now = retryAt;
                }
                expect(outcome).to.equal('stuck');
                expect(await stores.scheduled.countStuck()).to.equal(1);
                const [stuck] = await stores.scheduled.listStuck(10);
                expect(stuck).to.include({ id, state: 'stuck', attempts: SCHEDULED_MAX_ATTEMPTS });
                expect(stuck!.reach).to.deep.equal({ via: 'address', channel: 'sms', address: '' });
                expect(await stores.scheduled.claimDue(later(99 * 86_400_000), 60_000, 10)).to.deep.equal([]);
            });

            it('cancels a resident\'s messages on STOP or "delete my data", and no one else\'s', async () => {
                // The earliest due, so that the one claimed below is this one.
                const a = await stores.scheduled.schedule(message({ idempotencyKey: 'a',
                    dueAt: later(-1000).toISOString() }), t0);
                const b = await stores.scheduled.schedule(message({ idempotencyKey: 'b', kind: 'check-in',
                    reach: { via: 'conversation', channel: 'msteams', referenceId: 'conv-1' } }), t0);
                const c = await stores.scheduled.schedule(message({ idempotencyKey: 'c', residentKey: other }), t0);
                const [claimedA] = (await stores.scheduled.claimDue(t0, 60_000, 1));
                expect(claimedA!.id).to.equal(a.id);
                expect(await stores.scheduled.cancelForResident(resident, later(1000))).to.equal(2);
                expect((await stores.scheduled.get(a.id))!.state).to.equal('cancelled');
                expect((await stores.scheduled.get(b.id))!.state).to.equal('cancelled');
                // The claim that was in flight cannot be recorded as sent over the cancellation.
                expect(await stores.scheduled.markSent(a.id, claimedA!.leaseToken, later(2000))).to.equal(false);
                const left = await stores.scheduled.claimDue(later(120_000), 60_000, 10);
                expect(left.map((m) => m.id)).to.deep.equal([c.id]);
                // The address is gone from the store: the copy shows an empty one.
                const copied = [];
                for await (const r of stores.migration.exportAll()) {
                    if (r.kind === 'scheduledMessages' && r.doc.residentKey === resident) copied.push(r.doc);
                }
                expect(copied).to.have.length(2);
                expect(JSON.stringify(copied)).to.not.include('+447700900123');
            });

            it('sweeps finished messages after the retention, and keeps the ones still to send', async () => {
                const sent = await stores.scheduled.schedule(message({ idempotencyKey: 'a' }), t0);
                const waiting = await stores.scheduled.schedule(message({ idempotencyKey: 'b',
                    dueAt: later(90 * 86_400_000).toISOString() }), t0);
                const [claimed] = await stores.scheduled.claimDue(t0, 60_000, 10);
                await stores.scheduled.markSent(sent.id, claimed!.leaseToken, t0);
                expect(await stores.scheduled.sweep(later(-1000))).to.equal(0);
                expect(await stores.sweep(30, later(31 * 86_400_000))).to.be.at.least(1);
                expect(await stores.scheduled.get(sent.id)).to.equal(undefined);
                expect((await stores.scheduled.get(waiting.id))!.state).to.equal('scheduled');
            });
        });

        describe('when residents report listings and curators decide on them', () => {
            const report = (listingId: string, problem: ListingProblem, at: string) =>
                stores.listingFeedback.recordReport({ listingId, problem, at, channel: 'webchat' });
            const change = (over: Partial<CuratorChange>): CuratorChange => ({
                listingId: 'opp-1', action: 'hidden', by: 'u-curator', at: '2026-11-26T09:00:00.000Z',
                fingerprint: 'f1', ...over,
            });

            it('counts reports per listing and problem, with the first and last date, the most reported first',
                async () => {
                    await report('opp-1', 'phone', '2026-11-25T10:00:00.000Z');
                    await report('opp-2', 'closed', '2026-11-24T10:00:00.000Z');
                    await Promise.all(Array.from({ length: 10 }, (_, i) =>
                        report('opp-2', i % 2 ? 'closed' : 'time', `2026-11-2${i % 5}T11:00:00.000Z`)));
                    expect(await stores.listingFeedback.reports(10)).to.deep.equal([
                        {
                            listingId: 'opp-2', count: 11, problems: { closed: 6, time: 5 },
                            firstAt: '2026-11-20T11:00:00.000Z', lastAt: '2026-11-24T11:00:00.000Z',
                        },
                        {
                            listingId: 'opp-1', count: 1, problems: { phone: 1 }, firstAt: '2026-11-25T10:00:00.000Z',
                            lastAt: '2026-11-25T10:00:00.000Z',
                        },
                    ]);
                    expect(await stores.listingFeedback.reports(1)).to.have.length(1);
                });

            it('refuses a report with an unknown problem or an over-long listing id, and stores nothing', async () => {
                for (const bad of [
                    { listingId: 'opp-1', problem: 'rude' as ListingProblem },
                    { listingId: 'x'.repeat(101), problem: 'phone' as ListingProblem },
                ]) {
                    let thrown: unknown;
                    try {
                        await stores.listingFeedback.recordReport({ ...bad, at: '2026-11-25T10:00:00.000Z',
                            channel: 'sms' });
                    } catch (err) {
                        thrown = err;
                    }
                    expect(thrown).to.be.instanceOf(Error);
                }
                expect(await stores.listingFeedback.reports(10)).to.deep.equal([]);
            });

            it('keeps each decision with who and when, an audit line per change, and moves the version', async () => {
                const v0 = await stores.listingFeedback.version();
                await stores.listingFeedback.decide(change({ action: 'hidden' }));
                const v1 = await stores.listingFeedback.version();
                expect(v1).to.be.above(v0);
                const checked = await stores.listingFeedback.decide(change({
                    action: 'checked', checkedOn: '2026-11-27', at: '2026-11-27T09:00:00.000Z', by: 'u-lead',
                }));
                expect(checked).to.deep.include({ listingId: 'opp-1', hidden: true, checkedOn: '2026-11-27',
                    by: 'u-lead', at: '2026-11-27T09:00:00.000Z', fingerprint: 'f1' });
                await stores.listingFeedback.decide(change({ action: 'shown', at: '2026-11-28T09:00:00.000Z' }));
                expect(await stores.listingFeedback.version()).to.be.above(v1);
                const [decision] = await stores.listingFeedback.decisions();
                expect(decision).to.deep.include({ listingId: 'opp-1', hidden: false, checkedOn: '2026-11-27' });
                expect(decision!.audit).to.deep.equal([
                    { at: '2026-11-26T09:00:00.000Z', actor: 'u-curator', action: 'hidden' },
                    { at: '2026-11-27T09:00:00.000Z', actor: 'u-lead', action: 'checked', detail: '2026-11-27' },
                    { at: '2026-11-28T09:00:00.000Z', actor: 'u-curator', action: 'shown' },
                ]);
            });

            it('lets a decision on a record the feed has since changed lapse: a new change starts afresh', async () => {
                await stores.listingFeedback.decide(change({ action: 'hidden' }));
                await stores.listingFeedback.decide(change({ action: 'checked', checkedOn: '2026-11-26' }));
                const after = await stores.listingFeedback.decide(change({
                    action: 'fixed', fingerprint: 'f2', at: '2026-12-01T09:00:00.000Z',
                }));
                expect(after).to.deep.include({ hidden: false, fingerprint: 'f2', fixedAt: '2026-12-01T09:00:00.000Z' });
                expect(after.checkedOn).to.equal(undefined);
            });

            it('clears the reports made before a fix, keeps one made after, and loses no change of twenty at once',
                async () => {
                    await report('opp-1', 'phone', '2026-11-25T10:00:00.000Z');
                    await report('opp-2', 'phone', '2026-11-25T10:00:00.000Z');
                    await stores.listingFeedback.decide(change({ action: 'fixed', at: '2026-11-26T09:00:00.000Z' }));
                    expect((await stores.listingFeedback.reports(10)).map((r) => r.listingId)).to.deep.equal(['opp-2']);
                    await report('opp-1', 'time', '2026-11-27T10:00:00.000Z');
                    expect((await stores.listingFeedback.reports(10)).map((r) => r.listingId).sort())
                        .to.deep.equal(['opp-1', 'opp-2']);
                    await Promise.all(Array.from({ length: 20 }, (_, i) => stores.listingFeedback.decide(change({
                        listingId: 'opp-3', action: i % 2 ? 'hidden' : 'shown',
                        at: `2026-11-28T09:00:${String(i).padStart(2, '0')}.000Z`,
                    }))));
                    const three = (await stores.listingFeedback.decisions()).find((d) => d.listingId === 'opp-3');
                    expect(three!.audit).to.have.length(20);
                });

            it('clears only the reports the curator saw when marking fixed: one made since keeps them in the queue',
                async () => {
                    await report('opp-1', 'phone', '2026-11-25T10:00:00.000Z');
                    // The curator's page showed the report of 10:00; another came at 11:00, before they chose fixed.
                    await report('opp-1', 'closed', '2026-11-25T11:00:00.000Z');
                    await stores.listingFeedback.decide(change({
                        action: 'fixed', at: '2026-11-25T12:00:00.000Z', reportsUpTo: '2026-11-25T10:00:00.000Z',
                    }));
                    expect(await stores.listingFeedback.reports(10)).to.deep.equal([{
                        listingId: 'opp-1', count: 2, problems: { phone: 1, closed: 1 },
                        firstAt: '2026-11-25T10:00:00.000Z', lastAt: '2026-11-25T11:00:00.000Z',
                    }]);
                    await stores.listingFeedback.decide(change({
                        action: 'fixed', at: '2026-11-25T13:00:00.000Z', reportsUpTo: '2026-11-25T11:00:00.000Z',
                    }));
                    expect(await stores.listingFeedback.reports(10)).to.deep.equal([]);
                });

            it('loses no report made after the one the curator saw while the fix is written', async () => {
                await report('opp-1', 'phone', '2026-11-25T10:00:00.000Z');
                await Promise.all([
                    stores.listingFeedback.decide(change({
                        action: 'fixed', at: '2026-11-26T12:00:00.000Z', reportsUpTo: '2026-11-25T10:00:00.000Z',
                    })),
                    ...Array.from({ length: 10 }, () => report('opp-1', 'time', '2026-11-25T11:00:00.000Z')),
                ]);
                const [left] = await stores.listingFeedback.reports(10);
                // Either the fix came first (10 left) or a new report did and the fix cleared nothing (11).
                expect(left?.problems.time).to.equal(10);
                expect(left!.count).to.equal(left!.problems.time! + (left!.problems.phone ?? 0));
            });

            it('refuses a fix whose last report seen is not a time', async () => {
                let thrown: unknown;
                try {
                    await stores.listingFeedback.decide(change({ action: 'fixed', reportsUpTo: 'yesterday' }));
                } catch (err) {
                    thrown = err;
                }
                expect(thrown).to.be.instanceOf(Error);
            });

            it('refuses a check without a date and an unknown action', async () => {
                for (const bad of [change({ action: 'checked' }), change({ action: 'deleted' as CuratorAction })]) {
                    let thrown: unknown;
                    try {
                        await stores.listingFeedback.decide(bad);
                    } catch (err) {
                        thrown = err;
                    }
                    expect(thrown).to.be.instanceOf(Error);
                }
                expect(await stores.listingFeedback.decisions()).to.deep.equal([]);
            });
        });

        describe("when a resident deletes their requests", () => {
            it('removes those not yet picked up and keeps the others', async () => {
                await stores.escalations.create(sampleEscalation());
                await stores.escalations.create(
                    sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM', status: 'claimed' }));
                await stores.escalations.create(
                    sampleEscalation({ id: 'esc-3', reference: 'SP-NPQRST', residentKey: 'other' }));
                const outcome = await stores.escalations.deleteUnactioned('resident-1');
                expect(outcome).to.deep.equal({ deleted: ['SP-ABCDEF'], kept: ['SP-GHJKLM'] });
                expect(await stores.escalations.getByReference('SP-ABCDEF')).to.equal(undefined);
                expect(await stores.escalations.getByReference('SP-NPQRST')).to.not.equal(undefined);
            });
        });
    });
}

/**
 * A request as a store written before the live chat was kept apart (dacb95c) holds it: the chat's lines in its
 * audit trail. `chat`: lines the new code already kept apart, for a store opened once by a version without the move.
 */
export interface OldStyleRequest {
    escalation: Escalation;
    audit: AuditEntry[];
    chat?: AuditEntry[];
}

/** Opens a store over data written the old way (seeded by the adapter's own means); `reopen` opens it once more. */
export type OpenWithOldRequests = (requests: OldStyleRequest[]) => Promise<{
    stores: Stores;
    reopen: () => Promise<Stores>;
    cleanup: () => Promise<void>;
}>;

/**
 * Upgrading a store whose live chats lived in the audit trail: on opening, each request's chat lines move to its
 * chat, in order and numbered, so a chat open during the upgrade still shows its history in the workspace.
 */
export function describeChatUpgrade(name: string, openWith: OpenWithOldRequests) {
    describe(`the ${name} store, opened over live chats kept in the audit trail`, () => {
        let cleanup: (() => Promise<void>) | undefined;
        afterEach(async () => { await cleanup?.(); cleanup = undefined; });

        const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 11, 0, i)).toISOString();
        const chatLine = (i: number): AuditEntry => ({
            at: at(i), actor: i % 2 ? 'sam' : 'resident', action: i % 2 ? 'message-sent' : 'resident-message',
            detail: `line ${i}`,
        });

        it('moves the chat lines, in order, out of the audit trail into the chat, once', async () => {
            const audit: AuditEntry[] = [
                { at: at(0), actor: 'resident', action: 'created' },
                { at: at(1), actor: 'sam', action: 'claimed' },
                { at: at(2), actor: 'sam', action: 'relay-started' },
                { at: at(3), actor: 'sam', action: 'message-sent', detail: 'Hello, I am Sam' },
                { at: at(4), actor: 'resident', action: 'resident-message', detail: 'Hi Sam' },
                { at: at(5), actor: 'system', action: 'crisis-routes-shown', detail: 'samaritans' },
                { at: at(6), actor: 'sam', action: 'note', detail: 'Left a voicemail' },
                { at: at(7), actor: 'resident', action: 'resident-message', detail: 'Thank you' },
            ];
            const quiet: AuditEntry[] = [{ at: at(0), actor: 'resident', action: 'created' }];
            const opened = await openWith([
                { escalation: sampleEscalation({ status: 'claimed' }), audit },
                { escalation: sampleEscalation({ id: 'esc-2', reference: 'SP-GHJKLM' }), audit: quiet },
            ]);
            cleanup = opened.cleanup;
            const moved = audit.filter((a) => ['message-sent', 'resident-message', 'crisis-routes-shown']
                .includes(a.action));
            const expected = { total: 4, dropped: 0, lines: moved.map((line, i) => ({ n: i + 1, ...line })) };
            expect(await opened.stores.escalations.chat('SP-ABCDEF')).to.deep.equal(expected);
            expect((await opened.stores.escalations.auditTrail('SP-ABCDEF')).map((a) => a.action))
                .to.deep.equal(['created', 'claimed', 'relay-started', 'note']);
            expect(await opened.stores.escalations.chat('SP-GHJKLM'))
                .to.deep.equal({ lines: [], total: 0, dropped: 0 });
            expect(await opened.stores.escalations.auditTrail('SP-GHJKLM')).to.deep.equal(quiet);
            // Opening again moves nothing twice.
            const again = await opened.reopen();
            expect(await again.escalations.chat('SP-ABCDEF')).to.deep.equal(expected);
            expect(await again.escalations.auditTrail('SP-ABCDEF')).to.have.length(4);
            // The chat carries on numbering after the moved lines.
            expect(await again.escalations.appendChat('SP-ABCDEF', { ...chatLine(9), action: 'message-sent' }))
                .to.equal(true);
            expect((await again.escalations.chat('SP-ABCDEF', 4))!.lines.map((l) => [l.n, l.detail]))
                .to.deep.equal([[5, 'line 9']]);
        });

        it('keeps the newest lines of a long old chat and counts the ones that went', async () => {
            const lines = Array.from({ length: STORE_LIMITS.liveChatLines + 50 }, (_, i) => chatLine(i + 1));
            const opened = await openWith([{
                escalation: sampleEscalation(),
                audit: [{ at: at(0), actor: 'resident', action: 'created' }, ...lines],
            }]);
            cleanup = opened.cleanup;
            const chat = (await opened.stores.escalations.chat('SP-ABCDEF'))!;
            expect([chat.total, chat.dropped, chat.lines.length])
                .to.deep.equal([lines.length, 50, STORE_LIMITS.liveChatLines]);
            expect(chat.lines[0]).to.deep.equal({ n: 51, ...lines[50] });
            expect(chat.lines.at(-1)).to.deep.equal({ n: lines.length, ...lines.at(-1) });
            expect((await opened.stores.escalations.auditTrail('SP-ABCDEF')).map((a) => a.action))
                .to.deep.equal(['created']);
        });

        it('puts old lines before any the chat already kept apart', async () => {
            const opened = await openWith([{
                escalation: sampleEscalation(),
                audit: [{ at: at(0), actor: 'resident', action: 'created' }, chatLine(1), chatLine(2)],
                chat: [chatLine(3), chatLine(4)],
            }]);
            cleanup = opened.cleanup;
            expect((await opened.stores.escalations.chat('SP-ABCDEF'))!.lines.map((l) => [l.n, l.detail]))
                .to.deep.equal([[1, 'line 1'], [2, 'line 2'], [3, 'line 3'], [4, 'line 4']]);
        });
    });
}
