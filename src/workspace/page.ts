/**
 * The workspace page: one static HTML file, a script and a stylesheet from src/workspace/public, under a strict
 * content security policy (no inline script or style, no framing by any site).
 */
import fs from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import { projectRoot } from '../paths';

/** The workspace's policy: only its own files, and it may not be put in a frame (clickjacking). */
export const WORKSPACE_CSP = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "base-uri 'none'", "form-action 'self'", "object-src 'none'", "frame-ancestors 'none'",
].join('; ');

const ASSETS: Record<string, string> = {
    '/workspace': 'workspace.html',
    '/workspace/': 'workspace.html',
    '/workspace/workspace.js': 'workspace.js',
    '/workspace/workspace.css': 'workspace.css',
};
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the page and its assets. */
export function mountWorkspacePage(server: restify.Server): void {
    const dir = path.join(projectRoot(), 'src/workspace/public');
    for (const [route, file] of Object.entries(ASSETS)) {
        server.get(route, async (_req, res) => {
            const body = fs.readFileSync(path.join(dir, file));
            res.writeHead(200, {
                'Content-Type': `${TYPES[path.extname(file)]}; charset=utf-8`,
                'Content-Length': body.length,
                'Content-Security-Policy': WORKSPACE_CSP,
                'X-Content-Type-Options': 'nosniff',
                'X-Frame-Options': 'DENY',
                'Referrer-Policy': 'no-referrer',
                'Cache-Control': 'no-cache',
            });
            res.end(body);
        });
    }
}
