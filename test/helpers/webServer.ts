/**
 * The real server with the website chat, over real HTTP on 127.0.0.1: self-hosted Direct Line by default, or Azure
 * mode against a fake Direct Line token service. The app (and its SQLite file) can be kept to restart on it.
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type restify from 'restify';
import WebSocket from 'ws';
import { DirectLineEndpoint, type DirectLineLimits } from '../../src/channels/directline/endpoint';
import { TokenSigner } from '../../src/channels/directline/tokens';
import { createServer } from '../../src/server/createServer';
import type { AzureDirectLine } from '../../src/server/webChat';
import { clientAddress } from '../../src/server/limits';
import { httpProtection } from '../../src/server/security';
import { orukSource } from '../../src/server/oruk';
import { testApp, type TestApp } from './app';

export interface WebServer {
    app: TestApp;
    url: string;
    server: restify.Server;
    endpoint?: DirectLineEndpoint;
    signer: TokenSigner;
    /** The signing key, to forge tokens that are genuine but expired. */
    signerKeyForTests(): Buffer;
    /** Stops the server; the app stays open unless `dispose` is true. */
    stop(options?: { dispose?: boolean }): Promise<void>;
}

export async function startWebServer(options: {
    app?: TestApp;
    key?: Buffer;
    limits?: Partial<DirectLineLimits>;
    azure?: AzureDirectLine;
    now?: () => Date;
    /** Serve the directory as Open Referral UK at /oruk, as SIGNPOST_ORUK_API=on does. */
    oruk?: boolean;
} = {}): Promise<WebServer> {
    // In Azure mode the app has no built-in website chat adapter, as with DIRECT_LINE_SECRET set.
    const app = options.app ?? testApp(options.azure ? { env: { DIRECT_LINE_SECRET: options.azure.secret } } : {});
    const key = options.key ?? randomBytes(32);
    const signer = new TokenSigner(key, options.now ? () => options.now!().getTime() : undefined);
    // As src/index.ts: the app's adapters (the settings' authentication, the website chat's conversations kept apart).
    const adapter = app.adapters.cloud;
    const endpoint = options.azure || !app.adapters.directLine ? undefined : new DirectLineEndpoint({
        store: app.stores.directLine, signer, bot: app.bot, adapter: app.adapters.directLine, log: app.log,
        botName: app.config.serviceName, limits: options.limits, now: options.now,
        publicUrl: app.config.publicUrl, trustProxy: app.config.http.trustProxy,
        // As src/index.ts: the connection's address, as a keyed hash.
        clientKey: (req) => app.hasher.hash('client-address', clientAddress(req, app.config.http.trustProxy)),
        presence: app.relay,
    });
    const server = createServer({
        adapter, bot: app.bot, log: app.log, storeKind: app.stores.kind,
        web: {
            wording: app.knowledge.wording, serviceName: app.config.serviceName, stateDays: app.config.stateDays,
            quickExitUrl: app.config.quickExitUrl, directLine: endpoint, azure: options.azure,
        },
        workspace: app.workspace,
        protection: httpProtection(app.config),
        metrics: { registry: app.metrics.registry, token: app.config.metricsToken },
        oruk: options.oruk ? orukSource(app.knowledge, app.engine, app.curation) : undefined,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        app, url, server, endpoint, signer,
        signerKeyForTests: () => key,
        stop: async ({ dispose = true } = {}) => {
            endpoint?.close();
            app.workspace.live?.close();
            await new Promise<void>((resolve) => server.close(() => resolve()));
            if (dispose) await app.dispose();
        },
    };
}

/** A token from the page's token route, as the page gets it. */
export async function pageToken(url: string): Promise<{ conversationId: string; token: string; expires_in: number }> {
    const res = await fetch(`${url}/api/directline/token`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    });
    if (!res.ok) throw new Error(`token route answered ${res.status}`);
    return await res.json() as { conversationId: string; token: string; expires_in: number };
}

/** Opens a built-in Direct Line conversation as the page does (token, then POST /conversations); 201 or throws. */
export async function openConversation(url: string): Promise<{ conversationId: string; token: string }> {
    const { token, conversationId } = await pageToken(url);
    const res = await fetch(`${url}/v3/directline/conversations`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}',
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`opening a conversation answered ${res.status}`);
    return { token, conversationId };
}

/** The HTTP status a WebSocket upgrade to `url` was refused with, 101 when it opened, 0 when nothing answered. */
export function upgradeStatus(url: string): Promise<number> {
    return new Promise((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
        });
        ws.on('open', () => {
            resolve(101);
            ws.close();
        });
        ws.on('error', () => resolve(0));
    });
}
