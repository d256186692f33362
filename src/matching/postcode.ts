/**
 * Where the resident is: full or partial UK postcodes and place names, resolved offline to a point through the
 * outcode table and the places list. Bad input gives a value saying why, never an exception: residents type anything.
 */
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import type { Place } from '../knowledge/schema';
import { DEFAULTS } from './config';
import type { MatchingTuning } from './config';
import type { LatLng } from './geo';
import type { ResolvedPlace } from './types';
import { foldForMatching } from '../unicode';

/** A postcode district (outward code) such as "BS5", "M1" or "CF10", after normalising. */
export const OUTCODE_PATTERN = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/**
 * A full postcode after normalising ("BS5 6XX"). The inward letters are not checked against the Royal Mail's
 * allowed set on purpose: we only use the district, and a slip in the last letters still tells us where they are.
 */
export const POSTCODE_PATTERN = /^([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})$/;

/** A parsed postcode: full ("BS5 6XX") or only its district ("BS5"). */
export type ParsedPostcode =
    | { kind: 'full'; postcode: string; outcode: string; inward: string }
    | { kind: 'outcode'; outcode: string };

/** Longest text fuzzy-matched to a place name as a whole ("Ashby de la Zouch" is 17). */
const MAX_FUZZY_PLACE_LENGTH = 40;

/** Why a place could not be resolved. */
export type UnknownPlaceReason = 'empty' | 'unknown-outcode' | 'not-found';

/** The value resolvePlace gives when it cannot place the resident. `outcode` is set for 'unknown-outcode'. */
export interface UnknownPlace {
    unknown: UnknownPlaceReason;
    outcode?: string;
}

/** Outcode centroids and named places, with a fuzzy index over the names. Build once with buildGazetteer. */
export interface Gazetteer {
    readonly outcodes: ReadonlyMap<string, LatLng>;
    readonly places: readonly Place[];
    readonly byName: ReadonlyMap<string, Place>;
    readonly byOutcode: ReadonlyMap<string, Place>;
    readonly fuzzy: Fuse<PlaceName>;
    /** Every name of `fuzzy`, in its order, and the options it was made with, to search a few of them alike. */
    readonly names: readonly PlaceName[];
    readonly fuzzyOptions: IFuseOptions<PlaceName>;
    readonly tuning: Readonly<MatchingTuning>;
}

/** A place's name or alias as the fuzzy index holds it (placeKey), and the place. */
export interface PlaceName {
    name: string;
    place: Place;
}

/**
 * The postcode form of a text: what each character reads as for a postcode, and where it came from. Each character
 * is folded as the detectors fold text (foldForMatching in src/unicode.ts): invisible characters and marks on Latin
 * letters dropped, compatibility forms made plain (full-width "ＢＳ５", no-break and other odd spaces), look-alike
 * letters of other scripts made Latin (Cyrillic "В"); and upper-cased.
 * Parsing and cutting both read this one form, so whatever the bot understands as a postcode is also what is cut.
 */
interface PostcodeForm {
    text: string;
    /** For each character of `text`, the offsets in the input of the character it came from (end exclusive). */
    from: number[];
    to: number[];
}

function postcodeForm(input: string): PostcodeForm {
    const form: PostcodeForm = { text: '', from: [], to: [] };
    let at = 0;
    for (const ch of input) {
        const start = at;
        at += ch.length;
        if (ch < '\x80') {
            // ASCII, the usual case, needs no Unicode folding.
            form.text += ch.toUpperCase();
            form.from.push(start);
            form.to.push(at);
            continue;
        }
        // The detectors' folding, one character at a time so each output character knows where it came from. An
        // invisible character or a lone combining mark folds to nothing and is dropped; upper-cased first, so a
        // look-alike reads as the capital it is drawn like (Greek "ν" as N, not v).
        for (const plain of foldForMatching(ch.toUpperCase(), true).toUpperCase()) {
            form.text += plain;
            form.from.push(start);
            form.to.push(at);
        }
    }
    return form;
}

/** A character that separates the parts of a postcode: anything but a letter or a digit. */
const SEPARATOR = /[^\p{L}\p{N}]/gu;

/** The letters and digits of the postcode form: "bs5 6xx." and "B S 5 6 X X" both give "BS56XX". */
function compact(input: string): string {
    return postcodeForm(input).text.replace(SEPARATOR, '');
}

/** Parses a text that is nothing but a full or partial postcode. Undefined when the input is not one. */
export function parsePostcode(input: string): ParsedPostcode | undefined {
    // A postcode has seven letters and digits at most, and folding never makes fewer: no need to fold a sentence.
    if (typeof input !== 'string' || !/\p{N}/u.test(input) || (input.match(/[\p{L}\p{N}]/gu)?.length ?? 0) > 7) {
        return undefined;
    }
    const code = compact(input);
    // The inward part is always a digit and two letters, so "BS56XX" can only be BS5 + 6XX.
    const full = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(code);
    if (full) {
        const [, outcode, inward] = full as unknown as [string, string, string];
        return { kind: 'full', postcode: `${outcode} ${inward}`, outcode, inward };
    }
    return OUTCODE_PATTERN.test(code) ? { kind: 'outcode', outcode: code } : undefined;
}

/** "bs56xx" -> "BS5 6XX", "bs5" -> "BS5"; undefined when the input is not a postcode. */
export function normalisePostcode(input: string): string | undefined {
    const parsed = parsePostcode(input);
    return parsed && (parsed.kind === 'full' ? parsed.postcode : parsed.outcode);
}

/** A postcode found inside a text, with the offsets of its parts in that text (end exclusive). */
export interface PostcodeInText {
    outcode: string;
    /** The inward code ("6XX"), for a full postcode. */
    inward?: string;
    start: number;
    /** Where the outward code ends: what follows, up to `end`, is the separator and the inward code. */
    outwardEnd: number;
    end: number;
}

/** Up to three separators between the characters of a postcode in a sentence: "BS5 - 6XX", "B S 5 6 X X". */
const S = '[^\\p{L}\\p{N}@]{0,3}';
/**
 * Any run of separators between the district and the inward code ("BS5   -   6XX"). A district written without
 * spaces is understood on its own (OUTCODE_IN_TEXT) however far the inward code is, so the inward code must be cut
 * however far it is too. Still linear: the run has no letters or digits, so only the few outward codes just before
 * it ever scan it.
 */
const GAP = '[^\\p{L}\\p{N}@]*';
/**
 * Not the code of a Signpost reference ("SP-AB22CD", "sp AB22CD"): "SP" as a word of its own, then up to two dashes
 * or spaces. The "SP" must start a word, or the end of "wasp" or "crisp" would keep a postcode after it uncut.
 */
const NOT_AFTER_SP = '(?<!(?<![\\p{L}\\p{N}])SP[-\\s]{0,2})';
/**
 * A full postcode in the postcode form of a sentence, its characters perhaps spaced or punctuated apart. Not part of
 * a longer word or an e-mail address, not a Signpost reference (SP- and six letters and digits, some of which look
 * like a postcode: "SP-AB22CD"), and not a time ("BS5 6pm": no inward code ends in M).
 */
const FULL_IN_TEXT = new RegExp(`(?<![\\p{L}\\p{N}@])${NOT_AFTER_SP}`
    + `([A-Z](?:${S}[A-Z])?${S}\\d(?:${S}[A-Z\\d])?)${GAP}(\\d${S}[A-Z]${S}[A-Z])(?<![AP]M)(?![\\p{L}\\p{N}@])`, 'gu');
/** A district on its own in a sentence ("I'm in BS5"), written without spaces inside. */
const OUTCODE_IN_TEXT = new RegExp(
    `(?<![\\p{L}\\p{N}@])${NOT_AFTER_SP}([A-Z]{1,2}\\d[A-Z\\d]?)(?![\\p{L}\\p{N}@])`, 'gu');

/** True when the postcode-like text is part of an address of the web or of e-mail ("me.bs56xx@example.com"). */
function inAddress(input: string, start: number, end: number): boolean {
    let from = start;
    while (from > 0 && !/\s/.test(input[from - 1] as string)) from--;
    let to = end;
    while (to < input.length && !/\s/.test(input[to] as string)) to++;
    return /@|:\/\/|^www\./i.test(input.slice(from, start) + input.slice(end, to));
}

/**
 * Every full postcode, in any spacing, punctuation, case or width, and every district on its own, in a text, in
 * order. What the bot reads as a place in a sentence, and what `districtOnly` cuts, both come from here.
 */
export function postcodesInText(input: string): PostcodeInText[] {
    if (!/\p{N}/u.test(input)) {
        // Every postcode has a digit (of any width); most messages have none.
        return [];
    }
    const form = postcodeForm(input);
    const found: PostcodeInText[] = [];
    // Full postcodes come in order, so whether a district overlaps one is a walk along them.
    let fulls: PostcodeInText[] = [];
    let next = 0;
    const taken = (from: number, to: number) => {
        while (next < fulls.length && (fulls[next] as PostcodeInText).end <= from) next++;
        const full = fulls[next];
        return full !== undefined && from < full.end && to > full.start;
    };
    const span = (match: RegExpMatchArray, length: number) => ({
        start: form.from[match.index as number] as number,
        end: form.to[(match.index as number) + length - 1] as number,
    });
    for (const match of form.text.matchAll(FULL_IN_TEXT)) {
        const outward = match[1] as string;
        const { start, end } = span(match, match[0].length);
        if (!inAddress(input, start, end)) {
            found.push({
                outcode: outward.replace(SEPARATOR, ''),
                inward: (match[2] as string).replace(SEPARATOR, ''),
                start,
                outwardEnd: form.to[(match.index as number) + outward.length - 1] as number,
                end,
            });
        }
    }
    fulls = [...found];
    for (const match of form.text.matchAll(OUTCODE_IN_TEXT)) {
        const { start, end } = span(match, match[0].length);
        if (!taken(start, end) && !inAddress(input, start, end)) {
            found.push({ outcode: match[1] as string, start, outwardEnd: end, end });
        }
    }
    return found.sort((a, b) => a.start - b.start);
}

/**
 * The text with every full postcode cut to its district ("I'm at BS5 6XX" -> "I'm at BS5"). Privacy by design: the
 * district is all matching uses, so the rest of a postcode, which can point at a handful of homes, is never kept.
 * Cuts every form the bot understands: a whole message that reads as a postcode ("b.s.5 6xx"), and a postcode in a
 * sentence however it is spaced, punctuated, cased or encoded ("BS5\t6XX", "B S 5 6 X X", full-width digits).
 */
export function districtOnly(text: string): string {
    const whole = parsePostcode(text);
    if (whole?.kind === 'full') {
        // Everything from the inward code's first character on goes; its last three letters and digits are it.
        const form = postcodeForm(text);
        let left = whole.inward.length;
        let i = form.text.length;
        while (left > 0 && i > 0) {
            i--;
            if (/[A-Z0-9]/.test(form.text[i] as string)) left--;
        }
        return text.slice(0, form.from[i]).replace(/[^\p{L}\p{N}]+$/u, '');
    }
    let cut = '';
    let at = 0;
    for (const postcode of postcodesInText(text)) {
        if (postcode.inward !== undefined) {
            cut += text.slice(at, postcode.outwardEnd);
            at = postcode.end;
        }
    }
    return cut + text.slice(at);
}

/** True when the input is a full postcode or a postcode district in any spacing and case. */
export function isPostcode(input: string): boolean {
    return parsePostcode(input) !== undefined;
}

/** True when resolvePlace gave a place rather than a reason. */
export function isResolvedPlace(value: ResolvedPlace | UnknownPlace): value is ResolvedPlace {
    return !('unknown' in value);
}

/** Lower case, letters, digits and single spaces: "St. Anne's" -> "st annes". */
function placeKey(name: string): string {
    return name.toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Builds the gazetteer once, at start-up, from the loaded places and outcode table. */
export function buildGazetteer(
    data: { places: readonly Place[]; outcodes: ReadonlyMap<string, LatLng> },
    tuning: Readonly<MatchingTuning> = DEFAULTS,
): Gazetteer {
    const byName = new Map<string, Place>();
    const byOutcode = new Map<string, Place>();
    const names: PlaceName[] = [];
    for (const place of data.places) {
        for (const name of [place.name, ...place.aliases]) {
            const key = placeKey(name);
            if (key && !byName.has(key)) {
                byName.set(key, place);
                names.push({ name: key, place });
            }
        }
        if (place.outcode && !byOutcode.has(place.outcode)) {
            byOutcode.set(place.outcode, place);
        }
    }
    const fuzzyOptions: IFuseOptions<PlaceName> = {
        keys: ['name'], includeScore: true, threshold: tuning.placeFuzzyThreshold,
    };
    const fuzzy = new Fuse(names, fuzzyOptions);
    return { outcodes: data.outcodes, places: data.places, byName, byOutcode, fuzzy, names, fuzzyOptions, tuning };
}

/** Fuse's bitap reads a pattern of up to this many characters in one piece (longer ones in chunks). */
const BITAP_MAX = 32;

/**
 * The best fuzzy match for a key, the one a search of every name gives (same name, same score), found by
 * searching only the names that could match. Fuse accepts a name when the key is within `threshold x length` edits
 * of a stretch of it (bitap: errors / length <= threshold, before any distance from the start is added). Split the
 * key into one more piece than that many edits, and at least one piece is untouched, so a name that holds no piece
 * whole cannot match. Most words of a sentence are in no place name: searching every name for each of a sentence's
 * one-, two- and three-word runs took milliseconds a message (searchSentence); now most runs search none.
 */
export function fuzzyPlace(key: string, gazetteer: Gazetteer): FuseResult<PlaceName> | undefined {
    if (key.length > BITAP_MAX) return gazetteer.fuzzy.search(key, { limit: 1 })[0];
    const threshold = gazetteer.fuzzyOptions.threshold ?? 0.6;
    // The most edits a match may have (the small margin for floating point: one piece more only lets more through).
    const errors = Math.floor(threshold * key.length + 1e-9);
    const count = Math.min(errors + 1, key.length);
    const pieces: string[] = [];
    for (let i = 0; i < count; i++) {
        pieces.push(key.slice(Math.floor((i * key.length) / count), Math.floor(((i + 1) * key.length) / count)));
    }
    const candidates = gazetteer.names.filter((n) => pieces.some((piece) => n.name.includes(piece)));
    if (candidates.length === 0) return undefined;
    // A name's score does not depend on the others, and the order (score, then position) is kept.
    return new Fuse(candidates, gazetteer.fuzzyOptions).search(key, { limit: 1 })[0];
}

function fromOutcode(outcode: string, gazetteer: Gazetteer): ResolvedPlace | undefined {
    const point = gazetteer.outcodes.get(outcode);
    if (point) {
        return { label: outcode, latitude: point.latitude, longitude: point.longitude, outcode };
    }
    // A district missing from the national table may still be one of our own places (a new district, say).
    const place = gazetteer.byOutcode.get(outcode);
    return place && { label: outcode, latitude: place.latitude, longitude: place.longitude, outcode };
}

function fromPlace(place: Place): ResolvedPlace {
    const resolved: ResolvedPlace = { label: place.name, latitude: place.latitude, longitude: place.longitude };
    if (place.outcode) {
        resolved.outcode = place.outcode;
    }
    return resolved;
}

/** An exact or fuzzy place-name match for a few words. */
function matchPlaceName(words: string, gazetteer: Gazetteer): Place | undefined {
    const key = placeKey(words);
    const exact = gazetteer.byName.get(key);
    // No place name is this long: a long text is searched word by word instead (searchSentence).
    if (exact || key.length < gazetteer.tuning.placeMinFuzzyLength || key.length > MAX_FUZZY_PLACE_LENGTH) {
        return exact;
    }
    const best = fuzzyPlace(key, gazetteer);
    // Fuse matches substrings too; "east" must not find "Eastfield", so the lengths must be close as well.
    const slack = Math.max(2, Math.round(key.length * 0.25));
    return best && Math.abs(best.item.name.length - key.length) <= slack ? best.item.place : undefined;
}

/** The first postcode in a sentence whose district we know; full postcodes only, or districts on their own too. */
function postcodeInSentence(input: string, gazetteer: Gazetteer, fullOnly: boolean): ResolvedPlace | undefined {
    for (const postcode of postcodesInText(input)) {
        const resolved = fullOnly && postcode.inward === undefined
            ? undefined : fromOutcode(postcode.outcode, gazetteer);
        if (resolved) {
            return resolved;
        }
    }
    return undefined;
}

/**
 * Looks inside a sentence for a full postcode, then a place name of three, two or one words, then a district on its
 * own. A lone district comes last because road numbers look like districts ("near the B4 junction").
 */
function searchSentence(input: string, gazetteer: Gazetteer): ResolvedPlace | undefined {
    const full = postcodeInSentence(input, gazetteer, true);
    if (full) {
        return full;
    }
    const words = placeKey(input).split(' ').filter(Boolean).slice(0, gazetteer.tuning.placeMaxWords);
    for (let size = Math.min(3, words.length); size >= 1; size--) {
        for (let start = 0; start + size <= words.length; start++) {
            const place = matchPlaceName(words.slice(start, start + size).join(' '), gazetteer);
            if (place) {
                return fromPlace(place);
            }
        }
    }
    return postcodeInSentence(input, gazetteer, false);
}

/**
 * Resolves what a resident typed for "where are you?": a full postcode (its district is used), a district, a place
 * name or alias (typos allowed, "eastfeild"), or a short sentence containing one of these.
 */
export function resolvePlace(input: string, gazetteer: Gazetteer): ResolvedPlace | UnknownPlace {
    const text = typeof input === 'string' ? input.trim() : '';
    if (!text) {
        return { unknown: 'empty' };
    }
    const parsed = parsePostcode(text);
    if (parsed) {
        return fromOutcode(parsed.outcode, gazetteer) ?? { unknown: 'unknown-outcode', outcode: parsed.outcode };
    }
    const place = matchPlaceName(text, gazetteer);
    if (place) {
        return fromPlace(place);
    }
    return searchSentence(text, gazetteer) ?? { unknown: 'not-found' };
}
