/**
 * Composition root: reads configuration, builds the app, starts the HTTP server. Wiring only.
 */
import { openApp } from './app';
import { ConfigError, exposureProblem, loadConfig, type Config } from './config';
import { KnowledgeError } from './knowledge/faults';
import { errorKind, type Logger } from './log';
import { DirectLineEndpoint } from './channels/directline/endpoint';
import { TokenSigner, loadSigningKey } from './channels/directline/tokens';
import { createServer } from './server/createServer';
import { clientAddress, directLineLimits } from './server/limits';
import { httpProtection } from './server/security';
import { orukSource } from './server/oruk';

/** Starts Signpost. Resolves once the server listens. */
export async function main(): Promise<void> {
    let app;
    try {
        const config = loadConfig();
        const exposed = exposureProblem(config);
        if (exposed) throw new ConfigError([exposed]);
        // The importer's review checks, for the curation queue: only this way in may import the importer, and it is
        // loaded when a curator first opens the queue, so starting the server never waits for it.
        app = await openApp(config, {
            review: async (records, today) => (await import('./import/review.js')).reviewFlagsOf(records, today),
        });
    } catch (err) {
        if (err instanceof ConfigError || err instanceof KnowledgeError) {
            process.stderr.write(`${err.message}\n`);
            process.exit(1);
        }
        throw err;
    }
    const { config, log, stores } = app;
    guardProcess(log);
    if (config.auth.insecureDev) {
        // Said at every start, to whoever reads the logs and to whoever started it by hand.
        log.warn('server.insecure_dev', { host: config.host });
        process.stderr.write(`Warning: SIGNPOST_INSECURE_DEV is on and MicrosoftAppId is not set: anyone who can reach `
            + `${config.host}:${config.port} can talk to the bot as any channel and have its replies sent anywhere. `
            + 'For a trial on a private network only, never with real residents.\n');
    }
    // Built with the app (appAdapters in app.ts): the website chat's conversations are kept apart from
    // /api/messages even in Azure mode (older chats remain), and the relay and notifier already send through them.
    const adapter = app.adapters.cloud;

    // Conversations go after SIGNPOST_STATE_DAYS; closed requests for contact after SIGNPOST_REFERRAL_DAYS.
    const retention = { stateDays: config.stateDays, referralDays: config.referralDays };
    const swept = await stores.sweep(retention);
    const sweeper = setInterval(() => {
        stores.sweep(retention).catch(() => log.error('store.sweep_failed'));
    }, 3_600_000);
    sweeper.unref();

    // The website chat: Azure Direct Line when its secret is set, else our own endpoint on this server.
    const azure = config.webChat.directLineSecret
        ? { secret: config.webChat.directLineSecret, endpoint: config.webChat.directLineEndpoint }
        : undefined;
    const directLine = azure || !app.adapters.directLine ? undefined : new DirectLineEndpoint({
        store: stores.directLine,
        adapter: app.adapters.directLine,
        signer: new TokenSigner(loadSigningKey(config.dataDir, config.webChat.tokenSecret)),
        bot: app.bot,
        log,
        botName: config.serviceName,
        publicUrl: config.publicUrl,
        trustProxy: config.http.trustProxy,
        limits: directLineLimits(config.http.limits),
        clientKey: (req) => app.hasher.hash('client-address', clientAddress(req, config.http.trustProxy)),
        presence: app.relay,
    });
    const server = createServer({
        adapter, bot: app.bot, log, storeKind: stores.kind,
        web: {
            wording: app.knowledge.wording, serviceName: config.serviceName, stateDays: config.stateDays,
            quickExitUrl: config.quickExitUrl, directLine, azure,
        },
        workspace: app.workspace,
        protection: httpProtection(config),
        metrics: { registry: app.metrics.registry, token: config.metricsToken },
        oruk: config.orukApi ? orukSource(app.knowledge, app.engine, app.curation) : undefined,
    });
    await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
    log.info('server.started', {
        host: config.host,
        port: config.port,
        store: stores.kind,
        auth: config.auth.websiteChatOnly ? 'closed (website chat only)'
            : config.auth.appId ? 'bot-framework'
                : config.auth.insecureDev ? 'none (SIGNPOST_INSECURE_DEV)' : 'none (this computer only)',
        webChat: azure ? 'azure-direct-line' : 'built-in-direct-line',
        opportunities: app.knowledge.opportunities.length,
        sweptConversations: swept,
    });

    // A person at a terminal gets one plain line; the JSON lines above are for machines and stay as they are.
    if (process.stdout.isTTY) {
        const accounts = await stores.users.list().then((users) => users.length, () => 1);
        process.stdout.write(readyLine(config, accounts));
    }

    // Reminders and check-ins: each instance looks for due ones; the store's claims keep two from sending one.
    if (config.followupSeconds > 0) app.followup.start();

    const shutdown = (signal: string) => {
        log.info('server.stopping', { signal });
        void app.followup.stop();
        directLine?.close();
        // Open workspace streams would hold the server open: they are told, and closed.
        app.workspace.live?.close();
        server.close(() => {
            void app.close().finally(() => process.exit(0));
        });
        setTimeout(() => process.exit(0), 5000).unref();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
}

/** The first account's command, as a checkout runs it (README, Workspace). */
const FIRST_ACCOUNT = 'npm run --silent signpost -- users add --email EMAIL --name NAME --role lead';

/**
 * The one plain line a person who started the server in a terminal reads: where the chat page and the connectors'
 * workspace are, and, while there is no account, how to make the first one (the workspace has no sign-up page).
 */
export function readyLine(where: Pick<Config, 'host' | 'port' | 'publicUrl'>, accounts: number): string {
    let base = where.publicUrl?.replace(/\/+$/, '');
    if (!base) {
        const local = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(where.host);
        const host = local ? 'localhost' : where.host.includes(':') ? `[${where.host}]` : where.host;
        base = `http://${host}:${where.port}`;
    }
    const first = accounts > 0 ? ''
        : ` No workspace accounts yet: make the first with ${FIRST_ACCOUNT} (it asks for the password).`;
    return `Signpost is ready: the chat page is at ${base}/ and the connectors' workspace at ${base}/workspace.`
        + `${first} Ctrl+C stops it.\n`;
}

/**
 * What happens to an error nothing else caught. A rejected promise nobody awaited is one failed task: logged (its
 * kind only; messages can hold what a resident wrote) and the server keeps serving. An uncaught exception (an
 * 'error' event with no listener, a throw in a timer) may have left state half-changed, so, as Node advises, the
 * process logs one line and exits; the container's restart policy or App Service's health check starts it again
 * (docs/deploy.md). Node's own handling would print the whole error, message and stack, to stderr.
 */
export function guardProcess(log: Logger): void {
    process.on('unhandledRejection', (reason) => {
        log.error('process.unhandled_rejection', { error: errorKind(reason) });
    });
    process.on('uncaughtException', (err, origin) => {
        log.error('process.uncaught_exception', { error: errorKind(err), origin });
        process.exit(1);
    });
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`Signpost could not start: ${(err as Error).message}\n`);
        process.exit(1);
    });
}
