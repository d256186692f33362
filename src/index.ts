/**
 * Composition root: reads configuration, builds the app, starts the HTTP server. Wiring only.
 */
import { CloudAdapter } from 'botbuilder';
import { openApp } from './app';
import { ConfigError, loadConfig } from './config';
import { KnowledgeError } from './knowledge/faults';
import { DirectLineEndpoint } from './channels/directline/endpoint';
import { TokenSigner, loadSigningKey } from './channels/directline/tokens';
import { createServer } from './server/createServer';
import { clientAddress, directLineLimits } from './server/limits';
import { botAuthentication, httpProtection } from './server/security';

/** Starts Signpost. Resolves once the server listens. */
export async function main(): Promise<void> {
    let app;
    try {
        const config = loadConfig();
        app = await openApp(config);
    } catch (err) {
        if (err instanceof ConfigError || err instanceof KnowledgeError) {
            process.stderr.write(`${err.message}\n`);
            process.exit(1);
        }
        throw err;
    }
    const { config, log, stores } = app;
    const adapter = new CloudAdapter(botAuthentication(config.auth));
    adapter.onTurnError = app.onTurnError;

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
    const directLine = azure ? undefined : new DirectLineEndpoint({
        store: stores.directLine,
        signer: new TokenSigner(loadSigningKey(config.dataDir, config.webChat.tokenSecret)),
        bot: app.bot,
        onTurnError: app.onTurnError,
        log,
        botName: config.serviceName,
        publicUrl: config.publicUrl,
        limits: directLineLimits(config.http.limits),
        clientKey: (req) => app.hasher.hash('client-address', clientAddress(req, config.http.trustProxy)),
    });
    // A connector's replies go out through the same adapters the resident's messages came in on.
    app.relay.connect({ cloud: { adapter, appId: config.auth.appId ?? '' }, directLine: directLine?.adapter });
    app.notifier?.connect(adapter, config.auth.appId ?? '');
    const server = createServer({
        adapter, bot: app.bot, log, storeKind: stores.kind,
        web: {
            wording: app.knowledge.wording, serviceName: config.serviceName, stateDays: config.stateDays,
            directLine, azure,
        },
        workspace: app.workspace,
        protection: httpProtection(config),
        metrics: { registry: app.metrics.registry, token: config.metricsToken },
    });
    await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
    log.info('server.started', {
        port: config.port,
        store: stores.kind,
        auth: config.auth.appId ? 'bot-framework' : 'none (local only)',
        webChat: azure ? 'azure-direct-line' : 'built-in-direct-line',
        opportunities: app.knowledge.opportunities.length,
        sweptConversations: swept,
    });

    const shutdown = (signal: string) => {
        log.info('server.stopping', { signal });
        directLine?.close();
        server.close(() => {
            void app.close().finally(() => process.exit(0));
        });
        setTimeout(() => process.exit(0), 5000).unref();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`Signpost could not start: ${(err as Error).message}\n`);
        process.exit(1);
    });
}
