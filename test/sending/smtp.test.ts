import { expect } from 'chai';
import { SmtpEmailSender } from '../../src/sending/smtp';
import type { OutboundMessage } from '../../src/sending/port';
import { createLogger } from '../../src/log';
import { smtpFake } from './fakes';

const RETRY = { timeoutMs: 2000, retryDelayMs: 20 };
const FROM = 'signpost@council.example.gov.uk';

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return {
        kind: 'email', to: 'resident@example.org', subject: 'Your list from Signpost',
        text: 'Walking group, Tuesdays 10am.', html: '<p>Walking group, Tuesdays 10am.</p>',
        idempotencyKey: `list-${Math.random()}`, unsubscribeUrl: 'https://chat.example.org/unsubscribe?u=abc',
        ...overrides,
    };
}

describe('sending: SMTP by nodemailer (against a small SMTP relay on a real socket)', () => {
    let fake: Awaited<ReturnType<typeof smtpFake>>;
    let lines: string[];
    let sender: SmtpEmailSender;

    beforeEach(async () => {
        fake = await smtpFake('relay-user', 'relay p@ss', ['gone@example.org']);
        lines = [];
        sender = new SmtpEmailSender({
            url: `smtp://relay-user:${encodeURIComponent('relay p@ss')}@127.0.0.1:${fake.port}`, from: FROM,
            retry: RETRY, log: createLogger('debug', (line) => lines.push(line)),
        });
    });
    afterEach(() => fake.close());

    it('signs in and sends plain text and HTML with List-Unsubscribe and a Message-ID from the key', async () => {
        const m = message();
        const result = await sender.send(m);
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        expect(fake.received).to.have.length(1);
        const { from, to } = fake.received[0];
        // Headers unfolded (a long header may go on over lines that start with a space).
        const data = fake.received[0].data.replace(/\r\n[ \t]+/g, ' ');
        expect(from).to.equal(FROM);
        expect(to).to.deep.equal(['resident@example.org']);
        expect(data).to.match(/^Subject: Your list from Signpost\r$/m);
        expect(data).to.match(/^List-Unsubscribe: <https:\/\/chat\.example\.org\/unsubscribe\?u=abc>\r$/m);
        expect(data).to.include('multipart/alternative').and.include('text/plain').and.include('text/html');
        const id = /^Message-ID: (<[^>]+>)\r$/m.exec(data)?.[1];
        expect(id).to.match(/^<[0-9a-f]{32}\.signpost@council\.example\.gov\.uk>$/);
        expect(result).to.deep.equal({ ok: true, providerId: id });
        // The same key gives the same Message-ID in another instance (a copy sent twice is one message).
        const other = new SmtpEmailSender({
            url: `smtp://relay-user:${encodeURIComponent('relay p@ss')}@127.0.0.1:${fake.port}`, from: FROM,
            retry: RETRY, log: createLogger('silent'),
        });
        expect(await other.send({ ...m })).to.deep.equal(result);
    });

    it('is refused when the relay refuses the sign-in, without a retry', async () => {
        const wrong = new SmtpEmailSender({
            url: `smtp://relay-user:wrong@127.0.0.1:${fake.port}`, from: FROM, retry: RETRY,
            log: createLogger('silent'),
        });
        expect(await wrong.send(message())).to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
        expect(fake.connections).to.equal(1);
        expect(fake.received).to.have.length(0);
    });

    it('maps a mailbox the relay refuses (550 5.1.1) to invalid-address, without a retry', async () => {
        expect(await sender.send(message({ to: 'gone@example.org' })))
            .to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
        expect(fake.connections).to.equal(1);
        expect(fake.received).to.have.length(0);
    });

    it('when the relay is down (421), tries twice and says unavailable (retryable)', async () => {
        fake.mode.down = true;
        expect(await sender.send(message())).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
        expect(fake.connections).to.equal(2);
    });

    it('when the relay hangs, gives up after the timeout, tries once more, and says unavailable', async () => {
        fake.mode.mute = true;
        const quick = new SmtpEmailSender({
            url: `smtp://relay-user:x@127.0.0.1:${fake.port}`, from: FROM, retry: { timeoutMs: 300, retryDelayMs: 10 },
            log: createLogger('silent'),
        });
        const started = Date.now();
        expect(await quick.send(message())).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
        expect(fake.connections).to.equal(2);
        expect(Date.now() - started).to.be.lessThan(3000);
    });

    it('when nothing listens, says unavailable without throwing', async () => {
        await fake.close();
        expect(await sender.send(message())).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
    });

    it('the same idempotency key twice sends once', async () => {
        const m = message();
        const first = await sender.send(m);
        const again = await sender.send({ ...m });
        expect(first.ok).to.equal(true);
        expect(again).to.deep.equal(first);
        expect(fake.received).to.have.length(1);
        expect(fake.connections).to.equal(1);
    });

    it('refuses a subject with a line break before connecting', async () => {
        expect(await sender.send(message({ subject: 'Hi\r\nBcc: x@example.org' })))
            .to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
        expect(fake.connections).to.equal(0);
    });

    it('logs never hold the address or the text', async () => {
        await sender.send(message({ to: 'private.person@example.org' }));
        await sender.send(message({ to: 'gone@example.org' }));
        const all = lines.join('\n');
        expect(all).to.include('sending.sent').and.include('invalid-address');
        for (const secret of ['private.person', 'gone@', 'Walking group', 'relay p@ss']) {
            expect(all).to.not.include(secret);
        }
    });
});
