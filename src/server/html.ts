/**
 * HTML helpers the website chat's pages share (webChat.ts, plainChat.ts): escaping, and the little markdown the bot
 * writes (links, bold, line breaks) made into safe HTML for the page that works without JavaScript.
 */

/** Text safe inside HTML text and attribute values. */
export function escapeHtml(text: string): string {
    const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/** The link targets a message may have: a phone, a website, an e-mail. Anything else stays plain text. */
const SAFE_LINK = /^(?:tel:\+?\d{2,20}|mailto:[^\s<>"]{3,200}|https?:\/\/[^\s<>"]{3,2000})$/i;

/** An address a link may go to (tel:, mailto:, http(s):), or undefined. */
export function safeHref(url: string): string | undefined {
    return SAFE_LINK.test(url.trim()) ? url.trim() : undefined;
}

/**
 * The bot's markdown as HTML: paragraphs at blank lines, a line break at each new line, `**bold**`, and
 * `[label](url)` links to phones, websites and e-mail only. Everything else is escaped, never interpreted.
 */
export function markdownToHtml(markdown: string): string {
    return markdown.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/)
        .map((para) => `<p>${para.split('\n').map((line) => inline(line.replace(/ {2}$/, ''))).join('<br>')}</p>`)
        .join('');
}

function inline(line: string): string {
    let out = '';
    let rest = line;
    const link = /\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)/;
    for (let m = link.exec(rest); m; m = link.exec(rest)) {
        out += bold(escapeHtml(rest.slice(0, m.index)));
        const href = safeHref(m[2]);
        out += href ? `<a href="${escapeHtml(href)}">${bold(escapeHtml(m[1]))}</a>` : bold(escapeHtml(m[0]));
        rest = rest.slice(m.index + m[0].length);
    }
    return out + bold(escapeHtml(rest));
}

function bold(html: string): string {
    return html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}
