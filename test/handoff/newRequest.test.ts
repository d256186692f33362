import { expect } from 'chai';
import { addWorkingDays } from '../../src/handoff/escalation';
import { escalationFrom, type RequestFacts } from '../../src/handoff/newRequest';
import { residentKeyOf } from '../../src/handoff/resident';

const NOW = new Date('2026-03-06T10:00:00.000Z'); // a Friday

function facts(crisisShown: boolean): RequestFacts {
    return {
        now: NOW,
        channelId: 'directline',
        userId: 'user-1',
        conversationId: 'conv-1',
        contact: { method: 'phone', value: '07700 900123', name: 'Sam' },
        summary: { needs: ['loneliness'], preferences: ['near BS5'], suggested: [{ id: 'a', name: 'A' }], crisisShown },
        consentWording: 'May a connector contact you?',
        responseDays: 2,
        conversationReference: { conversation: { id: 'conv-1' } },
    };
}

describe('a new request for contact, made from what the hand-off gathered', () => {
    it('is new and due in working days, keeps a resident key rather than the channel user id, and the consent', () => {
        const made = escalationFrom(facts(false));
        expect(made.status).to.equal('new');
        expect(made.priority).to.equal('normal');
        expect(made.createdAt).to.equal(NOW.toISOString());
        expect(made.dueBy).to.equal(addWorkingDays(NOW, 2).toISOString());
        expect(made.dueBy).to.equal('2026-03-10T10:00:00.000Z');
        expect(made.residentKey).to.equal(residentKeyOf('directline', 'user-1'));
        expect(JSON.stringify(made)).to.not.include('user-1');
        expect(made.reference).to.match(/^SP-[A-Z2-9]{6}$/);
        expect(made.consent)
            .to.deep.equal({ given: true, at: NOW.toISOString(), wording: 'May a connector contact you?' });
        expect(made.contact).to.deep.equal(facts(false).contact);
        expect(made.summary).to.deep.equal(facts(false).summary);
    });

    it('is urgent and due today (not at once) when crisis routes were shown in the chat', () => {
        const made = escalationFrom(facts(true));
        expect(made.priority).to.equal('urgent');
        // Friday 6 March 2026, 10:00 in London: due by the end of the connectors' day, 17:00.
        expect(made.dueBy).to.equal('2026-03-06T17:00:00.000Z');
    });

    it('made urgent out of hours, is due the next working morning by the connectors\' own hours', () => {
        const late = { ...facts(true), now: new Date('2026-03-06T20:00:00.000Z') };
        expect(escalationFrom(late).dueBy).to.equal('2026-03-09T12:00:00.000Z');
        const early = { ...late, connectorHours: { days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '12:00',
            timeZone: 'Europe/London' } };
        // Saturday works here: due Saturday at 11:00.
        expect(escalationFrom(early).dueBy).to.equal('2026-03-07T11:00:00.000Z');
    });

    it('gets a new id and reference every time', () => {
        const [a, b] = [escalationFrom(facts(false)), escalationFrom(facts(false))];
        expect(a.id).to.not.equal(b.id);
        expect(a.reference).to.not.equal(b.reference);
    });
});
