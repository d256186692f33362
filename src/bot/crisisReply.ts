/** The crisis routes message: one sentence of care, each route on its own line, and perhaps the call-back offer. */
import { ActivityTypes, type Activity } from 'botbuilder';
import { withContent, type CrisisRouteItem } from '../conversation/messages';
import type { Wording } from '../knowledge/wording';

/** What the bot needs to answer a crisis at once, on any step. */
export interface CrisisResponder {
    /** Kinds of immediate risk in the text; empty when there is none. */
    kinds(text: string): string[];
    /** Who to contact for those kinds, most urgent first. */
    routes(kinds: string[]): CrisisRouteItem[];
    /**
     * A short line in the resident's language, shown just before the routes, when the crisis was found by another
     * language's rules (999 with an interpreter, the Samaritans, Childline when about a child).
     */
    languageLine?(text: string): { language: string; line: string } | undefined;
}

/**
 * The one crisis message every path sends (a normal turn, a live chat, a turn that failed): plain text with the
 * routes for SMS and the terminal, and the routes as data for the channels that draw call buttons.
 */
export function crisisRoutesActivity(wording: Wording, routes: CrisisRouteItem[], offerCallBack: boolean)
    : Partial<Activity> {
    const lines = [wording.text('crisisIntro'), ...routes.map((r) => `${r.name}: ${r.how}`)];
    if (offerCallBack) lines.push(wording.text('crisisCallBack'));
    const callBack = offerCallBack ? wording.button('callMeBack') : undefined;
    return withContent({ type: ActivityTypes.Message, text: lines.join('\n') },
        { kind: 'crisis', routes, ...(callBack ? { callBack } : {}) });
}

/**
 * The line in the resident's language sent just before the routes, when another language's rules found the crisis;
 * its own message, so that on SMS the routes stay in the cheaper GSM alphabet and within their segments. The
 * activity's locale names the language (a code, for the logs; never the text).
 */
export function crisisLanguageActivity(crisis: CrisisResponder, text: string): Partial<Activity> | undefined {
    const found = crisis.languageLine?.(text);
    if (!found) return undefined;
    return { type: ActivityTypes.Message, text: found.line, locale: found.language };
}
