/**
 * Needs in Welsh and Polish (issue 18 part 2): each language's own lexicon (knowledge/locales/<code>/needs.json)
 * reads its words in all their forms (Polish endings, Welsh mutations, no diacritics, a typo), the engine picks it by
 * the conversation's locale or the message's language, and English messages are read exactly as before.
 */
import { expect } from 'chai';
import path from 'node:path';
import { loadKnowledge } from '../../src/knowledge';
import { createEngine, type Engine } from '../../src/matching/engine';
import { buildNeedModel, detectNeeds } from '../../src/matching/needs';
import { projectRoot } from '../../src/paths';

const knowledge = loadKnowledge(path.join(projectRoot(), 'knowledge'));
const engine: Engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why });
const english = buildNeedModel(knowledge.taxonomy);

const ids = (text: string, locale?: string): string[] => engine.detectNeeds(text, locale).map((n) => n.id);
const scoreOf = (text: string, id: string, locale?: string): number =>
    engine.detectNeeds(text, locale).find((n) => n.id === id)?.score ?? 0;

describe('needs in Welsh and Polish', () => {
    describe('Polish', () => {
        it('reads a message about loneliness as loneliness, not money worries', () => {
            const text = 'Czuję się bardzo samotna, nie mam z kim porozmawiać';
            expect(engine.needsLanguage(text)).to.equal('pl');
            expect(ids(text)[0]).to.equal('loneliness');
            expect(ids(text)).to.not.include('money-debt');
        });

        it('meets every form of a word (samotny, samotna, samotność, samotnie) through its stem', () => {
            for (const word of ['samotny', 'samotna', 'samotność', 'samotnie', 'samotności']) {
                expect(ids(`Jestem ${word} od roku`, 'pl'), word).to.include('loneliness');
            }
        });

        it('reads the same message typed without diacritics', () => {
            const marked = 'Mam długi i nie stać mnie na rachunki za prąd';
            const plain = 'Mam dlugi i nie stac mnie na rachunki za prad';
            expect(ids(plain)).to.deep.equal(ids(marked));
            expect(ids(plain)[0]).to.equal('money-debt');
        });

        it('reads a word one typo away, counting it for a little less than the word typed right', () => {
            expect(ids('szukam wolontarjatu', 'pl')).to.deep.equal(['volunteering']);
            expect(scoreOf('czuje sie smotna', 'loneliness', 'pl')).to.be.greaterThan(0)
                .and.below(scoreOf('czuje sie samotna', 'loneliness', 'pl'));
        });

        it('does not read a common word as a typo of a need word ("potrzebuję" is not "pogrzeb", a funeral)', () => {
            expect(ids('potrzebuję pomocy z CV', 'pl')).to.not.include('bereavement');
        });
    });

    describe('Welsh', () => {
        it('reads a message about loneliness', () => {
            const text = "Dw i'n unig iawn, does gen i neb i siarad efo";
            expect(engine.needsLanguage(text)).to.equal('cy');
            expect(ids(text)[0]).to.equal('loneliness');
        });

        it('undoes soft, nasal and aspirate mutations and the h before a vowel', () => {
            expect(ids('mae gen i boen drwy r amser', 'cy'), 'poen -> boen').to.include('health-conditions');
            expect(ids('dw i mewn poen efo fy mhoen', 'cy'), 'poen -> mhoen').to.include('health-conditions');
            expect(ids('mae hi n poeni am ei harian', 'cy'), 'arian -> harian').to.include('money-debt');
            expect(ids('dw i isio wirfoddoli', 'cy'), 'gwirfoddoli -> wirfoddoli').to.include('volunteering');
            expect(ids('ei chyffuriau hi', 'cy'), 'cyffuriau -> chyffuriau').to.include('substance-use');
        });

        it('reads words typed without the circumflex', () => {
            expect(ids('oes grwp celf yn y dref?', 'cy')).to.deep.equal(ids('oes grŵp celf yn y dref?', 'cy'));
            expect(ids('oes grwp celf yn y dref?', 'cy')).to.include('arts-culture');
        });

        it('reads a word one typo away', () => {
            expect(ids('dw i n teimlo unigrwdd', 'cy')).to.include('loneliness');
        });
    });

    describe('choosing the lexicon', () => {
        it('takes the conversation\'s locale when it is given', () => {
            expect(engine.needsLanguage('isio ymuno efo côr', 'cy')).to.equal('cy');
            expect(ids('isio ymuno efo côr', 'cy')).to.include('arts-culture');
        });

        it('reads a plainly English message in English even in a Welsh or Polish conversation', () => {
            expect(engine.needsLanguage("I'm so lonely since my wife died", 'cy')).to.equal('en');
            expect(ids("I'm so lonely since my wife died", 'pl')).to.include('loneliness');
        });

        it('reads a short Polish message that identification leaves as English with the Polish lexicon', () => {
            expect(engine.language('mam dosc samotnosci')).to.equal('en');
            expect(ids('mam dosc samotnosci')).to.deep.equal(['loneliness']);
        });

        it('reads English messages exactly as the English detector does', () => {
            for (const text of ['I get so lonely these days', 'i cant pay my rent and the landlord is shouting',
                'my dad is on his own since mum passed', 'need a food bank', 'hello']) {
                expect(engine.detectNeeds(text), text).to.deep.equal(detectNeeds(text, english));
                expect(engine.needsLanguage(text), text).to.equal('en');
            }
        });

        it('never reads a word of the conversation\'s language as a typo of a need word ("druga" is not "drugs")',
            () => {
                // Polish and Welsh ordinals, and every word of the language's intent lists (knowledge/intents).
                for (const text of ['gdzie jest ta druga?', 'druga', 'drugi', 'drugie', 'drugą', 'ta druga please',
                    'the druga one', 'pierwsza', 'trzecia', 'czwarta']) {
                    expect(ids(text, 'pl'), text).to.deep.equal([]);
                }
                for (const text of ["ble mae'r ail un?", 'y drydedd', 'y trydydd', 'y cyntaf']) {
                    expect(ids(text, 'cy'), text).to.deep.equal([]);
                }
                // Words of the intent lists that were read as typos of a need word: "zapisać" (sign up) as drugs,
                // "rankiem" (in the morning) as cancer, "działa" (works) as an allotment, "bwcio" (book) as a baby.
                for (const [text, locale] of [['zapisać', 'pl'], ['czy trzeba się zapisać?', 'pl'], ['rankiem', 'pl'],
                    ['dziala', 'pl'], ['łącznik', 'pl'], ['beidio', 'cy'], ['bwcio', 'cy']] as const) {
                    expect(ids(text, locale), text).to.deep.equal([]);
                }
                // The English words a Polish conversation still reads: "drugs" itself is a need.
                expect(ids('drugs', 'pl')).to.include('substance-use');
            });

        it('without locale lexicons, reads every message in English (a council folder that has none)', () => {
            const plain = createEngine({ ...knowledge, localeNeeds: [], whyWording: knowledge.wording.why });
            expect(plain.needsLanguage('Czuję się bardzo samotna')).to.equal('en');
        });
    });
});

describe('needs in Welsh and Polish: the words people really use (issue 18, session 7)', () => {
    // Written for the widened lexicons, none from an eval line: colloquial words, slang, inflected and mutated forms.
    const polish: [string, string][] = [
        ['jestem spłukany, nie mam za co żyć do wypłaty', 'money-debt'],
        ['szukam roboty, cokolwiek, może być dorywczo', 'employment'],
        ['chciałbym chodzić na siłkę i trochę się rozruszać', 'physical-activity'],
        ['mąż chleje codziennie i wydaje wszystko', 'substance-use'],
        ['czy jest jakiś youth club dla mojego nastoletniego syna?', 'family-parenting'],
        ['nikt mnie nie odwiedza, cały dzień siedzę sama w czterech ścianach', 'loneliness'],
        ['mam doła od tygodni, czarne myśli', 'mental-wellbeing'],
        ['w mieszkaniu jest grzyb na ścianach i zagrzybione okna', 'housing'],
    ];
    const welsh: [string, string][] = [
        ["dw i'n hollol sgint a dim ceiniog tan ddydd Gwener", 'money-debt'],
        ["dw i'n chwilio am jobyn, unrhyw beth rhan amser", 'employment'],
        ["mae'r cnebrwng wythnos nesa a dw i ar goll", 'bereavement'],
        ["dw i'n stryglo'n feddyliol ers misoedd", 'mental-wellbeing'],
        ['hoffwn i roi gorau i smoco, dw i ar ugain ffag y dydd', 'healthy-lifestyle'],
        ["mae gen i wynegon yn fy nwylo", 'health-conditions'],
        ['oes grŵp i fam ifanc efo babi bach?', 'family-parenting'],
        ["mae o'n yfed bob nos ac yn cael pen mawr bob bore", 'substance-use'],
    ];
    for (const [text, need] of polish) {
        it(`Polish "${text}" is ${need} first`, () => {
            expect(ids(text, 'pl')[0]).to.equal(need);
        });
    }
    for (const [text, need] of welsh) {
        it(`Welsh "${text}" is ${need} first`, () => {
            expect(ids(text, 'cy')[0]).to.equal(need);
        });
    }
});
