/**
 * Recomputes which North Lincolnshire feed records are in the issue 17 gold sample (test/fixtures/eval/import), so
 * the sample is reproducible and not hand-picked: ids sorted by SHA-256 hex of 'i17-gold:' + id, the first 160 are
 * the need set, the first 50 of those the field set; a record is held out when the SHA-256 hex of
 * 'i17-gold-split:' + id starts with 0-4. It reads only the ids of the feed, never its prose.
 *
 * Usage: npm run gold:import -- [FEED.json] [--check] (FEED defaults to the shared North Lincolnshire feed beside the
 * project). Without --check it prints rank, id, set and split; with it, it checks the gold files against the feed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';

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

function readJsonl(path: string): Record<string, unknown>[] {
    return readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function idsOfJsonl(path: string): string[] {
    return readJsonl(path).map((r) => String(r.id));
}

const PRICES = ['free', 'paid', 'pay-as-you-can', 'donation', 'mixed', 'unknown'];
const DELIVERY = ['in-person', 'phone', 'helpline', 'online', 'home-visit'];
const NULLABLE_TEXT = ['schedule', 'forWhom', 'place'];
/** The longest quote of the feed a gold file may hold: evidence, not a copy of unlicensed prose. */
export const MAX_QUOTE = 60;

/**
 * Checks the gold files in DIR without the feed, so a hand edit that breaks them fails a test: each split is the
 * one its id's hash gives, need ids are known (at most 3), the field set is the first 50 of the need set in order,
 * prices and delivery modes are from their lists, phones are digits, and every quote is short. One line a fault,
 * naming the record's id and the field.
 */
export function checkGoldFiles(dir: string, needIds: readonly string[]): string[] {
    const faults: string[] = [];
    const needs = readJsonl(join(dir, 'needs.jsonl'));
    const fields = readJsonl(join(dir, 'fields.jsonl'));
    for (const r of needs) {
        const id = String(r.id);
        if (r.split !== goldSplit(id)) {
            faults.push(`${id}: split is ${String(r.split)}, its hash gives ${goldSplit(id)}`);
        }
        const list = Array.isArray(r.needs) ? (r.needs as unknown[]) : null;
        if (!list || list.length > 3) faults.push(`${id}: needs must be a list of at most 3`);
        for (const n of list ?? []) {
            if (!needIds.includes(String(n))) faults.push(`${id}: unknown need id ${String(n)}`);
        }
        for (const flag of ['isService', 'seasonal']) {
            if (typeof r[flag] !== 'boolean') faults.push(`${id}: ${flag} must be true or false`);
        }
    }
    const firstNeedIds = needs.slice(0, fields.length).map((r) => String(r.id)).join(',');
    if (fields.map((r) => String(r.id)).join(',') !== firstNeedIds) {
        faults.push('fields.jsonl: its ids must be the first records of needs.jsonl, in the same order');
    }
    for (const r of fields) {
        const id = String(r.id);
        if (!PRICES.includes(String(r.price))) faults.push(`${id}: price ${String(r.price)} is not one of ${PRICES}`);
        const delivery = Array.isArray(r.delivery) ? (r.delivery as unknown[]) : [null];
        for (const d of delivery) {
            if (!DELIVERY.includes(String(d))) faults.push(`${id}: delivery ${String(d)} is not one of ${DELIVERY}`);
        }
        const phones = Array.isArray(r.phones) ? (r.phones as unknown[]) : [null];
        for (const p of phones) {
            if (!/^0\d{9,10}$/.test(String(p))) faults.push(`${id}: phone ${String(p)} is not UK digits only`);
        }
        if (!Array.isArray(r.emails)) faults.push(`${id}: emails must be a list`);
        for (const key of NULLABLE_TEXT) {
            if (r[key] !== null && typeof r[key] !== 'string') faults.push(`${id}: ${key} must be text or null`);
        }
        const evidence = (r.evidence ?? {}) as Record<string, unknown>;
        for (const [key, quote] of Object.entries(evidence)) {
            if (typeof quote !== 'string' || quote.length > MAX_QUOTE) {
                faults.push(`${id}: evidence for ${key} must be a quote of at most ${MAX_QUOTE} characters`);
            }
        }
        if (typeof r.priceText === 'string' && r.priceText.length > MAX_QUOTE) {
            faults.push(`${id}: priceText must be at most ${MAX_QUOTE} characters`);
        }
    }
    return faults;
}

const SHARED_FEED = join('..', 'shared', 'data', 'oruk-north-lincolnshire', 'north_lincolnshire_oruk.json');

function main(argv: string[]): number {
    const feedPath = argv.find((a) => !a.startsWith('--')) ?? join(projectRoot(), SHARED_FEED);
    if (!existsSync(feedPath)) {
        console.error(`${feedPath} is missing; usage: gold:import -- [FEED.json] [--check]`);
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
    const dir = join(projectRoot(), 'test', 'fixtures', 'eval', 'import');
    const wantNeeds = picks.map((p) => p.id).join(',');
    const wantFields = picks.filter((p) => p.field).map((p) => p.id).join(',');
    const okNeeds = idsOfJsonl(join(dir, 'needs.jsonl')).join(',') === wantNeeds;
    const okFields = idsOfJsonl(join(dir, 'fields.jsonl')).join(',') === wantFields;
    console.log(`needs.jsonl ${okNeeds ? 'matches' : 'does NOT match'} the selection`);
    console.log(`fields.jsonl ${okFields ? 'matches' : 'does NOT match'} the selection`);
    const taxonomy = JSON.parse(readFileSync(join(projectRoot(), 'knowledge', 'needs.json'), 'utf8')) as {
        needs: { id: string }[];
    };
    const faults = checkGoldFiles(dir, taxonomy.needs.map((n) => n.id));
    for (const fault of faults) console.log(fault);
    return okNeeds && okFields && faults.length === 0 ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
