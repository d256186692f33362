import { expect } from 'chai';
import { residentKeyOf } from '../../src/handoff/resident';
import type { NewScheduledMessage } from '../../src/storage/scheduledMessageStore';
import { Conversation, testApp, type TestApp } from '../helpers/app';

function reminder(residentKey: string, key: string): NewScheduledMessage {
    return {
        idempotencyKey: key, residentKey, kind: 'reminder',
        reach: { via: 'address', channel: 'sms', address: '+447700900321' },
        wordingKey: 'followupReminder', data: { service: 'Tuesday walk' }, dueAt: '2030-06-01T10:00:00.000Z',
    };
}

describe('reminders and check-ins after STOP and "delete my data"', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    it('cancels a resident\'s reminders and deletes the number kept for them when they text STOP', async () => {
        const key = residentKeyOf('sms', '+447700900010');
        const other = residentKeyOf('sms', '+447700900011');
        const mine = await app.stores.scheduled.schedule(reminder(key, 'a'));
        const theirs = await app.stores.scheduled.schedule(reminder(other, 'b'));
        const c = new Conversation(app, { channelId: 'sms', userId: '+447700900010' });
        await c.say('STOP');
        expect((await app.stores.scheduled.get(mine.id))!.state).to.equal('cancelled');
        expect((await app.stores.scheduled.get(theirs.id))!.state).to.equal('scheduled');
    });

    it('cancels a resident\'s reminders when they ask to delete their data, on any channel', async () => {
        const key = residentKeyOf('msteams', 'teams-user-1');
        const mine = await app.stores.scheduled.schedule({ ...reminder(key, 'c'),
            reach: { via: 'conversation', channel: 'msteams', referenceId: 'ref-1' } });
        const c = new Conversation(app, { channelId: 'msteams', userId: 'teams-user-1' });
        await c.say('hello');
        await c.say('delete my data');
        expect((await app.stores.scheduled.get(mine.id))!.state).to.equal('cancelled');
    });
});
