/**
 * `signpost kb validate|stats|import|review|locales`: check a knowledge folder, count what it holds, import a
 * directory feed, list what a directory team should fix in each record, or say how well each language's wording
 * covers the English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledge, type Knowledge } from '../knowledge';
import { KnowledgeError, formatFaults } from '../knowledge/faults';
import { loadLocaleFiles, mergeLocale, stampLocale, type LocaleCoverage } from '../knowledge/locales';
import { importDirectory } from '../import/importer';
import { formatReport } from '../import/report';
import { formatReview, reviewPath } from '../import/review';
import { IMPORT_FORMATS, type ImportFormat } from '../import/source';
import { DEFAULTS } from '../matching/config';
import { parsePostcode } from '../matching/postcode';
import { projectRoot } from '../paths';
import { UsageError, type CommandResult } from './usage';

/** A listing not checked for this many days is stale: the same rule the ranking uses. */
const STALE_DAYS = DEFAULTS.staleAfterDays;

/** Runs a parseArgs call, turning its complaints into usage errors (exit 2). */
function usage<T>(parse: () => T): T {
    try {
        return parse();
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
}

export async function kbCommand(args: string[]): Promise<CommandResult> {
    const [sub, ...rest] = args;
    switch (sub) {
        case 'validate': {
            const { positionals } = usage(() => parseArgs({ args: rest, allowPositionals: true, strict: true }));
            return validate(folderOf(sub, positionals));
        }
        case 'stats': {
            const { values, positionals } = usage(() => parseArgs({
                args: rest, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } },
            }));
            const summary = stats(loadKnowledge(folderOf(sub, positionals)));
            process.stdout.write(values.json ? JSON.stringify(summary, null, 2) + '\n' : formatStats(summary));
            return 0;
        }
        case 'import':
            return importCommand(rest);
        case 'review':
            return reviewCommand(rest);
        case 'locales':
            return localesCommand(rest);
        default:
            throw new UsageError(`unknown kb command "${sub ?? ''}"`);
    }
}

function folderOf(sub: string, positionals: string[]): string {
    const [dirArg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`kb ${sub}: unexpected "${extra.join(' ')}"`);
    return path.resolve(dirArg ?? path.join(projectRoot(), 'knowledge'));
}

function validate(dir: string): CommandResult {
    try {
        const k = loadKnowledge(dir);
        process.stdout.write(`${dir}: valid. ${k.opportunities.length} opportunities, `
            + `${k.taxonomy.needs.length} needs, ${k.places.places.length} places, `
            + `${k.places.outcodes.size} postcode districts.\n`);
        // Not faults (the English stands in): what a translator or reviewer should look at.
        for (const c of localeCoverage(dir)) {
            const warnings = coverageWarnings(c);
            if (warnings.length) process.stdout.write(`warning: ${warnings.join('; ')}\n`);
        }
        return 0;
    } catch (err) {
        if (!(err instanceof KnowledgeError)) throw err;
        process.stdout.write(`${dir}: ${err.faults.length} fault(s)\n${formatFaults(err.faults)}\n`);
        return 1;
    }
}

/** How each locale of a knowledge folder covers its English wording (knowledge/locales). */
export function localeCoverage(dir: string): LocaleCoverage[] {
    const english = JSON.parse(fs.readFileSync(path.join(dir, 'wording.json'), 'utf8')) as Record<string, unknown>;
    return loadLocaleFiles(dir).map((l) => mergeLocale(english, l).coverage);
}

/** What needs a person's attention in a locale, in short sentences; none when it is complete and reviewed. */
export function coverageWarnings(c: LocaleCoverage): string[] {
    const keys = (list: string[]) => `${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
    const out: string[] = [];
    if (!c.reviewed) out.push(`${c.locale} has not been reviewed by a fluent speaker (reviewed: false)`);
    if (c.missing.length) out.push(`${c.locale} has no translation of ${keys(c.missing)} (said in English)`);
    if (c.placeholderMismatch.length) {
        out.push(`${c.locale} has other {placeholders} than the English in ${keys(c.placeholderMismatch)} (said in English)`);
    }
    if (c.stale.length) out.push(`${c.locale}: the English of ${keys(c.stale)} changed since it was translated`);
    return out;
}

/** `kb locales [DIR] [--stamp CODE] [--json]`: each locale's coverage; --stamp records today's English as translated. */
function localesCommand(args: string[]): CommandResult {
    const { values, positionals } = usage(() => parseArgs({
        args, allowPositionals: true, strict: true, options: { stamp: { type: 'string' }, json: { type: 'boolean' } },
    }));
    const dir = folderOf('locales', positionals);
    if (values.stamp) {
        const english = JSON.parse(fs.readFileSync(path.join(dir, 'wording.json'), 'utf8')) as Record<string, unknown>;
        const n = stampLocale(dir, english, values.stamp);
        process.stdout.write(`${values.stamp}: ${n} keys recorded as translated from today's English.\n`);
        return 0;
    }
    const coverage = localeCoverage(dir);
    if (values.json) {
        process.stdout.write(JSON.stringify(coverage, null, 2) + '\n');
    } else {
        for (const c of coverage) {
            process.stdout.write(`${c.locale}: ${c.translated} of ${c.total} keys translated, `
                + `${c.reviewed ? 'reviewed' : 'NOT reviewed by a fluent speaker'}\n`);
            for (const w of coverageWarnings(c).filter((x) => !x.includes('reviewed'))) process.stdout.write(`  ${w}\n`);
        }
    }
    return coverage.some((c) => c.missing.length || c.placeholderMismatch.length || c.stale.length) ? 1 : 0;
}

/** `kb import SOURCE --format oruk|hsds --out DIR [--name NAME] [--licence TEXT] [--json]`. */
async function importCommand(args: string[]): Promise<CommandResult> {
    const { values, positionals } = usage(() => parseArgs({
        args,
        allowPositionals: true,
        strict: true,
        options: {
            format: { type: 'string' },
            out: { type: 'string' },
            name: { type: 'string' },
            licence: { type: 'string' },
            json: { type: 'boolean' },
        },
    }));
    const [source, ...extra] = positionals;
    if (!source) throw new UsageError('kb import needs a SOURCE: a file, an HSDS tabular folder or an http(s) URL');
    if (extra.length) throw new UsageError(`kb import: unexpected "${extra.join(' ')}"`);
    if (!IMPORT_FORMATS.includes(values.format as ImportFormat)) {
        throw new UsageError(`kb import needs --format ${IMPORT_FORMATS.join('|')}`);
    }
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('kb import needs --out DIR');
    const report = await importDirectory({
        source,
        format: values.format as ImportFormat,
        outDir: path.resolve(values.out),
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(typeof values.licence === 'string' ? { licence: values.licence } : {}),
        fetch: {
            onRetry: (info) => {
                process.stderr.write(`retrying ${info.url} (attempt ${info.attempt + 1}): ${info.reason}\n`);
            },
        },
    });
    process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
    // Only nothing usable is a failure: a feed with some bad records is normal, and the report names them.
    return report.written ? 0 : 1;
}

/** `kb review [DIR] [--format oruk|hsds] [--json]`: DIR is a knowledge folder, a feed, or a folder holding one. */
async function reviewCommand(args: string[]): Promise<CommandResult> {
    const { values, positionals } = usage(() => parseArgs({
        args, allowPositionals: true, strict: true,
        options: { json: { type: 'boolean' }, format: { type: 'string' } },
    }));
    if (values.format !== undefined && !IMPORT_FORMATS.includes(values.format as ImportFormat)) {
        throw new UsageError(`kb review: --format is ${IMPORT_FORMATS.join('|')}`);
    }
    const review = await reviewPath(folderOf('review', positionals),
        values.format ? { format: values.format as ImportFormat } : {});
    process.stdout.write(values.json ? JSON.stringify(review, null, 2) + '\n' : formatReview(review));
    return 0;
}

/** What `kb stats` counts. `--json` prints this object. */
export interface KbStats {
    dir: string;
    opportunities: number;
    perNeed: Record<string, number>;
    /** How needs were given: by the importer from taxonomy terms or text, or by hand; `none`: no need found. */
    needSources: { taxonomy: number; text: number; hand: number; none: number };
    perPlace: Record<string, number>;
    staleAfterDays: number;
    /** Oldest first. */
    stale: { id: string; name: string; assured_date: string; last_modified?: string }[];
}

/** Where a listing is, for counting: its town, else its postcode district, its area, or how it is reached. */
function placeOf(o: Knowledge['opportunities'][number]): string {
    const city = o.location?.city;
    if (city) return city;
    const district = o.location?.postal_code ? parsePostcode(o.location.postal_code)?.outcode : undefined;
    if (district) return district;
    if (o.area_served) return `area: ${o.area_served}`;
    return o.attending_type.includes('in-person') ? 'unknown' : 'online or phone';
}

/** Counts per need and per place, and the stale listings. Pure given `today`. */
export function stats(k: Knowledge, today = new Date()): KbStats {
    const perNeed: Record<string, number> = Object.fromEntries(k.taxonomy.needs.map((n) => [n.id, 0]));
    const perPlace = new Map<string, number>();
    const needSources = { taxonomy: 0, text: 0, hand: 0, none: 0 };
    const stale: KbStats['stale'] = [];
    for (const o of k.opportunities) {
        for (const id of o.needs) perNeed[id] = (perNeed[id] ?? 0) + 1;
        needSources[o.needs.length === 0 ? 'none' : o.need_reasons?.[0]?.source ?? 'hand']++;
        const place = placeOf(o);
        perPlace.set(place, (perPlace.get(place) ?? 0) + 1);
        // The freshest of the two dates counts: a record changed at source since it was assured was looked at.
        const modified = o.last_modified?.slice(0, 10);
        const checked = modified && modified > o.assured_date ? modified : o.assured_date;
        if (today.getTime() - Date.parse(`${checked}T00:00:00Z`) > STALE_DAYS * 86_400_000) {
            stale.push({ id: o.id, name: o.name, assured_date: o.assured_date,
                ...(o.last_modified ? { last_modified: o.last_modified } : {}) });
        }
    }
    stale.sort((a, b) => a.assured_date.localeCompare(b.assured_date) || a.id.localeCompare(b.id));
    return {
        dir: k.dir,
        opportunities: k.opportunities.length,
        perNeed,
        needSources,
        perPlace: Object.fromEntries([...perPlace].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
        staleAfterDays: STALE_DAYS,
        stale,
    };
}

function formatStats(s: KbStats): string {
    const lines = [`${s.opportunities} opportunities`, '', 'per need:'];
    for (const [id, n] of Object.entries(s.perNeed)) {
        lines.push(`  ${id.padEnd(20)} ${n}${n === 0 ? '  <- nothing listed' : ''}`);
    }
    const { taxonomy, text, hand, none } = s.needSources;
    lines.push(`  (needs from taxonomy terms: ${taxonomy}, from the listing's words: ${text}, by hand: ${hand}; `
        + `no need found, found by their words only: ${none})`);
    lines.push('', 'per place:');
    for (const [place, n] of Object.entries(s.perPlace)) lines.push(`  ${place.padEnd(20)} ${n}`);
    lines.push('', `not checked for over a year: ${s.stale.length}`);
    for (const o of s.stale) lines.push(`  ${o.assured_date}  ${o.id}  ${o.name}`);
    return lines.join('\n') + '\n';
}
