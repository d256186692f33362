/**
 * `signpost kb review`: what a directory team should fix, record by record. Real feeds are mostly prose with no
 * contact, place or price, full of past winters' warm spaces, gigs and private businesses, and long past their
 * assured date; Signpost copes, but only the publisher can put the record right. This names, for each record, what
 * to fix and why, in words a curator can act on. It reads an imported knowledge folder, or a feed itself (a file, an
 * HSDS tabular folder, or a folder holding one), built in memory with the importer's own rules, so records the
 * importer would skip (no need found) are reviewed too. Nothing is written and no record is logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDirectory, DIRECTORY_FOLDER } from '../knowledge/directory';
import type { Opportunity } from '../knowledge/schema';
import { DEFAULTS } from '../matching/config';
import { projectRoot } from '../paths';
import { buildOpportunity } from './build';
import type { Built, BuildContext } from './build';
import { ImportError } from './errors';
import { MONTHS, notAService } from './notAService';
import { buildAll, contextFor } from './parallelBuild';
import type { BuildPlan } from './parallelBuild';
import { readHsdsService } from './hsds';
import { readOrukService } from './oruk';
import { readPrice } from './prose';
import { readSource } from './source';
import type { ImportFormat, SourceRecords } from './source';

/** What a curator may need to fix, in the order the report counts them. Ids are stable (`--json`). */
export const REVIEW_FLAGS = [
    'cannot-import', 'no-need', 'not-a-service', 'seasonal-or-ended', 'stale', 'no-contact', 'no-place',
    'cost-unclear', 'cost-contradictory',
] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

/** What each flag means, for the counts at the top of the text report. */
export const REVIEW_FLAG_LABELS: Readonly<Record<ReviewFlag, string>> = {
    'cannot-import': 'cannot be imported as it is (a required field is missing or wrong)',
    'no-need': 'no need found: neither a taxonomy term nor its words say what it helps with',
    'not-a-service': 'looks like a business or a one-off event rather than a service',
    'seasonal-or-ended': 'looks seasonal or ended: check it still runs',
    stale: `not checked for over ${DEFAULTS.staleAfterDays} days (the limit ranking uses)`,
    'no-contact': 'no way to contact: no phone, e-mail or web page of its own',
    'no-place': 'no place: no venue, postcode or area, and not only online or by phone',
    'cost-unclear': 'cost unclear: no price, or a charge without an amount',
    'cost-contradictory': 'cost contradictory: says free and gives a price',
};

/** One thing to fix in one record. */
export interface ReviewFinding {
    flag: ReviewFlag;
    detail: string;
}

/** A record as review reads it: an imported one, or the importer's draft of one it would skip. */
export type ReviewRecord = Partial<Omit<Opportunity, 'id' | 'name'>> & { id: string; name: string };

/** Per-run facts the checks need. */
export interface ReviewContext {
    /** Today as YYYY-MM-DD. */
    today: string;
    /** Web hosts shared by many records (a council's home page given for every service): not a contact. */
    sharedHosts?: ReadonlySet<string>;
    /** Faults that stop the record being imported, when reviewing a feed. */
    faults?: readonly { field: string; message: string }[];
}

/** One reviewed record. */
export interface ReviewItem {
    id: string;
    name: string;
    flags: ReviewFinding[];
}

/** The whole review: counts first, then the records with something to fix. `--json` prints this object. */
export interface Review {
    /** What was reviewed: a knowledge folder or a feed. */
    dir: string;
    kind: 'knowledge' | 'feed';
    /** The feed file or folder read, when a feed was reviewed. */
    source?: string;
    format?: ImportFormat;
    today: string;
    staleAfterDays: number;
    records: number;
    withFlags: number;
    counts: Record<ReviewFlag, number>;
    flags: { flag: ReviewFlag; label: string }[];
    items: ReviewItem[];
    elapsedMs: number;
}

// ------------------------------------------------------------------------------------------------ the checks

/**
 * Words of a time-limited item. Bare "Christmas", "winter" or "school holidays" are left out: a weekly group says it
 * closes over Christmas or meets indoors in winter, and that is no season.
 */
const SEASONAL = new RegExp('\\b(?:warm (?:spaces?|hubs?|banks?|rooms?|places?|havens?)|'
    + 'winter (?:warmth|fuel|coats?|programme|support scheme)|this winter|'
    + 'holiday (?:activit(?:y|ies)|club|scheme|programme|and food)|\\bhaf\\b|farewell (?:tour|concert|show|season)|'
    + 'temporary exhibition|on (?:set|selected|specific) dates|for (?:one|a) (?:day|night|week|weekend) only|'
    + 'limited run|(?:last|final) (?:chance|tour|show|performance|season))\\b', 'i');
/** Words of a season that make an item seasonal when they are in its name (in a description they are often asides). */
const SEASONAL_NAME = new RegExp('\\b(?:christmas|xmas|festive|santa|halloween|easter|summer (?:scheme|camp|club|fun)|'
    + 'bonfire|fireworks|pancake|remembrance|winter)\\b', 'i');
const ENDED = new RegExp('\\b(?:(?:has|have) (?:now )?(?:ended|closed|finished|ceased|stopped)|no longer (?:running|'
    + 'available|operating|taking place|meets?|runs?|open)|closed down|ceased (?:trading|operating|to)|'
    + 'is (?:now|currently|temporarily|permanently) closed|'
    + '(?:has been|have been|is|are|was|were) (?:now )?cancelled|postponed|on hold|(?:is|are|been) paused|'
    + '(?:is|are|been) suspended|temporarily closed|until further notice|final (?:session|meeting)|'
    + 'last (?:session|meeting) (?:was|will be))\\b', 'i');
/** An end date that has a month and a year ("until 31 March 2025", "ends in June 2024", "to 28 June 2025"). */
const DATED = new RegExp(
    `\\b(?:until|till|ends?|ending|ended|finish(?:es|ing)?|closing|runs? to|to|between .{1,30} and)`
    + `\\s+(?:on\\s+|in\\s+)?(?:\\d{1,2}(?:st|nd|rd|th)?\\s+)?(?:${MONTHS})\\s*,?\\s+(20\\d\\d)\\b`
    + '|\\b\\d{1,2}/\\d{1,2}/(20\\d\\d)\\b', 'gi');

/** Why a record looks seasonal or ended, or undefined. */
function seasonalOrEnded(name: string, text: string, today: string): string | undefined {
    const ended = ENDED.exec(text);
    if (ended) return `says "${ended[0]}"`;
    const year = Number(today.slice(0, 4));
    for (const m of text.matchAll(DATED)) {
        const said = Number(m[1] ?? m[2]);
        const before = text.slice(Math.max(0, m.index - 25), m.index);
        if (new RegExp('\\b(?:since|established|founded|formed|set up|started|began|launched|opened|est\\.?)\\s*(?:'
            + 'in\\s*)?$', 'i').test(before)) {
            continue;
        }
        if (said && said < year) return `names a date that has passed ("${m[0].trim()}")`;
    }
    const seasonal = SEASONAL_NAME.exec(name) ?? SEASONAL.exec(text);
    return seasonal ? `seasonal words ("${seasonal[0]}")` : undefined;
}

function hostOf(url: string | undefined): string | undefined {
    try {
        return url ? new URL(url).hostname.replace(/^www\./, '') : undefined;
    } catch {
        return undefined;
    }
}

/** A web page of the service's own: not the publisher's home page given for every record. */
function ownWebPage(record: ReviewRecord, shared: ReadonlySet<string>): boolean {
    return [record.url, record.organization?.url].some((url) => {
        const host = hostOf(url);
        if (!host || !url) return false;
        const homePage = /^https?:\/\/[^/]+\/?$/i.test(url);
        return !(shared.has(host) && homePage);
    });
}

/** Days between two YYYY-MM-DD dates. */
function daysBetween(from: string, to: string): number {
    return Math.floor((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** What to fix in one record, in REVIEW_FLAGS order. Pure. */
export function reviewRecord(record: ReviewRecord, ctx: ReviewContext): ReviewFinding[] {
    const found: ReviewFinding[] = [];
    const add = (flag: ReviewFlag, detail: string): void => { found.push({ flag, detail }); };
    // Records are plain text already (built by the importer, or checked knowledge files).
    const text = [record.name, record.description, record.schedule_note].filter(Boolean).join('. ');
    const faults = (ctx.faults ?? []).filter((f) => f.field !== 'needs');
    if (faults.length > 0) {
        add('cannot-import', faults.map((f) => `${f.field}: ${f.message}`).join('; '));
    }
    if ((record.needs ?? []).length === 0) {
        add('no-need', 'give it a taxonomy term, or say in its description what it helps with');
    }
    const business = notAService(record, text);
    if (business) add('not-a-service', business.detail);
    const seasonal = seasonalOrEnded(record.name, text, ctx.today);
    if (seasonal) add('seasonal-or-ended', seasonal);
    const modified = record.last_modified?.slice(0, 10);
    const assured = record.assured_date;
    const checked = modified && (!assured || modified > assured) ? modified : assured;
    if (!checked) {
        add('stale', 'no assured date or last change: nobody can tell when it was last checked');
    } else if (daysBetween(checked, ctx.today) > DEFAULTS.staleAfterDays) {
        add('stale', `last checked ${checked}, ${daysBetween(checked, ctx.today)} days ago`);
    }
    if (!record.phone && !record.email && !ownWebPage(record, ctx.sharedHosts ?? new Set())) {
        add('no-contact', 'add a phone number, an e-mail address or a web page of its own');
    }
    const attending = record.attending_type ?? [];
    const remoteOnly = attending.length > 0 && !attending.includes('in-person') && record.attending_unknown !== true;
    const catchment = (record.for_whom ?? []).some((f) => f.kind === 'catchment');
    const location = record.location;
    const placed = location?.postal_code !== undefined || location?.latitude !== undefined;
    if (!placed && !record.area_served && !remoteOnly && !catchment) {
        add('no-place', attending.includes('home-visit') ? 'say which area its home visits cover'
            : location?.name ? `add the postcode of ${location.name}`
                : 'add a venue with a postcode, or the area it covers');
    }
    const price = readPrice([{ field: 'description', text: record.description ?? '' }]);
    const prices = record.cost_options ?? [];
    const paid = prices.some((c) => c.amount > 0);
    if (price?.contradicts) {
        add('cost-contradictory', `says free and gives a price ("${price.span}")`);
    } else if (paid && price?.kind === 'free') {
        add('cost-contradictory',
            `the price fields give £${Math.max(...prices.map((c) => c.amount))} but the text says `
            + `free ("${price.span}")`);
    } else if (!paid && prices.length === 0 && record.cost_unknown !== true && price?.kind === 'amount') {
        add('cost-contradictory', `marked free but the text gives a price ("${price.span}")`);
    } else if (record.cost_unknown === true) {
        add('cost-unclear', price?.kind === 'charge' ? `mentions a charge without an amount ("${price.span}")`
            : 'no price given: say what it costs, or that it is free');
    }
    return found;
}

// ------------------------------------------------------------------------------------------------ reading

/** Hosts given as the web page of at least a fifth of the records (and at least 5): a publisher's own site. */
function sharedHosts(records: readonly ReviewRecord[]): Set<string> {
    const counts = new Map<string, number>();
    for (const r of records) {
        for (const host of new Set([hostOf(r.url), hostOf(r.organization?.url)])) {
            if (host) counts.set(host, (counts.get(host) ?? 0) + 1);
        }
    }
    const limit = Math.max(5, records.length / 5);
    return new Set([...counts].filter(([, n]) => n >= limit).map(([host]) => host));
}

/**
 * Each loaded record's flags by id (records with none left out), as `kb review` of a knowledge folder gives them: for
 * the workspace's curation queue, given to the app by src/index.ts so nothing at run time imports the importer.
 */
export function reviewFlagsOf(records: readonly ReviewRecord[], today: string): Map<string, ReviewFinding[]> {
    const shared = sharedHosts(records);
    const out = new Map<string, ReviewFinding[]>();
    for (const r of records) {
        const found = reviewRecord(r, { today, sharedHosts: shared });
        if (found.length) out.set(r.id, found);
    }
    return out;
}

/** Keys only one of the two standards uses, to tell an ORUK feed from an HSDS 3 one. */
const ORUK_KEYS = ['regular_schedules', 'eligibilitys', 'service_taxonomys', 'pc_targetAudience', 'pc_metadata',
    'deliverable_type'];
const HSDS_KEYS = ['schedules', 'attributes', 'languages', 'funding', 'program', 'service_areas', 'alert'];

/** The format a feed's records are in, from the keys they use. */
export function guessFormat(records: readonly unknown[]): ImportFormat {
    let oruk = 0;
    let hsds = 0;
    for (const r of records.slice(0, 50)) {
        const keys = Object.keys((r ?? {}) as object);
        if (keys.some((k) => ORUK_KEYS.includes(k))) oruk++;
        if (keys.some((k) => HSDS_KEYS.includes(k))) hsds++;
    }
    return hsds > oruk ? 'hsds' : 'oruk';
}

/** The feed in a path: the path itself (a file or a tabular folder), else a feed file in it or one folder down. */
async function findFeed(target: string): Promise<{ file: string; source: SourceRecords }> {
    const tried: string[] = [];
    const attempt = async (candidate: string): Promise<{ file: string; source: SourceRecords } | undefined> => {
        tried.push(candidate);
        try {
            const source = await readSource(candidate);
            return source.records.length > 0 ? { file: candidate, source } : undefined;
        } catch (error) {
            if (error instanceof ImportError) return undefined;
            throw error;
        }
    };
    const visit = async (dir: string, depth: number): Promise<{ file: string; source: SourceRecords } | undefined> => {
        if (fs.existsSync(path.join(dir, 'services.csv'))) return attempt(dir);
        const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
        // Service files first ("service_full.json" before "organization_full.json"), a location's last.
        const rank = (name: string): number => (/service/i.test(name) && !/location/i.test(name) ? 0 : 1);
        const files = entries.filter((e) => e.isFile() && /\.json$/i.test(e.name))
            .sort((a, b) => rank(a.name) - rank(b.name));
        for (const file of files) {
            const found = await attempt(path.join(dir, file.name));
            if (found) return found;
        }
        if (depth === 0) return undefined;
        for (const sub of entries.filter((e) => e.isDirectory())) {
            const found = await visit(path.join(dir, sub.name), depth - 1);
            if (found) return found;
        }
        return undefined;
    };
    const found = fs.statSync(target).isDirectory() ? await visit(target, 2) : await attempt(target);
    if (!found) {
        throw new ImportError('holds no directory feed Signpost can read (a JSON list of services, an HSDS tabular '
            + `folder) and no knowledge folder; looked at ${tried.length} file(s)`, target);
    }
    return found;
}

/** Options of a review. */
export interface ReviewOptions {
    today?: Date;
    /** The feed's format; guessed from its records when not given. */
    format?: ImportFormat;
    /** Where the shipped knowledge is (need taxonomy, taxonomy map, postcodes); default the project's. */
    shippedDir?: string;
    /** How many threads build a feed's records (as ImportOptions.threads); default as kb import chooses. */
    threads?: number;
}

function emptyCounts(): Record<ReviewFlag, number> {
    return Object.fromEntries(REVIEW_FLAGS.map((f) => [f, 0])) as Record<ReviewFlag, number>;
}

/** Reviews records already read: counts first, then the records with something to fix. */
export function reviewRecords(
    records: readonly { record: ReviewRecord; faults?: readonly { field: string; message: string }[] }[],
    today: string,
): Pick<Review, 'records' | 'withFlags' | 'counts' | 'flags' | 'items' | 'today' | 'staleAfterDays'> {
    const shared = sharedHosts(records.map((r) => r.record));
    const counts = emptyCounts();
    const items: ReviewItem[] = [];
    for (const { record, faults } of records) {
        const flags = reviewRecord(record, { today, sharedHosts: shared, ...(faults ? { faults } : {}) });
        flags.forEach((f) => { counts[f.flag]++; });
        if (flags.length > 0) items.push({ id: record.id, name: record.name, flags });
    }
    return {
        today, staleAfterDays: DEFAULTS.staleAfterDays, records: records.length, withFlags: items.length, counts,
        flags: REVIEW_FLAGS.map((flag) => ({ flag, label: REVIEW_FLAG_LABELS[flag] })), items,
    };
}

/** Builds a feed's records in memory with the importer's rules, keeping the draft of each it would skip. */
export function buildForReview(
    raw: readonly unknown[],
    format: ImportFormat,
    shape: SourceRecords['shape'],
    ctx: BuildContext,
): { record: ReviewRecord; faults?: { field: string; message: string }[] }[] {
    const read = shape === 'tabular' || format === 'hsds' ? readHsdsService : readOrukService;
    return reviewable(raw.map((r, index) => buildOpportunity(read(r), index, ctx)));
}

/** Built records as review reads them: a skipped one by its draft, and none that the feed says is not running. */
function reviewable(built: readonly Built[]): { record: ReviewRecord; faults?: { field: string; message: string }[] }[] {
    return built.map((b) => {
        if (b.ok) return { record: b.opportunity };
        const draft = (b.draft ?? {}) as Partial<ReviewRecord>;
        return {
            record: { ...draft, id: b.id, name: typeof draft.name === 'string' && draft.name ? draft.name : b.id },
            faults: b.faults,
        };
    }).filter((r) => !r.faults?.some((f) => f.field === 'status'));
}

/** What review builds records with: the shipped knowledge, the service labeller, no kinds of service. */
function reviewPlan(shippedDir: string, today: string, reader: BuildPlan['reader']): BuildPlan {
    // The needs `kb import` would give: read by the service labeller, as the importer does (the residents' lexicon
    // was slower and found needs import does not, so "no need found" missed records import leaves without one).
    return { supportDir: shippedDir, shippedDir, today, labeller: true, types: false, reader };
}

/** The importer's context for building records in memory from the shipped knowledge. */
export function reviewBuildContext(shippedDir: string, today: string): BuildContext {
    return contextFor(reviewPlan(shippedDir, today, 'oruk'));
}

/**
 * Reviews a knowledge folder (one with a directory/ folder) or a feed (a file, a tabular folder, or a folder that
 * holds one). @throws ImportError when there is neither.
 */
export async function reviewPath(target: string, options: ReviewOptions = {}): Promise<Review> {
    const started = performance.now();
    const today = (options.today ?? new Date()).toISOString().slice(0, 10);
    const shipped = options.shippedDir ?? path.join(projectRoot(), 'knowledge');
    if (!fs.existsSync(target)) {
        throw new ImportError('does not exist (give a knowledge folder, a feed file or a folder holding one)', target);
    }
    if (fs.statSync(target).isDirectory() && fs.existsSync(path.join(target, DIRECTORY_FOLDER))) {
        const checked = checkDirectory(target);
        const review = reviewRecords(checked.opportunities.map((record) => ({ record })), today);
        return { dir: target, kind: 'knowledge', ...review, elapsedMs: Math.round(performance.now() - started) };
    }
    const { file, source } = await findFeed(target);
    const format = options.format ?? (source.shape === 'tabular' ? 'hsds' : guessFormat(source.records));
    const plan = reviewPlan(shipped, today, source.shape === 'tabular' || format === 'hsds' ? 'hsds' : 'oruk');
    // Built on every core for a large feed, as kb import does (parallelBuild.ts).
    const built = reviewable((await buildAll(source.records, plan, contextFor(plan), options.threads)).built);
    const review = reviewRecords(built, today);
    return {
        dir: target, kind: 'feed', source: file, format, ...review, elapsedMs: Math.round(performance.now() - started),
    };
}

/** The review as text: what was read, the counts per flag, then each record with what to fix. */
export function formatReview(review: Review): string {
    const lines = [
        `${review.kind === 'feed' ? `feed ${review.source ?? review.dir} (format ${review.format ?? '?'})`
            : `knowledge folder ${review.dir}`}: ${review.records} records, ${review.withFlags} with something to fix`,
        '',
        'counts:',
    ];
    for (const { flag, label } of review.flags) {
        lines.push(`  ${String(review.counts[flag]).padStart(6)}  ${flag.padEnd(19)} ${label}`);
    }
    lines.push('', 'records:');
    for (const item of review.items) {
        lines.push(`  ${item.id}  ${item.name}`);
        for (const f of item.flags) lines.push(`      ${f.flag}: ${f.detail}`);
    }
    return lines.join('\n') + '\n';
}
