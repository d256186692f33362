/**
 * Chosen listings sent by text or e-mail from the workspace (issue 20), over a real HTTP server and the real store:
 * only to the contact the resident gave, only the way they chose and with their recorded agreement, from the
 * connector by name, a sensitive need never named, one key per send (a retry never sends twice), and recorded on the
 * request as "N services, by text" without the number or address. The provider is the one thing faked, at the
 * sending port, as a provider behaves: it keeps each idempotency key and never delivers one twice.
 */
import { expect } from 'chai';
import { isSensitive } from '../../src/conversation/keep';
import { createLogger } from '../../src/log';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from '../../src/sending/port';
import type { Escalation } from '../../src/storage/escalationRecord';
import { testApp } from '../helpers/app';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addEscalation, addUser } from './helpers';

/**
 * A provider at the port: records every call, delivers a key once only (as Twilio's idempotency token and ACS's
 * Repeatability-Request-ID do), and answers as told. `delivered-then-failed` delivers but answers a passing failure,
 * as a timeout after the provider took the message does.
 */
class RecordingSender implements Sender {
    readonly calls: OutboundMessage[] = [];
    readonly delivered: OutboundMessage[] = [];
    readonly answers: (SendResult | 'delivered-then-failed')[] = [];
    constructor(readonly kinds: readonly OutboundKind[] = ['sms', 'email']) {}
    async send(message: OutboundMessage): Promise<SendResult> {
        this.calls.push(structuredClone(message));
        const answer = this.answers.shift();
        if (answer && answer !== 'delivered-then-failed') return answer;
        if (!this.delivered.some((m) => m.idempotencyKey === message.idempotencyKey)) {
            this.delivered.push(structuredClone(message));
        }
        return answer ? { ok: false, reason: 'unavailable', retryable: true } : { ok: true, providerId: 'p1' };
    }
}

describe('sending chosen listings by text or e-mail from the workspace', function () {
    this.timeout(60_000);
    let web: WebServer;
    let sender: RecordingSender;
    let sam: ApiClient;
    let samId: string;
    const logLines: string[] = [];
    let loneliness: { id: string; name: string }[];
    let sensitive: { id: string; name: string };

    before(async () => {
        sender = new RecordingSender();
        web = await startWebServer({
            app: testApp({ sender, log: createLogger('info', (line) => logLines.push(line)) }),
        });
        samId = (await addUser(web.app, 'Sam')).id;
        await addUser(web.app, 'Alex');
        await addUser(web.app, 'Cora', 'curator');
        sam = new ApiClient(web.url);
        await sam.signIn('sam@example.org');
        // Listings for no sensitive need, so their names go out (a listening line is for mental wellbeing: left out).
        loneliness = ((await sam.call('GET', '/directory?text=lonely&limit=10')).body.results as
            { id: string; name: string }[]).filter((r) => !isSensitive(web.app.services.matcher.opportunity(r.id)!));
        expect(loneliness.length).to.be.at.least(2);
        const abuse = (await sam.call('GET', '/directory?need=domestic-abuse')).body.results as
            { id: string; name: string }[];
        const o = web.app.services.matcher.opportunity(abuse[0]!.id)!;
        expect(o.needs).to.include('domestic-abuse');
        sensitive = abuse[0]!;
    });
    after(async () => web?.stop({ dispose: true }));
    beforeEach(() => {
        sender.answers.length = 0;
    });

    /** A request Sam holds (claimed through the API, unless it is to stay new), with the contact the resident gave. */
    const held = async (over: Partial<Escalation> = {}) => {
        const e = await addEscalation(web.app, {
            reference: `SP-${Math.random().toString(36).slice(2, 8).toUpperCase().replace(/[01IO]/g, 'X')}`,
            contact: { method: 'text', value: '07700 900456' }, ...over,
        });
        if (over.status === 'new') return e;
        const claimed = await sam.call('POST', `/escalations/${e.reference}/claim`);
        expect(claimed.status).to.equal(200);
        return e;
    };
    const send = (client: ApiClient, reference: string, body: object) =>
        client.call('POST', `/escalations/${reference}/suggestions/send`, body);

    it('texts the chosen listings to the resident\'s mobile, from Sam at the service, and records it', async () => {
        const e = await held();
        const shown = await sam.call('GET', `/escalations/${e.reference}`);
        expect(shown.body.escalation.sendBy).to.equal('sms');
        const ids = loneliness.slice(0, 2).map((r) => r.id);
        const before = sender.delivered.length;
        const res = await send(sam, e.reference, { ids, by: 'sms' });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        expect(res.body).to.deep.include({
            sent: true, by: 'sms', suggested: loneliness.slice(0, 2).map((r) => r.name),
        });
        expect(sender.delivered.length).to.equal(before + 1);
        const m = sender.delivered.at(-1)!;
        const w = web.app.knowledge.wording;
        const serviceName = web.app.config.serviceName;
        expect(m).to.include({ kind: 'sms', to: '+447700900456' });
        expect(m.text.startsWith(w.text('suggestIntro', { name: 'Sam', serviceName }))).to.equal(true);
        expect(m.text).to.include(`1. ${loneliness[0]!.name}`).and.include(`2. ${loneliness[1]!.name}`)
            .and.include(`${w.text('labelWhen')}: `);
        expect(m.text.endsWith(w.text('sendSmsStop'))).to.equal(true);
        expect(m.text).to.not.match(/\*\*|\[.*\]\(/);
        const trail = await web.app.stores.escalations.auditTrail(e.reference);
        const line = trail.filter((a) => a.action === 'suggested');
        expect(line).to.have.length(1);
        expect(line[0]).to.deep.include({
            actor: samId, detail: `2 services, by text: ${loneliness[0]!.name}; ${loneliness[1]!.name}`,
        });
        // The number is in no audit line and no log line.
        expect(JSON.stringify(trail)).to.not.include('900456');
        expect(logLines.join('\n')).to.include('workspace.suggestion_sent');
        expect(logLines.join('\n')).to.not.include('900456');
    });

    it('e-mails to the address given, never naming a sensitive need, with the e-mail\'s last line', async () => {
        const e = await held({ contact: { method: 'email', value: 'resident@example.org' } });
        expect((await sam.call('GET', `/escalations/${e.reference}`)).body.escalation.sendBy).to.equal('email');
        const res = await send(sam, e.reference, { ids: [sensitive.id, loneliness[0]!.id], by: 'email' });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
        const m = sender.delivered.at(-1)!;
        const w = web.app.knowledge.wording;
        const serviceName = web.app.config.serviceName;
        expect(m).to.include({ kind: 'email', to: 'resident@example.org',
            subject: w.text('suggestSubject', { name: 'Sam', serviceName }) });
        expect(m.text).to.include(`1. ${w.text('sendLeftOut')}`).and.include(`2. ${loneliness[0]!.name}`);
        expect(m.text).to.not.include(sensitive.name);
        expect(`${m.subject} ${m.text}`.toLowerCase()).to.not.match(/abuse|domestic|violence/);
        expect(m.text.endsWith(w.text('suggestEmailEnd', { name: 'Sam', serviceName }))).to.equal(true);
        const trail = await web.app.stores.escalations.auditTrail(e.reference);
        expect(trail.find((a) => a.action === 'suggested')!.detail).to.match(/^2 services, by e-mail: /);
        expect(JSON.stringify(trail)).to.not.include('resident@example.org');
    });

    it('refuses without the resident\'s agreement, another way than theirs, or a number that is no mobile',
        async () => {
            const ids = [loneliness[0]!.id];
            const noConsent = await held({ consent: undefined as unknown as Escalation['consent'] });
            const calls = sender.calls.length;
            const refused = await send(sam, noConsent.reference, { ids, by: 'sms' });
            expect(refused.status).to.equal(409);
            expect(refused.body.error.code).to.equal('NoConsent');
            expect(refused.body.error.message).to.include('agreement to be contacted');
            expect((await sam.call('GET', `/escalations/${noConsent.reference}`)).body.escalation.sendBy)
                .to.equal(null);
            const byPhone = await held({ contact: { method: 'phone', value: '07700 900456' } });
            const call = await send(sam, byPhone.reference, { ids, by: 'sms' });
            expect(call.status).to.equal(409);
            expect(call.body.error).to.deep.include({ code: 'NotTheirWay', method: 'phone' });
            expect(call.body.error.message).to.include('a phone call');
            const byText = await held();
            expect((await send(sam, byText.reference, { ids, by: 'email' })).body.error.code).to.equal('NotTheirWay');
            const landline = await held({ contact: { method: 'text', value: '0117 496 0123' } });
            expect((await send(sam, landline.reference, { ids, by: 'sms' })).body.error.code).to.equal('NoAddress');
            expect(sender.calls.length, 'nothing reached the provider').to.equal(calls);
            for (const e of [noConsent, byPhone, byText, landline]) {
                const trail = await web.app.stores.escalations.auditTrail(e.reference);
                expect(trail.filter((a) => a.action === 'suggested')).to.deep.equal([]);
            }
        });

    it('only for the holder or a lead, on a claimed request, never for a curator', async () => {
        const ids = [loneliness[0]!.id];
        const e = await held();
        const alex = new ApiClient(web.url);
        await alex.signIn('alex@example.org');
        const notYours = await send(alex, e.reference, { ids, by: 'sms' });
        expect(notYours.status).to.equal(403);
        expect(notYours.body.error.code).to.equal('NotYours');
        const cora = new ApiClient(web.url);
        await cora.signIn('cora@example.org');
        expect((await send(cora, e.reference, { ids, by: 'sms' })).status).to.equal(403);
        const unclaimed = await held({ status: 'new' });
        expect((await send(sam, unclaimed.reference, { ids, by: 'sms' })).status).to.equal(409);
        expect((await send(sam, e.reference, { ids, by: 'sms' })).status).to.equal(201);
        expect((await send(sam, e.reference, { ids: ['no-such'], by: 'sms' })).status).to.equal(404);
        expect((await send(sam, e.reference, { ids, by: 'fax' })).status).to.equal(400);
        expect((await send(sam, 'SP-ZZZZZZ', { ids, by: 'sms' })).status).to.equal(404);
    });

    it('a failed send is told (502, 409) and nothing is recorded; a retry carries the same key and goes once',
        async () => {
            const e = await held();
            const ids = loneliness.slice(0, 2).map((r) => r.id);
            // The provider took it, then timed out (twice: the send's own retry too): a 502, nothing recorded.
            sender.answers.push('delivered-then-failed', { ok: false, reason: 'unavailable', retryable: true });
            const calls = sender.calls.length;
            const failed = await send(sam, e.reference, { ids, by: 'sms' });
            expect(failed.status).to.equal(502);
            expect(failed.body.error).to.deep.include({ code: 'NotSent' });
            expect(failed.body.error.message).to.include('Nothing was recorded as sent');
            expect(sender.calls.length).to.equal(calls + 2);
            const key = sender.calls.at(-1)!.idempotencyKey;
            expect(sender.calls.at(-2)!.idempotencyKey).to.equal(key);
            let trail = await web.app.stores.escalations.auditTrail(e.reference);
            expect(trail.filter((a) => a.action === 'suggested')).to.deep.equal([]);
            // The connector tries again: the same key, so the provider does not deliver it a second time.
            const retried = await send(sam, e.reference, { ids, by: 'sms' });
            expect(retried.status).to.equal(201);
            expect(sender.calls.at(-1)!.idempotencyKey).to.equal(key);
            expect(sender.delivered.filter((m) => m.idempotencyKey === key)).to.have.length(1);
            trail = await web.app.stores.escalations.auditTrail(e.reference);
            expect(trail.filter((a) => a.action === 'suggested')).to.have.length(1);
            // A new send of the same listings after that one is recorded is a new send, with a new key.
            expect((await send(sam, e.reference, { ids, by: 'sms' })).status).to.equal(201);
            expect(sender.calls.at(-1)!.idempotencyKey).to.not.equal(key);
            // Another request, the same listings: another key.
            const other = await held();
            expect((await send(sam, other.reference, { ids, by: 'sms' })).status).to.equal(201);
            expect(new Set(sender.calls.slice(-3).map((m) => m.idempotencyKey)).size).to.equal(3);
            // The resident's number refused it (opted out): a 409 saying so, nothing recorded.
            const optedOut = await held();
            sender.answers.push({ ok: false, reason: 'opted-out', retryable: false });
            const out = await send(sam, optedOut.reference, { ids, by: 'sms' });
            expect(out.status).to.equal(409);
            expect(out.body.error.code).to.equal('OptedOut');
            trail = await web.app.stores.escalations.auditTrail(optedOut.reference);
            expect(trail.filter((a) => a.action === 'suggested')).to.deep.equal([]);
        });

    it('is 503 when this server cannot send that way', async () => {
        const e = await held({ contact: { method: 'email', value: 'resident@example.org' } });
        const kinds = sender.kinds;
        (sender as { kinds: readonly OutboundKind[] }).kinds = ['sms'];
        try {
            expect((await sam.call('GET', `/escalations/${e.reference}`)).body.escalation.sendBy).to.equal(null);
            const res = await send(sam, e.reference, { ids: [loneliness[0]!.id], by: 'email' });
            expect(res.status).to.equal(503);
            expect(res.body.error.code).to.equal('SendingUnavailable');
        } finally {
            (sender as { kinds: readonly OutboundKind[] }).kinds = kinds;
        }
    });
});
