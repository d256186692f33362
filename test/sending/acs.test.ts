import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { AcsEmailSender } from '../../src/sending/acs';
import type { OutboundMessage } from '../../src/sending/port';
import { createLogger } from '../../src/log';
import { acsFake } from './fakes';

const RETRY = { timeoutMs: 400, retryDelayMs: 20 };
const FROM = 'signpost@council.example.gov.uk';

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return {
        kind: 'email', to: 'resident@example.org', subject: 'Your list from Signpost',
        text: 'Walking group, Tuesdays 10am. Call 01234 567890.', html: '<p>Walking group</p>',
        idempotencyKey: `list-${Math.random()}`, unsubscribeUrl: 'https://chat.example.org/unsubscribe?u=abc',
        ...overrides,
    };
}

describe('sending: Azure Communication Services Email (against a local fake of the REST API)', () => {
    const accessKey = randomBytes(32).toString('base64');
    let fake: Awaited<ReturnType<typeof acsFake>>;
    let lines: string[];
    let sender: AcsEmailSender;

    beforeEach(async () => {
        fake = await acsFake(accessKey, FROM);
        lines = [];
        sender = new AcsEmailSender({
            endpoint: fake.url, accessKey, from: FROM, retry: RETRY,
            log: createLogger('debug', (line) => lines.push(line)),
        });
    });
    afterEach(() => fake.close());

    it('sends a signed request with the message, List-Unsubscribe and no tracking; gets the operation id', async () => {
        const result = await sender.send(message());
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        expect(fake.sent).to.have.length(1);
        const sent = fake.sent[0];
        expect(result).to.deep.equal({ ok: true, providerId: sent.operationId });
        expect(sent.body.senderAddress).to.equal(FROM);
        expect(sent.body.recipients.to).to.deep.equal([{ address: 'resident@example.org' }]);
        expect(sent.body.content).to.deep.equal({
            subject: 'Your list from Signpost', plainText: 'Walking group, Tuesdays 10am. Call 01234 567890.',
            html: '<p>Walking group</p>',
        });
        expect(sent.body.headers?.['List-Unsubscribe']).to.equal('<https://chat.example.org/unsubscribe?u=abc>');
        expect(sent.body.userEngagementTrackingDisabled).to.equal(true);
    });

    it('is refused by the fake when the access key is wrong (the signature is checked)', async () => {
        const wrong = new AcsEmailSender({
            endpoint: fake.url, accessKey: randomBytes(32).toString('base64'), from: FROM, retry: RETRY,
            log: createLogger('silent'),
        });
        expect(await wrong.send(message())).to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
        expect(fake.requests).to.equal(1);
        expect(fake.sent).to.have.length(0);
    });

    it('maps an address ACS refuses to invalid-address, without a retry', async () => {
        const result = await sender.send(message({ to: 'resident@nowhere' }));
        expect(result).to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
        expect(fake.requests).to.equal(1);
    });

    it('refuses an address with a line break before any request', async () => {
        const result = await sender.send(message({ to: 'a@example.org\r\nBcc: b@example.org' }));
        expect(result).to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
        expect(fake.requests).to.equal(0);
    });

    it('when ACS is down, tries twice and says unavailable (retryable)', async () => {
        fake.mode.down = true;
        const result = await sender.send(message());
        expect(result).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
        expect(fake.requests).to.equal(2);
    });

    it('when nothing listens, says unavailable without throwing', async () => {
        await fake.close();
        const result = await sender.send(message());
        expect(result).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
    });

    it('a retry after a timeout carries the same repeatability id, so ACS sends once', async () => {
        fake.mode.holdNextAnswerMs = 1500;
        const result = await sender.send(message());
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        expect(fake.requests).to.equal(2);
        expect(fake.sent).to.have.length(1);
        expect(result).to.deep.equal({ ok: true, providerId: fake.sent[0].operationId });
    });

    it('the same idempotency key twice sends once, also from a second instance (ACS honours the id)', async () => {
        const m = message();
        const first = await sender.send(m);
        const again = await sender.send({ ...m });
        const other = new AcsEmailSender({
            endpoint: fake.url, accessKey, from: FROM, retry: RETRY, log: createLogger('silent'),
        });
        const fromOther = await other.send({ ...m });
        expect(first.ok).to.equal(true);
        expect(again).to.deep.equal(first);
        expect(fromOther).to.deep.equal(first);
        expect(fake.sent).to.have.length(1);
        // The first instance did not even ask again; the second asked, and ACS answered with the first answer.
        expect(fake.requests).to.equal(2);
    });

    it('two different keys send two e-mails', async () => {
        await sender.send(message());
        await sender.send(message());
        expect(fake.sent).to.have.length(2);
        expect(fake.sent[0].repeatabilityId).to.not.equal(fake.sent[1].repeatabilityId);
    });

    it('logs the kind and a hash of the key, never the address, the subject or the text', async () => {
        const m = message({ to: 'private.person@example.org' });
        await sender.send(m);
        await sender.send(message({ to: 'not an address' }));
        fake.mode.down = true;
        await sender.send(message({ to: 'private.person@example.org', idempotencyKey: 'another' }));
        const all = lines.join('\n');
        expect(lines.some((l) => l.includes('"sending.sent"'))).to.equal(true);
        expect(lines.some((l) => l.includes('"sending.failed"'))).to.equal(true);
        for (const secret of ['private.person', 'example.org', 'Walking group', 'Your list', m.idempotencyKey]) {
            expect(all).to.not.include(secret);
        }
    });

    it('says not-configured for a text message', async () => {
        expect(await sender.send({ kind: 'sms', to: '+447700900123', text: 'Hi', idempotencyKey: 'k' }))
            .to.deep.equal({ ok: false, reason: 'not-configured', retryable: false });
    });
});
