/** The crisis routes message: one sentence of care, each route on its own line, and perhaps the call-back offer. */
import { ActivityTypes, type Activity } from 'botbuilder';
import { withContent, type CrisisRouteItem } from '../../dialogs/messages';
import type { Wording } from '../knowledge/wording';

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
