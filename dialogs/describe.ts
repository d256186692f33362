/**
 * An opportunity in plain text: short for a list, whole for its details. Plain text reads the same on every
 * channel; each channel's renderer may add its own look on top.
 */
import type { Opportunity } from '../src/knowledge/schema';
import type { Wording } from '../src/knowledge/wording';
import type { RankedResult } from '../src/matching/types';
import { describeSchedules } from '../src/matching/schedule';
import { formatKm, formatPounds, monthYear } from '../src/matching/why';

/** Where it happens, in words: venue and address, or online / by phone / at home. */
export function describeWhere(o: Opportunity, wording: Wording, distanceKm?: number): string {
    const parts: string[] = [];
    if (o.location) {
        const l = o.location;
        parts.push([l.name, l.address_1, l.postal_code].filter(Boolean).join(', '));
        if (distanceKm !== undefined) parts[0] += ` (${wording.text('kmAway', { km: formatKm(distanceKm) })})`;
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
    if (!o.cost_options.length) return wording.text('free');
    return o.cost_options.map((c) => {
        const price = c.amount === 0 ? wording.text('free') : `£${formatPounds(c.amount)}`;
        const what = [c.option, c.amount_description].filter(Boolean).join(', ');
        return what ? `${price} (${what})` : price;
    }).join('; ');
}

export function describeContact(o: Opportunity): string {
    return [o.phone, o.email, o.url].filter(Boolean).join(', ');
}

/** One result in a numbered list: name, what, where, when, cost, contact, why. */
export function describeResult(n: number, o: Opportunity, r: RankedResult, wording: Wording): string {
    const lines = [
        `${n}. ${o.name}`,
        o.summary ?? firstSentence(o.description),
        `${wording.text('labelWhere')}: ${describeWhere(o, wording, r.distanceKm)}`,
        `${wording.text('labelWhen')}: ${describeWhen(o, wording)}`,
        `${wording.text('labelCost')}: ${describeCost(o, wording)}`,
        `${wording.text('labelContact')}: ${describeContact(o)}`,
        `${wording.text('labelWhy')}: ${r.why.join(', ')}`,
    ];
    return lines.join('\n');
}

/** Everything a resident may want before going. */
export function describeDetails(o: Opportunity, wording: Wording, why: string[] = []): string {
    const covers = o.area_served && !o.location ? `, ${wording.why.covers.replace('{area}', o.area_served)}` : '';
    const lines = [o.name, o.description, `${wording.text('labelWhere')}: ${describeWhere(o, wording)}${covers}`];
    lines.push(`${wording.text('labelWhen')}: ${describeWhen(o, wording)}`);
    lines.push(`${wording.text('labelCost')}: ${describeCost(o, wording)}`);
    if (o.eligibility_description) lines.push(`${wording.text('labelWhoFor')}: ${o.eligibility_description}`);
    if (o.accessibility.length) {
        lines.push(`${wording.text('labelAccess')}: ${o.accessibility.map((f) => wording.why.access[f]).join(', ')}`);
    }
    if (o.welcome.length) {
        lines.push(`${wording.text('labelWelcome')}: ${o.welcome.map((f) => wording.why.welcome[f]).join(', ')}`);
    }
    lines.push(`${wording.text('labelContact')}: ${describeContact(o)}`);
    if (why.length) lines.push(`${wording.text('labelWhy')}: ${why.join(', ')}`);
    lines.push(`${wording.text('labelChecked')}: ${monthYear(o.assured_date, wording.why)}`);
    return lines.join('\n');
}

function firstSentence(text: string): string {
    const m = /^(.{20,160}?[.!?])(\s|$)/.exec(text);
    return m ? m[1] : text.slice(0, 160);
}
