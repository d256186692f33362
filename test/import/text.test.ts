import { expect } from 'chai';
import { parseCsv, csvRecords } from '../../src/import/csv';
import { cleanText, decodeEntities, shorten, summarise } from '../../src/import/html';

describe('cleaning feed text for chat', () => {
    describe('when a description is HTML', () => {
        it('strips tags, decodes entities and keeps the blocks apart as sentences', () => {
            const html = '<p>Struggling with Drug &amp; Alcohol?</p><p>We&#39;re here&nbsp;&nbsp;to help</p>'
                + '<ul><li>Drop in</li><li>Phone us</li></ul>';
            expect(cleanText(html)).to.equal('Struggling with Drug & Alcohol? We\'re here to help. Drop in. Phone us');
        });

        it('drops scripts, styles and comments, and decodes hex and named entities', () => {
            expect(cleanText('<style>p{}</style><!-- x --><b>Tea</b> &pound;1 &#x2013; <script>alert(1)</script>cake'))
                .to.equal('Tea £1 – cake');
        });

        it('leaves an escaped tag as visible text rather than a tag', () => {
            expect(cleanText('1 &lt;b&gt; 2')).to.equal('1 <b> 2');
        });

        it('tidies line breaks, Markdown emphasis and bullets', () => {
            expect(cleanText('**Warm space**\n\n- Free soup\r\n- Games')).to.equal('Warm space. Free soup. Games');
        });

        it('gives empty text for anything that is not text', () => {
            expect(cleanText(undefined)).to.equal('');
            expect(cleanText({})).to.equal('');
        });

        it('leaves unknown entities alone', () => {
            expect(decodeEntities('a &madeup; b')).to.equal('a &madeup; b');
        });
    });

    describe('when text is too long', () => {
        const text = 'A lunch club for older people. We serve a hot meal every Tuesday. Transport can be arranged '
            + 'for people who find it hard to get out.';

        it('keeps whole sentences that fit', () => {
            expect(shorten(text, 70)).to.equal('A lunch club for older people. We serve a hot meal every Tuesday.');
        });

        it('cuts at a word with an ellipsis when no sentence fits', () => {
            const cut = shorten('Supercalifragilistic expialidocious words go on and on and on', 30);
            expect(cut.length).to.be.at.most(30);
            expect(cut.endsWith('…')).to.equal(true);
            expect(cut).to.not.match(/\s…$/);
        });

        it('summarises in at most 160 characters for SMS', () => {
            const long = `${'Word '.repeat(60)}end.`;
            expect(summarise(long).length).to.be.at.most(160);
            expect(summarise(text)).to.equal(text);
            expect(summarise(`${text} ${text}`)).to.equal(text);
            expect(summarise('Short. And more.')).to.equal('Short. And more.');
        });
    });
});

describe('reading CSV from a tabular package', () => {
    it('handles quoted commas, doubled quotes, line breaks inside cells, CRLF and a byte-order mark', () => {
        const text = '\uFEFFid,name,description\r\n1,"Tea, cake","Say ""hello""\r\nthen sit"\r\n2,Plain,\n\n';
        expect(parseCsv(text)).to.deep.equal([
            ['id', 'name', 'description'],
            ['1', 'Tea, cake', 'Say "hello"\r\nthen sit'],
            ['2', 'Plain', ''],
        ]);
    });

    it('keys rows by the header and fills missing cells with empty text', () => {
        expect(csvRecords('a,b,c\n1,2\n')).to.deep.equal([{ a: '1', b: '2', c: '' }]);
    });
});
