/** The OpenAPI 3.1 document for the workspace API, with request schemas made from the zod schemas the API uses. */
import { z } from 'zod';
import {
    assignBody, chatQuery, closeBody, messageBody, noteBody, queueQuery, reportQuery, signInBody,
} from './schemas';

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
const answers = (ok: string, more: Record<string, string> = {}) => ({
    200: { description: ok },
    400: { description: 'The body or query is not valid', content: { 'application/json': { schema: error } } },
    401: { description: 'Not signed in' },
    403: { description: 'Not allowed: wrong role, not the holder, missing CSRF token or another site' },
    ...Object.fromEntries(Object.entries(more).map(([k, v]) => [k, { description: v }])),
});
const reference = [
    { name: 'reference', in: 'path', required: true, schema: { type: 'string', example: 'SP-7K3Q9M' } },
];
const change = { security: [{ session: [], csrf: [] }] };

let cached: object | undefined;

/** The document served at /workspace/api/openapi.json. */
export function openApiDocument(): object {
    const query = z.toJSONSchema(queueQuery) as { properties: Record<string, object> };
    const reportParams = z.toJSONSchema(reportQuery, { io: 'input' }) as { properties: Record<string, object> };
    const chatParams = z.toJSONSchema(chatQuery, { io: 'input' }) as { properties: Record<string, object> };
    return (cached ??= {
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
        paths: {
            '/session': {
                post: { summary: 'Sign in', security: [], requestBody: json(signInBody),
                    responses: answers('Signed in; sets the session cookie', {
                        423: 'This e-mail is locked after repeated failures (the same for an e-mail with no account)',
                        429: 'Too many failed sign-ins from this address (Retry-After says how long to wait)',
                    }) },
                get: { summary: 'Who is signed in, and the CSRF token', responses: answers('The user') },
                delete: { summary: 'Sign out', ...change, responses: answers('Signed out') },
            },
            '/escalations': {
                get: {
                    summary: 'The queue: overdue first, then urgent, then by due time; in pages (`limit`, and '
                        + '`cursor` from the answer\'s `nextCursor`, absent on the last page; `total` counts all)',
                    parameters: Object.entries(query.properties).map(([name, schema]) =>
                        ({ name, in: 'query', required: false, schema })),
                    responses: answers('The matching requests'),
                },
            },
            '/escalations/{reference}': {
                get: { summary: 'One request with its audit trail and its live chat (the newest messages kept)',
                    parameters: reference,
                    responses: answers('The request', { 404: 'No such reference' }) },
            },
            '/escalations/{reference}/claim': {
                post: { summary: 'Claim a new request (exactly one of simultaneous claims wins)',
                    parameters: reference, ...change,
                    responses: answers('Claimed', { 409: 'Someone else has it (holder named)' }) },
            },
            '/escalations/{reference}/contact': {
                post: { summary: 'Mark as in contact with the resident', parameters: reference, ...change,
                    responses: answers('In contact', { 409: 'Not in a status that allows it' }) },
            },
            '/escalations/{reference}/release': {
                post: { summary: 'Give it back to the queue', parameters: reference, ...change,
                    responses: answers('Released') },
            },
            '/escalations/{reference}/close': {
                post: { summary: 'Close with an outcome (ends any live chat)', parameters: reference, ...change,
                    requestBody: json(closeBody),
                    responses: answers('Closed', { 409: 'Already closed or not claimed' }) },
            },
            '/escalations/{reference}/notes': {
                post: { summary: 'Add a note to the audit trail', parameters: reference, ...change,
                    requestBody: json(noteBody), responses: answers('Added') },
            },
            '/escalations/{reference}/assign': {
                post: { summary: 'Give the request to someone (leads only)', parameters: reference, ...change,
                    requestBody: json(assignBody), responses: answers('Reassigned') },
            },
            '/escalations/{reference}/messages': {
                get: {
                    summary: 'The live chat\'s messages after a number (what a page refreshing it lacks), how many '
                        + 'there were and how many of the oldest are no longer kept, and whether the chat is live',
                    parameters: [...reference, ...Object.entries(chatParams.properties).map(([name, schema]) =>
                        ({ name, in: 'query', required: false, schema }))],
                    responses: answers('The messages', { 404: 'No such reference' }),
                },
                post: {
                    summary: 'Write to the resident in their chat (holder or lead); the first message starts a live '
                        + 'chat, in which the bot stays silent but for crisis routes',
                    parameters: reference, ...change, requestBody: json(messageBody),
                    responses: answers('Sent', { 409: 'Not claimed, closed, or the resident cannot be reached' }),
                },
            },
            '/escalations/{reference}/end-chat': {
                post: { summary: 'End the live chat; the bot tells the resident and resumes', parameters: reference,
                    ...change, responses: answers('Ended', { 409: 'There is no live chat' }) },
            },
            '/reports': {
                get: {
                    summary: 'The lead report (leads only): requests per week by need and outcome, median time to '
                        + 'first contact in minutes, and unmet needs (searches that found nothing), per week',
                    parameters: Object.entries(reportParams.properties).map(([name, schema]) =>
                        ({ name, in: 'query', required: false, schema })),
                    responses: answers('The report'),
                },
            },
            '/users': {
                get: { summary: 'Accounts, for assigning, with whether each is locked (leads only)',
                    responses: answers('The accounts') },
            },
            '/users/{id}/unlock': {
                post: { summary: 'End an account\'s lock after failed sign-ins, now (leads only)',
                    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], ...change,
                    responses: answers('Unlocked; the account as it is now', { 404: 'No such account' }) },
            },
        },
    });
}
