/**
 * The website chat page's one inline script (src/server/public/shell.js): inline so the welcome's form takes what
 * a resident types from the page's first paint, before any script file has arrived on a slow connection. The page
 * puts it in verbatim and the Content-Security-Policy allows exactly it by its SHA-256 (no 'unsafe-inline').
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';

let script: string | undefined;

/** The inline script's text, read once. */
export function shellScript(): string {
    script ??= fs.readFileSync(path.join(projectRoot(), 'src/server/public/shell.js'), 'utf8');
    return script;
}

/** The CSP source that allows the inline script and nothing else inline: `'sha256-...'`. */
export function shellScriptSource(): string {
    return `'sha256-${createHash('sha256').update(shellScript(), 'utf8').digest('base64')}'`;
}
