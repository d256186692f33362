import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chooseEncoding, contentHash, StaticAssets } from '../../src/server/staticAssets';
import { webChatSources } from '../../src/server/webChat';
import { testApp } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

const YEAR = 'public, max-age=31536000, immutable';

/** A GET over node:http, which (unlike fetch) leaves the body as sent: compressed bytes stay compressed. */
function get(url: string, headers: Record<string, string> = {})
    : Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
        http.get(url, { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        }).on('error', reject);
    });
}

/** The hashed files the page names, by their short name (chat.js, chat.css, webchat.js). */
async function pageFiles(web: WebServer): Promise<Record<string, string>> {
    const page = (await get(`${web.url}/`)).body.toString('utf8');
    const files: Record<string, string> = {};
    for (const m of page.matchAll(/(?:src|href)="\/static\/([a-z]+)\.([0-9a-f]{12})(\.[a-z]+)"/g)) {
        files[`${m[1]}${m[3]}`] = `/static/${m[1]}.${m[2]}${m[3]}`;
    }
    return files;
}

describe('the website chat\'s files on a slow connection', function () {
    this.timeout(120_000);
    let web: WebServer;
    const cache = tempDir('signpost-static-');
    before(async () => {
        web = await startWebServer({ app: testApp() });
    });
    after(async () => {
        await web.stop();
        cache.remove();
    });

    it('names each file by a hash of its content and lets browsers keep it for a year', async () => {
        const files = await pageFiles(web);
        expect(Object.keys(files).sort()).to.deep.equal(['chat.css', 'chat.js', 'webchat.js']);
        for (const source of webChatSources()) {
            const url = files[source.name]!;
            expect(url, source.name).to.include(`.${contentHash(fs.readFileSync(source.file))}.`);
            const res = await get(`${web.url}${url}`, { 'accept-encoding': 'identity' });
            expect(res.status, url).to.equal(200);
            expect(res.headers['cache-control'], url).to.equal(YEAR);
            expect(res.headers['vary'], url).to.equal('Accept-Encoding');
            expect(res.body.equals(fs.readFileSync(source.file)), url).to.equal(true);
        }
    });

    it('sends brotli or gzip as the browser accepts, each the same file unpacked', async () => {
        const url = (await pageFiles(web))['webchat.js']!;
        const original = fs.readFileSync(webChatSources().find((s) => s.name === 'webchat.js')!.file);
        // The shared dist/static copies may not be written yet in a fresh checkout: wait for them as a server would.
        await new StaticAssets(webChatSources()).ready;
        const br = await get(`${web.url}${url}`, { 'accept-encoding': 'gzip, deflate, br' });
        const gz = await get(`${web.url}${url}`, { 'accept-encoding': 'gzip' });
        expect(br.headers['content-encoding']).to.equal('br');
        expect(gz.headers['content-encoding']).to.equal('gzip');
        expect(zlib.brotliDecompressSync(br.body).equals(original)).to.equal(true);
        expect(zlib.gunzipSync(gz.body).equals(original)).to.equal(true);
        // The figures: about 640 KB with brotli, 945 KB with gzip, of 3.9 MB.
        expect(br.body.length).to.be.below(700 * 1024);
        expect(gz.body.length).to.be.below(1000 * 1024);
        expect(Number(br.headers['content-length'])).to.equal(br.body.length);
    });

    it('answers 404 for a file name it does not serve (an old release\'s hash)', async () => {
        const res = await get(`${web.url}/static/webchat.000000000000.js`);
        expect(res.status).to.equal(404);
        expect(res.headers['cache-control']).to.equal('no-store');
    });

    it('never keeps the page itself, but answers 304 when its ETag is asked for', async () => {
        const first = await get(`${web.url}/`, { 'accept-encoding': 'br' });
        expect(first.status).to.equal(200);
        expect(first.headers['cache-control']).to.equal('no-store');
        expect(first.headers['content-encoding']).to.equal('br');
        // The page is also chosen by the browser's language (src/server/webChat.ts, pageLocale).
        expect(first.headers['vary']).to.equal('Accept-Encoding, Accept-Language');
        const etag = first.headers['etag']!;
        expect(etag).to.match(/^"[0-9a-f]{12}-br"$/);
        const again = await get(`${web.url}/`, { 'accept-encoding': 'br', 'if-none-match': etag });
        expect(again.status).to.equal(304);
        expect(again.body.length).to.equal(0);
        const embed = await get(`${web.url}/embed.js`, { 'accept-encoding': 'gzip' });
        expect(embed.headers['cache-control']).to.equal('no-cache');
        expect((await get(`${web.url}/embed.js`, { 'accept-encoding': 'gzip', 'if-none-match': embed.headers['etag']! }))
            .status).to.equal(304);
    });

    it('allows the page\'s one inline script by its hash, and no other inline script', async () => {
        const res = await get(`${web.url}/`);
        const page = res.body.toString('utf8');
        const inline = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
        expect(inline).to.have.length(1);
        const csp = String(res.headers['content-security-policy']);
        const scriptSrc = /script-src ([^;]*)/.exec(csp)![1]!;
        const hash = createHash('sha256').update(inline[0]!, 'utf8').digest('base64');
        expect(scriptSrc).to.equal(`'self' 'sha256-${hash}'`);
    });

    it('compresses once: a second start reads the copies from the cache folder', async () => {
        const source = path.join(cache.dir, 'big.js');
        fs.writeFileSync(source, 'console.log("signpost");\n'.repeat(20_000));
        const sources = [{ name: 'big.js', file: source, type: 'text/javascript; charset=utf-8' }];
        const first = new StaticAssets(sources, path.join(cache.dir, 'out'));
        await first.ready;
        const written = fs.readdirSync(path.join(cache.dir, 'out')).sort();
        expect(written).to.deep.equal([`${contentHash(fs.readFileSync(source))}-big.js.br`,
            `${contentHash(fs.readFileSync(source))}-big.js.gz`]);
        // Stamped far in the past: a second start that compressed again would write them anew.
        const old = new Date('2020-01-01T00:00:00Z');
        for (const name of written) fs.utimesSync(path.join(cache.dir, 'out', name), old, old);
        const second = new StaticAssets(sources, path.join(cache.dir, 'out'));
        await second.ready;
        for (const name of written) {
            expect(fs.statSync(path.join(cache.dir, 'out', name)).mtime.getTime(), name).to.equal(old.getTime());
        }
    });
});

describe('choosing an encoding from Accept-Encoding', () => {
    const all = { identity: Buffer.from('a'), br: Buffer.from('b'), gzip: Buffer.from('g') };
    it('prefers brotli, then gzip, then the file as it is', () => {
        expect(chooseEncoding('gzip, deflate, br, zstd', all)).to.equal('br');
        expect(chooseEncoding('gzip', all)).to.equal('gzip');
        expect(chooseEncoding('deflate', all)).to.equal('identity');
        expect(chooseEncoding(undefined, all)).to.equal('identity');
        expect(chooseEncoding('*', all)).to.equal('br');
    });
    it('honours a refusal (q=0) and a missing copy', () => {
        expect(chooseEncoding('br;q=0, gzip;q=0.5', all)).to.equal('gzip');
        expect(chooseEncoding('*;q=0', all)).to.equal('identity');
        expect(chooseEncoding('br, gzip', { identity: all.identity, gzip: all.gzip })).to.equal('gzip');
    });
});
