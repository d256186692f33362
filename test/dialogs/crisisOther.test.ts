/**
 * Issue 18 part 1: a crisis about someone else ("my friend says she wants to kill herself", "my dad has collapsed and
 * isn't breathing") gets, at once, the same routes with words for a helper around them (knowledge/crisis.json
 * "helping"): 999 for an emergency and staying with them, how to help them call Samaritans, and Childline and the
 * NSPCC when it is a child. A writer at risk themselves keeps the usual reply, even when they name someone else.
 */
import { expect } from 'chai';
import { helpingReply, buildHelpingModel } from '../../src/matching/crisis';
import { Conversation, testApp, type TestApp } from '../helpers/app';

const CHANNELS = ['directline', 'sms', 'msteams'] as const;
/** The text as read: numbers the website chat makes links ("[999](tel:999)") as plain numbers. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');

describe('a crisis about someone else (issue 18)', () => {
    let app: TestApp;
    beforeEach(() => {
        app = testApp();
    });
    afterEach(async () => app.dispose());

    const helping = () => app.knowledge.crisis.helping!;

    for (const channelId of CHANNELS) {
        it(`on ${channelId}, "my friend says she wants to kill herself" gets the routes for a helper at once`,
            async () => {
                const c = new Conversation(app, { channelId, conversationId: `friend-${channelId}`,
                    userId: '+447700900456' });
                const turn = await c.say('my friend says she wants to kill herself');
                const all = plain(turn.all);
                const first = plain(turn.texts[0] ?? '');
                expect(first.startsWith(helping().intro) || all.indexOf(helping().intro) < all.indexOf('999'),
                    all).to.equal(true);
                expect(all).to.include('999').and.include('116 123');
                for (const line of helping().lines) expect(all).to.include(plain(line).slice(0, 40));
                expect(all).to.not.include(helping().childLine.slice(0, 30));
                expect(all).to.not.include(app.knowledge.wording.text('crisisIntro'));
            });
    }

    it('"my dad has collapsed and isn\'t breathing" is told to call 999 and stay with him', async () => {
        const turn = await new Conversation(app).say('my dad has collapsed and isn\'t breathing');
        expect(turn.texts[0]).to.include(helping().intro).and.include('999').and.include(helping().lines[0]);
    });

    it('a child ("my 12 year old is cutting herself") adds Childline and the NSPCC', async () => {
        const turn = await new Conversation(app).say('my 12 year old is cutting herself');
        expect(turn.texts[0]).to.include(helping().childLine).and.include('0800 1111');
    });

    it('a writer at risk themselves keeps the usual reply, even naming someone else', async () => {
        // Danger at home and "us", "we", "me and ...": the writer is in it too, never told to "stay with them".
        for (const said of ['I want to kill myself', 'my husband hits me',
            'I\'ve taken all my pills and my mum doesn\'t know', 'my husband is going to kill us',
            'we are not safe, my husband has a knife', 'my husband has a knife and says he will kill us',
            'my dad is threatening to kill my mum and me', 'me and my sister want to kill ourselves',
            'my friend and I are going to end it tonight']) {
            const turn = await new Conversation(app, { conversationId: said }).say(said);
            expect(turn.texts[0], said).to.include(app.knowledge.wording.text('crisisIntro'));
            expect(turn.texts[0], said).to.not.include(helping().intro);
        }
    });

    it('is read by a pure function; without the "helping" part every crisis gets the usual reply', () => {
        const model = buildHelpingModel(app.knowledge.crisis);
        expect(helpingReply('my neighbour says he wants to end it all', model)?.intro).to.equal(helping().intro);
        expect(helpingReply('I want to end it all', model)).to.equal(undefined);
        const { helping: _none, ...rules } = app.knowledge.crisis;
        expect(helpingReply('my neighbour says he wants to end it all', buildHelpingModel(rules))).to.equal(undefined);
    });
});
