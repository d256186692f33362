/**
 * The other languages Signpost reads (knowledge/languages/<code>.json, one file per language): the crisis rules
 * of that language, and the few sentences a resident writing in it gets in it (the line shown before the crisis
 * routes, the Childline line, the line saying Signpost cannot yet talk in it). Validated here at start-up, like
 * every knowledge file. Each file says whether a fluent speaker has reviewed it, and who and when.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError, type KnowledgeFault } from './faults';
import { expandFragments, patternProblem } from './taxonomy';
import { projectRoot } from '../paths';

/** The crisis kinds of knowledge/crisis.json a rule may name. */
export const CRISIS_KINDS = ['suicide', 'self-harm', 'overdose', 'danger-at-home', 'medical-emergency'] as const;

const sentence = z.string().min(1).max(400);
const pattern = z.string().min(1).max(2000);

const ruleSchema = z.object({
    kind: z.enum(CRISIS_KINDS),
    pattern: pattern.optional().describe('A regular expression over the folded text'),
    all: z.array(pattern).min(2).optional().describe('Regular expressions that must all be found in the message'),
    note: z.string().optional(),
}).strict().refine((r) => (r.pattern === undefined) !== (r.all === undefined), {
    message: 'needs either "pattern" or "all", not both',
});

export const languageFileSchema = z.object({
    about: z.string().optional(),
    code: z.string().regex(/^[a-z]{2}$/).describe('ISO 639-1 code, the same as the file name'),
    name: z.string().min(1).max(40).describe('The language\'s name in English, as a resident says it to 999 or 111'),
    nativeName: z.string().min(1).max(40),
    reviewed: z.boolean().describe('Whether a fluent speaker has checked the wording and the rules'),
    reviewedBy: z.string().min(1).optional(),
    reviewedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    wording: z.object({
        crisis: sentence.describe('Shown first, before the crisis routes: 999, the interpreter, the Samaritans'),
        child: sentence.describe('Added when the crisis is about a child: Childline and the NSPCC'),
        unsupported: sentence.describe('What Signpost can do, that a connector can arrange an interpreter, how to ask'
            + ' for a person'),
    }).strict(),
    person: z.array(z.string().min(1).max(40)).min(1)
        .describe('Words that ask for a person in this language, matched as the whole message'),
    crisis: z.object({
        fragments: z.record(z.string(), z.string()).default({}),
        rules: z.array(ruleSchema).min(5),
        exclusions: z.array(pattern).default([]),
        child: z.array(pattern).min(1).describe('Words for a child (son, daughter, baby...)'),
    }).strict(),
}).strict().refine((f) => !f.reviewed || (f.reviewedBy !== undefined && f.reviewedOn !== undefined), {
    message: 'a reviewed file says who reviewed it (reviewedBy) and when (reviewedOn)',
});
export type LanguageFile = z.output<typeof languageFileSchema>;

/** The folder of language files: the knowledge folder's own, else the shipped one (crisis rules are never absent). */
export function languagesDir(knowledgeDir: string): string {
    const own = path.join(knowledgeDir, 'languages');
    return fs.existsSync(own) ? own : path.join(projectRoot(), 'knowledge', 'languages');
}

/** Reads and validates every language file; throws KnowledgeError listing every fault. */
export function loadLanguages(knowledgeDir: string): LanguageFile[] {
    const dir = languagesDir(knowledgeDir);
    const faults: KnowledgeFault[] = [];
    const files: LanguageFile[] = [];
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
        const file = `languages/${name}`;
        let raw: unknown;
        try {
            raw = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
        } catch (err) {
            faults.push({ file, message: `cannot be read as JSON (${(err as Error).message})` });
            continue;
        }
        const parsed = languageFileSchema.safeParse(raw);
        if (!parsed.success) {
            faults.push(...faultsFromZod(parsed.error, { file }));
            continue;
        }
        const data = parsed.data;
        if (`${data.code}.json` !== name) faults.push({ file, field: 'code', message: 'should be the file name' });
        const { fragments } = data.crisis;
        const check = (source: string, field: string) => {
            let problem = patternProblem(source, fragments);
            // Rules are compiled with the u flag (src/matching/crisisLanguages.ts), which is stricter about escapes.
            if (!problem) {
                try {
                    new RegExp(expandFragments(source, fragments), 'u');
                } catch (error) {
                    problem = `is not a regular expression that works (${(error as Error).message})`;
                }
            }
            if (problem) faults.push({ file, field, message: problem });
        };
        data.crisis.rules.forEach((r, i) => {
            if (r.pattern !== undefined) check(r.pattern, `crisis.rules.${i}.pattern`);
            r.all?.forEach((p, k) => check(p, `crisis.rules.${i}.all.${k}`));
        });
        data.crisis.exclusions.forEach((p, i) => check(p, `crisis.exclusions.${i}`));
        data.crisis.child.forEach((p, i) => check(p, `crisis.child.${i}`));
        const kinds = new Set(data.crisis.rules.map((r) => r.kind));
        const missing = CRISIS_KINDS.filter((k) => !kinds.has(k));
        if (missing.length) {
            faults.push({ file, field: 'crisis.rules', message: `has no rule for ${missing.join(', ')}` });
        }
        files.push(data);
    }
    if (faults.length) throw new KnowledgeError(faults);
    return files;
}

/** The sentences of the other languages, by language code. */
export class LanguageWording {
    private readonly byCode: ReadonlyMap<string, LanguageFile>;

    constructor(files: readonly LanguageFile[]) {
        this.byCode = new Map(files.map((f) => [f.code, f]));
    }

    /** The line shown before the crisis routes, with the Childline line when the crisis is about a child. */
    crisisLine(code: string, aboutChild: boolean): string | undefined {
        const file = this.byCode.get(code);
        if (!file) return undefined;
        return aboutChild ? `${file.wording.crisis}\n${file.wording.child}` : file.wording.crisis;
    }

    /** The line for a message in a language Signpost cannot yet hold a conversation in. */
    unsupported(code: string): string | undefined {
        return this.byCode.get(code)?.wording.unsupported;
    }

    /** Every language's words for asking for a person ("osoba"), for the talk-to-a-person command. */
    personWords(): string[] {
        return [...this.byCode.values()].flatMap((f) => f.person);
    }
}
