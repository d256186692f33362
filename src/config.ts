/**
 * The one place that reads process.env. Settings are parsed once with zod; a bad value stops start-up with
 * a message that names the setting, never its value (it may be a secret).
 */
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths';

const optionalText = z.string().trim().max(500).optional().transform((v) => (v ? v : undefined));

const intInRange = (min: number, max: number, fallback: number) =>
    z.string().trim().optional().transform((v, ctx) => {
        if (v === undefined || v === '') return fallback;
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) {
            ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
            return z.NEVER;
        }
        return n;
    });

const webAddress = (httpsOnly: boolean) => z.string().trim().max(2000).optional().transform((v, ctx) => {
    if (!v) return undefined;
    let url: URL;
    try {
        url = new URL(v);
    } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a web address like https://chat.example.org' });
        return z.NEVER;
    }
    if (url.protocol !== 'https:' && (httpsOnly || url.protocol !== 'http:')) {
        ctx.addIssue({ code: 'custom', message: `must start with ${httpsOnly ? 'https://' : 'https:// or http://'}` });
        return z.NEVER;
    }
    return v.replace(/\/+$/, '');
});

/** A secret: empty means unset; otherwise it must be long enough to resist guessing. */
const secret = (minLength: number) => z.string().trim().optional().transform((v, ctx) => {
    if (!v) return undefined;
    if (v.length < minLength) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${minLength} characters` });
        return z.NEVER;
    }
    return v;
});

/** A true/false setting: `true` or `false` in any case, empty as false; anything else names the setting. */
const flag = () => z.string().trim().toLowerCase().optional().transform((v, ctx) => {
    if (!v || v === 'false') return false;
    if (v === 'true') return true;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
});

/** One of a few words, in any case; empty means unset. */
const choice = <T extends string>(values: readonly T[]) => z.string().trim().toLowerCase().optional()
    .transform((v, ctx): T | undefined => {
        if (!v) return undefined;
        if (!(values as readonly string[]).includes(v)) {
            ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
            return z.NEVER;
        }
        return v as T;
    });

/** Every setting Signpost reads, with its default. Names match Azure App Service settings. */
export const settingsSchema = z.object({
    PORT: intInRange(1, 65535, 3978).describe('TCP port the server listens on'),
    HOST: z.string().trim().max(100).optional().transform((v) => v || undefined)
        .describe('Address the server listens on. Default: 0.0.0.0 (every network) with MicrosoftAppId, else '
            + '127.0.0.1 (this computer only). Another address without MicrosoftAppId needs '
            + 'SIGNPOST_WEBSITE_CHAT_ONLY=true (no /api/messages) or SIGNPOST_INSECURE_DEV=true (a trial only)'),
    MicrosoftAppId: optionalText.describe('Bot identity (Azure Bot). Empty: no authentication, local use only'),
    SIGNPOST_INSECURE_DEV: flag().describe('true: without MicrosoftAppId, listen on any HOST, and let /api/messages '
        + 'take activities whose serviceUrl is on another computer (or that ask for replies in the answer). For a '
        + 'trial on a private network, never with real residents; warned at every start'),
    SIGNPOST_WEBSITE_CHAT_ONLY: flag().describe('true: /api/messages takes no activities (403), for a server with '
        + 'no Azure Bot that serves the built-in website chat and the workspace only; it may then listen on any '
        + 'HOST without MicrosoftAppId'),
    MicrosoftAppPassword: optionalText.describe('Client secret for MicrosoftAppId (MultiTenant or SingleTenant)'),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()
        .describe('How the bot identity authenticates'),
    MicrosoftAppTenantId: optionalText.describe('Tenant of a SingleTenant or UserAssignedMSI bot'),
    SIGNPOST_DATA_DIR: optionalText.describe('Folder for the embedded database (default ./data)'),
    MONGODB_URI: z.string().trim().max(4000).optional().transform((v, ctx) => {
        if (!v) return undefined;
        if (!/^mongodb(\+srv)?:\/\/[^/?]+/i.test(v)) {
            ctx.addIssue({
                code: 'custom', message: 'must be a connection string starting with mongodb:// or mongodb+srv://',
            });
            return z.NEVER;
        }
        return v;
    }).describe('MongoDB connection string (MongoDB, Cosmos DB for MongoDB vCore). Set: the store is MongoDB, '
        + 'shared by every instance; empty: the embedded SQLite file'),
    SIGNPOST_MONGODB_DATABASE: z.string().trim().max(63).optional().transform((v, ctx) => {
        if (!v) return 'signpost';
        if (!/^[A-Za-z0-9_-]+$/.test(v)) {
            ctx.addIssue({ code: 'custom', message: 'must be letters, digits, _ or - (up to 63)' });
            return z.NEVER;
        }
        return v;
    }).describe('The MongoDB database Signpost uses (default signpost)'),
    SIGNPOST_KNOWLEDGE_DIR: optionalText.describe('Knowledge folder: directory, needs, wording (default: shipped)'),
    SIGNPOST_ORUK_API: z.string().trim().toLowerCase().optional().transform((v, ctx) => {
        if (!v || v === 'off') return false;
        if (v === 'on') return true;
        ctx.addIssue({ code: 'custom', message: 'must be on or off' });
        return z.NEVER;
    }).describe('on: publish the directory, as Signpost knows it, as an Open Referral UK API (read-only, anonymous, '
        + 'CORS open): GET /oruk/services (paged, with the searches) and GET /oruk/services/{id}. Default off: the '
        + 'council chooses to publish'),
    SIGNPOST_SERVICE_NAME: z.string().trim().min(1).max(60).optional().transform((v) => v || 'Signpost')
        .describe('The name residents see'),
    SIGNPOST_QUICK_EXIT_URL: z.string().trim().max(2000).optional().transform((v, ctx) => {
        const url = quickExitUrl(v || DEFAULT_QUICK_EXIT_URL);
        if (!url) {
            ctx.addIssue({ code: 'custom', message: 'must be an https address, like https://www.bbc.co.uk/weather '
                + '(http only for localhost)' });
            return z.NEVER;
        }
        return url;
    }).describe('Where the website chat\'s quick exit button (and the Shift key pressed three times) takes a '
        + 'resident at once: a neutral site that does not look like help. Default https://www.bbc.co.uk/weather'),
    SIGNPOST_STATE_DAYS: intInRange(1, 365, 30).describe('Days a conversation is kept after its last message'),
    SIGNPOST_FOLLOWUP_SECONDS: intInRange(0, 3600, 60)
        .describe('How often each instance looks for due reminders and check-ins to send, in seconds (sent only '
            + 'between 9am and 8pm London time); 0: this instance sends none'),
    SIGNPOST_REFERRAL_DAYS: intInRange(1, 3650, 90)
        .describe('Days a request for contact is kept after it is closed'),
    SIGNPOST_RESPONSE_DAYS: intInRange(1, 30, 2).describe('Working days within which a connector gets in touch'),
    SIGNPOST_CURATION_POLL_SECONDS: intInRange(1, 60, 30)
        .describe('How often each instance reads the curators\' decisions on listings (hidden, checked) from the '
            + 'store, in seconds: a decision made on one instance applies on all within this time'),
    DIRECT_LINE_SECRET: optionalText
        .describe('Azure Bot Direct Line secret. Set: the website chat uses Azure Direct Line (the secret stays here)'),
    DIRECT_LINE_ENDPOINT: webAddress(true)
        .describe('Azure Direct Line address (default: global; the europe.directline.botframework.com one in Europe)'),
    SIGNPOST_TOKEN_SECRET: secret(32)
        .describe('Key that signs the built-in Direct Line tokens (default: made once and kept in the data folder)'),
    SIGNPOST_PUBLIC_URL: webAddress(false)
        .describe('Public address of this server (https://chat.example.org), for the Teams app and the embed snippet'),
    SIGNPOST_PRIVACY_URL: webAddress(true)
        .describe('Privacy notice for the Teams app (default: the chat page\'s privacy line)'),
    SIGNPOST_TERMS_URL: webAddress(true).describe('Terms of use for the Teams app (default: the privacy notice)'),
    SIGNPOST_ORGANISATION: z.string().trim().max(32).optional().transform((v) => v || undefined)
        .describe('Who runs the service, shown in Teams (default: the service name)'),
    SIGNPOST_WORKSPACE_SESSION_HOURS: intInRange(1, 24, 8)
        .describe('Hours a connector stays signed in to the workspace'),
    SIGNPOST_WORKSPACE_MAX_FAILED_SIGNINS: intInRange(3, 20, 5)
        .describe('Failed sign-ins for one e-mail within SIGNPOST_WORKSPACE_LOCKOUT_MINUTES that lock it (an e-mail '
            + 'with no account locks the same way, so a lock does not say whether an account exists)'),
    SIGNPOST_WORKSPACE_LOCKOUT_MINUTES: intInRange(1, 1440, 15)
        .describe('Minutes a lock lasts from the failure that set it, and how long a failed sign-in counts towards '
            + 'one; a lead unlocks sooner in the workspace or with signpost users unlock'),
    SIGNPOST_WORKSPACE_MAX_FAILED_SIGNINS_PER_ADDRESS: intInRange(5, 10_000, 30)
        .describe('Failed sign-ins one client address may make in an hour, for any e-mails, before it must wait '
            + '(429); counted in the store, so shared by every instance'),
    SIGNPOST_REQUESTS_PER_CONTACT_PER_DAY: intInRange(1, 100, 3)
        .describe('New requests for contact one phone number or e-mail may make in 24 hours, whoever makes them (the '
            + 'same resident asking again while their request is open is merged into it, not counted); over it the '
            + 'resident is told kindly, with crisis numbers'),
    SIGNPOST_REQUESTS_PER_ADDRESS_PER_HOUR: intInRange(1, 10_000, 6)
        .describe('New requests for contact one client address (built-in website chat), or one resident on other '
            + 'channels, may make in an hour; counted in the store, so shared by every instance'),
    SIGNPOST_TRUST_PROXY: z.string().trim().toLowerCase().optional().transform((v, ctx) => {
        if (!v || v === 'false') return 0;
        if (v === 'true') return 1;
        if (/^[0-5]$/.test(v)) return Number(v);
        ctx.addIssue({ code: 'custom', message: 'must be false, true, or the number of proxies in front (0 to 5)' });
        return z.NEVER;
    }).describe('Believe X-Forwarded-For, -Host and -Proto from this many proxies in front (true: one, as Azure '
        + 'App Service). Default false: the address, host and scheme the connection comes with'),
    SIGNPOST_EMBED_ORIGINS: z.string().trim().max(4000).optional().transform((v, ctx) => {
        const origins = parseOrigins(v ?? '');
        if (!origins) {
            ctx.addIssue({ code: 'custom', message: 'must be https origins separated by commas, like '
                + 'https://www.example.gov.uk,https://example.org (http only for localhost)' });
            return z.NEVER;
        }
        return origins;
    }).describe('Sites that may show the website chat in a frame (docs/embed.md), comma-separated https origins. '
        + 'Default: none but this server'),
    SIGNPOST_LIMIT_BODY_KB: intInRange(16, 4096, 256)
        .describe('Largest request body on any route, in kilobytes, as sent and once unpacked from gzip or deflate '
            + '(larger: 413)'),
    SIGNPOST_LIMIT_ACTIVITY_KB: intInRange(1, 256, 32)
        .describe('Largest activity the website chat (built-in Direct Line) may post, in kilobytes (larger: 413)'),
    SIGNPOST_LIMIT_MESSAGE_CHARS: intInRange(500, 100_000, 5000)
        .describe('Longest message text the website chat keeps (longer: only this much is kept and passed on, so '
            + 'the resident still gets an answer); the bot asks for shorter messages above 2,000 characters'),
    SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: intInRange(1, 1_000_000, 1200)
        .describe('Requests one client address may make per minute to the page, its files, Direct Line and the '
            + 'workspace (more: 429 with Retry-After); counted per instance'),
    SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: intInRange(1, 1_000_000, 1200)
        .describe('Requests one client address may make per minute to /api/messages; Azure Bot Service sends every '
            + 'Teams and SMS message from a few addresses, so keep it high; counted per instance'),
    SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: intInRange(1, 1_000_000, 60)
        .describe('Activities one conversation may send per minute to /api/messages (more: 429); counted per instance; '
            + 'a request the bot does not take (a refused token) is given back'),
    SIGNPOST_LIMIT_TOKENS_PER_MINUTE: intInRange(1, 1_000_000, 30)
        .describe('Website chats one client address may start per minute (POST /api/directline/token and its '
            + 'refresh); messages on the page without JavaScript (POST /chat) count here too'),
    SIGNPOST_LIMIT_SIGNINS_PER_MINUTE: intInRange(1, 1_000_000, 20)
        .describe('Workspace sign-in attempts one client address may make per minute (accounts also lock after '
            + 'SIGNPOST_WORKSPACE_MAX_FAILED_SIGNINS)'),
    SIGNPOST_LIMIT_DIRECTLINE_CONVERSATION_PER_MINUTE: intInRange(1, 1_000_000, 120)
        .describe('Requests one website chat conversation may make per minute (posts, polls, reconnects); counted in '
            + 'the store, so shared by every instance'),
    // The default is its own step so that the configuration reference can show it.
    SIGNPOST_CONNECTOR_HOURS: z.string().trim().max(40).optional().transform((v) => v || 'Mon-Fri 09:00-17:00')
        .transform((v, ctx) => {
            const hours = parseWorkingHours(v);
            if (!hours) {
                ctx.addIssue({ code: 'custom', message: 'must be days and times like "Mon-Fri 09:00-17:00"' });
                return z.NEVER;
            }
            return hours;
        })
        .describe('When connectors work, e.g. "Mon-Fri 09:00-17:00"; outside it, residents hear when to expect them. '
            + 'An urgent request is due by the end of a working day, or by noon of the next working morning when made '
            + 'in the last hour or out of hours (bank holidays are not known)'),
    SIGNPOST_CONNECTOR_TIMEZONE: z.string().trim().max(60).optional().transform((v, ctx) => {
        const zone = v || 'Europe/London';
        try {
            new Intl.DateTimeFormat('en-GB', { timeZone: zone });
        } catch {
            ctx.addIssue({ code: 'custom', message: 'must be a time zone like Europe/London' });
            return z.NEVER;
        }
        return zone;
    }).describe('Time zone of the connectors\' working hours'),
    SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: z.string().trim().max(4000).optional().transform((v, ctx) => {
        if (!v) return undefined;
        const target = parseTeamsTarget(v);
        if (!target) {
            ctx.addIssue({ code: 'custom', message: 'must be a conversation reference as JSON ({"serviceUrl": '
                + '"https://...", "conversation": {"id": "19:...@thread.tacv2"}}) or a channel id and an https '
                + 'service URL separated by a space' });
            return z.NEVER;
        }
        return target;
    }).describe('The connectors\' Teams channel: each new request is posted there as a card with a Claim button'),
    SIGNPOST_SEND_EMAIL: choice(['off', 'log', 'acs', 'smtp'])
        .describe('How a resident\'s list is sent by e-mail: acs (Azure Communication Services Email, with '
            + 'SIGNPOST_ACS_CONNECTION_STRING), smtp (a mail relay, with SIGNPOST_SMTP_URL), log (nothing is sent: '
            + 'an event is logged and the last messages are kept in memory, for local use) or off (e-mail is not '
            + 'offered). Both acs and smtp need SIGNPOST_EMAIL_FROM. Default: log on a computer of one\'s own (no '
            + 'MicrosoftAppId), off on a deployment (MicrosoftAppId or SIGNPOST_WEBSITE_CHAT_ONLY set), so a resident '
            + 'is never told a list went when nothing was sent'),
    SIGNPOST_SEND_SMS: choice(['off', 'log', 'twilio'])
        .describe('How a resident\'s list is sent by text message: twilio (Twilio\'s Messages API, with '
            + 'SIGNPOST_TWILIO_ACCOUNT_SID, SIGNPOST_TWILIO_AUTH_TOKEN and SIGNPOST_TWILIO_FROM), log (nothing is '
            + 'sent: an event is logged, for local use) or off (texts are not offered). Default as for '
            + 'SIGNPOST_SEND_EMAIL: log locally, off on a deployment'),
    SIGNPOST_SEND_FAKE_ON_DEPLOYMENT: choice(['yes', 'no'])
        .describe('yes: on a deployment (MicrosoftAppId or SIGNPOST_WEBSITE_CHAT_ONLY set), SIGNPOST_SEND_EMAIL or '
            + 'SIGNPOST_SEND_SMS set to log "sends" to the logging fake, which sends nothing and keeps the last 50 '
            + 'messages, addresses included, in memory: for a test deployment only. Otherwise (default no) a kind set '
            + 'to log on a deployment is not offered and answers not-configured, so a resident is never told a list '
            + 'went when it did not. Either way start-up logs the warning sending.fake_on_deployment'),
    SIGNPOST_EMAIL_FROM: z.string().trim().max(320).optional().transform((v, ctx) => {
        if (!v) return undefined;
        if (!EMAIL_ADDRESS.test(v)) {
            ctx.addIssue({ code: 'custom', message: 'must be an e-mail address like signpost@example.gov.uk' });
            return z.NEVER;
        }
        return v;
    }).describe('The address e-mails are sent from (for acs: an address of a domain verified in the Email '
        + 'Communication Service)'),
    SIGNPOST_ACS_CONNECTION_STRING: z.string().trim().max(2000).optional().transform((v, ctx) => {
        if (!v) return undefined;
        const acs = parseAcsConnectionString(v);
        if (!acs) {
            ctx.addIssue({ code: 'custom', message: 'must be the Communication Services resource\'s connection '
                + 'string, endpoint=https://....communication.azure.com/;accesskey=... (Keys in the Azure portal)' });
            return z.NEVER;
        }
        return acs;
    }).describe('Azure Communication Services connection string (endpoint and access key), for '
        + 'SIGNPOST_SEND_EMAIL=acs'),
    SIGNPOST_SMTP_URL: z.string().trim().max(2000).optional().transform((v, ctx) => {
        if (!v) return undefined;
        if (!smtpUrl(v)) {
            ctx.addIssue({ code: 'custom', message: 'must be like smtps://user:password@smtp.example.org:465 or '
                + 'smtp://user:password@smtp.example.org:587 (STARTTLS is then required)' });
            return z.NEVER;
        }
        return v;
    }).describe('The mail relay for SIGNPOST_SEND_EMAIL=smtp, with its user name and password: smtps:// (TLS from the '
        + 'start) or smtp:// (STARTTLS required, except on this computer)'),
    SIGNPOST_TWILIO_ACCOUNT_SID: z.string().trim().optional().transform((v, ctx) => {
        if (!v) return undefined;
        if (!/^AC[0-9a-fA-F]{32}$/.test(v)) {
            ctx.addIssue({ code: 'custom', message: 'must be a Twilio Account SID (AC and 32 hexadecimal digits)' });
            return z.NEVER;
        }
        return v;
    }).describe('Twilio Account SID, for SIGNPOST_SEND_SMS=twilio'),
    SIGNPOST_TWILIO_AUTH_TOKEN: secret(16).describe('Twilio Auth Token of that account'),
    SIGNPOST_TWILIO_FROM: z.string().trim().optional().transform((v, ctx) => {
        if (!v) return undefined;
        if (!/^\+[1-9]\d{6,14}$/.test(v) && !/^MG[0-9a-fA-F]{32}$/.test(v)) {
            ctx.addIssue({ code: 'custom', message: 'must be a phone number in E.164 (+447700900123) or a Messaging '
                + 'Service SID (MG and 32 hexadecimal digits)' });
            return z.NEVER;
        }
        return v;
    }).describe('What texts are sent from: a Twilio number in E.164, or a Messaging Service SID (MG...), which also '
        + 'handles STOP'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional().transform((v) => v || 'info')
        .describe('Least important log level written (logs are JSON lines of ids and events, never message text)'),
    SIGNPOST_METRICS_TOKEN: secret(24).describe('Bearer token a Prometheus scraper sends to GET /metrics '
        + '(Authorization: Bearer <token>). Empty: there is no /metrics'),
});

export type Settings = z.output<typeof settingsSchema>;

/** Resolved configuration the rest of the product receives. */
export interface Config {
    port: number;
    host: string;
    auth: {
        appId?: string; appPassword?: string; appType?: string; tenantId?: string;
        /**
         * SIGNPOST_INSECURE_DEV, when there is no appId (with one it changes nothing): /api/messages takes
         * activities from anywhere, with any serviceUrl. Never set with real residents.
         */
        insecureDev?: boolean;
        /** SIGNPOST_WEBSITE_CHAT_ONLY: /api/messages takes nothing; the built-in website chat is the only channel. */
        websiteChatOnly?: boolean;
    };
    dataDir: string;
    /** Set: the store is MongoDB (else the embedded file in dataDir). The URI may hold a password: never log it. */
    mongodb?: { uri: string; database: string };
    knowledgeDir: string;
    serviceName: string;
    /** The neutral page the website chat's quick exit leaves for. */
    quickExitUrl: string;
    stateDays: number;
    /** Seconds between reads of the curators' decisions (SIGNPOST_CURATION_POLL_SECONDS). */
    curationPollSeconds: number;
    /** Seconds between looks for due reminders and check-ins (SIGNPOST_FOLLOWUP_SECONDS); 0: none sent here. */
    followupSeconds: number;
    referralDays: number;
    responseDays: number;
    logLevel: Settings['LOG_LEVEL'];
    /** The token GET /metrics needs; without it metrics are not served. */
    metricsToken?: string;
    /** The website chat's connection: Azure Direct Line when a secret is set, else the built-in endpoint. */
    webChat: { directLineSecret?: string; directLineEndpoint: string; tokenSecret?: string };
    /** Public address of this server, without a trailing slash. */
    publicUrl?: string;
    /** SIGNPOST_ORUK_API=on: the directory is served as an Open Referral UK API at /oruk (src/server/oruk.ts). */
    orukApi: boolean;
    /** Who runs the service (Teams app developer name). */
    organisation: string;
    privacyUrl?: string;
    termsUrl?: string;
    /** The connectors' workspace: sessions and lockout. */
    workspace: {
        sessionHours: number; maxFailedSignIns: number; lockoutMinutes: number; maxFailedSignInsPerAddress: number;
    };
    /** Limits on making requests for contact (src/handoff/intake.ts). */
    requests: { perContactPerDay: number; perAddressPerHour: number };
    /** When connectors work. */
    connectorHours: WorkingHours;
    /** The connectors' Teams channel, when new requests are to be posted there. */
    teamsConnectors?: TeamsTarget;
    /** Request limits, headers and the proxy in front: src/server/limits.ts and src/server/security.ts. */
    http: HttpSettings;
    /** How texts and e-mails are sent on a resident's request (src/sending/). Holds secrets: never log it. */
    sending: SendingSettings;
}

/** The e-mail adapter and its settings. */
export type EmailSending =
    | { mode: 'off' | 'log' }
    | { mode: 'acs'; from: string; endpoint: string; accessKey: string }
    | { mode: 'smtp'; from: string; url: string };

/** The text message adapter and its settings. */
export type SmsSending =
    | { mode: 'off' | 'log' }
    | { mode: 'twilio'; accountSid: string; authToken: string; from: string };

/** Which adapters send texts and e-mails (src/sending/index.ts). */
export interface SendingSettings {
    email: EmailSending;
    sms: SmsSending;
    /**
     * Set only on a deployment where a kind is `log` (the logging fake): `allowed` when
     * SIGNPOST_SEND_FAKE_ON_DEPLOYMENT is yes, else `refused` (those kinds answer not-configured).
     */
    fakeOnDeployment?: 'allowed' | 'refused';
}

/** An e-mail address, roughly: what a mail system would take, with nothing that could break a header. */
const DOMAIN_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const EMAIL_ADDRESS = new RegExp(`^[^\\s@<>()",;:\\\\]+@${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})+$`);

/**
 * Reads an Azure Communication Services connection string (`endpoint=https://x.communication.azure.com/;
 * accesskey=<base64>`); undefined when it is not one. http only for this computer (the tests' fake).
 */
export function parseAcsConnectionString(text: string): { endpoint: string; accessKey: string } | undefined {
    const parts = new Map<string, string>();
    for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
        const at = part.indexOf('=');
        if (at <= 0) return undefined;
        parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
    }
    const endpoint = parts.get('endpoint');
    const accessKey = parts.get('accesskey');
    if (!endpoint || !accessKey || !/^[A-Za-z0-9+/]+={0,2}$/.test(accessKey)) return undefined;
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return undefined;
    }
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
    if (!secure || url.username || url.password || url.search) return undefined;
    return { endpoint: url.origin + url.pathname.replace(/\/+$/, ''), accessKey };
}

/** Whether a mail relay URL is smtps://, or smtp:// (nodemailer then requires STARTTLS unless on this computer). */
function smtpUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return (url.protocol === 'smtps:' || url.protocol === 'smtp:') && Boolean(url.hostname);
    } catch {
        return false;
    }
}

/** How the server treats requests from the outside world. */
export interface HttpSettings {
    /** Proxies in front whose X-Forwarded-For entry is believed; 0: none. */
    trustProxy: number;
    /** Origins (https://www.example.gov.uk) that may frame the website chat, besides this server. */
    embedOrigins: string[];
    limits: RequestLimits;
}

/** Sizes, and requests per minute, that the server accepts. */
export interface RequestLimits {
    maxBodyBytes: number;
    /** Built-in Direct Line: one posted activity. */
    maxActivityBytes: number;
    /** Built-in Direct Line: one message's text. */
    maxMessageChars: number;
    /** Per client address: every route but the three below. */
    perAddressPerMinute: number;
    /** Per client address: POST /api/messages. */
    botPerAddressPerMinute: number;
    /** Per conversation: POST /api/messages. */
    botPerConversationPerMinute: number;
    /** Per client address: POST /api/directline/token. */
    tokensPerAddressPerMinute: number;
    /** Per client address: POST /workspace/api/session. */
    signInsPerAddressPerMinute: number;
    /** Per conversation, in the store: the built-in Direct Line routes. */
    directLinePerConversationPerMinute: number;
}

/**
 * Reads a comma-separated list of origins: https, or http for localhost (local trials and tests). Undefined when
 * one is not an origin (a path, a wildcard, another scheme).
 */
export function parseOrigins(text: string): string[] | undefined {
    const origins: string[] = [];
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
        let url: URL;
        try {
            url = new URL(part);
        } catch {
            return undefined;
        }
        const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
        if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return undefined;
        if (url.origin !== part.replace(/\/$/, '') || url.username || url.password) return undefined;
        origins.push(url.origin);
    }
    return [...new Set(origins)];
}

/** Where the connectors' Teams channel is: a conversation reference's parts. */
export interface TeamsTarget {
    channelId: string;
    serviceUrl: string;
    conversationId: string;
    tenantId?: string;
}

/**
 * Reads the setting: a conversation reference as JSON (`{"serviceUrl", "conversation": {"id"}}`, as Teams gives
 * it), or a channel id and a service URL separated by a space. Undefined when it is neither.
 */
export function parseTeamsTarget(text: string): TeamsTarget | undefined {
    const value = text.trim();
    let target: TeamsTarget | undefined;
    if (value.startsWith('{')) {
        let json: { channelId?: unknown; serviceUrl?: unknown; conversation?: { id?: unknown; tenantId?: unknown } };
        try {
            json = JSON.parse(value) as typeof json;
        } catch {
            return undefined;
        }
        if (typeof json.serviceUrl !== 'string' || typeof json.conversation?.id !== 'string') return undefined;
        target = {
            channelId: typeof json.channelId === 'string' ? json.channelId : 'msteams',
            serviceUrl: json.serviceUrl,
            conversationId: json.conversation.id,
            ...(typeof json.conversation.tenantId === 'string' ? { tenantId: json.conversation.tenantId } : {}),
        };
    } else {
        const [conversationId, serviceUrl, ...rest] = value.split(/\s+/);
        if (!conversationId || !serviceUrl || rest.length) return undefined;
        target = { channelId: 'msteams', serviceUrl, conversationId };
    }
    try {
        const url = new URL(target.serviceUrl);
        if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return undefined;
    } catch {
        return undefined;
    }
    return target;
}

/** Days (0 Sunday to 6 Saturday) and times ("09:00") connectors work, in a time zone. */
export interface WorkingHours {
    days: number[];
    start: string;
    end: string;
    timeZone: string;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Parses "Mon-Fri 09:00-17:00" (or "Mon,Wed 10:00-16:00"); undefined when it is not that shape. */
export function parseWorkingHours(text: string): Omit<WorkingHours, 'timeZone'> | undefined {
    const m = /^([a-z,\- ]+?)\s+([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/i.exec(text.trim());
    if (!m) return undefined;
    const days = new Set<number>();
    for (const part of m[1].toLowerCase().split(',').map((p) => p.trim())) {
        const [from, to] = part.split('-').map((d) => DAY_NAMES.indexOf(d.trim().slice(0, 3)));
        if (from === undefined || from < 0 || (to !== undefined && to < 0)) return undefined;
        for (let d = from; ; d = (d + 1) % 7) {
            days.add(d);
            if (to === undefined || d === to) break;
        }
    }
    const start = `${m[2]}:${m[3]}`;
    const end = `${m[4]}:${m[5]}`;
    if (end <= start) return undefined;
    return { days: [...days].sort(), start, end };
}

/** Azure's global Direct Line address. */
export const DEFAULT_DIRECT_LINE_ENDPOINT = 'https://directline.botframework.com/v3/directline';

/** Thrown when a setting is wrong; the message names every bad setting and says what it must be. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Signpost cannot start: ${problems.join('; ')}`);
        this.name = 'ConfigError';
    }
}

/** Whether an address to listen on, or a host name, is this computer only (127.0.0.0/8, ::1, localhost). */
/** Where the quick exit goes unless SIGNPOST_QUICK_EXIT_URL says otherwise: a weather page, as GOV.UK's. */
export const DEFAULT_QUICK_EXIT_URL = 'https://www.bbc.co.uk/weather';

/**
 * The quick exit's address, or undefined: https (http only on this computer), no user name or password in it, so
 * the button can only ever lead to an ordinary web page.
 */
function quickExitUrl(text: string): string | undefined {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return undefined;
    }
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
    return secure && !url.username && !url.password ? url.href : undefined;
}

export function isLoopback(host: string): boolean {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Why the server must not start as configured, or undefined. Without MicrosoftAppId, /api/messages takes anyone's
 * activities, so the server listens on this computer only unless SIGNPOST_INSECURE_DEV says otherwise.
 */
export function exposureProblem(config: Pick<Config, 'host' | 'auth'>): string | undefined {
    const { appId, insecureDev, websiteChatOnly } = config.auth;
    if (appId || insecureDev || websiteChatOnly || isLoopback(config.host)) return undefined;
    return `setting HOST is ${config.host}, which other computers can reach, but MicrosoftAppId is not set, so `
        + '/api/messages would take anyone\'s messages. Set MicrosoftAppId and MicrosoftAppPassword (the Azure Bot); '
        + 'or SIGNPOST_WEBSITE_CHAT_ONLY=true to serve the website chat only, with no /api/messages; or leave HOST '
        + 'unset to listen on 127.0.0.1 only; or SIGNPOST_INSECURE_DEV=true for a trial on a private network (never '
        + 'with real residents)';
}

/** Parses settings from an environment (process.env by default). Throws ConfigError naming the setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
    const parsed = settingsSchema.safeParse(env);
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map((i) => `setting ${i.path.join('.')} ${i.message}`));
    }
    const s = parsed.data;
    if (s.MicrosoftAppId && s.MicrosoftAppType !== 'UserAssignedMSI' && !s.MicrosoftAppPassword) {
        throw new ConfigError(['setting MicrosoftAppPassword is needed when MicrosoftAppId is set']);
    }
    if (s.SIGNPOST_WEBSITE_CHAT_ONLY && s.DIRECT_LINE_SECRET) {
        throw new ConfigError(['setting SIGNPOST_WEBSITE_CHAT_ONLY cannot be true with DIRECT_LINE_SECRET: the website '
            + 'chat through Azure Direct Line comes in on /api/messages']);
    }
    if (s.MicrosoftAppType && s.MicrosoftAppType !== 'MultiTenant' && !s.MicrosoftAppTenantId) {
        throw new ConfigError([
            `setting MicrosoftAppTenantId is needed when MicrosoftAppType is ${s.MicrosoftAppType}`,
        ]);
    }
    const root = projectRoot();
    const sending = sendingSettings(s);
    return Object.freeze({
        port: s.PORT,
        // Without a bot identity, /api/messages has no authentication: by default only this computer may reach it.
        host: s.HOST ?? (s.MicrosoftAppId ? '0.0.0.0' : '127.0.0.1'),
        auth: {
            appId: s.MicrosoftAppId,
            appPassword: s.MicrosoftAppPassword,
            appType: s.MicrosoftAppType,
            tenantId: s.MicrosoftAppTenantId,
            insecureDev: s.SIGNPOST_INSECURE_DEV && !s.MicrosoftAppId && !s.SIGNPOST_WEBSITE_CHAT_ONLY,
            websiteChatOnly: s.SIGNPOST_WEBSITE_CHAT_ONLY,
        },
        dataDir: path.resolve(s.SIGNPOST_DATA_DIR ?? path.join(root, 'data')),
        ...(s.MONGODB_URI ? { mongodb: { uri: s.MONGODB_URI, database: s.SIGNPOST_MONGODB_DATABASE } } : {}),
        knowledgeDir: path.resolve(s.SIGNPOST_KNOWLEDGE_DIR ?? path.join(root, 'knowledge')),
        serviceName: s.SIGNPOST_SERVICE_NAME,
        quickExitUrl: s.SIGNPOST_QUICK_EXIT_URL,
        stateDays: s.SIGNPOST_STATE_DAYS,
        curationPollSeconds: s.SIGNPOST_CURATION_POLL_SECONDS,
        followupSeconds: s.SIGNPOST_FOLLOWUP_SECONDS,
        referralDays: s.SIGNPOST_REFERRAL_DAYS,
        responseDays: s.SIGNPOST_RESPONSE_DAYS,
        logLevel: s.LOG_LEVEL,
        metricsToken: s.SIGNPOST_METRICS_TOKEN,
        webChat: {
            directLineSecret: s.DIRECT_LINE_SECRET,
            directLineEndpoint: s.DIRECT_LINE_ENDPOINT ?? DEFAULT_DIRECT_LINE_ENDPOINT,
            tokenSecret: s.SIGNPOST_TOKEN_SECRET,
        },
        publicUrl: s.SIGNPOST_PUBLIC_URL,
        orukApi: s.SIGNPOST_ORUK_API,
        organisation: s.SIGNPOST_ORGANISATION ?? s.SIGNPOST_SERVICE_NAME.slice(0, 32),
        privacyUrl: s.SIGNPOST_PRIVACY_URL,
        termsUrl: s.SIGNPOST_TERMS_URL,
        workspace: {
            sessionHours: s.SIGNPOST_WORKSPACE_SESSION_HOURS,
            maxFailedSignIns: s.SIGNPOST_WORKSPACE_MAX_FAILED_SIGNINS,
            lockoutMinutes: s.SIGNPOST_WORKSPACE_LOCKOUT_MINUTES,
            maxFailedSignInsPerAddress: s.SIGNPOST_WORKSPACE_MAX_FAILED_SIGNINS_PER_ADDRESS,
        },
        requests: {
            perContactPerDay: s.SIGNPOST_REQUESTS_PER_CONTACT_PER_DAY,
            perAddressPerHour: s.SIGNPOST_REQUESTS_PER_ADDRESS_PER_HOUR,
        },
        connectorHours: { ...s.SIGNPOST_CONNECTOR_HOURS, timeZone: s.SIGNPOST_CONNECTOR_TIMEZONE },
        http: {
            trustProxy: s.SIGNPOST_TRUST_PROXY,
            embedOrigins: s.SIGNPOST_EMBED_ORIGINS,
            limits: {
                maxBodyBytes: s.SIGNPOST_LIMIT_BODY_KB * 1024,
                maxActivityBytes: s.SIGNPOST_LIMIT_ACTIVITY_KB * 1024,
                maxMessageChars: s.SIGNPOST_LIMIT_MESSAGE_CHARS,
                perAddressPerMinute: s.SIGNPOST_LIMIT_REQUESTS_PER_MINUTE,
                botPerAddressPerMinute: s.SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE,
                botPerConversationPerMinute: s.SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE,
                tokensPerAddressPerMinute: s.SIGNPOST_LIMIT_TOKENS_PER_MINUTE,
                signInsPerAddressPerMinute: s.SIGNPOST_LIMIT_SIGNINS_PER_MINUTE,
                directLinePerConversationPerMinute: s.SIGNPOST_LIMIT_DIRECTLINE_CONVERSATION_PER_MINUTE,
            },
        },
        sending,
        ...(s.SIGNPOST_TEAMS_CONNECTORS_CONVERSATION
            ? { teamsConnectors: s.SIGNPOST_TEAMS_CONNECTORS_CONVERSATION } : {}),
    });
}

/** The sending adapters from the settings; a chosen adapter without what it needs stops start-up, naming it. */
function sendingSettings(s: Settings): SendingSettings {
    const problems: string[] = [];
    const need = (name: string, value: unknown, mode: string) => {
        if (!value) problems.push(`setting ${name} is needed when ${mode}`);
    };
    // Unset: the logging fake on a developer's computer; on a deployment nothing is offered until a provider is
    // chosen, since the fake would tell a resident their list went when it did not.
    const deployed = Boolean(s.MicrosoftAppId || s.SIGNPOST_WEBSITE_CHAT_ONLY);
    const emailMode = s.SIGNPOST_SEND_EMAIL ?? (deployed ? 'off' : 'log');
    const smsMode = s.SIGNPOST_SEND_SMS ?? (deployed ? 'off' : 'log');
    let email: EmailSending = { mode: emailMode === 'off' ? 'off' : 'log' };
    if (emailMode === 'acs' || emailMode === 'smtp') {
        const mode = `SIGNPOST_SEND_EMAIL is ${emailMode}`;
        need('SIGNPOST_EMAIL_FROM', s.SIGNPOST_EMAIL_FROM, mode);
        if (emailMode === 'acs') {
            need('SIGNPOST_ACS_CONNECTION_STRING', s.SIGNPOST_ACS_CONNECTION_STRING, mode);
            if (s.SIGNPOST_EMAIL_FROM && s.SIGNPOST_ACS_CONNECTION_STRING) {
                email = { mode: 'acs', from: s.SIGNPOST_EMAIL_FROM, ...s.SIGNPOST_ACS_CONNECTION_STRING };
            }
        } else {
            need('SIGNPOST_SMTP_URL', s.SIGNPOST_SMTP_URL, mode);
            if (s.SIGNPOST_EMAIL_FROM && s.SIGNPOST_SMTP_URL) {
                email = { mode: 'smtp', from: s.SIGNPOST_EMAIL_FROM, url: s.SIGNPOST_SMTP_URL };
            }
        }
    }
    let sms: SmsSending = { mode: smsMode === 'off' ? 'off' : 'log' };
    if (smsMode === 'twilio') {
        const mode = 'SIGNPOST_SEND_SMS is twilio';
        need('SIGNPOST_TWILIO_ACCOUNT_SID', s.SIGNPOST_TWILIO_ACCOUNT_SID, mode);
        need('SIGNPOST_TWILIO_AUTH_TOKEN', s.SIGNPOST_TWILIO_AUTH_TOKEN, mode);
        need('SIGNPOST_TWILIO_FROM', s.SIGNPOST_TWILIO_FROM, mode);
        if (s.SIGNPOST_TWILIO_ACCOUNT_SID && s.SIGNPOST_TWILIO_AUTH_TOKEN && s.SIGNPOST_TWILIO_FROM) {
            sms = { mode: 'twilio', accountSid: s.SIGNPOST_TWILIO_ACCOUNT_SID,
                authToken: s.SIGNPOST_TWILIO_AUTH_TOKEN, from: s.SIGNPOST_TWILIO_FROM };
        }
    }
    if (problems.length) throw new ConfigError(problems);
    // The fake sends nothing yet answers sent: on a deployment only when asked for by name (a test deployment).
    const fake = deployed && (email.mode === 'log' || sms.mode === 'log');
    return { email, sms, ...(fake ? {
        fakeOnDeployment: s.SIGNPOST_SEND_FAKE_ON_DEPLOYMENT === 'yes' ? 'allowed' as const : 'refused' as const,
    } : {}) };
}
