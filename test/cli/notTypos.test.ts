import { expect } from 'chai';
import { replaceNotTypos } from '../../src/cli/notTypos';

describe('rebuilding the list of real words the speller leaves alone', () => {
    it('replaces only that list and keeps the file valid JSON', () => {
        const before = '{\n  "about": "x",\n  "notTypos": [\n    "old"\n  ],\n  "needs": [1]\n}\n';
        const words = Array.from({ length: 12 }, (_, i) => `word${i}`);
        const after = replaceNotTypos(before, words);
        const parsed = JSON.parse(after);
        expect(parsed.notTypos).to.deep.equal(words);
        expect(parsed.about).to.equal('x');
        expect(parsed.needs).to.deep.equal([1]);
        expect(after.split('\n').filter((l) => l.includes('word')).length).to.equal(2);
    });

    it('refuses a file without the list', () => {
        expect(() => replaceNotTypos('{}', ['a'])).to.throw(/notTypos/);
    });
});
