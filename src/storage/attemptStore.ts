/** The attempt counts port: lockouts and limits shared by every instance. */

/** A key's count of attempts in its current window, and when that window closes (ms since the epoch). */
export interface AttemptCount {
    count: number;
    /** When the count goes back to 0; 0 when there is no open window. */
    resetAtMs: number;
}

/**
 * Counts attempts per key in a window, shared by every instance: failed workspace sign-ins per e-mail and per
 * address, requests for contact per contact detail and per address. Keys are keyed hashes made by the caller (never
 * an e-mail, number or address in clear). A window opens at a key's first attempt and lasts `windowMs`; an attempt
 * after it has closed opens a new one (count 1), so a count always ends. Windows are removed by the sweep once they
 * have closed.
 */
export interface AttemptStore {
    /**
     * Counts one attempt (one atomic step). When the count reaches `hold.at`, the window is held open until
     * `nowMs + hold.ms` (a lockout that lasts its full time from the attempt that caused it).
     */
    add(key: string, nowMs: number, windowMs: number, hold?: { at: number; ms: number }): Promise<AttemptCount>;
    /** The key's count now (0 when its window has closed). */
    get(key: string, nowMs: number): Promise<AttemptCount>;
    /** Forgets the key's count (a lead unlocked an account). True when there was one. */
    clear(key: string): Promise<boolean>;
}
