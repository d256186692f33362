/**
 * `knowledge/taxonomy-map.json`: which need ids the terms of the taxonomies used by Open Referral UK feeds stand for
 * (LGA service types `esdServiceType:`, OpenActive activities `openActiveActivity:`, Open Eligibility), and how a
 * term found in a feed is recognised as one of them. The file is derived from the shared lists by
 * `derive-taxonomy-map.ts`; its schema and lookups live here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { faultsFromZod, KnowledgeError } from '../knowledge/faults';
import type { KnowledgeFault } from '../knowledge/faults';

export const TAXONOMY_MAP_FILE = 'taxonomy-map.json';

/** The vocabularies the map knows, by the CURIE prefix ORUK uses for them. */
export const VOCABULARIES = ['esdServiceType', 'openActiveActivity', 'openEligibility'] as const;
export type VocabularyId = (typeof VOCABULARIES)[number];

const needId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a need id in lower case with hyphens');

export const mappedTermSchema = z.object({
    label: z.string().min(1).max(120).describe('The term\'s label in its list'),
    altLabels: z.array(z.string().max(120)).optional().describe('Other labels the list gives it'),
    needs: z.array(needId).min(1).describe('Need ids the term stands for, best first'),
}).strict();
export type MappedTerm = z.infer<typeof mappedTermSchema>;

export const vocabularyMapSchema = z.object({
    about: z.string().describe('What the list is and how its terms were mapped'),
    source: z.string().describe('Where the list came from and its licence'),
    terms: z.record(z.string().min(1), mappedTermSchema)
        .describe('Term id (for Open Eligibility: the lower-case label) -> label and needs'),
}).strict();
export type VocabularyMap = z.infer<typeof vocabularyMapSchema>;

export const taxonomyMapFileSchema = z.object({
    about: z.string().describe('What this file is'),
    source: z.string().describe('Where each part came from and its licence'),
    vocabularies: z.object({
        esdServiceType: vocabularyMapSchema.describe('LGA English and Welsh services list (esdServiceType:<id>)'),
        openActiveActivity: vocabularyMapSchema.describe('OpenActive activity list (openActiveActivity:<uuid>)'),
        openEligibility: vocabularyMapSchema.describe('Open Eligibility human services terms, by label'),
    }).strict(),
}).strict();
export type TaxonomyMapFile = z.infer<typeof taxonomyMapFileSchema>;

/** A term as a feed gives it, in any of the shapes ORUK v1, ORUK 3 and HSDS 3 use. */
export interface TermRef {
    id?: string;
    code?: string;
    name?: string;
    /** ORUK v1 `vocabulary`, HSDS 3 `taxonomy` or `taxonomy_detail.name`. */
    vocabulary?: string;
    /** HSDS 3 `term_uri` or `taxonomy_detail.uri`. */
    uri?: string;
}

/** What a term was recognised as. */
export interface TermMatch {
    vocabulary: VocabularyId | 'esdNeed' | 'other';
    /** The id within its list, when there is one. */
    key?: string;
    /** The map's entry, when the term is in the map. */
    term?: MappedTerm;
}

/** An OpenActive activity label as words, for finding it in a service's name. */
export interface ActivityLabel {
    words: readonly string[];
    term: MappedTerm;
}

/** The map, loaded, with indexes built once. */
export interface TaxonomyMap {
    file: TaxonomyMapFile;
    /** Lower-case label (and alternative labels) -> entry, per vocabulary. */
    byLabel: ReadonlyMap<VocabularyId, ReadonlyMap<string, MappedTerm>>;
    /** OpenActive labels by their first word, longest first. */
    activities: ReadonlyMap<string, readonly ActivityLabel[]>;
}

/**
 * OpenActive labels that are also everyday words in a service's name ("Victor House", "Air Ambulance", "Jazz
 * night"): they are never read as activities in names. Their terms in a feed still count.
 */
export const AMBIGUOUS_ACTIVITY_LABELS: ReadonlySet<string> = new Set([
    'house', 'air', 'jazz', 'pool', 'spa', 'sauna', 'steam room', 'creche', 'camping', 'acting', 'singing',
    'drumming', 'rifle', 'walking', 'running', 'shooting', 'fives', 'polo', 'luge', 'diving',
]);

/** Label as compared: lower case, '&' as 'and', punctuation as spaces. */
export function labelKey(label: string): string {
    return label.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Builds the indexes of a validated map file. */
export function buildTaxonomyMap(file: TaxonomyMapFile): TaxonomyMap {
    const byLabel = new Map<VocabularyId, Map<string, MappedTerm>>();
    for (const vocabulary of VOCABULARIES) {
        const labels = new Map<string, MappedTerm>();
        for (const term of Object.values(file.vocabularies[vocabulary].terms)) {
            for (const label of [term.label, ...(term.altLabels ?? [])]) {
                const key = labelKey(label);
                if (key && !labels.has(key)) {
                    labels.set(key, term);
                }
            }
        }
        byLabel.set(vocabulary, labels);
    }
    const activities = new Map<string, ActivityLabel[]>();
    for (const term of Object.values(file.vocabularies.openActiveActivity.terms)) {
        for (const label of new Set([term.label, ...(term.altLabels ?? [])].map(labelKey))) {
            const words = label.split(' ');
            if (label.length < 3 || AMBIGUOUS_ACTIVITY_LABELS.has(label)) {
                continue;
            }
            const list = activities.get(words[0] as string) ?? [];
            list.push({ words, term });
            activities.set(words[0] as string, list);
        }
    }
    for (const list of activities.values()) {
        list.sort((a, b) => b.words.length - a.words.length);
    }
    return { file, byLabel, activities };
}

/**
 * The OpenActive activities a service's name names ("Over 50's Walking Football" -> Walking Football), longest
 * match first, without labels inside a longer match.
 */
export function activitiesNamed(name: string, map: TaxonomyMap): MappedTerm[] {
    const words = labelKey(name).split(' ');
    const found: MappedTerm[] = [];
    for (let i = 0; i < words.length;) {
        const hit = (map.activities.get(words[i] as string) ?? [])
            .find((a) => a.words.every((w, k) => words[i + k] === w));
        if (hit) {
            if (!found.includes(hit.term)) {
                found.push(hit.term);
            }
            i += hit.words.length;
        } else {
            i++;
        }
    }
    return found;
}

/** Validates the text of taxonomy-map.json and names any need id the taxonomy does not know. Pure. */
export function checkTaxonomyMapText(
    text: string,
    knownNeedIds?: Iterable<string>,
    file: string = TAXONOMY_MAP_FILE,
): { value?: TaxonomyMap; faults: KnowledgeFault[] } {
    let json: unknown;
    try {
        json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
        return { faults: [{ file, message: `is not valid JSON (${(error as Error).message})` }] };
    }
    const parsed = taxonomyMapFileSchema.safeParse(json, { reportInput: true });
    if (!parsed.success) {
        return { faults: faultsFromZod(parsed.error, { file }) };
    }
    const faults: KnowledgeFault[] = [];
    if (knownNeedIds) {
        const known = new Set(knownNeedIds);
        for (const vocabulary of VOCABULARIES) {
            for (const [id, term] of Object.entries(parsed.data.vocabularies[vocabulary].terms)) {
                term.needs.forEach((need, i) => {
                    if (!known.has(need)) {
                        const message = `"${need}" is not a need id Signpost knows`;
                        faults.push({ file, id: `${vocabulary}:${id}`, field: `needs.${i}`, message });
                    }
                });
            }
        }
    }
    return faults.length > 0 ? { faults } : { value: buildTaxonomyMap(parsed.data), faults };
}

/**
 * Loads a taxonomy map file.
 * @throws KnowledgeError listing every fault.
 */
export function loadTaxonomyMap(file: string, knownNeedIds?: Iterable<string>): TaxonomyMap {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (error) {
        throw new KnowledgeError([{ file: path.basename(file), message: `cannot be read (${String(error)})` }]);
    }
    const checked = checkTaxonomyMapText(text, knownNeedIds, path.basename(file));
    if (!checked.value) {
        throw new KnowledgeError(checked.faults);
    }
    return checked.value;
}

const ESD_SERVICE = /(?:^|[^a-z])esd[ _-]?service[ _-]?types?\s*[:/#]\s*(\d+)\b/i;
const ESD_SERVICE_URI = /id\.esd\.org\.uk\/(?:list\/englishAndWelshServices\/|service\/)(\d+)\b/i;
const ESD_NEED = /esd[ _-]?needs?\b|id\.esd\.org\.uk\/need/i;
const OPEN_ACTIVE = /openactive|open[ _-]?active[ _-]?activit/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const OPEN_ELIGIBILITY = /open[ _-]?eligibility/i;

/**
 * Recognises a feed's term: an LGA service type by CURIE, URI or vocabulary name with a numeric id; an LGA need; an
 * OpenActive activity by CURIE or URI (its uuid) or by label; an Open Eligibility term by label. Anything else is
 * 'other' (its label may still be read for need words).
 */
export function recogniseTerm(ref: TermRef, map: TaxonomyMap): TermMatch {
    const ids = [ref.id, ref.code, ref.uri].filter((v): v is string => typeof v === 'string' && v !== '');
    const all = [...ids, ref.vocabulary ?? ''].join(' ');
    const vocab = map.file.vocabularies;

    const esd = ids.map((v) => ESD_SERVICE.exec(v) ?? ESD_SERVICE_URI.exec(v)).find((m) => m);
    const esdByName = /esd|lga|englishandwelshservices/i.test(ref.vocabulary ?? '') && !ESD_NEED.test(all)
        ? ids.find((v) => /^\d+$/.test(v.trim()))
        : undefined;
    const esdKey = esd?.[1] ?? esdByName?.trim();
    if (esdKey !== undefined) {
        const term = vocab.esdServiceType.terms[esdKey];
        const match: TermMatch = { vocabulary: 'esdServiceType', key: esdKey };
        return term ? { ...match, term } : match;
    }
    if (ESD_NEED.test(all)) {
        return { vocabulary: 'esdNeed' };
    }
    if (OPEN_ACTIVE.test(all)) {
        const key = ids.map((v) => UUID.exec(v)?.[0]?.toLowerCase()).find((v) => v);
        const term = (key ? vocab.openActiveActivity.terms[key] : undefined)
            ?? map.byLabel.get('openActiveActivity')?.get(labelKey(ref.name ?? ''));
        const match: TermMatch = { vocabulary: 'openActiveActivity' };
        if (key) match.key = key;
        if (term) match.term = term;
        return match;
    }
    if (OPEN_ELIGIBILITY.test(all)) {
        const term = map.byLabel.get('openEligibility')?.get(labelKey(ref.name ?? ''));
        return term ? { vocabulary: 'openEligibility', term } : { vocabulary: 'openEligibility' };
    }
    return { vocabulary: 'other' };
}
