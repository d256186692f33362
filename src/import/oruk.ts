/**
 * Reads an Open Referral UK v1/v2 service (the `/services` shape: nested organization, service_at_locations with
 * physical_addresses, regular_schedules, eligibilitys, cost_options, service_taxonomys) into a FeedService. ORUK 3
 * is HSDS 3, so HSDS 3 names are read too when a feed mixes them. Suppliers' own fields are ignored, except a target
 * audience list, which says who a service is for.
 */
import { feedLocation, list, obj, str, strings, termRef } from './feed';
import type { FeedLocation, FeedService } from './feed';
import { readHsdsLocation } from './hsds';
import type { TermRef } from './taxonomy-map';

function readLocation(value: unknown): FeedLocation {
    const l = obj(value);
    if (!('physical_addresses' in l) && !('accessibility_for_disabilities' in l)) {
        return readHsdsLocation(l);
    }
    const address = list(l.physical_addresses)[0] ?? {};
    return feedLocation(l, address, str(address.city) ?? str(address.state_province),
        list(l.accessibility_for_disabilities).flatMap((a) => strings(a.accessibility, a.details)));
}

/** Reads one ORUK v1/v2 service. Never throws: what is missing stays undefined for the checks to name. */
export function readOrukService(raw: unknown): FeedService {
    const s = obj(raw);
    const org = obj(s.organization);
    const links = list(s.service_at_locations);
    const terms = [...list(s.service_taxonomys).map((t) => t.taxonomy ?? t), ...list(s.taxonomies),
        ...list(s.attributes).map((a) => a.taxonomy_term)]
        .map(termRef).filter((t): t is TermRef => t !== undefined);
    const phones = [
        ...list(s.phones).map((p) => p.number),
        ...list(s.contacts).flatMap((c) => list(c.phones).map((p) => p.number)),
        ...list(org.phones).map((p) => p.number),
    ];
    return {
        id: s.id,
        name: s.name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        organization: { name: org.name, url: org.url ?? org.website, description: org.description },
        phones,
        locations: [...links.map((link) => readLocation(link.location)), ...list(s.locations).map(readLocation)],
        attending: strings(s.attending_type, ...list(s.regular_schedules ?? s.schedules).map((r) => r.attending_type)),
        areas: list(s.service_areas).flatMap((a) => strings(a.service_area ?? a.name)),
        schedules: [
            ...list(s.regular_schedules ?? s.schedules),
            ...links.flatMap((link) => list(link.regular_schedules ?? link.schedules)),
        ].map((r) => ({
            byday: r.byday, opens_at: r.opens_at, closes_at: r.closes_at, freq: r.freq,
            description: r.description, ends: r.valid_to ?? r.until,
        })),
        costs: list(s.cost_options),
        fees: s.fees ?? s.fees_description,
        eligibility: [
            ...strings(s.eligibility_description),
            ...list(s.eligibilitys).flatMap((e) => strings(e.eligibility)),
        ],
        minimumAge: s.minimum_age ?? list(s.eligibilitys).map((e) => e.minimum_age).find((a) => a !== undefined),
        maximumAge: s.maximum_age ?? list(s.eligibilitys).map((e) => e.maximum_age).find((a) => a !== undefined),
        audiences: list(s.pc_targetAudience ?? s.target_audience).flatMap((a) => strings(a.audienceType ?? a.name)),
        terms,
        category: s.deliverable_type,
        assuredDate: s.assured_date,
        lastModified: s.last_modified,
    };
}
