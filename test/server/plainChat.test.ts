import { expect } from 'chai';
import { TokenSigner } from '../../src/channels/directline/tokens';
import { escapeHtml as e } from '../../src/server/html';
import { routeKind } from '../../src/server/limits';
import { PLAIN_CHAT_COOKIE } from '../../src/server/plainChat';
import { testApp } from '../helpers/app';
import { FORM, PlainBrowser } from '../helpers/plainBrowser';
import { startWebServer, type WebServer } from '../helpers/webServer';

describe('the website chat without JavaScript, over HTTP', () => {
    let web: WebServer;
    let skewMs = 0;
    before(async () => {
        web = await startWebServer({ limits: { requestsPerWindow: 1000 }, now: () => new Date(Date.now() + skewMs) });
    });
    after(async () => web.stop());
    afterEach(() => (skewMs = 0));

    it('starts a chat on the first message: post, redirect, the conversation so far', async () => {
        const b = new PlainBrowser(web.url);
        const first = await b.post({ text: "I'm lonely" });
        expect(first.res.status).to.equal(303);
        expect(first.res.headers.get('location')).to.match(/^\/chat#m\d+$/);
        expect(first.res.headers.get('cache-control')).to.equal('no-store');
        expect(first.setCookie).to.match(new RegExp(`^${PLAIN_CHAT_COOKIE}=[A-Za-z0-9_-]+; Path=/chat; HttpOnly; `
            + 'SameSite=Strict$'));
        const page = await b.get();
        expect(page.res.status).to.equal(200);
        expect(page.res.headers.get('cache-control')).to.equal('no-store');
        expect(page.html).to.contain('I&#39;m lonely');
        expect(page.html).to.match(/It sounds like/);
        expect(page.html).to.match(/<button type="submit" name="text" value="Yes, that&#39;s right"[^>]*>1\. Yes/);
        // The token stays in the cookie, never in the page.
        expect(page.html).to.not.match(/eyJ/);
        const csp = page.res.headers.get('content-security-policy') ?? '';
        expect(csp).to.contain("default-src 'none'").and.contain("form-action 'self'").and.not.contain('script-src');
    });

    it('refuses a form without the conversation\'s CSRF token, and keeps the message in the box', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I feel lonely' });
        const before = (await b.get()).html;
        const forged = await b.post({ text: 'forged words', csrf: 'x'.repeat(32) });
        expect(forged.res.status).to.equal(403);
        expect(forged.html).to.contain(web.app.knowledge.wording.page('outOfDate').replace(/'/g, '&#39;'));
        expect(forged.html).to.match(/<input id="shell-input" name="text"[^>]* value="forged words"/);
        const after = await b.post({ text: 'lunch clubs', csrf: PlainBrowser.csrf(before) });
        expect(after.res.status, 'the right token sends').to.equal(303);
        const page = (await b.get()).html;
        expect(page).to.contain('lunch clubs').and.not.contain('forged words');
    });

    it('ends a chat for "Start a new chat" only with its CSRF token: another site cannot end it', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I feel lonely' });
        const kept = b.cookie;
        const forged = await b.post({ action: 'new', csrf: 'x'.repeat(32) }, { 'sec-fetch-site': 'cross-site' });
        expect(forged.res.status).to.equal(403);
        expect(forged.setCookie, 'the cookie is left as it was').to.equal('');
        expect(b.cookie).to.equal(kept);
        const html = (await b.get()).html;
        const fresh = await b.post({ action: 'new', csrf: PlainBrowser.csrf(html) });
        expect(fresh.res.status).to.equal(303);
        expect(b.cookie, 'with its token, the chat is forgotten on this device').to.equal('');
    });

    it('counts every post with the token allowance: a post without a cookie opens a conversation', async () => {
        expect(routeKind('POST', '/chat')).to.equal('token');
        expect(routeKind('GET', '/chat')).to.equal('other');
    });

    it('says the crisis routes once, then their call links, to a resident in danger', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I want to end my life' });
        const html = (await b.get()).html;
        expect(html.split('116 123').length - 1, 'Samaritans: once in the words, once as a call link')
            .to.be.at.most(2);
        expect(html).to.match(/href="tel:116123"/);
        expect(html).to.match(/href="tel:999"/);
    });

    it('holds a Welsh page\'s chat in Welsh: the page\'s words, its language tag and the bot\'s answers', async () => {
        const first = await (await fetch(`${web.url}/?lang=cy`)).text();
        expect(first).to.match(/<input type="hidden" name="lang" value="cy">/);
        const b = new PlainBrowser(web.url);
        const welsh = web.app.knowledge.wording.in('cy');
        expect(welsh.text('askNeeds')).to.not.equal(web.app.knowledge.wording.text('askNeeds'));
        expect((await b.post({ text: 'Helo', lang: 'cy' })).res.status).to.equal(303);
        const page = (await b.get()).html;
        expect(page).to.contain('<html lang="cy">');
        const { serviceName, stateDays } = web.app.config;
        expect(page).to.contain(e(welsh.text('welcome', { serviceName, stateDays }).split('\n')[0] as string));
        expect(page).to.contain(e(welsh.text('pageSend')));
        expect(page, 'the bot answers in Welsh').to.contain(e(welsh.text('askNeeds').split('\n')[0] as string));
        // Later messages stay in Welsh without the field: the cookie keeps the chat's language.
        expect((await b.post({ text: 'Dw i\'n unig', csrf: PlainBrowser.csrf(page) })).res.status).to.equal(303);
        expect((await b.get()).html).to.contain('<html lang="cy">').and.not.contain('It sounds like');
    });

    it('starts no chat for a form sent from another site', async () => {
        const fromElsewhere: Record<string, string>[] = [
            { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' },
            { 'sec-fetch-site': '', origin: 'https://evil.example' },
        ];
        for (const headers of fromElsewhere) {
            const b = new PlainBrowser(web.url);
            const res = await b.post({ text: 'hello' }, headers);
            expect(res.res.status, JSON.stringify(headers)).to.equal(403);
            expect(res.setCookie).to.equal('');
        }
    });

    it('takes a first message from its own page, however the browser says so', async () => {
        const host = new URL(web.url).host;
        const fromHere: Record<string, string>[] = [
            { 'sec-fetch-site': 'same-origin', origin: 'https://public.example' },
            { 'sec-fetch-site': '', origin: `http://${host}` },
            { 'sec-fetch-site': '', origin: 'null' },
            { 'sec-fetch-site': '' },
        ];
        for (const headers of fromHere) {
            const res = await new PlainBrowser(web.url).post({ text: 'hello' }, headers);
            expect(res.res.status, JSON.stringify(headers)).to.equal(303);
        }
    });

    it('asks for a message when the box was empty', async () => {
        const b = new PlainBrowser(web.url);
        const res = await b.post({ text: '   ' });
        expect(res.res.status).to.equal(400);
        expect(res.html).to.contain(web.app.knowledge.wording.page('typeFirst'));
        expect(res.setCookie, 'no chat started for nothing').to.equal('');
    });

    it('says kindly when the chat ended after a quiet while, keeps nothing, and offers a new one', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I feel lonely' });
        expect((await b.get()).html).to.contain('I feel lonely');
        // An hour later: the token in the cookie has run out.
        skewMs = 3_600_000;
        const page = await b.get();
        expect(page.res.status).to.equal(200);
        expect(page.html).to.contain(web.app.knowledge.wording.page('ended').replace(/'/g, '&#39;'));
        expect(page.html, 'the chat is not shown').to.not.contain('I feel lonely');
        expect(page.setCookie, 'the cookie is cleared').to.match(/Max-Age=0/);
        // A message typed then starts a new chat.
        const again = await b.post({ text: 'walking groups' });
        expect(again.res.status).to.equal(303);
        const fresh = (await b.get()).html;
        expect(fresh).to.contain('walking groups').and.not.contain('I feel lonely');
    });

    it('keeps the message and says to wait when the conversation has sent too much', async () => {
        const busy = await startWebServer({ limits: { requestsPerWindow: 6 } });
        try {
            const b = new PlainBrowser(busy.url);
            await b.post({ text: 'I feel lonely' });
            const csrf = PlainBrowser.csrf((await b.get()).html);
            // Opening, sending and reading count against the conversation's allowance, as on the endpoint.
            let last = await b.post({ text: 'message 1', csrf });
            for (let i = 2; i < 10 && last.res.status === 303; i++) last = await b.post({ text: `message ${i}`, csrf });
            expect(last.res.status).to.equal(429);
            expect(last.res.headers.get('retry-after')).to.match(/^\d+$/);
            expect(last.html).to.contain(busy.app.knowledge.wording.page('tooMany'));
            expect(last.html, 'the message is kept').to.match(/name="text"[^>]* value="message \d"/);
        } finally {
            await busy.stop();
        }
    });

    it('forgets the chat on this device after "delete my data", and with the quick exit', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I feel lonely' });
        const before = (await b.get()).html;
        await b.post({ text: 'delete my data', csrf: PlainBrowser.csrf(before) });
        const page = await b.get();
        expect(page.setCookie).to.match(/Max-Age=0/);
        expect(page.html).to.not.contain('I feel lonely');

        await b.post({ text: 'I feel lonely' });
        expect(b.cookie).to.not.equal('');
        const exit = await b.get('/chat/exit');
        expect(exit.res.status).to.equal(303);
        expect(exit.res.headers.get('location')).to.equal(web.app.config.quickExitUrl);
        expect(exit.setCookie).to.match(/Max-Age=0/);
    });

    it('sets a Secure cookie when the server is reached over https', async () => {
        const app = testApp({ env: { SIGNPOST_PUBLIC_URL: 'https://chat.example.org' } });
        const secure = await startWebServer({ app });
        try {
            const b = new PlainBrowser(secure.url);
            const res = await b.post({ text: 'hello' });
            expect(res.setCookie).to.match(/; Secure$/);
        } finally {
            await secure.stop();
        }
    });

    it('has the first page\'s forms post to the plain page, as the whole page when it is in another site\'s frame',
        async () => {
            const page = await (await fetch(web.url)).text();
            const forms = page.match(/<form[^>]*>/g) ?? [];
            expect(forms).to.have.length(2);
            for (const form of forms) expect(form).to.match(/method="post" action="\/chat"/).and.not.match(/target/);
            const framed = await (await fetch(`${web.url}/?embed=1`)).text();
            for (const form of framed.match(/<form[^>]*>/g) ?? []) {
                expect(form).to.match(/action="\/chat" target="_top"/);
            }
        });

    it('takes a form on /chat only: a form anywhere else is still 415', async () => {
        const res = await fetch(`${web.url}/api/directline/token`, {
            method: 'POST', headers: { 'content-type': FORM }, body: 'text=hello',
        });
        expect(res.status).to.equal(415);
    });

    it('treats a forged token in the cookie as no chat', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'I feel lonely' });
        const other = new TokenSigner(Buffer.alloc(32, 7)).issue('forgedconversation', 'dl_x').token;
        const held = { conversationId: 'forgedconversation', token: other, csrf: 'y'.repeat(32) };
        b.cookie = `${PLAIN_CHAT_COOKIE}=${Buffer.from(JSON.stringify(held)).toString('base64url')}`;
        const page = await b.get();
        expect(page.res.status).to.equal(200);
        expect(page.html).to.not.contain('I feel lonely');
    });
});
