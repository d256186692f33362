/**
 * Derives `knowledge/taxonomy-map.json` from the shared lists (LGA services list CSV, OpenActive activity list
 * JSON-LD) plus the choices below, which say which need each relevant term stands for. Run it again when a list or a
 * choice changes:
 *
 *     node dist/src/import/derive-taxonomy-map.js [SHARED_DATA_DIR] > knowledge/taxonomy-map.json
 *
 * The product never reads the shared lists; it reads the file this writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../paths';
import { csvRecords } from './csv';
import { labelKey, taxonomyMapFileSchema } from './taxonomy-map';
import type { MappedTerm, TaxonomyMapFile, VocabularyMap } from './taxonomy-map';

/**
 * LGA service types that a social prescriber would signpost to, and their needs (best first). The other ~830 live
 * types are council functions (planning, licensing, waste, roads, ...) that no need of ours covers: a term naming
 * one of them gives no need, and the listing's own words decide.
 */
export const ESD_NEEDS: Readonly<Record<string, readonly string[]>> = {
    // Meeting people
    640: ['loneliness'], 241: ['loneliness', 'health-conditions'], 297: ['loneliness'], 296: ['loneliness'],
    1149: ['loneliness'],
    // Getting active
    1789: ['physical-activity'], 641: ['physical-activity'], 453: ['physical-activity'], 451: ['physical-activity'],
    885: ['physical-activity'], 1674: ['physical-activity'], 1566: ['physical-activity'], 547: ['physical-activity'],
    336: ['physical-activity'], 456: ['physical-activity'], 465: ['physical-activity', 'nature'],
    // Mood and wellbeing
    1284: ['mental-wellbeing'], 163: ['mental-wellbeing'], 729: ['mental-wellbeing'], 816: ['mental-wellbeing'],
    // Money
    190: ['money-debt'], 651: ['money-debt'], 352: ['money-debt'], 189: ['money-debt'], 1652: ['money-debt'],
    917: ['money-debt'], 1795: ['money-debt'], 269: ['money-debt', 'housing'], 1148: ['housing', 'money-debt'],
    1437: ['carers', 'money-debt'], 1534: ['money-debt', 'health-conditions'], 1545: ['money-debt', 'employment'],
    63: ['money-debt'], 59: ['money-debt'], 69: ['money-debt', 'housing'], 1154: ['housing', 'money-debt'],
    116: ['housing', 'money-debt'], 119: ['housing', 'money-debt'], 2: ['money-debt', 'family-parenting'],
    // Food
    1818: ['food'], 315: ['food', 'practical-help'], 1089: ['food', 'family-parenting'],
    4: ['food', 'family-parenting'],
    // Housing
    652: ['housing'], 112: ['housing'], 1800: ['housing'], 1714: ['housing'], 107: ['housing'], 91: ['housing'],
    110: ['housing'], 117: ['housing'], 1124: ['housing'], 665: ['housing'], 109: ['housing'], 92: ['housing'],
    1123: ['housing'], 141: ['housing'], 911: ['housing'], 86: ['housing'], 136: ['housing'],
    1054: ['housing', 'practical-help'], 880: ['housing'],
    // Work
    887: ['employment'], 343: ['employment', 'learning'], 239: ['employment', 'health-conditions'],
    299: ['employment', 'health-conditions'], 52: ['employment'], 1817: ['housing', 'employment'],
    // Learning
    27: ['learning'], 442: ['learning'], 1794: ['learning'], 1394: ['learning', 'employment'], 628: ['learning'],
    51: ['arts-culture', 'learning'],
    // Volunteering
    1113: ['volunteering'], 750: ['volunteering', 'nature'], 629: ['volunteering', 'family-parenting'],
    627: ['volunteering'],
    // Arts, culture, libraries
    1791: ['arts-culture', 'learning'], 884: ['arts-culture'], 838: ['arts-culture'], 620: ['arts-culture'],
    1020: ['arts-culture'], 624: ['arts-culture'], 448: ['arts-culture'], 437: ['arts-culture', 'learning'],
    444: ['arts-culture', 'practical-help'], 1063: ['arts-culture', 'learning'], 438: ['arts-culture'],
    1141: ['arts-culture'], 449: ['arts-culture', 'family-parenting'], 1601: ['family-parenting', 'arts-culture'],
    1517: ['arts-culture'], 1050: ['arts-culture'],
    // Nature
    510: ['nature'], 461: ['nature'], 1540: ['nature'], 745: ['nature'], 468: ['nature'], 466: ['nature'],
    469: ['nature'], 1793: ['nature', 'physical-activity'], 1081: ['nature', 'physical-activity'], 746: ['nature'],
    1109: ['nature'], 613: ['nature', 'physical-activity'], 1118: ['nature'], 467: ['nature', 'learning'],
    751: ['nature', 'learning'],
    // Carers
    225: ['carers'], 298: ['carers'], 1755: ['carers'], 162: ['carers'], 300: ['carers', 'family-parenting'],
    227: ['carers'], 1790: ['carers', 'family-parenting'], 229: ['carers'],
    // Bereavement
    328: ['bereavement'], 671: ['bereavement', 'money-debt'], 329: ['bereavement', 'money-debt'], 875: ['bereavement'],
    321: ['bereavement'], 322: ['bereavement'],
    // Health conditions and disability
    204: ['health-conditions'], 205: ['health-conditions', 'practical-help'], 202: ['health-conditions'],
    246: ['health-conditions', 'family-parenting'], 1759: ['health-conditions'],
    180: ['health-conditions', 'practical-help'],
    1788: ['health-conditions'], 293: ['health-conditions'], 209: ['health-conditions', 'practical-help'],
    287: ['health-conditions'], 832: ['health-conditions'], 833: ['health-conditions', 'practical-help'],
    271: ['health-conditions', 'practical-help'], 1787: ['health-conditions', 'family-parenting'],
    // Healthy lifestyle
    1746: ['healthy-lifestyle'], 1747: ['healthy-lifestyle'], 199: ['healthy-lifestyle'],
    // Families and young people
    642: ['family-parenting'], 700: ['family-parenting'], 1579: ['family-parenting'], 831: ['family-parenting'],
    1772: ['family-parenting'], 53: ['family-parenting'], 20: ['family-parenting'], 19: ['family-parenting'],
    18: ['family-parenting'], 47: ['family-parenting'], 837: ['family-parenting'], 1828: ['family-parenting'],
    160: ['family-parenting'], 159: ['family-parenting'], 1741: ['family-parenting', 'learning'],
    12: ['family-parenting'], 927: ['family-parenting'], 736: ['family-parenting'],
    918: ['family-parenting', 'housing'],
    670: ['family-parenting', 'nature'], 1586: ['family-parenting'], 919: ['family-parenting', 'learning'],
    893: ['family-parenting'],
    // Alcohol, drugs, gambling
    727: ['substance-use'], 730: ['substance-use'], 1820: ['substance-use', 'money-debt'], 1373: ['substance-use'],
    // Abuse and safety
    164: ['domestic-abuse'], 731: ['domestic-abuse'], 1816: ['domestic-abuse'],
    // Practical help and getting about
    272: ['practical-help'], 901: ['practical-help'], 280: ['practical-help'], 275: ['practical-help'],
    279: ['practical-help'], 1615: ['practical-help'], 854: ['practical-help'], 147: ['practical-help'],
    728: ['practical-help'], 645: ['practical-help'], 309: ['practical-help'], 169: ['practical-help'],
    1119: ['practical-help'], 423: ['practical-help'], 313: ['practical-help', 'health-conditions'],
    77: ['practical-help', 'housing'], 221: ['practical-help'], 178: ['practical-help', 'health-conditions'],
    137: ['practical-help', 'health-conditions'], 1402: ['practical-help', 'health-conditions'],
    242: ['practical-help', 'health-conditions'], 276: ['practical-help', 'health-conditions'], 676: ['practical-help'],
};

/** OpenActive activities (by their own or an ancestor's label, nearest first) whose needs are not just activity. */
export const OPENACTIVE_RULES: Readonly<Record<string, readonly string[]>> = {
    'Meditation': ['mental-wellbeing', 'physical-activity'],
    'Yoga': ['physical-activity', 'mental-wellbeing'],
    'Tai Chi': ['physical-activity', 'mental-wellbeing'],
    'Qigong': ['physical-activity', 'mental-wellbeing'],
    'Walking': ['physical-activity', 'nature'],
    'Gardening': ['nature', 'physical-activity'],
    'Forest School': ['nature', 'family-parenting'],
    'Camping': ['nature', 'physical-activity'],
    'Orienteering': ['physical-activity', 'nature'],
    'Geocaching': ['nature', 'physical-activity'],
    'Angling': ['nature', 'physical-activity'],
    'Mountaineering': ['physical-activity', 'nature'],
    'Dance Fitness': ['physical-activity'],
    'Dance': ['physical-activity', 'arts-culture'],
    'Singing': ['arts-culture'],
    'Drumming': ['arts-culture'],
    'Acting': ['arts-culture'],
    'Circus Skills': ['arts-culture', 'physical-activity'],
    'Creche': ['family-parenting'],
    'Early Years Play': ['family-parenting', 'physical-activity'],
    'Soft Play': ['family-parenting', 'physical-activity'],
    'Activity Holiday Camp': ['family-parenting', 'physical-activity'],
    'Sauna': ['healthy-lifestyle'],
    'Spa': ['healthy-lifestyle'],
    'Steam Room': ['healthy-lifestyle'],
    'Turkish Baths': ['healthy-lifestyle'],
    'Darts': ['physical-activity', 'loneliness'],
    'Pool': ['physical-activity', 'loneliness'],
    'Snooker': ['physical-activity', 'loneliness'],
    'Billiards': ['physical-activity', 'loneliness'],
    'Bowls': ['physical-activity', 'loneliness'],
    'Petanque': ['physical-activity', 'loneliness'],
};

/** Sport adapted for disabled people also helps with living with a condition or disability. */
const ADAPTED_SPORT = /^(?:wheelchair|para|powerchair|blind|visually impaired)\b|^(?:boccia|goalball|polybat)$/i;

/**
 * Open Eligibility terms (by label) and their needs, written for Signpost from Open Eligibility's published term
 * names. Labels are compared without case or punctuation; a term not listed is read for need words instead.
 */
export const OPEN_ELIGIBILITY_NEEDS: Readonly<Record<string, readonly string[]>> = {
    'Food': ['food'], 'Emergency Food': ['food'], 'Food Pantry': ['food'], 'Meals': ['food'], 'Free Meals': ['food'],
    'Food Delivery': ['food', 'practical-help'], 'Help Pay for Food': ['food', 'money-debt'],
    'Nutrition Education': ['healthy-lifestyle', 'food'], 'Community Gardens': ['nature', 'food'],
    'Housing': ['housing'], 'Emergency Shelter': ['housing'], 'Temporary Shelter': ['housing'],
    'Help Find Housing': ['housing'], 'Help Pay for Housing': ['housing', 'money-debt'], 'Housing Advice': ['housing'],
    'Maintenance & Repairs': ['housing', 'practical-help'], 'Residential Housing': ['housing'],
    'Help Pay for Utilities': ['money-debt', 'housing'], 'Homeless': ['housing'],
    'Money': ['money-debt'], 'Financial Education': ['money-debt', 'learning'], 'Government Benefits': ['money-debt'],
    'Benefits': ['money-debt'], 'Financial Assistance': ['money-debt'], 'Emergency Payments': ['money-debt'],
    'Tax Preparation': ['money-debt'], 'Debt Management': ['money-debt'],
    'Mental Health Care': ['mental-wellbeing'], 'Counseling': ['mental-wellbeing'], 'Counselling': ['mental-wellbeing'],
    'Support Groups': ['mental-wellbeing', 'loneliness'], 'Peer Support': ['mental-wellbeing', 'loneliness'],
    'Spiritual Support': ['mental-wellbeing'], 'Help Hotlines': ['mental-wellbeing'], 'Companionship': ['loneliness'],
    'Addiction & Recovery': ['substance-use'], 'Substance Dependency': ['substance-use'],
    'Exercise & Fitness': ['physical-activity'], 'Health Education': ['healthy-lifestyle'],
    'Quit Smoking': ['healthy-lifestyle'], 'Smoking Cessation': ['healthy-lifestyle'],
    'Disease Management': ['health-conditions'], 'Physical Therapy': ['health-conditions'],
    'End-of-Life Care': ['health-conditions'], 'Bereavement': ['bereavement'], 'Grief Counseling': ['bereavement'],
    'Caregiver Support': ['carers'], 'Caregivers': ['carers'], 'Respite Care': ['carers'],
    'Daytime Care': ['health-conditions', 'loneliness'], 'Help Find Childcare': ['family-parenting'],
    'Childcare': ['family-parenting'], 'Parenting Education': ['family-parenting'],
    'Adoption & Foster Care': ['family-parenting'], 'Baby Supplies': ['family-parenting'],
    'Education': ['learning'], 'More Education': ['learning'], 'Language': ['learning'],
    'English as a Second Language': ['learning'], 'Computer Class': ['learning'], 'Tutoring': ['learning'],
    'Skills & Training': ['learning', 'employment'], 'Literacy': ['learning'],
    'Work': ['employment'], 'Help Find Work': ['employment'], 'Job Training': ['employment', 'learning'],
    'Employment': ['employment'], 'Workplace Rights': ['employment'], 'Unemployed': ['employment'],
    'Volunteering': ['volunteering'],
    'Transit': ['practical-help'], 'Transportation': ['practical-help'], 'Bus Passes': ['practical-help'],
    'Help Pay for Transit': ['practical-help', 'money-debt'], 'Clothing': ['practical-help'],
    'Home Goods': ['practical-help'], 'Advocacy & Legal Aid': ['practical-help'], 'Mediation': ['practical-help'],
    'Help Escape Violence': ['domestic-abuse'], 'Domestic Violence Survivors': ['domestic-abuse'],
};

const ESD_SOURCE = 'LGA "esd" Local Government Services List (English and Welsh Services), '
    + 'id.esd.org.uk/list/englishAndWelshServices, snapshot c. 2021/22 via '
    + 'github.com/mysociety/council_climate_services '
    + '(commit 3bc38ca). The LGA publishes its esd lists for open reuse (believed Open Government Licence; check '
    + 'standards.esd.org.uk before redistributing). Labels are the list\'s; the need choices are Signpost\'s.';
const OPENACTIVE_SOURCE = 'OpenActive Activity List (openactive.io/activity-list, github.com/openactive/activity-list '
    + 'commit abbf7bc), CC BY 4.0: "OpenActive Activity List" by OpenActive (Open Data Institute). Ids and labels are '
    + 'the list\'s; the need choices are Signpost\'s.';
const OPEN_ELIGIBILITY_SOURCE = 'Open Eligibility project (openeligibility.org), human services and human situations '
    + 'term names, CC BY-SA. Written by hand for Signpost from the published term names; the full list is not in '
    + 'shared/, so check new labels against it. The need choices are Signpost\'s.';

/** The LGA service types mapped to needs, labels taken from the list. Throws when a chosen id is not in the list. */
export function deriveEsd(csvText: string): VocabularyMap {
    const rows = new Map(csvRecords(csvText).map((r) => [r.Identifier ?? '', r]));
    const terms: Record<string, MappedTerm> = {};
    for (const id of Object.keys(ESD_NEEDS).sort((a, b) => Number(a) - Number(b))) {
        const row = rows.get(id);
        if (!row) {
            throw new Error(`LGA service type ${id} is not in the services list`);
        }
        terms[id] = { label: (row.Label ?? '').replace(/\s+/g, ' ').trim(), needs: [...(ESD_NEEDS[id] ?? [])] };
    }
    return {
        about: `LGA service types (ORUK CURIE esdServiceType:<id>) that a social prescriber would signpost to: `
            + `${Object.keys(terms).length} of ${rows.size}. A type not listed here is a council function that gives `
            + 'no need; the listing\'s own words decide.',
        source: ESD_SOURCE,
        terms,
    };
}

interface OpenActiveConcept {
    id: string;
    identifier?: string;
    prefLabel: string;
    altLabel?: string[];
    broader?: string[];
}

/** Every OpenActive activity mapped to needs: activity, plus what its family adds (walking: nature, ...). */
export function deriveOpenActive(jsonld: string): VocabularyMap {
    const concepts = (JSON.parse(jsonld) as { concept: OpenActiveConcept[] }).concept;
    const byUri = new Map(concepts.map((c) => [c.id, c]));
    const chain = (concept: OpenActiveConcept): string[] => {
        const labels: string[] = [];
        let level = [concept];
        const seen = new Set<string>();
        while (level.length > 0) {
            labels.push(...level.map((c) => c.prefLabel));
            level.forEach((c) => seen.add(c.id));
            level = level.flatMap((c) => c.broader ?? []).map((uri) => byUri.get(uri))
                .filter((c): c is OpenActiveConcept => c !== undefined && !seen.has(c.id));
        }
        return labels;
    };
    const terms: Record<string, MappedTerm> = {};
    for (const concept of [...concepts].sort((a, b) => a.prefLabel.localeCompare(b.prefLabel))) {
        const id = (concept.identifier ?? concept.id.split('#')[1] ?? '').toLowerCase();
        const rule = chain(concept).map((label) => OPENACTIVE_RULES[label]).find((needs) => needs);
        const needs = ADAPTED_SPORT.test(concept.prefLabel)
            ? ['physical-activity', 'health-conditions']
            : [...(rule ?? ['physical-activity'])];
        const term: MappedTerm = { label: concept.prefLabel.trim(), needs };
        const alt = (concept.altLabel ?? []).map((l) => l.trim()).filter((l) => l !== '');
        if (alt.length > 0) {
            term.altLabels = alt;
        }
        terms[id] = term;
    }
    return {
        about: 'Every OpenActive activity (ORUK CURIE openActiveActivity:<uuid>, or the activity-list URI). All are '
            + 'physical activity; walking and outdoor ones add nature, yoga and tai chi add wellbeing, singing and '
            + 'drama are arts, creche and soft play are for families, adapted sport adds health conditions.',
        source: OPENACTIVE_SOURCE,
        terms,
    };
}

/** The hand-written Open Eligibility part. */
export function deriveOpenEligibility(): VocabularyMap {
    const terms: Record<string, MappedTerm> = {};
    for (const [label, needs] of Object.entries(OPEN_ELIGIBILITY_NEEDS)) {
        terms[labelKey(label)] = { label, needs: [...needs] };
    }
    return {
        about: 'Open Eligibility terms by label (lower case, "&" as "and"), for feeds that tag services with them.',
        source: OPEN_ELIGIBILITY_SOURCE,
        terms,
    };
}

/** The whole map from the shared data folder. */
export function deriveTaxonomyMap(sharedData: string): TaxonomyMapFile {
    const esdFile = path.join(sharedData, 'esd-lga-services-list', 'englishAndWelshServices-all.csv');
    const esd = fs.readFileSync(esdFile, 'utf8');
    const oa = fs.readFileSync(path.join(sharedData, 'openactive-activity-list', 'activity-list.jsonld'), 'utf8');
    return taxonomyMapFileSchema.parse({
        about: 'Which Signpost need ids the terms of the taxonomies used in Open Referral UK feeds stand for. '
            + '`signpost kb import` reads it to give imported services their needs. Derived by '
            + 'src/import/derive-taxonomy-map.ts; edit the choices there and run it again, not this file.',
        source: 'LGA services list (believed OGL), OpenActive activity list (CC BY 4.0), Open Eligibility term names '
            + '(CC BY-SA): see each vocabulary\'s source. The need choices are Signpost\'s, under the project licence.',
        vocabularies: {
            esdServiceType: deriveEsd(esd),
            openActiveActivity: deriveOpenActive(oa),
            openEligibility: deriveOpenEligibility(),
        },
    });
}

/** JSON with one term a line, so a change to one choice is a one-line diff. */
export function formatTaxonomyMap(map: TaxonomyMapFile): string {
    const vocabularies = Object.entries(map.vocabularies).map(([name, vocabulary]) => {
        const terms = Object.entries(vocabulary.terms)
            .map(([id, term]) => `        ${JSON.stringify(id)}: ${JSON.stringify(term)}`).join(',\n');
        return `    ${JSON.stringify(name)}: {\n      "about": ${JSON.stringify(vocabulary.about)},\n`
            + `      "source": ${JSON.stringify(vocabulary.source)},\n      "terms": {\n${terms}\n      }\n    }`;
    });
    return `{\n  "about": ${JSON.stringify(map.about)},\n  "source": ${JSON.stringify(map.source)},\n`
        + `  "vocabularies": {\n${vocabularies.join(',\n')}\n  }\n}\n`;
}

if (require.main === module) {
    const shared = path.resolve(process.argv[2] ?? path.join(projectRoot(), '..', 'shared', 'data'));
    process.stdout.write(formatTaxonomyMap(deriveTaxonomyMap(shared)));
}
