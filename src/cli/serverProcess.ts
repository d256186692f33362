/**
 * The built server (dist/src/index.js) in a child process, started as `npm start` starts it: for `npm run soak`,
 * `npm run killtest` and the tests that kill and restart it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** A port nobody is listening on. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

/** The built server running in a child process. */
export interface ServerProcess {
    child: ChildProcess;
    url: string;
    /** What the server wrote to stderr (start-up faults). */
    stderr(): string;
}

export interface ServerOptions {
    port: number;
    dataDir: string;
    /** Settings over this process's environment, PORT, HOST, SIGNPOST_DATA_DIR and LOG_LEVEL (warn). */
    env?: Readonly<Record<string, string>>;
    /** Another script to run than dist/src/index.js, with its arguments and Node options (soak's `--serve`). */
    script?: { file: string; args: string[]; execArgv: string[] };
    /** How long it may take to answer /healthz (default 30 s). */
    timeoutMs?: number;
}

/** Starts the server on `port` and `dataDir`, on 127.0.0.1, and resolves once /healthz answers. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
    const env = {
        ...process.env, PORT: String(options.port), HOST: '127.0.0.1', SIGNPOST_DATA_DIR: options.dataDir,
        LOG_LEVEL: 'warn', ...options.env,
    };
    const stdio: ['ignore', 'ignore', 'pipe', 'ipc'] = ['ignore', 'ignore', 'pipe', 'ipc'];
    const { script } = options;
    const child = script
        ? fork(script.file, script.args, { env, execArgv: script.execArgv, stdio })
        : fork(path.join(__dirname, '..', 'index.js'), [], { env, stdio });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const url = `http://127.0.0.1:${options.port}`;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server stopped: ${stderr}`);
        try {
            const res = await fetch(`${url}/healthz`);
            await res.arrayBuffer();
            if (res.ok) return { child, url, stderr: () => stderr };
        } catch {
            // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`the server did not start: ${stderr}`);
}

/** Stops a server process with a signal and waits until it has gone. */
export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const { child } = server;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
    });
}
