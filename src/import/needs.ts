/**
 * Need ids for an imported service: from its taxonomy terms where the map knows them, else from its own words through
 * the need detector. Every need keeps its reason (the term, or the words) so a directory owner can check it.
 */
import { SIGNPOST_NEED_VOCABULARY, type NeedReason } from '../knowledge/schema';
import type { NeedTaxonomy } from '../knowledge/taxonomy';
import { buildNeedModel, detectNeeds } from '../matching/needs';
import type { NeedScore } from '../matching/types';
import { labelService, type ServiceLabeller } from './labeller';
import { activitiesNamed, recogniseTerm } from './taxonomy-map';
import type { TaxonomyMap, TermRef } from './taxonomy-map';

/** Need words in a text, best first. */
export type NeedDetector = (text: string) => NeedScore[];

/** Tunables of need assignment, frozen. */
export const NEED_ASSIGNMENT = Object.freeze({
    /** A need from the description alone must score this (the detector's "confident"). */
    textScore: 0.6,
    /** A need named in the service's name (or category) needs only this. */
    nameScore: 0.5,
    /** A term's label read for need words must score this. */
    termScore: 0.6,
    /** At most this many needs from words; a long description names many things in passing. */
    maxFromText: 3,
    /** At most this many needs from terms. */
    maxFromTerms: 4,
    /** The detector reads this much of a description: what a service is comes first. */
    textChars: 2000,
});

/** A detector for service text: the taxonomy's terms and phrases, read as written prose (see residentSpeech). */
export function createNeedDetector(taxonomy: NeedTaxonomy): NeedDetector {
    const model = buildNeedModel(taxonomy, { residentSpeech: false });
    return (text) => detectNeeds(text, model);
}

/** What a service offers to need assignment. */
export interface NeedEvidence {
    terms: readonly TermRef[];
    name: string;
    /** A short category the feed gives (ORUK v1 deliverable_type), read with the name. */
    category?: string;
    description: string;
}

/** The needs and their reasons, and term labels worth keeping as search keywords. */
export interface AssignedNeeds {
    needs: string[];
    reasons: NeedReason[];
    keywords: string[];
}

function quoted(text: string): string {
    return `"${text.length > 80 ? `${text.slice(0, 79)}…` : text}"`;
}

function wordsDetail(evidence: readonly string[]): string {
    return `words: ${evidence.slice(0, 4).map(quoted).join(', ')}`.slice(0, 200);
}

/** Needs from the terms, in term order, each with the term that gave it. */
function fromTerms(
    terms: readonly TermRef[],
    map: TaxonomyMap,
    detect: NeedDetector,
    known: ReadonlySet<string>,
): { reasons: NeedReason[]; keywords: string[] } {
    const reasons: NeedReason[] = [];
    const keywords: string[] = [];
    const add = (need: string, detail: string): void => {
        if (known.has(need) && !reasons.some((r) => r.need === need)) {
            reasons.push({ need, source: 'taxonomy', detail: detail.slice(0, 200) });
        }
    };
    for (const ref of terms) {
        // Signpost's own labels (a feed Signpost published, GET /oruk/services): its needs are read back as they
        // are, and nothing else is read from them.
        if (ref.vocabulary === SIGNPOST_NEED_VOCABULARY) {
            const need = [ref.code, ref.id?.replace(`${SIGNPOST_NEED_VOCABULARY}:`, '')].find((v) => v && known.has(v));
            if (need) add(need, `Signpost need ${quoted(ref.name ?? need)}`);
            continue;
        }
        if (ref.vocabulary?.startsWith('signpost')) continue;
        const label = (ref.name ?? '').trim();
        if (label && label.length <= 60) {
            keywords.push(label);
        }
        const match = recogniseTerm(ref, map);
        if (match.term) {
            const name = match.vocabulary === 'esdServiceType' ? `LGA service type ${match.key}`
                : match.vocabulary === 'openActiveActivity' ? 'OpenActive activity' : 'Open Eligibility term';
            match.term.needs.forEach((need) => add(need, `${name} ${quoted(match.term?.label ?? label)}`));
        } else if (match.vocabulary === 'openActiveActivity') {
            // Every activity in the OpenActive list is physical activity, even one newer than our copy of the list.
            add('physical-activity', `OpenActive activity ${quoted(label || match.key || 'unknown')}`);
        } else if (match.vocabulary !== 'esdServiceType' && label) {
            // An LGA service type the map leaves out is a council function: its words must not suggest a need.
            const vocabulary = match.vocabulary === 'other' ? 'taxonomy term' : `${match.vocabulary} term`;
            for (const score of detect(label).filter((s) => s.score >= NEED_ASSIGNMENT.termScore).slice(0, 2)) {
                add(score.id, `${vocabulary} ${quoted(label)} (${wordsDetail(score.evidence)})`);
            }
        }
    }
    return { reasons: reasons.slice(0, NEED_ASSIGNMENT.maxFromTerms), keywords };
}

/**
 * Needs from the service's own words: an OpenActive activity its name names ("Junior Kickboxing"), then needs the
 * detector finds in its name, then the strongest in its description.
 */
function fromText(
    evidence: NeedEvidence,
    map: TaxonomyMap,
    detect: NeedDetector,
    known: ReadonlySet<string>,
    labeller?: ServiceLabeller,
): NeedReason[] {
    const reasons: NeedReason[] = [];
    for (const activity of activitiesNamed(evidence.name, map)) {
        // With the service labeller, an activity gives its main need only ("Bowls" is physical activity; whether it
        // is also social is for the service's own words to say).
        for (const need of labeller ? activity.needs.slice(0, 1) : activity.needs) {
            if (known.has(need) && !reasons.some((r) => r.need === need)) {
                const detail = `name names the OpenActive activity ${quoted(activity.label)}`;
                reasons.push({ need, source: 'text', detail });
            }
        }
    }
    const byWords = labeller ? fromLabeller(evidence, labeller, known) : fromWords(evidence, detect, known);
    for (const reason of byWords) {
        if (!reasons.some((r) => r.need === reason.need)) {
            reasons.push(reason);
        }
    }
    return reasons.slice(0, NEED_ASSIGNMENT.maxFromText);
}

/** Needs the service labeller finds in the service's own words (src/import/labeller.ts). */
function fromLabeller(evidence: NeedEvidence, labeller: ServiceLabeller, known: ReadonlySet<string>): NeedReason[] {
    return labelService(evidence, labeller).filter((n) => known.has(n.need)).map((n) => ({
        need: n.need,
        source: 'text' as const,
        detail: `${n.where}, ${wordsDetail(n.words)}`.slice(0, 200),
    }));
}

/** Needs the detector finds: named in the name first, then the strongest in the description. */
function fromWords(evidence: NeedEvidence, detect: NeedDetector, known: ReadonlySet<string>): NeedReason[] {
    const title = evidence.category ? `${evidence.name}. ${evidence.category}` : evidence.name;
    const byName = new Map(detect(title).map((s) => [s.id, s]));
    const description = evidence.description.slice(0, NEED_ASSIGNMENT.textChars);
    const byText = new Map(detect(`${evidence.name}. ${description}`).map((s) => [s.id, s]));
    const ids = new Set([...byName.keys(), ...byText.keys()]);
    const inName = (c: { name?: NeedScore }): boolean => (c.name?.score ?? 0) >= NEED_ASSIGNMENT.nameScore;
    return [...ids]
        .filter((id) => known.has(id))
        .map((id) => ({ id, name: byName.get(id), text: byText.get(id) }))
        .filter((c) => inName(c) || (c.text?.score ?? 0) >= NEED_ASSIGNMENT.textScore)
        .sort((a, b) => (b.name?.score ?? 0) - (a.name?.score ?? 0) || (b.text?.score ?? 0) - (a.text?.score ?? 0))
        // After the first, a need only the description names must rest on two different words: one word in passing
        // ("workload", "culture") is how long descriptions wander.
        .filter((c, i) => i === 0 || inName(c) || (c.text?.evidence.length ?? 0) >= 2)
        .slice(0, NEED_ASSIGNMENT.maxFromText)
        .map((c) => {
            const where = c.name && c.name.score >= NEED_ASSIGNMENT.nameScore ? 'name' : 'description';
            const words = (where === 'name' ? c.name : c.text)?.evidence ?? [];
            return { need: c.id, source: 'text' as const, detail: `${where}, ${wordsDetail(words)}`.slice(0, 200) };
        });
}

/**
 * Assigns needs: terms first (LGA service types, OpenActive activities and Open Eligibility terms through the map,
 * other terms by the need words in their labels), and only when no term gives a need, the service's own words: read
 * by the service labeller when there is one (its own vocabulary), else by the residents' need detector. No need
 * found is an answer too: the service is kept and found by its words.
 */
export function assignNeeds(
    evidence: NeedEvidence,
    map: TaxonomyMap,
    detect: NeedDetector,
    knownNeedIds: ReadonlySet<string>,
    labeller?: ServiceLabeller,
): AssignedNeeds {
    const terms = fromTerms(evidence.terms, map, detect, knownNeedIds);
    const reasons = terms.reasons.length > 0 ? terms.reasons
        : fromText(evidence, map, detect, knownNeedIds, labeller);
    return { needs: reasons.map((r) => r.need), reasons, keywords: [...new Set(terms.keywords)] };
}
