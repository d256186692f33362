/**
 * botbuilder writes to the console on its own in a few places (botframework-connector's JwtTokenExtractor prints
 * every expired or forged token it refuses, with its stack and the signing keys), outside LOG_LEVEL: anyone could
 * fill the logs by sending bad tokens. `quietly` runs a piece of work with the console muted for that work alone
 * (its async context), so what it would have printed is dropped there and the caller logs one line of its own.
 * Everything else keeps its console: this never silences the process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const muted = new AsyncLocalStorage<true>();
const METHODS = ['error', 'warn', 'log', 'info', 'debug', 'trace'] as const;

/** Wraps each console method once: inside `quietly`, nothing is written; anywhere else the call goes through. */
function install(): void {
    for (const method of METHODS) {
        const original = console[method] as (...args: unknown[]) => void;
        if ((original as { signpostQuiet?: boolean }).signpostQuiet) continue;
        const wrapped = function (this: Console, ...args: unknown[]): void {
            if (muted.getStore()) return;
            original.apply(this, args);
        };
        console[method] = Object.assign(wrapped, { signpostQuiet: true });
    }
}

install();

/** Runs `work` with the console muted for it (and whatever it starts), and for nothing else. */
export function quietly<T>(work: () => Promise<T>): Promise<T> {
    install();
    return muted.run(true, work);
}
