/**
 * The start section of `npm run bench` (issue 23): how long the built server takes from being started to answering
 * /healthz, with the shipped knowledge and with a knowledge folder of 10,000 listings, the wait a council's
 * team sees after `npm start` and what an App Service instance pays at every restart. Each is started a few times
 * on a fresh data folder (the first start also makes the embedded database) and the median is printed, with the CPU
 * the server used until then (on Linux), since on a shared machine the wall time also holds other people's work.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Opportunity } from '../knowledge/schema';
import { projectRoot } from '../paths';
import { freePort } from './serverProcess';

/** One start: wall time to /healthz answering, and the server's CPU time until then when it could be read. */
export interface StartTime {
    readyMs: number;
    cpuMs?: number;
}

/** CPU time (user + system) a process has used so far, from /proc; undefined where there is no /proc. */
function cpuMs(pid: number): number | undefined {
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's closing bracket.
        const ticks = Number(fields[11]) + Number(fields[12]);
        return Number.isFinite(ticks) ? ticks * 10 : undefined;
    } catch {
        return undefined;
    }
}

/** Starts the built server once with these settings and times it until /healthz answers; then stops it. */
export async function timeStart(env: Readonly<Record<string, string>>, timeoutMs = 60_000): Promise<StartTime> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-start-'));
    const began = performance.now();
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'index.js')], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SIGNPOST_DATA_DIR: dataDir, LOG_LEVEL: 'warn',
            ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    try {
        while (performance.now() - began < timeoutMs) {
            if (child.exitCode !== null) throw new Error(`the server stopped: ${stderr}`);
            try {
                const res = await fetch(`http://127.0.0.1:${port}/healthz`);
                await res.arrayBuffer();
                if (res.ok) {
                    const readyMs = performance.now() - began;
                    return { readyMs, cpuMs: child.pid === undefined ? undefined : cpuMs(child.pid) };
                }
            } catch {
                // not listening yet
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error(`the server did not answer /healthz in ${timeoutMs / 1000} s: ${stderr}`);
    } finally {
        if (child.exitCode === null) {
            await new Promise<void>((resolve) => {
                child.once('exit', () => resolve());
                child.kill('SIGKILL');
            });
        }
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
}

/**
 * A copy of the shipped knowledge folder whose directory is `listings` (the bench's synthetic listings), in a
 * temporary folder the caller removes.
 */
export function knowledgeWith(listings: readonly Opportunity[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-start-kb-'));
    fs.cpSync(path.join(projectRoot(), 'knowledge'), dir, { recursive: true });
    const directory = path.join(dir, 'directory');
    for (const name of fs.readdirSync(directory)) {
        if (name.endsWith('.json')) fs.rmSync(path.join(directory, name));
    }
    fs.writeFileSync(path.join(directory, 'bench.json'), JSON.stringify({
        about: 'Synthetic listings for npm run bench: not real services.',
        source: 'Copies of the shipped sample with new ids, names, places and dates.',
        opportunities: listings,
    }));
    return dir;
}

/** The median of some numbers (the lower middle one of an even count). */
function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** Times `runs` starts and prints one line: the median wall time to /healthz and the median CPU time. */
export async function benchStart(label: string, env: Readonly<Record<string, string>>, runs = 3): Promise<number> {
    const times: StartTime[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeStart(env));
    const ready = median(times.map((t) => t.readyMs));
    const cpu = times.every((t) => t.cpuMs !== undefined) ? median(times.map((t) => t.cpuMs as number)) : undefined;
    console.log(`  ${label}: ready (/healthz answering) in ${(ready / 1000).toFixed(2)} s (median of ${runs}; `
        + `${times.map((t) => (t.readyMs / 1000).toFixed(2)).join(', ')} s)`
        + (cpu === undefined ? '' : `, ${(cpu / 1000).toFixed(2)} s of CPU`));
    return ready;
}
