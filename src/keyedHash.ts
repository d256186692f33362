/**
 * Keyed one-way hashes of things that identify a person (an e-mail tried at sign-in, a contact number, a client
 * address), so they can be counted and compared without being stored in clear. The key is kept outside the
 * database (the data folder's Direct Line signing key, or SIGNPOST_TOKEN_SECRET), so a copy of the database alone
 * cannot be searched by guessing: a UK phone number has only about 10^9 values, and an unkeyed hash of one is
 * reversed in seconds.
 */
import { createHmac } from 'node:crypto';

/** Hashes values for one purpose each, so the same text hashed for two purposes gives two unrelated keys. */
export class KeyedHasher {
    private readonly key: Buffer;

    /** `secret`: the installation's secret; the hashing key is derived from it, never the secret itself. */
    constructor(secret: Buffer) {
        this.key = createHmac('sha256', secret).update('signpost keyed hashes v1').digest();
    }

    /** A short, stable, keyed hash of `value` for `purpose` (base64url, 32 characters: 192 bits). */
    hash(purpose: string, value: string): string {
        return createHmac('sha256', this.key).update(`${purpose}\0${value}`).digest('base64url').slice(0, 32);
    }
}
