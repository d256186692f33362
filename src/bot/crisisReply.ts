/** The crisis routes message: one sentence of care, each route on its own line, and perhaps the call-back offer. */
import { ActivityTypes, type Activity } from 'botbuilder';
import { withContent, type CrisisRouteItem } from '../conversation/messages';
import type { Matching } from '../conversation/services';
import type { Wording } from '../knowledge/wording';

/** What a crisis reply needs of the matching engine: its crisis part (the one face, src/conversation/services.ts). */
export type CrisisResponder = Pick<Matching, 'crisisKinds' | 'crisisRoutes' | 'crisisLine' | 'crisisHelping'>;

/**
 * The one crisis message every path sends (a normal turn, a live chat, a turn that failed): plain text with the
 * routes for SMS and the terminal, and the routes as data for the channels that draw call buttons.
 */
export function crisisRoutesActivity(wording: Wording, routes: CrisisRouteItem[], offerCallBack: boolean,
    helping?: { intro: string; lines: string[] }): Partial<Activity> {
    // In the resident's language where its locale names the route (knowledge/locales/*/wording.json crisisRoutes).
    const local = routes.map((r) => wording.crisisRoute(r));
    // About someone else (issue 18): the same routes, with words for a helper around them, in the resident's language.
    const helper = helping && wording.crisisHelping(helping, HELPING_LINES);
    const lines = [helper?.intro ?? wording.text('crisisIntro'), ...local.map((r) => `${r.name}: ${r.how}`),
        ...(helper?.lines ?? [])];
    if (offerCallBack) lines.push(wording.text('crisisCallBack'));
    const callBack = offerCallBack ? wording.button('callMeBack') : undefined;
    return withContent({ type: ActivityTypes.Message, text: lines.join('\n') },
        { kind: 'crisis', routes: local, ...(callBack ? { callBack } : {}) });
}

/**
 * The line in the resident's language sent just before the routes, when another language's rules found the crisis;
 * its own message, so that on SMS the routes stay in the cheaper GSM alphabet and within their segments. The
 * activity's locale names the language (a code, for the logs; never the text).
 */
export function crisisLanguageActivity(crisis: CrisisResponder, text: string): Partial<Activity> | undefined {
    const found = crisis.crisisLine(text);
    if (!found) return undefined;
    return { type: ActivityTypes.Message, text: found.line, locale: found.language };
}

/** How many lines crisis.json's `helping` has before the Childline line (its locale translations say the same). */
const HELPING_LINES = 2;

/**
 * The words for a helper when the crisis is about someone else (issue 18), never throwing: any fault gives the usual
 * reply, so the routes always go out.
 */
export function helpingFor(crisis: Pick<CrisisResponder, 'crisisHelping'>, text: string)
    : { intro: string; lines: string[] } | undefined {
    try {
        return crisis.crisisHelping?.(text);
    } catch {
        return undefined;
    }
}
