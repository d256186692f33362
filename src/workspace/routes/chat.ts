/** The live chat between a connector and a resident: reading it as it goes, writing in it, and ending it. */
import type { Escalation } from '../../storage/escalationRecord';
import type { Actor } from '../../handoff/lifecycle';
import type { ConnectorRelay } from '../../handoff/relay';
import { chatQuery, emptyBody, messageBody } from '../schemas';
import { chatView, found, unreachable, userNames, view } from './common';
import { ANYONE, Failure, ok, signedIn, type ApiRequest, type Route, type WorkspaceContext } from './route';

/** The request and the relay, if the caller may chat live on it now: its holder or a lead, while open and claimed. */
export async function liveChatOf(ctx: WorkspaceContext, req: ApiRequest, actor: Actor)
    : Promise<{ e: Escalation; relay: ConnectorRelay } | Failure> {
    const { relay } = ctx;
    if (!relay) return new Failure(503, 'LiveChatUnavailable', 'Live chat is not available on this server.');
    const e = await found(ctx, req);
    if (e instanceof Failure) return e;
    if (e.status !== 'claimed' && e.status !== 'in-contact') {
        return new Failure(409, 'WrongStatus', e.status === 'new'
            ? 'Please claim this request before you write to the resident.'
            : `This request is ${e.status}, so that cannot be done now.`, { status: e.status });
    }
    if (!actor.lead && e.assignee?.id !== actor.id) {
        return new Failure(403, 'NotYours', `${e.assignee?.name ?? 'Someone else'} has this request. `
            + 'Only they or a lead can do that.');
    }
    if (!e.conversationReference) return unreachable();
    return { e, relay };
}

/**
 * A message that did not reach the resident: an error the connector sees, never "Sent". The message is kept in the
 * request's live chat, marked not delivered, so nothing they wrote is lost.
 */
export function notDelivered(why: 'left' | 'not-delivered'): Failure {
    return new Failure(409, 'NotDelivered', why === 'left'
        ? 'Not delivered: the resident has left the chat. Your message is kept here. '
            + 'Please use the contact details they gave.'
        : 'Not delivered: their chat did not take the message. Your message is kept here. '
            + 'Please try again, or use the contact details they gave.', { why });
}

/** The live chat routes. */
export const chatRoutes: readonly Route[] = [
    // The page's refresh while a chat is live: the messages after the last it has, and whether it is still live,
    // never the whole request again.
    signedIn({
        method: 'get', path: '/escalations/:reference/messages', roles: ANYONE, query: chatQuery,
        doc: {
            summary: 'The live chat\'s messages after a number (what a page refreshing it lacks), how many '
                + 'there were and how many of the oldest are no longer kept, and whether the chat is live',
            ok: 'The messages', more: { 404: 'No such reference' },
        },
        handler: async (ctx, req) => {
            const e = await found(ctx, req);
            if (e instanceof Failure) return e;
            const chat = await ctx.escalations.chat(e.reference, req.query.after);
            const names = await userNames(ctx);
            const live = { status: e.status, relay: e.relay ?? null, canReply: view(e, ctx.now(), ctx).canReply };
            return ok({ ...chatView(chat, names), live });
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/messages', roles: ANYONE, body: messageBody,
        doc: {
            summary: 'Write to the resident in their chat (holder or lead); the first message starts a live '
                + 'chat, in which the bot stays silent but for crisis routes',
            ok: 'Sent', created: true,
            more: { 409: 'Not claimed, closed, the resident cannot be reached, or not delivered (NotDelivered)' },
        },
        handler: async (ctx, req) => {
            const { actor } = req.caller;
            const live = await liveChatOf(ctx, req, actor);
            if (live instanceof Failure) return live;
            const sent = await live.relay.send(live.e, { id: actor.id, name: actor.name }, req.body.text);
            if (sent === 'unreachable') return unreachable();
            if (sent === 'left' || sent === 'not-delivered') return notDelivered(sent);
            if (sent === 'not-live') {
                return new Failure(409, 'NotLive', 'This request changed just now. Please reload it.');
            }
            const after = (await ctx.escalations.getByReference(live.e.reference)) ?? live.e;
            return ok({ sent: true, escalation: view(after, ctx.now(), ctx) }, 201);
        },
    }),
    signedIn({
        method: 'post', path: '/escalations/:reference/end-chat', roles: ANYONE, body: emptyBody,
        doc: {
            summary: 'End the live chat; the bot tells the resident and resumes',
            ok: 'Ended', more: { 409: 'There is no live chat' },
        },
        handler: async (ctx, req) => {
            const { actor } = req.caller;
            const live = await liveChatOf(ctx, req, actor);
            if (live instanceof Failure) return live;
            const ended = await live.relay.end(live.e, { id: actor.id, name: actor.name });
            if (ended === 'not-live') return new Failure(409, 'NotLive', 'There is no live chat on this request.');
            const after = (await ctx.escalations.getByReference(live.e.reference)) ?? live.e;
            // Ended either way; `told` says whether the resident's chat heard it.
            return ok({ ended: true, told: ended === 'sent', escalation: view(after, ctx.now(), ctx) });
        },
    }),
];
