/** Text helpers the renderers share: lists joined with "or", SMS segments and splitting, markdown and phone links. */

/** "1, 2 or 3": the last two joined by the wording's word for "or". */
export function joinOr(items: string[], or: string): string {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} ${or} ${items[items.length - 1]}`;
}

// The GSM 03.38 alphabet: texts written only in it cost 160 characters a segment instead of 70.
const GSM_BASIC = new Set([
    ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡',
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);
const GSM_EXTENDED = new Set([...'^{}\\[~]|€\f']);

/** Typographic characters swapped for plain ones, so a text stays in the cheaper GSM alphabet. */
const GSM_SWAPS: [RegExp, string][] = [
    [/[\u2018\u2019\u201a\u201b\u2032`´]/g, '\''],
    [/[\u201c\u201d\u201e\u2033]/g, '"'],
    [/[\u2010-\u2015\u2212]/g, '-'],
    [/\u2026/g, '...'],
    [/[\u00a0\u2000-\u200a\u202f\t]/g, ' '],
    [/[\u200b-\u200d\ufeff]/g, ''],
    [/[\u2022\u00b7]/g, '-'],
];

/** The text with typographic quotes, dashes and spaces made plain. */
export function toGsm(text: string): string {
    return GSM_SWAPS.reduce((t, [re, plain]) => t.replace(re, plain), text);
}

/** How many SMS segments a text takes: 160 (153 when split) GSM characters, or 70 (67) otherwise. */
export function smsSegments(text: string): number {
    let gsmLength = 0;
    let gsm = true;
    for (const ch of text) {
        if (GSM_BASIC.has(ch)) gsmLength += 1;
        else if (GSM_EXTENDED.has(ch)) gsmLength += 2;
        else {
            gsm = false;
            break;
        }
    }
    if (gsm) return gsmLength <= 160 ? 1 : Math.ceil(gsmLength / 153);
    const units = text.length; // UTF-16 code units, as UCS-2 counts them
    return units <= 70 ? 1 : Math.ceil(units / 67);
}

const SPLITS: [RegExp, string][] = [
    [/\n\n+/, '\n\n'],
    [/\n/, '\n'],
    [/(?<=[.!?])\s+/, ' '],
    [/ +/, ' '],
];

/**
 * Splits a text into pieces of at most `maxSegments` SMS segments each, breaking between paragraphs, then lines,
 * then sentences, then words, so each piece reads on its own.
 */
export function splitForSms(text: string, maxSegments: number, level = 0): string[] {
    const fits = (t: string) => smsSegments(t) <= maxSegments;
    if (fits(text)) return [text];
    if (level >= SPLITS.length) {
        // One word longer than the limit (a long web address): cut it, as a phone would.
        const size = 60 * maxSegments;
        const out: string[] = [];
        for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
        return out;
    }
    const [re, join] = SPLITS[level];
    const parts = text.split(re).filter((p) => p !== '');
    if (parts.length < 2) return splitForSms(text, maxSegments, level + 1);
    const out: string[] = [];
    let current = '';
    for (const part of parts) {
        const candidate = current ? current + join + part : part;
        if (fits(candidate)) {
            current = candidate;
            continue;
        }
        if (current) out.push(current);
        if (fits(part)) {
            current = part;
        } else {
            out.push(...splitForSms(part, maxSegments, level + 1));
            current = '';
        }
    }
    if (current) out.push(current);
    return out;
}

/** Markdown a bot or a content editor may have written, made plain: emphasis, code, headings, links. */
export function stripMarkdown(text: string): string {
    return text
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) =>
            url.replace(/^(tel:|mailto:)/, '') === label ? label : `${label} ${url.replace(/^(tel:|mailto:)/, '')}`)
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,!?]|$)/g, '$1$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/^#{1,6}\s+/gm, '')
        .replace(/^>\s?/gm, '');
}

/** A phone number as a tel: address: digits only, with a leading + kept. */
export function telUrl(phone: string): string {
    return `tel:${phone.trim().replace(/(?!^\+)[^\d]/g, '')}`;
}

// UK numbers as residents and listings write them: 0117 496 0000, 0808 2000 247, 116 123, 111, 999, 85258, and
// Childline's short freephone number, 0800 1111.
const UK_PHONE = /(?<![\w/.:-])(0\d{2,4}[ ]?\d{3,4}[ ]?\d{3,4}|0800 ?1111|116 ?\d{3}|999|111)(?![\w/-])/g;

/** Text with UK phone numbers made into markdown tel: links, so a tap calls them. Leaves existing links alone. */
export function linkPhones(text: string): string {
    if (/\]\(tel:/.test(text)) return text;
    return text.replace(UK_PHONE, (number) => `[${number}](${telUrl(number)})`);
}
