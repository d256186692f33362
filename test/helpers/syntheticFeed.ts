/**
 * A synthetic Open Referral UK v1 feed of any size, for the 10,000-service import test and timing: varied names and
 * HTML descriptions, organisations, venues with postcodes (some with coordinates), schedules, prices, LGA and
 * OpenActive taxonomy terms on about half, and a known number of broken records. Deterministic (seeded).
 */

/** Every this-many-th record has no name; every other this-many-th has no organisation. */
export const BROKEN_EVERY = 500;

/** How many records of a feed of `size` are broken, so tests can check the counts. */
export function brokenCount(size: number): { noName: number; noOrganization: number } {
    let noName = 0;
    let noOrganization = 0;
    for (let i = 0; i < size; i++) {
        if (i % BROKEN_EVERY === 7) noName++;
        else if (i % BROKEN_EVERY === 11) noOrganization++;
    }
    return { noName, noOrganization };
}

/** A small seeded generator (mulberry32), so every run makes the same feed. */
function random(seed: number): () => number {
    let a = seed;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const WALKING = 'openActiveActivity:95092977-5a20-4d6e-b312-8fddabe71544';
const TAI_CHI = 'openActiveActivity:c16df6ed-a4a0-4275-a8c3-1c8cff56856f';

const KINDS = [
    { what: 'Walking Group', text: 'A gentle walking group for all abilities, exploring parks and green spaces.',
        term: { id: WALKING, name: 'Walking', vocabulary: 'OpenActive' } },
    { what: 'Coffee Morning', text: 'A friendly coffee morning to meet new people and make friends over a cuppa.',
        term: { id: 'esdServiceType:297', name: 'Community support groups', vocabulary: 'esdServiceTypes' } },
    { what: 'Debt Advice', text: 'Free, confidential debt advice and benefit checks from trained advisers.',
        term: { id: 'esdServiceType:651', name: 'Debt counselling', vocabulary: 'esdServiceTypes' } },
    { what: 'Food Bank', text: 'Emergency food parcels for people struggling to afford food. Referral needed.',
        term: { id: 'esdServiceType:1818', name: 'Food banks', vocabulary: 'esdServiceTypes' } },
    { what: 'Community Choir', text: 'Sing with us: no auditions and no need to read music.', term: undefined },
    { what: 'Carers Group', text: 'A support group for unpaid carers looking after a relative.', term: undefined },
    { what: 'Allotment Project', text: 'Grow your own vegetables on our community allotment.', term: undefined },
    { what: 'Chair Yoga', text: 'Chair based yoga for older people and anyone with limited mobility.',
        term: { id: TAI_CHI, name: 'Tai Chi', vocabulary: 'OpenActive' } },
];
const PLACES = ['Ashby', 'Brigg', 'Barton', 'Crowle', 'Epworth', 'Kirton', 'Winterton', 'Messingham'];
const DISTRICTS = ['DN15', 'DN16', 'DN17', 'DN18', 'DN20', 'DN9'];
const EXTRA = [
    'Tea and biscuits are provided.', 'Come on your own or bring a friend.',
    'Please contact us before your first visit.',
    'The venue has step-free access.', 'Children are welcome with an adult.', 'We meet in the main hall.',
    'Booking is not needed.', 'Parking is available nearby.', 'Run by local volunteers since 2015.',
];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** A feed of `size` ORUK v1 services. */
export function syntheticFeed(size: number, seed = 42): object[] {
    const rnd = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
    const services: object[] = [];
    for (let i = 0; i < size; i++) {
        const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number];
        const town = pick(PLACES);
        const district = pick(DISTRICTS);
        const extra = [pick(EXTRA), pick(EXTRA), pick(EXTRA)].join(' ');
        const id = `syn-${String(i).padStart(5, '0')}`;
        const withCoordinates = rnd() < 0.5;
        const service: Record<string, unknown> = {
            id,
            name: i % BROKEN_EVERY === 7 ? '' : `${town} ${kind.what} ${i}`,
            description: `<p>${kind.text}</p><p>${extra} Ref&nbsp;${i}.</p>`,
            url: `https://example.org/services/${id}?utm_source=feed`,
            email: 'redacted@example.org',
            status: 'active',
            fees: '',
            attending_type: rnd() < 0.1 ? 'Online' : 'Venue',
            assured_date: `202${4 + Math.floor(rnd() * 2)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
            organization: i % BROKEN_EVERY === 11 ? undefined : {
                id: `org-${i % 700}`, name: `${town} Community Trust ${i % 700}`, url: 'https://example.org/',
            },
            service_at_locations: [{
                id: `sal-${i}`,
                location: {
                    id: `loc-${i}`,
                    name: `${town} Village Hall`,
                    latitude: withCoordinates ? 53.5 + rnd() * 0.2 : undefined,
                    longitude: withCoordinates ? -0.7 + rnd() * 0.2 : undefined,
                    physical_addresses: [{ address_1: `${1 + (i % 90)} High Street`, city: town,
                        postal_code: `${district} ${1 + (i % 9)}AB` }],
                },
            }],
            regular_schedules: [{ opens_at: '10:00:00', closes_at: '12:00:00', byday: pick(DAYS), freq: 'WEEKLY' }],
            cost_options: rnd() < 0.3
                ? [{ option: 'Per session', amount: 2, amount_description: 'Pay what you can' }]
                : [],
            service_taxonomys: kind.term && rnd() < 0.8 ? [{ id: `st-${i}`, taxonomy: kind.term }] : [],
            pc_supplier_field: { anything: i },
        };
        services.push(service);
    }
    return services;
}
