import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { joinReplies } from '../../src/channels/joinedReplies';
import { Conversation, testApp, type TestApp } from '../helpers/app';

const messages = (activities: Partial<Activity>[]) => activities.filter((a) => a.type === 'message');

/** A plain line as a renderer leaves it: text only. */
const line = (text: string, more: Partial<Activity> = {}): Partial<Activity> =>
    ({ type: 'message', text, inputHint: 'acceptingInput', ...more });

describe('replies a resident reads as one message', () => {
    describe('joinReplies', () => {
        it('puts a plain line on top of the message after it, with a blank line between, keeping its buttons', () => {
            const question = line('Where are you?', {
                inputHint: 'expectingInput',
                suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Skip', value: 'Skip' }] },
            });
            const { send, held } = joinReplies(undefined, [line('Thank you.'), question]);
            expect(held).to.equal(undefined);
            expect(send).to.have.length(1);
            expect(send[0]?.text).to.equal('Thank you.\n\nWhere are you?');
            expect(send[0]?.suggestedActions).to.deep.equal(question.suggestedActions);
            expect(send[0]?.inputHint).to.equal('expectingInput');
        });

        it('holds a plain line back for what comes next, and joins it with the next send', () => {
            const first = joinReplies(undefined, [line('OK, no problem.')]);
            expect(first.send).to.deep.equal([]);
            expect(first.held?.text).to.equal('OK, no problem.');
            const choose = { to: [], actions: [{ type: 'imBack', title: 'Show more', value: 'Show more' }] };
            const second = joinReplies(first.held, [line('Type a number.', { suggestedActions: choose })]);
            expect(second.send.map((a) => a.text)).to.deep.equal(['OK, no problem.\n\nType a number.']);
            expect(second.held).to.equal(undefined);
            // Two plain lines in a row are held as one, still waiting for what comes next.
            const two = joinReplies(undefined, [line('One.'), line('Two.')]);
            expect(two.send).to.deep.equal([]);
            expect(two.held?.text).to.equal('One.\n\nTwo.');
        });

        it('never joins into a card, a message in another language, or after a question or buttons', () => {
            const card = line('Here are some things:', { attachments: [{ contentType: 'x', content: {} }] });
            const welsh = line('Helo.', { locale: 'cy' });
            const asked = line('Is that right?', { inputHint: 'expectingInput' });
            const buttons = line('Pick one', {
                suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'A', value: 'A' }] },
            });
            for (const [a, b] of [[line('Thanks.'), card], [welsh, line('Next.')], [line('Thanks.'), welsh],
                [asked, line('Next.')], [buttons, line('Next.')]] as const) {
                const { send, held } = joinReplies(undefined, [a, b]);
                expect([...send, ...(held ? [held] : [])].map((x) => x.text), `${a.text} + ${b.text}`)
                    .to.deep.equal([a.text, b.text]);
            }
        });

        it('sends what it held before anything that is not a message, in order', () => {
            const typing: Partial<Activity> = { type: 'typing' };
            const { send, held } = joinReplies(line('One.'), [typing]);
            expect(send).to.deep.equal([line('One.'), typing]);
            expect(held).to.equal(undefined);
        });
    });

    describe('on the website chat', () => {
        let app: TestApp;
        beforeEach(() => (app = testApp()));
        afterEach(async () => app.dispose());

        it('sends the thanks and the next question as one message, and the same words as the neutral messages', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            const neutral = new Conversation(app, { channelId: 'test', conversationId: 'neutral' });
            for (const c of [web, neutral]) await c.say('money is tight and I\'m lonely');
            const onWeb = await web.say('yes');
            const asNeutral = await neutral.say('yes');
            expect(messages(asNeutral.activities)).to.have.length(2);
            expect(messages(onWeb.activities)).to.have.length(1);
            expect(onWeb.texts[0]).to.equal(asNeutral.texts.join('\n\n').replace(/([^\n])\n(?!\n)/g, '$1  \n'));
            expect(onWeb.buttons).to.deep.equal(asNeutral.buttons);
        });

        it('puts the line before the results on top of them, with the cards as they are', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            for (const said of ['money is tight and I\'m lonely', 'yes']) await web.say(said);
            const turn = await web.say('bs5 6xx');
            const results = messages(turn.activities).find((a) => a.attachments?.length);
            const { wording } = app.knowledge;
            expect(results?.text).to.equal(`${wording.text('whereGot', { place: 'BS5' })}\n\n`
                + `${wording.text('resultsIntro')}`);
            expect(results?.attachments).to.have.length(3);
            expect(messages(turn.activities)).to.have.length(2);
        });

        it('joins nothing after crisis routes: what follows them stands on its own, as the dialogs sent it', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            const neutral = new Conversation(app, { channelId: 'test', conversationId: 'neutral' });
            const onWeb = await web.say('I want to end my life');
            const asNeutral = await neutral.say('I want to end my life');
            expect(messages(onWeb.activities)).to.have.length(messages(asNeutral.activities).length);
            expect(onWeb.texts.at(-1)).to.equal(asNeutral.texts.at(-1));
        });

        it('sends the error handler\'s reply when a turn fails: nothing is held after the turn\'s end', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            await web.say('hi');
            // A broken client's conversationUpdate (membersAdded: [null]) makes the welcome handler throw.
            await web.adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [null as never] });
            const replies = web.adapter.activeQueue.splice(0).filter((a) => a.type === 'message');
            // Its first sentence (the website chat's renderer keeps line breaks its own way).
            const error = app.knowledge.wording.text('error').split('.')[0] as string;
            expect(replies.map((a) => a.text).join('\n')).to.include(error);
        });

        it('says what the dialogs said, no more: a prompt does not ask again as a line was held', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            const neutral = new Conversation(app, { channelId: 'test', conversationId: 'neutral' });
            for (const c of [web, neutral]) {
                await c.say('I\'m lonely');
                await c.say('not quite');
            }
            const onWeb = await web.say('zzqx');
            const asNeutral = await neutral.say('zzqx');
            const words = (t: string[]) => t.join(' ').replace(/\s+/g, ' ').trim();
            expect(words(onWeb.texts)).to.equal(words(asNeutral.texts));
        });

        it('sends a line held back at the end of the turn when nothing followed it', async () => {
            const web = new Conversation(app, { channelId: 'webchat', conversationId: 'web' });
            const turn = await web.say('help');
            expect(turn.texts.length).to.be.greaterThan(0);
            expect(turn.all).to.include(app.knowledge.wording.text('help').split('\n')[0] as string);
        });
    });
});
