/**
 * Who a listing is for, read once per listing from the fields that exist (eligibility, name, description, the
 * timetable note, keywords) with general rules: an age range ("aged 8 to 17", "16-25s", "Over-60s", "65+"),
 * children's and young carers' services, and referral-only schemes ("ask your GP to refer you"). Ranking uses it to
 * put listings that clearly exclude the resident, or that they cannot just go to, lower, and to say so.
 */
import type { Opportunity } from '../knowledge/schema';
import type { Who } from './types';

/** What a listing says about who may come. */
export interface Eligibility {
    /** Youngest age it is for; undefined when it does not say or allows others too ("or anyone who..."). */
    minAge?: number;
    /** Oldest age it is for. */
    maxAge?: number;
    /** For children or young people only (under 19, young carers), with no place for their parents. */
    children: boolean;
    /** Only by referral from a professional; `gp` when a GP (or practice nurse) is who refers. */
    referral?: 'gp' | 'other';
    /** The town it is only for, as written ("for residents of Goxhill", "Brigg residents only"). */
    catchment?: string;
}

/** Why a listing does not suit this resident, for the note said with it. */
export type Mismatch =
    | { kind: 'children' }
    | { kind: 'ages'; min: number; max: number }
    | { kind: 'over'; min: number }
    | { kind: 'place'; place: string };

const clean = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[’]/g, "'").replace(/[\u2013\u2014]/g, '-');

/** Age range in one text: [min, max], either may be undefined. */
function agesIn(text: string): { min?: number; max?: number } {
    const range = /\b(?:aged|ages|age) (\d{1,2}) ?(?:to|-|and) ?(\d{1,2})\b/.exec(text)
        ?? /\b(\d{1,2}) ?(?:-|to) ?(\d{1,2})(?:s\b| year olds?\b| yrs?\b)/.exec(text);
    if (range) {
        const min = Number(range[1]);
        const max = Number(range[2]);
        if (min < max) return { min, max };
    }
    const over = /\b(?:aged|age) (\d{2}) (?:and|or) (?:over|above|older)\b/.exec(text)
        ?? /\bover[- ]?(\d{2})s?\b/.exec(text)
        ?? /\b(\d{2}) ?(?:\+|plus\b|and over\b|or over\b|and older\b)/.exec(text);
    if (over) return { min: Number(over[1]) };
    const under = /\bunder[- ]?(\d{1,2})s?\b/.exec(text);
    if (under) return { max: Number(under[1]) - 1 };
    return {};
}

/** Words that open a service to more than the named group: its families, parents, or "or anyone who...". */
const OPEN_TO_OTHERS = new RegExp('\\b(famil(y|ies)|parents?|dads?|mums?|mothers?|fathers?|carers of|grown-?ups|adults'
    + '|or anyone|or with|or who|or people|all ages)\\b');
const CHILDREN = /\b(young carers|children|kids|young people|teenagers|pupils)\b/;
const REFERRAL = new RegExp([
    /\b(?:gp|doctor|professional|health visitor|clinical) referral\b/.source,
    /\breferral (?:only|needed|required)\b/.source,
    /\b(?:only|must be|need to be|needs to be|have to be) referred\b/.source,
    /\breferred by (?:a|your|their) \w+/.source,
    /\bask your (?:gp|doctor|nurse|health visitor|social worker|social prescriber)\b[^.]{0,60}\bto refer you\b/.source,
    /\b(?:needs|need|requires|require|with) a referral\b/.source,
].join('|'));
const SELF_REFERRAL = new RegExp([
    /\bself[- ]?referr|\brefer yourself\b/.source,
    /\bor (?:phone|call|ring|contact|email|e-mail|text) us\b/.source,
    /\bdrop[- ]in\b|\bjust turn up\b/.source,
].join('|'));
const BY_GP = /\b(?:gp|doctor|practice nurse)\b/;
/**
 * A place name: capitalised words, "upon" and "le" allowed between ("Barton upon Humber", "Stoke-on-Trent"). A hyphen
 * is only ever a separator: were it in a word too, a long hyphenated run that names no place would be tried every
 * way it splits (exponential: seconds for 30 words, hours for 40).
 */
const PLACE_NAME = "([A-Z][a-zA-Z']+(?:[ -](?:upon|on|in|le|by|[A-Z][a-zA-Z']+))*)";
/** Text that says a service is only for the people of one place. */
const CATCHMENTS = [
    new RegExp(`\\b(?:only|solely|exclusively) (?:for|open to|available to) (?:people|residents|those|families|adults)`
        + ` (?:who live |living |based )?(?:in|of) (?:the )?${PLACE_NAME}`),
    new RegExp(`\\bfor (?:people|residents|those|families) (?:who live |living )?(?:in|of) (?:the )?${PLACE_NAME}`
        + ' only\\b'),
    new RegExp(`\\b(?:open|available) (?:only )?to ${PLACE_NAME} residents only\\b`),
    new RegExp(`\\b${PLACE_NAME} residents only\\b`),
    new RegExp(`\\bfor residents of (?:the )?${PLACE_NAME}`),
];

/** The place a listing's own words say it is only for, as written; undefined when none. */
export function catchmentOf(opportunity: Opportunity): string | undefined {
    for (const text of [opportunity.eligibility_description, opportunity.description]) {
        for (const pattern of CATCHMENTS) {
            const found = text ? pattern.exec(text.replace(/[\u2019]/g, "'")) : null;
            if (found?.[1]) return found[1];
        }
    }
    return undefined;
}

/** Reads who a listing is for. */
export function eligibilityOf(opportunity: Opportunity): Eligibility {
    const rule = clean(opportunity.eligibility_description);
    const name = clean(opportunity.name);
    const ages = agesIn(rule);
    const fromName = agesIn(name);
    const open = OPEN_TO_OTHERS.test(rule) || /\bor\b/.test(rule.replace(/\b\d{1,2} or over\b/, ''));
    const min = open ? undefined : ages.min ?? fromName.min;
    const max = open ? undefined : ages.max ?? fromName.max;
    // A name alone ("Kool Kids Kitchen") does not say who may come; an age range, or the eligibility's own words, do.
    const children = !OPEN_TO_OTHERS.test(`${rule} ${name}`) && ((max !== undefined && max <= 19)
        || (CHILDREN.test(rule) && min === undefined && max === undefined));
    const prose = [opportunity.eligibility_description, opportunity.schedule_note, opportunity.description,
        ...opportunity.keywords].map(clean).join(' . ');
    const out: Eligibility = { children };
    if (min !== undefined) out.minAge = min;
    if (max !== undefined) out.maxAge = max;
    if (REFERRAL.test(prose) && !SELF_REFERRAL.test(prose)) {
        out.referral = BY_GP.test(prose) ? 'gp' : 'other';
    }
    const catchment = catchmentOf(opportunity);
    if (catchment) out.catchment = catchment;
    return out;
}

/**
 * Whether a listing clearly leaves this resident out. Residents are taken to be adults unless they say otherwise
 * (a child's age, "my son", "young people"): children's services then drop. An older people's service (50 and
 * over) drops for someone who gave a younger age or said they are young or have small children.
 */
export function mismatch(eligibility: Eligibility, who: Who | undefined): Mismatch | undefined {
    const age = who?.age;
    if (eligibility.children && !who?.child && (age === undefined || age >= 19)) {
        return { kind: 'children' };
    }
    const { minAge, maxAge } = eligibility;
    if (age !== undefined && ((minAge !== undefined && age < minAge) || (maxAge !== undefined && age > maxAge))) {
        if (minAge !== undefined && maxAge !== undefined) return { kind: 'ages', min: minAge, max: maxAge };
        if (minAge !== undefined) return { kind: 'over', min: minAge };
        return { kind: 'children' };
    }
    if (age === undefined && who?.young && minAge !== undefined && minAge >= 50) {
        return { kind: 'over', min: minAge };
    }
    return undefined;
}
