import { expect } from 'chai';
import {
    buildBm25, hitAt, mean, ndcgAt, precisionAt, recallAt, shuffled, tokenize, unjudgedAt,
} from '../../src/cli/directoryMetrics';

describe('directory eval metrics', () => {
    // Judged: a=2, b=1, c=0, d=2; e is unjudged. Ranked: c, a, e, b, x.
    const grades = new Map([['a', 2], ['b', 1], ['c', 0], ['d', 2]]);
    const ranked = ['c', 'a', 'e', 'b', 'x', 'd'];

    it('nDCG@5 uses graded gains and the ideal from every judged service', () => {
        // DCG = 0/log2(2) + 2/log2(3) + 0 + 1/log2(5) + 0 = 1.26186 + 0.43068 = 1.69254
        // ideal 2, 2, 1, 0: 2 + 2/log2(3) + 1/log2(4) = 2 + 1.26186 + 0.5 = 3.76186
        expect(ndcgAt(ranked, grades)).to.be.closeTo(1.69254 / 3.76186, 1e-4);
        expect(ndcgAt(['a', 'd', 'b'], grades)).to.be.closeTo(1, 1e-12);
        expect(ndcgAt(ranked, new Map([['c', 0]]))).to.equal(undefined);
    });

    it('precision@5 counts grade 2 only, over 5 even for a short list', () => {
        expect(precisionAt(ranked, grades)).to.equal(1 / 5);
        expect(precisionAt(['a', 'd'], grades)).to.equal(2 / 5);
    });

    it('hit@5 needs a grade-2 service in the top 5, and is undefined with none judged', () => {
        expect(hitAt(ranked, grades)).to.equal(1);
        expect(hitAt(['c', 'b'], grades)).to.equal(0);
        expect(hitAt(ranked, new Map([['b', 1]]))).to.equal(undefined);
    });

    it('recall@20 is the share of grade-2 services found', () => {
        expect(recallAt(ranked, grades)).to.equal(1);
        expect(recallAt(ranked, grades, 5)).to.equal(1 / 2);
        expect(recallAt(ranked, new Map())).to.equal(undefined);
    });

    it('counts unjudged top-5 results and averages defined values only', () => {
        expect(unjudgedAt(ranked, grades)).to.equal(2);
        expect(mean([1, undefined, 0])).to.deep.equal({ mean: 0.5, n: 2 });
        expect(mean([undefined])).to.deep.equal({ mean: undefined, n: 0 });
    });

    it('shuffles the same way for the same seed', () => {
        const items = Array.from({ length: 20 }, (_, i) => i);
        expect(shuffled(items, 17)).to.deep.equal(shuffled(items, 17));
        expect(shuffled(items, 17)).to.not.deep.equal(items);
        expect([...shuffled(items, 17)].sort((x, y) => x - y)).to.deep.equal(items);
    });
});

describe('BM25 baseline', () => {
    const docs = [
        {
            id: 'run', name: 'Scunthorpe Running Club',
            description: '<p>A friendly <b>running</b> club for all abilities.</p>',
        },
        { id: 'knit', name: 'Knit and Natter', description: 'Knitting, crochet and a brew every Tuesday.' },
        { id: 'walk', name: 'Health Walks', description: 'Gentle walks; no running, just walking and talking.' },
    ];
    const index = buildBm25(docs);

    it('tokenizes lower-cased words without HTML or stopwords', () => {
        expect(tokenize('<p>A <b>Running</b> club for ALL</p>')).to.deep.equal(['running', 'club']);
    });

    it('ranks the document that is about the query first', () => {
        expect(index.search('running club', 10).map((r) => r.id)).to.deep.equal(['run', 'walk']);
        expect(index.search('knitting group', 10).map((r) => r.id)).to.deep.equal(['knit']);
        expect(index.search('tai chi', 10)).to.deep.equal([]);
    });

    it('gives a higher score to more occurrences in a same-length field', () => {
        const [first, second] = index.search('running', 10);
        expect(first.id).to.equal('run');
        expect(first.score).to.be.greaterThan(second.score);
    });
});
