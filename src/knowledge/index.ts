/**
 * Everything in a knowledge folder, loaded and validated once at start-up. Any fault stops start-up with every
 * fault listed (file, record, field), so a bad edit never reaches a resident.
 */
import { loadDirectory } from './directory';
import { loadIntents, type IntentLexicon } from './intents';
import { loadLanguages, type LanguageFile } from './languages';
import { loadLocaleNeeds, type LocaleNeedsFile } from './localeNeeds';
import { KnowledgeError, type KnowledgeFault } from './faults';
import { loadPlaceData, type PlaceData } from './places';
import type { Opportunity } from './schema';
import { loadCrisisRules, loadNeedTaxonomy, type CrisisRules, type NeedTaxonomy } from './taxonomy';
import { loadServiceTypes, type ServiceType } from './serviceTypes';
import { loadWording, type Wording } from './wording';

export interface Knowledge {
    dir: string;
    wording: Wording;
    taxonomy: NeedTaxonomy;
    crisis: CrisisRules;
    places: PlaceData;
    opportunities: Opportunity[];
    /** The other languages (knowledge/languages): their crisis rules and their few sentences. */
    languages?: LanguageFile[];
    /** The needs lexicons of the languages conversations are held in besides English (knowledge/locales/<code>). */
    localeNeeds?: LocaleNeedsFile[];
    /** How a resident's intent is read (knowledge/intents), by language code; English is always there. */
    intents: Map<string, IntentLexicon>;
    /** Kinds of service residents name (knowledge/service-types.json); empty for a folder without the file. */
    serviceTypes: ServiceType[];
}

/** Loads and checks every file; throws one KnowledgeError listing the faults of all of them. */
export function loadKnowledge(dir: string): Knowledge {
    const faults: KnowledgeFault[] = [];
    const attempt = <T>(load: () => T): T | undefined => {
        try {
            return load();
        } catch (err) {
            if (err instanceof KnowledgeError) {
                faults.push(...err.faults);
                return undefined;
            }
            throw err;
        }
    };
    const wording = attempt(() => loadWording(dir));
    const taxonomy = attempt(() => loadNeedTaxonomy(dir));
    const crisis = attempt(() => loadCrisisRules(dir));
    const places = attempt(() => loadPlaceData(dir));
    const opportunities = attempt(() => loadDirectory(dir, { knownNeedIds: taxonomy?.needs.map((n) => n.id) }));
    const languages = attempt(() => loadLanguages(dir));
    const intents = attempt(() => loadIntents(dir));
    const localeNeeds = taxonomy ? attempt(() => loadLocaleNeeds(dir, taxonomy.needs.map((n) => n.id))) : [];
    const serviceTypes = attempt(() => loadServiceTypes(dir));
    if (faults.length || !wording || !taxonomy || !crisis || !places || !opportunities || !languages || !intents
        || !serviceTypes || !localeNeeds) {
        throw new KnowledgeError(faults);
    }
    // A resident writing in another language can ask for a person in it ("osoba"), as in English.
    wording.addCommandPhrases('talkToPerson', languages.flatMap((l) => l.person));
    return { dir, wording, taxonomy, crisis, places, opportunities, languages, intents, serviceTypes, localeNeeds };
}
