/**
 * The adapter behind POST /api/messages: botbuilder's CloudAdapter, with what it leaves open closed at our edge.
 *
 * - The built-in website chat's conversations are not reachable from here. Its turns run in-process through its own
 *   adapter (src/channels/directline/), under channelId `directline`, and conversation state is keyed
 *   `${channelId}/conversations/${conversationId}`: an activity posted here with that channel and a website chat's
 *   conversation id would join the resident's dialog, read its replies or delete its state. Such an activity is
 *   refused with 403 once it is authenticated (Azure Direct Line, which also says `directline`, has its own ids).
 * - A refused or failed request costs one log line through the logger (`http.bot_refused`: status and a reason
 *   code; `http.messages_failed`: the error's kind), never botbuilder's console.error with its stack, and never what
 *   the request said. The answer says what was wrong in a sentence of ours, not the library's error message.
 */
import {
    CloudAdapter, type Activity, type InvokeResponse, type Request, type Response, type TurnContext,
} from 'botbuilder';
import {
    AuthenticationError, type AuthenticateRequestResult, type BotFrameworkAuthentication,
} from 'botframework-connector';
import type { INodeBuffer, INodeDuplex, INodeSocket } from 'botframework-streaming';
import { DIRECT_LINE_CHANNEL_ID } from '../channelIds';
import type { Config } from '../config';
import { errorKind, type Logger } from '../log';
import type { DirectLineStore } from '../storage/directLineStore';
import { RefusedActivityError, botAuthentication } from './security';

type Logic = (context: TurnContext) => Promise<void>;

/** The shape the built-in endpoint gives its conversation ids (endpoint.ts): nothing else can be one of them. */
const WEBSITE_CHAT_ID = /^[A-Za-z0-9_-]{8,64}$/;

export interface BotAdapterOptions {
    log: Logger;
    /** The built-in website chat's conversations, which /api/messages must never reach. */
    websiteChats?: Pick<DirectLineStore, 'getConversation'>;
}

export class SignpostCloudAdapter extends CloudAdapter {
    constructor(auth: BotFrameworkAuthentication, private readonly options: BotAdapterOptions) {
        super(auth);
    }

    override process(req: Request, res: Response, logic: Logic): Promise<void>;
    override process(req: Request, socket: INodeSocket, head: INodeBuffer, logic: Logic): Promise<void>;
    override process(req: Request, socket: INodeDuplex, head: INodeBuffer, logic: Logic): Promise<void>;
    override async process(req: Request, resOrSocket: Response | INodeSocket | INodeDuplex,
        logicOrHead: Logic | INodeBuffer, maybeLogic?: Logic): Promise<void> {
        // A streaming connection (Direct Line App Service Extension): not routed to this adapter by our server.
        if (maybeLogic) return super.process(req, resOrSocket as INodeSocket, logicOrHead as INodeBuffer, maybeLogic);
        const res = resOrSocket as Response;
        const logic = logicOrHead as Logic;
        const end = (status: number, body?: unknown) => {
            res.status(status);
            if (body !== undefined) res.send(body);
            res.end();
        };
        const { log } = this.options;
        if (req.method !== 'POST') return end(405);
        const body = req.body as Record<string, unknown> | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string' || !body.type) {
            log.warn('http.bot_refused', { status: 400, reason: 'not-an-activity' });
            return end(400, problem('BadActivity', 'Send a Bot Framework activity (a JSON object with a type).'));
        }
        const activity = withDates(body as unknown as Activity);
        const authorization = req.headers.authorization ?? req.headers.Authorization ?? '';
        try {
            const invokeResponse = await this.processActivity(String(authorization), activity, logic);
            return end(invokeResponse?.status ?? 200, invokeResponse?.body);
        } catch (err) {
            if (err instanceof AuthenticationError) {
                const refused = err instanceof RefusedActivityError;
                const status = refused ? 403 : 401;
                // The reason is ours; the activity's own fields (channel, ids) are the sender's and may be anything.
                log.warn('http.bot_refused', { status, reason: refused ? err.reason : 'token' });
                return end(status, refused ? problem('Forbidden', err.message)
                    : problem('Unauthorized', 'A valid Bot Framework token is needed.'));
            }
            log.error('http.messages_failed', { error: errorKind(err) });
            return end(500, problem('ServerError', 'The bot could not process this activity.'));
        }
    }

    /** Authenticates, then refuses a website chat's conversation, then runs the turn. */
    protected override processActivity(authHeader: string, activity: Activity, logic: Logic)
        : Promise<InvokeResponse | undefined>;
    protected override processActivity(result: AuthenticateRequestResult, activity: Activity, logic: Logic)
        : Promise<InvokeResponse | undefined>;
    protected override async processActivity(auth: string | AuthenticateRequestResult, activity: Activity,
        logic: Logic): Promise<InvokeResponse | undefined> {
        const result = typeof auth === 'string'
            ? await this.botFrameworkAuthentication.authenticateRequest(activity, auth)
            : auth;
        if (await this.isWebsiteChat(activity)) {
            throw new RefusedActivityError('website-chat', 'This conversation belongs to the website chat.');
        }
        return super.processActivity(result, activity, logic);
    }

    private async isWebsiteChat(activity: Activity): Promise<boolean> {
        const { websiteChats, log } = this.options;
        const id = activity.conversation?.id;
        if (!websiteChats || activity.channelId !== DIRECT_LINE_CHANNEL_ID || typeof id !== 'string'
            || !WEBSITE_CHAT_ID.test(id)) return false;
        try {
            return (await websiteChats.getConversation(id)) !== undefined;
        } catch (err) {
            // The store is not answering. Only an authenticated channel gets here with `directline` (Azure Direct
            // Line; unauthenticated, that channel is refused before), and it must go on being answered in an outage.
            log.warn('http.website_chat_check_failed', { error: errorKind(err) });
            return false;
        }
    }
}

/** The adapter for /api/messages from the settings, as src/index.ts and the tests build it. */
export function botAdapter(auth: Config['auth'], options: BotAdapterOptions & {
    /** Replaces Microsoft's OpenID metadata addresses (tests serve their own keys). */
    endpoints?: Parameters<typeof botAuthentication>[1];
}): SignpostCloudAdapter {
    return new SignpostCloudAdapter(botAuthentication(auth, options.endpoints), options);
}

function problem(code: string, message: string) {
    return { error: { code, message } };
}

/** As botbuilder's own HTTP path does: the timestamps a channel sends as text become dates. */
function withDates(activity: Activity): Activity {
    const a = activity as Activity & Record<string, unknown>;
    for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'],
        ['localTimestamp', 'rawLocalTimestamp']] as const) {
        if (typeof a[field] === 'string') {
            a[raw] = a[field];
            a[field] = new Date(a[field] as string);
        }
    }
    return activity;
}
