/**
 * Structured logs (pino): one JSON line per event, ids and event names only. Callers must never pass message text,
 * names, phone numbers, e-mail addresses or postcodes; `fields` accepts only numbers, booleans and ids.
 *
 * Every line also carries the correlation ids of the work it belongs to (the HTTP request, the bot turn), taken
 * from AsyncLocalStorage, so code deep inside a turn logs with them without being handed them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
    debug(event: string, fields?: LogFields): void;
    info(event: string, fields?: LogFields): void;
    warn(event: string, fields?: LogFields): void;
    error(event: string, fields?: LogFields): void;
}

/** The ids that tie log lines together: the HTTP request's (also in its X-Request-Id header) and the bot turn's. */
export interface Correlation {
    requestId?: string;
    turnId?: string;
}

const correlation = new AsyncLocalStorage<Correlation>();

/**
 * Runs `fn` with these correlation ids added to every log line written inside it, including from callbacks and
 * promises it starts. Ids already in force (a turn inside a request) are kept.
 */
export function withCorrelation<T>(ids: Correlation, fn: () => T): T {
    return correlation.run({ ...correlation.getStore(), ...ids }, fn);
}

/** The correlation ids in force here, if any. */
export function currentCorrelation(): Correlation {
    return correlation.getStore() ?? {};
}

/**
 * A logger writing JSON lines to the given sink (stdout by default). Lines look like
 * `{"level":"info","time":"2025-01-01T10:00:00.000Z","requestId":"…","turnId":"…","channel":"sms","event":"turn"}`.
 */
export function createLogger(level: LogLevel, sink?: (line: string) => void): Logger {
    const destination: pino.DestinationStream = sink
        ? { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) }
        // Synchronous, as plain stdout writes were: a line written just before the process exits is not lost.
        : pino.destination({ dest: 1, sync: true });
    const logger = pino({
        level,
        base: undefined,
        messageKey: 'event',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => ({ ...correlation.getStore() }),
    }, destination);
    return {
        debug: (event, fields) => logger.debug(fields ?? {}, event),
        info: (event, fields) => logger.info(fields ?? {}, event),
        warn: (event, fields) => logger.warn(fields ?? {}, event),
        error: (event, fields) => logger.error(fields ?? {}, event),
    };
}

/** Names an error for a log line without its message, which may quote what a resident typed. */
export function errorKind(err: unknown): string {
    return err instanceof Error ? err.name : typeof err;
}

/**
 * An error's stack for a debug line: its name and the frames (where in the code), without its message, which may
 * quote what a resident typed or a document's key (an SMS conversation's key is a phone number). Only the name when
 * the stack does not start as V8 writes it (the message could not be told apart from the frames then).
 */
export function stackFrames(err: unknown): string | undefined {
    if (!(err instanceof Error)) return undefined;
    const stack = typeof err.stack === 'string' ? err.stack : '';
    // V8 writes "Name: message" (or just the name, with no message), then one "    at ..." line per frame.
    const header = err.message ? `${err.name}: ${err.message}\n` : `${err.name}\n`;
    if (!stack.startsWith(header)) return err.name;
    return `${err.name}\n${stack.slice(header.length)}`;
}
