/**
 * The OpenAPI 3.1 document for the workspace API, made from the route table itself (paths, methods, who may call,
 * body and query schemas, what each answer means), so a route cannot be served without being documented.
 */
import { z } from 'zod';
import type { Route } from './routes/route';
import { emptyBody } from './schemas';

const error = {
    type: 'object',
    properties: {
        error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
    },
};

const json = (schema: z.ZodType) =>
    ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema) } } });
const answers = (ok: string, more: Readonly<Record<number, string>> = {}, created = false, stream = false) => ({
    [created ? 201 : 200]: {
        description: ok,
        ...(stream ? { content: { 'text/event-stream': { schema: { type: 'string' } } } } : {}),
    },
    400: { description: 'The body or query is not valid', content: { 'application/json': { schema: error } } },
    401: { description: 'Not signed in' },
    403: { description: 'Not allowed: wrong role, not the holder, missing CSRF token or another site' },
    ...Object.fromEntries(Object.entries(more).map(([k, v]) => [k, { description: v }])),
});

/** How each path parameter a route may use is documented; a route with another one fails to build the document. */
const PATH_PARAMETERS: Readonly<Record<string, object>> = {
    reference: { name: 'reference', in: 'path', required: true, schema: { type: 'string', example: 'SP-7K3Q9M' } },
    id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
};

/** `/escalations/:reference` as OpenAPI writes it: `/escalations/{reference}`. */
export function openApiPath(path: string): string {
    return path.replace(/:(\w+)/g, '{$1}');
}

/** The HTTP method as OpenAPI names it. */
export function openApiMethod(method: Route['method']): string {
    return method === 'del' ? 'delete' : method;
}

function parameters(route: Route): object[] {
    const inPath = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => {
        const documented = PATH_PARAMETERS[name!];
        if (!documented) throw new Error(`The path parameter ${name} of ${route.path} is not documented`);
        return documented;
    });
    const query = route.query
        ? Object.entries((z.toJSONSchema(route.query, { io: 'input' }) as { properties: Record<string, object> })
            .properties).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
        : [];
    return [...inPath, ...query];
}

function operation(route: Route): object {
    if (route.doc === 'self') throw new Error('The document does not list itself');
    const params = parameters(route);
    // A sign-in needs no session; every other change needs the session and the CSRF token.
    const security = route.roles === 'public' ? [] : route.method === 'get' ? undefined : [{ session: [], csrf: [] }];
    return {
        summary: route.doc.summary,
        ...(params.length > 0 ? { parameters: params } : {}),
        ...(security ? { security } : {}),
        // A body that must be empty (a step that needs nothing) is not documented as a body.
        ...(route.body && route.body !== emptyBody ? { requestBody: json(route.body) } : {}),
        responses: answers(route.doc.ok, route.doc.more, route.doc.created, route.doc.stream),
    };
}

/** The document served at /workspace/api/openapi.json, for these routes (all but the one serving it). */
export function openApiDocument(routes: readonly Route[]): object {
    const paths: Record<string, Record<string, object>> = {};
    for (const route of routes) {
        if (route.doc === 'self') continue;
        (paths[openApiPath(route.path)] ??= {})[openApiMethod(route.method)] = operation(route);
    }
    return {
        openapi: '3.1.0',
        info: { title: 'Signpost connectors\' workspace API', version: '1.0.0' },
        servers: [{ url: '/workspace/api' }],
        components: {
            securitySchemes: {
                session: { type: 'apiKey', in: 'cookie', name: 'signpost_workspace' },
                csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token',
                    description: 'The csrfToken from POST or GET /session; needed on every change' },
            },
        },
        security: [{ session: [] }],
        paths,
    };
}
