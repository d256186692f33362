/**
 * Issue 21, for residents: keep suggestions on a list ("save 2", the card's Save button, "my list"), send the list by
 * text or e-mail (asked, checked, sent once, then forgotten), say a listing is wrong ("number 2 has closed"), on the
 * website chat, Teams and SMS. The sender and the report sink are the ports (src/sending/port.ts,
 * src/storage/listingFeedbackStore.ts), recorded here; everything else is the real bot over a real SQLite file.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play, type Step } from './play';
import type { ResidentProfile } from '../../src/conversation/profile';
import type { OutboundKind, OutboundMessage, SendResult, Sender } from '../../src/sending/port';
import type { ListingReport, ListingReportSink } from '../../src/storage/listingFeedbackStore';
import { MAX_SAVED, listMessage, ukMobileE164, emailAddress } from '../../src/conversation/keep';
import { listAction } from '../../src/conversation/understand';

/** A sender that records what it was given and answers as told (the port: what cannot exist here). */
class RecordingSender implements Sender {
    readonly sent: OutboundMessage[] = [];
    /** Answers to give, in turn; then ok. */
    readonly answers: SendResult[] = [];
    constructor(readonly kinds: readonly OutboundKind[] = ['sms', 'email']) {}
    async send(message: OutboundMessage): Promise<SendResult> {
        this.sent.push(structuredClone(message));
        return this.answers.shift() ?? { ok: true, providerId: `p${this.sent.length}` };
    }
}

class RecordingSink implements ListingReportSink {
    readonly reports: ListingReport[] = [];
    async recordReport(report: ListingReport): Promise<void> {
        this.reports.push(report);
    }
}

const CHANNELS = [
    { channelId: 'webchat', userId: 'resident-web' },
    { channelId: 'msteams', userId: 'resident-teams' },
    { channelId: 'sms', userId: '+447700900123' },
] as const;

const profileOf = async (app: TestApp, conversationId: string, channelId: string) =>
    (await storedState(app, conversationId, channelId))?.profile as ResidentProfile | undefined;

/** Every string anywhere in the turn's activities (text, cards), for finding what a channel showed. */
const shownIn = (activities: Partial<Activity>[]) => JSON.stringify(activities);

describe('keeping, sending and correcting suggestions (issue 21)', () => {
    let app: TestApp;
    let sender: RecordingSender;
    let sink: RecordingSink;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        sender = new RecordingSender();
        sink = new RecordingSink();
        app.services.sender = sender;
        app.services.listingReports = sink;
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const converse = (channelId: string, userId: string) =>
        new Conversation(app, { channelId, userId, conversationId: `keep-${channelId}` });
    const toResults = async (c: Conversation, need = 'I feel lonely') => {
        await play(c, [{ say: need, expect: [/It sounds like/] }, { say: 'yes', expect: [w.text('askWhere')] }]);
        const [results] = await play(c, [{ say: 'BS5', expect: [w.text('resultsIntro')] }]);
        return results;
    };
    const shown = async (channelId: string) => (await profileOf(app, `keep-${channelId}`, channelId))?.suggested ?? [];
    const nameOf = (id: string) => app.engine.opportunity(id)?.name as string;

    for (const { channelId, userId } of CHANNELS) {
        describe(`on ${channelId}`, () => {
            it('"save number 2", "save 1 and 3" and "save this" after details keep a short list; "my list" shows it',
                async () => {
                    const c = converse(channelId, userId);
                    await toResults(c);
                    const ids = await shown(channelId);
                    const steps: Step[] = [
                        { say: 'save number 2', expect: [w.text('savedOne', { name: nameOf(ids[1]), count: 1 })] },
                        { say: 'save 1 and 3', expect: [w.text('savedMany', {
                            names: `${nameOf(ids[0])} ${w.text('and')} ${nameOf(ids[2])}`, count: 3 })] },
                        { say: 'save 2', expect: [w.text('savedAlready', { name: nameOf(ids[1]) })] },
                    ];
                    await play(c, steps);
                    const profile = await profileOf(app, `keep-${channelId}`, channelId);
                    expect(profile?.saved).to.deep.equal([ids[1], ids[0], ids[2]]);
                    const [list] = await play(c, [{ say: 'my list' }]);
                    const all = shownIn(list.activities);
                    for (const id of [ids[0], ids[1], ids[2]]) expect(all).to.include(nameOf(id));
                    if (channelId === 'sms') {
                        expect(list.all).to.include(w.text('smsListSend'));
                        expect(list.activities.every((a) => !a.attachments?.length)).to.equal(true);
                        await play(c, [{ say: 'SEND', expect: [w.text('sendSmsConfirm')] },
                            { say: 'no', expect: [w.text('sendCancelled')] }]);
                        expect(sender.sent).to.have.length(0);
                    } else {
                        expect(all).to.include(w.text('cardSend'));
                    }
                    // The question on screen is asked again after it.
                    expect(list.all).to.include(channelId === 'sms' ? 'MORE' : w.text('resultsActions'));
                });

            it('"save this" means the suggestion whose details were opened; with none opened it asks which',
                async () => {
                    const c = converse(channelId, userId);
                    await toResults(c);
                    const ids = await shown(channelId);
                    await play(c, [
                        { say: 'save this', expect: [w.text('saveWhich')] },
                        { say: '3' },
                        { say: 'save this', expect: [w.text('savedOne', { name: nameOf(ids[2]), count: 1 })] },
                    ]);
                });

            it('"send me these" with nothing saved says so; with a list, sends it and forgets the number or address',
                async () => {
                    const c = converse(channelId, userId);
                    await toResults(c);
                    const ids = await shown(channelId);
                    await play(c, [{ say: 'send me these', expect: [w.text('sendEmpty')] }]);
                    await play(c, [{ say: 'save 1' }]);
                    if (channelId === 'sms') {
                        await play(c, [
                            { say: 'text me the list', expect: [w.text('sendSmsConfirm')] },
                            { say: 'yes', expect: [w.text('sendDoneText')] },
                        ]);
                        expect(sender.sent).to.have.length(1);
                        expect(sender.sent[0]).to.include({ kind: 'sms', to: '+447700900123' });
                        expect(sender.sent[0]!.text).to.include(w.text('sendSmsStop'));
                    } else {
                        await play(c, [
                            { say: 'send me these', expect: [w.text('sendHow')] },
                            { say: w.button('email'), expect: [w.text('sendAskEmail')] },
                            { say: 'not an address', expect: [w.text('sendBadEmail')] },
                            { say: 'sam@example.org', expect: [w.text('sendDoneEmail')], not: ['sam@example.org'] },
                        ]);
                        expect(sender.sent).to.have.length(1);
                        const mail = sender.sent[0]!;
                        expect(mail).to.include({ kind: 'email', to: 'sam@example.org' });
                        expect(mail.subject).to.equal(w.text('sendSubject', { serviceName: 'Signpost' }));
                        expect(mail.text).to.include(w.text('sendEmailUnsubscribe', { serviceName: 'Signpost' }));
                        // And by text, to a number given here.
                        await play(c, [
                            { say: 'text me the list', expect: [w.text('sendAskPhone')] },
                            { say: '07700 900 123', expect: [w.text('sendDoneText')] },
                        ]);
                        expect(sender.sent[1]).to.include({ kind: 'sms', to: '+447700900123' });
                        expect(sender.sent[1]!.text).to.include(w.text('sendSmsStop'));
                    }
                    const o = app.engine.opportunity(ids[0])!;
                    expect(sender.sent[0]!.text).to.include(o.name);
                    if (o.phone) expect(sender.sent[0]!.text).to.include(o.phone);
                    expect(sender.sent[0]!.idempotencyKey).to.match(/^[0-9a-f]{32}$/);
                    // Not in the stored state after the turn: no number, no address, anywhere in it.
                    const state = JSON.stringify(await storedState(app, `keep-${channelId}`, channelId));
                    expect(state).to.not.include('sam@example.org');
                    expect(state).to.not.include('not an address');
                    expect(state).to.not.include('7700900123');
                    expect(state).to.not.include('900 123');
                    // And the list is still there, and the results' question asked again.
                    expect((await profileOf(app, `keep-${channelId}`, channelId))?.saved).to.deep.equal([ids[0]]);
                });

            it('"number 2 has closed" is recorded against that listing with no resident details, thanked, and more'
                + ' suggestions offered', async () => {
                const c = converse(channelId, userId);
                await toResults(c);
                const ids = await shown(channelId);
                const [turn] = await play(c, [{ say: 'number 2 has closed',
                    expect: [w.text('reportThanks', { name: nameOf(ids[1]) })] }]);
                expect(sink.reports).to.have.length(1);
                const report = sink.reports[0]!;
                expect(report).to.deep.equal({
                    listingId: ids[1], problem: 'closed', at: report.at, channel: channelId,
                });
                expect(Number.isNaN(Date.parse(report.at))).to.equal(false);
                expect(JSON.stringify(report)).to.not.include(userId);
                // Another suggestion: the next page, numbered on from the first.
                expect(shownIn(turn.activities)).to.match(/4[.:] /);
                expect((await shown(channelId)).length).to.be.greaterThan(3);
            });

            it('"the number doesn\'t work" after opening a suggestion\'s details reports that one', async () => {
                const c = converse(channelId, userId);
                await toResults(c);
                const ids = await shown(channelId);
                await play(c, [{ say: '1' }, { say: "the number doesn't work", expect: [w.text('reportThanks', {
                    name: nameOf(ids[0]) })] }]);
                expect(sink.reports.map((r) => [r.listingId, r.problem])).to.deep.equal([[ids[0], 'phone']]);
            });
        });
    }

    it('the website chat and Teams show a Save button on each suggestion card; SMS says "Reply SAVE 2"', async () => {
        for (const { channelId, userId } of CHANNELS) {
            const c = converse(channelId, userId);
            const results = await toResults(c);
            const all = shownIn(results.activities);
            if (channelId === 'sms') {
                expect(results.all).to.include(w.text('smsSaveHint'));
            } else {
                const cards = results.activities.flatMap((a) => a.attachments ?? [])
                    .filter((a) => JSON.stringify(a).includes(w.text('cardFindOutMore')));
                expect(cards.length).to.equal(3);
                for (const n of [1, 2, 3]) expect(all).to.include(JSON.stringify(w.text('cardSaveValue', { n })));
                // The button sends words the bot reads as a save.
                const ids = await shown(channelId);
                await play(c, [{ say: w.text('cardSaveValue', { n: 2 }),
                    expect: [w.text('savedOne', { name: nameOf(ids[1]), count: 1 })] }]);
            }
        }
    });

    it('keeps at most MAX_SAVED, and says the list is full', async () => {
        const c = converse('webchat', 'resident-web');
        await toResults(c);
        for (let page = 0; page < 4; page++) {
            await play(c, [{ say: 'save them' }, { say: w.button('showMore') }]);
        }
        const [turn] = await play(c, [{ say: 'save them' }]);
        const saved = (await profileOf(app, 'keep-webchat', 'webchat'))?.saved ?? [];
        expect(saved).to.have.length(MAX_SAVED);
        expect(turn.all).to.include(w.text('savedFull', { max: MAX_SAVED }));
    });

    it('with no sender, "send me these" says kindly it isn\'t available, offering print or the list again',
        async () => {
        app.services.sender = undefined;
        for (const { channelId, userId } of CHANNELS.filter((c) => c.channelId !== 'sms')) {
            const c = converse(channelId, userId);
            await toResults(c);
            await play(c, [{ say: 'save 1' }, { say: 'send me these', expect: [w.text('sendUnavailable'),
                w.text(channelId === 'webchat' ? 'sendUnavailablePrint' : 'sendUnavailableList')] }]);
        }
    });

    it('on SMS with no text sender, the list comes as a reply in the same text chat, after a yes', async () => {
        app.services.sender = undefined;
        const c = converse('sms', '+447700900123');
        await toResults(c);
        const ids = await shown('sms');
        await play(c, [{ say: 'save 1' }, { say: 'send me these', expect: [w.text('sendSmsConfirm')] }]);
        const [reply] = await play(c, [{ say: 'yes' }]);
        expect(reply.all).to.include(nameOf(ids[0]!));
        expect(reply.all).to.include(w.text('sendSmsStop'));
        expect(reply.all).to.not.include(w.text('sendUnavailable'));
    });

    it('a number: asked, checked as a UK mobile, sent once as E.164; a retry carries the same key', async () => {
        sender.answers.push({ ok: false, reason: 'unavailable', retryable: true });
        const c = converse('webchat', 'resident-web');
        await toResults(c);
        await play(c, [
            { say: 'save 1' },
            { say: 'send me these', expect: [w.text('sendHow')] },
            { say: w.button('textMessage'), expect: [w.text('sendAskPhone')] },
            { say: '0117 496 0123', expect: [/doesn't look like a UK mobile number/] },
            { say: '07700 900 456', expect: [w.text('sendDoneText')], not: ['07700'] },
        ]);
        expect(sender.sent.map((m) => m.to)).to.deep.equal(['+447700900456', '+447700900456']);
        expect(sender.sent[0]!.idempotencyKey).to.equal(sender.sent[1]!.idempotencyKey);
        const state = JSON.stringify(await storedState(app, 'keep-webchat', 'webchat'));
        expect(state).to.not.include('900 456');
        expect(state).to.not.include('0117 496 0123');
        expect(state).to.not.include('7700900456');
        // A second request to send is another send, with another key.
        await play(c, [{ say: 'text me the list', expect: [w.text('sendAskPhone')] },
            { say: '07700900456', expect: [w.text('sendDoneText')] }]);
        expect(sender.sent[2]!.idempotencyKey).to.not.equal(sender.sent[0]!.idempotencyKey);
    });

    it('an address that starts like a "no" is still an address: sent, not called off', async () => {
        const c = converse('webchat', 'resident-web');
        await toResults(c);
        await play(c, [{ say: 'save 1' }, { say: 'email me the list', expect: [w.text('sendAskEmail')] },
            { say: 'no.reply.jo@example.com', expect: [w.text('sendDoneEmail')] }]);
        await play(c, [{ say: 'text me the list', expect: [w.text('sendAskPhone')] },
            { say: 'nope - 07700 900987', expect: [/look like a UK mobile/] },
            { say: 'no', expect: [w.text('sendCancelled')] }]);
        expect(sender.sent.map((m) => m.to)).to.deep.equal(['no.reply.jo@example.com']);
        expect(JSON.stringify(await storedState(app, 'keep-webchat', 'webchat'))).to.not.include('900987');
    });

    it('a failed send is told kindly, with what to do instead, and nothing is kept', async () => {
        sender.answers.push({ ok: false, reason: 'unavailable', retryable: false });
        const c = converse('webchat', 'resident-web');
        await toResults(c);
        await play(c, [{ say: 'save 1' }, { say: 'email me the list', expect: [w.text('sendAskEmail')] },
            { say: 'sam@example.org', expect: [w.text('sendFailed')] }]);
        sender.answers.push({ ok: false, reason: 'invalid-address', retryable: false });
        await play(c, [{ say: 'email me the list' }, { say: 'sam@example.org', expect: [w.text('sendRefused')] }]);
        expect(JSON.stringify(await storedState(app, 'keep-webchat', 'webchat'))).to.not.include('sam@example');
    });

    it('a list with a sensitive need asks before naming it; "leave it out" sends no name, place name or link',
        async () => {
        const c = converse('webchat', 'resident-web');
        await toResults(c, 'I need domestic abuse support');
        const ids = await shown('webchat');
        const sensitive = ids.map((id) => app.engine.opportunity(id)!).find((o) => o.needs.includes('domestic-abuse'));
        expect(sensitive, 'a domestic abuse listing among the results').to.not.equal(undefined);
        await play(c, [{ say: `save ${ids.indexOf(sensitive!.id) + 1}` }, { say: 'send me these' },
            { say: w.button('email'), expect: [w.text('sendSensitive')], buttons: [w.button('leaveOut'),
                w.button('keepIn')] },
            { say: w.button('leaveOut'), expect: [w.text('sendAskEmail')] },
            { say: 'sam@example.org', expect: [w.text('sendDoneEmail')] }]);
        const mail = sender.sent[0]!;
        expect(mail.text).to.include(w.text('sendLeftOut'));
        expect(mail.text).to.not.include(sensitive!.name);
        if (sensitive!.location?.name) expect(mail.text).to.not.include(sensitive!.location.name);
        if (sensitive!.url) expect(mail.text).to.not.include(sensitive!.url);
        if (sensitive!.email) expect(mail.text).to.not.include(sensitive!.email);
        if (sensitive!.phone) expect(mail.text).to.include(sensitive!.phone);
        expect(`${mail.subject} ${mail.text}`).to.not.match(/abuse|domestic|violence/i);
        // Kept in when the resident says so.
        await play(c, [{ say: 'send me these' }, { say: w.button('email') }, { say: w.button('keepIn') },
            { say: 'sam@example.org', expect: [w.text('sendDoneEmail')] }]);
        expect(sender.sent[1]!.text).to.include(sensitive!.name);
    });

    it('crisis stays first while the number is asked for', async () => {
        const c = converse('webchat', 'resident-web');
        await toResults(c);
        await play(c, [{ say: 'save 1' }, { say: 'text me the list', expect: [w.text('sendAskPhone')] },
            { say: 'I want to kill myself', expect: [/999/, /116 123/] }]);
        expect(sender.sent).to.have.length(0);
    });
});

describe('the saved list\'s pure parts', () => {
    it('reads UK mobiles to E.164 and refuses landlines and other shapes', () => {
        expect(ukMobileE164('07700 900123')).to.equal('+447700900123');
        expect(ukMobileE164('+44 (0)7700 900123')).to.equal('+447700900123');
        expect(ukMobileE164('0044 7700-900-123')).to.equal('+447700900123');
        expect(ukMobileE164('447700900123')).to.equal('+447700900123');
        for (const bad of ['0117 496 0123', '0770090012', '077009001234', 'call me', '+33 6 12 34 56 78']) {
            expect(ukMobileE164(bad), bad).to.equal(undefined);
        }
        expect(emailAddress(' sam@example.org ')).to.equal('sam@example.org');
        for (const bad of ['sam', 'sam@example', 'sam @example.org', '<sam@example.org>']) {
            expect(emailAddress(bad), bad).to.equal(undefined);
        }
    });

    it('understands saves, the list, sends, print and reports, and not needs that look like them', () => {
        const app = testApp();
        try {
            const lex = app.services.intents;
            const cases: [string, unknown][] = [
                ['save this', { action: 'save', picks: 'this' }],
                ['save number 2', { action: 'save', picks: [2] }],
                ['save 1 and 3', { action: 'save', picks: [1, 3] }],
                ['SAVE 2', { action: 'save', picks: [2] }],
                ['my list', { action: 'list' }],
                ['send me these', { action: 'send' }],
                ['text me the list', { action: 'send', via: 'sms' }],
                ['email me them', { action: 'send', via: 'email' }],
                ['print my list', { action: 'print' }],
                ['this has closed', { action: 'report', problem: 'closed' }],
                ["it's not there any more", { action: 'report', problem: 'closed' }],
                ['wrong time', { action: 'report', problem: 'time' }],
                ['number 2 has closed', { action: 'report', problem: 'closed', pick: 2 }],
                ['keep fit', undefined],
                ['I want to save money', undefined],
                ['is number 2 closed?', undefined],
            ];
            for (const [say, want] of cases) expect(listAction(say, lex, 3), say).to.deep.equal(want);
        } finally {
            void app.dispose();
        }
    });

    it('a text says "Reply STOP to stop" and an e-mail its unsubscribe line, both without markdown', () => {
        const app = testApp();
        try {
            const w = app.knowledge.wording;
            const o = app.engine.opportunity(app.engine.rank({ needs: [{ id: 'loneliness', score: 1, evidence: [] }],
                prefs: {}, limit: 1, offset: 0 }).results[0]!.id)!;
            const sms = listMessage([o], 'sms', w, { serviceName: 'Signpost', leaveOut: false, idempotencyKey: 'k',
                to: '+447700900123' });
            expect(sms.text.trim().endsWith(w.text('sendSmsStop'))).to.equal(true);
            expect(sms.subject).to.equal(undefined);
            const mail = listMessage([o], 'email', w, { serviceName: 'Signpost', leaveOut: false, idempotencyKey: 'k',
                to: 'sam@example.org' });
            expect(mail.text).to.include(w.text('sendEmailUnsubscribe', { serviceName: 'Signpost' }));
            expect(`${sms.text}${mail.text}`).to.not.match(/\*\*|__|\[.+\]\(/);
        } finally {
            void app.dispose();
        }
    });
});
