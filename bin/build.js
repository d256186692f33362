#!/usr/bin/env node
// Builds Signpost: the TypeScript into dist/, then the website chat's compressed files into dist/static.
//
//   node bin/build.js              a clean build (npm run build, npm install's prepare step, pretest)
//   node bin/build.js --if-stale   builds only when a source is newer than the last build, and says so in one line
//                                  (npm start, npm run chat, npm run signpost: a start only starts)
//
// Plain JavaScript, so it runs before anything is compiled. A whole build leaves dist/.built (the time it began), and
// tsc run by hand counts too (it rewrites dist/src/index.js, even when it reports type errors, as it emits anyway).
// Without src/ (a container's build stage installs before it copies the sources, then runs tsc itself) there is
// nothing to build.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.built');
/** What the compiled server is made from; knowledge/ is read at start, not compiled, and test/ is not started. */
const SOURCES = ['src', 'dialogs', 'tsconfig.json', 'package.json'];

/** The newest modification time (ms) of any file under these paths, or 0 when there are none. */
function newest(paths) {
    let latest = 0;
    const walk = (p) => {
        let stat;
        try {
            stat = fs.statSync(p);
        } catch {
            return;
        }
        if (stat.isDirectory()) {
            for (const name of fs.readdirSync(p)) walk(path.join(p, name));
        } else {
            latest = Math.max(latest, stat.mtimeMs);
        }
    };
    paths.forEach((p) => walk(path.join(root, p)));
    return latest;
}

/**
 * When the build was last made (ms), or undefined when there is none: when the last good build began, or when tsc
 * last wrote the server's entry point (it writes every file each run), so `npx tsc -p .` by hand counts too.
 */
function lastBuild() {
    let compiled;
    try {
        compiled = fs.statSync(path.join(dist, 'src', 'index.js')).mtimeMs;
    } catch {
        return undefined;
    }
    let began = 0;
    try {
        began = Number(fs.readFileSync(stampFile, 'utf8')) || 0;
    } catch {
        // no full build yet: the server compresses the chat's files itself on its first start
    }
    return Math.max(compiled, began);
}

/** Runs a step of the build with its output on stderr (stdout may be a command's JSON); false when it failed. */
function run(args) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 2] });
    return result.status === 0;
}

function build(clean) {
    const began = Date.now();
    let tsc;
    try {
        tsc = path.join(path.dirname(require.resolve('typescript/package.json', { paths: [root] })), 'bin', 'tsc');
    } catch {
        // An install without dev dependencies (--omit=dev): a build made elsewhere (dist/) may still be used.
        process.stderr.write('signpost: TypeScript is not installed (an install without dev dependencies), so '
            + 'nothing was built: install with dev dependencies, or bring a built dist/.\n');
        return fs.existsSync(path.join(dist, 'src', 'index.js'));
    }
    if (clean) fs.rmSync(dist, { recursive: true, force: true });
    if (!run([tsc, '-p', '.'])) return false;
    if (!run([path.join(dist, 'src', 'cli', 'buildAssets.js')])) return false;
    fs.writeFileSync(stampFile, String(began));
    return true;
}

function main() {
    if (!fs.existsSync(path.join(root, 'src'))) {
        process.stderr.write('signpost: no src/ folder here, so nothing to build yet.\n');
        return 0;
    }
    if (process.argv.includes('--if-stale')) {
        const built = lastBuild();
        if (built !== undefined && newest(SOURCES) <= built) return 0;
        process.stderr.write(built === undefined
            ? 'signpost: not built yet: building first (about 20 s).\n'
            : 'signpost: the sources changed since the last build: building first.\n');
        return build(false) ? 0 : 1;
    }
    return build(true) ? 0 : 1;
}

process.exitCode = main();
