import { expect } from 'chai';
import { whySentences } from '../../src/conversation/describe';
import type { Reason } from '../../src/matching/types';
import { shippedKnowledge } from '../helpers/app';

describe('saying why a listing was offered', () => {
    const wording = () => shippedKnowledge().wording;

    it('says the reasons as one sentence a person would say, not a list of words', () => {
        const reasons: Reason[] = [
            { kind: 'need', text: 'helps with feeling lonely' },
            { kind: 'free', text: 'free' },
            { kind: 'where', text: '1.2 km away' },
            { kind: 'when', text: 'Tuesday mornings' },
            { kind: 'checked', text: 'last checked September 2026' },
        ];
        expect(whySentences(reasons, wording())).to.deep.equal([
            "It helps with feeling lonely, it's free, it's 1.2 km away and it's on Tuesday mornings.",
        ]);
    });

    it('says what to know first as sentences of their own', () => {
        const reasons: Reason[] = [
            { kind: 'need', text: 'helps with getting more active' },
            { kind: 'note', text: 'You need a GP referral for this one' },
        ];
        expect(whySentences(reasons, wording())).to.deep.equal([
            'It helps with getting more active.', 'You need a GP referral for this one.',
        ]);
    });

    it('puts a comma before the last "and" when a reason already has one', () => {
        const reasons: Reason[] = [
            { kind: 'need', text: 'helps with looking after someone and family life' },
            { kind: 'free', text: 'free' },
        ];
        expect(whySentences(reasons, wording())[0]).to.equal(
            "It helps with looking after someone and family life, and it's free.");
    });
});
