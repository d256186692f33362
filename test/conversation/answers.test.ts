/**
 * Questions about a suggestion are answered from the listing when it says, and honestly when it does not: never a
 * guess, and always with a way to ask them when there is one (issue 16).
 */
import { expect } from 'chai';
import path from 'node:path';
import { answerAbout, suggestionNamed, suggestionsNamedByName } from '../../src/conversation/answers';
import { intentsFor, loadIntents, shippedIntents } from '../../src/knowledge/intents';
import type { Opportunity } from '../../src/knowledge/schema';
import { loadWording } from '../../src/knowledge/wording';
import { projectRoot } from '../../src/paths';

const wording = loadWording(path.join(projectRoot(), 'knowledge'));
const lex = shippedIntents();

const listing = (over: Partial<Opportunity> = {}): Opportunity => ({
    id: 'x', name: 'Riverside Lunch Club', description: 'A hot lunch with good company every Thursday.',
    organization: { name: 'Riverside' }, needs: ['loneliness'], keywords: [], attending_type: ['in-person'],
    location: { name: 'Riverside Hall', address_1: '1 River Road', postal_code: 'BS5 6XA' }, schedules: [],
    cost_options: [], accessibility: [], welcome: [], assured_date: '2026-03-01', phone: '01632 960123', ...over,
});

describe('answering a question about a suggestion', () => {
    it('quotes what the listing says about booking', () => {
        const o = listing({
            description: 'A hot lunch every Thursday. Please ring first so we know how many to cook for.',
        });
        expect(answerAbout(o, 'booking', wording, lex)).to.equal(
            'Riverside Lunch Club. The listing says: "Please ring first so we know how many to cook for."');
    });
    it('says honestly that the listing does not say, with their number', () => {
        expect(answerAbout(listing(), 'parking', wording, lex)).to.equal(
            "Riverside Lunch Club. The listing doesn't say. Their number is 01632 960123, so you could ask them.");
    });
    it('gives an e-mail or website when there is no number, and says when there is no way to ask', () => {
        const noPhone = listing({ phone: undefined, email: 'hello@example.org' });
        expect(answerAbout(noPhone, 'booking', wording, lex)).to.include('You could ask them: hello@example.org');
        const none = listing({ phone: undefined });
        expect(answerAbout(none, 'booking', wording, lex)).to.include('it has no way to contact them');
    });
    it('answers cost, times, access and contact from the fields', () => {
        expect(answerAbout(listing(), 'cost', wording, lex)).to.equal('Riverside Lunch Club. Cost: Free');
        const priced = listing({ cost_options: [{ amount: 3, option: 'a meal' }] as Opportunity['cost_options'] });
        expect(answerAbout(priced, 'cost', wording, lex)).to.match(/Cost: £3/);
        expect(answerAbout(listing({ cost_unknown: true }), 'cost', wording, lex)).to.match(/doesn't say/);
        expect(answerAbout(listing(), 'times', wording, lex)).to.match(/doesn't say/);
        expect(answerAbout(listing({ schedule_note: 'Thursdays at noon' }), 'times', wording, lex))
            .to.equal('Riverside Lunch Club. When: Thursdays at noon');
        expect(answerAbout(listing({ accessibility: ['wheelchair'] }), 'access', wording, lex))
            .to.equal('Riverside Lunch Club. Access: wheelchair access');
        expect(answerAbout(listing(), 'contact', wording, lex)).to.equal('Riverside Lunch Club. Contact: 01632 960123');
    });
    it('says where it is for getting there, and how to reach one by phone instead', () => {
        expect(answerAbout(listing(), 'travel', wording, lex)).to.match(/Where: Riverside Hall, 1 River Road/)
            .and.match(/doesn't say/);
        const phone = listing({ location: undefined, attending_type: ['phone'] });
        expect(answerAbout(phone, 'travel', wording, lex)).to.equal(
            'Riverside Lunch Club. Where: By phone\nRiverside Lunch Club. Contact: 01632 960123');
        const behind = listing({ description: 'Help if you are behind with your rent. Come to the hall.' });
        expect(answerAbout(behind, 'travel', wording, lex), 'no sentence about buses').to.not.include('behind');
    });
    it('reads which suggestion a question names', () => {
        const table: [string, number | undefined][] = [['is number 2 free?', 2], ['#3 parking?', 3],
            ['is the second one free', 2], ['do i need to book?', undefined], ['is 7 free', undefined],
            ['is it open at 2pm', undefined], ['is it 10:30', undefined]];
        for (const [text, n] of table) expect(suggestionNamed(text, 3), text).to.equal(n);
    });

    it('reads which suggestions a question names by their names\' words (issue 18)', () => {
        const names = ['Sunday Lunch at Holy Trinity', 'Grief Talk Online', 'Eastfield International Cafe'];
        const walks = ['Eastfield Health Walk', 'Riverside Walking Group', 'Eastfield Knit and Natter'];
        const table: [string, readonly string[], number[]][] = [
            ['is the lunch one free?', names, [1]], ['does the cafe cost anything', names, [3]],
            ['is the café free?', names, [3]], ['is the grief group online', names, [2]],
            ['are they free?', names, []], ['is it free?', names, []], ['do i need to book?', names, []],
            ['is the walk free?', walks, [1, 2]], ['is the eastfield one free', walks, [1, 3]],
            ['is the knitting one free', walks, [3]], ['is the group free', walks, []],
            ['is the eastfield one free', ['Eastfield Walk', 'Eastfield Cafe'], []],
        ];
        for (const [text, shown, want] of table) {
            expect(suggestionsNamedByName(text, shown, lex), text).to.deep.equal(want);
        }
    });

    it('reads Polish and Welsh ordinals in a conversation in that language, in every form', () => {
        const all = loadIntents(path.join(projectRoot(), 'knowledge'));
        const polish = intentsFor(all, 'pl');
        const welsh = intentsFor(all, 'cy');
        const table: [string, typeof polish, number | undefined][] = [
            ['gdzie jest ta druga?', polish, 2], ['a drugi?', polish, 2], ['czy drugie jest za darmo', polish, 2],
            ['ta pierwsza', polish, 1], ['pierwszy', polish, 1], ['trzecia', polish, 3], ['trzeci?', polish, 3],
            ['chcę drugą', polish, 2], ['czy to jest za darmo?', polish, undefined], ['the second one', polish, 2],
            ["ble mae'r ail un?", welsh, 2], ['y cyntaf', welsh, 1], ['yr un cyntaf', welsh, 1],
            ['y drydedd', welsh, 3], ['y trydydd', welsh, 3], ['faint yw e?', welsh, undefined],
        ];
        for (const [text, lexicon, n] of table) expect(suggestionNamed(text, 3, lexicon), text).to.equal(n);
        // English alone does not read them: "druga" is no ordinal in an English conversation.
        expect(suggestionNamed('druga', 3, intentsFor(all, 'en'))).to.equal(undefined);
    });
});
