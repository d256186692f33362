/**
 * Harm to a child (knowledge/crisis.json kind "child-at-risk"): a child being hurt, abused or left alone, said by a
 * parent, a sibling, a neighbour or the child, gets the crisis routes at once, on every channel and at every step:
 * 999 first, the NSPCC helpline and Childline, then "Are you safe right now?". Someone writing about a child hears
 * the words for a helper; a child writing about themselves hears the usual reply.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { smsSegments } from '../../src/channels/text';
import { SMS_MAX_SEGMENTS } from '../../src/channels/smsRenderer';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

/** The text as read: numbers the website chat makes links ("[999](tel:999)") as plain numbers. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');

const NSPCC = '0808 800 5000';
const CHILDLINE = '0800 1111';

describe('a child being harmed', () => {
    let app: TestApp;
    beforeEach(() => {
        app = testApp();
    });
    afterEach(async () => app.dispose());

    const helping = () => app.knowledge.crisis.helping!;
    const childLines = () => helping().kindLines?.['child-at-risk'] ?? [];

    /** A resident on a channel, at the "where are you?" question: the routes must still come first. */
    async function atWhere(channelId: string): Promise<Conversation> {
        const c = new Conversation(app, { channelId, conversationId: `child-${channelId}`, userId: '+447700900456' });
        await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/] }, { say: 'yes', expect: [/postcode/] }]);
        return c;
    }

    it('on the website chat, "my husband hits our kids" gets 999, the NSPCC and Childline at once, as links',
        async () => {
            const c = await atWhere('directline');
            const turn = await c.say('my husband hits our kids');
            const first = turn.texts[0] ?? '';
            expect(first).to.match(/\[999\]\(tel:999\)/).and.match(/\[0808 800 5000\]\(tel:08088005000\)/)
                .and.match(/\[0800 1111\]\(tel:08001111\)/);
            expect(plain(first).indexOf('999')).to.be.below(plain(first).indexOf(NSPCC));
            expect(plain(first)).to.include(helping().intro);
            for (const line of childLines()) expect(plain(turn.all)).to.include(plain(line));
            // The Childline line for other crises would say the same numbers again.
            expect(turn.all).to.not.include(helping().childLine);
            const urls = (turn.activities[0]?.attachments ?? []).flatMap((a) => (a.content as {
                actions?: { url?: string }[];
            }).actions ?? []).map((a) => a.url);
            expect(urls).to.include.members(['tel:999', 'tel:08088005000', 'tel:08001111']);
            expect(turn.all).to.include(app.knowledge.wording.text('crisisSafeAsk'))
                .and.not.include(app.knowledge.wording.text('askWhere'));
        });

    it('by SMS, "i think the kid next door is being beaten" gets the routes as plain text within four segments',
        async () => {
            const c = await atWhere('sms');
            const turn = await c.say('i think the kid next door is being beaten');
            const messages = turn.activities.filter((a: Partial<Activity>) => a.type === 'message');
            expect(messages[0]?.text).to.match(/999/);
            expect(turn.all).to.include(NSPCC).and.include(CHILDLINE).and.include(helping().intro);
            expect(turn.all).to.not.match(/\]\(|tel:|\*\*/);
            for (const m of messages) {
                expect(m.attachments ?? []).to.deep.equal([]);
                expect(smsSegments(m.text ?? '')).to.be.at.most(SMS_MAX_SEGMENTS);
            }
            expect(turn.all).to.include(app.knowledge.wording.text('crisisSafeAsk'));
        });

    for (const channelId of ['directline', 'sms'] as const) {
        it(`on ${channelId}, a child writing "my dad hits me and my brother" gets the usual reply with Childline`,
            async () => {
                const c = new Conversation(app, { channelId, conversationId: `self-${channelId}` });
                const turn = await c.say('my dad hits me and my brother');
                const first = plain(turn.texts[0] ?? '');
                expect(first).to.include(app.knowledge.wording.text('crisisIntro')).and.include('999')
                    .and.include(CHILDLINE).and.include(NSPCC).and.include('0808 2000 247');
                expect(first).to.not.include(helping().intro);
            });
    }

    it('keeps the general words for a helper when another crisis is in the same message', async () => {
        const turn = await new Conversation(app).say('my son is being abused and says he wants to kill himself');
        const all = plain(turn.all);
        expect(all).to.include('116 123').and.include(NSPCC).and.include(plain(helping().lines[0] ?? ''));
        for (const line of childLines()) expect(all).to.include(plain(line));
    });

    it('carries on without routes for "my son beat me at chess"', async () => {
        const turn = await new Conversation(app).say('my son beat me at chess');
        expect(turn.all).to.not.include(NSPCC).and.not.include(app.knowledge.wording.text('crisisSafeAsk'));
    });
});
