/**
 * A resident who writes in another language (issue 14): a crisis gets a line in that language first (999 with an
 * interpreter, the Samaritans), then the routes, on every channel and at every step; any other message gets one
 * line in that language saying what Signpost can do and how to ask for a person, never a guess at their needs.
 */
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { smsSegments } from '../../src/channels/text';
import { SMS_MAX_SEGMENTS } from '../../src/channels/smsRenderer';
import { LanguageWording } from '../../src/knowledge/languages';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { JOURNEY } from '../channels/journeys';

const MARKDOWN = /\*\*|__|`|\[[^\]]+\]\([^)]+\)/;

/** Crisis messages in three scripts, written for these tests (not from the eval sets). */
const CRISES = [
    {
        script: 'Latin, Polish without diacritics', language: 'pl', name: 'Polish',
        text: 'chyba sie zabije, nie daje juz rady',
    },
    { script: 'Arabic script, Urdu', language: 'ur', name: 'Urdu', text: 'میں خودکشی کرنا چاہتا ہوں' },
    { script: 'Han, Chinese', language: 'zh', name: 'Mandarin', text: '我真的不想活了，想自杀' },
] as const;

/** Where in the conversation the crisis message comes: how many of the shared journey's steps come before it. */
const STEPS = [
    { step: 'as the first message', before: 0 },
    { step: 'in the middle of the questions (when?, after "change my answers")', before: 8 },
    { step: 'at the results', before: 4 },
] as const;

const CHANNELS = [
    { name: 'website chat', id: 'directline' },
    { name: 'SMS', id: 'sms' },
    { name: 'Microsoft Teams', id: 'msteams' },
] as const;

const messages = (activities: Partial<Activity>[]) => activities.filter((a) => a.type === 'message');
/** The text as read: phone numbers that the website chat makes links ("[999](tel:999)") as plain numbers. */
const plain = (text: string | undefined) => (text ?? '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1');

describe('when a resident writes in another language', () => {
    let app: TestApp;
    let lines: LanguageWording;
    beforeEach(() => {
        app = testApp();
        lines = new LanguageWording(app.knowledge.languages ?? []);
    });
    afterEach(async () => app.dispose());

    for (const channel of CHANNELS) {
        describe(`on ${channel.name}`, () => {
            for (const crisis of CRISES) {
                for (const at of STEPS) {
                    it(`a crisis in ${crisis.script} ${at.step} gets the line in ${crisis.language} first, `
                        + 'then the routes',
                        async () => {
                            const c = new Conversation(app, {
                                channelId: channel.id,
                                conversationId: `lang-${channel.id}-${crisis.language}-${at.before}`,
                                userId: '+447700900777',
                            });
                            for (const said of JOURNEY.slice(0, at.before)) await c.say(said);
                            const turn = await c.say(crisis.text);
                            const sent = messages(turn.activities);
                            const where = `the bot said:\n${turn.all}`;
                            const line = lines.crisisLine(crisis.language, false) as string;
                            // The line first: its own message, in the language, naming the language in English.
                            expect(plain(sent[0]?.text), where).to.include(plain(line).slice(0, 12)).and.include('999')
                                .and.include(crisis.name).and.include('116 123');
                            // Then the routes, at once.
                            expect(plain(sent[1]?.text), where).to.match(/999/).and.match(/116 123/).and.match(/85258/);
                            if (channel.id === 'sms') {
                                for (const a of sent) {
                                    expect(a.text ?? '', where).to.not.match(MARKDOWN);
                                    expect(smsSegments(a.text ?? ''), where).to.be.at.most(SMS_MAX_SEGMENTS);
                                }
                            }
                        });
                }
            }
        });
    }

    it('adds Childline and the NSPCC when the crisis is about a child', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'child-1' });
        const turn = await c.say('moj syn mowi ze sie zabije');
        expect(plain(turn.texts[0])).to.include(lines.crisisLine('pl', true)?.slice(0, 20)).and.include('0800 1111')
            .and.include('0808 800 5000');
    });

    it('gives both the Urdu and the Panjabi line when Roman letters cannot tell the two apart', async () => {
        for (const channelId of ['directline', 'sms']) {
            const c = new Conversation(app, { channelId, userId: `roman-${channelId}` });
            const turn = await c.say('usne saari goliyan kha li');
            const shown = turn.texts.map(plain).join('\n');
            for (const code of ['ur', 'pa']) {
                expect(shown, turn.all).to.include(plain(lines.crisisLine(code, false)).slice(0, 12));
            }
            expect(shown, turn.all).to.include('85258');
        }
    });

    it('gives Welsh the Samaritans\' Welsh Language Line', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'welsh-1' });
        const turn = await c.say('dw i eisiau lladd fy hun heno');
        expect(plain(turn.texts[0])).to.include('0808 164 0123').and.include('Welsh');
    });

    it('shows the routes with no language line to a crisis in English', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'english-1' });
        const turn = await c.say('I want to kill myself');
        expect(plain(turn.texts[0])).to.include(app.knowledge.wording.text('crisisIntro'));
    });

    it('answers a Portuguese message about loneliness with the Portuguese line, not a guess at its needs', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'portuguese-1' });
        const turn = await c.say('há meses que me sinto muito sozinha, não tenho com quem falar');
        expect(plain(turn.texts[0])).to.equal(lines.unsupported('pt'));
        expect(turn.all).to.not.match(/It sounds like/);
    });

    it('offers a Polish message about loneliness the conversation in Polish, asked in Polish and English', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'polish-1' });
        const turn = await c.say('od miesięcy czuję się bardzo samotna, nie mam z kim porozmawiać');
        expect(turn.texts[0]).to.include(app.knowledge.wording.in('pl').text('languageOfferSelf'))
            .and.include(app.knowledge.wording.text('languageOffer', { language: 'Polish' }));
        expect(turn.buttons).to.deep.equal(['Polski', 'English']);
        expect(turn.all).to.not.match(/It sounds like/);
    });

    it('answers in the middle of the questions too, and the resident can ask for a person in their language',
        async () => {
            const c = new Conversation(app, { channelId: 'sms', userId: '+447700900778' });
            for (const said of JOURNEY.slice(0, 4)) await c.say(said);
            const turn = await c.say('não entendo, preciso de ajuda em português');
            expect(turn.texts[0]).to.include('pessoa');
            // The question is asked again after the line, so the next answer on SMS answers it.
            expect(turn.texts.length, turn.all).to.be.greaterThan(1);
            const person = await c.say('pessoa');
            expect(person.all).to.include(app.knowledge.wording.text('askMethod'));
        });

    it('in the middle of the questions, a Polish sentence is offered Polish; yes asks the same question in Polish',
        async () => {
            const c = new Conversation(app, { channelId: 'directline', userId: 'polish-2' });
            for (const said of ["I'm lonely", 'yes']) await c.say(said);
            const offer = await c.say('nie rozumiem, potrzebuję pomocy po polsku');
            expect(offer.texts[0]).to.include(app.knowledge.wording.in('pl').text('languageOfferSelf'));
            const yes = await c.say('tak');
            expect(yes.all).to.include(app.knowledge.wording.in('pl').text('askWhere'));
            // Chosen back by name at any time.
            const back = await c.say('English');
            expect(back.all).to.include(app.knowledge.wording.text('askWhere'));
        });

    it('does not offer again a language the resident said no to', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'welsh-2' });
        const offer = await c.say('Dw i eisiau cwrdd â phobl newydd yn yr ardal');
        expect(offer.texts[0]).to.include(app.knowledge.wording.in('cy').text('languageOfferSelf'));
        const no = await c.say('no');
        expect(no.all).to.include(app.knowledge.wording.text('askNeeds'));
        const again = await c.say('Dw i eisiau cwrdd â phobl newydd yn yr ardal');
        expect(again.all).to.not.include(app.knowledge.wording.in('cy').text('languageOfferSelf'));
    });

    it('takes the word each language\'s line tells them to type as asking for a person, at once', async () => {
        for (const f of app.knowledge.languages ?? []) {
            const words = [...f.wording.unsupported.matchAll(/["“„«]([^"”“«»]+)["”“»]/g)]
                .map((m) => (m[1] as string).trim());
            expect(words, f.code).to.include('person');
            for (const word of words) {
                const c = new Conversation(app, { channelId: 'directline', conversationId: `person-${f.code}-${word}`,
                    userId: `person-${f.code}` });
                const turn = await c.say(word);
                expect(turn.all, `${f.code} "${word}"`).to.include(app.knowledge.wording.text('askMethod'));
            }
        }
    });

    for (const channelId of ['directline', 'sms']) {
        it(`takes English answers at each question as answers, not another language, on ${channelId}`, async () => {
            const unsupported = (all: string) => (app.knowledge.languages ?? [])
                .some((l) => all.includes(lines.unsupported(l.code) ?? '\u0000'));
            // [answers before, the answer under test, what the next reply must not be]
            const cases: Array<[string[], string]> = [
                [JOURNEY.slice(0, 2), 'ya'],
                [JOURNEY.slice(0, 3), 'SW1A 1AA'],
                [JOURNEY.slice(0, 3), 'Heol y Felin'],
                [JOURNEY.slice(0, 4), '7pm'],
                [JOURNEY.slice(0, 4), 'Tuesday 3pm'],
            ];
            let n = 0;
            for (const [before, answer] of cases) {
                const c = new Conversation(app, { channelId, conversationId: `en-answer-${channelId}-${n}`,
                    userId: `+4477009008${n}` });
                n++;
                for (const said of before) await c.say(said);
                const turn = await c.say(answer);
                expect(unsupported(turn.all), `${answer}: ${turn.all}`).to.equal(false);
                // The dialog read it: its next question, its own "sorry" and the same one again, or (since issue 16
                // part 2 shows the results after the place) the results, is the reply.
                expect(turn.all, answer).to.match(/\?|type skip|Type a number|to find out more/);
                if (answer === '7pm' || answer === 'Tuesday 3pm') {
                    // At the results a time narrows them down.
                    expect(turn.all, answer).to.include(app.knowledge.wording.text('narrowGot'));
                }
            }
        });
    }

    it('keeps short and English messages English', async () => {
        const c = new Conversation(app, { channelId: 'directline', userId: 'english-2' });
        for (const said of ['ok', 'hello', 'Ana Popescu', 'BS5 0HT']) {
            const turn = await c.say(said);
            for (const code of ['pl', 'ro', 'ar', 'es', 'pt', 'it', 'lt']) {
                expect(turn.all, said).to.not.include(lines.unsupported(code));
            }
        }
    });
});
