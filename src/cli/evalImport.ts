/**
 * `npm run eval:import [-- --heldout | --all] [-- --records FILE] [-- --json]`: how well `signpost kb import` reads
 * the North Lincolnshire feed's prose, and how precise `signpost kb review`'s flags are, against the hand labels in
 * test/fixtures/eval/import (fields.jsonl: 50 records; needs.jsonl: 160 records, see its README).
 *
 * It builds every feed record with the importer's own rules (in memory, the records the importer would skip
 * included), then prints per-field accuracy on the dev split (held-out with --heldout, the lead's final measure;
 * both with --all), each review flag's precision, and the need labels of the service labeller beside the residents'
 * lexicon it replaced (evalImportNeeds.ts). `--records FILE` scores a directory file written by any
 * version's `kb import` instead (how "before" is measured: the importer on main). The feed is read only from
 * ../shared; when it is missing the script says so and exits 0.
 *
 * One function per field group (SCORERS), each taking the gold rows and the predicted records and returning rows of
 * the table, so other columns (the need labeller's) are added beside these without touching them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildForReview, reviewBuildContext, reviewRecord } from '../import/review';
import type { ReviewFlag, ReviewRecord } from '../import/review';
import { readSource } from '../import/source';
import { projectRoot } from '../paths';
import { printNeedLabels } from './evalImportNeeds';

const FEED = '../shared/data/oruk-north-lincolnshire/north_lincolnshire_oruk.json';
const GOLD = 'test/fixtures/eval/import';

/** One record of fields.jsonl (see its README). */
export interface FieldGold {
    id: string;
    phones: string[];
    emails: string[];
    price: 'free' | 'paid' | 'pay-as-you-can' | 'donation' | 'mixed' | 'unknown';
    delivery: string[];
    schedule: string | null;
    forWhom: string | string[] | null;
    place: string | null;
}

/** One record of needs.jsonl (see its README). */
export interface NeedGold {
    id: string;
    split: 'dev' | 'heldout';
    needs: string[];
    isService: boolean;
    seasonal: boolean;
}

/** One line of the table: a measure, how many records it was taken over, and its value. */
export interface ScoreRow {
    group: string;
    measure: string;
    n: number;
    /** Correct (or hits) out of n. */
    correct: number;
    /** Extra words for the line ("3 wrong free labels"). */
    note?: string;
}

/** What a scorer gets: gold rows of the chosen split, and the predicted record of each id (undefined: none). */
export interface ScoreInput {
    fields: readonly FieldGold[];
    needs: readonly NeedGold[];
    records: ReadonlyMap<string, ReviewRecord>;
    today: string;
}

export type Scorer = (input: ScoreInput) => ScoreRow[];

// ------------------------------------------------------------------------------------------ predictions

const digits = (s: string): string => s.replace(/\D/g, '').replace(/^44/, '0');
const extractedOf = (r: ReviewRecord | undefined, field: string): string[] =>
    (r?.extracted ?? []).filter((e) => e.field === field).map((e) => e.value);
const PLACEHOLDER = /^(?:redacted|removed|hidden)@|@example\.(?:org|com|net)$/i;

/** The phones a record gives: its phone field and every number read from its prose. */
export function predictedPhones(r: ReviewRecord | undefined): string[] {
    return [...new Set([r?.phone, ...extractedOf(r, 'phone')].filter((p): p is string => !!p).map(digits))];
}

/** The price class of a record, in the gold's words. */
export function predictedPrice(r: ReviewRecord | undefined): FieldGold['price'] {
    if (!r) return 'unknown';
    const costs = r.cost_options ?? [];
    if (costs.some((c) => c.amount > 0)) return 'paid';
    if (costs.length > 0) {
        const words = costs.map((c) => `${c.option ?? ''} ${c.amount_description ?? ''}`).join(' ');
        return /donat/i.test(words) ? 'donation' : /pay (?:as|what)/i.test(words) ? 'pay-as-you-can' : 'free';
    }
    if (r.cost_unknown) return extractedOf(r, 'cost_options').length > 0 ? 'paid' : 'unknown';
    return 'free';
}

/** How a record says it is delivered; nothing when the importer did not know. */
export function predictedDelivery(r: ReviewRecord | undefined): string[] {
    if (!r || r.attending_unknown) return [];
    return [...new Set(r.attending_type ?? [])].sort();
}

const DAY_ABBR: Readonly<Record<string, string>> = {
    MO: 'mon', TU: 'tue', WE: 'wed', TH: 'thu', FR: 'fri', SA: 'sat', SU: 'sun',
};

/** Days (mon..sun) and opening times a schedule string or record names, for comparing like with like. */
interface When { days: Set<string>; times: Set<string> }

function whenOfGold(text: string): When {
    const t = text.toLowerCase();
    const days = new Set<string>();
    for (const m of t.matchAll(/\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/g)) days.add(m[1] as string);
    const range = /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*(?:-|to)\s*(mon|tue|wed|thu|fri|sat|sun)/.exec(t);
    if (range) {
        const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
        for (let i = order.indexOf(range[1] as string); i <= order.indexOf(range[2] as string); i++) {
            days.add(order[i] as string);
        }
    }
    if (/\bdaily\b|every day/.test(t)) ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].forEach((d) => days.add(d));
    const times = new Set<string>([...t.matchAll(/\b(\d{1,2}):(\d{2})\b/g)].map((m) =>
        `${(m[1] as string).padStart(2, '0')}:${m[2]}`));
    return { days, times };
}

function whenOfRecord(r: ReviewRecord | undefined): When | undefined {
    if (!r) return undefined;
    const days = new Set<string>();
    const times = new Set<string>();
    for (const s of r.schedules ?? []) {
        s.byday.forEach((d) => days.add(DAY_ABBR[d] as string));
        times.add(s.opens_at);
        times.add(s.closes_at);
    }
    if (r.schedule_note) {
        const said = whenOfGold(r.schedule_note);
        said.days.forEach((d) => days.add(d));
        said.times.forEach((t) => times.add(t));
    }
    return days.size > 0 || times.size > 0 || r.schedule_note ? { days, times } : undefined;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) =>
    b.has(x));

// ------------------------------------------------------------------------------------------ scorers

/** Phones: records whose set of numbers is exactly right; numbers found where the text has them; numbers made up. */
export const scorePhones: Scorer = ({ fields, records }) => {
    let exact = 0;
    let withGold = 0;
    let found = 0;
    let goldNumbers = 0;
    let predicted = 0;
    let right = 0;
    for (const g of fields) {
        const want = new Set(g.phones.map(digits));
        const got = new Set(predictedPhones(records.get(g.id)));
        if (sameSet(want, got)) exact++;
        goldNumbers += want.size;
        predicted += got.size;
        const hits = [...got].filter((p) => want.has(p)).length;
        right += hits;
        if (want.size > 0) {
            withGold++;
            if ([...want].every((p) => got.has(p))) found++;
        }
    }
    return [
        { group: 'phones', measure: 'records exactly right', n: fields.length, correct: exact },
        { group: 'phones', measure: 'found in every record whose text has one', n: withGold, correct: found },
        { group: 'phones', measure: 'numbers that are right (precision)', n: predicted, correct: right,
            note: `${goldNumbers} labelled numbers` },
    ];
};

/** E-mails: the feed replaced every address by one placeholder, which the importer leaves out by design. */
export const scoreEmails: Scorer = ({ fields, records }) => {
    let exact = 0;
    let real = 0;
    for (const g of fields) {
        const want = new Set(g.emails.map((e) => e.toLowerCase()).filter((e) => !PLACEHOLDER.test(e)));
        const r = records.get(g.id);
        const got = new Set([r?.email, ...extractedOf(r, 'email')].filter((e): e is string => !!e).map((e) =>
            e.toLowerCase()));
        real += want.size;
        if (sameSet(want, got)) exact++;
    }
    return [{ group: 'emails', measure: 'records right, placeholders left out', n: fields.length, correct: exact,
        note: `${real} real (not redacted) addresses labelled` }];
};

/** Price: the class right; "free" said wrongly; a price found wherever the text states one. */
export const scorePrice: Scorer = ({ fields, records }) => {
    let right = 0;
    let wrongFree = 0;
    let saidFree = 0;
    let paid = 0;
    let paidFound = 0;
    const confusions = new Map<string, number>();
    for (const g of fields) {
        const got = predictedPrice(records.get(g.id));
        // "mixed" (free and paid options both stated): a stated price wins, so "paid" is right.
        const ok = got === g.price || (g.price === 'mixed' && got === 'paid');
        if (ok) right++;
        else confusions.set(`${g.price}->${got}`, (confusions.get(`${g.price}->${got}`) ?? 0) + 1);
        if (got === 'free') {
            saidFree++;
            if (g.price !== 'free') wrongFree++;
        }
        if (g.price === 'paid' || g.price === 'mixed') {
            paid++;
            if (got === 'paid') paidFound++;
        }
    }
    const worst = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ');
    return [
        { group: 'price', measure: 'class right (free/paid/pay-as-you-can/donation/unknown)', n: fields.length,
            correct: right, ...(worst ? { note: worst } : {}) },
        { group: 'price', measure: '"free" labels that are right', n: saidFree, correct: saidFree - wrongFree,
            note: `${wrongFree} wrong "free" labels` },
        { group: 'price', measure: 'paid found where the text states a price', n: paid, correct: paidFound },
    ];
};

/** Delivery: the set right (a helpline is delivery by phone), and "in person" never assumed. */
export const scoreDelivery: Scorer = ({ fields, records }) => {
    let right = 0;
    let assumed = 0;
    for (const g of fields) {
        const want = new Set(g.delivery.map((d) => (d === 'helpline' ? 'phone' : d)));
        const got = new Set(predictedDelivery(records.get(g.id)));
        if (sameSet(want, got)) right++;
        if (want.size === 0 && got.has('in-person')) assumed++;
    }
    return [{ group: 'delivery', measure: 'set right (empty when the text does not say)', n: fields.length,
        correct: right, note: `${assumed} "in person" where the text does not say` }];
};

/** Schedule: nothing when none is stated; else the same days, and the same times where both give them. */
export const scoreSchedule: Scorer = ({ fields, records }) => {
    let right = 0;
    let stated = 0;
    let found = 0;
    for (const g of fields) {
        const got = whenOfRecord(records.get(g.id));
        if (g.schedule === null) {
            if (!got) right++;
            continue;
        }
        stated++;
        const want = whenOfGold(g.schedule);
        const days = want.days.size === 0 || (got !== undefined && sameSet(want.days, got.days));
        const times = want.times.size === 0 || (got !== undefined && [...want.times].every((t) => got.times.has(t)));
        if (got && days && times) {
            right++;
            found++;
        }
    }
    return [
        { group: 'schedule', measure: 'right (none when none is stated)', n: fields.length, correct: right },
        { group: 'schedule', measure: 'days and times found where stated', n: stated, correct: found },
    ];
};

/** Who it is for: said when the text states a limit, and not otherwise; ages right when labelled. */
export const scoreForWhom: Scorer = ({ fields, records }) => {
    let right = 0;
    let ages = 0;
    let agesRight = 0;
    for (const g of fields) {
        const r = records.get(g.id);
        const said = (r?.for_whom ?? []).filter((f) => f.kind !== 'audience');
        const has = said.length > 0 || (r?.for_whom === undefined && !!r?.eligibility_description);
        const want = g.forWhom !== null && (!Array.isArray(g.forWhom) || g.forWhom.length > 0);
        if (has === want) right++;
        const text = Array.isArray(g.forWhom) ? g.forWhom.join(' ') : g.forWhom ?? '';
        const numbers = [...text.matchAll(/\b(\d{1,2})\b/g)].map((m) => Number(m[1]));
        if (numbers.length > 0 && /\d/.test(text) && /age|\+|over|under|aged|\d\s*-\s*\d/i.test(text)) {
            ages++;
            const got = said.filter((f) => f.kind === 'age').flatMap((f) => [f.min_age, f.max_age])
                .filter((n): n is number => n !== undefined);
            if (numbers.every((n) => got.includes(n))) agesRight++;
        }
    }
    return [
        { group: 'forWhom', measure: 'said when stated, not otherwise', n: fields.length, correct: right },
        { group: 'forWhom', measure: 'ages right where labelled', n: ages, correct: agesRight },
    ];
};

/** Place: a place (venue, postcode, area or catchment) when the text names one, and not otherwise. */
export const scorePlace: Scorer = ({ fields, records }) => {
    let right = 0;
    for (const g of fields) {
        const r = records.get(g.id);
        const has = !!r?.location || !!r?.area_served || (r?.for_whom ?? []).some((f) => f.kind === 'catchment');
        if (has === (g.place !== null)) right++;
    }
    return [{ group: 'place', measure: 'said when the text names one, not otherwise', n: fields.length,
        correct: right }];
};

/** Each kb review flag the labels can judge: how often a raised flag is right (precision), and how many it finds. */
export const scoreReviewFlags: Scorer = ({ needs, records, today }) => {
    const judged: readonly [ReviewFlag, string, (g: NeedGold) => boolean][] = [
        ['not-a-service', 'isService false', (g) => !g.isService],
        ['seasonal-or-ended', 'seasonal true', (g) => g.seasonal],
        ['no-need', 'needs []', (g) => g.needs.length === 0],
    ];
    const rows: ScoreRow[] = [];
    for (const [flag, label, truth] of judged) {
        let raised = 0;
        let right = 0;
        let positives = 0;
        let found = 0;
        for (const g of needs) {
            const r = records.get(g.id);
            const flagged = r !== undefined && reviewRecord(r, { today }).some((f) => f.flag === flag);
            if (truth(g)) positives++;
            if (flagged) {
                raised++;
                if (truth(g)) right++;
            }
            if (flagged && truth(g)) found++;
        }
        rows.push({ group: 'kb review', measure: `${flag} precision (vs ${label})`, n: raised, correct: right,
            note: `finds ${found} of ${positives}` });
    }
    return rows;
};

/** The field groups, in table order. Add a group by adding its scorer here. */
export const SCORERS: readonly Scorer[] = [
    scorePhones, scoreEmails, scorePrice, scoreDelivery, scoreSchedule, scoreForWhom, scorePlace, scoreReviewFlags,
];

// ------------------------------------------------------------------------------------------ running

function readJsonl<T>(file: string): T[] {
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

/** The records to score: built from the feed with this importer, or read from a directory file. */
async function predicted(root: string, recordsFile: string | undefined, today: string): Promise<Map<string,
    ReviewRecord>> {
    if (recordsFile) {
        const json = JSON.parse(fs.readFileSync(recordsFile, 'utf8')) as { opportunities: ReviewRecord[] };
        return new Map(json.opportunities.map((o) => [o.id, o]));
    }
    const source = await readSource(path.join(root, FEED));
    const built = buildForReview(source.records, 'oruk', source.shape, reviewBuildContext(path.join(root,
        'knowledge'), today));
    return new Map(built.map((b) => [b.record.id, b.record]));
}

function pct(correct: number, n: number): string {
    return n === 0 ? '   -  ' : `${(100 * correct / n).toFixed(1).padStart(5)}%`;
}

/** Runs every scorer on the chosen split; prints the table (or JSON). */
async function main(): Promise<number> {
    const { values } = parseArgs({ options: {
        heldout: { type: 'boolean' }, all: { type: 'boolean' }, records: { type: 'string' }, json: { type: 'boolean' },
    } });
    const root = projectRoot();
    if (!values.records && !fs.existsSync(path.join(root, FEED))) {
        console.log(`${FEED} is missing (the shared data sits beside the project, not in it): nothing to measure.`);
        return 0;
    }
    const allNeeds = readJsonl<NeedGold>(path.join(root, GOLD, 'needs.jsonl'));
    const allFields = readJsonl<FieldGold>(path.join(root, GOLD, 'fields.jsonl'));
    if (allNeeds.length === 0 || allFields.length === 0) {
        console.log(`${GOLD}/fields.jsonl and needs.jsonl are needed: nothing to measure.`);
        return 0;
    }
    const split = values.all ? 'all' : values.heldout ? 'heldout' : 'dev';
    const splitOf = new Map(allNeeds.map((n) => [n.id, n.split]));
    const keep = (id: string): boolean => split === 'all' || splitOf.get(id) === split;
    const today = new Date().toISOString().slice(0, 10);
    const started = performance.now();
    const records = await predicted(root, values.records, today);
    const input: ScoreInput = {
        fields: allFields.filter((f) => keep(f.id)), needs: allNeeds.filter((n) => keep(n.id)), records, today,
    };
    const rows = SCORERS.flatMap((score) => score(input));
    if (values.json) {
        process.stdout.write(JSON.stringify({ split, fields: input.fields.length, needs: input.needs.length, rows },
            null, 2) + '\n');
        return 0;
    }
    console.log(`Import accuracy on the ${split} split: ${input.fields.length} field records, ${input.needs.length} `
        + `need records (${values.records ? `records from ${values.records}` : `built from ${FEED} by this importer`}, `
        + `${Math.round(performance.now() - started)} ms).`);
    let group = '';
    for (const row of rows) {
        if (row.group !== group) {
            group = row.group;
            console.log(`\n${group}`);
        }
        console.log(`  ${pct(row.correct, row.n)}  ${`${row.correct}/${row.n}`.padStart(7)}  ${row.measure}`
            + `${row.note ? `  (${row.note})` : ''}`);
    }
    // Need labels: the service labeller beside the residents' lexicon it replaced (evalImportNeeds.ts).
    if (!values.records) await printNeedLabels(path.join(root, FEED), path.join(root, GOLD, 'needs.jsonl'), split);
    return 0;
}

if (require.main === module) {
    main().then((code) => { process.exitCode = code; }, (error: unknown) => {
        console.error((error as Error).message);
        process.exitCode = 1;
    });
}
