/**
 * What a tester playing residents found at the results and before them (session 7, fix D): a correction that says the
 * suggestions are wrong got only "OK, no problem."; a change of mind was read as "show more"; "not X" did not take a
 * need away; a message full of distress went straight to a list. Tables of turns, each failing before the fix.
 */
import { expect } from 'chai';
import { Conversation, storedState, testApp, type TestApp } from '../helpers/app';
import { play } from './play';
import type { ResidentProfile } from '../../src/conversation/profile';

const profileOf = async (app: TestApp) => (await storedState(app))?.profile as ResidentProfile | undefined;

describe('redirecting at the results, "not X", and distress (fix D)', () => {
    let app: TestApp;
    let c: Conversation;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        c = new Conversation(app);
        w = app.knowledge.wording;
    });
    afterEach(async () => app.dispose());

    const toResults = async (need = 'I want to do some arts and crafts') => play(c, [
        { say: need, expect: [/It sounds like/] },
        { say: 'yes', expect: [w.text('askWhere')] },
        { say: 'BS5', expect: [w.text('resultsIntro'), /^1\. /m] },
    ]);

    describe('a correction at the results that names what they want searches again for it, with a sorry', () => {
        const cases: [string, RegExp][] = [
            ['no i said MONEY help not crafts', /^Sorry about that/m],
            ['none of them are any use, i need help with money', /^Sorry about that/m],
            ['nah none of them, i need summat for money worries', /^Sorry about that/m],
            // A change of mind, not a complaint: no sorry, and never "Here are some more:".
            ['actually not that, more like money help, im skint', /^OK, I'll look for help with money/m],
        ];
        for (const [say, first] of cases) {
            it(`"${say}" replaces the need with money, and the crafts go`, async () => {
                await toResults();
                const [turn] = await play(c, [{
                    say,
                    expect: [first, /money/i, w.text('resultsIntro'), /^1\. /m],
                    not: [w.text('narrowNo'), w.text('resultsMore'), w.text('pickNumber')],
                }]);
                expect(turn!.all).to.not.match(/crafts?/i);
                const profile = await profileOf(app);
                expect(profile?.needs).to.deep.equal(['money-debt']);
                expect(profile?.inOwnWords ?? '').to.not.match(/craft/i);
            });
        }
    });

    describe('a correction at the results that names nothing asks kindly what would suit better', () => {
        for (const say of ['none of them are any use', 'nah none of them', 'these are no good']) {
            it(`"${say}" asks what would suit, then searches for the answer instead`, async () => {
                await toResults();
                await play(c, [{
                    say,
                    expect: [w.text('rejectedAsk')],
                    not: [w.text('narrowNo'), w.text('pickNumber'), /^1\. /m],
                }, {
                    say: 'help with my debts',
                    expect: [w.text('resultsIntro'), /^1\. /m],
                }]);
                expect((await profileOf(app))?.needs).to.deep.equal(['money-debt']);
            });
        }
        it('an answer to "What would suit better?" that names no need gets the list of needs, not "a number"',
            async () => {
                await toResults();
                await play(c, [
                    { say: 'none of them are any use', expect: [w.text('rejectedAsk')] },
                    { say: 'i dont really know', expect: [w.text('chooseNeed')], not: [w.text('pickNumber')] },
                ]);
            });
        it('a plain "no" to the offer to narrow them down is still "OK, no problem."', async () => {
            await toResults();
            await play(c, [{ say: 'no', expect: [w.text('narrowNo')], not: [w.text('rejectedAsk')] }]);
        });
    });

    describe('"show more" is only asked for, not read in a change of mind', () => {
        it('"show more" still shows more', async () => {
            await toResults();
            await play(c, [{ say: 'show more', expect: [w.text('resultsMore')] }]);
        });
    });

    describe('changing the need by the menu: the old words stop counting', () => {
        it('"Change my answers", "What matters", then money from the list lists no crafts', async () => {
            await toResults();
            const [, list] = await play(c, [
                { say: w.button('changeAnswers'), expect: [w.text('askChange')] },
                { say: w.button('changeNeeds'), expect: [w.text('chooseNeed')] },
            ]);
            // The tester picked money from the numbered list.
            const money = /^(\d+)\. Money/m.exec(list!.all)?.[1];
            expect(money, list!.all).to.be.a('string');
            const [last] = await play(c, [{ say: money!, expect: [/^1\. /m], not: [/mentions (arts|crafts)/i] }]);
            expect(last!.all).to.match(/money/i);
            expect((await profileOf(app))?.needs).to.deep.equal(['money-debt']);
            expect((await profileOf(app))?.inOwnWords ?? '').to.not.match(/craft/i);
        });
    });

    describe('"not X" takes need X away', () => {
        it('"nah not lonely" at the results leaves loneliness out and searches for the rest', async () => {
            await toResults('I feel lonely and I have money worries');
            expect((await profileOf(app))?.needs).to.include('loneliness');
            const [turn] = await play(c, [{
                say: 'nah not lonely',
                expect: [/^Sorry/m, w.text('resultsIntro')],
                not: [w.text('narrowNo')],
            }]);
            expect(turn!.all).to.not.match(/feeling lonely/i);
            expect((await profileOf(app))?.needs).to.deep.equal(['money-debt']);
        });
        it('"I am not a carer either" in the first message is not a carer\'s need', async () => {
            await play(c, [{
                say: 'I am struggling with money and I am not a carer either',
                expect: [/It sounds like/, /money/i],
                not: [/looking after someone/i],
            }]);
        });
    });

    describe('distress before a list', () => {
        it('as the first message: one short kind sentence and the offer of a person first, then goes on', async () => {
            const [turn] = await play(c, [{
                say: 'honestly i feel like such a failure, i cant even feed my own kids, i just sat and cried in the'
                    + ' kitchen',
                expect: [w.text('distressKind'), w.text('askNeeds')],
            }]);
            expect(turn!.all.indexOf(w.text('distressKind'))).to.be.lessThan(turn!.all.indexOf(w.text('askNeeds')));
        });
        it('at the results, "at my wits end, i need help with money" says it before the new list', async () => {
            await toResults();
            const [turn] = await play(c, [{
                say: 'im at my wits end, i need help with money',
                expect: [w.text('distressKind'), /^1\. /m],
            }]);
            expect(turn!.all.indexOf(w.text('distressKind'))).to.be.lessThan(turn!.all.indexOf('1. '));
        });
        it('is not said for an ordinary need', async () => {
            await play(c, [{ say: 'I feel lonely', expect: [/It sounds like/], not: [w.text('distressKind')] }]);
        });
    });

    describe('who it is for: "it\'s for me" and people far away', () => {
        it('a man writing about himself, with his children up north, is asked about himself', async () => {
            await play(c, [{
                say: 'My wife passed away last year and my children live up north. I feel so lonely',
                expect: [/It sounds like you'd like help with/, /feeling lonely/],
                not: [/your children/i],
            }]);
            expect((await profileOf(app))?.behalf).to.equal(undefined);
        });
        for (const say of ['It is for me, not my mum', 'for me not my mum', 'no its for me']) {
            it(`"${say}" at "Where do they live?" asks about the writer instead`, async () => {
                await play(c, [
                    { say: 'my mum is so lonely', expect: [/your mum/] },
                    { say: 'yes', expect: [w.text('askWhereThem')] },
                    { say, expect: [w.text('forMeGot'), w.text('askWhere')], not: [w.text('askWhereThem'),
                        w.text('whereUnknown')] },
                    { say: 'BS5', expect: [w.text('resultsIntro')], not: [w.text('resultsIntroThem')] },
                ]);
                expect((await profileOf(app))?.behalf).to.equal(undefined);
            });
        }
        it('"it\'s for me" when it was already about the writer changes nothing', async () => {
            await play(c, [
                { say: 'I feel lonely', expect: [/It sounds like/] },
                { say: 'yes', expect: [w.text('askWhere')] },
                { say: "it's for me", not: [w.text('forMeGot')] },
            ]);
        });
    });
});
