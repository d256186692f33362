/**
 * Crisis on every channel and at every step: the routes first (tappable where the channel allows, plain on SMS),
 * the offer of an urgent call-back, then "Are you safe right now?" (dialogs/safetyDialog.ts; test/dialogs/safety.test.ts
 * has its answers), and after a clear yes the step the resident was on asked again.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { smsSegments } from '../../src/channels/text';
import { SMS_MAX_SEGMENTS } from '../../src/channels/smsRenderer';
import { DEFAULT_CONNECTOR_HOURS, urgentDueBy } from '../../src/handoff/urgentDue';
import { createLogger } from '../../src/log';
import { until } from '../helpers/mongoBot';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

const ROUTES = [/999/, /111/, /116 123/, /85258/];

type Card = { actions?: { type: string; title: string; url?: string; data?: unknown }[]; fallbackText?: string };

function cardsOf(activities: Partial<Activity>[]): Card[] {
    return activities.flatMap((a) => a.attachments ?? []).map((a) => a.content as Card);
}

describe('when a resident writes about a crisis', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** A resident on a channel, at the "where are you?" question. */
    async function atWhere(channelId: string): Promise<Conversation> {
        const c = new Conversation(app, { channelId, conversationId: `crisis-${channelId}`, userId: '+447700900456' });
        await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }, { say: 'yes', expect: [/postcode/] }]);
        return c;
    }

    describe('on the website chat', () => {
        it('shows the routes first with numbers as tel: links and call buttons, then asks if they are safe',
            async () => {
                const c = await atWhere('directline');
                const turn = await c.say('I want to end my life');
                expect(turn.texts[0]).to.match(/\[999\]\(tel:999\)/).and.match(/\[116 123\]\(tel:116123\)/)
                    .and.match(/85258/);
                const [card] = cardsOf(turn.activities.slice(0, 1));
                const urls = (card.actions ?? []).filter((a) => a.type === 'Action.OpenUrl').map((a) => a.url);
                expect(urls).to.include.members(['tel:999', 'tel:111', 'tel:116123']);
                const callBack = (card.actions ?? []).find((a) => a.title === w.button('callMeBack'));
                expect(callBack?.data).to.deep.include({ cardAction: { type: 'imBack', title: 'Call me back',
                    value: 'Call me back' } });
                expect(turn.all).to.include(w.text('crisisSafeAsk')).and.not.include(w.text('askWhere'));
            });
    });

    describe('in Microsoft Teams', () => {
        it('shows the routes first with call buttons and a call-back button Teams can send', async () => {
            const c = await atWhere('msteams');
            const turn = await c.say('my partner hits me and I am scared to go home');
            expect(turn.texts[0]).to.match(/999/).and.include('0808 2000 247');
            const [card] = cardsOf(turn.activities.slice(0, 1));
            const urls = (card.actions ?? []).map((a) => a.url).filter(Boolean);
            expect(urls).to.include.members(['tel:999', 'tel:08082000247']);
            expect((card.actions ?? []).map((a) => a.data)).to.deep.include({
                msteams: { type: 'imBack', value: w.button('callMeBack') },
            });
            expect(card.fallbackText).to.match(/999/);
            expect(turn.all).to.include(w.text('crisisSafeAsk'));
        });
    });

    describe('by SMS', () => {
        it('sends the routes as plain text: no links, buttons or cards, and no message over four segments',
            async () => {
                const c = await atWhere('sms');
                const turn = await c.say('my friend says she\'ll take all her pills');
                const messages = turn.activities.filter((a) => a.type === 'message');
                expect(messages[0].text).to.match(/999/);
                for (const re of ROUTES) expect(turn.all).to.match(re);
                expect(turn.all).to.not.match(/\]\(|tel:|\*\*/);
                expect(turn.all).to.include('"call me"');
                for (const m of messages) {
                    expect(m.attachments ?? []).to.deep.equal([]);
                    expect(m.suggestedActions).to.equal(undefined);
                    expect(smsSegments(m.text ?? '')).to.be.at.most(SMS_MAX_SEGMENTS);
                }
                expect(turn.all).to.include(w.text('crisisSafeAsk'));
            });
    });

    describe('when the resident asks to be called back', () => {
        it('asks for a number and consent, stores an urgent request, then goes back to the step they were on',
            async () => {
                const c = await atWhere('sms');
                await play(c, [
                    { say: 'I keep hurting myself', expect: [...ROUTES, w.text('crisisSafeAsk')] },
                    { say: 'call me', expect: [w.text('askPhone')], not: [w.text('askMethod')] },
                    { say: '07700 900456', expect: [w.text('askName')] },
                    { say: 'skip', expect: [w.text('askTime')] },
                    { say: 'any time', expect: [/I need your OK/] },
                    { say: 'yes', expect: [w.text('askShareChat')] },
                    { say: 'no', expect: [/Your reference is SP-/, /marked your request as urgent/, /116 123/,
                        w.text('crisisSafeAsk')], not: [w.text('askWhere')] },
                    { say: 'yes', expect: [w.text('askWhere')] },
                    { say: 'BS5', expect: [/near BS5/, w.text('resultsIntro')] },
                ]);
                const [stored] = await app.stores.escalations.list();
                expect(stored.priority).to.equal('urgent');
                // Urgent is "contact today" (or the next working morning), not late from its first minute.
                expect(stored.dueBy).to.equal(urgentDueBy(new Date(stored.createdAt), DEFAULT_CONNECTOR_HOURS)
                    .toISOString());
                expect(stored.dueBy > stored.createdAt).to.equal(true);
                expect(stored.contact).to.include({ method: 'phone', value: '07700900456' });
                expect(stored.summary.crisisShown).to.equal(true);
            });

        it('stores nothing without consent, and still goes back to the step', async () => {
            const c = await atWhere('directline');
            await play(c, [
                { say: 'I want to die' },
                { say: 'Call me back', expect: [w.text('askPhone')] },
                { say: '07700 900456' }, { say: 'skip' }, { say: 'any time' },
                { say: 'no', expect: [w.text('consentNo'), w.text('crisisSafeAsk')] },
                { say: 'I\'m safe', expect: [w.text('askWhere')] },
            ]);
            expect(await app.stores.escalations.list()).to.have.length(0);
        });

        it('works as the first thing said after the routes, before any question', async () => {
            const c = new Conversation(app, { conversationId: 'first' });
            await play(c, [
                { say: 'he said he will kill me', expect: [w.text('crisisCallBack'), w.text('crisisSafeAsk')] },
                { say: 'call me', expect: [w.text('askPhone')] },
            ]);
        });
    });

    describe('when the resident is already asking for contact', () => {
        it('shows the routes without offering a call-back again, asks if they are safe, then the same question',
            async () => {
                const c = new Conversation(app, { conversationId: 'asking' });
                await play(c, [
                    { say: 'talk to a person', expect: [w.text('askMethod')] },
                    { say: 'phone', expect: [w.text('askPhone')] },
                ]);
                const [turn] = await play(c, [{
                    say: 'I took an overdose an hour ago',
                    expect: [...ROUTES, w.text('crisisSafeAsk')],
                    not: [w.text('crisisCallBack'), w.text('askPhone')],
                }]);
                expect(turn.texts[0]).to.match(/999/);
                await play(c, [
                    { say: 'yes', expect: [w.text('askPhone')] },
                    { say: '07700 900456', expect: [w.text('askName')] },
                ]);
            });
    });

    describe('when the resident already made a normal request for contact', () => {
        /** A resident with a normal request (no crisis yet), back at the start. Its reference. */
        async function withNormalRequest(c: Conversation, on: TestApp = app): Promise<string> {
            await play(c, [
                { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900456' }, { say: 'skip' },
                { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            const [request] = await on.stores.escalations.list();
            expect(request.priority).to.equal('normal');
            return request.reference;
        }

        /** A counter's value in the app's own metrics registry. */
        async function counted(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
            const metric = (await app.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
            return (metric?.values as { value: number; labels: Record<string, string> }[] | undefined)
                ?.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
        }

        it('shows the routes first, then makes that request urgent and due today, counted once, not as a new one',
            async () => {
                const c = new Conversation(app, { conversationId: 'raise', userId: 'resident-raise' });
                const reference = await withNormalRequest(c);
                const before = Date.now();
                const turn = await c.say('I want to end my life');
                expect(turn.texts[0]).to.include(w.text('crisisIntro')).and.match(/999/);
                const raised = (await app.stores.escalations.getByReference(reference))!;
                expect(raised).to.deep.include({ priority: 'urgent', status: 'new' });
                const audit = await app.stores.escalations.auditTrail(reference);
                expect(Date.parse(audit[1]!.at)).to.be.within(before - 1000, Date.now() + 1000);
                expect(raised.dueBy).to.equal(urgentDueBy(new Date(audit[1]!.at), DEFAULT_CONNECTOR_HOURS).toISOString());
                expect(audit.map((a) => a.action)).to.deep.equal(['created', 'raised-urgent']);
                expect(audit[1]).to.include({ actor: 'system' }).and.not.have.property('detail');
                // Another crisis message raises nothing more; no request is made or counted by the raise.
                await c.say('I keep hurting myself');
                expect((await app.stores.escalations.auditTrail(reference)).map((a) => a.action))
                    .to.deep.equal(['created', 'raised-urgent']);
                expect(await app.stores.escalations.list()).to.have.length(1);
                expect(await counted('signpost_escalations_created_total', { priority: 'normal' })).to.equal(1);
                expect(await counted('signpost_escalations_created_total', { priority: 'urgent' })).to.equal(0);
                expect(await counted('signpost_escalations_raised_urgent_total')).to.equal(1);
            });

        it('makes it urgent during a live chat with a connector too, and leaves other residents\' requests alone',
            async () => {
                const other = new Conversation(app, { conversationId: 'other', userId: 'resident-other' });
                const theirs = await withNormalRequest(other);
                const c = new Conversation(app, { conversationId: 'raise-live', userId: 'resident-live' });
                await play(c, [
                    { say: 'talk to a person' }, { say: 'email' }, { say: 'someone@example.org' }, { say: 'skip' },
                    { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is SP-/] },
                ]);
                const reference = (await app.stores.escalations.list()).find((e) => e.reference !== theirs)!.reference;
                const sam = { id: 'u1', name: 'Sam' };
                const at = new Date().toISOString();
                await app.stores.escalations.change(reference, {
                    from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'u1', action: 'claimed' },
                });
                expect(await app.stores.escalations.setRelay(reference, sam,
                    { at, actor: 'u1', action: 'relay-started' })).to.equal(true);
                const turn = await c.say('I took an overdose an hour ago');
                expect(turn.texts[0]).to.include(w.text('crisisIntro'));
                expect(await app.stores.escalations.getByReference(reference))
                    .to.deep.include({ priority: 'urgent', status: 'claimed', relay: sam });
                expect((await app.stores.escalations.auditTrail(reference)).map((a) => a.action)).to.include.members(
                    ['crisis-routes-shown', 'raised-urgent']);
                // The connector sees the message and the routes in the live chat, where they are reading.
                expect((await app.stores.escalations.chat(reference))!.lines.map((l) => l.action))
                    .to.deep.equal(['resident-message', 'crisis-routes-shown']);
                expect((await app.stores.escalations.getByReference(theirs))?.priority).to.equal('normal');
            });

        it('raises it too when the turn fails before the routes, and the error reply shows them', async () => {
            const c = new Conversation(app, { conversationId: 'raise-after-failure', userId: 'resident-failure' });
            const reference = await withNormalRequest(c);
            const state = app.stores.state;
            const read = state.read;
            state.read = async () => {
                throw new Error('a bug reading state');
            };
            try {
                await play(c, [{ say: 'I want to end my life', expect: [...ROUTES, w.text('error')] }]);
            } finally {
                state.read = read;
            }
            await until(async () => (await app.stores.escalations.getByReference(reference))?.priority === 'urgent',
                5_000, 'the request raised to urgent');
        });

        it('still shows the routes and carries on when the request cannot be raised, and logs that', async () => {
            const lines: string[] = [];
            const own = testApp({ log: createLogger('info', (line) => lines.push(line)) });
            try {
                const c = new Conversation(own, { conversationId: 'raise-fails', userId: 'resident-fails' });
                const reference = await withNormalRequest(c, own);
                await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }]);
                const store = own.stores.escalations;
                store.raiseToUrgent = async () => {
                    throw new Error('the database is not answering');
                };
                await play(c, [{ say: 'I want to end my life', expect: [...ROUTES, w.text('crisisSafeAsk')] }]);
                expect((await store.getByReference(reference))?.priority).to.equal('normal');
                const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
                    .filter((l) => l.event === 'handoff.raise_failed');
                expect(failed).to.have.length(1);
                expect(Object.keys(failed[0]!).sort()).to.deep.equal(['error', 'escalation', 'event', 'level', 'time',
                    'turnId']);
            } finally {
                await own.dispose();
            }
        });
    });

    describe('when the words are figurative', () => {
        for (const text of ["I'm dying to join a choir", 'the rent is killing me', 'just killing time']) {
            it(`carries on without routes for "${text}"`, async () => {
                const c = new Conversation(app, { conversationId: text });
                await play(c, [{ say: text, not: [/116 123/, w.text('crisisCallBack')] }]);
            });
        }
    });
});
