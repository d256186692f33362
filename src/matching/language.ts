/**
 * Which language a short message is in, for choosing what to answer in, never for deciding whether it is a crisis
 * (crisisLanguages.ts runs every language's rules on every message). "en" also means "cannot tell": a message is
 * called another language only when the evidence beats English, so short or ambiguous messages stay English.
 *
 * Two ways, measured side by side in `npm run eval`:
 * - `identifyBaseline`: the script a message is written in (Gurmukhi, Bengali, Gujarati, Tamil, Greek and Han each
 *   have one language here; Arabic script is told apart by letters and words, Cyrillic by letters and words), and
 *   for Latin letters, common words and tell-tale letters of each language, romanised forms included (Roman Urdu,
 *   Arabizi, Finglish, Greeklish...). Ported from the study in issue 14.
 * - `identify`: the same, with tinyld (n-gram statistics) deciding between the Latin-script European languages the
 *   baseline knows only by a few words. tinyld never decides alone: it knows no romanised forms (it answers Italian
 *   for Roman Urdu), nor Welsh, and it calls short English ("ok", "hello") other languages.
 */
import { detectAll } from 'tinyld';

/** The languages identified (ISO 639-1), English included. */
export const LANGUAGE_CODES = ['en', 'pl', 'ro', 'pa', 'ur', 'pt', 'es', 'ar', 'bn', 'gu', 'zh', 'it', 'ta', 'fr', 'lt',
    'tr', 'bg', 'ru', 'fa', 'hu', 'el', 'ku', 'cy'] as const;

/** Latin letters with their marks removed, and the few letters that do not decompose. */
function strip(text: string): string {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l').replace(/ı/g, 'i');
}

/**
 * Common words of each language written in Latin letters, romanised forms included. Small on purpose: they are
 * evidence, weighed against English's own common words.
 */
const WORDS: Readonly<Record<string, string>> = {
    en: 'i me my you your the a an and is are was it to of in on for with that this have has do not no yes ok can will'
        + ' be at from he she they we what how why when where there here please thanks thank hi hiya hello im dont its'
        + ' just so but or if about am need help group',
    pl: 'nie jest sie się ze że to jak co mam moja moj mój ale tak juz już bardzo czy jestem dla mnie mi jego jej oni'
        + ' na w z do po tylko teraz dzis dziś dziekuje dziękuję cześć czesc prosze proszę nikt chce chcę',
    ro: 'nu este si și sa să ma mă eu el ea cu pe la de din in în mai ce cum am are sunt foarte pentru acum nimeni'
        + ' vreau meu mea multumesc mulțumesc buna bună asta ai fi',
    pt: 'nao não e é o a os as um uma eu ele ela com para por que do da dos das no na em meu minha estou esta está '
        + 'muito obrigado obrigada ola olá agora voce você tenho quero sou ninguem ninguém',
    es: 'no es y el la los las un una yo con para por que de del en mi estoy esta está muy gracias hola ahora usted'
        + ' tengo quiero soy nadie pero se me hay',
    it: 'non è e il lo la gli le un una io con per che di del della in mio mia sono sto molto grazie ciao ora adesso ho'
        + ' voglio nessuno ma mi ci',
    fr: 'ne pas est et le la les un une je j il elle avec pour que de du des en mon ma suis très tres merci bonjour'
        + ' maintenant ai veux personne mais me moi c qu',
    lt: 'ne yra ir aš as jis ji su į i iš is kad mano labai ačiū aciu dabar noriu niekas bet man mane kur ar',
    tr: 'bir ve bu ben sen o çok cok de da mi mı ne için icin ile var yok benim değil degil şimdi simdi istiyorum'
        + ' teşekkür tesekkur merhaba kimse ama beni bana',
    hu: 'nem van és es a az egy én en ő o hogy meg de már mar nagyon köszönöm koszonom szia most akarok senki vagyok is'
        + ' nekem engem',
    cy: 'dw i yn y yr a ac mae wedi ddim ond fy ei eu ni chi nhw gyda i o am ar diolch helo bore da nawr rwy rydw isio'
        + ' eisiau mynd ydy oes',
    ku: 'ez tu ew min te wî wi wê we em hûn hun ji li bi û u ku na ne jî ji di de da çawa cawa silav spas niha dixwazim'
        + ' heye nîne nine xwe',
    ur: 'mein main mujhe mera meri mere hai hain tha thi ka ki ke ko se nahi nahin kya kyun aur bhi hum tum aap yeh woh'
        + ' wo raha rahi rahe ho gaya gayi bohat bahut shukriya abhi kar liya hoon chahta chahti chahiye jahan karna',
    pa: 'main mainu menu mera meri mere aa ae ne da di de nu naal nal ton nahi ki te vi assi tusi oh eh reha rahi gaye'
        + ' hun hune bahut haan ji dasso karda kardi',
    bn: 'ami amar amake tumi tomar apni apnar o ki na ache achhe chai khub ekhon kintu kore kono ekhane ei ta ke bolche'
        + ' hobe dhonnobad',
    gu: 'hu mane maru mari maro tame tamaru che chu nathi ane ma thi ne pan kem bahu aaje ahiya saru aavjo shu su koi',
    ta: 'naan nan enakku en enna unga ungal illa illai irukku romba inga ippo ennai avan aval nu panna vanakkam nandri'
        + ' mudiyala',
    ar: 'ana enta enti howa hiya ma la fi fe min men 3ala ala w wa shukran marhaba kifak kifik shu 3am bel el il ana2'
        + ' inshallah habibi',
    fa: 'man to oo u ma shoma in oon ke ba az be dar ham nist hast mikham mikhay khaharam maman baba chi chera khoda'
        + ' merci salam khubi khoobam pedar pedaram madar madaram bozorg bozorgam baradar baradaram shoharam'
        + ' ghafase ghafaseh komak lotfan',
    ru: 'ya on ona my vy ne net da eto chto kak menya mne u v na s i no hochu privet spasibo seichas seychas'
        + ' pozhaluista',
    bg: 'az ti toy tya nie vie ne e i da na v s za ot mi me se shte li kak sega blagodarya zdravey zdrasti imam',
    el: 'ego egw esy eisai einai kai to ta ti tin tou tis den na me mou sou ena mia gia apo tora efxaristo efharisto'
        + ' yia geia kalimera thelo pappous pappou giagia mitera pateras exei echei exo echo pono ponos'
        + ' voitheia voithia',
    zh: 'wo ni ta de shi bu le ma hen hao xiang yao zai you mei xie xiexie nihao women',
};

/** For each word (marks removed), the languages it belongs to. */
const WORD_LANGUAGES: ReadonlyMap<string, readonly string[]> = (() => {
    const map = new Map<string, string[]>();
    for (const [language, words] of Object.entries(WORDS)) {
        for (const word of words.split(/\s+/)) {
            const key = strip(word.toLowerCase());
            const list = map.get(key) ?? [];
            if (!list.includes(language)) list.push(language);
            map.set(key, list);
        }
    }
    return map;
})();

/** Letters with marks that point strongly to one language. */
const TELLING_LETTERS: ReadonlyArray<readonly [string, RegExp]> = [
    ['pl', /[ąćęłńśźż]/], ['ro', /[șşțţăâî]/], ['pt', /[ãõç]/], ['es', /[ñ¿¡]/], ['tr', /[ğış]/], ['hu', /[őű]/],
    ['lt', /[ąčęėįšųūž]/], ['cy', /[ŵŷ]/], ['ku', /[êîûçş]/], ['fr', /[èêëàçœ]/], ['it', /[àèìòù]/],
];

type Script = 'Arab' | 'Guru' | 'Gujr' | 'Beng' | 'Taml' | 'Grek' | 'Cyrl' | 'Hani' | 'Deva' | 'Latn';
const SCRIPTS: ReadonlyArray<readonly [Script, RegExp]> = [
    ['Arab', /\p{Script=Arabic}/u], ['Guru', /\p{Script=Gurmukhi}/u], ['Gujr', /\p{Script=Gujarati}/u],
    ['Beng', /\p{Script=Bengali}/u], ['Taml', /\p{Script=Tamil}/u], ['Grek', /\p{Script=Greek}/u],
    ['Cyrl', /\p{Script=Cyrillic}/u], ['Hani', /\p{Script=Han}/u], ['Deva', /\p{Script=Devanagari}/u],
    ['Latn', /\p{Script=Latin}/u],
];
/** Scripts that, among the languages here, are written for one language only. Devanagari (Hindi) is not one of them. */
const ONE_LANGUAGE: Readonly<Partial<Record<Script, string>>> = {
    Guru: 'pa', Gujr: 'gu', Beng: 'bn', Taml: 'ta', Grek: 'el', Hani: 'zh',
};

/** The script most of the letters are in, or undefined for none (digits, emoji). */
export function mainScript(text: string): Script | undefined {
    const counts = new Map<Script, number>();
    for (const ch of text) {
        const found = SCRIPTS.find(([, re]) => re.test(ch));
        if (found) counts.set(found[0], (counts.get(found[0]) ?? 0) + 1);
    }
    let best: Script | undefined;
    let most = 0;
    for (const [script, n] of counts) {
        if (n > most) [best, most] = [script, n];
    }
    return best;
}

const count = (words: readonly string[], list: readonly string[]) => words.filter((w) => list.includes(w)).length;

/** Arabic script: Sorani Kurdish, Urdu or Shahmukhi Panjabi, Persian, or Arabic, by their own letters and words. */
function arabicScript(text: string): string {
    if (/[ڵڕۆێە]/.test(text)) return 'ku';
    const words = text.split(/[\s،؟!.,]+/);
    if (/[ٹڈڑںےۓھ]/.test(text)) {
        const pa = count(words, ['نیں', 'اے', 'دا', 'دی', 'دے', 'نوں', 'ایتھے', 'چاہندا', 'چاہندی', 'وچ', 'تے', 'ہاں',
            'کی', 'مینوں', 'ساہ', 'رہیا', 'دیاں', 'نال', 'توں', 'ہن', 'اوہ', 'ایہہ', 'سی', 'لئیاں', 'گئیاں',
            'ہویا', 'کیتا', 'کیتی', 'ساریاں', 'اسیں', 'تسیں', 'ساڈا', 'تہاڈا', 'رہیاں', 'پئی']);
        const ur = count(words, ['ہے', 'ہیں', 'کا', 'کے', 'کو', 'میں', 'نہیں', 'رہا', 'رہی', 'سے', 'کی', 'یہ', 'وہ']);
        return pa > ur ? 'pa' : 'ur';
    }
    // Persian letters, or the Persian (not Arabic) forms of yeh and kaf with no Arabic ones.
    if (/[پچژگ]/.test(text) || (/[یک]/.test(text) && !/[يك]/.test(text))) return 'fa';
    return 'ar';
}

/** Cyrillic: Russian by its own letters, else Russian or Bulgarian by common words. */
function cyrillic(text: string): string {
    const lower = text.toLowerCase();
    if (/[ыэё]/.test(lower)) return 'ru';
    const words = lower.split(/[^\p{L}]+/u);
    const bg = count(words, ['съм', 'е', 'са', 'ще', 'не', 'ми', 'се', 'на', 'за', 'от', 'и', 'да', 'как', 'какво',
        'сега', 'благодаря', 'здравей', 'много', 'имам', 'нямам', 'аз', 'тя', 'той', 'искам', 'моят', 'моята', 'майка',
        'тази', 'този', 'това']) + (lower.match(/ъ/g) ?? []).length * 0.5;
    const ru = count(words, ['я', 'мне', 'меня', 'это', 'что', 'не', 'на', 'в', 'и', 'как', 'сейчас', 'спасибо',
        'привет', 'очень', 'хочу', 'мой', 'моя', 'он', 'она', 'у', 'нет', 'есть', 'уже', 'больше']);
    return bg > ru ? 'bg' : 'ru';
}

/** The score that makes a message in Latin letters another language than English on its own (see latinScores). */
const EVIDENCE = 2;

/** English digit words that are not Arabizi: times, ordinals, decades, text-speak, postcode shapes. */
const NOT_ARABIZI = [
    /^[0-9]+(?:am|pm|st|nd|rd|th|s|h|hr|hrs|min|mins|k|m|p|x|ish)$/,
    /^(?:2day|2moro|2morro|2morrow|2mrw|2mro|2nite|2night|2nyt|b4|gr8|l8|l8r|m8|4ever|4u|2u)$/,
    /^(?:any1|some1|no1|every1|w8|h8)$/,
    /^[a-z]{1,2}[0-9][a-z0-9]?$/, /^[0-9][a-z]{2}$/,
];

/** A word written in Arabizi: letters with a digit among them, and none of the English forms above. */
function arabizi(word: string): boolean {
    return /[a-z]*[0-9][a-z]+|[a-z]+[237][a-z]*/.test(word) && !NOT_ARABIZI.some((re) => re.test(word));
}

/** Latin letters: each language's evidence from its common words and telling letters, and English's own. */
export function latinScores(text: string)
    : { language: string; score: number; english: number; scores: ReadonlyMap<string, number> } {
    // English contractions (I've, husband's) are English evidence, not Turkish "ve" or Russian "s".
    const contractions = (text.match(/\b[a-z]+['’](?:ve|s|ll|re|m|d|t)\b/gi) ?? []).length;
    // Capitalised words after the first are names or places (Ty Coch): not evidence; nor is the first when every
    // word is capitalised ("Ana Popescu" is a name, not Arabizi "ana").
    // Short lower-case joining words count as part of the name ("Heol y Felin", "Maria da Silva").
    const allCapitalised = /^\s*\p{Lu}\p{Ll}*(?:[\s,.-]+(?:\p{Ll}{1,3}[\s,.-]+)?\p{Lu}\p{Ll}*)*[\s.!]*$/u.test(text);
    const withoutNames = allCapitalised ? '' : text.replace(/(?<=\S\s+)\p{Lu}\p{Ll}+/gu, ' ');
    const words = strip(withoutNames.toLowerCase().replace(/['’](?:ve|s|ll|re|m|d|t)\b/g, ' '))
        .split(/[^a-z0-9]+/).filter(Boolean);
    // Telling letters are read without the names too: "My name is Wojciech Szczepański" is English.
    const lower = withoutNames.toLowerCase();
    const scores = new Map<string, number>();
    const add = (language: string, n: number) => scores.set(language, (scores.get(language) ?? 0) + n);
    for (const word of words) {
        const languages = WORD_LANGUAGES.get(word);
        languages?.forEach((l) => add(l, 1 / languages.length));
    }
    if (contractions) add('en', contractions);
    for (const [language, letters] of TELLING_LETTERS) if (letters.test(lower)) add(language, 1.5);
    // Arabizi writes some Arabic letters as digits (3, 7, 2) inside words. Times ("7pm"), ordinals ("2nd"), English
    // text-speak ("2moro", "gr8") and postcode shapes ("SW1A", "BS5", "1AA") are not that.
    if (lower.split(/[^a-z0-9]+/).some(arabizi) && !/\b[a-z]{1,2}[0-9]{1,2}\b/i.test(text)) add('ar', 1);
    let language = 'en';
    let score = 0;
    for (const [l, n] of scores) {
        if (n > score) [language, score] = [l, n];
    }
    const english = scores.get('en') ?? 0;
    // Another language needs a clear margin over English, and real evidence: two of its words (or a word and a telling
    // letter), or one in a message of two words or more. A message of one word shared with English text or text-speak
    // ("ya", "menu", "yo", "um") is English.
    const letterWords = words.filter((w) => /[a-z]/.test(w)).length;
    if (language !== 'en' && (score < 1 || (score < EVIDENCE && letterWords < 2) || score <= english)) language = 'en';
    return { language, score, english, scores };
}

/** The plain baseline: script, then letters and common words. "en" when it cannot tell. */
export function identifyBaseline(text: string): string {
    const script = mainScript(text);
    if (!script || script === 'Deva') return 'en';
    const one = ONE_LANGUAGE[script];
    if (one) return one;
    if (script === 'Arab') return arabicScript(text);
    if (script === 'Cyrl') return cyrillic(text);
    return latinScores(text).language;
}

/** Latin-script languages tinyld may decide between (it has no Welsh, and no Kurmanji worth the name). */
const STATISTICAL = new Set(['pl', 'ro', 'pt', 'es', 'it', 'fr', 'lt', 'tr', 'hu', 'en']);

/** Words of a message in Latin letters, lower case, marks removed. */
function latinWords(text: string): string[] {
    return strip(text.toLowerCase()).split(/[^a-z0-9']+/).map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean);
}

/** Whether half or more of a message's words in Latin letters are English words (`englishWord`). */
export function mostlyEnglish(text: string, englishWord: (word: string) => boolean): boolean {
    const words = latinWords(text);
    return words.length > 0 && words.filter(englishWord).length * 2 >= words.length;
}

/**
 * The language other than English a message looks most like, or undefined: its script's language, else the
 * language with the most evidence in common words and letters, else tinyld's first guess among the languages here.
 */
export function topOtherLanguage(text: string): string | undefined {
    const script = mainScript(text);
    if (script !== 'Latn') {
        const language = identifyBaseline(text);
        return language === 'en' ? undefined : language;
    }
    const codes: readonly string[] = LANGUAGE_CODES;
    const statistics = detectAll(text).map((r) => r.lang).filter((l) => l !== 'en' && codes.includes(l));
    const scores = [...latinScores(text).scores].filter(([l]) => l !== 'en');
    const most = Math.max(0, ...scores.map(([, n]) => n));
    // The language with the most evidence; tinyld breaks ties, and decides when there is none.
    const best = scores.filter(([, n]) => n === most && n > 0).map(([l]) => l);
    return best.find((l) => statistics.includes(l)) ?? best[0] ?? statistics[0];
}

/**
 * The language of a message (ISO 639-1; "en" also when it cannot tell): the baseline, with tinyld choosing among
 * the Latin-script European languages when the baseline has too little to go on. With `englishWord` (the words the
 * English detectors know), a message in Latin letters that is half or more English words stays English, whatever
 * the statistics say ("I take sleeping pills most nights" is not Hungarian for its "most").
 */
export function identify(text: string, englishWord?: (word: string) => boolean): string {
    const script = mainScript(text);
    if (script !== 'Latn') return identifyBaseline(text);
    const base = latinScores(text);
    // Romanised languages, Welsh and Kurmanji: only the baseline knows them. Two of their words or more, and more
    // than English's, outweigh English-looking words ("group", "log" in Roman Urdu).
    const romanised = !STATISTICAL.has(base.language);
    if (romanised && base.score >= 2) return base.language;
    // Weaker evidence (one word, in a message of two or more) needs a second opinion: tinyld naming the same
    // language among its guesses, or a sentence (four words or more; two for the romanised languages tinyld does
    // not know). "c u 2moro" is not French for its "c", nor "mon-fri" for its "mon".
    const statistics = detectAll(text).map((r) => r.lang);
    if (base.language !== 'en' && base.score < EVIDENCE) {
        const letterWords = latinWords(text).filter((w) => /[a-z]/.test(w)).length;
        const agreed = statistics.includes(base.language) || letterWords >= (romanised ? 2 : 4);
        if (!agreed) {
            // tinyld may still choose another language the message gives evidence of ("ş" is Romanian, Turkish and
            // Kurdish: "intihar etmeyi düşünüyorum" is Turkish).
            const top = statistics.find((l) => STATISTICAL.has(l));
            return top && top !== 'en' && (base.scores.get(top) ?? 0) > 0 ? top : 'en';
        }
    }
    if (englishWord && mostlyEnglish(text, englishWord)) return 'en';
    if (romanised) return base.language;
    const top = statistics.find((l) => STATISTICAL.has(l)) ?? 'en';
    if (top === 'en' || top === base.language) return base.language;
    // tinyld chooses between languages the message gives some evidence of, never out of nothing ("blah blah blah"
    // is not Turkish).
    if (!(base.scores.get(top) ?? 0)) return base.language;
    // English guard: English common words present, or a message of one or two words, stay English.
    if (base.language === 'en' && base.english > 0) return 'en';
    if (base.language === 'en' && text.trim().split(/\s+/).length <= 2) return 'en';
    return top;
}

/** Languages whose romanised forms share most of their words, each with the other. */
const ROMAN_TWINS: Readonly<Record<string, string>> = { ur: 'pa', pa: 'ur' };

/**
 * The other of Urdu and Panjabi when a message in Latin letters cannot tell them apart (Roman Urdu and Roman
 * Panjabi share much of their spelling), so that a resident in crisis is shown both languages' lines rather than
 * one guessed wrong: no evidence for either, or the weaker at least half the stronger. Undefined otherwise, and for
 * any other language or script.
 */
export function romanisedTwin(text: string, language: string): string | undefined {
    const twin = ROMAN_TWINS[language];
    if (!twin || mainScript(text) !== 'Latn') return undefined;
    const { scores } = latinScores(text);
    const [mine, theirs] = [scores.get(language) ?? 0, scores.get(twin) ?? 0];
    const [low, high] = [Math.min(mine, theirs), Math.max(mine, theirs)];
    return high === 0 || (low > 0 && low * 2 >= high) ? twin : undefined;
}
