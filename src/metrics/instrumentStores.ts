/**
 * A decorator for any storage adapter: every port method that throws or rejects is reported (port and method
 * name), then the error goes on to the caller unchanged. It knows nothing of the ports' shapes, so it works for
 * the embedded adapter, MongoDB and any other.
 */

/** Told of each failed call: the port's name on the stores object (`escalations`), the method, the error. */
export type StoreErrorListener = (store: string, operation: string, err: unknown) => void;

/**
 * Wraps a stores object: its methods (`sweep`, `close`, reported as store `stores`) and the methods of each object
 * it holds (the ports). Other properties (`kind`) pass through. The same wrapper is returned on every access, so
 * a port handed to botbuilder's ConversationState stays one object.
 */
export function instrumentStores<T extends object>(stores: T, onError: StoreErrorListener): T {
    const ports = new Map<string, { of: unknown; wrapper: object }>();
    const methods = new Map<string, { of: unknown; wrapper: unknown }>();
    return new Proxy(stores, {
        get(target, key) {
            const value: unknown = Reflect.get(target, key, target);
            if (typeof key !== 'string') return value;
            if (typeof value === 'function') {
                return cached(methods, key, value, () => reporting(value as Method, target, 'stores', key, onError));
            }
            if (value && typeof value === 'object') {
                return cached(ports, key, value, () => instrumentPort(value, key, onError));
            }
            return value;
        },
    });
}

type Method = (...args: unknown[]) => unknown;

function instrumentPort<P extends object>(port: P, name: string, onError: StoreErrorListener): P {
    const methods = new Map<string, { of: unknown; wrapper: unknown }>();
    return new Proxy(port, {
        get(target, key) {
            const value: unknown = Reflect.get(target, key, target);
            if (typeof key !== 'string' || typeof value !== 'function') return value;
            return cached(methods, key, value, () => reporting(value as Method, target, name, key, onError));
        },
    });
}

/** The method bound to its own object (adapters may keep private fields), reporting a throw or a rejection. */
function reporting(method: Method, self: object, store: string, operation: string, onError: StoreErrorListener) {
    return (...args: unknown[]): unknown => {
        let result: unknown;
        try {
            result = Reflect.apply(method, self, args);
        } catch (err) {
            onError(store, operation, err);
            throw err;
        }
        if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
            return (result as PromiseLike<unknown>).then(undefined, (err: unknown) => {
                onError(store, operation, err);
                throw err;
            });
        }
        return result;
    };
}

/** The wrapper made for this key's current value (made again if the property was replaced). */
function cached<V>(map: Map<string, { of: unknown; wrapper: V }>, key: string, of: unknown, make: () => V): V {
    let entry = map.get(key);
    if (!entry || entry.of !== of) map.set(key, (entry = { of, wrapper: make() }));
    return entry.wrapper;
}
