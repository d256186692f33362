/**
 * The wording in other languages: one folder per locale under knowledge/locales/ (`cy/wording.json`,
 * `pl/wording.json`), each a translation of knowledge/wording.json key by key. A third language is a new folder and
 * a test run, not code. What a locale leaves out, or words with other placeholders than the English, falls back to
 * the English sentence, so a council's own edits to the English keep working: `signpost kb locales` says which keys
 * are missing or were translated from English that has changed since (each locale records a short fingerprint of
 * the English it was translated from).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError, type KnowledgeFault } from './faults';

/** The folder of the locales, under the knowledge folder. */
export const LOCALES_DIR = 'locales';
/** The one file of a locale's folder. */
export const LOCALE_WORDING_FILE = 'wording.json';

/** The leaves of a wording file: a sentence, or a list of words or phrases. */
type Leaf = string | string[];

/** A locale's wording file: who it is for, whether a fluent speaker checked it, and the translated sections. */
export const localeFileSchema = z.object({
    about: z.string().optional(),
    locale: z.string().regex(/^[a-z]{2,3}$/).describe('ISO 639-1 code, the same as the folder name'),
    name: z.string().min(1).max(40).describe('The language\'s name in English ("Welsh")'),
    nativeName: z.string().min(1).max(40).describe('The language\'s name in itself ("Cymraeg"), shown on its button'),
    reviewed: z.boolean().describe('Whether a fluent speaker has checked every sentence: must be true before going live'),
    reviewedBy: z.string().min(1).optional(),
    reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    choose: z.array(z.string().min(1).max(40)).min(1)
        .describe('What a resident types to choose this language ("Cymraeg", "Welsh"), matched on the whole message'),
    translatedFrom: z.record(z.string(), z.string().regex(/^[0-9a-f]{8}$/)).default({})
        .describe('Per key, a fingerprint of the English it was translated from (signpost kb locales --stamp)'),
    crisisRoutes: z.record(z.string(), z.object({ name: z.string().min(1).max(120), how: z.string().min(1).max(400) })
        .strict()).default({}).describe('The crisis routes of crisis.json, by route id: their name and how to reach them'),
    crisisHelping: z.object({
        intro: z.string().min(1).max(400), lines: z.array(z.string().min(1).max(400)).min(1),
        childLine: z.string().min(1).max(400),
    }).strict().optional().describe('The words for a helper when a crisis is about someone else (crisis.json helping)'),
    needs: z.record(z.string(), z.object({ ask: z.string().min(1).max(80), reflect: z.string().min(1).max(80) })
        .strict()).default({})
        .describe('The needs of needs.json, by id: the label in a list (askLabel) and the words after "help with" (reflect)'),
}).passthrough();
/** A locale's file as loaded: the sections are checked against the English, key by key, when merged. */
export type LocaleFile = z.output<typeof localeFileSchema> & Record<string, unknown>;

/** The sections of the wording file a locale translates. */
export const WORDING_SECTIONS = [
    'text', 'buttons', 'commands', 'answers', 'why', 'whySentence', 'wishes', 'preferences', 'page', 'interpreter',
] as const;

/** Every leaf of a wording file by its dotted key ("text.welcome", "why.access.wheelchair", "why.months"). */
export function flatten(file: Record<string, unknown>): Map<string, Leaf> {
    const out = new Map<string, Leaf>();
    const walk = (value: unknown, key: string): void => {
        if (typeof value === 'string') out.set(key, value);
        else if (Array.isArray(value)) out.set(key, value.filter((v): v is string => typeof v === 'string'));
        else if (value && typeof value === 'object') {
            for (const [k, v] of Object.entries(value)) walk(v, `${key}.${k}`);
        }
    };
    for (const section of WORDING_SECTIONS) walk(file[section], section);
    return out;
}

/** The {names} a sentence needs filled in, sorted. */
export function placeholders(text: string): string[] {
    return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}

/** A short fingerprint of an English leaf, recorded with its translation so a later change to the English shows. */
export function fingerprint(leaf: Leaf): string {
    return createHash('sha256').update(JSON.stringify(leaf)).digest('hex').slice(0, 8);
}

/** How well a locale covers the English, key by key: for `signpost kb locales` and the locale test. */
export interface LocaleCoverage {
    locale: string;
    reviewed: boolean;
    /** English keys. */
    total: number;
    /** Keys the locale translates and the bot uses. */
    translated: number;
    /** English keys the locale does not have (said in English). */
    missing: string[];
    /** Keys whose placeholders differ from the English (said in English). */
    placeholderMismatch: string[];
    /** Keys whose English changed since they were translated (still used: check them). */
    stale: string[];
    /** Keys the locale has that the English has not: ignored, ready for an English that has them. */
    extra: string[];
}

/**
 * The English wording with the locale's translation laid over it: a leaf is taken from the locale when the locale
 * has it, of the same kind (a sentence or a list), with the same placeholders; otherwise the English stays.
 */
export function mergeLocale(english: Record<string, unknown>, locale: LocaleFile): {
    merged: Record<string, unknown>; coverage: LocaleCoverage;
} {
    const en = flatten(english);
    const theirs = flatten(locale);
    const merged = structuredClone(english);
    const coverage: LocaleCoverage = {
        locale: locale.locale, reviewed: locale.reviewed, total: en.size, translated: 0, missing: [],
        placeholderMismatch: [], stale: [], extra: [...theirs.keys()].filter((k) => !en.has(k)),
    };
    for (const [key, englishLeaf] of en) {
        const leaf = theirs.get(key);
        if (leaf === undefined || typeof leaf !== typeof englishLeaf || Array.isArray(leaf) !== Array.isArray(englishLeaf)
            || (Array.isArray(leaf) && !leaf.length)) {
            coverage.missing.push(key);
            continue;
        }
        if (typeof leaf === 'string' && placeholders(leaf).join() !== placeholders(englishLeaf as string).join()) {
            coverage.placeholderMismatch.push(key);
            continue;
        }
        if (locale.translatedFrom[key] !== fingerprint(englishLeaf)) coverage.stale.push(key);
        coverage.translated += 1;
        setPath(merged, key, leaf);
    }
    return { merged, coverage };
}

function setPath(target: Record<string, unknown>, key: string, value: Leaf): void {
    const parts = key.split('.');
    let at = target;
    for (const part of parts.slice(0, -1)) at = at[part] as Record<string, unknown>;
    at[parts.at(-1) as string] = value;
}

/** The locale folders under the knowledge folder, by code; none when there is no locales folder. */
export function localeCodes(knowledgeDir: string): string[] {
    const dir = path.join(knowledgeDir, LOCALES_DIR);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, LOCALE_WORDING_FILE)))
        .map((d) => d.name).sort();
}

/** Reads and checks every locale's file; throws KnowledgeError naming file and field. */
export function loadLocaleFiles(knowledgeDir: string): LocaleFile[] {
    const faults: KnowledgeFault[] = [];
    const files: LocaleFile[] = [];
    for (const code of localeCodes(knowledgeDir)) {
        const file = `${LOCALES_DIR}/${code}/${LOCALE_WORDING_FILE}`;
        let raw: unknown;
        try {
            raw = JSON.parse(fs.readFileSync(path.join(knowledgeDir, file), 'utf8'));
        } catch (err) {
            faults.push({ file, message: `cannot be read as JSON (${(err as Error).message})` });
            continue;
        }
        const parsed = localeFileSchema.safeParse(raw);
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, { file }));
            continue;
        }
        if (parsed.data.locale !== code) {
            faults.push({ file, field: 'locale', message: `should be "${code}", the folder's name` });
            continue;
        }
        files.push(parsed.data as LocaleFile);
    }
    if (faults.length) throw new KnowledgeError(faults);
    return files;
}

/**
 * Records, for every key the locale translates, the fingerprint of today's English: run after a translator has
 * brought the locale up to date with the English, so `kb locales` stops calling those keys stale.
 */
export function stampLocale(knowledgeDir: string, english: Record<string, unknown>, code: string): number {
    const file = path.join(knowledgeDir, LOCALES_DIR, code, LOCALE_WORDING_FILE);
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as LocaleFile;
    const en = flatten(english);
    const theirs = flatten(raw);
    const stamps: Record<string, string> = {};
    for (const [key, leaf] of en) if (theirs.has(key)) stamps[key] = fingerprint(leaf);
    raw.translatedFrom = stamps;
    fs.writeFileSync(file, `${JSON.stringify(raw, null, 4)}\n`);
    return Object.keys(stamps).length;
}
