/**
 * `npm run docs:config`: writes docs/configuration.md, the reference of every setting, from the zod settings schema
 * in src/config.ts, so the schema stays the one source of truth (a test fails when the page is out of date).
 *
 * Nothing is restated by hand: the meaning is the setting's `.describe()`; the default is what an unset setting
 * parses to (or, when that is not plain text, what the step before its last transform gives); the allowed values
 * are the schema's own enum options and length limits, plus the messages it gives when a plainly wrong value is
 * tried, which are the messages an operator sees at start-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { settingsSchema } from '../config';
import { projectRoot } from '../paths';

/** Where the page lives, from the project folder. */
export const CONFIG_DOC_PATH = 'docs/configuration.md';

/** One row of the reference. */
export interface SettingDoc {
    name: string;
    /** Undefined when an unset setting stays unset. */
    default?: string;
    allowed: string[];
    meaning: string;
}

/** The parts of zod's schema definitions the reference reads. */
interface Def {
    type: string;
    in?: z.ZodType;
    out?: z.ZodType;
    innerType?: z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values no setting accepts: one that is not a number, a time or a reference, one that is a web address. */
const PROBES = ['%', 'ftp://example.org'];

/** Every setting, in the schema's order. */
export function describeSettings(schema: z.ZodObject = settingsSchema): SettingDoc[] {
    return Object.entries(schema.shape).map(([name, field]) => {
        const setting = field as z.ZodType;
        return {
            name,
            default: defaultOf(setting),
            allowed: allowedOf(setting),
            meaning: setting.description ?? '',
        };
    });
}

/** The unset setting's value, as text. */
function defaultOf(schema: z.ZodType): string | undefined {
    let step: z.ZodType | undefined = schema;
    while (step) {
        const parsed = step.safeParse(undefined);
        if (!parsed.success || parsed.data === undefined) return undefined;
        if (['string', 'number', 'boolean'].includes(typeof parsed.data)) return String(parsed.data);
        step = defOf(step).type === 'pipe' ? defOf(step).in : undefined;
    }
    return undefined;
}

/** Enum options, length limits and the schema's own complaints about wrong values. */
function allowedOf(schema: z.ZodType): string[] {
    const allowed: string[] = [];
    for (const step of steps(schema)) {
        const type = defOf(step).type;
        if (type === 'enum') {
            allowed.push(`one of ${(step as z.ZodEnum).options.map((o) => code(String(o))).join(', ')}`);
        } else if (type === 'string') {
            const { minLength, maxLength } = step as z.ZodString;
            if (minLength && maxLength) allowed.push(`${minLength} to ${maxLength} characters`);
            else if (maxLength) allowed.push(`up to ${maxLength} characters`);
            else if (minLength) allowed.push(`at least ${minLength} characters`);
        }
    }
    const complaints = new Set<string>();
    for (const probe of PROBES) {
        const parsed = schema.safeParse(probe);
        if (parsed.success) continue;
        for (const issue of parsed.error.issues) if (issue.code === 'custom') complaints.add(issue.message);
    }
    return [...allowed, ...complaints];
}

/** The schema and the schemas it is built from (pipes, optionals), outermost first. */
function steps(schema: z.ZodType): z.ZodType[] {
    const def = defOf(schema);
    const inner = [def.in, def.out, def.innerType].filter((s): s is z.ZodType => s !== undefined);
    return [schema, ...inner.flatMap(steps)];
}

const code = (text: string) => '`' + text.replaceAll('`', "'") + '`';
/** Text fit for a table cell: pipes escaped, and angle brackets outside code spans so they are not read as HTML. */
const cell = (text: string) => text.split(/(`[^`]*`)/).map((part, i) => (i % 2 ? part
    : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;'))).join('').replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The whole page, as `npm run docs:config` writes it. */
export function configurationDoc(settings: SettingDoc[] = describeSettings()): string {
    const rows = settings.map((s) => `| ${[
        code(s.name),
        s.default === undefined ? 'empty' : code(s.default),
        s.allowed.length ? s.allowed.join('; ') : 'any text',
        s.meaning,
    ].map(cell).join(' | ')} |`);
    return [
        '# Configuration',
        '',
        '<!-- Generated from the settings schema in src/config.ts by `npm run docs:config`. Do not edit by hand. -->',
        '',
        'Every setting is optional. Signpost reads them once, at start-up, from its environment (on Azure App',
        'Service, the app settings). A wrong value stops start-up with a message naming the setting and what it must',
        'be, never the value itself. "empty": the setting is unset unless you set it; the last column says what then.',
        '',
        '| setting | default | allowed values / limits | meaning |',
        '|---|---|---|---|',
        ...rows,
        '',
        '## Not a setting: texts in Welsh and Polish cost more',
        '',
        'There is no setting for the alphabet of texts. English texts are kept to the GSM alphabet: 160 characters',
        'in one SMS segment, 153 a segment when split. Welsh (â, ê, ŵ, ŷ...) and Polish (ą, ć, ę, ł, ń, ś, ź, ż) letters',
        'are outside it, so a text with any of them is sent in Unicode (UCS-2), letters as written: 70 characters in',
        'one segment, 67 a segment when split, so about two to three times the segments, and the cost, of the same',
        'length in English. Folding the letters to GSM ones (ł to l) would misspell words and change some meanings,',
        'so Signpost does not. No text is longer than 4 segments either way (longer ones are split between lines into',
        'more texts). See [languages.md](languages.md).',
        '',
    ].join('\n');
}

/** Writes the page into the project; returns where. */
export function writeConfigurationDoc(root = projectRoot()): string {
    const file = path.join(root, CONFIG_DOC_PATH);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, configurationDoc());
    return file;
}

if (require.main === module) {
    writeConfigurationDoc();
    process.stdout.write(`Wrote ${CONFIG_DOC_PATH} (${describeSettings().length} settings).\n`);
}
