/**
 * The one face of the matching engine for the conversation (dialogs, bot, error path): the engine's answers, with
 * the lines in other languages taken from their wording. Built once by src/app.ts; every call goes to the engine at
 * the time it is made, so a test that replaces one of the engine's methods sees it used.
 */
import type { LanguageWording } from '../knowledge/languages';
import type { Wording } from '../knowledge/wording';
import type { Engine } from '../matching/engine';
import type { Matching } from './services';

/** The engine and the languages' wording as one Matching. */
export function conversationMatching(engine: Engine, languages: LanguageWording, wording?: Wording): Matching {
    return {
        detectNeeds: (text, locale) => engine.detectNeeds(text, locale),
        resolvePlace: (text) => engine.resolvePlace(text),
        readWishes: (text) => engine.readWishes(text),
        rank: (query) => engine.rank(query),
        opportunity: (id) => engine.opportunity(id),
        needIds: () => engine.needIds(),
        // A need's name in the resident's language when its locale names it (knowledge/locales/*/wording.json).
        askLabel: (id) => wording?.needLabel(id, 'ask') ?? engine.askLabel(id),
        reflectLabel: (id, them) => wording?.needLabel(id, 'reflect') ?? engine.reflectLabel(id, them),
        crisisKinds: (text) => engine.crisisKinds(text),
        crisisRoutes: (kinds) => engine.crisisRoutes(kinds),
        crisisHelping: (text) => engine.crisisHelping(text),
        crisisLine: (text) => {
            const found = engine.crisisLanguage(text);
            const line = found && languages.crisisLine(found.language, found.aboutChild);
            // Both lines when Roman letters cannot tell Urdu from Panjabi; SMS splits them between lines if long.
            const twin = found?.also && languages.crisisLine(found.also, found.aboutChild);
            return found && line ? { language: found.language, line: twin ? `${line}\n${twin}` : line } : undefined;
        },
        language: (text) => engine.language(text),
        unsupportedLine: (code) => languages.unsupported(code),
    };
}
