/**
 * The service-type vocabulary (`knowledge/service-types.json`): kinds of service a resident may name ("tai chi",
 * "hearing loss", "council tax"), each with its words and misspellings, the broad need it belongs to, and the open
 * list it comes from. The importer tags services with the kinds they are; ranking puts those first when a resident
 * names one (src/matching/serviceTypes.ts). The file is optional: a knowledge folder written before it existed
 * still loads, with no kinds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError } from './faults';

/** The file name inside a knowledge directory. */
export const SERVICE_TYPES_FILE = 'service-types.json';

const words = z.array(z.string().trim().min(1).max(60));

/** One kind of service. */
export const serviceTypeSchema = z.object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id in lower case with hyphens').describe('Stable type id'),
    label: z.string().min(2).max(80).describe('What the kind is called, for people editing the file'),
    need: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('The broad need id the kind belongs to'),
    terms: words.min(1).describe('Words naming the kind in a service\'s name or first sentence, and in a resident\'s'),
    queryTerms: words.default([])
        .describe('Words that name the kind only in a resident\'s words: too loose for a service\'s prose ("run")'),
    weight: z.number().gt(0).max(1).default(1)
        .describe('How much naming it says about what the resident wants: 1 for a kind of thing (tai chi), less for '
            + 'an audience or a setting (over 50s, the countryside), so "dance for over 50s" puts dance first'),
    broader: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).default([])
        .describe('Kinds that stand in when the directory has none of this one, as a link worker would send someone '
            + '(council tax trouble -> debt advice, benefits advice)'),
    source: z.string().min(1).max(600).describe('The list entries it comes from (openActiveActivity:<id>, ...)'),
}).strict();

/** One kind of service as loaded. */
export type ServiceType = z.output<typeof serviceTypeSchema>;

const serviceTypesFileSchema = z.object({
    about: z.string(),
    source: z.string().min(1).describe('Where the words come from and under which licences'),
    types: z.array(serviceTypeSchema),
}).strict();

/**
 * Loads `<dir>/service-types.json`; an empty list when the folder has none (older folders still load).
 * @throws KnowledgeError naming the file and field of every fault, or a type id used twice.
 */
export function loadServiceTypes(dir: string): ServiceType[] {
    const file = path.join(dir, SERVICE_TYPES_FILE);
    if (!fs.existsSync(file)) {
        return [];
    }
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
        throw new KnowledgeError([{ file: SERVICE_TYPES_FILE, message: `is not valid JSON (${(error as Error).message})` }]);
    }
    const parsed = serviceTypesFileSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
        throw new KnowledgeError(faultsFromZod(parsed.error, { file: SERVICE_TYPES_FILE }));
    }
    const seen = new Set<string>();
    for (const type of parsed.data.types) {
        if (seen.has(type.id)) {
            throw new KnowledgeError([{ file: SERVICE_TYPES_FILE, id: type.id, field: 'id', message: 'is used twice' }]);
        }
        seen.add(type.id);
    }
    return parsed.data.types;
}
