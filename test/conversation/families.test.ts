/**
 * Issue 16, the held-out conversations' failures read as families: properties over the ways residents say "no
 * preference", "no thanks", a meal time, and ask for a person, built from parts (softeners, case, punctuation, words
 * around), so a new wording of a family is understood without a list of whole sentences. And what each rule must not
 * catch: "no, mornings" is mornings, a lunch club is not a time, "someone to talk to" is loneliness.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { shippedIntents } from '../../src/knowledge/intents';
import { understand } from '../../src/conversation/understand';
import { isNo, isNoPreference, isSkip, isYes, parseWhen } from '../../src/conversation/parse';
import { pickUp } from '../../src/conversation/pickUp';

const SEED = Number(process.env.FC_SEED ?? 20261202);
const RUNS = Number(process.env.FC_RUNS ?? 300);
const lex = shippedIntents();
const namesNeed = (t: string) => /\b(evict|landlord|rent|benefits|lonely|forms|debt)/i.test(t);

/** The same words as residents type them: any case, perhaps a full stop or "!" at the end. */
const typed = (words: fc.Arbitrary<string>) => fc.tuple(words, fc.constantFrom('lower', 'upper', 'first'),
    fc.constantFrom('', '.', '!', ' x', ' 🙂')).map(([w, c, end]) => {
    const cased = c === 'upper' ? w.toUpperCase() : c === 'first' ? w.charAt(0).toUpperCase() + w.slice(1) : w;
    return `${cased}${end}`;
});

describe('families of ordinary answers', () => {
    describe('no preference', () => {
        const core = fc.constantFrom("doesn't matter", 'doesnt matter', 'it does not matter', 'not bothered',
            "i'm not bothered", 'not fussed', 'whatever', 'any is fine', 'anything is fine', "don't mind",
            'i dont mind', 'makes no difference', 'up to you', 'either way', 'no preference', "i don't care",
            'whichever');
        const soft = fc.constantFrom('', 'really ', 'honestly ', 'just ', 'tbh ');
        const tail = fc.constantFrom('', ' to be honest', ' thanks', ' mate', ', any');
        const said = fc.tuple(soft, core, tail).map(([s, c, t]) => {
            // A softener goes after "i" or "it" when there is one ("i really don't mind"), else before.
            const m = /^(i'm|im|i|it) (.*)$/.exec(c);
            return m ? `${m[1]} ${s}${m[2]}${t}` : `${s}${c}${t}`;
        });

        it('is no preference, never yes, and the time question reads it as any time', () => {
            fc.assert(fc.property(typed(said), (t) => {
                expect(isSkip(t), t).to.equal(true);
                expect(isYes(t), t).to.equal(false);
                expect(parseWhen(t)?.any, t).to.equal(true);
            }), { seed: SEED, numRuns: RUNS });
        });

        it('a bare no is no preference at a question; a no with an answer keeps the answer', () => {
            for (const t of ['no', 'No.', 'nah', 'nope', 'not really', 'no ta']) {
                expect(isNoPreference(t), t).to.equal(true);
            }
            expect(parseWhen('no, mornings')?.times).to.deep.equal(['morning']);
            expect(parseWhen('anything in the evening')?.times).to.deep.equal(['evening']);
            expect(parseWhen("doesn't matter, but not mornings")?.any).to.equal(true);
            expect(parseWhen('nah evenings are better')?.times).to.deep.equal(['evening']);
            for (const t of ['mornings', 'Eastfield', 'BS5', 'yes', 'a choir']) {
                expect(isNoPreference(t), t).to.equal(false);
            }
        });
    });

    describe('no thanks, in dialect and text-speak', () => {
        const said = fc.tuple(fc.constantFrom('', 'nah ', 'no ', 'nope '),
            fc.constantFrom("you're", 'ur', 'youre', "i'm", 'im'),
            fc.constantFrom('alright', 'ok', 'okay', 'good', 'fine'),
            fc.constantFrom('', ' thanks', ' ta', ' mate', ' thank you', ' love'))
            .filter(([, who, how]) => !(/^(you're|ur|youre)$/.test(who) && how === 'good'))
            .map(([first, who, how, tail]) => `${first}${who} ${how}${tail}`);

        it('is no, never yes', () => {
            fc.assert(fc.property(typed(said), (t) => {
                expect(isNo(t), t).to.equal(true);
                expect(isYes(t), t).to.equal(false);
                expect(understand(t, lex, namesNeed).intent, t).to.equal('no');
            }), { seed: SEED, numRuns: RUNS });
        });

        it('"no worries", "leave it" are no thanks; "alright", "good" alone and "I\'m ok with that" are not', () => {
            for (const t of ['no worries', 'leave it', 'no need', 'not this time']) {
                expect(isNo(t), t).to.equal(true);
            }
            for (const t of ['alright', 'good', 'ok', 'sounds good']) expect(isYes(t), t).to.equal(true);
            for (const t of ["I'm ok with that", "i'm fine with mornings", "you're good at this"]) {
                expect(isNo(t), t).to.equal(false);
            }
        });
    });

    describe('meal times are times of day', () => {
        const meal = fc.constantFrom<[string, string]>(['lunchtime', 'afternoon'], ['lunch time', 'afternoon'],
            ['lunchtimes', 'afternoon'], ['midday', 'afternoon'], ['mid-day', 'afternoon'], ['noon', 'afternoon'],
            ['teatime', 'evening'], ['tea time', 'evening'], ['dinnertime', 'evening'], ['brunch time', 'morning'],
            ['breakfast time', 'morning'], ['after school', 'evening']);
        const before = fc.constantFrom('', 'around ', 'at ', 'about ', 'maybe ', 'usually ', 'weekdays ');

        it('each is read as its part of the day, with words around it', () => {
            fc.assert(fc.property(before, meal, (b, [words, part]) => {
                const t = `${b}${words}`;
                expect(parseWhen(t)?.times, t).to.include(part);
            }), { seed: SEED, numRuns: RUNS });
            expect(parseWhen('brunch')?.times).to.deep.equal(['morning']);
        });

        it('a lunch club or a breakfast club in a sentence is not a time', () => {
            const context = { resolvePlace: () => undefined, now: new Date('2026-10-06T09:30:00Z'), intents: lex };
            for (const t of ['I wanted somewhere to go, like a lunch club', 'is there a breakfast club near me',
                'a brunch club for mums']) {
                expect(pickUp(t, context).times, t).to.equal(undefined);
            }
        });
    });

    describe('asking for a person', () => {
        const person = fc.constantFrom('someone', 'somebody', 'a person', 'one of your team', 'someone from your team',
            'a real person', 'a member of staff', 'an advisor', 'one of you');
        const callFrom = fc.constantFrom('a call from', 'a phone call from', 'a ring from', 'a call back from',
            'a visit from', 'a text from');
        const opener = fc.constantFrom('can i have ', 'could i get ', "i'd like ", 'please can i have ', '');

        it('"a call from" a person is a request to be contacted', () => {
            fc.assert(fc.property(opener, callFrom, person, (o, c, p) => {
                const t = `${o}${c} ${p}`;
                expect(understand(t, lex, namesNeed).intent, t).to.equal('ask-person');
            }), { seed: SEED, numRuns: RUNS });
        });

        const want = fc.constantFrom('i need', 'i want', "i'd like", 'i just need', 'i would like');
        const help = fc.constantFrom('to help', 'to help me', 'to help me with it', 'to sort it out', 'to advise me',
            'to help me with my forms');
        const need = fc.constantFrom('', 'my landlord wants me out and ', "I can't pay my rent, ",
            'I have debts I cannot pay so ');

        it('a person wanted to help is a request, after a need or without one', () => {
            fc.assert(fc.property(need, want, person, help, (n, w, p, h) => {
                const t = `${n}${w} ${p} ${h}`;
                expect(understand(t, lex, namesNeed).intent, t).to.equal('ask-person');
            }), { seed: SEED, numRuns: RUNS });
        });

        it('someone to talk to, or a wish for help, is not a request', () => {
            for (const t of ['I need someone to talk to', 'I wish someone would help me', 'I have no one to help me',
                'I help someone with their shopping', "I'd love a call from my son"]) {
                expect(understand(t, lex, namesNeed).intent, t).to.not.equal('ask-person');
            }
        });
    });
});
