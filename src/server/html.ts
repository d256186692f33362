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

/**
 * The pages' viewport: the phone's width, and a layout that shrinks when the on-screen keyboard opens (instead of
 * the keyboard covering the message box), so the box and the newest message stay in view.
 */
export const VIEWPORT = 'width=device-width, initial-scale=1, interactive-widget=resizes-content';

/**
 * What the quick exit does, said twice: in full on a wide screen, and folded under a short summary on a phone, where
 * the header must stay small (the CSS shows one of them). The quick exit's description is the full one.
 */
export function exitHint(hint: string, fold: string): string {
    return `<p id="quick-exit-hint" class="exit-hint">${escapeHtml(hint)}</p>\n`
        + `<details class="exit-fold"><summary>${escapeHtml(fold)}</summary><p>${escapeHtml(hint)}</p></details>`;
}
