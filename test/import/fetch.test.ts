import { expect } from 'chai';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ImportError } from '../../src/import/errors';
import { asPage, fetchAllPages, fetchJson } from '../../src/import/fetch';
import { tempDir } from '../helpers/tmp';
import { quietImport, written } from './helpers';

/** Five ORUK v1 services, two a page. */
const SERVICES = Array.from({ length: 5 }, (_, i) => ({
    id: `api-${i + 1}`,
    name: `Lunch Club ${i + 1}`,
    description: 'A friendly lunch club with a hot meal and good company.',
    status: 'active',
    assured_date: '2026-10-01',
    organization: { name: 'Lunch Clubs Network' },
}));

interface Server {
    url: string;
    hits: string[];
    close: () => Promise<void>;
}

/**
 * A local API on 127.0.0.1: /oruk speaks ORUK v1 (content, totalElements, number from 1), /hsds speaks HSDS 3
 * (contents, total_items, page_number); page 2 answers 503 the first time it is asked; /broken fails every time;
 * /missing is a 404.
 */
async function startServer(): Promise<Server> {
    const hits: string[] = [];
    let failedOnce = false;
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        hits.push(`${url.pathname}${url.search}`);
        const page = Number(url.searchParams.get('page') ?? 1);
        const size = Number(url.searchParams.get('per_page') ?? 2);
        const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
            res.writeHead(status, { 'content-type': 'application/json', ...headers });
            res.end(JSON.stringify(body));
        };
        if (url.pathname === '/missing') return send(404, { error: 'not found' });
        if (url.pathname === '/broken' && page >= 2) return send(500, { error: 'down' });
        if (page === 2 && !failedOnce) {
            failedOnce = true;
            return send(503, { error: 'busy' }, { 'retry-after': '0' });
        }
        const slice = SERVICES.slice((page - 1) * size, page * size);
        const pages = Math.ceil(SERVICES.length / size);
        if (url.pathname === '/hsds') {
            return send(200, { total_items: SERVICES.length, total_pages: pages, page_number: page, size,
                first_page: page === 1, last_page: page === pages, empty: slice.length === 0, contents: slice });
        }
        return send(200, { totalElements: SERVICES.length, totalPages: pages, number: page, size,
            first: page === 1, last: page === pages, content: slice });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        hits,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

const FAST = { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 5000 };

describe('reading an Open Referral API over HTTP', () => {
    let server: Server;
    beforeEach(async () => { server = await startServer(); });
    afterEach(() => server.close());

    it('follows ORUK v1 pagination to the last page, retrying a page that fails once', async () => {
        const retries: string[] = [];
        const fetched = await fetchAllPages(`${server.url}/oruk?per_page=2`, {
            ...FAST, onRetry: (info) => retries.push(info.reason),
        });
        expect(fetched.records.map((r) => (r as { id: string }).id))
            .to.deep.equal(['api-1', 'api-2', 'api-3', 'api-4', 'api-5']);
        expect(fetched.pages).to.equal(3);
        expect(fetched.retries).to.equal(1);
        expect(retries).to.deep.equal(['the server answered 503']);
        expect(server.hits.filter((h) => /[?&]page=2\b/.test(h))).to.have.length(2);
    });

    it('follows HSDS 3 pagination too, adding per_page from the first page\'s size', async () => {
        const fetched = await fetchAllPages(`${server.url}/hsds`, FAST);
        expect(fetched.records).to.have.length(5);
        expect(server.hits).to.include('/hsds?page=3&per_page=2');
    });

    it('fails the whole read when a page keeps failing, naming the page', async () => {
        let error: unknown;
        try {
            await fetchAllPages(`${server.url}/broken`, { ...FAST, retries: 2 });
        } catch (err) {
            error = err;
        }
        expect(error).to.be.instanceOf(ImportError);
        expect((error as Error).message).to.match(/page 2: .*failed after 3 attempts \(the server answered 500\)/);
    });

    it('does not retry an answer that retrying cannot fix', async () => {
        let error: unknown;
        try {
            await fetchJson(`${server.url}/missing`, FAST);
        } catch (err) {
            error = err;
        }
        expect((error as Error).message).to.include('answered 404');
        expect(server.hits).to.have.length(1);
    });

    it('imports from the URL into a knowledge folder, with the pages and retries in the report', async () => {
        const tmp = tempDir('signpost-url-');
        try {
            const url = `${server.url}/oruk?per_page=2&api_key=secret`;
            const report = await quietImport(url, 'oruk', tmp.dir, { fetch: FAST });
            expect([report.read, report.imported, report.pages, report.retries]).to.deep.equal([5, 5, 3, 1]);
            expect(written(tmp.dir, report).map((o) => o.needs[0])).to.deep.equal(Array(5).fill('loneliness'));
            // The query may hold a key: it is never printed or stored.
            expect(JSON.stringify(report)).to.not.include('secret');
            expect(report.source).to.equal(`${server.url}/oruk`);
        } finally {
            tmp.remove();
        }
    });

    it('writes nothing when the API fails, so no listing is removed by a half-read feed', async () => {
        const tmp = tempDir('signpost-url-broken-');
        try {
            let error: unknown;
            await quietImport(`${server.url}/broken`, 'oruk', tmp.dir, { fetch: { ...FAST, retries: 1 } })
                .catch((err: unknown) => { error = err; });
            expect(error).to.be.instanceOf(ImportError);
            expect(fs.existsSync(path.join(tmp.dir, 'directory'))).to.equal(false);
        } finally {
            tmp.remove();
        }
    });
});

describe('reading a page of a list', () => {
    it('understands a bare list, an ORUK v1 page, an HSDS 3 page and a single service', () => {
        expect(asPage([{ id: 1 }])?.records).to.have.length(1);
        expect(asPage({ content: [], totalElements: 0, totalPages: 0, number: 1 })).to.include({ total: 0, pages: 0 });
        expect(asPage({ contents: [{}], total_items: 9, total_pages: 9, page_number: 2, last_page: false }))
            .to.include({ number: 2, pages: 9, total: 9, last: false });
        expect(asPage({ id: 'x', name: 'One service' })?.records).to.have.length(1);
        expect(asPage({ hello: 'world' })).to.equal(undefined);
    });
});
