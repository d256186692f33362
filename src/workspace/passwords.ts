/**
 * Password hashing with scrypt (memory-hard, in Node's crypto, no native add-on). The cost parameters are stored
 * in each hash, so they can be raised later and old hashes still verify.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** 2^15 blocks of 1 KiB (r=8): 32 MiB and about 50-100 ms per hash on a small server. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
/** Shortest password accepted: long enough to resist guessing, short enough to remember (NCSC: three words). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted: hashing has to stay cheap for anyone who sends a huge one. */
export const MAX_PASSWORD_LENGTH = 200;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
    return new Promise((resolve, reject) => {
        scryptCallback(password, salt, KEY_BYTES, { ...options, maxmem: 256 * options.N! * options.r! }, (err, key) =>
            err ? reject(err) : resolve(key));
    });
}

/** A storable hash: "scrypt$N$r$p$salt$key" (salt and key in base64url). */
export async function hashPassword(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password, salt, COST);
    return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when the password matches the stored hash; false for any malformed hash. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
    const [kind, n, r, p, salt, key] = stored.split('$');
    if (kind !== 'scrypt' || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64url');
    const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Why a new password is not acceptable, or undefined when it is. Said to the person setting it. */
export function passwordProblem(password: string): string | undefined {
    if (password.length < MIN_PASSWORD_LENGTH) {
        return `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
    }
    if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
    return undefined;
}

/** A hash of nothing, verified against when an email is unknown, so the answer takes as long either way. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
    return (decoy ??= hashPassword(randomBytes(16).toString('hex')));
}
