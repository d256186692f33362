import { expect } from 'chai';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** The page's settings for chat.js, from its JSON script element. */
function configOf(page: string): { locale: string; talkToPerson: string } {
    const m = /<script type="application\/json" id="signpost-config">([^<]+)<\/script>/.exec(page);
    return JSON.parse(m?.[1] ?? '{}') as { locale: string; talkToPerson: string };
}

describe('the website chat page in the resident\'s language', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer()));
    after(async () => web.stop({ dispose: true }));

    const get = async (path: string, headers: Record<string, string> = {}) => {
        const res = await fetch(`${web.url}${path}`, { headers });
        return { res, page: await res.text() };
    };

    it('is English by default, in British English, with each message taking its own direction', async () => {
        const { res, page } = await get('/');
        const w = web.app.knowledge.wording;
        expect(page).to.include('<html lang="en-GB">').and.include(w.text('pageIntro'));
        expect(page).to.include('class="shell-message shell-from-bot" dir="auto"');
        expect(configOf(page).locale).to.equal('en-GB');
        expect(res.headers.get('vary') ?? '').to.match(/Accept-Language/i);
    });

    it('is Welsh at ?lang=cy: its words, its lang attribute, and Welsh sent with every message', async () => {
        const { page } = await get('/?lang=cy');
        const cy = web.app.knowledge.wording.in('cy');
        expect(page).to.include('<html lang="cy">');
        for (const key of ['pageIntro', 'pageQuickExit', 'pageMessageLabel', 'pageSend', 'pageLoading'] as const) {
            expect(page, key).to.include(cy.text(key).replace(/'/g, '&#39;'));
        }
        expect(page).to.not.include(web.app.knowledge.wording.text('pageIntro'));
        expect(configOf(page)).to.deep.include({ locale: 'cy', talkToPerson: cy.button('talkToPerson') });
    });

    it('is Polish for a browser that asks for Polish first, and English for a language it cannot converse in', async () => {
        const polish = await get('/', { 'Accept-Language': 'pl-PL,pl;q=0.9,en;q=0.8' });
        expect(polish.page).to.include('<html lang="pl">')
            .and.include(web.app.knowledge.wording.in('pl').text('pageIntro'));
        const french = await get('/?lang=fr', { 'Accept-Language': 'fr-FR' });
        expect(french.page).to.include('<html lang="en-GB">');
    });

    it('shows a resident\'s own messages with dir="auto" before Web Chat loads', async () => {
        const { page } = await get('/');
        const shell = /<script>([^]*?)<\/script>\s*<\/body>/.exec(page)?.[1] ?? '';
        expect(shell).to.include('bubble.dir = \'auto\'');
    });
});
