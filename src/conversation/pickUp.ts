/**
 * Preferences picked up from what the resident already wrote (issue 16, "results sooner"): a place, days and times,
 * cost, access needs, worries and "online" read from the first message or any later one, so no question is asked
 * whose answer was already given ("near Eastfield on weekday mornings, free"). Read carefully from sentences: a
 * place must be named as written (a known place name, or a postcode district with or without the sector's digit),
 * and short day names, "am" or "night" in a sentence ("I am lonely", "the sun", "I can't sleep at night") are not
 * times. Answers to a question are read by the question's own readers (parse.ts), which may be looser.
 */
import type { Preferences, ResolvedPlace } from '../matching/types';
import type { IntentLexicon } from '../knowledge/intents';
import { parseAccess, parseCost, parseOnline, parseWhen, parseWorries, withoutLocaleWhenWords } from './parse';
import { normalise, outwardCodeOf, phrasesAnywhere } from './understand';
import { readWhen } from './when';

/** What the reader needs: the places it knows, and the clock for "today" and "open now". */
export interface PickUpContext {
    resolvePlace(text: string): ResolvedPlace | undefined;
    now: Date;
    intents: IntentLexicon;
}

/** What a message said about taking part; each field only when it said so. */
export interface PickedUp {
    place?: ResolvedPlace;
    online?: 'ok' | 'only';
    days?: Preferences['days'];
    times?: Preferences['times'];
    /** They asked for something on now (see when.ts). */
    openNow?: boolean;
    /** True: free only; false: they can pay. */
    freeOnly?: boolean;
    access?: Preferences['access'];
    worries?: Preferences['worries'];
}

/** Words that are days or times only when answering "when?", never inside a sentence. */
const LOOSE_TIME_WORDS = new RegExp('(?<![\\p{L}])(?:(?<![\\d.]\\s?)(?:am|pm)|nights?|mon|tue|tues|wed|thu|thur|thurs'
    + '|fri|sat|sun)(?![\\p{L}])|good (?:morning|afternoon|evening)', 'gu');
/**
 * Words that make "today", "tonight" or "tomorrow" in a sentence about when to go ("anything on today", "is there a
 * choir on tonight", "tomorrow morning would be good", "can I go to a group tomorrow"). Without one, the sentence
 * tells what happened or how the resident feels ("I've felt really low today", "I've been on my own all day today",
 * "my carer didn't come today", "I'm being evicted tomorrow"): that is not a day to filter by. Verbs alone ("on",
 * "go", "come") are not enough: they are in those sentences too.
 */
const GOING_WORDS = new RegExp('(?<![\\p{L}])(?:something|anything|anywhere|somewhere|is there|are there|can i|could i'
    + '|i could|want to go|like to go|wanna go|open|running|happening|available|sessions?|groups?|class|classes|clubs?'
    + '|good|suits?|works?|best|better|prefer|please|fine|ok|okay|maybe|instead|how about|what about|what[\'’]?s on'
    + '|what is on)(?![\\p{L}])', 'u');

/** Money words: cost is read only when one is there ("yes" in a sentence is not "free only"). */
const COST_WORDS = /(?<![\p{L}])(?:free|pay|paying|cost|costs|afford|price|skint|broke)(?![\p{L}])/u;
/** "Free" meaning free to come, not free of charge: "I'm free most days", "free time", "free in the mornings". */
const FREE_TO_COME = new RegExp('(?<![\\p{L}])(?:(?:i am|i\'m|im|i\'m usually|i am usually|usually|mostly|often)\\s+free'
    + '(?!\\s+(?:of charge|of cost|things?|stuff|activities|groups?|sessions?|events?|places?|services?|help))'
    + '|free (?:time|most days))(?![\\p{L}])', 'gu');

/** Access words that are clear in a sentence; "calm" or "sight" alone are not an access need there. */
const QUIET_SPACE = /(?<![\p{L}])quiet(?![\p{L}])/u;
const LARGE_PRINT = /large print|big print|partially sighted|visually impaired|(?<![\p{L}])blind(?![\p{L}])/u;

/** What may be a postcode district inside a sentence, perhaps spaced ("bs 5") or with the sector's digit ("bs5 6"). */
const DISTRICT_IN_SENTENCE = /(?<![\p{L}\p{N}])[a-z]{1,2} ?\d[a-z\d]?(?: \d(?![\p{L}\p{N}]))?(?![\p{L}\p{N}])/gu;

/** A place named in a sentence as written: its district, its name, or a district with the sector's digit. */
function placeIn(text: string, resolve: PickUpContext['resolvePlace']): ResolvedPlace | undefined {
    const t = normalise(text);
    const outward = outwardCodeOf(t);
    if (outward) return resolve(outward);
    // A district on its own inside the sentence first ("I live in BS13 if possible", "I'm in bs7 8, near the park"):
    // the whole sentence could be read as a full postcode across words ("BS1 3IF").
    for (const m of t.matchAll(DISTRICT_IN_SENTENCE)) {
        const district = outwardCodeOf(m[0]) ?? m[0].replace(/\s+/g, '').toUpperCase();
        const place = district ? resolve(district) : undefined;
        if (place) return place;
    }
    const found = resolve(text);
    if (!found) return undefined;
    const words = ` ${t.replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    const label = ` ${found.label.toLowerCase().replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    const district = found.outcode?.toLowerCase();
    // A district typed with the sector's digit inside a sentence ("I'm in bs7 8, near the park") counts too.
    if (words.includes(label) || (district && new RegExp(`(?<![\\p{L}\\p{N}])${district}(?![\\p{L}\\p{N}])`, 'u')
        .test(t.replace(/(?<=\p{L})\s+(?=\d)/gu, '')))) {
        return found;
    }
    return undefined;
}

/** The patterns for "today", "tonight" and "tomorrow", made once per lexicon rather than per message. */
const relativeMade = new WeakMap<IntentLexicon, { negated: RegExp; relativeAll: RegExp }>();
function relativePatterns(intents: IntentLexicon): { negated: RegExp; relativeAll: RegExp } {
    let made = relativeMade.get(intents);
    if (!made) {
        const { today, tonight, tomorrow } = intents.when;
        const relative = phrasesAnywhere([...today, ...tonight, ...tomorrow]);
        made = {
            // "Not today", "except tomorrow", "I can't do tonight": a day ruled out is never the day asked for.
            negated: new RegExp(`(?<![\\p{L}])(?:not|except|apart from|other than|can[\'’]?t do|cannot do`
                + `|can[\'’]?t make)\\s+(?:on\\s+|for\\s+)?${relative.source}`, 'gu'),
            relativeAll: new RegExp(relative.source, `${relative.flags.replace('g', '')}g`),
        };
        relativeMade.set(intents, made);
    }
    return made;
}

/** What a sentence says about taking part: each field only when it says so. */
export function pickUp(text: string, context: PickUpContext): PickedUp {
    const out: PickedUp = {};
    const t = normalise(text);
    const place = placeIn(text, context.resolvePlace);
    if (place) out.place = place;
    const online = parseOnline(t);
    if (online) out.online = online;
    const { negated, relativeAll } = relativePatterns(context.intents);
    let timeText = t.replace(LOOSE_TIME_WORDS, ' ').replace(negated, ' ');
    // A relative day only when the message is about when to go, or is nothing but the time ("tonight").
    const rest = timeText.replace(relativeAll, ' ');
    const otherWords = withoutLocaleWhenWords(rest, context.intents).split(/\s+/)
        .filter((w) => /\p{L}/u.test(w) && !parseWhen(w, context.intents));
    if (rest !== timeText && otherWords.length && !GOING_WORDS.test(rest)) timeText = rest;
    const when = readWhen(timeText, context.now, context.intents);
    if (when && !when.any) {
        if (when.days.length) out.days = when.days;
        if (when.times.length) out.times = when.times;
        if (when.openNow) out.openNow = true;
    }
    const costText = t.replace(FREE_TO_COME, ' ');
    if (COST_WORDS.test(costText)) {
        const free = parseCost(costText);
        if (free !== undefined) out.freeOnly = free;
    }
    const access = parseAccess(t).filter((a) => (a === 'quiet-space' ? QUIET_SPACE.test(t)
        : a === 'large-print' ? LARGE_PRINT.test(t) : true));
    if (access.length) out.access = access;
    const worries = parseWorries(t);
    if (worries.length) out.worries = worries;
    return out;
}

/** True when nothing was picked up. */
export function pickedNothing(p: PickedUp): boolean {
    return Object.keys(p).length === 0;
}

/** The picked-up answers laid over the preferences so far: what was said again replaces what was said before. */
export function withPickedUp(prefs: Preferences, p: PickedUp): Preferences {
    const out: Preferences = { ...prefs };
    if (p.place) {
        out.place = p.place;
        delete out.onlineOnly;
    }
    if (p.online) {
        out.onlineOk = true;
        if (p.online === 'only') out.onlineOnly = true;
        else delete out.onlineOnly;
    }
    // Days and times each replace their own: "mornings", then "Tuesdays", is Tuesday mornings.
    if (p.days) out.days = p.days;
    if (p.times) out.times = p.times;
    if (p.freeOnly === true) {
        out.freeOnly = true;
        delete out.canPay;
    } else if (p.freeOnly === false) {
        delete out.freeOnly;
    }
    if (p.access) out.access = [...new Set([...(out.access ?? []), ...p.access])];
    if (p.worries) out.worries = [...new Set([...(out.worries ?? []), ...p.worries])];
    return out;
}
