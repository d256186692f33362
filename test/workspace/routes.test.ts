import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { z } from 'zod';
import { projectRoot } from '../../src/paths';
import { API_BASE, workspaceContext } from '../../src/workspace/api';
import { openApiDocument, openApiMethod, openApiPath } from '../../src/workspace/openapi';
import { WORKSPACE_ROUTES } from '../../src/workspace/routes';
import { listQueue } from '../../src/workspace/routes/escalations';
import { ANYONE, Failure, ok, signedIn, type Route, type SignedInRoute } from '../../src/workspace/routes/route';
import { testApp, type TestApp } from '../helpers/app';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addEscalation, addUser } from './helpers';

/** The OpenAPI document as it was when the API became a route table; connectors' tools are built against it. */
const SNAPSHOT = path.join(projectRoot(), 'test', 'fixtures', 'workspace-openapi.json');

describe('the workspace API route table', () => {
    describe('on a running server', () => {
        let web: WebServer;
        beforeEach(async () => {
            web = await startWebServer();
        });
        afterEach(async () => web.stop({ dispose: true }));

        it('documents every route the server has under /workspace/api, and serves every route it documents',
            async () => {
                const served = Object.values(web.server.router.getRoutes())
                    .map((r) => ({ method: r.method.toLowerCase(), path: String(r.path) }))
                    .filter((r) => r.path.startsWith(`${API_BASE}/`))
                    .map((r) => `${r.method} ${openApiPath(r.path.slice(API_BASE.length))}`);
                const doc = (await new ApiClient(web.url).call('GET', '/openapi.json')).body as {
                    paths: Record<string, Record<string, unknown>>;
                };
                const documented = Object.entries(doc.paths)
                    .flatMap(([p, operations]) => Object.keys(operations).map((method) => `${method} ${p}`));
                // The document does not list itself; everything else the server answers under the API is in it.
                expect([...served].sort()).to.deep.equal([...documented, 'get /openapi.json'].sort());
                expect(served).to.have.length(WORKSPACE_ROUTES.length);
            });

        it('serves the same OpenAPI document as before the API became a table', async () => {
            const doc = (await new ApiClient(web.url).call('GET', '/openapi.json')).body;
            if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') {
                fs.writeFileSync(SNAPSHOT, JSON.stringify(doc, null, 2) + '\n');
            }
            // A deliberate change to the API: run this file once with UPDATE_OPENAPI_SNAPSHOT=1 and commit the file.
            expect(doc).to.deep.equal(JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')));
        });
    });

    describe('the OpenAPI document made from a table', () => {
        const probe = signedIn({
            method: 'post', path: '/escalations/:reference/probe', roles: ANYONE,
            body: z.object({ why: z.string().describe('Why') }).strict(),
            doc: { summary: 'A route only this test has', ok: 'Probed', more: { 409: 'Probed before' } },
            handler: async () => ok({}),
        });

        it('lists a new route with its path parameter, body, security and answers', () => {
            const doc = openApiDocument([...WORKSPACE_ROUTES, probe]) as {
                paths: Record<string, Record<string, Record<string, any>>>;
            };
            const op = doc.paths['/escalations/{reference}/probe']!.post!;
            expect(op.summary).to.equal('A route only this test has');
            expect(op.parameters.map((p: { name: string }) => p.name)).to.deep.equal(['reference']);
            expect(op.security).to.deep.equal([{ session: [], csrf: [] }]);
            expect(op.requestBody.content['application/json'].schema.properties).to.have.keys('why');
            expect(op.responses).to.include.keys('200', '400', '401', '403', '409');
        });

        it('refuses a route whose path parameter it cannot describe', () => {
            const odd: Route = { ...probe, path: '/things/:thing' };
            expect(() => openApiDocument([odd])).to.throw(/path parameter thing/);
        });

        it('names methods and paths as OpenAPI does', () => {
            expect(openApiMethod('del')).to.equal('delete');
            expect(openApiPath('/users/:id/unlock')).to.equal('/users/{id}/unlock');
        });
    });

    describe('its handlers, without a server', () => {
        let app: TestApp;
        beforeEach(() => {
            app = testApp();
        });
        afterEach(async () => app.dispose());

        it('answers a step on a reference that names nothing with a 404 value', async () => {
            const claim = WORKSPACE_ROUTES.find((r) => r.path === '/escalations/:reference/claim')!;
            expect(claim.roles).to.not.equal('public');
            const sam = await addUser(app, 'Sam');
            const user = (await app.stores.users.get(sam.id))!;
            const { session } = await app.workspace.auth.startSession(user);
            const result = await (claim as SignedInRoute).handler(workspaceContext(app.workspace), {
                params: { reference: 'sp-nothing' }, body: {}, query: undefined,
                caller: { user, session, actor: { id: user.id, name: user.name, lead: false } },
            });
            expect(result).to.be.instanceOf(Failure);
            expect(result).to.include({ status: 404, code: 'NotFound' });
        });

        it('lists the queue through one function, open requests by default, filtered and in queue order',
            async () => {
                const at = new Date('2026-11-26T10:00:00.000Z');
                const lonely = { needs: ['loneliness'], preferences: [], suggested: [], crisisShown: false };
                const money = { needs: ['money'], preferences: [], suggested: [], crisisShown: false };
                await addEscalation(app, { reference: 'SP-AAAAAA', dueBy: '2026-11-27T10:00:00.000Z', summary: money });
                await addEscalation(app, { reference: 'SP-BBBBBB', dueBy: '2026-11-25T10:00:00.000Z',
                    summary: lonely });
                await addEscalation(app, { reference: 'SP-CCCCCC', priority: 'urgent',
                    summary: { needs: ['housing'], preferences: [], suggested: [], crisisShown: false } });
                await addEscalation(app, { reference: 'SP-DDDDDD', dueBy: '2026-11-28T10:00:00.000Z', summary: money });
                await addEscalation(app, { reference: 'SP-EEEEEE', priority: 'urgent', status: 'closed',
                    dueBy: '2026-11-20T10:00:00.000Z', outcome: 'connected', summary: lonely });
                await app.stores.escalations.change('SP-DDDDDD', { from: ['new'], to: 'claimed',
                    assignee: { id: 'u1', name: 'Sam' },
                    audit: { at: at.toISOString(), actor: 'u1', action: 'claimed' } });
                const ctx = workspaceContext(app.workspace);
                const refs = async (filters: Partial<Parameters<typeof listQueue>[1]>) =>
                    (await listQueue(ctx, { at, userId: 'u1', limit: 50, status: 'open', ...filters })).escalations
                        .map((e) => e.reference);
                // A closed urgent request is not in the default queue; urgent (C) comes above late (B).
                expect(await refs({})).to.deep.equal(['SP-CCCCCC', 'SP-BBBBBB', 'SP-AAAAAA', 'SP-DDDDDD']);
                expect(await refs({ status: 'all' })).to.deep.equal(
                    ['SP-EEEEEE', 'SP-CCCCCC', 'SP-BBBBBB', 'SP-AAAAAA', 'SP-DDDDDD']);
                expect(await refs({ status: 'new', overdue: 'false' })).to.deep.equal(['SP-CCCCCC', 'SP-AAAAAA']);
                expect(await refs({ need: 'housing' })).to.deep.equal(['SP-CCCCCC']);
                // The need by the label connectors see, by a word of it, or by a word the knowledge has for it.
                for (const need of ['Feeling lonely or wanting company', 'lonely', 'LONELINESS', 'befriending']) {
                    expect(await refs({ need }), need).to.deep.equal(['SP-BBBBBB']);
                }
                expect(await refs({ need: 'lonely', status: 'all' })).to.deep.equal(['SP-EEEEEE', 'SP-BBBBBB']);
                expect(await refs({ need: 'xylophone' })).to.deep.equal([]);
                expect(await refs({ mine: 'true' })).to.deep.equal(['SP-DDDDDD']);
                expect(await refs({ view: 'mine' })).to.deep.equal(['SP-DDDDDD']);
                expect(await refs({ view: 'unclaimed' })).to.deep.equal(['SP-CCCCCC', 'SP-BBBBBB', 'SP-AAAAAA']);
                expect(await refs({ priority: 'urgent' })).to.deep.equal(['SP-CCCCCC']);
                const page = await listQueue(ctx, { at, userId: 'u1', status: 'open', limit: 2 });
                expect(page.total).to.equal(4);
                expect(page.escalations.map((e) => e.reference)).to.deep.equal(['SP-CCCCCC', 'SP-BBBBBB']);
            });
    });
});
