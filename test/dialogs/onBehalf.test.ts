/**
 * Issue 18 part 1, a whole journey on behalf of someone else: a daughter asks for her dad. The reflection names him,
 * the questions and the results speak about "them", the offer of a connector is for him, and the hand-off asks only
 * one extra question (does he know, and is he happy for us to help?), says plainly that his own OK is usually
 * needed, and the request a connector sees says who is asking for whom. Read in the bot's own words on the website
 * chat, SMS and Teams renderers. And: "my mum and me" is unclear, so the hand-off asks who it is for; a support worker
 * is "referred by a professional"; a resident asking for themselves is asked none of this.
 */
import { expect } from 'chai';
import type { Escalation } from '../../src/storage/escalationRecord';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

const CHANNELS = [
    { name: 'website chat', id: 'directline' },
    { name: 'SMS', id: 'sms' },
    { name: 'Microsoft Teams', id: 'msteams' },
] as const;

/** The text as read: phone numbers the website chat makes links ("[999](tel:999)") as plain numbers. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');

/** Tuesday 6 October 2026, 10:30 in London. */
const NOW = () => new Date('2026-10-06T09:30:00Z');

describe('a whole journey on behalf of someone else (issue 18)', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ now: NOW });
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    /** The one request stored, as a connector's queue has it. */
    const stored = async (): Promise<Escalation> => {
        const all = await app.stores.escalations.list({ status: 'new' });
        expect(all).to.have.length(1);
        return all[0]!;
    };

    for (const channel of CHANNELS) {
        it(`a daughter for her dad on ${channel.name}: "they" throughout, the agreement asked once, the request says`
            + ' so', async () => {
            const c = new Conversation(app, { channelId: channel.id, conversationId: `dad-${channel.id}`,
                userId: '+447700900555' });
            const dad = { who: 'your dad' };
            const youQuestions = [w.text('askWhere'), w.text('resultsIntro'), w.text('offerHandoff').slice(0, 60)];
            const turns = await play(c, [
                { say: 'my dad has been so lonely since mum died and he won\'t go out',
                    expect: [w.text('reflectThem', { ...dad, needs: 'X' }).split('X')[0]!, 'feeling lonely',
                        'losing someone close to them'],
                    not: [w.text('reflect', { needs: 'feeling lonely' }).slice(0, 30)] },
                { say: 'yes', expect: [w.text('needsThanksPlaceThem'), w.text('askWhereThem')],
                    not: youQuestions },
                { say: 'Eastfield', expect: [w.text('resultsIntroThem')], not: youQuestions },
                { say: 'change my answers', expect: [w.text('askChange')] },
                { say: 'my other answers', expect: [w.text('needsThanksThem'), w.text('askWhereThem')] },
                { say: 'Eastfield', expect: [w.text('askWhenThem')], not: [w.text('askWhen')] },
                { say: 'mornings', expect: [w.text('askCostThem')] },
                { say: 'yes', expect: [w.text('askAccessThem')], not: [w.text('askAccess')] },
                { say: 'wheelchair access', expect: [w.text('askWorriesThem')], not: [w.text('askWorries')] },
                { say: 'skip', expect: [w.text('resultsIntroThem')] },
                { say: 'that\'s all', expect: [w.text('offerHandoffThem', dad)], not: youQuestions },
                { say: 'yes please', expect: [w.text('askAgreesHe', dad)] },
                { say: 'not sure', expect: [w.text('agreementNeededHe', dad), w.text('askMethodThem')] },
                { say: 'text', expect: [w.text('askPhoneThem')] },
                { say: '07700 900123', expect: [w.text('askNameThem')] },
                { say: 'Sarah', expect: [w.text('askTimeThem')] },
                { say: 'mornings', expect: [w.text('askConsentThem', { serviceName: 'Signpost', referralDays: 90 })
                    .split('\n')[1]!] },
                { say: 'yes', expect: [w.text('askShareChat')] },
                { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            // The preferences are his: the place and the times asked about him are kept as the search's own.
            const request = await stored();
            expect(request.onBehalf).to.deep.equal({ relation: 'parent', word: 'dad', professional: false,
                agrees: 'unsure' });
            expect(request.contact).to.include({ value: '07700900123', name: 'Sarah' });
            expect(request.summary.preferences.join(' ')).to.match(/Eastfield/).and.match(/morning/i);
            expect(request.consent.wording).to.equal(w.text('askConsentThem',
                { serviceName: 'Signpost', referralDays: 90 }));
            // The answers offered are theirs too: "They'd rather not go alone", not "I'd rather not go alone".
            const worries = `${plain(turns[8]!.all)} ${turns[8]!.buttons.join(' ')}`;
            expect(worries).to.include(w.button('notAloneThem')).and.include(w.button('imOkThem'))
                .and.not.include(w.button('notAlone'));
            expect(`${plain(turns[6]!.all)} ${turns[6]!.buttons.join(' ')}`).to.include(w.button('canPayThem'));
            // Only one question more than a resident asking for themselves: the agreement.
            const asked = turns.map((t) => plain(t.all));
            expect(asked.filter((t) => t.includes(w.text('askAgreesHe', dad)))).to.have.length(1);
            expect(asked.join('\n')).to.not.include(w.text('askWhoFor'));
            if (channel.id === 'sms') {
                expect(turns.every((t) => t.activities.every((a) => !a.suggestedActions))).to.equal(true);
            }
        });
    }

    it('"my mum and me" is unclear: the hand-off asks who it is for, and "for me" asks nothing about her', async () => {
        const c = new Conversation(app);
        await play(c, [
            { say: 'help for my mum and me, we are both lonely', expect: [/It sounds like you'd like help/] },
            { say: 'yes', expect: [w.text('askWhere')] },
            { say: 'talk to a person', expect: [w.text('askWhoFor')] },
            { say: w.button('forMe'), expect: [w.text('askMethod')], not: [w.text('askAgreesShe', { who: 'your mum' })] },
        ]);
    });

    it('"my mum and me", then "for someone else": asks whether she knows and agrees', async () => {
        const c = new Conversation(app);
        await play(c, [
            { say: 'help for my mum and me, we are both lonely' },
            { say: 'talk to a person', expect: [w.text('askWhoFor')] },
            { say: w.button('forSomeoneElse'), expect: [w.text('askAgreesShe', { who: 'your mum' })] },
            { say: 'yes', expect: [w.text('agreementNeededShe', { who: 'your mum' }),
                w.text('askContactWho', { who: 'your mum' })] },
            { say: 'me', expect: [w.text('askMethodThem')] },
        ]);
    });

    it('an answer to either question the bot cannot read is not asked again: the usual questions follow', async () => {
        const c = new Conversation(app);
        await play(c, [
            { say: 'help for my mum and me, we are both lonely' },
            { say: 'talk to a person', expect: [w.text('askWhoFor')] },
            { say: 'by phone please', expect: [w.text('askPhone')], not: [w.text('askWhoFor')] },
        ]);
        const other = new Conversation(app, { conversationId: 'dad-unreadable' });
        await play(other, [
            { say: 'my dad is lonely' },
            { say: 'talk to a person', expect: [w.text('askAgreesHe', { who: 'your dad' })] },
            { say: 'just email me please', expect: [w.text('agreementNeededHe', { who: 'your dad' }),
                w.text('askEmailThem')], not: [w.text('askAgreesHe', { who: 'your dad' })] },
        ]);
    });

    it('a support worker for a client: the request shows it is referred by a professional', async () => {
        const c = new Conversation(app);
        await play(c, [
            { say: 'I\'m a support worker and my client has no food in the house until his benefits come',
                expect: [/It sounds like your client would like help/] },
            { say: 'talk to a person', expect: [w.text('askAgrees', { who: 'your client' })] },
            { say: 'yes', expect: [w.text('askContactWho', { who: 'your client' })] },
            { say: 'me', expect: [w.text('askMethodThem')] },
            { say: 'email', expect: [w.text('askEmailThem')] },
            { say: 'worker@example.org' }, { say: 'skip' }, { say: 'any time' },
            { say: 'yes' }, { say: 'no', expect: [/Your reference is SP-/] },
        ]);
        expect((await stored()).onBehalf).to.deep.equal({ relation: 'client', word: 'client', professional: true,
            agrees: 'yes', contactOf: 'asker' });
    });

    it('a resident asking for themselves is asked none of it, and their request has no onBehalf', async () => {
        const c = new Conversation(app);
        const turns = await play(c, [
            { say: 'I\'ve been lonely since my wife died', expect: [/It sounds like you'd like help/] },
            { say: 'talk to a person', expect: [w.text('askMethod')] },
            { say: 'phone' }, { say: '07700 900123' }, { say: 'skip' },
            { say: 'any time', expect: [w.text('askConsent', { serviceName: 'Signpost', referralDays: 90 })
                .split('\n')[1]!] },
            { say: 'yes' }, { say: 'no', expect: [/Your reference is SP-/] },
        ]);
        expect(turns.map((t) => t.all).join('\n')).to.not.include(w.text('askWhoFor'))
            .and.not.include('know you\'re asking');
        expect((await stored()).onBehalf).to.equal(undefined);
    });
});
