/**
 * Crisis detection in other languages and language identification (issue 14). The phrases here were written for
 * these tests, not taken from the eval sets.
 */
import { expect } from 'chai';
import path from 'node:path';
import fc from 'fast-check';
import { loadKnowledge } from '../../src/knowledge';
import { createEngine, type Engine } from '../../src/matching/engine';
import { buildLanguageCrisisModel, detectLanguageCrisis } from '../../src/matching/crisisLanguages';

import { projectRoot } from '../../src/paths';
import { cpuMs } from '../helpers/cpuTime';
import { foldForLanguages } from '../../src/unicode';

const knowledge = loadKnowledge(path.join(projectRoot(), 'knowledge'));
const engine: Engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why });
const model = buildLanguageCrisisModel(knowledge.languages ?? []);

/** One crisis and one figurative or ordinary message per language, in its usual script or typed as people do. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
    ['pl', 'myślę o samobójstwie', 'ta robota mnie wykończy, umieram ze śmiechu'],
    ['ro', 'nu mai vreau sa traiesc', 'mor de ras cu prietenii mei'],
    ['pt', 'quero morrer, não aguento mais', 'morri de rir com o filme'],
    ['es', 'me quiero morir', 'me muero de risa con mi hermana'],
    ['it', 'voglio farla finita stanotte', 'muoio dal ridere'],
    ['fr', 'je veux mourir ce soir', 'je suis mort de rire'],
    ['lt', 'nebenoriu gyventi', 'labai pavargau, ieškau pasivaikščiojimų grupės'],
    ['hu', 'meg akarok halni', 'halálra nevettem magam'],
    ['tr', 'intihar etmeyi düşünüyorum', 'gülmekten öldüm'],
    ['cy', 'dw i isio marw', 'dw i wedi blino’n farw heddiw'],
    ['ku', 'ez dixwazim xwe bikujim', 'ez li komeke meşê digerim'],
    ['ru', 'я хочу покончить с собой', 'я умираю от смеха'],
    ['bg', 'искам да умра', 'умирам от смях'],
    ['el', 'θέλω να αυτοκτονήσω', 'πεθαίνω στα γέλια'],
    ['ar', 'بدي انتحر', 'مت من الضحك'],
    ['ur', 'main khudkushi karna chahta hoon', 'hans hans ke mar gaya'],
    ['fa', 'میخوام خودکشی کنم', 'از خنده مردم'],
    ['pa', 'ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ', 'ਹੱਸ ਹੱਸ ਕੇ ਮਰ ਗਿਆ'],
    ['bn', 'আমি আত্মহত্যা করতে চাই', 'হাসতে হাসতে মরে গেলাম'],
    ['gu', 'મારે આપઘાત કરવો છે', 'હસી હસીને મરી ગયો'],
    ['ta', 'எனக்கு தற்கொலை செய்ய தோணுது', 'சிரிச்சு சிரிச்சு செத்துட்டேன்'],
    ['zh', '我想自杀', '笑死我了'],
];

describe('crisis detection in other languages', () => {
    for (const [code, crisis, figurative] of CASES) {
        it(`finds a crisis in ${code} and chooses its line, but not in its figurative speech`, () => {
            expect(engine.crisisKinds(crisis), crisis).to.not.deep.equal([]);
            expect(engine.crisisLanguage(crisis)?.language, crisis).to.equal(code);
            expect(engine.crisisKinds(figurative), figurative).to.deep.equal([]);
        });
    }

    it('reads diacritics as optional, and Greek tonos, Russian ё, Arabic letter forms and the Persian ZWNJ too', () => {
        for (const [typed, bare] of [['zabiję się', 'zabije sie'], ['αυτοκτονήσω', 'αυτοκτονησω'],
            ['всё', 'все'], ['أريد', 'اريد'], ['می‌خوام', 'میخوام'], ['sinucidere', 'sinucidere']]) {
            expect(foldForLanguages(typed)).to.equal(foldForLanguages(bare));
        }
        expect(detectLanguageCrisis('zabije sie', model).languages).to.include('pl');
        expect(detectLanguageCrisis('ZABIJĘ SIĘ', model).languages).to.include('pl');
    });

    it('finds the crisis whatever language the message is identified as', () => {
        // Identified as English (mostly English words), found by the Polish rules all the same.
        const mixed = 'my friend says chce umrzec tonight';
        expect(engine.language(mixed)).to.equal('en');
        expect(engine.crisisKinds(mixed)).to.include('suicide');
        expect(engine.crisisLanguage(mixed)?.language).to.equal('pl');
    });

    it('names Urdu and Panjabi both when romanised text cannot tell them apart, and one when it can', () => {
        // Shared Roman spelling: as much evidence for Urdu as for Panjabi, or none at all.
        for (const text of ['usne saari goliyan kha li', 'bhai behosh ho gaye ne, hil nahi rahe']) {
            const found = engine.crisisLanguage(text);
            expect([found?.language, found?.also].sort(), text).to.deep.equal(['pa', 'ur']);
        }
        // Clearly one or the other, or in its own script: one language only.
        for (const [text, code] of [['mujhe mar jana hai, main khud ko khatam kar dunga', 'ur'],
            ['mainu hun jeena nahi, main apni jaan de deni aa', 'pa'], ['میں خودکشی کرنا چاہتا ہوں', 'ur'],
            ['ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦਾ ਹਾਂ', 'pa']]) {
            expect(engine.crisisLanguage(text), text).to.deep.equal({ language: code, aboutChild: false });
        }
    });

    it('says whether the crisis is about a child, for the Childline line', () => {
        expect(engine.crisisLanguage('moja córka się tnie')?.aboutChild).to.equal(true);
        expect(engine.crisisLanguage('mój mąż mnie bije teraz')?.aboutChild).to.equal(false);
    });

    it('reads a 5,000-character message with every language\'s rules without backtracking for long', () => {
        const big = 'I have been feeling low and my mum says I should find a walking group, money is tight and '
            .repeat(60).slice(0, 5000);
        detectLanguageCrisis(big, model);
        const times: number[] = [];
        for (let i = 0; i < 9; i++) times.push(cpuMs(() => detectLanguageCrisis(big, model)));
        times.sort((a, b) => a - b);
        // A guard against catastrophic backtracking only (seconds on 5,000 characters), not a speed target: about
        // 1 ms alone, but some 36 ms of CPU late in a full test run, where V8 has dropped the rules' compiled code and
        // runs them interpreted for a while. Speed is printed by `npm run eval` (crisis detection p50/p95/max).
        expect(times[0]).to.be.below(250);
    });

    it('never fires another language\'s rules on ordinary English', () => {
        const words = ['I', 'feel', 'lonely', 'my', 'mum', 'will', 'kill', 'me', 'if', 'late', 'walking', 'group',
            'money',
            'dying', 'to', 'see', 'you', 'dead', 'tired', 'carer', 'break', 'choir', 'near', 'BS5', 'please', 'help'];
        fc.assert(fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 12 }), (said) => {
            expect(detectLanguageCrisis(said.join(' '), model).languages).to.deep.equal([]);
        }), { numRuns: 300 });
    });
});

describe('other languages\' rules on ordinary English', () => {
    const englishOnly = createEngine({ ...knowledge, languages: [], whyWording: knowledge.wording.why });
    const ENGLISH = ['my boss keeps insulting me', 'I felt insulted at the jobcentre',
        'I want to volunteer with St John Ambulance', 'I used to be an ambulance driver',
        'after my brother\'s suicide I need a bereavement group', 'is there a men\'s suicide prevention group',
        'overdose awareness training', 'she\'s having a convulsion', 'mus', 'taro plant'];

    it('raise no alarm and show no other language\'s line: only the English rules decide', () => {
        for (const text of ENGLISH) {
            expect(engine.crisisLanguage(text), text).to.equal(undefined);
            expect(engine.crisisKinds(text), text).to.deep.equal(englishOnly.crisisKinds(text));
        }
    });

    it('still shows the language\'s line when English rules also fire on a message in that language', () => {
        expect(engine.crisisLanguage('mi hija se quiere suicidar')?.language).to.equal('es');
    });
});

describe('language identification', () => {
    it('tells scripts and languages apart, romanised forms included', () => {
        const cases: Array<[string, string]> = [
            ['Szukam grupy dla seniorów w okolicy', 'pl'], ['Caut un grup de mers pe jos', 'ro'],
            ['mujhe koi group chahiye jahan log baat karein', 'ur'], ['میں ایک گروپ ڈھونڈ رہا ہوں', 'ur'],
            ['ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ', 'pa'], ['আমি একা বোধ করি', 'bn'], ['我很孤独', 'zh'], ['Я ищу группу', 'ru'],
            ['Търся група за разходки', 'bg'], ['Ψάχνω μια ομάδα', 'el'], ['من دنبال یک گروه هستم', 'fa'],
            // Shahmukhi Panjabi by its own words ("دیاں", "نال", "ہن"), though it shares letters with Urdu.
            ['ہن میں اپنی ماں نال رہندا ہاں', 'pa'], ['اوہ ساریاں دوائیاں کھا گئی سی', 'pa'],
        ];
        for (const [text, code] of cases) expect(engine.language(text), text).to.equal(code);
    });

    it('keeps English answers to the bot\'s questions English: times, ordinals, text-speak, postcodes, names', () => {
        for (const text of ['ya', 'SW1A 1AA', 'Heol y Felin', '7pm', 'Tuesday 3pm', '3pm', '7am', '2nd', '2day',
            '2moro', 'sw1a', 'si', 'um', 'ola', 'yo', 'mam', 'menu', 'mon-fri', 'c u 2moro', 'Siân', 'Grażyna',
            'My name is Wojciech Szczepański', 'Zisha']) {
            expect(engine.language(text), text).to.equal('en');
        }
    });

    it('keeps short, ambiguous and English messages English', () => {
        for (const text of ['ok', 'no', 'yes', 'hello', 'ta', 'hmm ok', 'Ana Popescu', 'BS5 0HT',
            'I take sleeping pills most nights', 'suicide awareness walk', 'Ty Coch community centre', '2', 'more', 'blah blah blah']) {
            expect(engine.language(text), text).to.equal('en');
        }
    });
});
