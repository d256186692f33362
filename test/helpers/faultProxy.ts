/**
 * A real network fault for tests: a TCP proxy (node:net) between the bot and its database. `cut()` destroys every
 * open connection and refuses new ones, as a database that went away does; `restore()` lets connections through
 * again. It knows nothing of the protocol, so it works for any MONGODB_URI: `uriThrough` points the URI at it.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type FaultMode =
    /** Connections are reset at once and new ones are dropped as they arrive (the server is down). */
    | 'refuse'
    /** Connections are accepted but nothing is forwarded either way (a network that swallows packets). */
    | 'blackhole';

export class FaultProxy {
    private server?: net.Server;
    private readonly sockets = new Set<net.Socket>();
    private mode: FaultMode | undefined;
    /** Connections accepted since the start, for tests that want to see the client reconnect. */
    connections = 0;
    port = 0;

    constructor(private readonly target: { host: string; port: number }) {}

    /** Listens on 127.0.0.1 on a free port. */
    async start(): Promise<void> {
        this.server = net.createServer((client) => this.accept(client));
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
        this.port = (this.server.address() as AddressInfo).port;
    }

    /** The fault: every open connection is destroyed, and new ones are refused (or swallowed) until `restore`. */
    cut(mode: FaultMode = 'refuse'): void {
        this.mode = mode;
        for (const socket of this.sockets) socket.destroy();
        this.sockets.clear();
    }

    /** The database is reachable again. */
    restore(): void {
        this.mode = undefined;
    }

    get isCut(): boolean {
        return this.mode !== undefined;
    }

    async stop(): Promise<void> {
        this.cut();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** The same MongoDB URI with its (single) host pointed at this proxy. */
    uriThrough(uri: string): string {
        return uri.replace(/^(mongodb:\/\/(?:[^@/]*@)?)[^/?,]+/, `$1127.0.0.1:${this.port}`);
    }

    private accept(client: net.Socket): void {
        this.connections++;
        if (this.mode === 'refuse') {
            client.destroy();
            return;
        }
        this.sockets.add(client);
        client.on('close', () => this.sockets.delete(client));
        client.on('error', () => client.destroy());
        if (this.mode === 'blackhole') return;
        const upstream = net.connect(this.target.port, this.target.host);
        this.sockets.add(upstream);
        upstream.on('close', () => {
            this.sockets.delete(upstream);
            client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
    }
}

/** Host and port of the first host in a mongodb:// URI (the proxy forwards to it). */
export function mongoTarget(uri: string): { host: string; port: number } {
    const m = /^mongodb:\/\/(?:[^@/]*@)?([^/?,:]+)(?::(\d+))?/.exec(uri);
    if (!m) throw new Error('The fault proxy needs a mongodb:// URI with one host');
    return { host: m[1] as string, port: Number(m[2] ?? 27017) };
}

/** Starts a proxy in front of the database of `uri`; returns it and the URI that goes through it. */
export async function proxyFor(uri: string): Promise<{ proxy: FaultProxy; uri: string }> {
    const proxy = new FaultProxy(mongoTarget(uri));
    await proxy.start();
    return { proxy, uri: proxy.uriThrough(uri) };
}
