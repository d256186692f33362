import { expect } from 'chai';
import { TwilioSmsSender } from '../../src/sending/twilio';
import type { OutboundMessage } from '../../src/sending/port';
import { createLogger } from '../../src/log';
import { twilioFake } from './fakes';

const RETRY = { timeoutMs: 400, retryDelayMs: 20 };
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'test-auth-token-0123456789';
const FROM = '+447700900001';
const STOPPED = '+447700900999';

function text(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return {
        kind: 'sms', to: '+447700900123', text: 'Walking group, Tuesdays 10am. Call 01234 567890.',
        idempotencyKey: `list-${Math.random()}`, ...overrides,
    };
}

describe('sending: Twilio Messages API (against a local fake of the API)', () => {
    let fake: Awaited<ReturnType<typeof twilioFake>>;
    let lines: string[];
    let sender: TwilioSmsSender;

    beforeEach(async () => {
        fake = await twilioFake(SID, TOKEN, [STOPPED]);
        lines = [];
        sender = new TwilioSmsSender({
            accountSid: SID, authToken: TOKEN, from: FROM, retry: RETRY, baseUrl: fake.url,
            log: createLogger('debug', (line) => lines.push(line)),
        });
    });
    afterEach(() => fake.close());

    it('posts To, From and Body with Basic auth and the idempotency token, and gets the message SID', async () => {
        const m = text();
        const result = await sender.send(m);
        expect(fake.sent).to.have.length(1);
        expect(result).to.deep.equal({ ok: true, providerId: fake.sent[0].sid });
        expect(fake.sent[0]).to.include({ To: '+447700900123', From: FROM, Body: m.text });
        expect(fake.tokens).to.deep.equal([m.idempotencyKey]);
    });

    it('sends from a Messaging Service when the sender is an MG SID', async () => {
        const service = `MG${'a'.repeat(32)}`;
        const viaService = new TwilioSmsSender({
            accountSid: SID, authToken: TOKEN, from: service, retry: RETRY, baseUrl: fake.url,
            log: createLogger('silent'),
        });
        expect((await viaService.send(text())).ok).to.equal(true);
        expect(fake.sent[0]).to.include({ MessagingServiceSid: service, From: undefined });
    });

    it('is refused when the auth token is wrong', async () => {
        const wrong = new TwilioSmsSender({
            accountSid: SID, authToken: 'another-token-0123456789', from: FROM, retry: RETRY, baseUrl: fake.url,
            log: createLogger('silent'),
        });
        expect(await wrong.send(text())).to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
        expect(fake.sent).to.have.length(0);
    });

    it('maps 21211 (not a number) and 21614 (not a mobile) to invalid-address, without a retry', async () => {
        expect(await sender.send(text({ to: '+4412' + '3'.repeat(3) })))
            .to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
        expect(await sender.send(text({ to: '+441234567890' })))
            .to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
        expect(fake.requests).to.equal(2);
        expect(fake.sent).to.have.length(0);
    });

    it('maps 21610 (the resident replied STOP) to opted-out', async () => {
        expect(await sender.send(text({ to: STOPPED })))
            .to.deep.equal({ ok: false, reason: 'opted-out', retryable: false });
        expect(fake.requests).to.equal(1);
    });

    it('refuses a text over 1,600 characters before any request', async () => {
        expect(await sender.send(text({ text: 'a'.repeat(1601) })))
            .to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
        expect(fake.requests).to.equal(0);
    });

    it('when Twilio is down, tries twice and says unavailable (retryable)', async () => {
        fake.mode.down = true;
        expect(await sender.send(text())).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
        expect(fake.requests).to.equal(2);
    });

    it('a retry after a timeout carries the same idempotency token, so Twilio sends once', async () => {
        fake.mode.holdNextAnswerMs = 1500;
        const m = text();
        const result = await sender.send(m);
        expect(result).to.deep.equal({ ok: true, providerId: fake.sent[0]?.sid });
        expect(fake.requests).to.equal(2);
        expect(fake.sent).to.have.length(1);
        expect(fake.tokens).to.deep.equal([m.idempotencyKey, m.idempotencyKey]);
    });

    it('the same key twice sends once, also from another instance (the fake honours the token)', async () => {
        const m = text();
        const first = await sender.send(m);
        const again = await sender.send({ ...m });
        const other = new TwilioSmsSender({
            accountSid: SID, authToken: TOKEN, from: FROM, retry: RETRY, baseUrl: fake.url,
            log: createLogger('silent'),
        });
        const fromOther = await other.send({ ...m });
        expect(first.ok).to.equal(true);
        expect(again).to.deep.equal(first);
        expect(fromOther).to.deep.equal(first);
        expect(fake.sent).to.have.length(1);
        expect(fake.requests).to.equal(2);
    });

    it('two sends with one key at the same moment make one request', async () => {
        const m = text();
        const [a, b] = await Promise.all([sender.send(m), sender.send({ ...m })]);
        expect(a).to.deep.equal(b);
        expect(fake.requests).to.equal(1);
    });

    it('logs never hold the number or the text', async () => {
        await sender.send(text({ to: '+447700900555' }));
        await sender.send(text({ to: STOPPED }));
        const all = lines.join('\n');
        expect(all).to.include('sending.sent').and.include('opted-out');
        for (const secret of ['7700900555', '7700900999', 'Walking group']) expect(all).to.not.include(secret);
    });
});
