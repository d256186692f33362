/** The whole story a request carries (src/conversation/story.ts), from profiles old and new. */
import { expect } from 'chai';
import { emptyProfile, MAX_OWN_WORDS, type ResidentProfile } from '../../src/conversation/profile';
import { MAX_STORY_PARTS, MAX_STORY_WORDS, noteConfirmed, noteDraft, noteSuggested, storyOf }
    from '../../src/conversation/story';

const label = (id: string) => `[${id}]`;

describe('the story of a conversation', () => {
    it('keeps every need confirmed, with the words for each, in the order said', () => {
        const p = emptyProfile();
        noteConfirmed(p, ['loneliness'], 'I feel lonely');
        noteConfirmed(p, ['money-debt'], 'money is tight');
        expect(p.needs, 'the current search reads only the newest').to.deep.equal(['money-debt']);
        expect(storyOf(p, label)).to.deep.equal({
            needs: ['loneliness', 'money-debt'],
            inOwnWords: '[loneliness]: I feel lonely\n[money-debt]: money is tight',
            suggested: [],
        });
    });

    it('carries the words written so far when nothing is confirmed, and drops them once confirmed', () => {
        const p = emptyProfile();
        noteDraft(p, '  it is hard to explain  ');
        expect(storyOf(p, label)).to.deep.equal({ needs: [], inOwnWords: 'it is hard to explain', suggested: [] });
        noteConfirmed(p, ['mental-health'], 'it is hard to explain');
        expect(storyOf(p, label).inOwnWords).to.equal('[mental-health]: it is hard to explain');
    });

    it('reads a profile stored before the story was kept: its needs and words as they were', () => {
        const old: ResidentProfile = { needs: ['carers'], inOwnWords: 'I look after mum', prefs: {},
            suggested: ['a', 'b'], crisisShown: false };
        expect(storyOf(old, label)).to.deep.equal({
            needs: ['carers'], inOwnWords: '[carers]: I look after mum', suggested: ['a', 'b'],
        });
        expect(storyOf(emptyProfile(), label)).to.deep.equal({ needs: [], suggested: [] });
    });

    it('keeps everything suggested across searches, once each', () => {
        const p = emptyProfile();
        noteSuggested(p, ['a', 'b', 'c']);
        p.suggested = ['d', 'b'];
        noteSuggested(p, ['d', 'b']);
        expect(storyOf(p, label).suggested).to.deep.equal(['a', 'b', 'c', 'd']);
    });

    it('stays bounded: words per part, parts, and the whole', () => {
        const p = emptyProfile();
        for (let i = 0; i < MAX_STORY_PARTS + 4; i++) noteConfirmed(p, [`need-${i}`], `${i} ${'x'.repeat(900)}`);
        expect(p.story).to.have.length(MAX_STORY_PARTS);
        expect(storyOf(p, label).needs, 'no need is lost').to.have.length(MAX_STORY_PARTS + 4);
        expect(p.story!.every((s) => (s.words ?? '').length <= MAX_OWN_WORDS)).to.equal(true);
        expect(storyOf(p, label).inOwnWords!.length).to.be.at.most(MAX_STORY_WORDS);
    });
});
