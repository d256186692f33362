/** A small server-sent events client for tests: what a browser's EventSource reads, as it arrives. */

/** One event as the stream gave it (a comment has the name ':' and its text as data). */
export interface SseEvent {
    id?: string;
    event: string;
    data: string;
}

/** An open stream, or the refusal it got. */
export interface SseStream {
    status: number;
    contentType: string | null;
    /** The refusal's JSON body, when the status is not 200. */
    body?: Record<string, any>;
    events: SseEvent[];
    /** True once the server ended the response. */
    ended: boolean;
    /** Waits for the first event (from the start) with this name and passing `match`; fails after `ms`. */
    next(name: string, ms?: number, match?: (e: SseEvent) => boolean): Promise<SseEvent>;
    /** Waits until the server ends the response; fails after `ms`. */
    closed(ms?: number): Promise<void>;
    close(): void;
}

/** Opens GET /workspace/api/events with this cookie (and Last-Event-ID) and reads it in the background. */
export async function openStream(base: string, cookie: string, lastEventId?: string): Promise<SseStream> {
    const abort = new AbortController();
    const res = await fetch(`${base}/workspace/api/events`, {
        headers: { accept: 'text/event-stream', ...(cookie ? { cookie } : {}),
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: abort.signal,
    });
    const stream: SseStream = {
        status: res.status, contentType: res.headers.get('content-type'), events: [], ended: false,
        async next(name, ms = 10_000, match = () => true) {
            const deadline = Date.now() + ms;
            for (;;) {
                const found = stream.events.find((e) => e.event === name && match(e));
                if (found) return found;
                if (Date.now() > deadline) {
                    throw new Error(`No '${name}' event within ${ms} ms; had ${JSON.stringify(stream.events)}`);
                }
                await new Promise((resolve) => setTimeout(resolve, 25));
            }
        },
        async closed(ms = 10_000) {
            const deadline = Date.now() + ms;
            while (!stream.ended) {
                if (Date.now() > deadline) throw new Error(`The stream was still open after ${ms} ms`);
                await new Promise((resolve) => setTimeout(resolve, 25));
            }
        },
        close: () => abort.abort(),
    };
    if (res.status !== 200) {
        stream.body = await res.json() as Record<string, any>;
        stream.ended = true;
        return stream;
    }
    void (async () => {
        const decoder = new TextDecoder();
        let buffer = '';
        try {
            for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
                buffer += decoder.decode(chunk, { stream: true });
                let cut: number;
                while ((cut = buffer.indexOf('\n\n')) >= 0) {
                    const block = buffer.slice(0, cut);
                    buffer = buffer.slice(cut + 2);
                    const e: SseEvent = { event: 'message', data: '' };
                    for (const line of block.split('\n')) {
                        if (line.startsWith(':')) Object.assign(e, { event: ':', data: line.slice(1).trim() });
                        else if (line.startsWith('id: ')) e.id = line.slice(4);
                        else if (line.startsWith('event: ')) e.event = line.slice(7);
                        else if (line.startsWith('data: ')) e.data = line.slice(6);
                        else if (line.startsWith('retry: ')) Object.assign(e, { event: 'retry', data: line.slice(7) });
                    }
                    stream.events.push(e);
                }
            }
        } catch {
            // Aborted by close().
        }
        stream.ended = true;
    })();
    return stream;
}
