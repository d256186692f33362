/**
 * The need taxonomy (`knowledge/needs.json`) and the crisis rules (`knowledge/crisis.json`): their schemas, and
 * loaders that read, validate and check that every pattern compiles. A fault names the file, the record (need id,
 * crisis kind or route id) and the field, so a content editor can find it.
 *
 * Patterns are regular expressions matched against the canonical text of src/matching/text.ts: lower case, straight
 * apostrophes, hyphens as spaces, negations written short ("don't", "can't", "i'm"). A pattern may use `{name}` to
 * include a fragment defined once at the top of its file (say, every word for a relative).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError, valueLines } from './faults';
import type { KnowledgeFault } from './faults';

/** The file names inside a knowledge directory. */
export const NEEDS_FILE = 'needs.json';
export const CRISIS_FILE = 'crisis.json';

const needId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a need id in lower case with hyphens');
const weight = z.number().gt(0).max(1);
const fragmentName = /^[a-z][a-zA-Z0-9]*$/;

/** A lexicon entry: a plain string, or `{ "text": ..., "weight": ... }` when it counts for more or less. */
const lexiconEntrySchema = z.preprocess((v) => (typeof v === 'string' ? { text: v } : v), z.object({
    text: z.string().trim().min(1).max(80).describe('The word or words, as residents would type them'),
    weight: weight.optional().describe('How strongly this alone suggests the need, 0..1; default from defaultWeights'),
}).strict());

/** A pattern entry: a plain regular-expression string, or an object with a weight and a note on why it is there. */
const patternEntrySchema = z.preprocess((v) => (typeof v === 'string' ? { pattern: v } : v), z.object({
    pattern: z.string().min(1).max(1000).describe('A regular expression over the canonical text; may use {fragment}'),
    weight: weight.optional().describe('How strongly a match suggests the need, 0..1; default from defaultWeights'),
    note: z.string().max(300).optional().describe('Why the pattern is here, for the next editor'),
    keepsWords: z.boolean().optional()
        .describe('Needs only: true when the pattern just adds a related need, so its words still count as terms'),
}).strict());

/** One need of the taxonomy, with its lexicon. */
export const needDefinitionSchema = z.object({
    id: needId.describe('Stable need id from shared/spec/needs.json'),
    label: z.string().min(2).max(80).describe('The category name from the spec ("Loneliness and meeting people")'),
    askLabel: z.string().min(2).max(60)
        .describe('Short plain words a resident picks from a list ("Feeling lonely or wanting company")'),
    reflect: z.string().min(2).max(80)
        .describe('Words for "It sounds like you\'d like help with ___" ("feeling lonely and meeting people")'),
    reflectThem: z.string().min(2).max(80).optional()
        .describe('The same words about someone else, when they differ ("their housing"): "It sounds like your mum'
            + ' would like help with ___" (issue 18)'),
    covers: z.string().max(400).optional().describe('What the category includes, from the spec'),
    terms: z.array(lexiconEntrySchema).default([])
        .describe('Single words (UK spelling and slang welcome), matched on their stem and after spelling correction'),
    phrases: z.array(lexiconEntrySchema).default([])
        .describe('Several words in a row, matched on their stems ("men\'s shed", "no mates")'),
    patterns: z.array(patternEntrySchema).default([])
        .describe('Regular expressions for indirect statements ("house is so quiet"); they carry their own negation'),
}).strict();
/** One need as loaded. */
export type NeedDefinition = z.output<typeof needDefinitionSchema>;

const defaultWeightsSchema = z.object({
    term: weight.describe('Weight of a term that gives none'),
    phrase: weight.describe('Weight of a phrase that gives none'),
    pattern: weight.describe('Weight of a pattern that gives none'),
}).strict();

const needsFileSchema = z.object({
    about: z.string().describe('What this file is'),
    source: z.string().describe('Where the words came from and their licences'),
    defaultWeights: defaultWeightsSchema.default({ term: 0.8, phrase: 0.85, pattern: 0.85 })
        .describe('Weights for entries that give none'),
    fragments: z.record(z.string().regex(fragmentName, 'a fragment name of letters and digits'), z.string().min(1))
        .default({}).describe('Regular-expression pieces that patterns include as {name}'),
    notTypos: z.array(z.string().regex(/^[a-z']+$/, 'one lower-case word')).default([])
        .describe('Real words that sit close to a lexicon word and must never be spelling-corrected into it'),
    needs: z.array(z.unknown()).min(1).describe('Need records, each validated on its own so faults name the need'),
    asFirstPerson: z.array(z.object({
        from: z.string().min(1).max(300).describe('A regular expression over the canonical text'),
        to: z.string().max(40).describe('What it is read as'),
        note: z.string().max(300).optional(),
    }).strict()).default([]).describe('Words about someone else read as if the writer said them of themselves, before'
        + ' the needs are looked for ("my dad is on his own" as "on my own"; issue 18): the lexicon is written in the'
        + ' first person, and a message for someone else names the same needs'),
}).strict();

/** The need taxonomy as loaded and validated. */
export interface NeedTaxonomy {
    about: string;
    source: string;
    defaultWeights: { term: number; phrase: number; pattern: number };
    fragments: Record<string, string>;
    notTypos: string[];
    needs: NeedDefinition[];
    /** Rewrites of the third person as the first, in order, before detection (issue 18). */
    asFirstPerson?: { from: string; to: string; note?: string }[];
}

/** Someone a resident in crisis can contact, and how. */
export const crisisRouteSchema = z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id in lower case with hyphens').describe('Stable route id'),
    name: z.string().min(2).max(80).describe('Who the resident contacts ("Samaritans")'),
    how: z.string().min(5).max(300).describe('Plain words: how and when to contact them'),
    phone: z.string().regex(/^[0-9 +]{3,20}$/, 'a phone number of digits and spaces').optional()
        .describe('Number to call'),
    sms: z.string().regex(/^[0-9 ]{3,20}$/, 'a number of digits').optional().describe('Number to text'),
    smsText: z.string().max(40).optional().describe('What to text to that number ("SHOUT")'),
    url: z.url().optional().describe('Web page'),
}).strict();
/** A crisis route as loaded. */
export type CrisisRoute = z.output<typeof crisisRouteSchema>;

/** A kind of immediate risk, the patterns that find it and the routes to show for it. */
export const crisisKindSchema = z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id in lower case with hyphens').describe('Stable kind id'),
    label: z.string().min(2).max(80).describe('What this kind of risk is, for connectors and logs'),
    routes: z.array(z.string()).min(1).describe('Route ids to show, most urgent first'),
    patterns: z.array(patternEntrySchema).min(1)
        .describe('Regular expressions over the canonical text, first and third person; any match is a crisis'),
}).strict();
/** A crisis kind as loaded. */
export type CrisisKind = z.output<typeof crisisKindSchema>;

/** A lethal means that is a crisis when a message names nothing else. */
export const lethalMeansSchema = z.object({
    text: z.string().min(1).max(40).describe('A lethal-means word or words ("noose", "shotgun")'),
    kind: z.string().describe('The crisis kind when a message is nothing but this'),
}).strict();
/** A lethal-means entry as loaded. */
export type LethalMeans = z.output<typeof lethalMeansSchema>;

/** A figurative or non-risk use, blanked out before the crisis patterns run. */
export const crisisExclusionSchema = z.object({
    pattern: z.string().min(1).max(1000).describe('A figurative or non-risk use, removed before the kinds are matched'),
    note: z.string().max(300).optional().describe('Why it is safe to remove'),
}).strict();
/** An exclusion as loaded. */
export type CrisisExclusion = z.output<typeof crisisExclusionSchema>;

const helpingLine = z.string().min(1).max(400);
/**
 * A crisis about someone else ("my friend says she wants to kill herself", "my dad has collapsed"): the resident is
 * a helper, so the reply says how to help them now (issue 18). Patterns over the canonical text, as the kinds'.
 */
export const crisisHelpingSchema = z.object({
    about: z.string().optional().describe('What this part is for'),
    other: z.array(z.string().min(1).max(1000)).min(1)
        .describe('The crisis is about someone else: a person word ("my friend", "she") in the message'),
    self: z.array(z.string().min(1).max(1000)).min(1)
        .describe('The writer is at risk themselves ("myself", "hits me"): any match keeps the usual reply'),
    child: z.array(z.string().min(1).max(1000)).min(1)
        .describe('The person is a child or young person: the Childline and NSPCC line is added'),
    intro: helpingLine.describe('Said first, instead of the usual line of care'),
    lines: z.array(helpingLine).min(1).describe('Said after the routes: how to help them now'),
    childLine: helpingLine.describe('Added when the person is a child'),
    kindLines: z.record(z.string(), z.array(helpingLine).min(1)).optional()
        .describe('Said instead of `lines` and `childLine` for a kind of crisis with its own advice (harm to a child)'),
}).strict();
/** The crisis reply for a helper, as loaded. */
export type CrisisHelping = z.output<typeof crisisHelpingSchema>;

const crisisFileSchema = z.object({
    about: z.string().describe('What this file is'),
    source: z.string().describe('Where the phrases and routes came from, and licences'),
    fragments: z.record(z.string().regex(fragmentName, 'a fragment name of letters and digits'), z.string().min(1))
        .default({}).describe('Regular-expression pieces that patterns include as {name}'),
    notTypos: z.array(z.string().regex(/^[a-z']+$/, 'one lower-case word')).default([])
        .describe('Real words never to be spelling-corrected into a crisis word'),
    routes: z.array(z.unknown()).min(1).describe('Who to contact'),
    kinds: z.array(z.unknown()).min(1).describe('Kinds of immediate risk and their patterns'),
    means: z.array(z.unknown()).default([])
        .describe('Lethal means that are a crisis when a message names nothing else ("noose")'),
    exclusions: z.array(z.unknown()).default([]).describe('Figurative speech removed before matching ("dead tired")'),
    helping: crisisHelpingSchema.optional().describe('The reply when the crisis is about someone else (issue 18)'),
}).strict();

/** The crisis rules as loaded and validated. */
export interface CrisisRules {
    about: string;
    source: string;
    fragments: Record<string, string>;
    notTypos: string[];
    routes: CrisisRoute[];
    kinds: CrisisKind[];
    means: LethalMeans[];
    exclusions: CrisisExclusion[];
    /** The reply for a helper, when the crisis is about someone else; absent: the usual reply for everyone. */
    helping?: CrisisHelping;
}

/** What a check found: the value when there were no faults, and every fault. */
export interface KnowledgeCheck<T> {
    value?: T;
    faults: KnowledgeFault[];
}

/**
 * A pattern with its `{name}` fragments put in, each wrapped in a non-capturing group. Pure; matching calls it too.
 * @throws Error naming the fragment when the pattern uses one the file does not define.
 */
export function expandFragments(pattern: string, fragments: Readonly<Record<string, string>>): string {
    // Letters only between the braces, so regex counts such as {2} or {1,3} are left alone.
    return pattern.replace(/\{([a-z][a-zA-Z0-9]*)\}/g, (whole, name: string) => {
        const fragment = fragments[name];
        if (fragment === undefined) {
            throw new Error(`uses the fragment {${name}}, which the file does not define`);
        }
        return `(?:${fragment})`;
    });
}

/** Why a pattern cannot be used, or undefined when it compiles and cannot match empty text. */
export function patternProblem(pattern: string, fragments: Readonly<Record<string, string>>, flags = 'g')
    : string | undefined {
    let expanded: string;
    try {
        expanded = expandFragments(pattern, fragments);
    } catch (error) {
        return (error as Error).message;
    }
    const key = `${flags}/${expanded}`;
    if (PATTERN_PROBLEMS.has(key)) return PATTERN_PROBLEMS.get(key);
    let problem: string | undefined;
    try {
        // A pattern that matches nothing at all would match every message.
        problem = new RegExp(expanded, flags).test('')
            ? 'matches empty text, so it would match every message' : undefined;
    } catch (error) {
        problem = `is not a regular expression that works (${(error as Error).message})`;
    }
    if (PATTERN_PROBLEMS.size >= 20_000) PATTERN_PROBLEMS.clear();
    PATTERN_PROBLEMS.set(key, problem);
    return problem;
}

/**
 * What patternProblem found for each expanded pattern and flags: the answer never changes, and `kb import` checks the
 * same files twice (before and after writing), so the second check compiles nothing. Bounded.
 */
const PATTERN_PROBLEMS = new Map<string, string | undefined>();

/** The id a fault names: the record's own id when it has one, else its place in its list. */
function recordName(record: unknown, index: number, key = 'id', noun = 'record'): string {
    const value = (record as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' && value.trim() !== '' ? value : `${noun} ${index + 1}`;
}

/** Where a fault is, with the line of the record's id when it can be found. */
function located(file: string, id: string, lines: Map<string, number[]>): Omit<KnowledgeFault, 'field' | 'message'> {
    const line = lines.get(id)?.[0];
    return line === undefined ? { file, id } : { file, id, line };
}

/** The field of a fault in an entry of a top-level list that has no ids ("means.3.kind"). */
function listField(list: string, index: number, field: string | undefined): string {
    return field ? `${list}.${index}.${field}` : `${list}.${index}`;
}

function parseJson(text: string, file: string, faults: KnowledgeFault[]): unknown {
    try {
        return JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
        faults.push({ file, message: `is not valid JSON (${(error as Error).message})` });
        return undefined;
    }
}

/** Fragments that do not compile on their own, as faults. */
function fragmentFaults(fragments: Record<string, string>, file: string): KnowledgeFault[] {
    const faults: KnowledgeFault[] = [];
    for (const [name, fragment] of Object.entries(fragments)) {
        try {
            new RegExp(fragment);
        } catch (error) {
            const message = `is not a regular expression (${(error as Error).message})`;
            faults.push({ file, field: `fragments.${name}`, message });
        }
    }
    return faults;
}

/**
 * The file's JSON and top-level shape, checked, with its fragments compiled; undefined (with the faults pushed)
 * when the file cannot be read further. Records are then checked one by one by the caller.
 */
function checkTop<S extends z.ZodType<{ fragments: Record<string, string> }>>(
    text: string, file: string, schema: S, faults: KnowledgeFault[],
): z.output<S> | undefined {
    const json = parseJson(text, file, faults);
    if (json === undefined) {
        return undefined;
    }
    const shape = schema.safeParse(json, { reportInput: true });
    if (!shape.success) {
        faults.push(...faultsFromZod(shape.error, { file }));
        return undefined;
    }
    faults.push(...fragmentFaults(shape.data.fragments, file));
    return shape.data;
}

/** Validates the text of needs.json. Pure: tests and `kb validate` use it without files. */
export function checkNeedTaxonomyText(text: string, file: string = NEEDS_FILE): KnowledgeCheck<NeedTaxonomy> {
    const faults: KnowledgeFault[] = [];
    const top = checkTop(text, file, needsFileSchema, faults);
    if (top === undefined) {
        return { faults };
    }
    const lines = valueLines(text, 'id');
    const needs: NeedDefinition[] = [];
    const seen = new Set<string>();
    top.needs.forEach((record, index) => {
        const id = recordName(record, index);
        const where = located(file, id, lines);
        const parsed = needDefinitionSchema.safeParse(record, { reportInput: true });
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, where));
            return;
        }
        const need = parsed.data;
        if (seen.has(need.id)) {
            faults.push({ ...where, field: 'id', message: 'is used twice: each need id must be unique' });
        }
        seen.add(need.id);
        need.terms.forEach((term, i) => {
            if (/\s/.test(term.text)) {
                const message = `"${term.text}" is more than one word: put it in phrases`;
                faults.push({ ...where, field: `terms.${i}.text`, message });
            }
        });
        need.patterns.forEach((entry, i) => {
            const problem = patternProblem(entry.pattern, top.fragments);
            if (problem) {
                faults.push({ ...where, field: `patterns.${i}.pattern`, message: problem });
            }
        });
        needs.push(need);
    });
    if (faults.length > 0) {
        return { faults };
    }
    const { about, source, defaultWeights, fragments, notTypos, asFirstPerson } = top;
    asFirstPerson.forEach((rule, index) => {
        const problem = patternProblem(rule.from, fragments);
        if (problem) faults.push({ file, id: 'asFirstPerson', field: `asFirstPerson.${index}.from`, message: problem });
    });
    if (faults.length > 0) return { faults };
    return { value: { about, source, defaultWeights, fragments, notTypos, needs, asFirstPerson }, faults };
}

/** Validates the text of crisis.json. Pure. */
export function checkCrisisRulesText(text: string, file: string = CRISIS_FILE): KnowledgeCheck<CrisisRules> {
    const faults: KnowledgeFault[] = [];
    const top = checkTop(text, file, crisisFileSchema, faults);
    if (top === undefined) {
        return { faults };
    }
    const lines = valueLines(text, 'id');

    const routes: CrisisRoute[] = [];
    top.routes.forEach((record, index) => {
        const where = located(file, recordName(record, index, 'id', 'route'), lines);
        const parsed = crisisRouteSchema.safeParse(record, { reportInput: true });
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, where));
            return;
        }
        if (routes.some((r) => r.id === parsed.data.id)) {
            faults.push({ ...where, field: 'id', message: 'is used twice: each route id must be unique' });
        }
        if (!parsed.data.phone && !parsed.data.sms && !parsed.data.url) {
            faults.push({ ...where, field: 'phone', message: 'is missing: a route needs a phone, sms or url' });
        }
        routes.push(parsed.data);
    });
    const routeIds = new Set(routes.map((r) => r.id));

    const kinds: CrisisKind[] = [];
    top.kinds.forEach((record, index) => {
        const where = located(file, recordName(record, index, 'id', 'kind'), lines);
        const parsed = crisisKindSchema.safeParse(record, { reportInput: true });
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, where));
            return;
        }
        const kind = parsed.data;
        if (kinds.some((k) => k.id === kind.id)) {
            faults.push({ ...where, field: 'id', message: 'is used twice: each kind id must be unique' });
        }
        kind.routes.forEach((route, i) => {
            if (!routeIds.has(route)) {
                faults.push({ ...where, field: `routes.${i}`, message: `"${route}" is not a route id in this file` });
            }
        });
        kind.patterns.forEach((entry, i) => {
            // With the flags the matcher compiles it with (src/matching/crisis.ts): JavaScript keeps a compiled
            // expression by its source and flags, so the check's compilation is the matcher's too, not a second.
            const problem = patternProblem(entry.pattern, top.fragments, '');
            if (problem) {
                faults.push({ ...where, field: `patterns.${i}.pattern`, message: problem });
            }
        });
        kinds.push(kind);
    });
    const kindIds = new Set(kinds.map((k) => k.id));

    const means: LethalMeans[] = [];
    top.means.forEach((record, index) => {
        const where = { file, id: recordName(record, index, 'text', 'means') };
        const parsed = lethalMeansSchema.safeParse(record, { reportInput: true });
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, where)
                .map((f) => ({ ...f, field: listField('means', index, f.field) })));
            return;
        }
        if (!kindIds.has(parsed.data.kind)) {
            const message = `"${parsed.data.kind}" is not a kind id in this file`;
            faults.push({ ...where, field: `means.${index}.kind`, message });
        }
        means.push(parsed.data);
    });

    const exclusions: CrisisExclusion[] = [];
    top.exclusions.forEach((record, index) => {
        const where = { file, id: `exclusion ${index + 1}` };
        const parsed = crisisExclusionSchema.safeParse(record, { reportInput: true });
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, where)
                .map((f) => ({ ...f, field: listField('exclusions', index, f.field) })));
            return;
        }
        const problem = patternProblem(parsed.data.pattern, top.fragments);
        if (problem) {
            faults.push({ ...where, field: `exclusions.${index}.pattern`, message: problem });
        }
        exclusions.push(parsed.data);
    });

    const helping = top.helping;
    if (helping) {
        for (const part of ['other', 'self', 'child'] as const) {
            helping[part].forEach((pattern, index) => {
                const problem = patternProblem(pattern, top.fragments);
                if (problem) faults.push({ file, id: 'helping', field: `helping.${part}.${index}`, message: problem });
            });
        }
        for (const kindId of Object.keys(helping.kindLines ?? {})) {
            if (!kinds.some((k) => k.id === kindId)) {
                faults.push({ file, id: 'helping', field: `helping.kindLines.${kindId}`,
                    message: `"${kindId}" is not a crisis kind id in this file` });
            }
        }
    }

    if (faults.length > 0) {
        return { faults };
    }
    const { about, source, fragments, notTypos } = top;
    return {
        value: {
            about, source, fragments, notTypos, routes, kinds, means, exclusions, ...(helping ? { helping } : {}),
        },
        faults,
    };
}

function readKnowledgeFile(dir: string, file: string): { text?: string; faults: KnowledgeFault[] } {
    try {
        return { text: fs.readFileSync(path.join(dir, file), 'utf8'), faults: [] };
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const message = code === 'ENOENT' ? `is missing from ${dir}` : `cannot be read (${code})`;
        return { faults: [{ file, message }] };
    }
}

/** Reads and checks `<dir>/needs.json` without throwing for faults: for `kb validate`. */
export function checkNeedTaxonomy(dir: string): KnowledgeCheck<NeedTaxonomy> {
    const { text, faults } = readKnowledgeFile(dir, NEEDS_FILE);
    return text === undefined ? { faults } : checkNeedTaxonomyText(text, NEEDS_FILE);
}

/** Reads and checks `<dir>/crisis.json` without throwing for faults: for `kb validate`. */
export function checkCrisisRules(dir: string): KnowledgeCheck<CrisisRules> {
    const { text, faults } = readKnowledgeFile(dir, CRISIS_FILE);
    return text === undefined ? { faults } : checkCrisisRulesText(text, CRISIS_FILE);
}

/**
 * Loads the need taxonomy from `<dir>/needs.json`.
 * @throws KnowledgeError naming file, need id and field for every fault, including patterns that do not compile.
 */
export function loadNeedTaxonomy(dir: string): NeedTaxonomy {
    const check = checkNeedTaxonomy(dir);
    if (!check.value) {
        throw new KnowledgeError(check.faults);
    }
    return check.value;
}

/**
 * Loads the crisis rules from `<dir>/crisis.json`.
 * @throws KnowledgeError naming file, record and field for every fault, including patterns that do not compile.
 */
export function loadCrisisRules(dir: string): CrisisRules {
    const check = checkCrisisRules(dir);
    if (!check.value) {
        throw new KnowledgeError(check.faults);
    }
    return check.value;
}
