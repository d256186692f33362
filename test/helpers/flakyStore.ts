/**
 * A store port that can be switched off: while `down`, every method rejects as a refused connection would. For
 * unit tests of what the bot does when its database stops answering; the MongoDB tests cut a real connection
 * instead (faultProxy.ts).
 */
export interface Switch {
    down: boolean;
    /** Calls refused while down, per method name. */
    refused: Record<string, number>;
}

export function refusedConnection(): Error {
    return Object.assign(new Error('connect ECONNREFUSED (test)'), { code: 'ECONNREFUSED' });
}

/** The port with every method failing while `sw.down` (methods only; other properties pass through). */
export function flaky<T extends object>(port: T, sw: Switch): T {
    return new Proxy(port, {
        get(target, key) {
            const value: unknown = Reflect.get(target, key, target);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
                if (sw.down) {
                    sw.refused[String(key)] = (sw.refused[String(key)] ?? 0) + 1;
                    return Promise.reject(refusedConnection());
                }
                return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
            };
        },
    });
}

export function newSwitch(): Switch {
    return { down: false, refused: {} };
}
