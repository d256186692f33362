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
    NO_PRICE_NOTES, mapAccessibility, mapCosts, mapEligibility, mapEmail, mapPhone, mapSchedules, mapUrl, parseDate, parseDateTime,
} from './fields';
import type { Note } from './fields';
import { cleanText, shorten, summarise } from './html';
import type { ServiceLabeller } from './labeller';
import { assignNeeds } from './needs';
import type { NeedDetector } from './needs';
import { placeService } from './place';
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
    | { ok: false; id: string; faults: RecordFault[]; notes: Note[] };

/** HSDS statuses of services that are not running. */
const NOT_RUNNING = new Set(['inactive', 'defunct', 'temporarily closed', 'closed', 'deleted', 'withdrawn']);

const LIMITS = { name: 120, description: 2000, org: 120, keyword: 60, keywords: 12 };

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
    const placed = placeService(feed, fullText, ctx.outcodes, notes);
    const { schedules, note: scheduleNote } = mapSchedules(feed.schedules, ctx.today, notes);
    const assured = parseDate(feed.assuredDate) ?? parseDate(feed.lastModified);
    if (str(feed.assuredDate) !== undefined && !parseDate(feed.assuredDate)) {
        notes.push({ field: 'assured_date', message: 'is not a date: last_modified is used instead' });
    }
    const lastModified = parseDateTime(feed.lastModified);
    const categoryWord = category && category.length <= LIMITS.keyword ? [category] : [];
    const keywords = [...new Set([...assigned.keywords, ...categoryWord])].slice(0, LIMITS.keywords);

    const notesBefore = notes.length;
    const costs = mapCosts(feed.costs, feed.fees, notes, fullText);
    const costUnknown = costs.length === 0 && notes.slice(notesBefore).some((n) => NO_PRICE_NOTES.has(n.message));
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
        email: mapEmail(feed.email, notes),
        phone: mapPhone(feed.phones, notes),
        location: placed.location,
        area_served: placed.area_served,
        schedule_note: scheduleNote,
        eligibility_description: mapEligibility(feed),
        last_modified: lastModified,
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
    return { ok: false, id, faults, notes };
}
