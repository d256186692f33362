/**
 * Raw HTTP requests for robustness tests: any method, path (sent as written, not normalised), headers and bytes,
 * which fetch would refuse or rewrite. A request the server drops answers status 0 instead of throwing.
 */
import fs from 'node:fs';
import http from 'node:http';

export interface RawAnswer {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export function rawRequest(url: string, options: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    body?: Buffer | string;
    timeoutMs?: number;
}): Promise<RawAnswer> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
        const req = http.request({
            host: hostname, port, method: options.method ?? 'POST', path: options.path,
            headers: { connection: 'close', ...options.headers }, timeout: options.timeoutMs ?? 15_000,
            // Headers as the client sent them, even ones Node would refuse to build.
            insecureHTTPParser: true,
        }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({
                status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'),
            }));
            res.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
        });
        req.on('timeout', () => req.destroy());
        // A WebSocket the server opened: its status is all a test needs.
        req.on('upgrade', (res, socket) => {
            socket.destroy();
            resolve({ status: res.statusCode ?? 101, headers: res.headers, body: '' });
        });
        req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
        req.end(options.body);
    });
}

/** A process's resident memory now and at its peak, in MB (Linux /proc; undefined elsewhere). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    } catch {
        return undefined;
    }
}
