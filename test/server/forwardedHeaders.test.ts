import { expect } from 'chai';
import { forwardedValue } from '../../src/forwarded';
import { testApp } from '../helpers/app';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

/** The workspace's sign-in with these headers: 403 when the Origin check refuses it, 401 (wrong password) when not. */
async function signIn(web: WebServer, headers: Record<string, string>): Promise<number> {
    const res = await fetch(`${web.url}/workspace/api/session`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'nobody@example.org', password: 'not the password' }),
    });
    await res.arrayBuffer();
    return res.status;
}

/** The streamUrl a new Direct Line conversation is given, asked with these headers. */
async function streamUrl(web: WebServer, headers: Record<string, string>): Promise<string> {
    const { token } = await pageToken(web.url);
    const res = await fetch(`${web.url}/v3/directline/conversations`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: '{}',
    });
    expect(res.status).to.equal(201);
    return (await res.json() as { streamUrl: string }).streamUrl;
}

const EVIL = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

describe('forwarded headers count only behind a trusted proxy', () => {
    describe('with SIGNPOST_TRUST_PROXY off and no public address', () => {
        let web: WebServer;
        before(async () => (web = await startWebServer({ app: testApp() })));
        after(async () => web.stop());

        it('takes a change only from the origin the request came to, scheme included', async () => {
            const own = new URL(web.url);
            expect(await signIn(web, { origin: web.url })).to.equal(401);
            expect(await signIn(web, { origin: `https://${own.host}` }), 'https is another origin').to.equal(403);
            expect(await signIn(web, { origin: 'https://evil.example', ...EVIL }), 'X-Forwarded-Host').to.equal(403);
        });

        it('builds streamUrl from the Host the request came to, not X-Forwarded-Host or -Proto', async () => {
            const url = await streamUrl(web, EVIL);
            expect(url.startsWith(`${web.url.replace(/^http/, 'ws')}/v3/directline/`), url).to.equal(true);
        });
    });

    describe('with SIGNPOST_TRUST_PROXY on', () => {
        let web: WebServer;
        before(async () => (web = await startWebServer({ app: testApp({ env: { SIGNPOST_TRUST_PROXY: 'true' } }) })));
        after(async () => web.stop());

        it('takes the origin the proxy says the browser used', async () => {
            const proxied = { 'x-forwarded-host': 'chat.example.org', 'x-forwarded-proto': 'https' };
            expect(await signIn(web, { origin: 'https://chat.example.org', ...proxied })).to.equal(401);
            expect(await signIn(web, { origin: 'http://chat.example.org', ...proxied })).to.equal(403);
            expect(await signIn(web, { origin: 'https://evil.example', ...proxied })).to.equal(403);
            expect(await streamUrl(web, proxied)).to.match(/^wss:\/\/chat\.example\.org\/v3\/directline\//);
        });
    });

    describe('with SIGNPOST_PUBLIC_URL set', () => {
        let web: WebServer;
        before(async () => (web = await startWebServer({
            app: testApp({ env: { SIGNPOST_PUBLIC_URL: 'https://chat.example.org' } }),
        })));
        after(async () => web.stop());

        it('takes the public address as the workspace\'s origin, and builds streamUrl from it', async () => {
            expect(await signIn(web, { origin: 'https://chat.example.org' })).to.equal(401);
            expect(await signIn(web, { origin: 'http://chat.example.org' })).to.equal(403);
            expect(await signIn(web, { origin: 'https://evil.example', ...EVIL })).to.equal(403);
            expect(await streamUrl(web, EVIL)).to.match(/^wss:\/\/chat\.example\.org\/v3\/directline\//);
        });
    });
});

describe('forwardedValue, the one reading of X-Forwarded- headers', () => {
    const req = (value?: string) => ({ header: () => value });
    it('believes nothing without a trusted proxy, and the entry the outermost trusted proxy wrote with one', () => {
        expect(forwardedValue(req('evil.example, chat.example.org'), 'x-forwarded-host', 0)).to.equal(undefined);
        expect(forwardedValue(req('evil.example, chat.example.org'), 'x-forwarded-host', 1))
            .to.equal('chat.example.org');
        expect(forwardedValue(req('a, b, c'), 'x-forwarded-for', 2)).to.equal('b');
        expect(forwardedValue(req('only'), 'x-forwarded-for', 3)).to.equal('only');
        expect(forwardedValue(req(' , '), 'x-forwarded-proto', 1)).to.equal(undefined);
        expect(forwardedValue(req(undefined), 'x-forwarded-proto', 1)).to.equal(undefined);
    });
});
