/**
 * The turn bench (the second part of `npm run bench`): how many bot turns a second the real server handles over
 * HTTP, and how long a resident waits for one, with each store.
 *
 * For the embedded store (in a temporary folder) and, when MONGODB_URI is set, MongoDB (in a fresh database that is
 * dropped afterwards), it starts the real server in this process on a free port of 127.0.0.1, with no
 * authentication (as locally) and the request limits raised so they do not throttle the load. 50 simulated
 * residents (`--conversations`) each post Bot Framework activities to POST /api/messages, as a channel does, with
 * a serviceUrl pointing at a small fake channel here that takes the bot's replies. Each walks the website
 * journey (join, needs, place, time, cost, access, worries, results, no hand-off) and then starts a new
 * conversation, for `--seconds` (default 30) after a short warm-up. A turn's latency is the time from posting an
 * activity to its HTTP response, which comes once the turn has finished and its replies were delivered. It prints
 * turns per second, p50, p95 and max latency, and the turns that failed (an HTTP error or the bot's error reply).
 *
 * Usage: node dist/src/cli/benchTurns.js [--seconds 30] [--conversations 50]
 * It prints numbers and asserts nothing; exit 0 when it ran, 1 when a store could not be used.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openApp, type App } from '../app';
import { loadConfig, type Config } from '../config';
import { loadKnowledge, type Knowledge } from '../knowledge';
import { createLogger } from '../log';
import { projectRoot } from '../paths';
import { createServer } from '../server/createServer';
import { botAdapter } from '../server/botAdapter';
import { httpProtection } from '../server/security';
import { percentile } from './measure';

/** Limits high enough that the bench measures the bot, not the throttle (the maximum the settings accept). */
const UNTHROTTLED = '1000000';
const WARM_UP_SECONDS = 3;

/** One resident's journey, as the website chat's e2e test walks it; a conversationUpdate opens it. */
const JOURNEY = [
    'money is tight and I\'m lonely', 'yes', 'bs5 6xx', 'any time', 'skip', 'nothing', 'no', 'that\'s all',
    'no thanks',
];

interface StoreRun {
    label: string;
    env: NodeJS.ProcessEnv;
    /** Drops what the run stored (a temporary folder, a MongoDB database). */
    cleanUp: () => Promise<void>;
}

export interface TurnBenchResult {
    store: string;
    turns: number;
    seconds: number;
    p50: number;
    p95: number;
    max: number;
    failed: number;
    conversations: number;
}

/** A fake Bot Framework channel: accepts the bot's replies and counts those that are its error reply. */
class ReplySink {
    private server?: http.Server;
    url = '';
    errorReplies = 0;

    constructor(private readonly errorText: string) {}

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (chunk: Buffer) => (body += chunk.toString()));
            req.on('end', () => {
                if (req.method === 'POST' && body.includes(this.errorText)) this.errorReplies++;
                res.writeHead(200, { 'content-type': 'application/json' });
                res.end(JSON.stringify({ id: randomUUID() }));
            });
        });
        this.server.keepAliveTimeout = 60_000;
        await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }
}

/** The real server (as src/index.ts builds it, without the website chat) on a free port. */
async function startServer(app: App): Promise<{ url: string; stop: () => Promise<void> }> {
    const adapter = botAdapter(app.config.auth, { log: app.log, websiteChats: app.stores.directLine });
    adapter.onTurnError = app.onTurnError;
    app.relay.connect({ cloud: { adapter, appId: '' } });
    const server = createServer({
        adapter, bot: app.bot, log: app.log, storeKind: app.stores.kind, workspace: app.workspace,
        protection: httpProtection(app.config),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** Runs the residents against one store; returns what the measured window saw. */
async function measure(app: App, label: string, seconds: number, conversations: number): Promise<TurnBenchResult> {
    const sink = new ReplySink(app.knowledge.wording.text('error').split(' If ')[0] as string);
    await sink.start();
    const server = await startServer(app);
    const latencies: number[] = [];
    let failed = 0;
    let finished = 0;
    let measuring = false;
    const post = async (conversationId: string, partial: Record<string, unknown>): Promise<void> => {
        const activity = {
            type: 'message', id: randomUUID(), channelId: 'emulator', serviceUrl: sink.url,
            timestamp: new Date().toISOString(), from: { id: `resident-${conversationId}`, name: 'resident' },
            recipient: { id: 'signpost-bot', name: 'Signpost' }, conversation: { id: conversationId }, locale: 'en-GB',
            ...partial,
        };
        const started = performance.now();
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
        });
        await res.arrayBuffer();
        if (!measuring) return;
        latencies.push(performance.now() - started);
        if (res.status !== 200) failed++;
    };
    const resident = async (n: number, until: number): Promise<void> => {
        for (let round = 0; performance.now() < until; round++) {
            const conversationId = `bench-${n}-${round}-${randomBytes(3).toString('hex')}`;
            const joined = { type: 'conversationUpdate', membersAdded: [{ id: `resident-${conversationId}` }] };
            await post(conversationId, joined);
            for (const text of JOURNEY) {
                if (performance.now() >= until) return;
                await post(conversationId, { text });
            }
            if (measuring) finished++;
        }
    };
    try {
        const warmUntil = performance.now() + Math.min(WARM_UP_SECONDS, seconds / 5) * 1000;
        await Promise.all(Array.from({ length: conversations }, (_, n) => resident(n, warmUntil)));
        const errorsBefore = sink.errorReplies;
        measuring = true;
        const started = performance.now();
        await Promise.all(Array.from({ length: conversations }, (_, n) => resident(n, started + seconds * 1000)));
        const elapsed = (performance.now() - started) / 1000;
        const sorted = [...latencies].sort((a, b) => a - b);
        return {
            store: label, turns: latencies.length, seconds: elapsed, p50: percentile(sorted, 50),
            p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN,
            failed: failed + sink.errorReplies - errorsBefore, conversations: finished,
        };
    } finally {
        await server.stop();
        await sink.stop();
    }
}

/** The stores to measure: embedded always; MongoDB when the settings name one. */
function storeRuns(config: Config): StoreRun[] {
    const runs: StoreRun[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-'));
    runs.push({
        label: 'embedded (SQLite)', env: { SIGNPOST_DATA_DIR: dir },
        cleanUp: async () => fs.rmSync(dir, { recursive: true, force: true }),
    });
    if (config.mongodb) {
        const { uri } = config.mongodb;
        const database = `signpost_bench_${randomBytes(6).toString('hex')}`;
        const mongoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-'));
        runs.push({
            label: 'MongoDB',
            env: { SIGNPOST_DATA_DIR: mongoDir, MONGODB_URI: uri, SIGNPOST_MONGODB_DATABASE: database },
            cleanUp: async () => {
                fs.rmSync(mongoDir, { recursive: true, force: true });
                const { createMongoClient } = await import('../storage/mongo/connection.js');
                const client = createMongoClient(uri);
                try {
                    await client.db(database).dropDatabase();
                } finally {
                    await client.close();
                }
            },
        });
    }
    return runs;
}

const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : n.toFixed(0));

/** Measures every store and prints a section of the bench's report. */
export async function runTurnBench(options: { seconds: number; conversations: number; knowledge?: Knowledge }):
    Promise<TurnBenchResult[]> {
    const settings = loadConfig();
    const knowledge = options.knowledge ?? loadKnowledge(path.join(projectRoot(), 'knowledge'));
    const runs = storeRuns(settings);
    console.log(`\n=== bot turns over HTTP (POST /api/messages, real server in this process, ${options.conversations} `
        + `residents at once for ${options.seconds} s after a ${Math.min(WARM_UP_SECONDS, options.seconds / 5)} s `
        + `warm-up; each walks the website journey, ${JOURNEY.length + 1} activities, then starts again) ===`);
    if (!settings.mongodb) console.log('  MongoDB: not measured (MONGODB_URI is not set)');
    const results: TurnBenchResult[] = [];
    for (const run of runs) {
        let app: App | undefined;
        try {
            const config = loadConfig({
                LOG_LEVEL: 'silent',
                SIGNPOST_LIMIT_BOT_REQUESTS_PER_MINUTE: UNTHROTTLED,
                SIGNPOST_LIMIT_BOT_CONVERSATION_PER_MINUTE: UNTHROTTLED,
                SIGNPOST_LIMIT_REQUESTS_PER_MINUTE: UNTHROTTLED,
                ...run.env,
            });
            app = await openApp(config, { knowledge, log: createLogger('silent') });
            const r = await measure(app, run.label, options.seconds, options.conversations);
            results.push(r);
            const cache = app.stateStore.stats();
            console.log(`  ${r.store.padEnd(18)} ${(r.turns / r.seconds).toFixed(0).padStart(5)} turns/s `
                + `(${r.turns} turns, ${r.conversations} journeys finished, in ${r.seconds.toFixed(1)} s); `
                + `latency p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, max ${ms(r.max)} ms; failed turns ${r.failed}`
                + (cache.outages ? `; the store stopped answering ${cache.outages} time(s)` : ''));
        } catch (err) {
            console.log(`  ${run.label}: could not be measured: ${(err as Error).message}`);
            process.exitCode = 1;
        } finally {
            await app?.close().catch(() => undefined);
            await run.cleanUp().catch(() => undefined);
        }
    }
    return results;
}

function numberOption(text: string | undefined, fallback: number): number {
    const n = Number(text);
    return text !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The turn bench's own options, as `npm run bench` passes them on. */
export function turnBenchOptions(values: { seconds?: string; conversations?: string }) {
    return {
        seconds: numberOption(values.seconds, 30),
        conversations: Math.floor(numberOption(values.conversations, 50)),
    };
}

if (require.main === module) {
    const { values } = parseArgs({ options: { seconds: { type: 'string' }, conversations: { type: 'string' } } });
    runTurnBench(turnBenchOptions(values)).catch((err: unknown) => {
        console.error((err as Error).message);
        process.exitCode = 1;
    });
}
