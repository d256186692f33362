import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { startWebServer, type WebServer } from '../helpers/webServer';

const SECRET = 'azure-direct-line-secret-for-tests-only';

const askForToken = (web: WebServer) => fetch(`${web.url}/api/directline/token`, {
    method: 'POST', headers: { 'content-length': '0' },
});

/** Azure's Direct Line token service, as far as the bot uses it: POST /v3/directline/tokens/generate. */
class FakeDirectLineService {
    readonly calls: { authorization?: string; body: string }[] = [];
    status = 200;
    private server?: http.Server;
    endpoint = '';

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (c: Buffer) => (body += c.toString()));
            req.on('end', () => {
                if (req.method !== 'POST' || req.url !== '/v3/directline/tokens/generate') {
                    res.writeHead(404);
                    res.end();
                    return;
                }
                this.calls.push({ authorization: req.headers.authorization, body });
                if (this.status !== 200) {
                    res.writeHead(this.status, { 'content-type': 'application/json' });
                    res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'Unknown secret' } }));
                    return;
                }
                // The shape Direct Line answers with (Conversation object, without streamUrl for tokens/generate).
                // (restify, loaded in this process, changes ServerResponse: writeHead is not chained.)
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify({
                    conversationId: 'abc123',
                    token: 'RCurR_XV9ZA.cwA.BKA.token-from-direct-line',
                    expires_in: 3600,
                }));
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
        this.endpoint = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v3/directline`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    }
}

describe('when the website chat uses Azure Direct Line (a secret is set)', () => {
    const service = new FakeDirectLineService();
    let web: WebServer;
    before(async () => {
        await service.start();
        web = await startWebServer({ azure: { secret: SECRET, endpoint: service.endpoint } });
    });
    after(async () => {
        await web.stop();
        await service.stop();
    });

    it('gives the page a short-lived token from Direct Line, bound to a new resident id', async () => {
        const res = await askForToken(web);
        expect(res.status).to.equal(200);
        expect(res.headers.get('cache-control')).to.equal('no-store');
        const body = await res.json();
        expect(body).to.deep.equal({
            conversationId: 'abc123', token: 'RCurR_XV9ZA.cwA.BKA.token-from-direct-line', expires_in: 3600,
        });
        const call = service.calls[service.calls.length - 1];
        expect(call.authorization).to.equal(`Bearer ${SECRET}`);
        expect(JSON.parse(call.body).user.id).to.match(/^dl_[\w-]{8,}$/);
    });

    it('never sends the secret to the browser', async () => {
        const chatJs = /src="(\/static\/chat\.[0-9a-f]+\.js)"/.exec(await (await fetch(`${web.url}/`)).text())?.[1];
        expect(chatJs).to.be.a('string');
        for (const path of ['/', chatJs!, '/embed.js']) {
            const text = await (await fetch(`${web.url}${path}`)).text();
            expect(text, path).to.not.include(SECRET);
        }
        const page = await (await fetch(`${web.url}/`)).text();
        expect(page).to.include(service.endpoint);
    });

    it('lets the page talk to Direct Line (and nothing else) in its Content-Security-Policy', async () => {
        const csp = (await fetch(`${web.url}/`)).headers.get('content-security-policy') ?? '';
        const origin = new URL(service.endpoint).origin;
        expect(csp).to.include(`connect-src 'self' ${origin} ${origin.replace('http', 'ws')}`);
    });

    it('does not serve the built-in Direct Line endpoint', async () => {
        const res = await fetch(`${web.url}/v3/directline/conversations`, { method: 'POST' });
        expect(res.status).to.equal(404);
    });

    it('answers 502 with a kind message, and no secret, when Direct Line refuses', async () => {
        service.status = 403;
        try {
            const res = await askForToken(web);
            expect(res.status).to.equal(502);
            const text = await res.text();
            expect(text).to.match(/not available just now/).and.not.include(SECRET);
        } finally {
            service.status = 200;
        }
    });
});

describe('the Direct Line settings', () => {
    it('switch the website chat to Azure when DIRECT_LINE_SECRET is set, keeping the built-in one otherwise', () => {
        expect(loadConfig({}).webChat.directLineSecret).to.equal(undefined);
        const azure = loadConfig({
            DIRECT_LINE_SECRET: SECRET,
            DIRECT_LINE_ENDPOINT: 'https://europe.directline.botframework.com/v3/directline/',
        });
        expect(azure.webChat).to.deep.include({
            directLineSecret: SECRET, directLineEndpoint: 'https://europe.directline.botframework.com/v3/directline',
        });
    });

    it('refuse a Direct Line address that is not https, and a short signing key, naming the setting only', () => {
        expect(() => loadConfig({ DIRECT_LINE_ENDPOINT: 'http://example.org' })).to.throw(/DIRECT_LINE_ENDPOINT/);
        expect(() => loadConfig({ SIGNPOST_TOKEN_SECRET: 'short' })).to.throw(/SIGNPOST_TOKEN_SECRET.*32/);
        try {
            loadConfig({ SIGNPOST_TOKEN_SECRET: 'short' });
        } catch (err) {
            expect((err as Error).message).to.not.include('short ');
        }
    });
});
