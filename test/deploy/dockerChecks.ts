/**
 * Static checks of the Dockerfile and .dockerignore (no Docker engine needed). Each check returns faults as plain
 * sentences; an empty list means it passed. The tests also run them on broken copies, to show each one can fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { looksLikeSecret, SECRET_NAME } from './armChecks';

export interface Instruction {
    op: string;
    args: string;
    line: number;
}

export interface Stage {
    image: string;
    name?: string;
    instructions: Instruction[];
}

/** The instructions of a Dockerfile, continuation lines joined, comments dropped, split into stages at FROM. */
export function parseDockerfile(text: string): Stage[] {
    const stages: Stage[] = [];
    const lines = text.split(/\r?\n/);
    for (let n = 0; n < lines.length; n++) {
        const start = n;
        let line = lines[n];
        if (/^\s*(#.*)?$/.test(line)) continue;
        while (/\\\s*$/.test(line) && n + 1 < lines.length) {
            line = line.replace(/\\\s*$/, ' ');
            n++;
            if (!/^\s*#/.test(lines[n])) line += lines[n].trim();
        }
        const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
        if (!m) continue;
        const instruction = { op: m[1].toUpperCase(), args: m[2].trim(), line: start + 1 };
        if (instruction.op === 'FROM') {
            const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
            stages.push({ image: from?.[1] ?? '', name: from?.[2], instructions: [] });
        } else if (stages.length) {
            stages[stages.length - 1].instructions.push(instruction);
        }
    }
    return stages;
}

/** The words of an instruction: its JSON array form, or split at spaces. */
function words(args: string): string[] {
    if (args.startsWith('[')) {
        try {
            return (JSON.parse(args) as unknown[]).map(String);
        } catch {
            return [args];
        }
    }
    return args.split(/\s+/);
}

/** A COPY or ADD: its options (--from, --chown), sources and destination. */
export function copyOf(i: Instruction): { from?: string; sources: string[]; dest: string } {
    const parts = words(i.args);
    const options = parts.filter((p) => p.startsWith('--'));
    const rest = parts.filter((p) => !p.startsWith('--'));
    const from = options.find((o) => o.startsWith('--from='))?.slice('--from='.length);
    return { from, sources: rest.slice(0, -1), dest: rest[rest.length - 1] ?? '' };
}

/** The working directory in force at each instruction of a stage. */
function workdirAt(stage: Stage, index: number): string {
    let dir = '/';
    for (const i of stage.instructions.slice(0, index)) {
        if (i.op === 'WORKDIR') dir = path.posix.resolve(dir, i.args);
    }
    return dir;
}

/** Where a COPY puts a source, as an absolute path in the image. */
function destinationOf(stage: Stage, index: number, source: string, dest: string): string {
    const base = path.posix.resolve(workdirAt(stage, index), dest);
    const intoFolder = dest.endsWith('/') || dest === '.' || dest === './';
    return intoFolder ? path.posix.join(base, path.posix.basename(source)) : base;
}

/** True when .dockerignore leaves a path out of the build context. */
export function ignoredBy(patterns: string[], file: string): boolean {
    const f = path.posix.normalize(file).replace(/^\.\//, '').replace(/\/$/, '');
    return patterns.some((p) => {
        const pattern = p.replace(/^\/+/, '').replace(/\/+$/, '');
        const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*')}(/.*)?$`);
        return re.test(f);
    });
}

/** The patterns of a .dockerignore. */
export function dockerignorePatterns(text: string): string[] {
    return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
}

export interface DockerRules {
    /** The repository folder COPY sources are read from. */
    root: string;
    /** The image every stage starts from. */
    image: string;
    /** Paths (relative to the project folder in the image) the server reads when it starts. */
    runtimePaths: string[];
    /** What tsc compiles into (tsconfig outDir), relative to the project folder. */
    outDir: string;
    /** The port the server listens on by default. */
    port: number;
}

/**
 * The Dockerfile: a build stage (all dependencies, tsc, then pruned to production dependencies) and a runtime stage
 * (the pruned node_modules, the compiled code and the files the server reads; it installs nothing), both from the same slim Node 20 image; a user that is not root; a
 * HEALTHCHECK asking /healthz with node; the port exposed; the data folder a volume; no secrets; every COPY from the
 * context names a file that exists and is not in .dockerignore.
 */
export function checkDockerfile(text: string, ignore: string[], rules: DockerRules): string[] {
    const faults: string[] = [];
    const stages = parseDockerfile(text);
    if (stages.length < 2) return [`${stages.length} stage(s): a build stage and a runtime stage are needed`];
    for (const s of stages) if (s.image !== rules.image) faults.push(`stage ${s.name ?? s.image} is FROM ${s.image}`);
    const runtime = stages[stages.length - 1];
    const build = stages.slice(0, -1);
    const runs = (s: Stage) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    const buildRuns = build.flatMap(runs);
    if (!buildRuns.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev|--production/.test(r))) {
        faults.push('no build stage installs every dependency with npm ci');
    }
    if (!buildRuns.some((r) => /\bnpx tsc\b/.test(r))) faults.push('no build stage compiles with npx tsc');
    if (!buildRuns.some((r) => /\bnpm prune\b/.test(r) && /--omit=dev/.test(r))) {
        faults.push('no build stage prunes to production dependencies with npm prune --omit=dev');
    }
    const runtimeRuns = runs(runtime);
    // botbuilder-dialogs' install script runs `npx rimraf`, a dev dependency: installing again without dev
    // dependencies fails. The runtime takes the build stage's pruned node_modules instead.
    if (runtimeRuns.some((r) => /\bnpm (ci|install|i)\b/.test(r))) {
        faults.push('the runtime stage installs packages: botbuilder-dialogs\' install script needs a dev dependency');
    }
    const copiesModules = runtime.instructions.some((i) => i.op === 'COPY' && /--from=\S+/.test(i.args)
        && /\/node_modules\b/.test(i.args));
    if (!copiesModules) faults.push('the runtime stage does not take node_modules from the build stage');
    if (runtimeRuns.some((r) => /\btsc\b/.test(r))) {
        faults.push('the runtime stage compiles: it has no dev dependencies');
    }

    const users = runtime.instructions.filter((i) => i.op === 'USER');
    const user = users[users.length - 1]?.args.split(':')[0];
    if (!user) faults.push('the runtime stage runs as root (no USER)');
    else if (user === 'root' || user === '0') faults.push(`the runtime stage runs as ${user}`);

    const health = runtime.instructions.find((i) => i.op === 'HEALTHCHECK');
    if (!health) faults.push('no HEALTHCHECK');
    else {
        if (!/\/healthz\b/.test(health.args)) faults.push('the HEALTHCHECK does not ask /healthz');
        if (!/"node"|\bnode\s/.test(health.args)) faults.push('the HEALTHCHECK does not use node');
        if (/\b(curl|wget)\b/.test(health.args)) {
            faults.push('the HEALTHCHECK uses curl or wget, which the slim image lacks');
        }
    }
    if (!runtime.instructions.some((i) => i.op === 'EXPOSE' && words(i.args).includes(String(rules.port)))) {
        faults.push(`port ${rules.port} is not exposed`);
    }
    const workdir = workdirAt(runtime, runtime.instructions.length);
    const dataEnv = runtime.instructions.filter((i) => i.op === 'ENV')
        .map((i) => /SIGNPOST_DATA_DIR[= ]\s*(\S+)/.exec(i.args)?.[1]).find(Boolean);
    const dataDir = dataEnv ? path.posix.resolve(workdir, dataEnv) : path.posix.join(workdir, 'data');
    const volumes = runtime.instructions.filter((i) => i.op === 'VOLUME').flatMap((i) => words(i.args));
    if (!volumes.includes(dataDir)) faults.push(`the data folder ${dataDir} is not a VOLUME`);

    const cmd = runtime.instructions.filter((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT').map((i) => i.args)
        .join(' ');
    if (/\bnpm\b/.test(cmd)) faults.push('the container starts with npm: npm start compiles first, and cannot here');
    if (!cmd.includes(`${rules.outDir}/src/index.js`)) {
        faults.push(`the container does not run ${rules.outDir}/src/index.js`);
    }

    stages.forEach((stage, s) => {
        for (const i of stage.instructions) {
            if (i.op === 'ENV' || i.op === 'ARG' || i.op === 'LABEL') {
                for (const m of i.args.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("[^"]*"|\S+)/g)) {
                    const value = m[2].replace(/^"|"$/g, '');
                    if (SECRET_NAME.test(m[1]) && value) faults.push(`line ${i.line}: ${m[1]} holds a secret value`);
                }
            }
            for (const word of words(i.args)) {
                if (looksLikeSecret(word.replace(/^[\w.-]+=/, ''))) faults.push(`line ${i.line}: looks like a secret`);
            }
            if (i.op !== 'COPY' && i.op !== 'ADD') continue;
            const copy = copyOf(i);
            if (copy.from !== undefined) {
                const source = stages.find((st) => st.name === copy.from);
                if (!source || stages.indexOf(source) >= s) {
                    faults.push(`line ${i.line}: no earlier stage ${copy.from}`);
                }
                continue;
            }
            for (const src of copy.sources) {
                if (!fs.existsSync(path.join(rules.root, src))) {
                    faults.push(`line ${i.line}: ${src} is not in the repository`);
                } else if (ignoredBy(ignore, src)) {
                    faults.push(`line ${i.line}: ${src} is left out by .dockerignore`);
                }
            }
        }
    });

    // What the runtime stage holds: every COPY's destination, and what the build stage made for COPY --from.
    const held: string[] = [];
    runtime.instructions.forEach((i, n) => {
        if (i.op !== 'COPY' && i.op !== 'ADD') return;
        const copy = copyOf(i);
        for (const src of copy.sources) held.push(destinationOf(runtime, n, src, copy.dest));
        if (copy.from !== undefined) {
            const source = stages.find((st) => st.name === copy.from);
            const home = source ? workdirAt(source, source.instructions.length) : '';
            // What the build stage makes: tsc's output, and the production dependencies it pruned to.
            const made = source ? [path.posix.join(home, rules.outDir), path.posix.join(home, 'node_modules')] : [];
            for (const src of copy.sources) {
                if (!made.includes(path.posix.resolve(src))) {
                    faults.push(`line ${i.line}: ${src} is not what the build stage makes (${made.join(', ')})`);
                }
            }
        }
    });
    for (const needed of rules.runtimePaths) {
        const at = path.posix.join(workdir, needed);
        if (!held.some((h) => at === h || at.startsWith(h + '/'))) {
            faults.push(`the runtime stage lacks ${needed}, which the server reads`);
        }
    }
    return faults;
}

/** .dockerignore leaves out what is installed or built inside, and local state. */
export function checkDockerignore(ignore: string[], mustIgnore: string[]): string[] {
    return mustIgnore.filter((p) => !ignoredBy(ignore, p)).map((p) => `.dockerignore does not leave out ${p}`);
}

/**
 * What the server reads when it starts, found by following relative imports from the entry point: the project
 * files named by `path.join(projectRoot(), '...')` (or a `root` variable set from projectRoot()), package.json, which
 * projectRoot() looks for, and the packages named by require.resolve().
 */
export function runtimeNeeds(root: string, entry: string): { paths: string[]; packages: string[]; files: number } {
    const seen = new Set<string>();
    const paths = new Set<string>(['package.json']);
    const packages = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file) || !fs.existsSync(file)) return;
        seen.add(file);
        const source = fs.readFileSync(file, 'utf8');
        const roots = source.includes('projectRoot()') ? 'projectRoot\\(\\)|root' : 'projectRoot\\(\\)';
        for (const m of source.matchAll(new RegExp(`path\\.join\\(\\s*(?:${roots})\\s*,\\s*'([^']+)'`, 'g'))) {
            paths.add(m[1]);
        }
        for (const m of source.matchAll(/require\.resolve\('([^'./][^']*)'\)/g)) packages.add(m[1].split('/')[0]);
        for (const m of source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
            const target = path.resolve(path.dirname(file), m[1]).replace(/\.js$/, '');
            visit(`${target}.ts`);
            visit(path.join(target, 'index.ts'));
        }
    };
    visit(path.join(root, entry));
    return { paths: [...paths].sort(), packages: [...packages].sort(), files: seen.size };
}
