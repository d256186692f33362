import { expect } from 'chai';
import { PLAIN_CHAT_COOKIE } from '../../src/server/plainChat';
import { PlainBrowser } from '../helpers/plainBrowser';
import { startWebServer, type WebServer } from '../helpers/webServer';

/**
 * Azure mode (DIRECT_LINE_SECRET set): the page without JavaScript talks to Azure's Direct Line from the server.
 * Azure cannot run here, so its place is taken by a real Direct Line 3.0 service over HTTP: another server with the
 * built-in endpoint, its signing secret standing for the Azure channel's secret. Every call crosses the protocol.
 */
describe('the website chat without JavaScript in Azure mode, through Direct Line\'s REST API', () => {
    let service: WebServer;
    let web: WebServer;
    const calls: string[] = [];
    const boundUsers: string[] = [];
    before(async () => {
        service = await startWebServer({ limits: { requestsPerWindow: 1000 } });
        const secret = service.signerKeyForTests().toString('base64url');
        // Azure's Direct Line, as far as the built-in endpoint differs from it: its activities need not say who is
        // the bot (the role is taken off here), and with enhanced authentication it refuses a message from any id
        // but the one the token was made for (checked here).
        const recording: typeof fetch = async (input, init) => {
            const call = `${init?.method ?? 'GET'} ${String(input).replace(service.url, '')}`;
            calls.push(call);
            const body = typeof init?.body === 'string' && init.body ? JSON.parse(init.body) as Record<string, any> : {};
            if (call.endsWith('/tokens/generate')) boundUsers.push(String(body.user?.id));
            if (/^POST .*\/activities$/.test(call) && !boundUsers.includes(String(body.from?.id))) {
                return new Response(JSON.stringify({ error: { code: 'BadArgument', message: 'from.id' } }),
                    { status: 403, headers: { 'content-type': 'application/json' } });
            }
            const res = await fetch(input, init);
            if (!/^GET .*\/activities/.test(call) || !res.ok) return res;
            const page = await res.json() as { activities: { from?: Record<string, unknown> }[] };
            for (const a of page.activities) delete a.from?.role;
            return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
        };
        web = await startWebServer({ azure: { secret, endpoint: `${service.url}/v3/directline`, fetch: recording } });
    });
    after(async () => {
        await web.stop();
        await service.stop();
    });

    it('offers the plain page from the first page: its form posts to /chat', async () => {
        const html = await (await fetch(`${web.url}/`)).text();
        expect(html).to.match(/<form[^>]* method="post" action="\/chat"/);
    });

    it('holds a conversation: post, redirect, the bot\'s answer read back through Direct Line', async () => {
        calls.length = 0;
        const b = new PlainBrowser(web.url);
        const first = await b.post({ text: "I'm lonely" });
        expect(first.res.status).to.equal(303);
        expect(first.res.headers.get('location')).to.match(/^\/chat#m\d+$/);
        expect(first.setCookie).to.match(new RegExp(`^${PLAIN_CHAT_COOKIE}=`));
        const page = await b.get();
        expect(page.res.status).to.equal(200);
        expect(page.html).to.contain('I&#39;m lonely');
        expect(page.html, 'the bot answered through the service').to.match(/It sounds like/);
        // Told apart by who sent them, not by a role Direct Line may not give: the bot's line is the bot's.
        const items = [...page.html.matchAll(/<li id="m\d+"[^>]* class="shell-message ([^"]+)">([^]*?)<\/li>/g)];
        const sideOf = (words: string) => items.find((m) => m[2]!.includes(words))?.[1];
        expect(sideOf('It sounds like')).to.equal('shell-from-bot');
        expect(sideOf('I&#39;m lonely')).to.equal('shell-from-resident');
        expect(page.html).to.not.match(/eyJ/);
        // The secret was used for a token only; the conversation went over the REST calls a polling client makes.
        expect(calls[0]).to.equal('POST /v3/directline/tokens/generate');
        expect(calls).to.include('POST /v3/directline/conversations');
        expect(calls.some((c) => /^POST \/v3\/directline\/conversations\/[^/]+\/activities$/.test(c))).to.equal(true);
        expect(calls.some((c) => /^GET \/v3\/directline\/conversations\/[^/]+\/activities/.test(c))).to.equal(true);

        const second = await b.post({ text: 'Yes', csrf: PlainBrowser.csrf(page.html) });
        expect(second.res.status).to.equal(303);
        const next = (await b.get()).html;
        expect(next).to.contain('I&#39;m lonely').and.contain('>Yes<');
    });

    it('says a chat has ended when Direct Line no longer knows its token, and starts afresh', async () => {
        const b = new PlainBrowser(web.url);
        await b.post({ text: 'hello' });
        // A cookie whose token Direct Line refuses (as after the token ran out).
        const value = decodeURIComponent(b.cookie.split('=')[1] ?? '');
        const held = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Record<string, unknown>;
        b.cookie = `${PLAIN_CHAT_COOKIE}=${Buffer.from(JSON.stringify({ ...held, token: 'not-a-token' }))
            .toString('base64url')}`;
        const page = await b.get();
        expect(page.res.status).to.equal(200);
        expect(page.html).to.contain(web.app.knowledge.wording.page('ended').split('.')[0]!.replace(/'/g, '&#39;'));
        expect(b.cookie, 'the ended chat is forgotten').to.equal('');
    });

    it('tells the resident their message was not sent when Direct Line cannot be reached, and keeps it', async () => {
        const down = await startWebServer({ azure: { secret: 'x', endpoint: 'http://127.0.0.1:9/v3/directline' } });
        try {
            const b = new PlainBrowser(down.url);
            const sent = await b.post({ text: 'is anyone there' });
            expect(sent.res.status).to.equal(503);
            expect(sent.html).to.match(/<input id="shell-input" name="text"[^>]* value="is anyone there"/);
        } finally {
            await down.stop();
        }
    });
});
