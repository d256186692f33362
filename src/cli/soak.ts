/**
 * `npm run soak`: many residents at once against the real server for a while, watching speed and memory.
 *
 * Starts the built server as `npm start` does (in a child process, on the embedded store in a temporary folder, or
 * on MongoDB when MONGODB_URI is set), then runs `--conversations` conversations at once (default 50) for
 * `--seconds` (default 60): through the built-in Direct Line API as the website chat does (open a conversation,
 * post a message, read the replies after the watermark), or with `--via messages` through /api/messages as a Bot
 * Framework channel does (replies arrive at a small channel server here). Each conversation follows a resident's
 * journey (needs, preferences, results, details, help, start again) and ends with "delete my data"; then a new
 * one starts. Every few seconds it asks the server for its memory (after a garbage collection, so what is left is
 * what is kept). It prints turns per second, turn latency (p50, p95, p99), failures, the memory at the end of the
 * warm-up and at the end, and the growth per minute after the warm-up (least squares).
 *
 * Usage: npm run soak -- [--seconds 60] [--conversations 50] [--via directline|messages] [--warmup 20]
 *        [--sample 5] [--think-ms 0]
 * Not part of `npm test`. It prints numbers and asserts nothing; exit 0 when it ran, 1 when the server failed.
 * Request limits are raised for the run: every conversation comes from this one address, as fast as it can.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { percentile } from './measure';
import { freePort, startServer, stopServer, type ServerProcess } from './serverProcess';

/** Settings for a server under load from one address: no per-address or per-conversation brake. */
export const UNLIMITED: Readonly<Record<string, string>> = Object.freeze({
    SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: '1000000',
    SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: '1000000',
    SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: '1000000',
    SIGNPOST_LIMIT_TOKENS_PER_MINUTE: '1000000',
    SIGNPOST_LIMIT_DIRECTLINE_CONVERSATION_PER_MINUTE: '1000000',
    // The kill test's residents all ask for a connector from one address.
    SIGNPOST_REQUESTS_PER_ADDRESS_PER_HOUR: '10000',
    SIGNPOST_REQUESTS_PER_CONTACT_PER_DAY: '100',
});

/** What a resident says in one soak conversation, in order. */
const SOAK_JOURNEY: readonly string[] = [
    'hello', "I'm lonely and money is tight", 'yes', 'BS5 6XX', 'Tuesday mornings', 'skip', 'nothing', 'no',
    '1', 'more', 'help', 'start again', 'I would like to do some gardening', 'yes', 'BS16', 'any time', 'free',
    'nothing', "I'd rather not go alone", 'delete my data',
];

// --- the server in a child process ---

/** The server's memory, measured inside it after a garbage collection. */
interface Memory {
    rss: number;
    heapUsed: number;
}

function askMemory(child: ChildProcess): Promise<Memory> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the server did not say its memory')), 10_000);
        child.once('message', (m) => {
            clearTimeout(timer);
            resolve(m as Memory);
        });
        child.send('memory');
    });
}

/** `--serve`: the server itself, answering "memory" over IPC. */
async function serve(): Promise<void> {
    const { main } = await import('../index.js');
    process.on('message', (m) => {
        if (m !== 'memory') return;
        (globalThis as { gc?: () => void }).gc?.();
        const { rss, heapUsed } = process.memoryUsage();
        process.send?.({ rss, heapUsed });
    });
    await main();
}

// --- clients ---

/** A website chat conversation through the built-in Direct Line API, as Web Chat holds one. */
export class DirectLineConversation {
    token = '';
    conversationId = '';
    user = '';
    watermark = '';

    constructor(readonly url: string) {}

    /** Gets a token from the page's token route and opens the conversation; the bot's greeting is read. */
    async open(): Promise<string[]> {
        const grant = await json(await fetch(`${this.url}/api/directline/token`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
        })) as { token: string; conversationId: string };
        this.token = grant.token;
        this.conversationId = grant.conversationId;
        const claims = JSON.parse(Buffer.from(grant.token.split('.')[1], 'base64url').toString()) as { user: string };
        this.user = claims.user;
        await json(await fetch(`${this.url}/v3/directline/conversations`, {
            method: 'POST', headers: this.headers(), body: '{}',
        }));
        return this.read();
    }

    /** Posts a message (the answer comes once the bot's turn is over) and reads the bot's replies. */
    async say(text: string): Promise<string[]> {
        await json(await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
            method: 'POST', headers: this.headers(),
            body: JSON.stringify({ type: 'message', text, from: { id: this.user }, locale: 'en-GB' }),
        }));
        return this.read();
    }

    /** The bot's messages after the watermark; moves the watermark on. */
    async read(): Promise<string[]> {
        const res = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`
            + `?watermark=${this.watermark}`, { headers: this.headers() });
        const page = await json(res) as {
            activities: { type: string; text?: string; from?: { id?: string } }[]; watermark: string;
        };
        this.watermark = page.watermark;
        return page.activities.filter((a) => a.type === 'message' && a.from?.id !== this.user)
            .map((a) => a.text ?? '');
    }

    private headers() {
        return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
    }
}

/** A minimal Bot Framework channel: posts activities to /api/messages and collects the replies sent back. */
class ChannelServer {
    private readonly replies = new Map<string, string[]>();
    private server?: http.Server;
    serviceUrl = '';

    constructor(private readonly botUrl: string) {}

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on('data', (c: Buffer) => chunks.push(c));
            req.on('end', () => {
                const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
                if (req.method === 'POST' && m) {
                    const activity = JSON.parse(Buffer.concat(chunks).toString()) as { type?: string; text?: string };
                    const id = decodeURIComponent(m[1]);
                    if (activity.type === 'message') {
                        this.replies.set(id, [...this.replies.get(id) ?? [], activity.text ?? '']);
                    }
                }
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ id: String(Date.now()) }));
            });
        });
        this.server.keepAliveTimeout = 30_000;
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
        this.serviceUrl = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** Posts one message and returns the replies it caused. */
    async say(conversationId: string, text: string): Promise<string[]> {
        this.replies.delete(conversationId);
        const res = await fetch(`${this.botUrl}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
                type: 'message', id: `${Date.now()}`, channelId: 'emulator', serviceUrl: this.serviceUrl,
                timestamp: new Date().toISOString(), from: { id: `${conversationId}-resident` },
                recipient: { id: 'signpost' }, conversation: { id: conversationId }, locale: 'en-GB', text,
            }),
        });
        await json(res);
        const texts = this.replies.get(conversationId) ?? [];
        this.replies.delete(conversationId);
        return texts;
    }
}

/** The body of a 2xx answer (JSON, or nothing); anything else throws with the status. */
async function json(res: Response): Promise<unknown> {
    const text = await res.text();
    if (!res.ok) throw new HttpStatusError(res.status);
    return text ? JSON.parse(text) : undefined;
}

/** The server answered with a status that is not 2xx. */
export class HttpStatusError extends Error {
    constructor(readonly status: number) {
        super(`HTTP ${status}`);
        this.name = 'HttpStatusError';
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- the soak ---

interface Tally {
    turns: number;
    latencies: number[];
    failed: Map<string, number>;
    silent: number;
    conversations: number;
}

/** One resident after another, until the deadline: each turn timed, each failure counted by its kind. */
async function resident(say: (conversation: string, text: string) => Promise<string[]>,
    open: () => Promise<string>, deadline: number, thinkMs: number, tally: Tally): Promise<void> {
    while (performance.now() < deadline) {
        let conversation: string;
        try {
            conversation = await open();
            tally.conversations += 1;
        } catch (err) {
            count(tally.failed, `open: ${kindOf(err)}`);
            await sleep(100);
            continue;
        }
        for (const text of SOAK_JOURNEY) {
            if (performance.now() >= deadline) return;
            const started = performance.now();
            try {
                const replies = await say(conversation, text);
                tally.latencies.push(performance.now() - started);
                tally.turns += 1;
                if (!replies.length) tally.silent += 1;
            } catch (err) {
                count(tally.failed, `turn: ${kindOf(err)}`);
                break;
            }
            if (thinkMs) await sleep(thinkMs);
        }
    }
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
    const n = points.length;
    if (n < 2) return NaN;
    const mx = points.reduce((s, [x]) => s + x, 0) / n;
    const my = points.reduce((s, [, y]) => s + y, 0) / n;
    const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
    return sxx ? points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx : NaN;
}

async function soak(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv, strict: true, options: {
            seconds: { type: 'string', default: '60' },
            conversations: { type: 'string', default: '50' },
            via: { type: 'string', default: 'directline' },
            warmup: { type: 'string' },
            sample: { type: 'string', default: '5' },
            'think-ms': { type: 'string', default: '0' },
        },
    });
    const seconds = Number(values.seconds);
    const concurrency = Number(values.conversations);
    const sampleEvery = Number(values.sample);
    const thinkMs = Number(values['think-ms']);
    const warmup = values.warmup === undefined ? Math.min(20, seconds / 3) : Number(values.warmup);
    if (![seconds, concurrency, sampleEvery, thinkMs, warmup].every((v) => Number.isFinite(v) && v >= 0)
        || !['directline', 'messages'].includes(values.via!)) {
        process.stderr.write('usage: npm run soak -- [--seconds 60] [--conversations 50] [--via directline|messages]'
            + ' [--warmup 20] [--sample 5] [--think-ms 0]\n');
        return 2;
    }

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-soak-'));
    let server: ServerProcess | undefined;
    let channel: ChannelServer | undefined;
    try {
        server = await startServer({
            port: await freePort(), dataDir: tmp, env: UNLIMITED,
            // This file's `--serve` mode: the server, also answering memory questions over the IPC channel.
            script: { file: __filename, args: ['--serve'], execArgv: ['--expose-gc'] },
        });
        const health = await json(await fetch(`${server.url}/healthz`)) as { store: string };
        const via = values.via === 'messages' ? 'POST /api/messages (a fake channel here)' : 'the built-in Direct Line';
        process.stdout.write(`Signpost soak: ${concurrency} conversations at once for ${seconds} s through ${via}; `
            + `store: ${health.store}; ${os.cpus().length} cores\n`);

        let say: (conversation: string, text: string) => Promise<string[]>;
        let open: () => Promise<string>;
        if (values.via === 'messages') {
            channel = new ChannelServer(server.url);
            await channel.start();
            let n = 0;
            say = (conversation, text) => channel!.say(conversation, text);
            open = async () => `soak-${process.pid}-${++n}`;
        } else {
            const byId = new Map<string, DirectLineConversation>();
            say = (conversation, text) => byId.get(conversation)!.say(text);
            open = async () => {
                const c = new DirectLineConversation(server!.url);
                await c.open();
                // Conversations that ended are forgotten here, as a closed browser tab forgets its chat.
                byId.set(c.conversationId, c);
                if (byId.size > concurrency * 4) byId.delete(byId.keys().next().value!);
                return c.conversationId;
            };
        }

        const tally: Tally = { turns: 0, latencies: [], failed: new Map(), silent: 0, conversations: 0 };
        const started = performance.now();
        const deadline = started + seconds * 1000;
        const samples: { t: number; memory: Memory; turns: number }[] = [];
        const sampler = (async () => {
            for (let next = 0; ; next += sampleEvery) {
                const wait = started + next * 1000 - performance.now();
                if (wait > 0) await sleep(wait);
                if (performance.now() > deadline + 500) return;
                samples.push({
                    t: (performance.now() - started) / 1000, memory: await askMemory(server!.child), turns: tally.turns,
                });
            }
        })();
        await Promise.all(Array.from({ length: concurrency }, () => resident(say, open, deadline, thinkMs, tally)));
        const elapsed = (performance.now() - started) / 1000;
        await sampler;
        samples.push({ t: elapsed, memory: await askMemory(server.child), turns: tally.turns });

        report({ tally, elapsed, samples, warmup, concurrency });
        return 0;
    } catch (err) {
        process.stderr.write(`The soak could not run: ${(err as Error).message}\n`);
        return 1;
    } finally {
        await channel?.stop();
        if (server) await stopServer(server);
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

function report({ tally, elapsed, samples, warmup }: {
    tally: Tally; elapsed: number; samples: { t: number; memory: Memory; turns: number }[]; warmup: number;
    concurrency: number;
}): void {
    const mb = (bytes: number) => bytes / 1024 / 1024;
    const f1 = (n: number) => n.toFixed(1);
    const sorted = [...tally.latencies].sort((a, b) => a - b);
    const failed = [...tally.failed.values()].reduce((a, b) => a + b, 0);
    const out: string[] = [];
    out.push(`turns: ${tally.turns} in ${f1(elapsed)} s = ${f1(tally.turns / elapsed)} turns/s `
        + `(${tally.conversations} conversations opened)`);
    out.push(`turn latency ms: p50 ${f1(percentile(sorted, 50))}, p95 ${f1(percentile(sorted, 95))}, `
        + `p99 ${f1(percentile(sorted, 99))}, max ${f1(sorted[sorted.length - 1] ?? NaN)}`);
    const kinds = [...tally.failed].map(([k, v]) => `${k} x${v}`).join(', ');
    out.push(`failed turns: ${failed}${failed ? ` (${kinds})` : ''}; turns without a reply: ${tally.silent}`);
    out.push('server memory after a garbage collection (MB):');
    out.push('      t s      rss  heapUsed   turns');
    for (const s of samples) {
        out.push(`${f1(s.t).padStart(8)} ${f1(mb(s.memory.rss)).padStart(8)} ${f1(mb(s.memory.heapUsed)).padStart(9)} `
            + `${String(s.turns).padStart(7)}`);
    }
    const warm = samples.find((s) => s.t >= warmup) ?? samples[0];
    const end = samples[samples.length - 1];
    const after = samples.filter((s) => s.t >= warm.t);
    const perMinute = (pick: (m: Memory) => number) => slope(after.map((s) => [s.t / 60, mb(pick(s.memory))]));
    const memory = (s: { t: number; memory: Memory }) =>
        `(t=${f1(s.t)} s): rss ${f1(mb(s.memory.rss))} MB, heap ${f1(mb(s.memory.heapUsed))} MB`;
    out.push(`after warm-up ${memory(warm)}; at the end ${memory(end)}`);
    out.push(`growth after warm-up: rss ${signed(perMinute((m) => m.rss))} MB/min, `
        + `heap ${signed(perMinute((m) => m.heapUsed))} MB/min (least squares over ${after.length} samples)`);
    process.stdout.write(`${out.join('\n')}\n`);
}

function signed(n: number): string {
    return Number.isNaN(n) ? 'n/a' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

function count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
}

/** A failure's kind, for the tally: an HTTP status or an error's name (never a message). */
export function kindOf(err: unknown): string {
    if (err instanceof HttpStatusError) return String(err.status);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return cause ?? (err instanceof Error ? err.name : typeof err);
}

if (require.main === module) {
    if (process.argv.includes('--serve')) {
        serve().catch((err: unknown) => {
            process.stderr.write(`Signpost could not start: ${(err as Error).message}\n`);
            process.exit(1);
        });
    } else {
        soak(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
            process.stderr.write(`${(err as Error).stack}\n`);
            process.exit(1);
        });
    }
}
