/**
 * The short phrases that say why a listing was offered ("free", "1.2 km away"). The defaults live here so matching
 * works on its own; the wording file in `knowledge/` can replace any of them through buildDirectoryIndex's options.
 * Templates use {name} placeholders.
 */
import type { AccessFeature, WelcomeFeature } from '../knowledge/schema';

/** Every phrase the ranker can put in `why`. */
export interface WhyWording {
    /** {needs}: need labels joined with "and". */
    helpsWith: string;
    /** {needs}: said first of the one near listing added to a first page where nothing else is near (rank.ts). */
    nearFor: string;
    /** {words}: the resident's own words found in the listing. */
    mentions: string;
    free: string;
    /** {amount}: the lowest price, e.g. "2.50". */
    costsFrom: string;
    /** The source gave no price. */
    costUnknown: string;
    /** {km}: e.g. "1.2". */
    kmAway: string;
    /** Placed only by its postcode district, the resident's own district: "0.0 km away" would be false precision. */
    inYourArea: string;
    online: string;
    phone: string;
    onlineOrPhone: string;
    homeVisit: string;
    /** {area}: the listing's area_served. */
    covers: string;
    /** {month}: e.g. "September 2026". */
    lastChecked: string;
    notCheckedSince: string;
    /** Only by a GP's referral. */
    referralGp: string;
    /** Only by someone else's referral (a health visitor, a social worker). */
    referral: string;
    /** A children's or young people's service offered to an adult. */
    forChildren: string;
    /** {min}, {max}: an age range the resident is outside. */
    forAges: string;
    /** {min}: an older people's service offered to someone younger. */
    forOver: string;
    /** {place}: a service only for people living in another town than the resident's. */
    forPlace: string;
    access: Readonly<Record<AccessFeature, string>>;
    welcome: Readonly<Record<WelcomeFeature, string>>;
    months: readonly string[];
    /**
     * The phrases said differently when the results are for someone else (issue 18): "near them", "in their area",
     * "someone can meet them at the door". Each one left out keeps its "you" phrase.
     */
    them?: ThemWhyWording;
}

/** The phrases of WhyWording that speak to the resident as "you", as said about someone else. */
export type ThemWhyWording = Partial<Pick<WhyWording, 'nearFor' | 'inYourArea' | 'homeVisit' | 'referralGp'
    | 'referral'>> & { welcome?: Partial<Record<WelcomeFeature, string>> };

/** The default phrases: plain English, short. */
export const DEFAULT_WHY_WORDING: Readonly<WhyWording> = Object.freeze({
    helpsWith: 'helps with: {needs}',
    nearFor: 'near you, for {needs}',
    mentions: 'mentions: {words}',
    free: 'free',
    costsFrom: 'costs from £{amount}',
    costUnknown: 'ask them about the cost',
    kmAway: '{km} km away',
    inYourArea: 'in your area',
    online: 'online',
    phone: 'by phone',
    onlineOrPhone: 'online or by phone',
    homeVisit: 'they can visit you at home',
    covers: 'covers {area}',
    lastChecked: 'last checked {month}',
    notCheckedSince: 'not checked since {month}',
    referralGp: 'You need a GP referral for this one',
    referral: 'Someone like a health visitor needs to refer you to this one',
    forChildren: 'This one is for children and young people',
    forAges: 'This one is for people aged {min} to {max}',
    forOver: 'This one is for people aged {min} and over',
    forPlace: 'This one is only for people who live in {place}',
    access: Object.freeze({
        'wheelchair': 'wheelchair access',
        'hearing-loop': 'hearing loop',
        'bsl': 'British Sign Language',
        'quiet-space': 'a quiet space',
        'accessible-toilet': 'accessible toilet',
        'large-print': 'large print',
    }),
    welcome: Object.freeze({
        'meet-at-door': 'someone can meet you at the door',
        'bring-someone': 'you can bring someone with you',
        'beginners-welcome': 'beginners welcome',
        'small-group': 'a small group',
        'phone-first': 'you can phone them first',
    }),
    them: Object.freeze({
        nearFor: 'near them, for {needs}',
        inYourArea: 'in their area',
        homeVisit: 'someone can visit them at home',
        referralGp: 'They need a GP referral for this one',
        referral: 'Someone like a health visitor needs to refer them to this one',
        welcome: Object.freeze({
            'meet-at-door': 'someone can meet them at the door',
            'bring-someone': 'they can bring someone with them',
        }),
    }),
    months: Object.freeze([
        'January', 'February', 'March', 'April', 'May', 'June',
        'July', 'August', 'September', 'October', 'November', 'December',
    ]),
});

/** Defaults with some phrases replaced; the access and welcome maps are merged key by key. */
export function withWording(overrides?: Partial<WhyWording>): Readonly<WhyWording> {
    if (!overrides) {
        return DEFAULT_WHY_WORDING;
    }
    return Object.freeze({
        ...DEFAULT_WHY_WORDING,
        ...overrides,
        access: Object.freeze({ ...DEFAULT_WHY_WORDING.access, ...overrides.access }),
        welcome: Object.freeze({ ...DEFAULT_WHY_WORDING.welcome, ...overrides.welcome }),
        them: Object.freeze({
            ...DEFAULT_WHY_WORDING.them, ...overrides.them,
            welcome: Object.freeze({ ...DEFAULT_WHY_WORDING.them?.welcome, ...overrides.them?.welcome }),
        }),
    });
}

/**
 * The phrases as said about someone else: each "you" phrase replaced by its "them" one where the wording has it, so
 * a wording file written before the "them" phrases existed still works (the "you" phrase stands in).
 */
export function aboutThem(wording: Readonly<WhyWording>): Readonly<WhyWording> {
    const them = wording.them;
    if (!them) return wording;
    const { welcome, ...phrases } = them;
    const defined = Object.fromEntries(Object.entries(phrases).filter(([, v]) => typeof v === 'string'));
    return Object.freeze({
        ...wording,
        ...defined,
        welcome: Object.freeze({ ...wording.welcome, ...welcome }),
    });
}

/** Fills {name} placeholders; an unknown placeholder is left as it is so a typo in the wording file shows. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
    return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** "September 2026" from "2026-09-01". */
export function monthYear(isoDate: string, wording: Readonly<WhyWording>): string {
    const [year, month] = isoDate.split('-');
    return `${wording.months[Number(month) - 1] ?? month} ${year}`;
}

/** "1.2" under 10 km, whole numbers beyond: nobody needs 12.7 km. */
export function formatKm(km: number): string {
    return km < 10 ? km.toFixed(1) : String(Math.round(km));
}

/** "2", "2.50": whole pounds without pence. */
export function formatPounds(amount: number): string {
    return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}
