/**
 * Turn middleware: a message in a language Signpost cannot yet talk in gets one line in that language, never a
 * guess at its needs; then the welcome (the first time) and the question the resident was on, asked again.
 */
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { HANDOFF_DIALOG_ID } from '../../dialogs/handoffDialog';
import type { Matching } from '../conversation/services';
import { BASE_LOCALE, type Wording } from '../knowledge/wording';
import type { Logger } from '../log';
import { messageText, onStack, type TurnDialogs } from './turnDialogs';
import type { Welcome } from './welcome';

export interface LanguageLineOptions {
    matching: Pick<Matching, 'language' | 'unsupportedLine'>;
    wording: Wording;
    log: Logger;
    /** The turn's dialog context (shared with the bot). */
    dialogs: Pick<TurnDialogs, 'of'>;
    welcome: Welcome;
}

/** Answers a message in another language with its one line, and ends the turn there. */
export class LanguageLine implements Middleware {
    constructor(private readonly options: LanguageLineOptions) {}

    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
        const { matching, wording, log, dialogs, welcome } = this.options;
        const text = messageText(context);
        // Not in a conversation held in another language the bot knows: a Welsh answer mistaken for Portuguese
        // must not be told that Signpost speaks only English.
        if (!text || wording.command(text) !== undefined || wording.locale !== BASE_LOCALE) return next();
        const dc = await dialogs.of(context);
        // Not while contact details are being asked for: a name or an address is not a language. Not for a short
        // answer while a question is waiting either ("7pm", "ya", "Heol y Felin"): the question's own prompt reads
        // it, as for any answer. A sentence at a question may still get the line, and then the question is asked
        // again.
        if (onStack(dc, HANDOFF_DIALOG_ID) || (dc.activeDialog && !isSentence(text))) return next();
        const code = matching.language(text);
        // A language the bot converses in (knowledge/locales) is offered by the language choice, not answered here.
        const line = code === 'en' || wording.has(code) ? undefined : matching.unsupportedLine(code);
        if (!line) return next();
        log.info('language.unsupported', { channel: context.activity.channelId, language: code });
        await context.sendActivity({ type: ActivityTypes.Message, text: line, locale: code });
        await welcome.ifNeeded(context);
        // The step the resident was on is asked again, so that on SMS the next "1" answers it.
        if (dc.activeDialog) await dc.repromptDialog();
    }
}

/**
 * A message that reads as a sentence rather than an answer to a question: four words or more in Latin letters, or
 * any letters of another script (an answer such as "7pm" or "SW1A 1AA" is never that).
 */
export function isSentence(text: string): boolean {
    if (/[^\p{Script=Latin}\P{L}]/u.test(text)) return true;
    return text.trim().split(/\s+/).filter((w) => /\p{L}/u.test(w)).length >= 4;
}
