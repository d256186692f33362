import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { Metrics } from '../../src/metrics';
import { instrumentSender } from '../../src/metrics/instrumentSender';
import { createSender, LoggingSender, type OutboundMessage, type Sender } from '../../src/sending';
import { createApp } from '../../src/app';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { acsFake, twilioFake } from './fakes';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'test-auth-token-0123456789';

function email(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return {
        kind: 'email', to: 'resident@example.org', subject: 'Your list', text: 'Walking group, Tuesdays.',
        idempotencyKey: `k-${Math.random()}`, ...overrides,
    };
}

function sms(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return { kind: 'sms', to: '+447700900123', text: 'Walking group, Tuesdays.', idempotencyKey: `k-${Math.random()}`,
        ...overrides };
}

describe('sending: the sender chosen by settings', () => {
    describe('with no settings', () => {
        it('is the logging fake for both kinds: logs kind and key hash only, keeps the messages, sends once per key',
            async () => {
                const lines: string[] = [];
                const sender = createSender(loadConfig({}).sending, {
                    log: createLogger('info', (l) => lines.push(l)),
                });
                expect([...sender.kinds].sort()).to.deep.equal(['email', 'sms']);
                const m = email();
                const first = await sender.send(m);
                expect(first.ok).to.equal(true);
                expect(await sender.send({ ...m })).to.deep.equal(first);
                expect((await sender.send(sms())).ok).to.equal(true);
                const fake = sender.adapter('email') as LoggingSender;
                expect(fake).to.equal(sender.adapter('sms'));
                expect(fake.messages().map((x) => x.kind)).to.deep.equal(['email', 'sms']);
                expect(fake.messages()[0]).to.deep.equal(m);
                const logged = lines.filter((l) => l.includes('sending.logged')).map((l) => JSON.parse(l) as {
                    kind: string; key: string;
                });
                expect(logged.map((l) => l.kind)).to.deep.equal(['email', 'sms']);
                expect(logged[0].key).to.match(/^[A-Za-z0-9_-]{16}$/);
                const all = lines.join('\n');
                for (const secret of ['resident@', '7700900123', 'Walking', m.idempotencyKey]) {
                    expect(all).to.not.include(secret);
                }
            });

        it('keeps only the newest 50 messages', async () => {
            const fake = new LoggingSender(['sms'], createLogger('silent'));
            for (let i = 0; i < 55; i++) await fake.send(sms({ text: `n${i}` }));
            const kept = fake.messages();
            expect(kept).to.have.length(50);
            expect(kept[0].text).to.equal('n5');
        });

        it('refuses bad input with a reason, not a throw', async () => {
            const sender = createSender(undefined, { log: createLogger('silent') });
            expect(await sender.send(sms({ to: 'call me' })))
                .to.deep.equal({ ok: false, reason: 'invalid-address', retryable: false });
            expect(await sender.send(email({ text: '' })))
                .to.deep.equal({ ok: false, reason: 'rejected', retryable: false });
            expect(await sender.send(null as unknown as OutboundMessage))
                .to.deep.equal({ ok: false, reason: 'not-configured', retryable: false });
        });
    });

    describe('on a deployment (a bot identity, or the website chat only)', () => {
        it('offers nothing until a provider is chosen, so no resident is told a list went when it did not', () => {
            for (const env of [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' },
                { SIGNPOST_WEBSITE_CHAT_ONLY: 'true' }]) {
                expect(loadConfig(env).sending, JSON.stringify(env))
                    .to.deep.equal({ email: { mode: 'off' }, sms: { mode: 'off' } });
                expect(createSender(loadConfig(env).sending, { log: createLogger('silent') }).kinds).to.deep.equal([]);
                expect(loadConfig({ ...env, SIGNPOST_SEND_SMS: 'log' }).sending.sms).to.deep.equal({ mode: 'log' });
            }
        });
    });

    describe('the logging fake chosen on a deployment', () => {
        const deployment = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', SIGNPOST_SEND_EMAIL: 'log',
            SIGNPOST_SEND_SMS: 'log' };

        it('warns at start-up and answers not-configured, so no resident is told a list went', async () => {
            for (const env of [deployment, { SIGNPOST_WEBSITE_CHAT_ONLY: 'true', SIGNPOST_SEND_SMS: 'log' }]) {
                const lines: string[] = [];
                const sender = createSender(loadConfig(env).sending, {
                    log: createLogger('info', (l) => lines.push(l)),
                });
                const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
                    .filter((l) => l.event === 'sending.fake_on_deployment');
                expect(warned, JSON.stringify(env)).to.have.length(1);
                expect(warned[0]).to.deep.include({ level: 'warn', sms: true, answers: 'not-configured' });
                expect(sender.kinds).to.deep.equal([]);
                expect(await sender.send(sms())).to.deep.equal({ ok: false, reason: 'not-configured',
                    retryable: false });
            }
        });

        it('sends to the fake only when SIGNPOST_SEND_FAKE_ON_DEPLOYMENT is yes, and still warns', async () => {
            const lines: string[] = [];
            const sender = createSender(loadConfig({ ...deployment, SIGNPOST_SEND_FAKE_ON_DEPLOYMENT: 'yes' }).sending,
                { log: createLogger('info', (l) => lines.push(l)) });
            expect(lines.some((l) => l.includes('sending.fake_on_deployment') && l.includes('"answers":"sent"')))
                .to.equal(true);
            expect([...sender.kinds].sort()).to.deep.equal(['email', 'sms']);
            expect((await sender.send(sms())).ok).to.equal(true);
            expect(() => loadConfig({ ...deployment, SIGNPOST_SEND_FAKE_ON_DEPLOYMENT: 'maybe' }))
                .to.throw(ConfigError);
        });

        it('says nothing on a computer of one\'s own', () => {
            const lines: string[] = [];
            createSender(loadConfig({ SIGNPOST_SEND_SMS: 'log' }).sending,
                { log: createLogger('info', (l) => lines.push(l)) });
            expect(lines.join('\n')).to.not.include('fake_on_deployment');
        });
    });

    describe('a kind that is off', () => {
        it('is not among the kinds and says not-configured', async () => {
            const sender = createSender(loadConfig({ SIGNPOST_SEND_SMS: 'off' }).sending, {
                log: createLogger('silent'),
            });
            expect(sender.kinds).to.deep.equal(['email']);
            expect(await sender.send(sms())).to.deep.equal({ ok: false, reason: 'not-configured', retryable: false });
            expect((await sender.send(email())).ok).to.equal(true);
        });
    });

    describe('the real adapters, from the settings', () => {
        it('acs and twilio send through their APIs (local fakes)', async () => {
            const accessKey = randomBytes(32).toString('base64');
            const acs = await acsFake(accessKey, 'signpost@council.example.gov.uk');
            const twilio = await twilioFake(SID, TOKEN);
            try {
                const config = loadConfig({
                    SIGNPOST_SEND_EMAIL: 'acs', SIGNPOST_EMAIL_FROM: 'signpost@council.example.gov.uk',
                    SIGNPOST_ACS_CONNECTION_STRING: `endpoint=${acs.url}/;accesskey=${accessKey}`,
                    SIGNPOST_SEND_SMS: 'twilio', SIGNPOST_TWILIO_ACCOUNT_SID: SID, SIGNPOST_TWILIO_AUTH_TOKEN: TOKEN,
                    SIGNPOST_TWILIO_FROM: '+447700900001',
                });
                const sender = createSender(config.sending, {
                    log: createLogger('silent'), twilioBaseUrl: twilio.url,
                    retry: { timeoutMs: 1000, retryDelayMs: 10 },
                });
                expect((await sender.send(email())).ok).to.equal(true);
                expect((await sender.send(sms())).ok).to.equal(true);
                expect(acs.sent).to.have.length(1);
                expect(twilio.sent).to.have.length(1);
            } finally {
                await acs.close();
                await twilio.close();
            }
        });
    });

    describe('settings', () => {
        it('name what a chosen adapter lacks, without values', () => {
            expect(() => loadConfig({ SIGNPOST_SEND_EMAIL: 'acs' })).to.throw(ConfigError,
                /SIGNPOST_EMAIL_FROM is needed.*SIGNPOST_ACS_CONNECTION_STRING is needed/);
            expect(() => loadConfig({ SIGNPOST_SEND_EMAIL: 'smtp', SIGNPOST_EMAIL_FROM: 'a@example.org' }))
                .to.throw(ConfigError, /SIGNPOST_SMTP_URL is needed when SIGNPOST_SEND_EMAIL is smtp/);
            expect(() => loadConfig({ SIGNPOST_SEND_SMS: 'twilio', SIGNPOST_TWILIO_AUTH_TOKEN: 'a'.repeat(20) }))
                .to.throw(ConfigError, /SIGNPOST_TWILIO_ACCOUNT_SID is needed.*SIGNPOST_TWILIO_FROM is needed/);
            expect(() => loadConfig({ SIGNPOST_SEND_SMS: 'pigeon' })).to.throw(ConfigError, /SIGNPOST_SEND_SMS/);
            let error: unknown;
            try {
                loadConfig({ SIGNPOST_ACS_CONNECTION_STRING: 'endpoint=ftp://x;accesskey=c2VjcmV0c2VjcmV0' });
            } catch (err) {
                error = err;
            }
            expect(String(error)).to.include('SIGNPOST_ACS_CONNECTION_STRING').and.not.include('c2VjcmV0');
            expect(() => loadConfig({ SIGNPOST_TWILIO_FROM: '07700900001' })).to.throw(ConfigError, /E\.164/);
            expect(() => loadConfig({ SIGNPOST_SMTP_URL: 'http://relay.example.org' })).to.throw(ConfigError,
                /SIGNPOST_SMTP_URL/);
        });

        it('read an ACS connection string as the portal gives it (https, or http on this computer only)', () => {
            const key = randomBytes(32).toString('base64');
            const c = loadConfig({
                SIGNPOST_SEND_EMAIL: 'acs', SIGNPOST_EMAIL_FROM: 'DoNotReply@council.example.gov.uk',
                SIGNPOST_ACS_CONNECTION_STRING:
                    `endpoint=https://signpost.uk.communication.azure.com/;accesskey=${key}`,
            });
            expect(c.sending.email).to.deep.equal({
                mode: 'acs', from: 'DoNotReply@council.example.gov.uk',
                endpoint: 'https://signpost.uk.communication.azure.com', accessKey: key,
            });
            const plainHttp = `endpoint=http://acs.example.org/;accesskey=${key}`;
            expect(() => loadConfig({ SIGNPOST_ACS_CONNECTION_STRING: plainHttp }))
                .to.throw(ConfigError, /SIGNPOST_ACS_CONNECTION_STRING/);
        });
    });
});

describe('sending: counted in /metrics', () => {
    it('counts each send by kind and result, sent and each failure', async () => {
        const metrics = new Metrics({ needIds: [], log: createLogger('silent') });
        const sender: Sender = instrumentSender(createSender(loadConfig({ SIGNPOST_SEND_SMS: 'off' }).sending, {
            log: createLogger('silent'),
        }), metrics);
        await sender.send(email());
        await sender.send(email({ to: 'not an address' }));
        await sender.send(sms());
        const throwing = instrumentSender({ kinds: ['email'], send: () => Promise.reject(new Error('boom')) }, metrics);
        expect(await throwing.send(email())).to.deep.equal({ ok: false, reason: 'unavailable', retryable: true });
        const text = await metrics.registry.metrics();
        const count = (kind: string, result: string) => Number(new RegExp(
            `^signpost_sends_total\\{kind="${kind}",result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
        expect(count('email', 'sent')).to.equal(1);
        expect(count('email', 'invalid-address')).to.equal(1);
        expect(count('email', 'unavailable')).to.equal(1);
        expect(count('sms', 'not-configured')).to.equal(1);
        expect(count('sms', 'sent')).to.equal(0);
        expect(count('sms', 'opted-out')).to.equal(0);
    });
});

describe('sending: in the app', () => {
    it('the dialogs get the sender as services.sender, counted in the app\'s /metrics', async () => {
        const tmp = tempDir();
        const outbox = new LoggingSender(['sms', 'email'], createLogger('silent'));
        const app = createApp(loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' }), {
            knowledge: shippedKnowledge(), log: createLogger('silent'), sender: outbox,
        });
        try {
            expect(app.services.sender).to.equal(app.sender);
            expect([...app.sender.kinds].sort()).to.deep.equal(['email', 'sms']);
            expect((await app.services.sender?.send(sms()))?.ok).to.equal(true);
            expect(outbox.messages()).to.have.length(1);
            expect(await app.metrics.registry.metrics())
                .to.match(/^signpost_sends_total\{kind="sms",result="sent"\} 1$/m);
        } finally {
            await app.close();
            tmp.remove();
        }
    });

    it('with no settings, the app\'s sender is the logging fake (nothing leaves the computer)', async () => {
        const tmp = tempDir();
        const app = createApp(loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' }), {
            knowledge: shippedKnowledge(), log: createLogger('silent'),
        });
        try {
            const result = await app.sender.send(email());
            expect(result.ok && result.providerId).to.match(/^log-\d+$/);
        } finally {
            await app.close();
            tmp.remove();
        }
    });
});
