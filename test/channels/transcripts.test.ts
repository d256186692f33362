import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { smsSegments } from '../../src/channels/text';
import { residentKeyOf } from '../../src/handoff/resident';
import { projectRoot } from '../../src/paths';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { JOURNEY, playJourney, transcript } from './journeys';

// The official Adaptive Cards parser; its browser bundle also runs in Node for parsing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const MARKDOWN = /\*\*|__|`|\[[^\]]+\]\([^)]+\)|^#{1,6}\s|^>\s/m;
const messages = (activities: Partial<Activity>[]) => activities.filter((a) => a.type === 'message');

/** The same journey on SMS, answering choices with the numbers and words the messages offer. */
const SMS_JOURNEY = [
    'hello',
    "I'm lonely and money is tight",
    '1', // Yes, that's right
    'BS5 6XX', // the results
    'CHANGE', // Change my answers
    '2', // My other answers
    'BS5 6XX',
    '5', // Any time
    '3', // Skip
    '5', // Nothing, thanks
    '1', // I'd rather not go alone
    '1', // details of the first result
    'MORE',
    'DONE',
    '1', // Yes, please
    '2', // Text message
    '07700 900123',
    'skip',
    '3', // Evenings
    '1', // Yes, I agree
    '2', // No, just my answers
];

describe('on SMS', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    describe('when a resident goes through the whole journey by text', () => {
        it('sends plain text only: no markdown, cards or buttons, and no message over four segments', async () => {
            const { turns } = await playJourney(app, 'sms', SMS_JOURNEY);
            fs.mkdirSync(path.join(projectRoot(), 'test-output'), { recursive: true });
            fs.writeFileSync(path.join(projectRoot(), 'test-output', 'sms-transcript.txt'), transcript(turns) + '\n');
            for (const { said, activities } of turns) {
                const sent = messages(activities);
                expect(sent.length, `a reply to "${said}"`).to.be.greaterThan(0);
                for (const a of sent) {
                    const where = `after "${said}":\n${a.text}`;
                    expect(a.attachments ?? [], where).to.deep.equal([]);
                    expect(a.suggestedActions, where).to.equal(undefined);
                    expect(a.text ?? '', where).to.not.match(MARKDOWN);
                    expect(smsSegments(a.text ?? ''), where).to.be.at.most(4);
                    expect(a.textFormat, where).to.equal('plain');
                }
            }
            const all = transcript(turns);
            expect(all).to.match(/Your reference is SP-[A-Z2-9]{6}/);
            const requests = await app.stores.escalations.list();
            expect(requests).to.have.length(1);
            expect(requests[0].contact).to.deep.include({ method: 'text', bestTime: 'Evenings' });
        });

        it('numbers the choices and says "Reply 1, 2 or 3"', async () => {
            const { turns } = await playJourney(app, 'sms', SMS_JOURNEY.slice(0, 8));
            const cost = turns[7].activities.map((a) => a.text).join('\n');
            expect(cost).to.include('1. Yes, free only').and.include('Reply 1, 2 or 3.');
        });

        it('does not number a single choice the question already names ("You can type skip")', async () => {
            const { turns } = await playJourney(app, 'sms', SMS_JOURNEY.slice(0, 17));
            const name = turns[16].activities.map((a) => a.text).join('\n');
            expect(name).to.equal(app.knowledge.wording.text('askName'));
        });

        it('lists results compactly (name, when, where, phone) and gives the details on request', async () => {
            const { turns } = await playJourney(app, 'sms', SMS_JOURNEY.slice(0, 12));
            const list = messages(turns[10].activities).map((a) => a.text).join('\n');
            expect(list).to.match(/^1\. .+\n.+\n.+\n0\d{4} \d{6}$/m);
            expect(list).to.not.include('Why:');
            const results = messages(turns[10].activities).find((a) => a.text?.startsWith('Here are some'));
            expect(smsSegments(results?.text ?? ''), 'three results in three segments at most').to.be.at.most(3);
            expect(list).to.include('Reply 1, 2 or 3 to find out more about one.')
                .and.include('Or reply MORE, CHANGE, PERSON or DONE.');
            const details = messages(turns[11].activities).map((a) => a.text).join('\n');
            expect(details).to.include('Contact:').and.include('Last checked:');
        });
    });

    describe('when a new number texts for the first time', () => {
        it('gets the welcome and privacy text first, in at most two segments', async () => {
            const c = new Conversation(app, { channelId: 'sms', userId: '+447700900001' });
            const turn = await c.say('hi');
            expect(turn.texts[0]).to.match(/computer program/).and.include(`${app.config.stateDays} days`)
                .and.include('STOP');
            expect(smsSegments(turn.texts[0])).to.be.at.most(2);
        });
    });

    describe('when a resident texts STOP, then START', () => {
        it('records the opt-out, confirms once, sends nothing more, and resumes on START', async () => {
            const w = app.knowledge.wording;
            const c = new Conversation(app, { channelId: 'sms', userId: '+447700900002' });
            await c.say("I'm lonely");
            const stop = await c.say('STOP');
            expect(stop.texts).to.deep.equal([w.text('smsStopped', { serviceName: 'Signpost' })]);
            expect(await app.stores.optOuts.isOptedOut(residentKeyOf('sms', '+447700900002'))).to.equal(true);
            expect((await c.say('hello')).texts).to.deep.equal([]);
            expect((await c.say('HELP')).texts).to.deep.equal([]);
            const start = await c.say('START');
            expect(start.texts).to.deep.equal([w.text('smsStarted', { serviceName: 'Signpost' })]);
            expect(await app.stores.optOuts.isOptedOut(residentKeyOf('sms', '+447700900002'))).to.equal(false);
            expect((await c.say("I'm lonely")).all).to.match(/It sounds like/);
        });

        it('treats UNSUBSCRIBE as STOP', async () => {
            const c = new Conversation(app, { channelId: 'sms', userId: '+447700900003' });
            await c.say('Unsubscribe');
            expect(await app.stores.optOuts.isOptedOut(residentKeyOf('sms', '+447700900003'))).to.equal(true);
        });
    });

    describe('when a resident texts HELP', () => {
        it('explains the service and how to stop, in one short message', async () => {
            const c = new Conversation(app, { channelId: 'sms', userId: '+447700900004' });
            await c.say('hello');
            const help = await c.say('HELP');
            expect(help.texts).to.have.length(1);
            expect(help.texts[0]).to.include('STOP').and.include('999');
            expect(smsSegments(help.texts[0])).to.be.at.most(2);
        });
    });
});

/** Every problem the official parser finds in a card, read as Adaptive Cards 1.5. */
function cardProblems(content: Record<string, unknown>): string[] {
    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext(AC.Versions.v1_5);
    card.parse(content, context);
    const problems: string[] = [];
    for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
    for (const e of card.validateProperties().validationEvents) problems.push(e.message);
    return problems;
}

describe('on Microsoft Teams', () => {
    let app: TestApp;
    let activities: Partial<Activity>[];
    before(async () => {
        app = testApp();
        const { turns } = await playJourney(app, 'msteams', JOURNEY);
        activities = messages(turns.flatMap((t) => t.activities));
    });
    after(async () => app.dispose());

    it('sends only Adaptive Cards that parse as version 1.5, each with a plain-text fallback', async () => {
        const cards = activities.flatMap((a) => a.attachments ?? []);
        expect(cards.length).to.be.greaterThan(5);
        for (const attachment of cards) {
            expect(attachment.contentType).to.equal('application/vnd.microsoft.card.adaptive');
            const content = attachment.content as Record<string, unknown>;
            expect(Number(content.version)).to.be.at.most(1.5);
            expect(content.fallbackText, 'fallback text').to.be.a('string').and.not.equal('');
            expect(cardProblems(content), JSON.stringify(content)).to.deep.equal([]);
        }
    });

    it('offers at most three suggested actions; longer choices are card buttons that send the words back', async () => {
        for (const a of activities) expect(a.suggestedActions?.actions.length ?? 0).to.be.at.most(3);
        // The question may come with the line before it on top (one message: joinedReplies.ts).
        const when = activities.find((a) => /(^|\n)When suits you best/.test(a.text ?? ''));
        const buttons = (when?.attachments?.[0].content as { actions: { data: unknown }[] }).actions;
        expect(buttons).to.have.length(5);
        expect(buttons[0].data).to.deep.equal({ msteams: { type: 'imBack', value: 'Mornings' } });
    });

    it('shows three results as three cards, each with a button for its details, one to save it and one to call',
        async () => {
        const results = activities.find((a) => a.text === app.knowledge.wording.text('resultsIntro'));
        expect(results?.attachments).to.have.length(3);
        const first = results!.attachments![0].content as { body: { text: string }[]; actions: { title: string;
            url?: string; data?: unknown }[] };
        expect(first.body[0].text).to.match(/^1: /);
        expect(first.actions[0].data).to.deep.equal({ msteams: { type: 'imBack', value: '1' } });
        // Issue 21: Save sends "save 1", as typing it would.
        expect(first.actions[1].data).to.deep.equal({ msteams: { type: 'imBack', value: 'save 1' } });
        expect(first.actions[2].url).to.match(/^tel:0\d{10}$/);
    });
});

describe('on web chat (Direct Line)', () => {
    let app: TestApp;
    let activities: Partial<Activity>[];
    before(async () => {
        app = testApp();
        const { turns } = await playJourney(app, 'directline', JOURNEY);
        activities = messages(turns.flatMap((t) => t.activities));
    });
    after(async () => app.dispose());

    it('keeps choices as suggested actions and shows results as cards whose buttons send the number', async () => {
        // The question may come with the line before it on top (one message: joinedReplies.ts).
        const when = activities.find((a) => /(^|\n)When suits you best/.test(a.text ?? ''));
        expect(when?.suggestedActions?.actions).to.have.length(5);
        const results = activities.find((a) => a.text === app.knowledge.wording.text('resultsIntro'));
        const card = results!.attachments![0].content as { actions: { data?: unknown }[] };
        expect(card.actions[0].data).to.deep.equal({
            __isBotFrameworkCardAction: true,
            cardAction: { type: 'imBack', title: app.knowledge.wording.text('cardFindOutMore'), value: '1' },
        });
        for (const attachment of activities.flatMap((a) => a.attachments ?? [])) {
            expect(cardProblems(attachment.content as Record<string, unknown>)).to.deep.equal([]);
        }
    });

    it('makes phone numbers tel: links and keeps its notes to renderers out of what the page gets', async () => {
        const c = new Conversation(app, { channelId: 'directline', conversationId: 'crisis' });
        const turn = await c.say('I want to end my life');
        expect(turn.all).to.match(/\[999\]\(tel:999\)/).and.match(/\[116 123\]\(tel:116123\)/);
        for (const a of activities) {
            expect(JSON.stringify(a.channelData ?? {})).to.not.match(/signpost/);
        }
    });
});

describe('on a channel without a renderer', () => {
    it('gets the neutral messages: plain text and suggested actions', async () => {
        const app = testApp();
        try {
            const { turns } = await playJourney(app, 'test', JOURNEY.slice(0, 4));
            const results = messages(turns[3].activities).find((a) => /^Here are some/.test(a.text ?? ''));
            expect(results?.attachments ?? []).to.deep.equal([]);
            expect(results?.text).to.match(/^1\. /m).and.match(/Why: /);
        } finally {
            await app.dispose();
        }
    });
});
