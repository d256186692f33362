import { expect } from 'chai';
import { residentLanguageOf } from '../../src/conversation/residentLanguage';

/** A stand-in for language identification: Polish when "jestem" is in it, Welsh when "dw i", else English. */
const identify = (text: string) => (/jestem/.test(text) ? 'pl' : /\bdw i\b/.test(text) ? 'cy' : 'en');

describe('the language a request records', () => {
    it('is the language most of the resident\'s sentences are in', () => {
        expect(residentLanguageOf(['jestem bardzo samotna', 'osoba'], identify)).to.equal('pl');
        expect(residentLanguageOf(['dw i n unig iawn', 'dw i isio help', 'I am lonely here'], identify)).to.equal('cy');
    });

    it('is English when there is nothing else, when English has more sentences, and on a tie', () => {
        expect(residentLanguageOf([], identify)).to.equal('en');
        expect(residentLanguageOf(['I feel lonely here', 'can someone call me', 'jestem tu sama'], identify))
            .to.equal('en');
        expect(residentLanguageOf(['I feel lonely here', 'jestem tu sama'], identify)).to.equal('en');
    });

    it('does not count short answers, which say nothing of a language ("osoba", "tak", "SW1A 1AA")', () => {
        expect(residentLanguageOf(['osoba', 'tak', 'jestem'], identify)).to.equal('en');
    });

    it('takes the language the resident chose when there is one', () => {
        expect(residentLanguageOf(['I feel lonely here'], identify, 'cy')).to.equal('cy');
    });
});
