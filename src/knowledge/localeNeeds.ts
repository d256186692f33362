/**
 * The needs lexicons of the other languages Signpost holds conversations in: one file per locale,
 * `knowledge/locales/<code>/needs.json`, beside that locale's wording. Each lists, per need id of
 * knowledge/needs.json, the words, phrases and patterns a resident writing in that language uses, and says how the
 * language's words change (endings to strip, initial mutations to undo), so that a third language is a folder of
 * files and a test run, not code. Validated here at start-up like every knowledge file: a need id that is not in
 * the taxonomy, or a pattern that does not compile, stops the bot from starting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError, type KnowledgeFault } from './faults';
import { projectRoot } from '../paths';

/** The folder of the locales, under the knowledge folder (shared with the locales' wording). */
export const LOCALE_NEEDS_DIR = 'locales';
/** A locale's needs lexicon, inside its folder. */
export const LOCALE_NEEDS_FILE = 'needs.json';

const weight = z.number().gt(0).max(1);

/** A word or phrase: a plain string, or `{ "text": ..., "weight": ... }` when it counts for more or less. */
const entrySchema = z.preprocess((v) => (typeof v === 'string' ? { text: v } : v), z.object({
    text: z.string().trim().min(1).max(80)
        .describe('Words as residents type them, diacritics optional; a word ending in * matches any ending'),
    weight: weight.optional().describe('How strongly this alone suggests the need, 0..1; default from defaultWeights'),
}).strict());

/** A regular expression over the folded text (lower case, no diacritics, one space between words). */
const patternSchema = z.preprocess((v) => (typeof v === 'string' ? { pattern: v } : v), z.object({
    pattern: z.string().min(1).max(1000),
    weight: weight.optional(),
    note: z.string().max(300).optional(),
}).strict());

const needLexiconSchema = z.object({
    terms: z.array(entrySchema).default([]).describe('Single words (a trailing * matches any ending)'),
    phrases: z.array(entrySchema).default([]).describe('Several words in a row, each matched like a term'),
    patterns: z.array(patternSchema).default([]).describe('Regular expressions for what words in a row cannot say'),
}).strict();

/** One locale's needs lexicon as written in knowledge/locales/<code>/needs.json. */
export const localeNeedsFileSchema = z.object({
    about: z.string().optional(),
    locale: z.string().regex(/^[a-z]{2,3}$/).describe('ISO 639-1 code, the same as the folder name'),
    reviewed: z.boolean().describe('Whether a fluent speaker has checked the words: must be true before going live'),
    reviewedBy: z.string().min(1).optional(),
    reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    defaultWeights: z.object({ term: weight, phrase: weight, pattern: weight }).strict()
        .default({ term: 0.8, phrase: 0.85, pattern: 0.85 }),
    words: z.object({
        suffixes: z.array(z.string().regex(/^[a-z]+$/)).default([])
            .describe('Endings stripped before comparing words (folded, no diacritics), longest first'),
        minStem: z.number().int().min(2).max(10).default(4).describe('Letters an ending may never cut below'),
        mutations: z.array(z.tuple([z.string().regex(/^[a-z]*$/), z.string().regex(/^[a-z]*$/)])).default([])
            .describe('Initial letters as typed and the letters they may stand for (Welsh "ngh" for "c")'),
        typoMinLength: z.number().int().min(3).max(20).default(5)
            .describe('Words this long or longer that match nothing are compared within one typo of the lexicon'),
        notTypos: z.array(z.string().regex(/^[a-z]+\*?$/)).default([])
            .describe('Real words one typo from a lexicon word that must never be read as it (with *: every word'
                + ' it begins)'),
    }).strict().default({ suffixes: [], minStem: 4, mutations: [], typoMinLength: 5, notTypos: [] }),
    needs: z.record(z.string(), needLexiconSchema).describe('Per need id of knowledge/needs.json, its lexicon'),
}).strict().refine((f) => !f.reviewed || (f.reviewedBy !== undefined && f.reviewedOn !== undefined), {
    message: 'a reviewed file says who reviewed it (reviewedBy) and when (reviewedOn)',
});
/** One locale's needs lexicon, as loaded and validated. */
export type LocaleNeedsFile = z.output<typeof localeNeedsFileSchema>;

/**
 * Reads every locales/<code>/needs.json of a knowledge folder and checks each against the taxonomy's need ids;
 * throws KnowledgeError listing every fault. A folder without locales/ gets the shipped ones (as for the crisis
 * rules of knowledge/languages), less any need its own taxonomy does not have: a council's folder need not copy
 * them to be understood in Welsh and Polish.
 */
export function loadLocaleNeeds(knowledgeDir: string, needIds: readonly string[]): LocaleNeedsFile[] {
    const own = path.join(knowledgeDir, LOCALE_NEEDS_DIR);
    const shipped = path.join(projectRoot(), 'knowledge', LOCALE_NEEDS_DIR);
    const dir = fs.existsSync(own) ? own : shipped;
    if (!fs.existsSync(dir)) return [];
    const strict = dir === own;
    const faults: KnowledgeFault[] = [];
    const files: LocaleNeedsFile[] = [];
    const folders = fs.readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, LOCALE_NEEDS_FILE)))
        .map((d) => d.name).sort();
    for (const code of folders) {
        const file = `${LOCALE_NEEDS_DIR}/${code}/${LOCALE_NEEDS_FILE}`;
        let raw: unknown;
        try {
            raw = JSON.parse(fs.readFileSync(path.join(dir, code, LOCALE_NEEDS_FILE), 'utf8'));
        } catch (err) {
            faults.push({ file, message: `cannot be read as JSON (${(err as Error).message})` });
            continue;
        }
        const parsed = localeNeedsFileSchema.safeParse(raw);
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, { file }));
            continue;
        }
        const data = parsed.data;
        if (data.locale !== code) faults.push({ file, field: 'locale', message: 'should be the folder name' });
        for (const [id, lexicon] of Object.entries(data.needs)) {
            if (!needIds.includes(id)) {
                if (strict) faults.push({ file, field: `needs.${id}`, message: 'is not a need id of needs.json' });
                delete data.needs[id];
                continue;
            }
            lexicon.patterns.forEach((p, i) => {
                try {
                    new RegExp(p.pattern, 'g');
                } catch (error) {
                    faults.push({ file, field: `needs.${id}.patterns.${i}`,
                        message: `is not a regular expression that works (${(error as Error).message})` });
                }
            });
        }
        files.push(data);
    }
    if (faults.length) throw new KnowledgeError(faults);
    return files;
}
