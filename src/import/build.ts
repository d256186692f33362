/**
 * One feed service -> one Signpost record, checked with opportunitySchema. Text is cleaned and shortened to the
 * schema's limits, unusable optional values are left out with a note, needs and place are worked out; then zod has
 * the last word, and a record it rejects is skipped with every fault named (field and reason).
 */
import { faultsFromZod } from '../knowledge/faults';
import { opportunitySchema } from '../knowledge/schema';
import type { Opportunity } from '../knowledge/schema';
import type { Centroid } from '../knowledge/places';
import { str } from './feed';
import type { FeedService } from './feed';
import {
    NO_PRICE_NOTES, mapAccessibility, mapCosts, mapEligibility, mapEmail, mapPhone, mapSchedules, mapUrl, parseDate,
        parseDateTime,
} from './fields';
import type { Note } from './fields';
import { cleanText, shorten, summarise } from './html';
import type { ServiceLabeller } from './labeller';
import { assignNeeds } from './needs';
import type { NeedDetector } from './needs';
import { placeService } from './place';
import { notAService } from './notAService';
import { readProse } from './prose';
import type { ProseFacts, ProseText } from './prose';
import type { Extracted } from '../knowledge/schema';
import type { TaxonomyMap } from './taxonomy-map';
import { typesOfService, type ServiceTypeMatcher } from '../matching/serviceTypes';

/** What building records needs, made once per import. */
export interface BuildContext {
    /** Today as YYYY-MM-DD, for ended schedules. */
    today: string;
    outcodes: ReadonlyMap<string, Centroid>;
    map: TaxonomyMap;
    detect: NeedDetector;
    knownNeedIds: ReadonlySet<string>;
    /** The kinds of service (knowledge/service-types.json) a record is tagged with. */
    types?: ServiceTypeMatcher;
    /** Reads needs from a service's own words (knowledge/service-needs.json); none: the residents' lexicon. */
    labeller?: ServiceLabeller;
}

/** A fault that stops a record: which field, and why in plain words. */
export interface RecordFault {
    field: string;
    message: string;
}

/** A record built and valid, or skipped with its faults; notes either way. */
export type Built =
    | { ok: true; id: string; opportunity: Opportunity; notes: Note[] }
    | { ok: false; id: string; faults: RecordFault[]; notes: Note[]; draft?: Record<string, unknown> };

/** HSDS statuses of services that are not running. */
const NOT_RUNNING = new Set(['inactive', 'defunct', 'temporarily closed', 'closed', 'deleted', 'withdrawn']);

const LIMITS = { name: 120, description: 2000, org: 120, keyword: 60, keywords: 12 };

/** Organisation descriptions cleaned, by their raw text: a feed repeats one with each of its services. Bounded. */
const ORG_TEXTS = new Map<string, string>();

function cleanOrgText(raw: unknown): string {
    if (typeof raw !== 'string') return cleanText(raw);
    let clean = ORG_TEXTS.get(raw);
    if (clean === undefined) {
        if (ORG_TEXTS.size >= 5000) ORG_TEXTS.clear();
        clean = cleanText(raw);
        ORG_TEXTS.set(raw, clean);
    }
    return clean;
}

/** The texts of a record the prose readers read, each named by its feed field. */
export function proseTexts(feed: FeedService, description: string): ProseText[] {
    return [
        { field: 'name', text: cleanText(feed.name) },
        { field: 'description', text: description },
        ...feed.eligibility.map((e) => ({ field: 'eligibility', text: cleanText(e) })),
        { field: 'organization.description', text: cleanOrgText(feed.organization?.description) },
        ...feed.audiences.map((a) => ({ field: 'audience', text: cleanText(a) })),
    ].filter((t) => t.text !== '');
}

/** One prose fact as the record keeps it: field, value, where it came from and its words. */
function fact(field: Extracted['field'], found: { value: string; from: string; span: string }): Extracted {
    return {
        field, value: shorten(found.value, 200) || field, from: shorten(found.from, 60), span: shorten(found.span,
            120) || found.value,
    };
}

/**
 * Prices from prose: a £ price, free, pay what you can or donations (as £0 with the words), or a charge to ask
 * about.
 */
function prosePrice(prose: ProseFacts): { costs: ReturnType<typeof mapCosts>; unknown: boolean } | undefined {
    const price = prose.price;
    if (!price) return undefined;
    const said = shorten(price.span, 200);
    switch (price.kind) {
        case 'amount':
            return { costs: [{ amount: price.amount ?? 0, currency: 'GBP', amount_description: said }],
                unknown: false };
        case 'pay-what-you-can':
        case 'donation':
            return { costs: [{ amount: 0, currency: 'GBP', amount_description: said }], unknown: false };
        case 'free':
            return { costs: [], unknown: false };
        case 'charge':
            return { costs: [], unknown: true };
    }
}

/** The feed's schedules win; when it gives none, sessions and day words from prose are used. */
function proseSchedules(
    mapped: ReturnType<typeof mapSchedules>,
    prose: ProseFacts,
    extracted: Extracted[],
): ReturnType<typeof mapSchedules> {
    if (mapped.schedules.length > 0 || prose.schedules.length === 0) return mapped;
    const sessions = prose.schedules.filter((s) => s.session).map((s) => s.session as NonNullable<typeof s.session>);
    const words = prose.schedules.filter((s) => s.words).map((s) => s.words as string);
    prose.schedules.forEach((s) => extracted.push(fact(s.session ? 'schedules' : 'schedule_note', s)));
    const note = mapped.note ?? (sessions.length === 0 && words.length > 0 ? shorten(words.join('; '), 200)
        : undefined);
    return note ? { schedules: sessions, note } : { schedules: sessions };
}

/** Builds and checks one record. `index` (0-based) names a record that has no id. */
export function buildOpportunity(feed: FeedService, index: number, ctx: BuildContext): Built {
    const notes: Note[] = [];
    const givenId = str(feed.id);
    const id = givenId ?? `record ${index + 1}`;
    const status = str(feed.status)?.toLowerCase();
    if (status && NOT_RUNNING.has(status)) {
        return { ok: false, id, faults: [{ field: 'status', message: `is "${status}": not running now` }], notes };
    }

    let name = cleanText(feed.name);
    if (name.length > LIMITS.name) {
        name = shorten(name, LIMITS.name);
        notes.push({ field: 'name', message: `was longer than ${LIMITS.name} characters: shortened` });
    }
    const orgName = shorten(cleanText(feed.organization?.name), LIMITS.org);
    const fullText = cleanText(feed.description);
    let description = fullText;
    if (description.length < 10) {
        const about = cleanText(feed.organization?.description);
        if (about.length >= 10) {
            description = about;
            notes.push({ field: 'description', message: 'is missing or too short: the organisation\'s is used' });
        }
    }
    if (description.length > LIMITS.description) {
        description = shorten(description, LIMITS.description);
        notes.push({ field: 'description', message: `was longer than ${LIMITS.description} characters: shortened` });
    }

    const category = cleanText(feed.category);
    const assigned = assignNeeds(
        { terms: feed.terms, name, description: fullText || description, ...(category ? { category } : {}) },
        ctx.map, ctx.detect, ctx.knownNeedIds, ctx.labeller,
    );
    const prose = readProse(proseTexts(feed, fullText));
    const extracted: Extracted[] = [];
    const placed = placeService(feed, fullText, ctx.outcodes, notes, prose.delivery.map((d) => d.value));
    if (placed.attending_from_text) {
        prose.delivery.forEach((d) => extracted.push(fact('attending_type', d)));
    }
    // A venue named in the prose, when the feed gives none: its name only (no postcode, so never a distance).
    if (!placed.location && prose.venue && placed.attending_type.includes('in-person')) {
        placed.location = { name: shorten(prose.venue.value, 120) };
        extracted.push(fact('location', prose.venue));
    }
    const mapped = mapSchedules(feed.schedules, ctx.today, notes);
    const { schedules, note: scheduleNote } = proseSchedules(mapped, prose, extracted);
    const assured = parseDate(feed.assuredDate) ?? parseDate(feed.lastModified);
    if (str(feed.assuredDate) !== undefined && !parseDate(feed.assuredDate)) {
        notes.push({ field: 'assured_date', message: 'is not a date: last_modified is used instead' });
    }
    const lastModified = parseDateTime(feed.lastModified);
    const categoryWord = category && category.length <= LIMITS.keyword ? [category] : [];
    const keywords = [...new Set([...assigned.keywords, ...categoryWord])].slice(0, LIMITS.keywords);

    const notesBefore = notes.length;
    const given = mapCosts(feed.costs, feed.fees, notes);
    const unpriced = given.length === 0 && notes.slice(notesBefore).some((n) => NO_PRICE_NOTES.has(n.message));
    // The feed's own cost fields win; only when they say nothing does the prose give the price.
    const fromProse = unpriced ? prosePrice(prose) : undefined;
    if (fromProse && prose.price) {
        notes.splice(notesBefore, notes.length - notesBefore,
            ...notes.slice(notesBefore).filter((n) => !NO_PRICE_NOTES.has(n.message)));
        extracted.push(fact('cost_options', prose.price));
    }
    const costs = fromProse?.costs ?? given;
    const costUnknown = fromProse ? fromProse.unknown : unpriced;
    const structuredPhone = mapPhone(feed.phones, notes);
    const phone = structuredPhone ?? prose.phones[0]?.value;
    if (!structuredPhone) prose.phones.forEach((p) => extracted.push(fact('phone', p)));
    const structuredEmail = mapEmail(feed.email, notes);
    const proseEmail = structuredEmail ? undefined : prose.emails.map((e) => ({ e, ok: mapEmail(e.value, []) }))
        .find((x) => x.ok !== undefined)?.e;
    if (proseEmail) extracted.push(fact('email', proseEmail));
    prose.forWhom.forEach((f) => extracted.push(fact('for_whom', f)));
    const forWhom = prose.forWhom.map((f) => {
        const out: Record<string, unknown> = { kind: f.kind, value: shorten(f.value, 120) };
        if (f.min_age !== undefined) out.min_age = f.min_age;
        if (f.max_age !== undefined) out.max_age = f.max_age;
        return out;
    });
    const draft: Record<string, unknown> = {
        id: givenId,
        name,
        description,
        organization: { name: orgName },
        needs: assigned.needs,
        keywords,
        attending_type: placed.attending_type,
        schedules,
        cost_options: costs,
        accessibility: mapAccessibility(feed.locations.flatMap((l) => l.accessibility)),
        welcome: [],
        assured_date: assured,
        need_reasons: assigned.reasons,
        place_source: placed.place_source,
    };
    const types = ctx.types
        ? typesOfService({ name, description: fullText || description, keywords, ...(category ? { category } : {}) },
            ctx.types).slice(0, 12)
        : [];
    const optional: Record<string, unknown> = {
        service_types: types.length > 0 ? types : undefined,
        cost_unknown: costUnknown || undefined,
        summary: description.length >= 10 ? summarise(description) : undefined,
        url: mapUrl(feed.url, 'url', notes),
        email: structuredEmail ?? proseEmail?.value,
        phone,
        attending_unknown: placed.attending_known ? undefined : true,
        for_whom: forWhom.length > 0 ? forWhom : undefined,
        extracted: extracted.length > 0 ? extracted : undefined,
        location: placed.location,
        area_served: placed.area_served,
        schedule_note: scheduleNote,
        eligibility_description: mapEligibility(feed),
        last_modified: lastModified,
        looks_like: notAService({ name, organization: { name: orgName } },
            [name, description, scheduleNote].filter(Boolean).join('. '))?.kind,
    };
    for (const [key, value] of Object.entries(optional)) {
        if (value !== undefined) {
            draft[key] = value;
        }
    }
    const orgUrl = mapUrl(feed.organization?.url, 'organization.url', notes);
    if (orgUrl) {
        (draft.organization as Record<string, unknown>).url = orgUrl;
    }

    const parsed = opportunitySchema.safeParse(draft, { reportInput: true });
    if (parsed.success) {
        return { ok: true, id, opportunity: parsed.data, notes };
    }
    const faults = faultsFromZod(parsed.error, { file: '' }).map((f): RecordFault => {
        const field = f.field ?? 'record';
        if (field === 'needs') {
            return { field, message: 'none found: no taxonomy term gives one, and its name and description name none' };
        }
        if (field === 'assured_date' && assured === undefined) {
            return { field, message: 'is missing, and so is last_modified: nobody can tell when it was last checked' };
        }
        const blank = { name, description, 'organization.name': orgName }[field];
        if (blank === '') {
            return { field, message: 'is missing' };
        }
        return { field, message: f.message };
    });
    // The draft goes back too, so `kb review` can say what else a skipped record lacks.
    return { ok: false, id, faults, notes, draft };
}
