/**
 * The resident's language in the workspace (issue 18 and issue 20 part 1): each request shows it by name with the
 * interpreter wish, and the queue's Language filter takes a code ("pl"), a name ("Polish") or the language's own
 * name ("Polski"). The names are those of knowledge/languages/<code>.json, so a new language needs no change here.
 */
import type { ResidentLanguage } from '../storage/escalationRecord';

/** A language as the workspace names it: the fields of a language file (src/knowledge/languages.ts) it reads. */
export interface LanguageNames {
    code: string;
    name: string;
    nativeName: string;
}

/** English, which has no language file: the language of knowledge/wording.json. */
export const ENGLISH: LanguageNames = { code: 'en', name: 'English', nativeName: 'English' };

/** Lower case, marks off, letters only: "Polski", "polski " and "POLSKI" compare. */
function plain(text: string): string {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}]+/gu, '');
}

/** The code of the language a connector's words name (code, name or own name); the words themselves when none. */
export function languageNamed(languages: readonly LanguageNames[], text: string): string {
    const q = plain(text);
    const found = languages.find((l) => [l.code, l.name, l.nativeName].some((n) => plain(n) === q));
    return found?.code ?? q;
}

/** A request's language as the page shows it: its code, its name in English, the interpreter wish when asked. */
export function languageView(languages: readonly LanguageNames[], language: ResidentLanguage | undefined)
    : { code: string; name: string; interpreter?: boolean } | undefined {
    if (!language) return undefined;
    const name = languages.find((l) => l.code === language.code)?.name ?? language.code;
    return { code: language.code, name, ...(language.interpreter !== undefined ? { interpreter: language.interpreter }
        : {}) };
}
