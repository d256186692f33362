/**
 * Structured logs: one JSON line per event, ids and event names only. Callers must never pass message text,
 * names, phone numbers, e-mail addresses or postcodes; `fields` accepts only numbers, booleans and ids.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
    debug(event: string, fields?: LogFields): void;
    info(event: string, fields?: LogFields): void;
    warn(event: string, fields?: LogFields): void;
    error(event: string, fields?: LogFields): void;
}

/** A logger writing JSON lines to the given sink (stdout by default). */
export function createLogger(level: LogLevel, sink: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
    const min = ORDER[level];
    const emit = (lvl: LogLevel, event: string, fields?: LogFields) => {
        if (ORDER[lvl] < min) return;
        sink(JSON.stringify({ time: new Date().toISOString(), level: lvl, event, ...fields }));
    };
    return {
        debug: (e, f) => emit('debug', e, f),
        info: (e, f) => emit('info', e, f),
        warn: (e, f) => emit('warn', e, f),
        error: (e, f) => emit('error', e, f),
    };
}

/** Names an error for a log line without its message, which may quote what a resident typed. */
export function errorKind(err: unknown): string {
    return err instanceof Error ? err.name : typeof err;
}
