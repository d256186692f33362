/**
 * The website chat page's language, shared by the page with JavaScript (webChat.ts) and the page without
 * (plainChat.ts), so both speak the same language for the same link or browser.
 */
import { BASE_LOCALE, type Wording } from '../knowledge/wording';

/** The form field the first page's forms carry, so the page without JavaScript keeps the page's language. */
export const PAGE_LANGUAGE_FIELD = 'lang';

/**
 * The page's language: `?lang=cy` when the bot converses in it (a council links its Welsh page so), else the
 * browser's first language when the bot converses in it, else English.
 */
export function pageLocale(wording: Wording, asked: string | null, acceptLanguage: string | undefined): string {
    const code = (tag: string | null | undefined) => (tag ?? '').trim().toLowerCase().split(/[-_;]/)[0];
    if (asked && wording.has(code(asked))) return code(asked);
    const first = code((acceptLanguage ?? '').split(',')[0]);
    return first && wording.has(first) ? first : BASE_LOCALE;
}

/** The page's language tag for `lang` and Web Chat: British English, or the locale's code ("cy", "pl"). */
export function languageTag(locale: string): string {
    return locale === BASE_LOCALE ? 'en-GB' : locale;
}
