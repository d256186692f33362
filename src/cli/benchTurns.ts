/**
 * The turn bench (the second part of `npm run bench`): how many bot turns a second the real server handles over
 * HTTP, and how long a resident waits for one, with each store, beside a bare echo bot on the same stack.
 *
 * For the embedded store (in a temporary folder) and, when MONGODB_URI is set, MongoDB (in a fresh database that is
 * dropped afterwards), it starts the real server in this process on a free port of 127.0.0.1, with no
 * authentication (as locally) and the request limits raised so they do not throttle the load. 50 simulated
 * residents (`--conversations`) each post Bot Framework activities to POST /api/messages, as a channel does, with
 * a serviceUrl pointing at a small fake channel here that takes the bot's replies. Each walks the website
 * journey (join, needs, place, time, cost, access, worries, results, no hand-off) and then starts a new
 * conversation, for `--seconds` (default 10) after a short warm-up. A turn's latency is the time from posting an
 * activity to its HTTP response, which comes once the turn has finished and its replies were delivered. It prints
 * turns per second, p50, p95 and max latency, and the turns that failed (an HTTP error or the bot's error reply).
 *
 * What a turn costs is only meaningful against what the stack itself costs, on the same machine at the same moment:
 * so a bare echo bot (an ActivityHandler that replies with the text, no state) is served by the same createServer
 * and botAdapter path, and the same residents walk the same journey against it. Each store is measured at 1 resident
 * and at `--conversations` residents, in three alternating rounds (echo, Signpost, echo, Signpost, ...), so a slow
 * moment of the machine falls on both bots. It prints both bots' figures and Signpost's share of the echo bot's
 * turns per second and the difference of their p95 (the aims: at least half the echo bot's turns per second at 50
 * residents, a p95 within 3 ms of the echo bot's at 1 resident); its last lines (turnAims) say whether each aim is met
 * in this run, on the embedded store, with both bots' figures.
 *
 * With `--profile <folder>`, each measured window (not the start-up or the warm-up) is CPU-profiled on its own into
 * that folder (`<bot>-<residents>x-round<n>.cpuprofile`, for Chrome's DevTools or `--cpu-prof` tools), so a
 * profile divided by the window's turns is what one turn costs.
 *
 * With `--per-step`, it also prints a table of the journey's steps at one resident (the join, then each message):
 * each bot's p50 and p95, this process's CPU per turn and the replies per turn, so the slow steps show.
 *
 * Usage: node dist/src/cli/benchTurns.js [--seconds 10] [--conversations 50] [--rounds 3] [--only echo|signpost]
 *        [--profile <folder>] [--per-step]
 * It prints numbers and asserts nothing; exit 0 when it ran, 1 when a store could not be used.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ActivityHandler, type CloudAdapter } from 'botbuilder';
import { openApp, type App } from '../app';
import { loadConfig, type Config } from '../config';
import { loadKnowledge, type Knowledge } from '../knowledge';
import { createLogger } from '../log';
import { projectRoot } from '../paths';
import { createServer } from '../server/createServer';
import { botAdapter } from '../server/botAdapter';
import { httpProtection } from '../server/security';
import { percentile } from './measure';

/** The store the aims are judged on, as the report names it (storeRuns). */
const AIMS_STORE = 'embedded (SQLite)';

/** Limits high enough that the bench measures the bot, not the throttle (the maximum the settings accept). */
const UNTHROTTLED = '1000000';
const WARM_UP_SECONDS = 2;

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
    /** Per journey step (0 the join, then JOURNEY's messages): its latencies, CPU ms and replies, in this window. */
    steps?: StepFigures[];
    /**
     * This process's CPU time (user + system) over the measured window, in ms: the residents, the fake channel and
     * the bot together. Per turn, it says what a turn costs even when other work on the machine slows the clock.
     */
    cpuMs: number;
    /** Replies the fake channel took in the window. */
    replies: number;
    turns: number;
    seconds: number;
    p50: number;
    p95: number;
    max: number;
    failed: number;
    conversations: number;
}

/**
 * One journey step's figures over a window. CPU and replies are counted between the post and its response, so they
 * are the step's own only at one resident (with many, other residents' turns fall in the same span).
 */
export interface StepFigures {
    latencies: number[];
    cpuMs: number;
    replies: number;
}

/** The journey's steps by name: the join, then each message as the resident types it. */
export const STEP_NAMES = ['(join)', ...JOURNEY];

/** A fake Bot Framework channel: accepts the bot's replies and counts those that are its error reply. */
class ReplySink {
    private server?: http.Server;
    url = '';
    errorReplies = 0;
    replies = 0;

    constructor(private readonly errorText: string) {}

    async start(): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (chunk: Buffer) => (body += chunk.toString()));
            req.on('end', () => {
                if (req.method === 'POST') this.replies++;
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

/** What the residents post to: a bot behind the real server's /api/messages, and what its error reply says. */
interface Target {
    url: string;
    errorText: string;
    stop: () => Promise<void>;
}

/** The real server (as src/index.ts builds it, without the website chat) on a free port. */
async function listen(adapter: CloudAdapter, bot: ActivityHandler, app: Pick<App, 'log' | 'config'>, storeKind: string)
    : Promise<{ url: string; stop: () => Promise<void> }> {
    const server = createServer({ adapter, bot, log: app.log, storeKind, protection: httpProtection(app.config) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () => new Promise<void>((resolve) => {
            server.closeAllConnections?.();
            server.close(() => resolve());
        }),
    };
}

/** Signpost, as src/index.ts serves it. */
async function signpostTarget(app: App): Promise<Target> {
    const server = await listen(app.adapters.cloud, app.bot, app, app.stores.kind);
    return { ...server, errorText: app.knowledge.wording.text('error').split(' If ')[0] as string };
}

/**
 * The bare echo bot: the same server, adapter and authentication path, no state, no dialogs; one reply per message
 * with its text. What the stack costs, for comparison.
 */
export class EchoBot extends ActivityHandler {
    constructor() {
        super();
        this.onMessage(async (context, next) => {
            await context.sendActivity(context.activity.text ?? '');
            await next();
        });
    }
}

async function echoTarget(app: App): Promise<Target> {
    const adapter = botAdapter(app.config.auth, { log: app.log });
    const server = await listen(adapter, new EchoBot(), app, 'none');
    return { ...server, errorText: '\u0000no error reply\u0000' };
}

/** Runs the residents against one bot; returns what the measured window saw, latencies included. */
async function measure(target: Target, sink: ReplySink, label: string, seconds: number, conversations: number,
    profiler?: WindowProfiler): Promise<TurnBenchResult & { latencies: number[] }> {
    const server = target;
    const latencies: number[] = [];
    const steps: StepFigures[] = STEP_NAMES.map(() => ({ latencies: [], cpuMs: 0, replies: 0 }));
    let failed = 0;
    let finished = 0;
    let measuring = false;
    const post = async (conversationId: string, step: number, partial: Record<string, unknown>): Promise<void> => {
        const activity = {
            type: 'message', id: randomUUID(), channelId: 'emulator', serviceUrl: sink.url,
            timestamp: new Date().toISOString(), from: { id: `resident-${conversationId}`, name: 'resident' },
            recipient: { id: 'signpost-bot', name: 'Signpost' }, conversation: { id: conversationId }, locale: 'en-GB',
            ...partial,
        };
        const repliesBefore = sink.replies;
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const res = await fetch(`${server.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
        });
        await res.arrayBuffer();
        if (!measuring) return;
        const latency = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        latencies.push(latency);
        const figures = steps[step] as StepFigures;
        figures.latencies.push(latency);
        figures.cpuMs += (cpu.user + cpu.system) / 1000;
        figures.replies += sink.replies - repliesBefore;
        if (res.status !== 200) failed++;
    };
    const resident = async (n: number, until: number): Promise<void> => {
        for (let round = 0; performance.now() < until; round++) {
            const conversationId = `bench-${n}-${round}-${randomBytes(3).toString('hex')}`;
            const joined = { type: 'conversationUpdate', membersAdded: [{ id: `resident-${conversationId}` }] };
            await post(conversationId, 0, joined);
            for (const [i, text] of JOURNEY.entries()) {
                if (performance.now() >= until) return;
                await post(conversationId, i + 1, { text });
            }
            if (measuring) finished++;
        }
    };
    try {
        const warmUntil = performance.now() + Math.min(WARM_UP_SECONDS, seconds / 5) * 1000;
        await Promise.all(Array.from({ length: conversations }, (_, n) => resident(n, warmUntil)));
        const errorsBefore = sink.errorReplies;
        steps.forEach((s) => Object.assign(s, { latencies: [], cpuMs: 0, replies: 0 }));
        measuring = true;
        const repliesBefore = sink.replies;
        await profiler?.start();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        await Promise.all(Array.from({ length: conversations }, (_, n) => resident(n, started + seconds * 1000)));
        const elapsed = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuBefore);
        await profiler?.stop(latencies.length);
        const sorted = [...latencies].sort((a, b) => a - b);
        return {
            store: label, cpuMs: (cpu.user + cpu.system) / 1000, replies: sink.replies - repliesBefore,
            turns: latencies.length, seconds: elapsed, p50: percentile(sorted, 50),
            p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN,
            failed: failed + sink.errorReplies - errorsBefore, conversations: finished, latencies, steps,
        };
    } finally {
        measuring = false;
    }
}

/** The stores to measure: embedded always; MongoDB when the settings name one. */
function storeRuns(config: Config): StoreRun[] {
    const runs: StoreRun[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-'));
    runs.push({
        label: AIMS_STORE, env: { SIGNPOST_DATA_DIR: dir },
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

/** Both bots' figures at one number of residents, pooled over the rounds. */
export interface PairedResult {
    /** The store the run used (the aims are judged on the embedded store's). */
    store: string;
    conversations: number;
    echo: TurnBenchResult;
    signpost: TurnBenchResult;
}

/** The rounds of one bot pooled: turns over all measured seconds, percentiles over all latencies. */
function pooled(label: string, rounds: (TurnBenchResult & { latencies: number[] })[]): TurnBenchResult {
    const sorted = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return {
        store: label, turns: sorted.length, seconds: rounds.reduce((sum, r) => sum + r.seconds, 0),
        cpuMs: rounds.reduce((sum, r) => sum + r.cpuMs, 0), replies: rounds.reduce((sum, r) => sum + r.replies, 0),
        p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN,
        failed: rounds.reduce((sum, r) => sum + r.failed, 0),
        conversations: rounds.reduce((sum, r) => sum + r.conversations, 0),
        steps: STEP_NAMES.map((_, i) => ({
            latencies: rounds.flatMap((r) => r.steps?.[i]?.latencies ?? []),
            cpuMs: rounds.reduce((sum, r) => sum + (r.steps?.[i]?.cpuMs ?? 0), 0),
            replies: rounds.reduce((sum, r) => sum + (r.steps?.[i]?.replies ?? 0), 0),
        })),
    };
}

/** One bot's figures for one step: p50, p95, CPU ms and replies per turn; blanks when it was not measured. */
function stepCells(step: StepFigures | undefined): { text: string; p95: number; cpu: number } {
    const n = step?.latencies.length ?? 0;
    if (!step || n === 0) return { text: '-'.padStart(30), p95: NaN, cpu: NaN };
    const sorted = [...step.latencies].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    const cpu = step.cpuMs / n;
    return {
        text: `${ms(percentile(sorted, 50)).padStart(6)} ${ms(p95).padStart(6)} ${ms(cpu).padStart(6)} `
            + `${(step.replies / n).toFixed(1).padStart(4)} ${String(n).padStart(5)}`,
        p95, cpu,
    };
}

/**
 * Where a turn's time goes along the journey: per step, each bot's p50, p95, CPU ms and replies per turn, and
 * Signpost's p95 and CPU above the echo bot's. Printed for one resident, where a step's CPU is its own.
 */
export function stepTable(echo: TurnBenchResult | undefined, signpost: TurnBenchResult | undefined): string[] {
    const head = '   p50    p95    CPU  rep turns';
    const lines = [`  per step, 1 resident (ms; CPU = this process's CPU per turn; rep = replies per turn)`,
        `  ${''.padEnd(32)} | ${'echo'.padEnd(30)} | ${'signpost'.padEnd(30)} | signpost above echo`,
        `  ${'step'.padEnd(32)} |${head} |${head} |  p95    CPU`];
    STEP_NAMES.forEach((name, i) => {
        const e = stepCells(echo?.steps?.[i]);
        const s = stepCells(signpost?.steps?.[i]);
        const label = `${i} ${name}`.slice(0, 32).padEnd(32);
        const more = `${ms(s.p95 - e.p95).padStart(5)} ${ms(s.cpu - e.cpu).padStart(5)}`;
        lines.push(`  ${label} | ${e.text} | ${s.text} | ${more}`);
    });
    return lines;
}

function line(label: string, r: TurnBenchResult): string {
    return `  ${label.padEnd(22)} ${(r.turns / r.seconds).toFixed(0).padStart(5)} turns/s `
        + `(${r.turns} turns, ${r.conversations} journeys, ${r.seconds.toFixed(1)} s); `
        + `p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, max ${ms(r.max)} ms; CPU ${ms(r.cpuMs / r.turns)} ms/turn, `
        + `${(r.replies / r.turns).toFixed(1)} replies/turn; failed ${r.failed}`;
}

/** Alternating rounds of the echo bot and Signpost at each number of residents, on one store. */
async function measurePaired(app: App, options: TurnBenchOptions, store: string): Promise<PairedResult[]> {
    const signpost = await signpostTarget(app);
    const echo = await echoTarget(app);
    const sinks = { echo: new ReplySink(echo.errorText), signpost: new ReplySink(signpost.errorText) };
    await sinks.echo.start();
    await sinks.signpost.start();
    const results: PairedResult[] = [];
    try {
        for (const conversations of [...new Set([1, options.conversations])]) {
            const rounds: Record<'echo' | 'signpost', (TurnBenchResult & { latencies: number[] })[]> = {
                echo: [], signpost: [],
            };
            for (let round = 1; round <= options.rounds; round++) {
                for (const bot of options.only ? [options.only] : ['echo', 'signpost'] as const) {
                    const target = bot === 'echo' ? echo : signpost;
                    const profiler = options.profile
                        ? new WindowProfiler(path.join(options.profile, `${bot}-${conversations}x-round${round}`))
                        : undefined;
                    const r = await measure(target, sinks[bot], bot, options.seconds, conversations, profiler);
                    rounds[bot].push(r);
                    console.log(line(`${bot} ${conversations}x round ${round}`, r));
                }
            }
            if (options.perStep && conversations === 1) {
                const only = (bot: 'echo' | 'signpost'): TurnBenchResult | undefined =>
                    (rounds[bot].length ? pooled(bot, rounds[bot]) : undefined);
                stepTable(only('echo'), only('signpost')).forEach((l) => console.log(l));
            }
            if (options.only) continue;
            const pair = {
                store, conversations, echo: pooled('echo', rounds.echo), signpost: pooled('signpost', rounds.signpost),
            };
            results.push(pair);
            const share = (pair.signpost.turns / pair.signpost.seconds) / (pair.echo.turns / pair.echo.seconds);
            console.log(line(`echo ${conversations}x, all rounds`, pair.echo));
            console.log(line(`signpost ${conversations}x, all`, pair.signpost));
            console.log(`  => at ${conversations} resident(s): Signpost gives ${(share * 100).toFixed(0)}% of the echo `
                + `bot's turns/s; p50 ${ms(pair.signpost.p50 - pair.echo.p50)} ms and p95 `
                + `${ms(pair.signpost.p95 - pair.echo.p95)} ms above the echo bot's `
                + `(p95 ${(pair.signpost.p95 / pair.echo.p95).toFixed(1)}x)`);
        }
    } finally {
        await signpost.stop();
        await echo.stop();
        await sinks.echo.stop();
        await sinks.signpost.stop();
    }
    return results;
}

/** The turn bench's options. */
export interface TurnBenchOptions {
    seconds: number;
    conversations: number;
    rounds: number;
    /** One bot only (to profile it alone); no comparison is printed then. */
    only?: 'echo' | 'signpost';
    /** A folder to write a CPU profile of each measured window into. */
    profile?: string;
    /** Print a table of each journey step's latency, CPU and replies at one resident (where the time goes). */
    perStep?: boolean;
    knowledge?: Knowledge;
}

/**
 * A CPU profile of one measured window only (start-up and warm-up left out), written beside its turn count, so
 * that a function's time divided by the turns is its cost per turn.
 */
class WindowProfiler {
    private session?: inspector.Session;

    constructor(private readonly file: string) {}

    async start(): Promise<void> {
        this.session = new inspector.Session();
        this.session.connect();
        await this.session.post('Profiler.enable');
        await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
        await this.session.post('Profiler.start');
    }

    async stop(turns: number): Promise<void> {
        if (!this.session) return;
        const { profile } = await this.session.post('Profiler.stop');
        this.session.disconnect();
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        fs.writeFileSync(`${this.file}.cpuprofile`, JSON.stringify(profile));
        fs.writeFileSync(`${this.file}.turns`, `${turns}\n`);
    }
}

/** Measures every store and prints a section of the bench's report. */
export async function runTurnBench(options: TurnBenchOptions): Promise<PairedResult[]> {
    const settings = loadConfig();
    const knowledge = options.knowledge ?? loadKnowledge(path.join(projectRoot(), 'knowledge'));
    const runs = storeRuns(settings);
    console.log(`\n=== bot turns over HTTP (POST /api/messages, real server in this process): a bare echo bot and `
        + `Signpost on the same stack, at 1 and ${options.conversations} residents at once, ${options.rounds} `
        + `alternating rounds of ${options.seconds} s each after a ${Math.min(WARM_UP_SECONDS, options.seconds / 5)} s `
        + `warm-up; each resident walks the website journey, ${JOURNEY.length + 1} activities, then starts again) ===`);
    if (!settings.mongodb) console.log('  MongoDB: not measured (MONGODB_URI is not set)');
    const results: PairedResult[] = [];
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
            console.log(`  -- ${run.label} --`);
            results.push(...await measurePaired(app, options, run.label));
            const cache = app.stateStore.stats();
            if (cache.outages) console.log(`  the store stopped answering ${cache.outages} time(s)`);
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

/** Issue 15's aims for a turn, each judged against the echo bot in the same run, on the embedded store. */
export const TURN_AIMS = {
    /** Signpost's turns per second at the many-residents load, as a share of the echo bot's: at least this. */
    minShare: 0.5,
    /** Signpost's p95 at one resident above the echo bot's: at most this many ms. */
    maxP95AboveMs: 3,
} as const;

/**
 * Both aims, each with both bots' figures from this run and "met" or "not met" (or "not measured" when the run did
 * not measure that load on the embedded store): what `npm run bench` prints last, so the answer is not scrolled away.
 */
export function turnAims(results: readonly PairedResult[], conversations: number): string[] {
    const on = (n: number) => results.find((r) => r.store === AIMS_STORE && r.conversations === n);
    const tps = (r: TurnBenchResult) => r.turns / r.seconds;
    const verdict = (met: boolean) => (met ? 'met' : 'not met');
    const lines = [`Turn aims (issue 15), ${AIMS_STORE}, both bots in this run:`];
    const many = on(conversations);
    if (many) {
        const share = tps(many.signpost) / tps(many.echo);
        // Judged on the whole per cent printed, so the line never reads "50% ... not met".
        const shown = Math.round(share * 100);
        lines.push(`  throughput at ${conversations} residents: Signpost ${tps(many.signpost).toFixed(0)} turns/s, `
            + `echo ${tps(many.echo).toFixed(0)} turns/s = ${shown}% of echo (aim: at least `
            + `${TURN_AIMS.minShare * 100}%): ${verdict(shown >= TURN_AIMS.minShare * 100)}`);
    } else {
        lines.push(`  throughput at ${conversations} residents: not measured`);
    }
    const one = on(1);
    if (one) {
        const above = Number((one.signpost.p95 - one.echo.p95).toFixed(2));
        lines.push(`  latency at 1 resident: Signpost p95 ${one.signpost.p95.toFixed(2)} ms, echo p95 `
            + `${one.echo.p95.toFixed(2)} ms = ${above >= 0 ? '+' : ''}${above.toFixed(2)} ms (aim: within `
            + `${TURN_AIMS.maxP95AboveMs} ms): ${verdict(above <= TURN_AIMS.maxP95AboveMs)}`);
    } else {
        lines.push('  latency at 1 resident: not measured');
    }
    return lines;
}

function numberOption(text: string | undefined, fallback: number): number {
    const n = Number(text);
    return text !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The turn bench's own options, as `npm run bench` passes them on. */
export function turnBenchOptions(values: {
    seconds?: string; conversations?: string; rounds?: string; only?: string; profile?: string; 'per-step'?: boolean;
}): TurnBenchOptions {
    return {
        profile: values.profile,
        perStep: values['per-step'] === true,
        only: values.only === 'echo' || values.only === 'signpost' ? values.only : undefined,
        seconds: numberOption(values.seconds, 10),
        conversations: Math.floor(numberOption(values.conversations, 50)),
        rounds: Math.floor(numberOption(values.rounds, 3)),
    };
}

if (require.main === module) {
    const { values } = parseArgs({
        options: {
            seconds: { type: 'string' }, conversations: { type: 'string' }, rounds: { type: 'string' },
            only: { type: 'string' }, profile: { type: 'string' }, 'per-step': { type: 'boolean' },
        },
    });
    const options = turnBenchOptions(values);
    runTurnBench(options).then((results) => {
        console.log('');
        turnAims(results, options.conversations).forEach((l) => console.log(l));
    }).catch((err: unknown) => {
        console.error((err as Error).message);
        process.exitCode = 1;
    });
}
