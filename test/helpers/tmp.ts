/** Temporary folders for tests: a real database file per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'signpost-test-'): { dir: string; remove: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
