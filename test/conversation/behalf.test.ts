/**
 * Who a message is for (issue 18 part 1): someone else ("my mum", "my client", "she"), the writer and someone else
 * together (unclear, asked at the hand-off), or the writer, who may name a person they lost or look after.
 */
import { expect } from 'chai';
import { shippedIntents } from '../../src/knowledge/intents';
import { whoFor } from '../../src/conversation/behalf';

describe('who a message is for', () => {
    const words = shippedIntents().who;
    const read = (text: string) => whoFor(text, words);

    const others: [string, string | undefined, string | undefined][] = [
        ['my dad is on his own since mum passed and he won\'t go out', 'parent', 'dad'],
        ['my elderly mum is lonely', 'parent', 'mum'],
        ['my mum\'s lonely', 'parent', 'mum'],
        ['my neighbour is in her 80s and I don\'t think she speaks to anyone', 'neighbour', 'neighbour'],
        ['can you find something for my dad', 'parent', 'dad'],
        ['my husband wants to do some volunteering now he\'s retired', 'partner', 'husband'],
        ['my son is 34 and can\'t find work', 'child', 'son'],
        ['my brother lost his wife to cancer and is not coping', 'sibling', 'brother'],
        ['my mum passed and my dad is struggling on his own', 'parent', 'dad'],
        ['my best friend never leaves the house', 'friend', 'best friend'],
        ['she\'s been so low since her husband died', undefined, undefined],
    ];
    for (const [text, relation, word] of others) {
        it(`"${text}" is about someone else (${relation ?? 'not said who'})`, () => {
            const who = read(text);
            expect(who?.about).to.equal('other');
            expect(who?.relation).to.equal(relation);
            expect(who?.word).to.equal(word);
            expect(who?.professional).to.equal(false);
        });
    }

    const professionals = [
        'my client has no food in the house until his benefits come',
        'my patient is housebound and lonely',
        'I support a client who is isolated and wants to meet people',
        'I\'m a support worker and the man I work with wants to meet people',
        'I\'m a GP receptionist, one of our patients is isolated',
    ];
    for (const text of professionals) {
        it(`"${text}" is a professional asking for a client`, () => {
            const who = read(text);
            expect(who?.about).to.equal('other');
            expect(who?.professional).to.equal(true);
            expect(who?.relation).to.equal('client');
        });
    }

    const unclear = [
        'help for my mum and me',
        'my husband and I want to volunteer',
        'looking for a toddler group for me and my little boy',
        'my wife has dementia and I need a break from caring for her',
    ];
    for (const text of unclear) {
        it(`"${text}" is unclear: the writer and someone else`, () => {
            expect(read(text)?.about).to.equal('both');
        });
    }

    const own = [
        'I feel lonely',
        'I\'ve been lonely since my wife died',
        'I lost my husband last year',
        'I\'m a carer for my mum and need a break',
        'I look after my dad and never get time for myself',
        'I want to go swimming with my friend',
        'I live with my daughter and I\'m lonely',
        'money is tight',
        'I\'d like to meet people',
        'he',
        '',
    ];
    for (const text of own) {
        it(`"${text}" is the writer's own`, () => {
            expect(read(text)).to.equal(undefined);
        });
    }

    it('reads every message as the writer\'s own without the tables (a language that has none)', () => {
        expect(whoFor('my mum is lonely', undefined)).to.equal(undefined);
    });
});
