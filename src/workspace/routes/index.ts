/**
 * The workspace API's route table: every route under /workspace/api, in the order the OpenAPI document lists them.
 * A new route goes into its subject's file and is listed here; the mount and the document both read this table.
 */
import { openApiDocument } from '../openapi';
import { chatRoutes } from './chat';
import { curationRoutes } from './curation';
import { directoryRoutes } from './directory';
import { escalationRoutes } from './escalations';
import { liveRoutes } from './live';
import { planRoutes } from './plan';
import { reportRoutes } from './reports';
import { ok, publicRoute, type Route } from './route';
import { sessionRoutes } from './session';
import { teamsRoutes } from './teams';
import { userRoutes } from './users';

const documented: readonly Route[] = [
    ...sessionRoutes, ...escalationRoutes, ...chatRoutes, ...reportRoutes, ...userRoutes,
    ...liveRoutes, ...directoryRoutes, ...teamsRoutes, ...planRoutes, ...curationRoutes,
];

let document: object | undefined;

/** Every route of the workspace API, the OpenAPI document's own included. */
export const WORKSPACE_ROUTES: readonly Route[] = [
    ...documented,
    publicRoute({
        method: 'get', path: '/openapi.json', roles: 'public', doc: 'self',
        handler: async () => ok(document ??= openApiDocument(documented)),
    }),
];
