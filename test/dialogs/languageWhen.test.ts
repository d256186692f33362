/**
 * Days and times typed in Welsh and Polish (issue 18): "we wtorki rano", "dydd Mawrth yn y bore", "penwythnos" are
 * read as English ones are, at the results and in the first message, from the language's own words in
 * knowledge/intents (`when`); a greeting with a time word in it ("bore da") asks for no time.
 */
import { expect } from 'chai';
import type { ResidentProfile } from '../../src/conversation/profile';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';

/** Tuesday 6 October 2026, 10:30 in London (British Summer Time). */
const TUESDAY_1030 = () => new Date('2026-10-06T09:30:00Z');

describe('days and times typed in Welsh and Polish', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp({ now: TUESDAY_1030 })));
    afterEach(async () => app.dispose());

    const prefsOf = async (id: string) =>
        ((await storedState(app, id, 'test'))?.profile as ResidentProfile | undefined)?.prefs;

    /** Chooses the language, names a need in it, agrees, gives a place: at the results, as a resident would. */
    async function toResults(id: string, language: string, need: string, yes: string): Promise<Conversation> {
        const c = new Conversation(app, { conversationId: id });
        await c.say(language);
        await c.say(need);
        await c.say(yes);
        const results = await c.say('Westmoor');
        const w = app.knowledge.wording.in(language === 'Polski' ? 'pl' : 'cy');
        expect(results.all, results.all).to.include(w.text('resultsIntro'));
        return c;
    }

    const cases: [string, string, string, string, string, string[], string[]][] = [
        ['pl-tue', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak', 'we wtorki rano', ['TU'], ['morning']],
        ['pl-sat', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak', 'w sobotę po południu', ['SA'],
            ['afternoon']],
        ['pl-weekend', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak', 'tylko weekend, wieczorem',
            ['SA', 'SU'], ['evening']],
        ['pl-plain', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak', 'sroda przed poludniem', ['WE'],
            ['morning']],
        ['cy-tue', 'Cymraeg', 'Hoffwn i ymuno â grŵp cerdded', 'ie', 'dydd Mawrth yn y bore', ['TU'], ['morning']],
        ['cy-fri', 'Cymraeg', 'Hoffwn i ymuno â grŵp cerdded', 'ie', 'nos Wener', ['FR'], ['evening']],
        ['cy-weekend', 'Cymraeg', 'Hoffwn i ymuno â grŵp cerdded', 'ie', 'penwythnos, yn y prynhawn', ['SA', 'SU'],
            ['afternoon']],
    ];
    for (const [id, language, need, yes, when, days, times] of cases) {
        it(`"${when}" at the results is ${days.join(', ')} ${times.join(', ')}`, async () => {
            const c = await toResults(id, language, need, yes);
            const turn = await c.say(when);
            const w = app.knowledge.wording.in(language === 'Polski' ? 'pl' : 'cy');
            expect(turn.all, turn.all).to.include(w.text('narrowGot'));
            const prefs = await prefsOf(id);
            expect(prefs?.days).to.deep.equal(days);
            expect(prefs?.times).to.deep.equal(times);
        });
    }

    for (const [id, language, need, yes, when, days] of [
        ['pl-not', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak', 'we wtorki, ale nie w niedzielę',
            ['TU']],
        ['cy-not', 'Cymraeg', 'Hoffwn i ymuno â grŵp cerdded', 'ie', 'dydd Mawrth, ddim yn y bore', ['TU']],
    ] as const) {
        it(`"${when}" rules out what follows its "not": ${days.join(', ')} and no time asked for`, async () => {
            const c = await toResults(id, language, need, yes);
            await c.say(when);
            const prefs = await prefsOf(id);
            expect(prefs?.days).to.deep.equal(days);
            expect(prefs?.times).to.equal(undefined);
        });
    }

    it('a time in the first Polish message is picked up and not asked again', async () => {
        const c = new Conversation(app, { conversationId: 'pl-first' });
        await c.say('Polski');
        await c.say('Szukam grupy spacerowej w Westmoor, najlepiej we czwartki rano');
        await c.say('tak');
        const prefs = await prefsOf('pl-first');
        expect(prefs?.days).to.deep.equal(['TH']);
        expect(prefs?.times).to.deep.equal(['morning']);
    });

    it('"jutro po południu" is Wednesday afternoon, read against the clock', async () => {
        const c = await toResults('pl-tomorrow', 'Polski', 'Chciałabym chodzić na spacery z grupą', 'tak');
        await c.say('jutro po południu');
        const prefs = await prefsOf('pl-tomorrow');
        expect(prefs?.days).to.deep.equal(['WE']);
        expect(prefs?.times).to.deep.equal(['afternoon']);
    });

    it('"bore da" greets and asks for no morning', async () => {
        const c = new Conversation(app, { conversationId: 'cy-greeting' });
        await c.say('Cymraeg');
        await c.say("Bore da, hoffwn i ymuno â grŵp cerdded yn Westmoor");
        await c.say('ie');
        expect((await prefsOf('cy-greeting'))?.times).to.equal(undefined);
    });
});
