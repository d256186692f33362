/**
 * The issue 17 gold sample (test/fixtures/eval/import): the selection is the ids lowest by hash, whatever the feed's
 * order, and the labelled files stay consistent with it and with the need ids, so a slip in a hand edit (a split
 * flipped, a need id misspelt, a quote too long to be a quote) fails here rather than skewing the importer's score.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkGoldFiles, goldSelection, goldSplit } from '../../src/cli/goldSelection';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const goldDir = path.join(projectRoot(), 'test', 'fixtures', 'eval', 'import');
const needIds = (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'knowledge', 'needs.json'), 'utf8')) as {
    needs: { id: string }[];
}).needs.map((n) => n.id);

function hex(text: string): string {
    return createHash('sha256').update(text).digest('hex');
}

function fakeIds(n: number): string[] {
    return Array.from({ length: n }, (_, i) => `service-${i}`);
}

describe('the issue 17 gold sample', () => {
    it('takes the 160 ids lowest by hash, in hash order, the first 50 as the field set, in any feed order', () => {
        const ids = fakeIds(700);
        const picks = goldSelection(ids);
        expect(picks).to.have.length(160);
        const keys = picks.map((p) => hex('i17-gold:' + p.id));
        expect(keys).to.deep.equal([...keys].sort());
        const cutoff = keys[keys.length - 1];
        const outside = ids.filter((id) => !picks.some((p) => p.id === id));
        expect(outside.every((id) => hex('i17-gold:' + id) > cutoff)).to.equal(true);
        expect(picks.filter((p) => p.field).map((p) => p.rank)).to.deep.equal([...Array(50).keys()]);
        expect(goldSelection([...ids].reverse())).to.deep.equal(picks);
    });

    it('holds out an id when its split hash starts with 0-4, about 5 in 16', () => {
        const ids = fakeIds(4000);
        for (const id of ids.slice(0, 200)) {
            expect(goldSplit(id)).to.equal('01234'.includes(hex('i17-gold-split:' + id)[0]) ? 'heldout' : 'dev');
        }
        const share = ids.filter((id) => goldSplit(id) === 'heldout').length / ids.length;
        expect(share).to.be.within(0.27, 0.35);
    });

    it('has consistent gold files: splits from the hash, known need ids, the field set first, short quotes', () => {
        expect(checkGoldFiles(goldDir, needIds)).to.deep.equal([]);
    });

    it('names the record and the fault when a hand edit breaks the gold files', () => {
        const tmp = tempDir();
        try {
            const needs = fs.readFileSync(path.join(goldDir, 'needs.jsonl'), 'utf8').split('\n').filter(Boolean)
                .map((line) => JSON.parse(line) as { id: string; split: string; needs: string[] });
            needs[3].split = needs[3].split === 'dev' ? 'heldout' : 'dev';
            needs[7].needs = ['lonelyness'];
            fs.writeFileSync(path.join(tmp.dir, 'needs.jsonl'), needs.map((r) => JSON.stringify(r)).join('\n') + '\n');
            const fields = fs.readFileSync(path.join(goldDir, 'fields.jsonl'), 'utf8').split('\n').filter(Boolean)
                .map((line) => JSON.parse(line) as { id: string; price: string; evidence: Record<string, string> });
            fields[5].evidence.place = 'x'.repeat(61);
            fields[9].price = 'cheap';
            const fieldsText = fields.map((r) => JSON.stringify(r)).join('\n') + '\n';
            fs.writeFileSync(path.join(tmp.dir, 'fields.jsonl'), fieldsText);
            const faults = checkGoldFiles(tmp.dir, needIds);
            expect(faults).to.have.length(4);
            expect(faults.some((f) => f.includes(needs[3].id) && f.includes('split'))).to.equal(true);
            expect(faults.some((f) => f.includes(needs[7].id) && f.includes('lonelyness'))).to.equal(true);
            expect(faults.some((f) => f.includes(fields[5].id) && f.includes('place'))).to.equal(true);
            expect(faults.some((f) => f.includes(fields[9].id) && f.includes('cheap'))).to.equal(true);
        } finally {
            tmp.remove();
        }
    });
});
