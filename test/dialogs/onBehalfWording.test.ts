/**
 * Issue 18, the on-behalf conversation's wording, as a grandchild writing for their nan tried it: the reasons under
 * each suggestion speak of her ("near them", "losing someone close to them"), the questions use her pronoun
 * ("is she happy for us to help?"), a question naming one suggestion ("is the lunch one free?") answers for that one
 * alone, and the hand-off asks whom the connector should contact. Read on the website chat, SMS and Teams renderers.
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp, type Turn } from '../helpers/app';
import { noteWhoFor, textAbout } from '../../src/conversation/behalf';
import { upgradeProfile } from '../../src/conversation/profile';
import { intentsFor } from '../../src/knowledge/intents';
import { conversationKey } from '../helpers/mongoBot';
import { play, type Step } from './play';

const CHANNELS = [
    { name: 'website chat', id: 'directline' },
    { name: 'SMS', id: 'sms' },
    { name: 'Microsoft Teams', id: 'msteams' },
] as const;

/** Tuesday 6 October 2026, 10:30 in London. */
const NOW = () => new Date('2026-10-06T09:30:00Z');

/** Everything a turn shows: its texts and the words on its cards (the results' "Why" lines are on cards). */
const shown = (turn: Turn): string => [turn.all, ...turn.activities.flatMap((a) => (a.attachments ?? [])
    .map((at) => JSON.stringify(at.content)))].join('\n');

const NAN = 'my nan\'s been on her own since grandad died and she barely eats';

describe('the on-behalf conversation\'s wording (issue 18)', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ now: NOW });
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    for (const channel of CHANNELS) {
        it(`the reasons speak of her, not "you", on ${channel.name}`, async () => {
            const c = new Conversation(app, { channelId: channel.id, conversationId: `nan-why-${channel.id}`,
                userId: '+447700900556' });
            const you = [/near you/i, /close to you\b/i, /in your area/i, /meet you at/i, /with you\b/i];
            const turns = await play(c, [
                { say: NAN, expect: [w.text('reflectThem', { who: 'your nan', needs: 'X' }).split('X')[0]!] },
                { say: 'aye', expect: [w.text('askWhereThem')] },
                { say: 'BS5', expect: [w.text('resultsIntroThem')], not: you },
                { say: '3', not: you },
            ]);
            const results = shown(turns[2]!);
            for (const e of you) expect(results).to.not.match(e);
            // SMS lists the suggestions without their reasons; the others show them on each card.
            if (channel.id !== 'sms') {
                expect(results).to.include('It\'s near them, for feeling lonely')
                    .and.include('losing someone close to them');
            }
        });
    }
});

describe('the on-behalf hand-off says the person\'s pronoun when their word says it (issue 18)', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ now: NOW });
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const cases = [
        { said: NAN, who: 'your nan', agrees: 'askAgreesShe', needed: 'agreementNeededShe', pronoun: 'she' },
        { said: 'my grandad is on his own and he never goes out', who: 'your grandad', agrees: 'askAgreesHe',
            needed: 'agreementNeededHe', pronoun: 'he' },
        { said: 'my neighbour is lonely and she never goes out', who: 'your neighbour', agrees: 'askAgrees',
            needed: 'agreementNeeded', pronoun: 'they' },
    ] as const;
    for (const channel of CHANNELS) {
        for (const k of cases) {
            it(`"${k.who}" is "${k.pronoun}" in the hand-off on ${channel.name}`, async () => {
                const c = new Conversation(app, { channelId: channel.id,
                    conversationId: `pronoun-${k.pronoun}-${channel.id}`, userId: '+447700900557' });
                const them = { who: k.who };
                const others = cases.filter((o) => o.pronoun !== k.pronoun);
                await play(c, [
                    { say: k.said, expect: [w.text('reflectThem', { ...them, needs: 'X' }).split('X')[0]!] },
                    { say: 'yes', expect: [w.text('askWhereThem')] },
                    { say: 'BS5', expect: [w.text('resultsIntroThem')] },
                    { say: 'talk to a person', expect: [w.text(k.agrees, them)],
                        not: others.map((o) => w.text(o.agrees, them)) },
                    { say: 'yes', expect: [w.text(k.needed, them)], not: others.map((o) => w.text(o.needed, them)) },
                ]);
            });
        }
    }

    it('a profile kept before pronouns were noted says "they", and a new word brings its own pronoun', async () => {
        const old = upgradeProfile({ needs: [], prefs: {}, suggested: [], crisisShown: false,
            behalf: { about: 'other', relation: 'grandparent', word: 'nan' } });
        expect(textAbout(old, w, 'askAgrees')).to.equal(w.text('askAgrees', { who: 'your nan' }));
        const kept = upgradeProfile(JSON.parse(JSON.stringify({ ...old,
            behalf: { ...old.behalf, pronoun: 'she' } })));
        expect(textAbout(kept, w, 'askAgrees')).to.equal(w.text('askAgreesShe', { who: 'your nan' }));
        const fresh = upgradeProfile({ needs: [], prefs: {}, suggested: [], crisisShown: false });
        noteWhoFor(fresh, 'can you help my grandad, he is so lonely', intentsFor(app.knowledge.intents, 'en').who);
        expect(fresh.behalf).to.include({ word: 'grandad', pronoun: 'he' });
    });
});

describe('a question naming one suggestion answers for that one only (issue 18)', () => {
    let app: TestApp;
    beforeEach(() => {
        app = testApp({ now: NOW });
    });
    afterEach(async () => app.dispose());

    // The nan's first page near BS5 (the shipped directory): 1 a Sunday lunch, 2 an online grief group, 3 a cafe.
    const LUNCH = 'Sunday Lunch at Holy Trinity';
    const GRIEF = 'Grief Talk Online';
    const CAFE = 'Eastfield International Cafe';
    const only = (name: string) => ({ expect: [name], not: [LUNCH, GRIEF, CAFE].filter((n) => n !== name) });
    for (const channel of CHANNELS) {
        it(`"is the lunch one free?", "the cafe", "the second one", "number 3" on ${channel.name}`, async () => {
            const c = new Conversation(app, { channelId: channel.id, conversationId: `named-${channel.id}`,
                userId: '+447700900558' });
            const turns = await play(c, [
                { say: NAN },
                { say: 'aye' },
                { say: 'BS5' },
                { say: 'is the lunch one free?', ...only(LUNCH) },
                { say: 'does the cafe cost anything?', ...only(CAFE) },
                { say: 'is the second one free?', ...only(GRIEF) },
                { say: 'how much is number 3', ...only(CAFE) },
                { say: 'are they free?', expect: [LUNCH, GRIEF, CAFE] },
            ]);
            for (const name of [LUNCH, GRIEF, CAFE]) expect(shown(turns[2]!)).to.include(name);
            // The lunch's price, said of the lunch alone.
            expect(turns[3]!.all).to.match(/£5/);
        });
    }
});

describe('an on-behalf hand-off asks whom the connector should contact (issue 18)', () => {
    let app: TestApp;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp({ now: NOW });
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const nan = { who: 'your nan' };
    const consent = { serviceName: 'Signpost', referralDays: 90 };
    /** The lead's journey up to "can i speak to a real person", "yes". */
    const steps = (): Step[] => [
        { say: NAN },
        { say: 'aye' },
        { say: 'BS5' },
        { say: 'is the lunch one free?' },
        { say: 'can i speak to a real person', expect: [w.text('askAgreesShe', nan)] },
        { say: 'yes', expect: [w.text('agreementNeededShe', nan), w.text('askContactWho', nan)] },
    ];

    for (const channel of CHANNELS) {
        it(`"she'd like a phone call": her number, and the request says it is hers, on ${channel.name}`, async () => {
            const c = new Conversation(app, { channelId: channel.id, conversationId: `contact-${channel.id}`,
                userId: '+447700900559' });
            const turns = await play(c, [
                ...steps(),
                { say: 'she\'d like a phone call', expect: ['What\'s your nan\'s phone number?'],
                    not: [w.text('askPhoneThem'), w.text('askMethodPerson', nan)] },
                { say: '07700 900124', expect: [w.text('askNamePerson')] },
                { say: 'Joan', expect: [w.text('askTimePerson', nan)] },
                { say: 'mornings', expect: [w.text('askConsentPerson', consent).split('\n')[1]!] },
                { say: 'yes', expect: [w.text('askShareChat')] },
                { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            if (channel.id !== 'sms') {
                expect(turns[5]!.buttons).to.deep.equal([w.button('contactMe'), w.button('contactThem')]);
            } else {
                expect(turns.every((t) => t.activities.every((a) => !a.suggestedActions))).to.equal(true);
            }
            const [request] = await app.stores.escalations.list({ status: 'new' });
            expect(request?.onBehalf).to.deep.equal({ relation: 'grandparent', word: 'nan', professional: false,
                agrees: 'yes', contactOf: 'person' });
            expect(request?.contact).to.include({ method: 'phone', value: '07700900124', name: 'Joan' });
            expect(request?.consent.wording).to.equal(w.text('askConsentPerson', consent));
        });

        it(`"me": the asker's own number, as before, on ${channel.name}`, async () => {
            const c = new Conversation(app, { channelId: channel.id, conversationId: `contact-me-${channel.id}`,
                userId: '+447700900560' });
            await play(c, [
                ...steps(),
                { say: w.button('contactMe'), expect: [w.text('askMethodThem')] },
                { say: 'text', expect: [w.text('askPhoneThem')] },
                { say: '07700 900125', expect: [w.text('askNameThem')] },
                { say: 'skip', expect: [w.text('askTimeThem')] },
                { say: 'any time', expect: [w.text('askConsentThem', consent).split('\n')[1]!] },
                { say: 'yes' },
                { say: 'no', expect: [/Your reference is SP-/] },
            ]);
            const [request] = await app.stores.escalations.list({ status: 'new' });
            expect(request?.onBehalf).to.include({ agrees: 'yes', contactOf: 'asker' });
        });
    }

    it('"Them" by the button asks how to reach them; not asked when the person does not know', async () => {
        const c = new Conversation(app, { conversationId: 'contact-button' });
        await play(c, [
            ...steps(),
            { say: w.button('contactThem'), expect: [w.text('askMethodPerson', nan)] },
            { say: 'email', expect: ['What\'s your nan\'s email address?'] },
        ]);
        const d = new Conversation(app, { conversationId: 'contact-unsure', userId: 'resident-2' });
        await play(d, [
            ...steps().slice(0, 5),
            { say: 'not sure', expect: [w.text('agreementNeededShe', nan), w.text('askMethodThem')],
                not: [w.text('askContactWho', nan)] },
        ]);
    });

    it('a conversation stored by the release before, waiting at "does she know", carries on to the new question',
        async () => {
            const c = new Conversation(app, { conversationId: 'contact-stored' });
            await play(c, steps().slice(0, 5));
            // As the release before stamped it: its waterfall had the same first steps, so it fits.
            const key = conversationKey('test', 'contact-stored');
            const stored = (await app.stores.state.read([key]))[key] as Record<string, unknown>;
            expect(stored.dialogVersion).to.equal(6);
            await app.stores.state.write({ [key]: { ...stored, dialogVersion: 5 } });
            await play(c, [
                { say: 'yes', expect: [w.text('agreementNeededShe', nan), w.text('askContactWho', nan)],
                    not: [w.text('lostPlace')] },
                { say: 'her', expect: [w.text('askMethodPerson', nan)] },
            ]);
        });
});
