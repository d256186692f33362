/**
 * The directory from the workspace: search it as the bot does (same engine, filters and "why"), read a listing's
 * details, and send chosen listings to the resident in their chat, or by text or e-mail to the contact they gave
 * when they chose that way and agreed to be contacted, recorded on the request as suggested by whom.
 */
import { createHash } from 'node:crypto';
import type { Escalation, AuditEntry } from '../../storage/escalationRecord';
import type { OutboundKind, SendResult } from '../../sending/port';
import { emailAddress, ukMobileE164 } from '../../conversation/keep';
import { errorKind } from '../../log';
import { needsNamed } from '../needs';
import { directoryQuery, suggestionsBody, suggestionsSendBody } from '../schemas';
import { liveChatOf, notDelivered } from './chat';
import { found, unreachable, view } from './common';
import { ANYONE, EVERYONE, Failure, ok, signedIn, type Route, type WorkspaceContext } from './route';

function noDirectory(): Failure {
    return new Failure(503, 'DirectoryUnavailable', 'The directory is not available on this server.');
}

function directoryOf(ctx: WorkspaceContext) {
    return ctx.directory ?? noDirectory();
}

/** How a send by text or e-mail is named in the audit line and to the connector. */
const BY_WORDS: Readonly<Record<OutboundKind, string>> = { sms: 'by text', email: 'by e-mail' };

/** An audit line's detail for a send by text or e-mail: "2 services, by text: A; B" (never the number or address). */
export function sentDetail(names: readonly string[], kind: OutboundKind): string {
    return `${names.length} ${names.length === 1 ? 'service' : 'services'}, ${BY_WORDS[kind]}: ${names.join('; ')}`;
}

/** The suggestions already sent by this kind on this request: the counter in the next send's key. */
function sentBefore(trail: readonly AuditEntry[], kind: OutboundKind): number {
    const mark = `, ${BY_WORDS[kind]}: `;
    return trail.filter((a) => a.action === 'suggested' && /^\d+ services?, by /.test(a.detail ?? '')
        && (a.detail ?? '').includes(mark)).length;
}

/**
 * One send's key: the request, the chosen ids, the kind and how many were sent this way before. A retry of a send
 * that failed or timed out carries the same key (nothing was recorded, so the count is the same), and the sender
 * never sends one key twice; the next deliberate send, after one recorded, gets a new key.
 */
export function suggestionKey(e: Pick<Escalation, 'id'>, ids: readonly string[], kind: OutboundKind,
    counter: number): string {
    return createHash('sha256').update(`suggest\n${e.id}\n${ids.join('\n')}\n${kind}\n${counter}`).digest('hex')
        .slice(0, 32);
}

/** Why a send by text or e-mail may not be made on this request, as a refusal a connector can act on. */
function cannotSendBy(e: Escalation, kind: OutboundKind): Failure | undefined {
    if (e.consent?.given !== true) {
        return new Failure(409, 'NoConsent', 'This request does not record the resident\'s agreement to be contacted, '
            + 'so nothing can be sent to them. Please use the live chat, if they are in it.');
    }
    const wanted = kind === 'sms' ? 'text' : 'email';
    if (e.contact.method !== wanted) {
        const chose = { phone: 'a phone call', text: 'a text message', email: 'an e-mail' }[e.contact.method];
        return new Failure(409, 'NotTheirWay', `The resident asked to be contacted by ${chose}, so this cannot be `
            + `sent ${BY_WORDS[kind]}.`, { method: e.contact.method });
    }
    const fits = kind === 'sms' ? ukMobileE164(e.contact.value) : emailAddress(e.contact.value);
    if (!fits) {
        return new Failure(409, 'NoAddress', kind === 'sms'
            ? 'The number the resident gave is not a UK mobile, so a text cannot go to it. Please call them instead.'
            : 'The e-mail address the resident gave does not look right, so nothing can be sent to it.');
    }
    return undefined;
}

/** A send that did not go: 409 when the resident's number or address refused it, 502 when the provider failed. */
function notSent(result: Exclude<SendResult, { ok: true }>, kind: OutboundKind): Failure {
    const what = kind === 'sms' ? 'text' : 'e-mail';
    switch (result.reason) {
        case 'opted-out':
            return new Failure(409, 'OptedOut', `Not sent: the resident has said they do not want ${what}s from us. `
                + 'Nothing was recorded as sent.', { reason: result.reason });
        case 'invalid-address':
        case 'rejected':
            return new Failure(409, 'Refused', `Not sent: the ${what} was refused for the number or address the `
                + 'resident gave. Nothing was recorded as sent. Please contact them another way.',
            { reason: result.reason });
        default:
            return new Failure(502, 'NotSent', `Not sent: the ${what} service did not take it just now. Nothing was `
                + 'recorded as sent. Please try again in a few minutes.', { reason: result.reason });
    }
}

/** The directory routes. */
export const directoryRoutes: readonly Route[] = [
    signedIn({
        method: 'get', path: '/directory', roles: EVERYONE, query: directoryQuery,
        doc: {
            summary: 'Search the directory as the bot does: the same engine, filters and reasons ("why"), a page of '
                + 'listings in words, with the needs and place the search understood',
            ok: 'The listings', more: { 503: 'The directory is not available on this server' },
        },
        handler: async (ctx, { query }) => {
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const needs = query.need ? needsNamed(ctx.needs, query.need) : undefined;
            return ok(directory.search({
                text: query.text, needs, place: query.place, freeOnly: query.free === 'true',
                onlineOk: query.online === 'true', offset: query.offset, limit: query.limit,
            }));
        },
    }),
    signedIn({
        method: 'get', path: '/directory/:id', roles: EVERYONE,
        doc: {
            summary: 'One listing\'s details, as the bot gives them', ok: 'The details',
            more: { 404: 'No such listing', 503: 'The directory is not available on this server' },
        },
        handler: async (ctx, req) => {
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const item = directory.details(String(req.params.id ?? ''));
            return item ? ok({ listing: item }) : new Failure(404, 'NotFound', 'There is no listing with that id.');
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/suggestions', roles: ANYONE, body: suggestionsBody,
        doc: {
            summary: 'Send chosen listings to the resident in their chat (holder or lead), as a message from the '
                + 'caller; the request records what was suggested and by whom',
            ok: 'Sent', created: true,
            more: {
                404: 'No such reference, or none of the listings exists',
                409: 'Not claimed, closed, the resident cannot be reached, or not delivered (NotDelivered)',
                503: 'Live chat or the directory is not available on this server',
            },
        },
        handler: async (ctx, req) => {
            const { actor } = req.caller;
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const live = await liveChatOf(ctx, req, actor);
            if (live instanceof Failure) return live;
            // In the resident's language, as the request recorded it (Welsh, Polish); the listings stay as they are.
            const message = directory.suggestionText(req.body.ids, live.e.language?.code);
            if (!message) return new Failure(404, 'NotFound', 'None of those listings is in the directory.');
            const sent = await live.relay.send(live.e, { id: actor.id, name: actor.name }, message.text);
            if (sent === 'unreachable') return unreachable();
            if (sent === 'left' || sent === 'not-delivered') return notDelivered(sent);
            if (sent === 'not-live') {
                return new Failure(409, 'NotLive', 'This request changed just now. Please reload it.');
            }
            await ctx.escalations.appendAudit(live.e.reference,
                { at: ctx.now().toISOString(), actor: actor.id, action: 'suggested', detail: message.names.join('; ') });
            ctx.log.info('workspace.suggested', { escalation: live.e.id, user: actor.id, count: message.names.length });
            const after = (await ctx.escalations.getByReference(live.e.reference)) ?? live.e;
            return ok({ sent: true, suggested: message.names, escalation: view(after, ctx.now(), ctx) }, 201);
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/suggestions/send', roles: ANYONE, body: suggestionsSendBody,
        doc: {
            summary: 'Send chosen listings by text or e-mail to the contact the resident gave (holder or lead), only '
                + 'when they chose that way to be contacted and the request records their agreement; "from <name> at '
                + '<service>", a sensitive need never named; one key per send, so a retry never sends twice; the '
                + 'request records how many were sent and how, never the number or address',
            ok: 'Sent', created: true,
            more: {
                404: 'No such reference, or none of the listings exists',
                409: 'Not claimed, closed, no agreement to be contacted, not the way they chose, or their number or '
                    + 'address refused it (nothing recorded)',
                502: 'The text or e-mail service failed (nothing recorded)',
                503: 'The directory, or sending this way, is not available on this server',
            },
        },
        handler: async (ctx, req) => {
            const { actor } = req.caller;
            const { ids, by } = req.body;
            const directory = directoryOf(ctx);
            if (directory instanceof Failure) return directory;
            const { sender } = ctx;
            if (!sender || !sender.kinds.includes(by)) {
                return new Failure(503, 'SendingUnavailable', `Sending ${BY_WORDS[by]} is not set up on this server.`);
            }
            const e = await found(ctx, req);
            if (e instanceof Failure) return e;
            if (e.status !== 'claimed' && e.status !== 'in-contact') {
                return new Failure(409, 'WrongStatus', e.status === 'new'
                    ? 'Please claim this request before you send the resident anything.'
                    : `This request is ${e.status}, so that cannot be done now.`, { status: e.status });
            }
            if (!actor.lead && e.assignee?.id !== actor.id) {
                return new Failure(403, 'NotYours', `${e.assignee?.name ?? 'Someone else'} has this request. `
                    + 'Only they or a lead can do that.');
            }
            const refused = cannotSendBy(e, by);
            if (refused) return refused;
            const to = (by === 'sms' ? ukMobileE164(e.contact.value) : emailAddress(e.contact.value))!;
            const counter = sentBefore(await ctx.escalations.auditTrail(e.reference), by);
            const built = directory.suggestionMessage(ids, by, {
                locale: e.language?.code, from: actor.name, serviceName: ctx.serviceName ?? 'Signpost', to,
                idempotencyKey: suggestionKey(e, ids, by, counter),
            });
            if (!built) return new Failure(404, 'NotFound', 'None of those listings is in the directory.');
            const attempt = async (): Promise<SendResult> => {
                try {
                    return await sender.send(built.message);
                } catch (err) {
                    ctx.log.warn('workspace.suggestion_send_threw', { escalation: e.id, error: errorKind(err) });
                    return { ok: false, reason: 'unavailable', retryable: false };
                }
            };
            let result = await attempt();
            // One retry of a passing failure, with the same key: it never goes twice.
            if (!result.ok && result.retryable) result = await attempt();
            if (!result.ok) {
                ctx.log.warn('workspace.suggestion_not_sent', { escalation: e.id, user: actor.id, kind: by,
                    reason: result.reason });
                return notSent(result, by);
            }
            await ctx.escalations.appendAudit(e.reference, {
                at: ctx.now().toISOString(), actor: actor.id, action: 'suggested', detail: sentDetail(built.names, by),
            });
            ctx.log.info('workspace.suggestion_sent', { escalation: e.id, user: actor.id, kind: by,
                count: built.names.length });
            const after = (await ctx.escalations.getByReference(e.reference)) ?? e;
            return ok({ sent: true, by, suggested: built.names, escalation: view(after, ctx.now(), ctx) }, 201);
        },
    }),
];
