import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { MessageFactory, type Activity } from 'botbuilder';
import {
    checkHolds, endCheckFails, median, observe, report, runConversationFile, WordingMatcher, type ConversationCase,
    type Request,
} from '../../src/cli/evalConversations';
import { withContent, type ResultItem } from '../../src/conversation/messages';
import { projectRoot } from '../../src/paths';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

const matcher = new WordingMatcher(path.join(projectRoot(), 'knowledge', 'wording.json'));
const wording = shippedKnowledge().wording;

function item(n: number, name: string, where: string, when = 'Mondays, 10am to 12pm'): ResultItem {
    return { n, id: `svc-${n}`, name, summary: 'A friendly group', where, when, cost: 'Free', why: ['free'] };
}

function turn(...activities: Partial<Activity>[]) {
    return observe(activities, activities, matcher);
}

describe('the conversation set runner (issue 16)', () => {
    describe('checks on one turn', () => {
        it('finds the wording keys a reply used, with the placeholders filled in', () => {
            const o = turn(MessageFactory.text(wording.text('reflect', { needs: 'feeling lonely' })));
            expect(checkHolds({ wording: 'reflect' }, o, matcher)).to.equal(true);
            expect(checkHolds({ wording: 'text.reflect' }, o, matcher)).to.equal(true);
            expect(checkHolds({ shows: 'confirm-need' }, o, matcher)).to.equal(true);
            expect(checkHolds({ shows: 'question:place' }, o, matcher)).to.equal(false);
        });

        it('sees suggestions from what the dialogs said the message shows, and checks their fields', () => {
            const results = withContent(MessageFactory.text('1. Lunch club'), {
                kind: 'results', intro: [],
                items: [item(1, 'Lunch Club', 'Eastfield Hall, BS5 6AA (1.2 km away)'),
                    item(2, 'Phone Friends', 'By phone', 'Sundays')],
            });
            const o = turn(results);
            expect(checkHolds({ shows: 'suggestions' }, o, matcher)).to.equal(true);
            expect(checkHolds({ suggestion: 'BS5', field: 'where', first: true }, o, matcher)).to.equal(true);
            expect(checkHolds({ suggestion: 'By phone', field: 'where', first: true }, o, matcher)).to.equal(false);
            expect(checkHolds({ suggestion: 'sunday', field: 'when' }, o, matcher)).to.equal(true);
            expect(checkHolds({ shows: 'answer' }, o, matcher)).to.equal(false);
        });

        it('combines checks with not and any, and matches text without regard to case', () => {
            const o = turn(MessageFactory.text('You can call them on 01632 960831 to book.'));
            expect(checkHolds({ text: 'BOOK' }, o, matcher)).to.equal(true);
            expect(checkHolds({ not: { text: 'parking' } }, o, matcher)).to.equal(true);
            expect(checkHolds({ any: [{ shows: 'suggestions' }, { shows: 'answer' }] }, o, matcher)).to.equal(true);
            expect(checkHolds({ shows: 'not-understood' }, o, matcher)).to.equal(false);
        });

        it('counts a "didn\'t understand" reply as not an answer', () => {
            const o = turn(MessageFactory.text(wording.text('whereUnknown')));
            expect(checkHolds({ shows: 'not-understood' }, o, matcher)).to.equal(true);
            expect(checkHolds({ shows: 'answer' }, o, matcher)).to.equal(false);
        });

        it('refuses a behaviour or wording key it does not know, rather than passing quietly', () => {
            const o = turn(MessageFactory.text('hello'));
            expect(() => checkHolds({ shows: 'mind-reading' }, o, matcher)).to.throw(/unknown "shows"/);
            expect(() => checkHolds({ wording: 'noSuchKey' }, o, matcher)).to.throw(/unknown wording key/);
        });
    });

    describe('checks on the whole conversation', () => {
        const request = { summary: { needs: ['loneliness'], inOwnWords: 'I never see anyone', preferences: [],
            suggested: [], crisisShown: false }, priority: 'normal' } as unknown as Request;

        it('compares the turns to the first suggestions with the limit', () => {
            expect(endCheckFails({ turnsToSuggestionsAtMost: 3 }, 2, [], [], matcher)).to.equal(undefined);
            expect(endCheckFails({ turnsToSuggestionsAtMost: 3 }, 7, [], [], matcher)).to.match(/took 7/);
            expect(endCheckFails({ turnsToSuggestionsAtMost: 3 }, undefined, [], [], matcher)).to.match(/no suggestions/);
        });

        it('checks the request for its count, needs and the resident\'s words', () => {
            expect(endCheckFails({ request: { count: 1, needs: true, words: 'never see' } }, undefined, [request], [],
                matcher)).to.equal(undefined);
            expect(endCheckFails({ request: { words: 'money' } }, undefined, [request], [], matcher)).to.match(/words/);
            expect(endCheckFails({ request: { count: 0 } }, undefined, [request], [], matcher)).to.match(/count 0/);
        });

        it('checks some or every turn within a span', () => {
            const seen = [turn(MessageFactory.text('one')), turn(MessageFactory.text(wording.text('whenUnknown')))];
            expect(endCheckFails({ someTurn: { shows: 'not-understood' } }, undefined, [], seen, matcher))
                .to.equal(undefined);
            expect(endCheckFails({ someTurn: { shows: 'not-understood' }, to: 1 }, undefined, [], seen, matcher))
                .to.match(/no turn 1-1/);
            expect(endCheckFails({ everyTurn: { not: { shows: 'not-understood' } } }, undefined, [], seen, matcher))
                .to.match(/turn 2 fails/);
        });

        it('takes the median of odd and even counts', () => {
            expect(median([7, 2, 3])).to.equal(3);
            expect(median([2, 3, 4, 7])).to.equal(3.5);
            expect(median([])).to.equal(undefined);
        });
    });

    describe('playing conversations on the real app', () => {
        it('passes a conversation that holds and names the first failed check of one that does not', async () => {
            const tmp = tempDir();
            try {
                const cases: ConversationCase[] = [
                    { id: 'stop', channel: 'sms', tags: [], note: 'STOP stops', turns: [
                        { say: 'hi', must: [{ shows: 'welcome' }] },
                        { say: 'STOP', must: [{ shows: 'sms-stopped' }] },
                        { say: 'hello?', must: [{ shows: 'silent' }] },
                    ] },
                    { id: 'wrong', channel: 'webchat', tags: [], note: 'expects the impossible', turns: [
                        { say: 'hello', mustNot: [{ shows: 'silent' }] },
                        { say: 'what can you do', must: [{ shows: 'silent' }] },
                    ] },
                ];
                const file = path.join(tmp.dir, 'set.jsonl');
                fs.writeFileSync(file, cases.map((c) => JSON.stringify(c)).join('\n'));
                const part = await runConversationFile(file, shippedKnowledge(), 'test');
                expect(part.results.map((r) => [r.id, r.passed])).to.deep.equal([['stop', true], ['wrong', false]]);
                expect(part.results[1]?.failure).to.equal('turn 2 "what can you do": must {"shows":"silent"}');
            } finally {
                tmp.remove();
            }
        });

        it('prints the ids of held-out failures but never their lines or checks', () => {
            const lines: string[] = [];
            const log = console.log;
            console.log = (line: string) => lines.push(line);
            try {
                report({ name: 'HELD-OUT', ms: 1, results: [
                    { id: 'h-1', passed: false, failure: 'turn 1 "secret words": must x', namedNeedWithoutSuggestions: false },
                    { id: 'h-2', passed: true, turnsToSuggestions: 2, namedNeedWithoutSuggestions: false },
                ] }, false);
            } finally {
                console.log = log;
            }
            const out = lines.join('\n');
            expect(out).to.contain('1/2 conversations passed').and.contain('h-1');
            expect(out).not.to.contain('secret words');
        });
    });
});
