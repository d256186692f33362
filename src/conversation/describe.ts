/**
 * An opportunity in plain text: short for a list, whole for its details. Plain text reads the same on every
 * channel; each channel's renderer may add its own look on top.
 */
import type { Opportunity } from '../knowledge/schema';
import type { DetailsItem, ResultItem } from './messages';
import { BASE_LOCALE, type Wording } from '../knowledge/wording';
import type { RankedResult, Reason } from '../matching/types';
import { eligibilityOf } from '../matching/eligibility';
import { describeSchedules } from '../matching/schedule';
import { aboutThem, fill, formatKm, formatPounds, monthYear, withWording } from '../matching/why';

/** Where it happens, in words: venue and address, or online / by phone / at home. */
export function describeWhere(o: Opportunity, wording: Wording, distanceKm?: number, inYourArea = false,
    them = false): string {
    const parts: string[] = [];
    if (o.location) {
        const l = o.location;
        parts.push([l.name, l.address_1, l.postal_code].filter(Boolean).join(', '));
        // A wording file written before "in your area" existed has none: the default phrase stands in.
        // For someone else, "in their area" (issue 18).
        const why = them ? aboutThem(withWording(wording.why)) : withWording(wording.why);
        if (inYourArea) parts[0] += ` (${why.inYourArea})`;
        else if (distanceKm !== undefined) parts[0] += ` (${wording.text('kmAway', { km: formatKm(distanceKm) })})`;
    }
    if (o.attending_type.includes('online')) parts.push(wording.text('online'));
    if (o.attending_type.includes('phone')) parts.push(wording.text('byPhone'));
    if (o.attending_type.includes('home-visit')) parts.push(wording.text('atHome'));
    return parts.filter(Boolean).join('. ');
}

export function describeWhen(o: Opportunity, wording: Wording): string {
    return describeSchedules(o.schedules) || o.schedule_note || wording.text('contactThem');
}

export function describeCost(o: Opportunity, wording: Wording): string {
    if (!o.cost_options.length) return wording.text(o.cost_unknown ? 'costUnknown' : 'free');
    return o.cost_options.map((c) => {
        const price = c.amount === 0 ? wording.text('free') : `£${formatPounds(c.amount)}`;
        const what = [c.option, c.amount_description].filter(Boolean).join(', ');
        return what ? `${price} (${what})` : price;
    }).join('; ');
}

/**
 * One result in a numbered list, as words ready to show: name, what, where, when, cost, contact, why. In the
 * directory's language (English) whatever the resident's: the listing and the engine's reasons are written in it, and
 * a sentence half in one language and half in another helps nobody. The labels around it are in the resident's.
 * `them`: the resident asks for someone else, and "in your area" becomes "in their area" (issue 18).
 */
export function resultItem(n: number, o: Opportunity, r: RankedResult, residentWording: Wording,
    them = false): ResultItem {
    const wording = residentWording.in(BASE_LOCALE);
    return {
        n,
        id: o.id,
        name: o.name,
        summary: o.summary ?? firstSentence(o.description),
        where: describeWhere(o, wording, r.distanceKm, r.inYourArea === true, them),
        when: describeWhen(o, wording),
        cost: describeCost(o, wording),
        ...contactOf(o),
        why: whySentences(r.reasons ?? r.why.map((text): Reason => ({ kind: 'note', text })), wording),
    };
}

/** Most reasons said in one sentence: more than this and it stops sounding like a person. */
const MAX_CLAUSES = 4;

/** A sentence: its first letter capital, a full stop at the end. */
function sentence(text: string): string {
    const trimmed = text.trim();
    const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
    return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The reasons as a person would say them, not a word list: "It helps with feeling lonely, it's free and it's 1.2 km
 * away." Then what to know first, a sentence each ("You need a GP referral for this one."). A fresh "last checked"
 * is left to the details; a stale one is said as a note. `match --json` keeps the reasons as an array.
 */
export function whySentences(reasons: readonly Reason[], wording: Wording): string[] {
    const templates = wording.whySentence;
    const clauses = reasons.filter((r) => r.kind !== 'note' && r.kind !== 'checked').slice(0, MAX_CLAUSES)
        .map((r) => fill(templates[r.kind as Exclude<Reason['kind'], 'note' | 'checked'>], { reason: r.text }));
    const out: string[] = [];
    if (clauses.length) {
        const last = clauses[clauses.length - 1] as string;
        const before = clauses.slice(0, -1);
        // "helps with looking after someone and family life, and it's free": a comma where an "and" is already said,
        // or a comma ("it's near you, for getting more active, and it's 0.4 km away").
        const comma = before.some((c) => c.includes(` ${templates.and} `) || c.includes(',')) ? ',' : '';
        const said = clauses.length === 1 ? last : `${before.join(', ')}${comma} ${templates.and} ${last}`;
        out.push(sentence(said));
    }
    for (const note of reasons.filter((r) => r.kind === 'note')) out.push(sentence(note.text));
    return out;
}

/** A result item in plain text: the fallback every channel can show. */
export function resultText(item: ResultItem, wording: Wording): string {
    const lines = [
        `${item.n}. ${item.name}`,
        item.summary,
        `${wording.text('labelWhere')}: ${item.where}`,
        `${wording.text('labelWhen')}: ${item.when}`,
        `${wording.text('labelCost')}: ${item.cost}`,
        `${wording.text('labelContact')}: ${contactText(item)}`,
        `${wording.text('labelWhy')}: ${item.why.join(' ')}`,
    ];
    return lines.join('\n');
}

/**
 * Everything a resident may want before going, as words ready to show. A listing open only by referral says so
 * ("You need a GP referral for this one"), so nobody turns up to be sent away. `them`: said about someone else
 * ("They need a GP referral", "someone can meet them at the door"), for a resident asking on their behalf.
 */
export function detailsItem(o: Opportunity, residentWording: Wording, why: string[] = [], them = false): DetailsItem {
    // In the directory's language, as resultItem.
    const wording = residentWording.in(BASE_LOCALE);
    const phrases = them ? aboutThem(withWording(wording.why)) : wording.why;
    const referral = eligibilityOf(o).referral;
    if (referral) why = [...why, sentence(referral === 'gp' ? phrases.referralGp : phrases.referral)];
    const covers = o.area_served && !o.location ? `, ${wording.why.covers.replace('{area}', o.area_served)}` : '';
    return {
        name: o.name,
        description: o.description,
        where: `${describeWhere(o, wording)}${covers}`,
        when: describeWhen(o, wording),
        cost: describeCost(o, wording),
        whoFor: o.eligibility_description || undefined,
        access: o.accessibility.length ? o.accessibility.map((f) => wording.why.access[f]).join(', ') : undefined,
        welcome: o.welcome.length ? o.welcome.map((f) => phrases.welcome[f]).join(', ') : undefined,
        ...contactOf(o),
        why,
        checked: monthYear(o.assured_date, withWording(wording.why)),
    };
}

/** A details item in plain text: the fallback every channel can show. */
export function detailsText(item: DetailsItem, wording: Wording): string {
    const lines = [item.name, item.description, `${wording.text('labelWhere')}: ${item.where}`];
    lines.push(`${wording.text('labelWhen')}: ${item.when}`);
    lines.push(`${wording.text('labelCost')}: ${item.cost}`);
    if (item.whoFor) lines.push(`${wording.text('labelWhoFor')}: ${item.whoFor}`);
    if (item.access) lines.push(`${wording.text('labelAccess')}: ${item.access}`);
    if (item.welcome) lines.push(`${wording.text('labelWelcome')}: ${item.welcome}`);
    lines.push(`${wording.text('labelContact')}: ${contactText(item)}`);
    if (item.why.length) lines.push(`${wording.text('labelWhy')}: ${item.why.join(' ')}`);
    lines.push(`${wording.text('labelChecked')}: ${item.checked}`);
    return lines.join('\n');
}

/** Phone, email and web address, in that order, as one line. */
export function contactText(item: { phone?: string; email?: string; url?: string }): string {
    return [item.phone, item.email, item.url].filter(Boolean).join(', ');
}

function contactOf(o: Opportunity): { phone?: string; email?: string; url?: string } {
    const out: { phone?: string; email?: string; url?: string } = {};
    if (o.phone) out.phone = o.phone;
    if (o.email) out.email = o.email;
    if (o.url) out.url = o.url;
    return out;
}

function firstSentence(text: string): string {
    const m = /^(.{20,160}?[.!?])(\s|$)/.exec(text);
    return m ? m[1] : text.slice(0, 160);
}
