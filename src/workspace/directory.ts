/**
 * The directory, searched from the workspace: a connector types what the person needs (or picks needs), and sees
 * what the bot would show, ranked by the same engine with the same filters and the same "why" sentences, through
 * the matching engine's one face (src/conversation/matching.ts) and the conversation's own words for a listing
 * (src/conversation/describe.ts). Chosen listings can be sent to the resident in their chat, worded from the shipped
 * wording like everything else the resident reads, or by text or e-mail to the contact the resident gave.
 */
import { contactText, detailsItem, resultItem } from '../conversation/describe';
import { listMessage } from '../conversation/keep';
import type { DetailsItem, ResultItem } from '../conversation/messages';
import type { Matching } from '../conversation/services';
import type { Wording } from '../knowledge/wording';
import type { NeedScore, Preferences } from '../matching/types';
import { mergeWishes } from '../matching/wishes';
import type { OutboundKind, OutboundMessage } from '../sending/port';

/** What a connector searches with: their words, needs by id, a place, and the bot's two commonest filters. */
export interface DirectoryQuery {
    text?: string;
    needs?: readonly string[];
    place?: string;
    freeOnly?: boolean;
    onlineOk?: boolean;
    offset: number;
    limit: number;
}

/** One page of listings, with the needs and place the search understood, so the connector can see what it read. */
export interface DirectoryPage {
    needs: { id: string; label: string }[];
    /** The place as understood ("BS5"); null when none was given; `placeUnknown` when given but not found. */
    place: string | null;
    placeUnknown: boolean;
    results: ResultItem[];
    /** Filters the engine loosened to find anything, as the bot would say it did. */
    widened: string[];
}

/** The directory as the workspace uses it. */
export interface DirectorySearch {
    search(query: DirectoryQuery): DirectoryPage;
    /** A listing's details, as the bot gives them; undefined for an id the directory does not have. */
    details(id: string): DetailsItem | undefined;
    /**
     * The message a resident reads with these listings (ids the directory has, in order), in the resident's language
     * (`locale`, the request's; the listings themselves stay in the directory's); undefined if none is.
     */
    suggestionText(ids: readonly string[], locale?: string): { text: string; names: string[] } | undefined;
    /**
     * The text or e-mail that sends these listings (ids the directory has, in order) to the resident's own number or
     * address: each one's name, when, where, contact and link, "from Sam at <service>", and "Reply STOP to stop" or
     * the e-mail's last line. A listing for a sensitive need goes without its name, place name, e-mail or link, by the
     * rule of the resident's own send (src/conversation/keep.ts): nobody asked the resident whether their phone or
     * inbox may say it, and others may read them. Undefined if none of the ids is in the directory.
     */
    suggestionMessage(ids: readonly string[], kind: OutboundKind, options: {
        locale?: string; from: string; serviceName: string; idempotencyKey: string; to: string;
    }): { message: OutboundMessage; names: string[] } | undefined;
}

/** The directory over the engine's one face and the shipped wording. */
export function workspaceDirectory(matching: Matching, wording: Wording): DirectorySearch {
    return {
        search(q) {
            const text = q.text?.trim() ?? '';
            const chosen = (q.needs ?? []).filter((id) => matching.needIds().includes(id));
            const needs: NeedScore[] = chosen.length
                ? chosen.map((id) => ({ id, score: 1, evidence: [] }))
                : matching.detectNeeds(text);
            const place = q.place?.trim() ? matching.resolvePlace(q.place) : undefined;
            const asked: Preferences = {
                ...(place ? { place } : {}), ...(q.freeOnly ? { freeOnly: true } : {}),
                ...(q.onlineOk ? { onlineOk: true } : {}),
            };
            // What the words say about how (not Sundays, not on the phone...) counts, as it does for the bot.
            const prefs = mergeWishes(asked, matching.readWishes(text));
            const outcome = matching.rank({
                needs, text, prefs, limit: q.limit, offset: q.offset, ...(place ? { nearbySlot: q.limit } : {}),
            });
            const results = outcome.results.flatMap((r, i) => {
                const o = matching.opportunity(r.id);
                return o ? [resultItem(q.offset + i + 1, o, r, wording)] : [];
            });
            return {
                needs: needs.map((n) => ({ id: n.id, label: matching.askLabel(n.id) })),
                place: place?.label ?? null,
                placeUnknown: Boolean(q.place?.trim()) && !place,
                results,
                widened: outcome.widened,
            };
        },
        details(id) {
            const o = matching.opportunity(id);
            return o ? detailsItem(o, wording) : undefined;
        },
        suggestionText(ids, locale) {
            // Outside a bot turn no language is set: the request's is given.
            const said = locale ? wording.in(locale) : wording;
            const items = ids.flatMap((id) => {
                const o = matching.opportunity(id);
                return o ? [detailsItem(o, said)] : [];
            });
            if (!items.length) return undefined;
            const listed = items.map((d, i) => [
                `${i + 1}. ${d.name}`,
                `${said.text('labelWhere')}: ${d.where}`,
                `${said.text('labelWhen')}: ${d.when}`,
                `${said.text('labelCost')}: ${d.cost}`,
                ...(contactText(d) ? [`${said.text('labelContact')}: ${contactText(d)}`] : []),
            ].join('\n'));
            return { text: [said.text('connectorSuggests'), ...listed].join('\n\n'), names: items.map((d) => d.name) };
        },
        suggestionMessage(ids, kind, options) {
            const said = options.locale ? wording.in(options.locale) : wording;
            const items = ids.flatMap((id) => {
                const o = matching.opportunity(id);
                return o ? [o] : [];
            });
            if (!items.length) return undefined;
            const named = { name: options.from, serviceName: options.serviceName };
            const message = listMessage(items, kind, said, {
                serviceName: options.serviceName, leaveOut: true, idempotencyKey: options.idempotencyKey,
                to: options.to, words: {
                    intro: said.text('suggestIntro', named), emailEnd: said.text('suggestEmailEnd', named),
                    subject: said.text('suggestSubject', named),
                },
            });
            return { message, names: items.map((o) => o.name) };
        },
    };
}
