/**
 * The characters a detector reads, whatever the resident's keyboard (or someone hiding words) produced. Text is
 * folded for matching only: what is shown, stored or sent on is never changed here.
 *
 * - Invisible characters go: format characters (Unicode category Cf: soft hyphen, zero-width space, joiners, bidi
 *   controls, byte order mark, word joiner, tags) and the other default-ignorable code points (variation selectors,
 *   Hangul fillers, the combining grapheme joiner). "sui\u00ADcidal" reads as "suicidal".
 * - Compatibility forms become plain ones (NFKD, then NFC): full-width "ｋｉｌｌ", ligatures, circled and
 *   mathematical letters, superscripts, non-breaking and other odd spaces.
 * - Accents and other combining marks go from Latin letters ("café" -> "cafe", stacked "Zalgo" marks) and from
 *   marks that sit on nothing, but stay on the letters of other scripts, where they are part of the spelling.
 * - Letters of other scripts that look like Latin ones (Cyrillic "і" in "kіll") become Latin, but only in a word that
 *   is mostly Latin, or in a message that is mostly Latin: a Russian, Greek or Armenian message keeps its letters, so
 *   detection in those languages can be written against their own script.
 */

/** Format characters and other code points that render as nothing. */
export const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Letters of other scripts, and rarer Latin letters, that are drawn like a plain Latin letter, after Unicode's
 * confusables list (UTS #39), with both cases. Upper-case look-alikes map to their Latin capital, so case folding
 * afterwards treats them like typed capitals.
 */
const LOOKALIKE_PAIRS = [
    // Cyrillic.
    'АA аa ВB вb ЕE еe ЁE ёe КK кk МM мm НH нh ОO оo РP рp СC сc ТT тt УY уy ХX хx ЅS ѕs ІI іi ЇI їi ЈJ јj',
    'ԚQ ԛq ԜW ԝw ҮY үy ҺH һh ӀI ӏl ԁd ԀD ЬB ьb ѴV ѵv ѠW ѡw ԌG ԍg пn',
    // Greek.
    'ΑA αa ΒB βb ΕE εe ΖZ ζz ΗH ηn ΙI ιi ΚK κk ΜM μu ΝN νv ΟO οo ΡP ρp ΤT τt ΥY υu ΧX χx γy ϲc ϹC ϳj ωw',
    'ΪI ϊi ΫY ϋu ϜF ϝf',
    // Armenian.
    'օo սu ոn հh ցg զq ԼL ՍU ՕO',
    // Latin letters outside a-z that people, and fonts, use for plain ones.
    'ıi ɩi ɪi ʟl ɑa ɡg ᴋk ᴍm ɴn ᴏo ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ʜh ᴊj ᴘp łl ŁL øo ØO đd ĐD ħh',
].join(' ');

const LOOKALIKES: ReadonlyMap<string, string> = new Map(
    LOOKALIKE_PAIRS.split(/\s+/).filter(Boolean).map((pair) => [pair.slice(0, -1), pair.slice(-1)] as const),
);

/** The plain Latin letter a look-alike is drawn like, or undefined. */
export function latinLookalike(letter: string): string | undefined {
    return LOOKALIKES.get(letter);
}

const LATIN_LETTER = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;
/** A word for deciding look-alikes: letters with their marks. */
const WORD = /[\p{L}\p{M}]+/gu;
/** Combining marks on a Latin letter, or on no letter at all (start of text, after a digit, space or symbol). */
const MARKS_ON_LATIN = /(^|[^\p{L}\p{M}]|\p{Script=Latin})\p{M}+/gu;

/** Letters of the text by whether they are Latin, other letters that have a Latin look-alike, or neither. */
function countLetters(text: string): { latin: number; lookalike: number; other: number } {
    const counts = { latin: 0, lookalike: 0, other: 0 };
    for (const ch of text) {
        if (!LETTER.test(ch)) {
            continue;
        }
        if (LATIN_LETTER.test(ch) && !LOOKALIKES.has(ch)) {
            counts.latin++;
        } else if (LOOKALIKES.has(ch)) {
            counts.lookalike++;
        } else {
            counts.other++;
        }
    }
    return counts;
}

/**
 * Look-alike letters made Latin in the words where that is what they are: a word with no letters but Latin ones and
 * look-alikes, that has a Latin letter or stands in a mostly Latin message. "kіll" (Cyrillic і) becomes "kill";
 * Russian "кто" in a Russian message stays as it is.
 */
export function foldLookalikes(text: string, everyWord = false): string {
    if (/^[\x00-\x7F]*$/.test(text)) {
        // Plain ASCII, the usual case, has no look-alikes.
        return text;
    }
    const whole = countLetters(text);
    const mostlyLatin = whole.latin > whole.other;
    return text.replace(WORD, (word) => {
        const counts = countLetters(word);
        const latinWord = counts.other === 0 && (counts.latin > 0 || mostlyLatin);
        if (counts.lookalike === 0 || (!latinWord && !everyWord)) {
            return word;
        }
        let folded = '';
        for (const ch of word) {
            folded += LOOKALIKES.get(ch) ?? ch;
        }
        return folded;
    });
}

/**
 * The text as detectors read it: invisible characters removed, compatibility forms made plain, look-alikes folded
 * into Latin where the word is Latin (in every word with `everyWord`, which crisis detection tries as well, since a
 * message written wholly in look-alikes has no Latin letter to tell it by), accents removed from Latin letters.
 * Case is kept. Pure, linear in the length.
 */
export function foldForMatching(raw: string, everyWord = false): string {
    // Folded before and after decomposing: some look-alikes decompose into letters that are not ("ϲ" into "σ"),
    // and some compatibility forms decompose into look-alikes (mathematical Greek capitals).
    const visible = foldLookalikes(raw.replace(INVISIBLE, ''), everyWord).normalize('NFKD');
    return foldLookalikes(visible, everyWord).replace(MARKS_ON_LATIN, '$1').normalize('NFC');
}

/** Marks on Greek or Cyrillic letters (tonos, dialytika, the breve of "й", the diaeresis of "ё"). */
const MARKS_ON_GREEK_CYRILLIC = /([\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
/** Arabic-script vowel marks, tatweel and other marks people type or leave out at will. */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
/** Arabic-script letters written in more than one way, each to one form (Arabic, Urdu and Persian keyboards differ). */
const ARABIC_LETTERS: Readonly<Record<string, string>> = {
    'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ی', 'ي': 'ی', 'ئ': 'ی', 'ے': 'ی', 'ۓ': 'ی', 'ك': 'ک', 'ة': 'ه',
    'ۀ': 'ه', 'ہ': 'ه', 'ۃ': 'ه', 'ھ': 'ه', 'ؤ': 'و', 'ۇ': 'و',
};
const ARABIC_VARIANTS = new RegExp(`[${Object.keys(ARABIC_LETTERS).join('')}]`, 'g');

/**
 * Text as the crisis rules of other languages read it (knowledge/languages): as `foldForMatching`, in lower case,
 * with the marks people often leave out gone in every script that has them as optional extras (Greek tonos, Russian
 * "ё" as "е", Arabic vowel marks) and Arabic-script letters that keyboards write differently made one. Marks that
 * are part of the spelling (the vowel signs of Bengali, Gujarati, Gurmukhi and Tamil) stay. The rules themselves are
 * folded the same way (`foldRule`), so a rule written with or without the marks matches text typed either way.
 */
export function foldForLanguages(raw: string): string {
    return foldRule(foldForMatching(raw).toLowerCase());
}

/** The letters of a rule (or of text already lower-cased) folded as `foldForLanguages` does; regex syntax is kept. */
export function foldRule(source: string): string {
    return source.replace(INVISIBLE, '').normalize('NFKD').replace(MARKS_ON_LATIN, '$1')
        .replace(MARKS_ON_GREEK_CYRILLIC, '$1')
        .replace(ARABIC_MARKS, '').normalize('NFC').replace(ARABIC_VARIANTS, (c) => ARABIC_LETTERS[c] as string)
        .replace(/ς/g, 'σ').replace(/ł/g, 'l').replace(/ı/g, 'i').replace(/ß/g, 'ss');
}
