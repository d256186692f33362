/**
 * The same reading of hidden words for the bot as a whole (issue 13, item 9): crisis routes for a crisis hidden by
 * invisible characters, look-alike letters or digits, commands and answers read the same way, and what the resident
 * typed kept exactly as typed in the transcript: the text is folded for matching only.
 */
import { expect } from 'chai';
import { isNo, isYes, parseWhen, parseUkPhone } from '../../src/conversation/parse';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('hidden words in a conversation', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    for (const text of ['I feel sui\u00ADcidal', 'I want to k\u200Bill myself', 'I want to k\u0456ll myself',
        'k1ll myself', 'iwanttokillmyself']) {
        it(`shows the crisis routes for ${JSON.stringify(text)} and keeps the words as typed`, async () => {
            const c = new Conversation(app);
            await play(c, [{ say: text, expect: [/999/, /116 123/] }]);
            const transcript = (await storedState(app))!.transcript as { from: string; text: string }[];
            expect(transcript.map((t) => t.text)).to.include(text);
        });
    }

    it('reads a command hidden the same ways ("delete\u00AD my data", "st\u043Ep")', async () => {
        expect(app.knowledge.wording.command('delete\u00AD my data')).to.equal('deleteMyData');
        expect(app.knowledge.wording.command('st\u043Ep')).to.equal('stop');
        expect(app.knowledge.wording.command('ｓｔａｒｔ ａｇａｉｎ')).to.equal('startAgain');
    });

    it('reads answers hidden the same ways', () => {
        expect(isYes('y\u200Bes')).to.equal(true);
        expect(isYes('\u0443es')).to.equal(true);
        expect(isNo('n\u043E')).to.equal(true);
        expect(parseWhen('Ｔｕｅｓｄａｙ ｍｏｒｎｉｎｇｓ')).to.deep.equal({ days: ['TU'], times: ['morning'], any: false });
        expect(parseWhen('Tues\u00ADday')).to.deep.include({ days: ['TU'] });
        expect(parseUkPhone('０７７００ ９００１２３')).to.equal('07700900123');
    });
});
