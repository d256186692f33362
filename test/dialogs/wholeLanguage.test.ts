/**
 * Whole conversations in Welsh and in Polish (issue 18 part 2), on the web chat, SMS and Teams renderers: the
 * language chosen (typed, offered and accepted, or the channel's), a need, the place, suggestions, details and a
 * request for contact, reading the bot's actual words at every step. Most journeys choose the need from the offered
 * list, which works whatever the lexicon knows; one Polish SMS journey says its need, day and time in Polish words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { smsSegments } from '../../src/channels/text';
import { projectRoot } from '../../src/paths';
import { Conversation, testApp, type TestApp } from '../helpers/app';

const KNOWLEDGE = path.join(projectRoot(), 'knowledge');
type Texts = Record<string, string>;
/** The language's sentences by key, with the interpreter question's as `interpreterAsk` and `interpreterNoted`. */
const textsOf = (code: string): Texts => {
    const file = JSON.parse(fs.readFileSync(code === 'en'
        ? path.join(KNOWLEDGE, 'wording.json')
        : path.join(KNOWLEDGE, 'locales', code, 'wording.json'), 'utf8')) as
        { text: Texts; interpreter: { ask: string; noted: string } };
    return { ...file.text, interpreterAsk: file.interpreter.ask, interpreterNoted: file.interpreter.noted };
};
const ENGLISH = textsOf('en');

/** A sentence of the wording as a pattern: its {placeholders} match anything. */
function sentence(template: string): RegExp {
    const first = template.split('\n')[0];
    // Any space may be a line break: SMS splits a long text between sentences.
    const parts = first.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
    return new RegExp(parts.join('[^]*?'));
}

/** Every word the bot showed in an activity: its text, its cards' text and its buttons. */
function wordsOf(a: Partial<Activity>): string {
    const out: string[] = [a.text ?? ''];
    const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') {
            for (const [k, x] of Object.entries(v)) {
                if ((k === 'text' || k === 'title') && typeof x === 'string') out.push(x);
                else walk(x);
            }
        }
    };
    walk(a.attachments ?? []);
    for (const action of a.suggestedActions?.actions ?? []) out.push(action.title ?? String(action.value));
    return out.filter(Boolean).join('\n');
}

/** What the resident says, and the keys of the locale's wording the bot's reply must say. */
type Step = [said: string, keys: string[]];

interface Journey {
    /** Names the journey when a language has two on one channel (its test and its transcript file). */
    name?: string;
    language: string;
    channelId: string;
    /** The channel's locale on every activity (Teams and Web Chat send one). */
    locale?: string;
    /** The chat opened first (Web Chat and Teams), so the welcome comes before any message. */
    join?: string[];
    steps: Step[];
    /** The contact method stored with the request. */
    method: 'phone' | 'text' | 'email';
}

const WELSH_BUTTONS: Step[] = [
    // Not a need in any lexicon: the list to choose from.
    ['Dw i ddim yn siŵr', ['notSure', 'chooseNeed']],
    ['1', ['needsThanksPlace', 'askWhere']],
    ['BS5 6XX', ['whereGot', 'resultsIntro', 'directoryLanguage']],
    ['1', ['labelWhere', 'labelWhen', 'labelContact']],
    ['Dyna\'r cyfan', ['offerHandoff']],
    ['Ie, os gwelwch yn dda', ['askMethod']],
    ['Neges destun', ['askPhone']],
    ['07700 900123', ['askName']],
    ['neidio', ['askTime']],
    // Not in English: whether they would like an interpreter comes first, then the consent.
    ['Gyda\'r nos', ['interpreterAsk']],
    ['Ie, os gwelwch yn dda', ['interpreterNoted', 'askConsent']],
    ['Ydw, rydw i\'n cytuno', ['askShareChat']],
    ['Na, dim ond fy atebion', ['handoffDone']],
];

const POLISH_BUTTONS: Step[] = [
    ['Nie jestem pewna', ['notSure', 'chooseNeed']],
    ['1', ['needsThanksPlace', 'askWhere']],
    ['BS5 6XX', ['whereGot', 'resultsIntro', 'directoryLanguage']],
    ['1', ['labelWhere', 'labelWhen', 'labelContact']],
    ['To wszystko', ['offerHandoff']],
    ['Tak, proszę', ['askMethod']],
    ['Telefon', ['askPhone']],
    ['07700 900123', ['askName']],
    ['Ania', ['askTime']],
    ['Rano', ['interpreterAsk']],
    ['Tak, proszę', ['interpreterNoted', 'askConsent']],
    ['Tak, zgadzam się', ['askShareChat']],
    ['Tak, może przeczytać', ['handoffDone']],
];

/** The same on SMS, answering with the numbers and words the messages offer. */
const WELSH_SMS: Step[] = [
    ['Dw i ddim yn siŵr', ['notSure', 'chooseNeed']],
    ['1', ['needsThanksPlace', 'askWhere', 'smsReplyNumbers']],
    ['BS5 6XX', ['whereGot', 'resultsIntro', 'directoryLanguage', 'smsResultsActions']],
    ['1', ['labelWhere', 'labelWhen', 'labelContact']],
    ['GORFFEN', ['offerHandoff']],
    ['1', ['askMethod']],
    ['2', ['askPhone']],
    ['07700 900123', ['askName']],
    ['neidio', ['askTime']],
    ['3', ['interpreterAsk']],
    ['1', ['interpreterNoted', 'askConsent']],
    ['1', ['askShareChat']],
    ['2', ['handoffDone']],
];

const POLISH_SMS: Step[] = [
    ['Nie jestem pewna', ['notSure', 'chooseNeed']],
    ['1', ['needsThanksPlace', 'askWhere', 'smsReplyNumbers']],
    ['BS5 6XX', ['whereGot', 'resultsIntro', 'directoryLanguage', 'smsResultsActions']],
    ['2', ['labelWhere', 'labelWhen', 'labelContact']],
    ['KONIEC', ['offerHandoff']],
    ['1', ['askMethod']],
    ['1', ['askPhone']],
    ['07700 900123', ['askName']],
    ['pomiń', ['askTime']],
    ['1', ['interpreterAsk']],
    ['1', ['interpreterNoted', 'askConsent']],
    ['1', ['askShareChat']],
    ['1', ['handoffDone']],
];

const POLISH_MESSAGE = 'Czuję się bardzo samotna od kiedy zmarł mój mąż';

/** On SMS, the need and the day and time said in Polish words, read by the Polish lexicon and day words. */
const POLISH_SMS_OWN_WORDS: Step[] = [
    [POLISH_MESSAGE, ['languageOfferSelf', 'smsReplyNumbers']],
    ['1', ['languageSwitched', 'smsWelcome', 'askNeeds']],
    ['Od śmierci męża jestem bardzo samotna. Szukam jakiejś grupy, najlepiej we wtorki rano', ['reflect']],
    ['tak', ['needsThanksPlace', 'askWhere']],
    ['BS5 6XX', ['whereGot', 'resultsIntro', 'directoryLanguage', 'smsResultsActions']],
    ['2', ['labelWhere', 'labelWhen', 'labelContact']],
    ['KONIEC', ['offerHandoff']],
    ['1', ['askMethod']],
    ['2', ['askPhone']],
    ['07700 900123', ['askName']],
    ['Ania', ['askTime']],
    ['wieczorem', ['interpreterAsk']],
    ['1', ['interpreterNoted', 'askConsent']],
    ['1', ['askShareChat']],
    ['2', ['handoffDone']],
];

const JOURNEYS: Journey[] = [
    {
        language: 'cy', channelId: 'directline', join: [],
        steps: [['Cymraeg', ['languageSwitched', 'welcome', 'askNeeds']], ...WELSH_BUTTONS], method: 'text',
    },
    {
        language: 'pl', channelId: 'directline', join: [],
        steps: [
            [POLISH_MESSAGE, ['languageOfferSelf']],
            ['Polski', ['languageSwitched', 'welcome', 'askNeeds']],
            ...POLISH_BUTTONS,
        ],
        method: 'phone',
    },
    {
        language: 'cy', channelId: 'msteams', locale: 'cy-GB', join: ['welcome'],
        steps: [['Helo', ['askNeeds']], ...WELSH_BUTTONS], method: 'text',
    },
    {
        language: 'pl', channelId: 'msteams', join: [],
        steps: [['polsky', ['languageSwitched', 'welcome', 'askNeeds']], ...POLISH_BUTTONS], method: 'phone',
    },
    {
        language: 'cy', channelId: 'sms',
        steps: [['cymraeg', ['languageSwitched', 'smsWelcome', 'askNeeds']], ...WELSH_SMS], method: 'text',
    },
    {
        language: 'pl', channelId: 'sms',
        steps: [[POLISH_MESSAGE, ['languageOfferSelf']], ['1', ['languageSwitched', 'smsWelcome', 'askNeeds']],
            ...POLISH_SMS],
        method: 'phone',
    },
    { name: 'own-words', language: 'pl', channelId: 'sms', steps: POLISH_SMS_OWN_WORDS, method: 'text' },
];

/** The English sentences a resident talking Welsh or Polish must never get (short labels aside). */
const ENGLISH_SENTENCES = Object.values(ENGLISH).flatMap((t) => t.split('\n'))
    .map((line) => line.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0].trim())
    .filter((line) => line.length >= 30);

const NAMES: Record<string, string> = { cy: 'Welsh', pl: 'Polish' };
const CHANNELS: Record<string, string> = { directline: 'web chat', msteams: 'Teams', sms: 'SMS' };

describe('whole conversations in Welsh and Polish', () => {
    for (const journey of JOURNEYS) {
        describe(`in ${NAMES[journey.language]} on ${CHANNELS[journey.channelId]}`
            + `${journey.name ? ` (${journey.name})` : ''}`, () => {
            let app: TestApp;
            const transcript: string[] = [];
            const replies: { said: string; words: string; activities: Partial<Activity>[] }[] = [];
            before(async () => {
                app = testApp();
                const c = new Conversation(app, {
                    channelId: journey.channelId, conversationId: `${journey.language}-${journey.channelId}`,
                    userId: '+447700900123', locale: journey.locale,
                });
                if (journey.join) {
                    const opened = await c.join();
                    const words = opened.activities.filter((a) => a.type === 'message').map(wordsOf).join('\n');
                    replies.push({ said: '(opens the chat)', words, activities: opened.activities });
                }
                for (const [said] of journey.steps) {
                    const turn = await c.say(said);
                    const sent = turn.activities.filter((a) => a.type === 'message');
                    replies.push({ said, words: sent.map(wordsOf).join('\n'), activities: sent });
                }
                for (const r of replies) transcript.push(`> ${r.said}`, r.words, '');
                const out = path.join(projectRoot(), 'test-output');
                fs.mkdirSync(out, { recursive: true });
                fs.writeFileSync(path.join(out, `journey-${journey.language}-${journey.channelId}`
                    + `${journey.name ? `-${journey.name}` : ''}.txt`),
                    transcript.join('\n'));
            });
            after(async () => app.dispose());

            it('says every step in the resident\'s language, from its wording', () => {
                const theirs = textsOf(journey.language);
                const steps: Step[] = [...(journey.join ? [['(opens the chat)', journey.join] as Step] : []),
                    ...journey.steps];
                steps.forEach(([said, keys], i) => {
                    for (const key of keys) {
                        expect(replies[i].words, `after "${said}": ${key}\n${replies[i].words}`)
                            .to.match(sentence(theirs[key]));
                    }
                });
            });

            it('offers the language in it and in English when a sentence is in it, and switches only on a yes', () => {
                const offer = replies.find((r) => sentence(textsOf(journey.language).languageOfferSelf).test(r.words));
                if (!journey.steps[0][1].includes('languageOfferSelf')) {
                    expect(offer, 'no offer when the language was chosen or given by the channel').to.equal(undefined);
                    return;
                }
                expect(offer?.words).to.match(sentence(ENGLISH.languageOffer));
                expect(offer?.words).to.not.match(sentence(textsOf(journey.language).askNeeds));
            });

            it('never says an English sentence once in the language (the listings stay in the directory\'s)', () => {
                const from = journey.locale ? 0 : replies.findIndex((r) =>
                    sentence(textsOf(journey.language).languageSwitched).test(r.words));
                expect(from).to.be.at.least(0);
                for (const r of replies.slice(from)) {
                    for (const english of ENGLISH_SENTENCES) {
                        expect(r.words, `after "${r.said}"`).to.not.include(english);
                    }
                }
            });

            it('makes the request, with the contact chosen, and ends with its reference', async () => {
                const requests = await app.stores.escalations.list();
                expect(requests).to.have.length(1);
                expect(requests[0].contact.method).to.equal(journey.method);
                // The connector sees the resident's language and that they would like an interpreter.
                expect(requests[0].language).to.deep.include({ code: journey.language, interpreter: true });
                expect(replies.at(-1)?.words).to.match(/SP-[A-Z2-9]{6}/);
                // Out of hours, when someone can next be in touch is said in their language too.
                expect(replies.at(-1)?.words).to.not.match(/later today|tomorrow|\bon (?:Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day/);
            });

            if (journey.channelId === 'sms') {
                it('sends Unicode texts of at most four segments, counted as UCS-2', () => {
                    const texts = replies.flatMap((r) => r.activities.map((a) => a.text ?? ''));
                    const unicode = texts.filter((t) => /[^\u0000-\u00ff]/.test(t));
                    expect(unicode.length).to.be.greaterThan(0);
                    for (const t of texts) expect(smsSegments(t), t).to.be.at.most(4);
                });
            }
        });
    }
});

describe('crisis routes in a conversation held in Welsh or Polish', () => {
    let app: TestApp;
    before(() => (app = testApp()));
    after(async () => app.dispose());

    for (const [code, name] of [['cy', 'Cymraeg'], ['pl', 'Polski']] as const) {
        it(`are said in ${NAMES[code]}, numbers as in crisis.json, and for a helper too`, async () => {
            const file = JSON.parse(fs.readFileSync(path.join(KNOWLEDGE, 'locales', code, 'wording.json'), 'utf8')) as {
                text: Texts; crisisRoutes: Record<string, { name: string }>; crisisHelping: { intro: string };
            };
            const c = new Conversation(app, { channelId: 'directline', conversationId: `crisis-${code}` });
            await c.say(name);
            const own = await c.say('I want to kill myself');
            expect(own.all).to.include(file.text.crisisIntro).and.include(file.crisisRoutes.samaritans.name)
                .and.include('116 123');
            expect(own.all).to.not.include(ENGLISH.crisisIntro);
            const other = new Conversation(app, { channelId: 'directline', conversationId: `helper-${code}` });
            await other.say(name);
            const helper = await other.say('my friend says she wants to kill herself');
            expect(helper.all).to.include(file.crisisHelping.intro).and.include('999');
        });
    }
});

describe('needs in a conversation held in Welsh or Polish', () => {
    let app: TestApp;
    before(() => (app = testApp()));
    after(async () => app.dispose());

    it('reads a short message with the conversation\'s lexicon, where identification cannot place it', async () => {
        for (const [choose, said, need, code] of [['Cymraeg', 'unig iawn', 'loneliness', 'cy'],
            ['Cymraeg', 'dim arian', 'money-debt', 'cy']] as const) {
            // On its own the message is too short to be called Welsh: no need is found.
            expect(app.engine.detectNeeds(said), said).to.deep.equal([]);
            const c = new Conversation(app, { channelId: 'webchat', conversationId: `${choose}-${said}` });
            await c.say(choose);
            const turn = await c.say(said);
            const label = app.knowledge.wording.in(code).needLabel(need, 'reflect') as string;
            expect(turn.texts.join('\n'), said).to.include(label);
        }
    });
});
