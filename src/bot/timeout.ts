/**
 * Waiting on the store for a limited time, in one place. A turn must never hang on a store that does not answer: the
 * relay check (is a connector in this chat?) and the urgent raise after crisis routes both wait a bounded time and
 * then carry on, and they share this helper rather than two copies of Promise.race with their own timers.
 */

/** What came of a bounded wait: the value, or nothing in time. */
export type Waited<T> = { done: true; value: T } | { done: false };

/**
 * Waits for `work` at most `ms` milliseconds. Its value when it comes in time; `{ done: false }` when not (the work
 * goes on by itself, and a failure it has later is ignored here, not left unhandled); its failure when it fails in
 * time. The timer is cleared either way, so nothing keeps the process up.
 */
export async function withinTime<T>(work: Promise<T>, ms: number): Promise<Waited<T>> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Waited<T>>((resolve) => {
        timer = setTimeout(() => resolve({ done: false }), ms);
    });
    try {
        return await Promise.race([work.then((value): Waited<T> => ({ done: true, value })), late]);
    } finally {
        clearTimeout(timer);
        work.catch(() => undefined);
    }
}
