import { expect } from 'chai';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { followupDelivery } from '../../src/channels/followupDelivery';
import { FollowupScheduler, scheduleFollowup, type DeliveryResult } from '../../src/followup/scheduler';
import { createLogger } from '../../src/log';
import { LoggingSender } from '../../src/sending/logging';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import {
    SCHEDULED_MAX_ATTEMPTS, type ClaimedMessage, type NewScheduledMessage,
} from '../../src/storage/scheduledMessageStore';
import type { Stores } from '../../src/storage/stores';
import { tempDir } from '../helpers/tmp';

const resident = 'kResidentKeyAAAAAAAAAAAA';

function message(over: Partial<NewScheduledMessage> = {}): NewScheduledMessage {
    return {
        idempotencyKey: 'reminder:1', residentKey: resident, kind: 'reminder',
        reach: { via: 'address', channel: 'sms', address: '+447700900123' },
        wordingKey: 'followupReminder', data: { service: 'Tuesday walk' },
        dueAt: '2026-06-01T10:00:00.000Z', ...over,
    };
}

describe('the follow-up scheduler', () => {
    let stores: Stores;
    let tmp: { dir: string; remove: () => void };
    let clock: number;
    let lines: string[];
    const now = () => new Date(clock);
    const log = () => createLogger('info', (line) => lines.push(line));

    beforeEach(() => {
        tmp = tempDir('signpost-followup-');
        stores = openEmbeddedStores(tmp.dir);
        clock = Date.parse('2026-06-01T09:30:00.000Z');
        lines = [];
    });
    afterEach(async () => {
        await stores.close();
        tmp.remove();
    });

    it('sends a due message once with its idempotency key, and records it as sent', async () => {
        const got: ClaimedMessage[] = [];
        const scheduler = new FollowupScheduler({ store: stores.scheduled, log: log(), now, intervalMs: 1000,
            deliver: async (m) => {
                got.push(m);
                return { ok: true };
            } });
        const { id } = await scheduleFollowup(stores.scheduled, message({ dueAt: '2026-06-01T09:00:00.000Z' }), now());
        expect(await scheduler.tick()).to.include({ claimed: 1, sent: 1 });
        expect(await scheduler.tick()).to.include({ claimed: 0, sent: 0 });
        expect(got.map((m) => m.idempotencyKey)).to.deep.equal(['reminder:1']);
        expect((await stores.scheduled.get(id))!.state).to.equal('sent');
        expect(lines.join('\n')).to.include('followup.sent').and.not.include('+447700900123');
    });

    it('sends nothing outside 9am-8pm London time, and a message due in the night at 9am', async () => {
        let sends = 0;
        const scheduler = new FollowupScheduler({ store: stores.scheduled, log: log(), now, intervalMs: 1000,
            deliver: async () => {
                sends++;
                return { ok: true };
            } });
        // 11pm BST on 1 June: moved to 9am BST (08:00 UTC) on 2 June.
        const { id } = await scheduleFollowup(stores.scheduled, message({ dueAt: '2026-06-01T22:00:00.000Z' }), now());
        expect((await stores.scheduled.get(id))!.dueAt).to.equal('2026-06-02T08:00:00.000Z');
        clock = Date.parse('2026-06-02T07:59:00.000Z');
        await scheduler.tick();
        expect(sends).to.equal(0);
        clock = Date.parse('2026-06-02T08:00:00.000Z');
        await scheduler.tick();
        expect(sends).to.equal(1);
    });

    it('retries a failed send and marks it stuck after the last attempt, with a log event', async () => {
        const scheduler = new FollowupScheduler({ store: stores.scheduled, log: log(), now, intervalMs: 1000,
            retryMs: 60_000, deliver: async (): Promise<DeliveryResult> => ({ ok: false, retryable: true,
                reason: 'unavailable' }) });
        const { id } = await scheduleFollowup(stores.scheduled, message({ dueAt: '2026-06-01T09:00:00.000Z' }), now());
        for (let i = 0; i < SCHEDULED_MAX_ATTEMPTS; i++) {
            await scheduler.tick();
            clock += 61_000;
        }
        expect((await stores.scheduled.get(id))!.state).to.equal('stuck');
        expect(await stores.scheduled.countStuck()).to.equal(1);
        expect(lines.filter((l) => l.includes('followup.failed'))).to.have.length(SCHEDULED_MAX_ATTEMPTS - 1);
        expect(lines.filter((l) => l.includes('followup.stuck'))).to.have.length(1);
    });

    it('sends a message again with the same key when its instance died between sending and recording', async () => {
        const sender = new LoggingSender(['sms'], createLogger('error', () => undefined), () => clock);
        const deliver = followupDelivery({ sender, reference: async () => undefined, render: () => 'See you there',
            now: () => clock });
        const dying = { ...stores.scheduled, markSent: async () => { throw new Error('instance died'); } };
        Object.setPrototypeOf(dying, Object.getPrototypeOf(stores.scheduled));
        const first = new FollowupScheduler({ store: dying, log: log(), now, intervalMs: 1000, leaseMs: 60_000,
            deliver });
        const { id } = await scheduleFollowup(stores.scheduled, message({ dueAt: '2026-06-01T09:00:00.000Z' }), now());
        await first.tick();
        clock += 61_000;
        const second = new FollowupScheduler({ store: stores.scheduled, log: log(), now, intervalMs: 1000, deliver });
        expect(await second.tick()).to.include({ claimed: 1, sent: 1 });
        expect(sender.messages().map((m) => m.idempotencyKey)).to.deep.equal(['reminder:1']);
        expect((await stores.scheduled.get(id))!.attempts).to.equal(2);
    });

    it('delivers on Teams through continueConversation on the stored reference, once per key', async () => {
        const reference: Partial<ConversationReference> = {
            channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/',
            conversation: { id: 'a:1teams', isGroup: false, conversationType: 'personal', name: '' },
            bot: { id: '28:bot', name: 'Signpost' }, user: { id: '29:resident', name: '' },
        };
        const activities: unknown[] = [];
        const calls: { appId: string; reference: Partial<ConversationReference> }[] = [];
        const adapter = {
            continueConversationAsync: async (appId: string, ref: Partial<ConversationReference>,
                logic: (context: TurnContext) => Promise<void>) => {
                calls.push({ appId, reference: ref });
                await logic({ sendActivity: async (a: unknown) => {
                    activities.push(a);
                    return { id: '1' };
                } } as unknown as TurnContext);
            },
        };
        const deliver = followupDelivery({
            sender: new LoggingSender(['sms'], createLogger('error', () => undefined)),
            cloud: { adapter, appId: 'app-id' },
            reference: async (id) => (id === 'teams-ref-1' ? reference : undefined),
            render: (m) => `Your ${m.data.service} is tomorrow.`,
        });
        const claimed = {
            ...message({ reach: { via: 'conversation', channel: 'msteams', referenceId: 'teams-ref-1' } }),
            id: 'm1', state: 'claimed', attempts: 1, leaseToken: 't', leaseUntil: '', createdAt: '', updatedAt: '',
        } as ClaimedMessage;
        expect(await deliver(claimed)).to.deep.equal({ ok: true });
        expect(await deliver({ ...claimed, leaseToken: 't2' })).to.deep.equal({ ok: true });
        expect(calls).to.deep.equal([{ appId: 'app-id', reference }]);
        expect(activities).to.deep.equal([{ type: 'message', text: 'Your Tuesday walk is tomorrow.', textFormat: 'plain' }]);
        const unknown = { ...claimed, idempotencyKey: 'k2',
            reach: { via: 'conversation', channel: 'sms', referenceId: 'gone' } } as ClaimedMessage;
        expect(await deliver(unknown)).to.deep.equal({ ok: false, retryable: false, reason: 'no-reference' });
    });
});
