/**
 * Tokens for the self-hosted Direct Line endpoint: compact JWTs (HS256) that bind one conversation and one
 * resident id, as Direct Line's own tokens do, so a page can only ever read and write its own conversation.
 * Clients such as botframework-directlinejs read the `user` claim to learn the resident's id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FILE_MODE, FOLDER_MODE, privateFolder, restrictMode } from '../../storage/files';

/** How long a token lasts, in seconds (as Direct Line: clients refresh at half of it). */
export const TOKEN_LIFETIME_SECONDS = 1800;

export interface TokenClaims {
    /** The conversation the token opens. */
    conv: string;
    /** The resident's id in it; "dl_" marks ids bound into a token, as Direct Line does. */
    user: string;
    iat: number;
    exp: number;
}

/** Why a token was refused: missing or forged (401), or no longer valid (403). */
export type TokenProblem = 'invalid' | 'expired';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export class TokenSigner {
    constructor(private readonly key: Buffer, private readonly now: () => number = () => Date.now()) {
        if (key.length < 32) throw new Error('The Direct Line signing key must be at least 32 bytes');
    }

    /** A new token for a conversation and resident, valid for TOKEN_LIFETIME_SECONDS. */
    issue(conv: string, user: string): { token: string; claims: TokenClaims } {
        const iat = Math.floor(this.now() / 1000);
        const claims: TokenClaims = { conv, user, iat, exp: iat + TOKEN_LIFETIME_SECONDS };
        const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
        return { token: `${body}.${this.sign(body)}`, claims };
    }

    /** The claims of a genuine, unexpired token; otherwise why not. */
    verify(token: string): TokenClaims | TokenProblem {
        const parts = token.split('.');
        if (parts.length !== 3 || parts[0] !== HEADER) return 'invalid';
        const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
        const given = Buffer.from(parts[2]);
        if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
        let claims: TokenClaims;
        try {
            claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
        } catch {
            return 'invalid';
        }
        if (typeof claims.conv !== 'string' || typeof claims.user !== 'string' || typeof claims.exp !== 'number') {
            return 'invalid';
        }
        return claims.exp * 1000 <= this.now() ? 'expired' : claims;
    }

    /** True when `candidate` is the signing secret itself (a server-side client using it as a Direct Line secret). */
    isSecret(candidate: string): boolean {
        const given = Buffer.from(candidate);
        const secret = Buffer.from(this.key.toString('base64url'));
        return given.length === secret.length && timingSafeEqual(given, secret);
    }

    private sign(body: string): string {
        return createHmac('sha256', this.key).update(body).digest('base64url');
    }
}

/**
 * The signing key: the configured one, or one generated once and kept in the data folder (readable by its owner
 * only, like the folder; a key file an older version left readable is tightened), so tokens stay valid across
 * restarts and across instances sharing the folder.
 */
export function loadSigningKey(dataDir: string, configured?: string): Buffer {
    if (configured) return Buffer.from(configured, 'utf8');
    const file = path.join(dataDir, 'directline-signing-key');
    try {
        const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
        // With MongoDB nothing else opens the folder, so the key tightens it too.
        restrictMode(dataDir, FOLDER_MODE);
        restrictMode(file, FILE_MODE);
        return key;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    privateFolder(dataDir);
    const key = randomBytes(32);
    try {
        fs.writeFileSync(file, key.toString('base64url') + '\n', { mode: FILE_MODE, flag: 'wx' });
        // The mode given to open is cut by the umask; this makes it exactly owner read and write.
        restrictMode(file, FILE_MODE);
        return key;
    } catch (err) {
        // Another instance wrote it first: use theirs.
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
            return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
        }
        throw err;
    }
}
