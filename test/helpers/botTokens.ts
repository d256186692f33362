/**
 * Bot Framework tokens for tests: Microsoft's OpenID metadata and signing keys served on 127.0.0.1 (so a test never
 * reaches the internet and decides itself which key is trusted), and JWTs signed as Azure Bot Service signs them.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import type { Logger } from '../../src/log';
import { botAdapter } from '../../src/server/botAdapter';
import { createServer } from '../../src/server/createServer';
import { httpProtection, type ServerProtection } from '../../src/server/security';
import { testApp, type TestApp } from './app';

/** The issuer of tokens that Azure Bot Service's channels send to a bot. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

/** What a test may make the key server do. */
export interface KeyServerOptions {
    /** Called when a request arrives (the bot is checking a token). */
    asked?: () => void;
    /** Answers wait for this (a token check that takes its time). */
    hold?: Promise<void>;
}

/** The metadata and key server; `url` is what botAuthentication takes as the OpenID metadata address. */
export async function keyServer(trusted: { kid: string; key: KeyObject }, options: KeyServerOptions = {}) {
    const jwk = trusted.key.export({ format: 'jwk' });
    const server = http.createServer(async (req, res) => {
        options.asked?.();
        await options.hold;
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        if (req.url === '/keys') {
            res.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: trusted.kid, n: jwk.n, e: jwk.e,
                endorsements: ['msteams', 'sms', 'webchat', 'directline', 'emulator'] }] }));
        } else {
            res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys`,
                id_token_signing_alg_values_supported: ['RS256'] }));
        }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
    return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A JWT signed with RS256 by `key` for the bot `appId`, with the channel's serviceUrl claim. */
export function channelToken(key: KeyObject, kid: string, appId: string, serviceUrl: string,
    claims: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part({
        iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600,
        ...claims,
    })}`;
    return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

/** The bot's app id in these tests. */
export const APP_ID = '00000000-1111-2222-3333-444444444444';

/** A Signpost server with MicrosoftAppId set, listening on 127.0.0.1, checking tokens against a local key server. */
export interface BotServer {
    url: string;
    app: TestApp;
    server: restify.Server;
    /** The key pair the Bot Framework publishes (kid `trusted-key`). */
    trusted: ReturnType<typeof rsa>;
    /** `Bearer <token>` as the channel at `serviceUrl` sends it, signed by the trusted key. */
    genuine(serviceUrl: string, claims?: Record<string, unknown>): string;
    close(): Promise<void>;
}

/**
 * Starts the server exactly as src/index.ts builds it (botAdapter, createServer with the configured protection),
 * with MicrosoftAppId set and the OpenID metadata served locally.
 */
export async function startBotServer(options: {
    env?: Record<string, string>;
    log?: Logger;
    protection?: Partial<ServerProtection>;
    keys?: KeyServerOptions;
} = {}): Promise<BotServer> {
    const trusted = rsa();
    const keys = await keyServer({ kid: 'trusted-key', key: trusted.publicKey }, options.keys);
    const env = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-no-reply-is-sent', ...options.env };
    const app = testApp({ env, log: options.log });
    const adapter = botAdapter(app.config.auth, { log: app.log, websiteChats: app.stores.directLine, endpoints: {
        ToBotFromChannelOpenIdMetadataUrl: keys.url, ToBotFromEmulatorOpenIdMetadataUrl: keys.url,
    } });
    adapter.onTurnError = app.onTurnError;
    const server = createServer({
        adapter, bot: app.bot, log: app.log, storeKind: app.stores.kind,
        protection: { ...httpProtection(app.config), ...options.protection },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        app, server, trusted,
        genuine: (serviceUrl, claims) => `Bearer ${channelToken(trusted.privateKey, 'trusted-key', APP_ID,
            serviceUrl, claims)}`,
        async close() {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await keys.close();
            await app.dispose();
        },
    };
}
