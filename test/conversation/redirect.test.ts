/**
 * The pure readers behind redirecting at the results (session 7, fix D): what a message says "not" to, whether it
 * turns the suggestions down, whether it says "it's for me", and distress short of a crisis. Tables of what residents
 * typed, including the ones that must not be read so ("I'm not sleeping" is still a need; "my car broke down" is not
 * distress).
 */
import { expect } from 'chai';
import { shippedIntents } from '../../src/knowledge/intents';
import { redirection, saysDistress, saysForMe, withoutNegated } from '../../src/conversation/understand';

const lex = shippedIntents();

describe('redirecting: "not X", turning the results down, "it\'s for me", distress', () => {
    describe('what a message says "not" to', () => {
        const cases: [string, string[]][] = [
            ['nah not lonely', ['lonely']],
            ['I am not a carer either', ['carer']],
            ['no i said MONEY help not crafts', ['crafts']],
            ["I'm not sleeping", []],
            ['not coping at all', []],
            ["I'd rather not go alone", []],
            ['not enough money', []],
            ['actually not that, more like money help', []],
            ['I feel lonely', []],
        ];
        for (const [text, negated] of cases) {
            it(`"${text}" -> ${JSON.stringify(negated)}`, () => {
                expect(redirection(text, lex).negated).to.deep.equal(negated);
            });
        }
        it('the words said "not" to leave the text read for needs and ranking', () => {
            expect(withoutNegated('I feel lonely and I am not a carer either', lex)).to.not.match(/carer/);
            expect(withoutNegated("I'm not sleeping", lex)).to.equal("I'm not sleeping");
            // Not being safe, alive or wanted is what they need help with, never a need taken away.
            expect(withoutNegated('no, not safe at home', lex)).to.equal('no, not safe at home');
            expect(withoutNegated('nah not safe with him', lex)).to.equal('nah not safe with him');
            expect(withoutNegated('i feel like im not wanted', lex)).to.equal('i feel like im not wanted');
        });
    });

    describe('turning the results down', () => {
        const rejecting: [string, string][] = [
            ['none of them are any use', 'are any use'],
            ['no i said MONEY help not crafts', 'money help'],
            ['nah none of them, i need summat for falls', 'i need summat for falls'],
            ['these are no good', 'these are'],
        ];
        for (const [text, rest] of rejecting) {
            it(`"${text}" turns them down, leaving "${rest}"`, () => {
                const r = redirection(text, lex);
                expect(r.rejects).to.equal(true);
                expect(r.rest).to.equal(rest);
            });
        }
        for (const text of ['no', 'nah ur alright', 'not Sundays', 'show more', "they're not open on Sundays"]) {
            it(`"${text}" does not`, () => expect(redirection(text, lex).rejects).to.equal(false));
        }
    });

    describe('"it\'s for me"', () => {
        for (const text of ["It's for me", 'It is for me, not my children', 'for me not my mum', 'no its for me',
            'just for me']) {
            it(`"${text}" says it is for the writer`, () => expect(saysForMe(text, lex)).to.equal(true));
        }
        for (const text of ['is there anything for me on Tuesdays', 'my mum', 'for my mum, not me']) {
            it(`"${text}" does not`, () => expect(saysForMe(text, lex)).to.equal(false));
        }
    });

    describe('distress short of a crisis', () => {
        for (const text of ['i just sat and cried in the kitchen', 'I feel like such a failure', "I can't cope",
            'im at my wits end']) {
            it(`"${text}" is distress`, () => expect(saysDistress(text, lex)).to.equal(true));
        }
        for (const text of ['I feel lonely', 'my car broke down', 'my eyesight is failing', 'I have heart failure']) {
            it(`"${text}" is not`, () => expect(saysDistress(text, lex)).to.equal(false));
        }
    });
});
