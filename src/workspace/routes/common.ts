/**
 * What several route files share: how a request, an account and a live chat are shown to connectors, and the
 * refusals more than one route gives.
 */
import type { Escalation } from '../../storage/escalationRecord';
import { isOverdue, type StepResult } from '../../handoff/lifecycle';
import { STORE_LIMITS } from '../../storage/limits';
import { RESIDENT_AWAY_MS } from '../../handoff/relay';
import type { ChatPage } from '../../storage/escalationStore';
import type { WorkspaceUser } from '../../storage/userStore';
import { Failure, type ApiRequest, type WorkspaceContext } from './route';
import { languageView } from '../languages';
import { emailAddress, ukMobileE164 } from '../../conversation/keep';
import type { OutboundKind, Sender } from '../../sending/port';

/** The request's reference from the path, as stored (upper case). */
export function referenceOf(req: ApiRequest): string {
    return String(req.params.reference ?? '').toUpperCase();
}

/** The 404 for a reference that names no request. */
export function notFound(): Failure {
    return new Failure(404, 'NotFound', 'There is no request with that reference.');
}

/** The request the path names, or the 404. */
export async function found(ctx: WorkspaceContext, req: ApiRequest): Promise<Escalation | Failure> {
    return (await ctx.escalations.getByReference(referenceOf(req))) ?? notFound();
}

/** The resident's chat cannot take a message now: the connector should use the contact details instead. */
export function unreachable(): Failure {
    return new Failure(409, 'Unreachable',
        'The resident cannot be reached in their chat now. Please use the contact details they gave.');
}

/** A lifecycle step's refusal as the answer a connector can act on. */
export function refusal(r: Exclude<StepResult, { done: true }>): Failure {
    switch (r.refused) {
        case 'not-found':
            return notFound();
        case 'already-claimed':
            return new Failure(409, 'AlreadyClaimed', `${r.holder.name} already has this request.`,
                { holder: { id: r.holder.id, name: r.holder.name } });
        case 'not-yours':
            return new Failure(403, 'NotYours', r.holder
                ? `${r.holder.name} has this request. Only they or a lead can do that.`
                : 'Only a lead can do that.');
        case 'wrong-status':
            return new Failure(409, 'WrongStatus', `This request is ${r.status}, so that cannot be done now.`,
                { status: r.status });
    }
}

/** An account as the page shows it: never its password hash. */
export function publicUser(u: WorkspaceUser) {
    return { id: u.id, name: u.name, email: u.email, role: u.role };
}

/**
 * What a connector sees of a request: everything but the internal resident key and conversation address, with
 * whether the resident is in their chat now (`presence`), so a connector knows before writing whether anyone is there.
 */
export function view(e: Escalation, now: Date, ctx?: Pick<WorkspaceContext, 'relay'> & Partial<Pick<WorkspaceContext,
    'languages' | 'sender'>>) {
    const { residentKey: _key, conversationReference, noticeId: _notice, contactKey: _contact, language, ...rest } = e;
    const watched = ctx?.relay?.watchesPresence(e.channelId) ?? false;
    const named = languageView(ctx?.languages ?? [], language);
    return {
        ...rest, overdue: isOverdue(e, now), canReply: conversationReference !== undefined,
        presence: presence(e, now, watched), ...(named ? { language: named } : {}),
        sendBy: suggestionWay(e, ctx?.sender),
    };
}

/**
 * How chosen listings may be sent to the resident outside the chat: by text when they asked to be contacted by text
 * at a UK mobile, by e-mail when they asked for e-mail at an address of the usual shape, and only when the request
 * records their agreement to be contacted and this server has a sender for that kind; otherwise null. Never by text
 * to someone who asked for a phone call: they chose how to be contacted.
 */
export function suggestionWay(e: Escalation, sender: Pick<Sender, 'kinds'> | undefined): OutboundKind | null {
    if (e.consent?.given !== true) return null;
    const kind: OutboundKind | undefined = e.contact.method === 'text' && ukMobileE164(e.contact.value) ? 'sms'
        : e.contact.method === 'email' && emailAddress(e.contact.value) ? 'email' : undefined;
    return kind && sender?.kinds.includes(kind) ? kind : null;
}

/**
 * Whether the resident is there: the channel, when they were last seen (absent: stored before it was kept), and
 * `here`: on a channel whose presence is watched (the built-in website chat, whose page keeps itself seen while
 * open), whether that was within RESIDENT_AWAY_MS; elsewhere not judged (null), since a message reaches their device
 * or a quiet page whether or not they were seen.
 */
export function presence(e: Escalation, now: Date, watched: boolean) {
    const seen = e.residentSeenAt;
    const here = !watched ? null
        : e.conversationReference === undefined ? false
            : seen === undefined ? null : now.getTime() - Date.parse(seen) <= RESIDENT_AWAY_MS;
    return { channel: e.channelId, lastSeenAt: seen ?? null, here };
}

/** Plain labels for the needs of these requests, so the page never shows bare ids. */
export function needLabels(ctx: WorkspaceContext, list: readonly Escalation[]): Record<string, string> {
    return Object.fromEntries([...new Set(list.flatMap((e) => e.summary.needs))].map((id) => [id, ctx.needLabel(id)]));
}

/** Account ids to names, for showing who wrote each audit line and message. */
export async function userNames(ctx: WorkspaceContext): Promise<Map<string, string>> {
    return new Map((await ctx.users.list()).map((u) => [u.id, u.name]));
}

/**
 * The live conversation, both ways, oldest first, numbered (the page asks for what follows its last), with the
 * moments the bot showed crisis routes (`text` then holds the crisis kind ids), so the connector sees them where
 * they are reading; and how many messages there were, how many of the oldest are no longer kept, and how many are.
 */
export function chatView(chat: ChatPage | undefined, names: ReadonlyMap<string, string>) {
    return {
        messages: (chat?.lines ?? []).map((l) => ({
            n: l.n,
            at: l.at,
            from: l.action === 'resident-message' ? 'resident'
                : l.action === 'crisis-routes-shown' ? 'signpost' : 'connector',
            name: l.action === 'message-sent' || l.action === 'message-not-delivered'
                ? names.get(l.actor) ?? l.actor : undefined,
            text: l.detail ?? '',
            // A connector's message: whether it reached the resident's chat.
            ...(l.action === 'message-sent' ? { delivered: true } : {}),
            ...(l.action === 'message-not-delivered' ? { delivered: false } : {}),
        })),
        chat: { total: chat?.total ?? 0, dropped: chat?.dropped ?? 0, keeps: STORE_LIMITS.liveChatLines },
    };
}
