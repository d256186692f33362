/**
 * The resident's language, for the whole conversation (issue 18). Two turn middleware:
 * - `reader`, first: the turn runs in the language kept in conversation state, else the channel's (Web Chat and
 *   Teams send a locale), else English. It never says anything and never throws, so crisis routes still come first.
 * - `switcher`, after the crisis guard: the resident chooses a language by name at any time ("Cymraeg", "polski",
 *   "English", and near misses of them); a sentence clearly in a language the bot knows is answered with an offer to
 *   carry on in it, asked in that language and in the current one, and only a yes (or its button) switches: place
 *   names can look Welsh. A "no" is kept, so the offer is not made twice.
 * Every sentence then comes from that locale's wording (knowledge/locales/, through Wording's turn locale).
 */
import { ActivityTypes, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { HANDOFF_DIALOG_ID } from '../../dialogs/handoffDialog';
import type { AskFirstOptions } from '../../dialogs/mainDialog';
import { question } from '../conversation/messages';
import type { Matching } from '../conversation/services';
import { BASE_LOCALE, setTurnLocale, type Wording } from '../knowledge/wording';
import type { Logger } from '../log';
import { isSentence } from './languageLine';
import { messageText, onStack, type TurnDialogs } from './turnDialogs';
import type { Welcome } from './welcome';

/** The conversation-state property that keeps the resident's language. */
export const LANGUAGE_PROPERTY = 'language';

/**
 * turnState: the language of the turn, kept on the turn's context as well, so the error handler (onTurnError.ts),
 * which runs after the turn's language scope has ended, still speaks the resident's language.
 */
export const TURN_LOCALE = 'signpost.turnLocale';

/** Sets the language of the turn under way, and notes it on the turn for the error handler. */
function useLocale(context: TurnContext, locale: string): void {
    setTurnLocale(locale);
    context.turnState.set(TURN_LOCALE, locale);
}

/** What the bot keeps about the resident's language (conversation state; codes only). */
export interface LanguageState {
    /** The locale the conversation is held in; English when absent. */
    locale?: string;
    /** The locale offered by the last reply ("Would you like to carry on in Welsh?"), waiting for a yes or no. */
    offered?: string;
    /** Locales the resident said no to: never offered again in this conversation. */
    declined?: string[];
}

export interface LanguageChoiceOptions {
    language: StatePropertyAccessor<LanguageState>;
    wording: Wording;
    matching: Pick<Matching, 'language' | 'needIds' | 'askLabel' | 'reflectLabel'>;
    log: Logger;
    dialogs: Pick<TurnDialogs, 'of'>;
    welcome: Welcome;
    /** The main dialog, begun after a switch when no question is waiting. */
    mainDialogId: string;
}

/** The locale a channel's locale names ("cy-GB" -> "cy"), when the bot can converse in it. */
export function localeOfChannel(wording: Wording, channelLocale: unknown): string | undefined {
    if (typeof channelLocale !== 'string') return undefined;
    const code = channelLocale.toLowerCase().split(/[-_]/)[0];
    return wording.has(code) ? code : undefined;
}

/**
 * The locale a whole message chooses: a language's name as its file lists it, or one letter off a name of five
 * letters or more ("Cymraig", "polksi", "Englsh").
 */
export function chosenLocale(wording: Wording, message: string): string | undefined {
    const exact = wording.chosenLocale(message);
    if (exact) return exact;
    const typed = message.trim().toLowerCase().replace(/[.!?]+$/, '');
    if (typed.length < 5 || /\s/.test(typed)) return undefined;
    for (const [word, code] of wording.chooseWords) {
        if (word.length >= 5 && !/\s/.test(word) && oneEditApart(typed, word)) return code;
    }
    return undefined;
}

/** True when one letter added, dropped, changed or two swapped turns `a` into `b`. */
function oneEditApart(a: string, b: string): boolean {
    if (a === b) return false;
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
    if (a.length === b.length) {
        if (a.slice(i + 1) === b.slice(i + 1)) return true;
        return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The resident's language: read first, switched after the crisis guard (see the file's comment). */
export class LanguageChoice {
    constructor(private readonly options: LanguageChoiceOptions) {}

    /** First in the turn: sets the turn's language from conversation state or the channel. Says nothing. */
    readonly reader: Middleware = {
        onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
            const { language, wording } = this.options;
            let locale = localeOfChannel(wording, context.activity.locale);
            try {
                // Read without a default, so a conversation that never chose a language stores nothing about it.
                const state = (await language.get(context)) ?? {};
                if (state.locale && wording.has(state.locale)) locale = state.locale;
                else if (locale && locale !== BASE_LOCALE) await language.set(context, { ...state, locale });
            } catch {
                // The store not answering never stops a turn: the channel's language or English it is.
            }
            if (locale) useLocale(context, locale);
            await next();
        },
    };

    /** After the crisis guard: a language chosen, an offer answered, or an offer made; else the turn goes on. */
    readonly switcher: Middleware = {
        onTurn: async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
            const { language, wording, matching, log, dialogs } = this.options;
            const text = messageText(context);
            if (!text) return next();
            const state = (await language.get(context)) ?? {};
            const current = wording.locale;
            const offered = state.offered;
            if (offered) {
                delete state.offered;
                await language.set(context, state);
            }
            const chosen = chosenLocale(wording, text);
            if (chosen && chosen !== current) return this.switchTo(context, state, chosen, 'chosen');
            if (chosen) return next();
            if (offered && wording.saysYes(text)) return this.switchTo(context, state, offered, 'accepted');
            if (offered && wording.saysNo(text)) {
                state.declined = [...new Set([...(state.declined ?? []), offered])];
                await language.set(context, state);
                log.info('language.declined', { channel: context.activity.channelId, language: offered });
                await this.carryOn(context);
                return;
            }
            if (offered || wording.command(text) !== undefined) return next();
            const dc = await dialogs.of(context);
            // As for the language line: not during contact details, not for a short answer to a question.
            if (onStack(dc, HANDOFF_DIALOG_ID) || (dc.activeDialog && !isSentence(text)) || !isSentence(text)) {
                return next();
            }
            const code = matching.language(text);
            if (code === current || code === BASE_LOCALE || !wording.has(code) || state.declined?.includes(code)) {
                return next();
            }
            await language.set(context, { ...state, offered: code });
            log.info('language.offered', { channel: context.activity.channelId, language: code });
            await context.sendActivity(this.offer(code, current));
        },
    };

    /** "Would you like to carry on in Welsh?", in that language and then in the current one, with both as buttons. */
    private offer(code: string, current: string): ReturnType<typeof question> {
        const { wording } = this.options;
        const target = wording.locales.find((l) => l.code === code);
        const here = wording.locales.find((l) => l.code === current);
        const text = `${wording.in(code).text('languageOfferSelf')}\n${wording.text('languageOffer', {
            language: target?.name ?? code,
        })}`;
        const activity = question(text, [target?.nativeName ?? code, here?.nativeName ?? 'English'],
            { saidIn: [code, current] });
        return { ...activity, locale: code };
    }

    private async switchTo(context: TurnContext, state: LanguageState, code: string, how: string): Promise<void> {
        const { language, wording, log, dialogs, welcome } = this.options;
        await language.set(context, { ...state, locale: code, offered: undefined });
        const before = this.phrases();
        useLocale(context, code);
        const dc = await dialogs.of(context);
        // The question waiting is kept as it was asked: it is said again in the new language, not the old one.
        const waiting = waitingPrompt(dc.stack);
        if (waiting) rephrase(waiting, before, this.phrases());
        log.info('language.switched', { channel: context.activity.channelId, language: code, how });
        await context.sendActivity({ type: ActivityTypes.Message, text: wording.text('languageSwitched', {
            languages: wording.locales.map((l) => l.nativeName).join(', '),
        }), locale: code });
        // What the bot is and what it keeps, in words they read (again, if it was said in another language).
        await welcome.send(context);
        await this.carryOn(context);
    }

    /**
     * The question they were on, asked again; or, before any, the first question, asked here so that the answer to
     * the offer ("no", "tak") is never read as what they want help with: their next message starts the journey.
     */
    private async carryOn(context: TurnContext): Promise<void> {
        const { dialogs, welcome, mainDialogId } = this.options;
        const dc = await dialogs.of(context);
        if (dc.activeDialog) await dc.repromptDialog();
        else {
            await welcome.ifNeeded(context);
            await dc.beginDialog(mainDialogId, { askFirst: true } satisfies AskFirstOptions);
        }
    }

    /** The turn's language's sentences, buttons and need names, in one fixed order (see rephrase). */
    private phrases(): Phrases {
        const { wording, matching } = this.options;
        const { text, buttons } = wording.templates;
        const needs = matching.needIds();
        return {
            templates: Object.values(text),
            words: [...Object.values(buttons), ...needs.map((id) => matching.askLabel(id)),
                ...needs.map((id) => matching.reflectLabel(id))],
        };
    }
}

/** A language's sentences (with {placeholders}) and its buttons and need names, in the same order in every language. */
interface Phrases {
    templates: string[];
    words: string[];
}

/** A dialog on the stack, as stored. */
interface StoredInstance {
    state?: { dialogs?: { dialogStack?: StoredInstance[] }; options?: Record<string, unknown> };
}

/** The options of the prompt waiting for an answer: the innermost dialog of the stack (component dialogs nest). */
function waitingPrompt(stack: readonly StoredInstance[]): Record<string, unknown> | undefined {
    // botbuilder keeps the active dialog last.
    const top = stack.at(-1);
    const inner = top?.state?.dialogs?.dialogStack;
    if (inner?.length) return waitingPrompt(inner);
    const options = top?.state?.options;
    return options && ('prompt' in options || 'retryPrompt' in options) ? options : undefined;
}

/**
 * A stored question said again in the new language: each sentence, button and need name of the old language found in
 * it is swapped for the same one of the new; a sentence with placeholders keeps what was filled in. What it does not
 * know (a place the resident typed) stays as it is.
 */
function rephrase(options: Record<string, unknown>, from: Phrases, to: Phrases): void {
    const pairs = from.templates.map((t, i) => [t, to.templates[i]] as const);
    const placeholder = /\{\w+\}/;
    // Whole sentences, buttons and need names, longest first (a sentence before a button inside it), and only where
    // they stand as words of their own: "or" is never swapped inside "worries".
    const plain = [...pairs.filter(([a]) => !placeholder.test(a)), ...from.words.map((w, i) => [w, to.words[i]] as const)]
        .filter(([a, b]) => a.length >= 2 && a !== b).sort((x, y) => y[0].length - x[0].length)
        .map(([a, b]) => [new RegExp(`(?<![\\p{L}\\p{N}])${escape(a)}(?![\\p{L}\\p{N}])`, 'gu'), b] as const);
    const filled = pairs.filter(([a]) => placeholder.test(a)).map(([a, b]) => {
        const names: string[] = [];
        const pattern = a.split(/\{(\w+)\}/).map((part, i) => {
            if (!(i % 2)) return escape(part);
            names.push(part);
            return '(.+?)';
        }).join('');
        return { re: new RegExp(pattern, 'g'), names, to: b, size: a.replace(/\{\w+\}/g, '').length };
    }).filter((t) => t.size >= 12);
    const swap = (text: string): string => {
        // Sentences with placeholders first, keeping what was filled in; then everything said as it is.
        let out = text;
        for (const t of filled) {
            out = out.replace(t.re, (...m: string[]) => t.to.replace(/\{(\w+)\}/g, (_, name: string) => {
                const at = t.names.indexOf(name);
                return at >= 0 ? m[at + 1] : `{${name}}`;
            }));
        }
        for (const [re, b] of plain) out = out.replace(re, () => b);
        return out;
    };
    for (const key of ['prompt', 'retryPrompt']) {
        const activity = options[key] as { text?: string; suggestedActions?: { actions?: { title?: string;
            value?: unknown }[] } } | string | undefined;
        if (typeof activity === 'string') options[key] = swap(activity);
        else if (activity) {
            if (activity.text) activity.text = swap(activity.text);
            for (const action of activity.suggestedActions?.actions ?? []) {
                if (action.title) action.title = swap(action.title);
                if (typeof action.value === 'string') action.value = swap(action.value);
            }
        }
    }
}

/** Text as a regular expression that matches it literally. */
function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
