/**
 * Bot Framework tokens for tests: Microsoft's OpenID metadata and signing keys served on 127.0.0.1 (so a test never
 * reaches the internet and decides itself which key is trusted), and JWTs signed as Azure Bot Service signs them.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer of tokens that Azure Bot Service's channels send to a bot. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

/** The metadata and key server; `url` is what botAuthentication takes as the OpenID metadata address. */
export async function keyServer(trusted: { kid: string; key: KeyObject }) {
    const jwk = trusted.key.export({ format: 'jwk' });
    const server = http.createServer((req, res) => {
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
