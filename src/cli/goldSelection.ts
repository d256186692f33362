/**
 * Recomputes which North Lincolnshire feed records are in the issue 17 gold sample (test/fixtures/eval/import), so
 * the sample is reproducible and not hand-picked: ids sorted by SHA-256 hex of 'i17-gold:' + id, the first 160 are
 * the need set, the first 50 of those the field set; a record is held out when the SHA-256 hex of
 * 'i17-gold-split:' + id starts with 0-4. It reads only the ids of the feed, never its prose.
 *
 * Usage: node dist/src/cli/goldSelection.js FEED.json [--check]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One record's place in the gold sample: its rank by hash, whether it is in the field set, and its split. */
export interface GoldPick {
    id: string;
    rank: number;
    field: boolean;
    split: 'heldout' | 'dev';
}

function sha256(text: string): string {
    return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The split of one id, from its own hash alone, so a labelled file can be checked without the feed. */
export function goldSplit(id: string): 'heldout' | 'dev' {
    return parseInt(sha256('i17-gold-split:' + id)[0], 16) < 5 ? 'heldout' : 'dev';
}

/** The gold sample of a feed's service ids: the 160 lowest by hash, the first 50 the field set. */
export function goldSelection(ids: readonly string[], needCount = 160, fieldCount = 50): GoldPick[] {
    return ids
        .map((id) => ({ id, key: sha256('i17-gold:' + id) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .slice(0, needCount)
        .map((x, rank) => ({ id: x.id, rank, field: rank < fieldCount, split: goldSplit(x.id) }));
}

function idsOfJsonl(path: string): string[] {
    return readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { id: string }).id);
}

function main(argv: string[]): number {
    const feedPath = argv[0];
    if (!feedPath) {
        console.error('usage: goldSelection FEED.json [--check]');
        return 2;
    }
    const feed = JSON.parse(readFileSync(feedPath, 'utf8')) as { id: string }[];
    const picks = goldSelection(feed.map((s) => s.id));
    if (!argv.includes('--check')) {
        for (const p of picks) {
            console.log([p.rank, p.id, p.field ? 'field' : '-', p.split].join('\t'));
        }
        return 0;
    }
    const dir = join('test', 'fixtures', 'eval', 'import');
    const wantNeeds = picks.map((p) => p.id).join(',');
    const wantFields = picks.filter((p) => p.field).map((p) => p.id).join(',');
    const okNeeds = idsOfJsonl(join(dir, 'needs.jsonl')).join(',') === wantNeeds;
    const okFields = idsOfJsonl(join(dir, 'fields.jsonl')).join(',') === wantFields;
    console.log(`needs.jsonl ${okNeeds ? 'matches' : 'does NOT match'} the selection`);
    console.log(`fields.jsonl ${okFields ? 'matches' : 'does NOT match'} the selection`);
    return okNeeds && okFields ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
