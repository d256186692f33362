/**
 * Schemas for every data file in `knowledge/`. Field names follow Open Referral UK / HSDS 3 where the
 * standard has the field (name, description, assured_date, schedules.byday, cost_options, location
 * postal_code / latitude / longitude, attending_type); Signpost's own fields say so in their description.
 */
import { z } from 'zod';

/** Days as in HSDS schedules (iCal BYDAY codes). */
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof DAY_CODES)[number];

/** Parts of the day a resident can ask for. Morning is before 12:00, afternoon 12:00-17:00, evening after. */
export const TIMES_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

/** Access needs a resident can name and a listing can meet. */
export const ACCESS_FEATURES = ['wheelchair', 'hearing-loop', 'bsl', 'quiet-space', 'accessible-toilet', 'large-print'] as const;
export type AccessFeature = (typeof ACCESS_FEATURES)[number];

/** Help a listing gives to someone nervous about going (Signpost's own field). */
export const WELCOME_FEATURES = ['meet-at-door', 'bring-someone', 'beginners-welcome', 'small-group', 'phone-first'] as const;
export type WelcomeFeature = (typeof WELCOME_FEATURES)[number];

/** How a resident takes part: ORUK `attending_type`, simplified. */
export const ATTENDING_TYPES = ['in-person', 'online', 'phone', 'home-visit'] as const;
export type AttendingType = (typeof ATTENDING_TYPES)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24-hour clock)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const needId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a need id in lower case with hyphens');

export const scheduleSchema = z.object({
    byday: z.array(z.enum(DAY_CODES)).min(1).describe('HSDS: days the session runs, as iCal BYDAY codes'),
    opens_at: hhmm.describe('HSDS: start time'),
    closes_at: hhmm.describe('HSDS: end time'),
    description: z.string().max(200).optional().describe('HSDS: plain words, e.g. "First Tuesday of the month"'),
}).strict();

export const costOptionSchema = z.object({
    option: z.string().max(120).optional().describe('HSDS: what this price is for'),
    amount: z.number().min(0).max(10000).describe('HSDS: price in the currency below'),
    currency: z.literal('GBP').default('GBP').describe('HSDS: ISO 4217 currency'),
    amount_description: z.string().max(200).optional().describe('HSDS: plain words, e.g. "Pay what you can"'),
}).strict();

export const locationSchema = z.object({
    name: z.string().max(120).optional().describe('HSDS: name of the venue'),
    address_1: z.string().max(200).optional().describe('HSDS: street address'),
    city: z.string().max(80).optional().describe('HSDS: town or city'),
    postal_code: z.string().max(10).optional().describe('HSDS: full or partial UK postcode'),
    latitude: z.number().min(49).max(61).optional().describe('HSDS: WGS84 latitude'),
    longitude: z.number().min(-9).max(3).optional().describe('HSDS: WGS84 longitude'),
}).strict();

/** Where an imported listing's need came from: a taxonomy term the feed gave, or the listing's own words. */
export const NEED_SOURCES = ['taxonomy', 'text'] as const;

/** Why a listing has a need, kept by the importer so a directory owner can check it. */
export const needReasonSchema = z.object({
    need: needId.describe('Signpost: the need id'),
    source: z.enum(NEED_SOURCES)
        .describe('Signpost: taxonomy (a term in the feed) or text (words in its name or description)'),
    detail: z.string().min(1).max(200).describe('Signpost: the term or the words that gave the need'),
}).strict();
export type NeedReason = z.infer<typeof needReasonSchema>;

/** How the importer placed a listing on the map (Signpost's own). */
export const PLACE_SOURCES = ['coordinates', 'postcode', 'postcode-in-text', 'area', 'remote', 'unknown'] as const;
export type PlaceSource = (typeof PLACE_SOURCES)[number];

/**
 * The version of these schemas that `signpost kb import` writes into each directory file. Version 2 (issue 17) added
 * the prose fields (for_whom, extracted, attending_unknown) and `service_types`, and lets a record name no need (an
 * imported service whose words name no need confidently is kept, findable by its words, rather than dropped). A file
 * without a version is version 1 and still loads as before (every record names a need; every field added since is
 * optional). A file from a newer Signpost is refused by name rather than half-read.
 */
export const KNOWLEDGE_SCHEMA_VERSION = 2;

/** Kinds of "who it is for" the importer reads from prose and audience lists. */
export const FOR_WHOM_KINDS = ['age', 'gender', 'condition', 'community', 'catchment', 'audience'] as const;

/** Who a listing is for, read by the importer so matching and curators can use it (Signpost's own). */
export const forWhomSchema = z.object({
    kind: z.enum(FOR_WHOM_KINDS).describe('Signpost: an age range, women or men, a condition, a community, a '
        + 'catchment (a place its users must live in) or a supplier\'s audience path read whole'),
    value: z.string().min(1).max(120).describe('Signpost: "18-25", "women", "dementia", "carers", "Ashby", ...'),
    min_age: z.number().int().min(0).max(120).optional(),
    max_age: z.number().int().min(0).max(120).optional(),
}).strict();

/** Record fields the importer can fill from prose. */
export const EXTRACTED_FIELDS = ['phone', 'email', 'cost_options', 'attending_type', 'schedules', 'schedule_note',
    'for_whom', 'location'] as const;

/** Where one value the importer read from prose came from, so a curator can check it against the feed. */
export const extractedSchema = z.object({
    field: z.enum(EXTRACTED_FIELDS).describe('Signpost: the record field the value went into'),
    value: z.string().min(1).max(200).describe('Signpost: the value read'),
    from: z.string().min(1).max(60).describe('Signpost: the feed field it was read from ("description", ...)'),
    span: z.string().min(1).max(120).describe('Signpost: the words it was read from'),
}).strict();
export type Extracted = z.infer<typeof extractedSchema>;

const isoDateTime = z.string()
    .regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/,
        'a date as YYYY-MM-DD, or a date and time (ISO 8601)');

/** What a listing may look like instead of a service: a business selling something, or a one-off event. */
export const NOT_A_SERVICE_KINDS = ['business', 'event'] as const;
export type NotAServiceKind = (typeof NOT_A_SERVICE_KINDS)[number];

export const opportunitySchema = z.object({
    id: z.string().min(1).max(100).describe('HSDS: service id, stable across imports'),
    name: z.string().min(2).max(120).describe('HSDS: service name'),
    description: z.string().min(10).max(2000).describe('HSDS: what the service does, plain text'),
    summary: z.string().max(160).optional().describe('Signpost: one short line for SMS and lists'),
    organization: z.object({
        name: z.string().min(1).max(120).describe('HSDS: organization name'),
        url: z.url().optional().describe('HSDS: organization website'),
    }).strict(),
    needs: z.array(needId)
        .describe('Signpost: need ids this opportunity helps with, best first; none only from schema_version 2'),
    service_types: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a service type id')).max(12).optional()
        .describe('Signpost: the kinds of service it is (knowledge/service-types.json ids), set by `signpost kb import`'),
    keywords: z.array(z.string().max(60)).default([]).describe('Signpost: extra search words'),
    url: z.url().optional().describe('HSDS: service web page'),
    email: z.email().optional().describe('HSDS: contact e-mail'),
    phone: z.string().regex(/^[0-9 +()]{6,20}$/, 'a phone number of digits and spaces').optional()
        .describe('HSDS phones[].number: contact phone'),
    attending_type: z.array(z.enum(ATTENDING_TYPES)).min(1).describe('ORUK: how people take part'),
    location: locationSchema.optional().describe('HSDS: where it happens, for in-person opportunities'),
    area_served: z.string().max(120).optional().describe('ORUK service_area: set when it covers a whole area'),
    schedules: z.array(scheduleSchema).default([]).describe('HSDS: regular times; empty means "contact them"'),
    schedule_note: z.string().max(200).optional().describe('Signpost: when, in plain words, if not regular'),
    cost_options: z.array(costOptionSchema).default([]).describe('HSDS: prices; empty means free, unless cost_unknown'),
    cost_unknown: z.boolean().optional()
        .describe('Signpost: true when the source gave no price, so residents are told to ask rather than "free"'),
    accessibility: z.array(z.enum(ACCESS_FEATURES)).default([]).describe('HSDS accessibility, as fixed features'),
    welcome: z.array(z.enum(WELCOME_FEATURES)).default([]).describe('Signpost: help for people nervous about going'),
    eligibility_description: z.string().max(300).optional().describe('HSDS: who it is for'),
    assured_date: isoDate.describe('HSDS: the date the listing was last checked'),
    last_modified: isoDateTime.optional().describe('HSDS: when the publisher last changed the record'),
    need_reasons: z.array(needReasonSchema).optional()
        .describe('Signpost: why each need was given, one entry per need, set by `signpost kb import`'),
    place_source: z.enum(PLACE_SOURCES).optional()
        .describe('Signpost: how `signpost kb import` placed it (its coordinates, its postcode district, ...)'),
    attending_unknown: z.boolean().optional()
        .describe('Signpost (v2): true when neither the feed nor its prose says how people take part; attending_type '
            + 'then holds the matcher\'s assumption (in person), not a fact'),
    for_whom: z.array(forWhomSchema).optional()
        .describe('Signpost (v2): who it is for, read by `signpost kb import` from eligibility, prose and audiences'),
    extracted: z.array(extractedSchema).optional()
        .describe('Signpost (v2): each value `signpost kb import` read from prose, with its field and words'),
    looks_like: z.enum(NOT_A_SERVICE_KINDS).optional()
        .describe('Signpost (v2): set by `signpost kb import` when the words read like a business or a one-off event '
            + 'rather than a service (`kb review` flags it too); ranked below services unless the resident named its kind'),
    hidden: z.boolean().optional()
        .describe('Signpost: true when a curator keeps the listing back: residents are never offered it and the '
            + 'Open Referral UK API (/oruk) does not serve it'),
}).strict();

/**
 * The taxonomy vocabularies Signpost publishes its own labels in (GET /oruk/services, src/server/oruk.ts): a
 * listing's needs, and the kinds of service it is. `signpost kb import` reads the needs back as they are and
 * takes nothing else from these, so re-importing Signpost's own output gives the same listings.
 */
export const SIGNPOST_NEED_VOCABULARY = 'signpostNeed';
export const SIGNPOST_TYPE_VOCABULARY = 'signpostServiceType';

export type Opportunity = z.infer<typeof opportunitySchema>;

export const directoryFileSchema = z.object({
    schema_version: z.number().int().min(1).max(KNOWLEDGE_SCHEMA_VERSION, 'a schema version this Signpost knows: '
        + 'update Signpost to read this file').optional()
        .describe('The schema version the file was written for; none means version 1'),
    about: z.string().describe('What this directory is, and whether it is sample data'),
    source: z.string().describe('Where the data came from and its licence'),
    opportunities: z.array(z.unknown()).describe('Records, each validated on its own so faults name the record'),
}).strict();

/** A named place residents may type instead of a postcode (a town, neighbourhood or village). */
export const placeSchema = z.object({
    name: z.string().min(2).max(80).describe('The place name as residents say it'),
    aliases: z.array(z.string().max(80)).default([]).describe('Other spellings or local names'),
    outcode: z.string().regex(/^[A-Z]{1,2}\d[A-Z\d]?$/).optional().describe('Its main postcode district'),
    latitude: z.number().min(49).max(61).describe('WGS84 latitude of its centre'),
    longitude: z.number().min(-9).max(3).describe('WGS84 longitude of its centre'),
}).strict();
export type Place = z.infer<typeof placeSchema>;

export const placesFileSchema = z.object({
    about: z.string(),
    source: z.string(),
    places: z.array(placeSchema),
}).strict();
