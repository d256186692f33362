/**
 * A resident's choices summed up for the connector who takes their request: short phrases ("near BS5", "free only",
 * "Tuesdays") kept in the request, so the connector knows what the resident asked for without reading the chat. The
 * phrases are in knowledge/wording.json (`preferences`), so a content editor can change them.
 */
import type { Wording } from '../knowledge/wording';
import { describeDays } from '../matching/schedule';
import type { Preferences } from '../matching/types';

/** Preferences as short phrases for a connector ("near BS5", "free only", "Tuesdays"), in the order asked. */
export function describePreferences(p: Preferences, wording: Wording): string[] {
    const words = wording.preferences;
    const fill = (phrase: string, name: string, value: string) => phrase.replace(`{${name}}`, value);
    const out: string[] = [];
    if (p.place) out.push(fill(words.near, 'place', p.place.label));
    if (p.onlineOnly) out.push(words.onlineOnly);
    else if (p.onlineOk) out.push(words.onlineOk);
    if (p.days?.length) out.push(describeDays(p.days));
    if (p.times?.length) out.push(p.times.join(', '));
    if (p.freeOnly) out.push(words.freeOnly);
    if (p.access?.length) out.push(fill(words.access, 'list', p.access.join(', ')));
    if (p.worries?.length) out.push(fill(words.worries, 'list', p.worries.join(', ')));
    return out;
}
