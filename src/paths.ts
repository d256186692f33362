/** Locating the project's own files whether running from src (ts) or dist (compiled). */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The folder holding Signpost's package.json. */
export function projectRoot(): string {
    if (cached) return cached;
    let dir = __dirname;
    for (;;) {
        const candidate = path.join(dir, 'package.json');
        if (fs.existsSync(candidate)) {
            const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
            if (pkg.name === 'signpost') return (cached = dir);
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error('Cannot find the Signpost package folder above ' + __dirname);
        dir = parent;
    }
}
