import { expect } from 'chai';
import fc from 'fast-check';
import type { Logger, LogFields } from '../../src/log';
import { Conversation, testApp, type TestApp } from '../helpers/app';

/** Seeded, so a failure is the same failure on every machine; fast-check prints the seed and the shrunk case. */
const SEED = 8_2025;
/** Conversations per property: each is up to ten turns through the whole bot and a real SQLite file. */
const RUNS = 40;

const CHANNELS = ['webchat', 'msteams', 'sms', 'directline', 'emulator', 'unknown-channel'] as const;

/** What residents type: the global commands, SMS keywords, answers, numbers, and what they should not type. */
const COMMANDS = [
    'help', 'HELP', 'start again', 'stop', 'STOP', 'Stop.', 'unsubscribe', 'start', 'delete my data',
    'talk to a person', 'yes', 'no', 'skip', 'more', "that's all", 'what is happening with my request SP-ABC234',
    'hello', "I'm lonely and money is tight", 'BS5 6XX', 'Tuesday mornings', 'text message', '07700 900123',
    '1', '2', '3', '0', '99', '-1', '1.5', '1e9', '', '   ', '\n\n',
    '😀', '👩‍👩‍👧‍👦🏳️‍🌈', '🙂 1', 'ok 👍',
    'x'.repeat(6000), 'help '.repeat(1200), '\u0000', '\u0007\u001b[31mred\u001b[0m', '\ud800', 'a\u202eb',
    '<script>alert(1)</script>', '{"type":"message"}', '%s%s%n', '../../etc/passwd', 'DROP TABLE users;--',
];

const message = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...COMMANDS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 30 }).map(String) },
);

// The carrier keywords of src/channels/smsRenderer.ts (Twilio's defaults): after STOP an SMS number gets nothing.
const SMS_STOP = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const SMS_START = new Set(['start', 'unstop', 'yes']);
const smsWord = (text: string) => text.trim().toLowerCase().replace(/[.!\s]+$/, '');

/** A logger that keeps the events of errors, so a turn that failed quietly (caught by onTurnError) is seen. */
function recordingLogger(errors: string[]): Logger {
    const none = () => undefined;
    return { debug: none, info: none, warn: none, error: (event: string, _f?: LogFields) => errors.push(event) };
}

describe('whatever a resident types, on any channel', function () {
    this.timeout(120_000);
    const errors: string[] = [];
    let app: TestApp;
    let n = 0;
    before(() => (app = testApp({ log: recordingLogger(errors) })));
    after(async () => app.dispose());

    it('the bot never fails a turn and always answers, except to an SMS number that texted STOP', async () => {
        await fc.assert(fc.asyncProperty(
            fc.constantFrom(...CHANNELS), fc.boolean(), fc.array(message, { minLength: 1, maxLength: 10 }),
            async (channelId, joins, said) => {
                n += 1;
                // A new resident each run: SMS opt-outs are kept per number, across conversations.
                const c = new Conversation(app, {
                    channelId, conversationId: `property-${n}`, userId: `+4477009${String(n).padStart(5, '0')}`,
                });
                errors.length = 0;
                if (joins) await c.join();
                let optedOut = false;
                for (const text of said) {
                    const turn = await c.say(text);
                    const word = smsWord(text);
                    if (channelId === 'sms' && SMS_STOP.has(word)) {
                        expect(turn.texts, 'STOP is confirmed once').to.have.length(1);
                        optedOut = true;
                    } else if (channelId === 'sms' && optedOut && !SMS_START.has(word)) {
                        expect(turn.texts, 'nothing is sent to a number that texted STOP').to.deep.equal([]);
                    } else {
                        if (channelId === 'sms' && optedOut) optedOut = false;
                        expect(turn.texts.length, `a reply to ${JSON.stringify(text.slice(0, 40))}`)
                            .to.be.greaterThan(0);
                        expect(turn.texts.every((t) => typeof t === 'string')).to.equal(true);
                    }
                    expect(errors, `no turn failed, after ${JSON.stringify(text.slice(0, 40))}`).to.deep.equal([]);
                }
            },
        ), { seed: SEED, numRuns: RUNS });
    });
});
