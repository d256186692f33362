/**
 * Feed text made fit for chat and SMS: HTML and light Markdown stripped, entities decoded, whitespace tidied, and
 * shortening that cuts at a sentence or a word, never inside one. Pure.
 */

/** Entities seen in directory feeds; numeric ones are decoded generally. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
    amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
    pound: '£', euro: '€', dollar: '$', cent: '¢', copy: '©', reg: '®', trade: '™', deg: '°',
    hellip: '…', ndash: '–', mdash: '—', minus: '-', bull: '•', middot: '·',
    lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»',
    frac12: '½', frac14: '¼', frac34: '¾', times: '×', divide: '÷', sect: '§', para: '¶',
    eacute: 'é', egrave: 'è', ecirc: 'ê', aacute: 'á', agrave: 'à', acirc: 'â', oacute: 'ó', ouml: 'ö',
    uuml: 'ü', auml: 'ä', iacute: 'í', ccedil: 'ç', ntilde: 'ñ', szlig: 'ß', shy: '',
};

/** Tags whose end starts a new block: the text either side must not run together. */
const BLOCK_TAGS = /^(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|dd|dt|hr|header|footer)$/i;

/** Marks a block boundary while tags are removed; a private-use character no feed should contain. */
const BREAK = '\uE000';

/** Decodes HTML character references ("&amp;", "&#39;", "&#x2019;"). Unknown names are left as written. */
export function decodeEntities(text: string): string {
    return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
        if (ref.startsWith('#')) {
            const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
            // Control characters and lone surrogates would only make trouble in a chat message.
            return Number.isFinite(code) && code >= 32 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
                ? String.fromCodePoint(code)
                : ' ';
        }
        return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    });
}

/** Whether a piece of text ends a sentence, so joining blocks need not add a full stop. */
function endsSentence(text: string): boolean {
    return /[.!?:;…]["'”’)]*$/.test(text);
}

/**
 * Plain text from what a feed put in a text field: HTML tags removed (block ends become sentence breaks), entities
 * decoded, Markdown emphasis and headings dropped, every run of whitespace one space. Not a string: ''.
 */
export function cleanText(input: unknown): string {
    if (typeof input !== 'string' && typeof input !== 'number') {
        return '';
    }
    let text = String(input);
    if (text.includes('<')) {
        text = text
            .replace(/<!--[\s\S]*?-->/g, ' ')
            .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
            .replace(/<\/?([a-z][a-z0-9]*)\b[^>]*>/gi, (_tag, name: string) => (BLOCK_TAGS.test(name) ? BREAK : ' '));
    }
    // Decode after removing tags, so "&lt;b&gt;" stays visible text rather than becoming a tag.
    text = decodeEntities(text)
        .replace(/\r\n?|\n/g, BREAK)
        .replace(/[\u200b-\u200d\ufeff]/g, '')
        .replace(/\*\*|__|`/g, '');
    const blocks = text.split(BREAK)
        .map((block) => block.replace(/^\s*(?:#{1,6}\s+|[-*•]\s+)/, '').replace(/\s+/g, ' ').trim())
        .filter((block) => block !== '');
    let joined = '';
    blocks.forEach((block, i) => {
        if (i > 0) {
            joined += endsSentence(joined) ? ' ' : '. ';
        }
        joined += block;
    });
    return joined;
}

/** The sentences of a plain text: a split after . ! or ? followed by a space and a capital, digit or quote. */
export function sentences(text: string): string[] {
    return text.split(/(?<=[.!?…])\s+(?=["'“‘(£]?[A-Z0-9])/).filter((s) => s !== '');
}

/** Cuts at the last space at or before `max - 1` characters and adds an ellipsis. */
function cutAtWord(text: string, max: number): string {
    const room = text.slice(0, max - 1);
    const space = room.lastIndexOf(' ');
    const cut = space >= max / 2 ? room.slice(0, space) : room;
    return cut.replace(/[\s,;:.–—-]+$/, '') + '…';
}

/**
 * The text at most `max` characters long: whole sentences when they keep at least half the room, else cut at a word
 * with an ellipsis. Unchanged when it already fits.
 */
export function shorten(text: string, max: number): string {
    if (text.length <= max) {
        return text;
    }
    const kept = openingSentences(text, max);
    return kept.length >= max / 2 ? kept : cutAtWord(text, max);
}

/** As many whole opening sentences as fit in `max` characters ('' when even the first does not). */
function openingSentences(text: string, max: number): string {
    let kept = '';
    for (const sentence of sentences(text)) {
        const next = kept ? `${kept} ${sentence}` : sentence;
        if (next.length > max) {
            break;
        }
        kept = next;
    }
    return kept;
}

/** The SMS summary length the schema allows. */
export const SUMMARY_MAX = 160;

/**
 * One short line for SMS and lists: as many whole opening sentences as fit in `max` characters, or the first sentence
 * cut at a word when even it is too long.
 */
export function summarise(text: string, max: number = SUMMARY_MAX): string {
    const kept = openingSentences(text, max);
    return kept || (text.length <= max ? text : cutAtWord(sentences(text)[0] ?? text, max));
}
