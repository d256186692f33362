/**
 * Reads an HSDS 3 / ORUK 3 service (`service_full`: organization, phones, schedules, service_areas,
 * service_at_locations with location, addresses and accessibility, cost_options, attributes with taxonomy_term) into
 * a FeedService. The tabular reader joins CSV tables into this same shape.
 */
import { feedLocation, list, obj, str, strings, termRef } from './feed';
import type { FeedLocation, FeedService } from './feed';
import type { TermRef } from './taxonomy-map';

/** Reads an HSDS 3 location: its first physical address, coordinates, type and accessibility notes. */
export function readHsdsLocation(value: unknown): FeedLocation {
    const l = obj(value);
    const addresses = list(l.addresses);
    const address = addresses.find((a) => str(a.address_type) !== 'postal') ?? addresses[0] ?? {};
    const location = feedLocation(l, address, str(address.city) ?? str(address.region),
        list(l.accessibility).flatMap((a) => strings(a.description, a.details)));
    const type = str(l.location_type);
    if (type) location.type = type.toLowerCase();
    return location;
}

/** Reads one HSDS 3 service. Never throws: what is missing stays undefined for the checks to name. */
export function readHsdsService(raw: unknown): FeedService {
    const s = obj(raw);
    const org = obj(s.organization);
    const links = list(s.service_at_locations);
    const schedules = [...list(s.schedules), ...links.flatMap((link) => list(link.schedules))];
    const terms = [
        ...list(s.attributes).map((a) => a.taxonomy_term),
        ...list(s.taxonomy_terms),
        ...list(s.service_taxonomys).map((t) => t.taxonomy ?? t),
    ].map(termRef).filter((t): t is TermRef => t !== undefined);
    return {
        id: s.id,
        name: s.name,
        description: s.description,
        url: s.url,
        email: s.email,
        status: s.status,
        organization: { name: org.name, url: org.website ?? org.url, description: org.description },
        phones: [
            ...list(s.phones).map((p) => p.number),
            ...links.flatMap((link) => list(link.phones).map((p) => p.number)),
            ...list(s.contacts).flatMap((c) => list(c.phones).map((p) => p.number)),
            ...list(org.phones).map((p) => p.number),
        ],
        locations: links.map((link) => readHsdsLocation(link.location)),
        attending: strings(s.attending_type, ...schedules.map((r) => r.attending_type)),
        areas: list(s.service_areas).flatMap((a) => strings(a.name ?? a.service_area)),
        schedules: schedules.map((r) => ({
            byday: r.byday, opens_at: r.opens_at, closes_at: r.closes_at, freq: r.freq,
            description: r.description, ends: r.valid_to ?? r.until,
        })),
        costs: list(s.cost_options),
        fees: s.fees_description ?? s.fees,
        eligibility: strings(s.eligibility_description),
        minimumAge: s.minimum_age,
        maximumAge: s.maximum_age,
        audiences: [],
        terms,
        assuredDate: s.assured_date,
        lastModified: s.last_modified,
    };
}
