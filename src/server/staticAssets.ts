/**
 * The website chat's static files (its script, its styles, the Web Chat bundle) as a phone on a slow connection
 * needs them: each under a name holding a hash of its content (`/static/webchat.3f2a9c1d0b7e.js`), so a browser may
 * keep it for a year without asking again (`immutable`), and a new release, whose files have new names, is never
 * hidden by an old copy; each compressed once, with brotli and gzip, not per request, and sent in the best encoding
 * the browser accepts (with `Vary: Accept-Encoding`).
 *
 * Compressing the 3.9 MB Web Chat bundle with brotli at its best setting takes seconds, so it is done ahead:
 * `npm run build` writes the compressed copies into the cache folder (dist/static, see `precompress`), and a server
 * that starts without them compresses in the background (zlib's thread pool, not the event loop) and sends the
 * files uncompressed until it is done, then keeps the result in the cache folder for the next start when it may
 * write there.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type restify from 'restify';
import { projectRoot } from '../paths';

/** Where a URL of this kind is served: `/static/<name>.<hash>.<ext>`. */
export const STATIC_PREFIX = '/static/';
/** A year, the longest a browser is asked to keep anything; the file's name changes when its content does. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** One file to serve: a short name (`chat.js`), where it is, and its media type. */
export interface StaticSource {
    name: string;
    file: string;
    type: string;
}

/** The encodings kept for each file, best first. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** A body that may be sent in several encodings, with its strong validator. */
export interface Encoded {
    type: string;
    hash: string;
    bodies: Partial<Record<Encoding, Buffer>>;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The cache folder of compressed copies: dist/static, written by `npm run build`. */
export function defaultCacheDir(): string {
    return path.join(projectRoot(), 'dist', 'static');
}

/** The first 12 hex digits of the content's SHA-256: enough to tell releases apart, short in a URL. */
export function contentHash(body: Buffer | string): string {
    return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

/** brotli at its best setting (the size hint helps it on big files) and gzip at level 9, off the event loop. */
export async function compress(body: Buffer): Promise<{ br: Buffer; gzip: Buffer }> {
    const [br, gz] = await Promise.all([
        brotli(body, {
            params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
        }),
        gzip(body, { level: 9 }),
    ]);
    return { br, gzip: gz };
}

/** Compresses small bodies (a page, the embed script) at once: a few milliseconds, done once at start-up. */
export function compressSmall(type: string, body: string | Buffer): Encoded {
    const identity = Buffer.isBuffer(body) ? body : Buffer.from(body);
    return {
        type,
        hash: contentHash(identity),
        bodies: {
            identity,
            br: zlib.brotliCompressSync(identity, {
                params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY },
            }),
            gzip: zlib.gzipSync(identity, { level: 9 }),
        },
    };
}

/**
 * The encoding to send: brotli, else gzip, when the request's Accept-Encoding takes it (a q of 0 refuses) and a
 * copy exists; else the file as it is.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: Partial<Record<Encoding, Buffer>>)
    : Encoding {
    const accepted = new Map<string, number>();
    for (const part of (acceptEncoding ?? '').split(',')) {
        const [name, ...params] = part.trim().toLowerCase().split(';');
        if (!name) continue;
        const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
        accepted.set(name, q ? Number(q[1]) : 1);
    }
    const takes = (name: string): boolean => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
    if (available.br && takes('br')) return 'br';
    if (available.gzip && takes('gzip')) return 'gzip';
    return 'identity';
}

/**
 * Sends one of an Encoded's bodies, with its ETag (a 304 when the request's If-None-Match names it), Vary (with any
 * other request header the body depends on) and the given Cache-Control.
 */
export function sendEncoded(req: restify.Request, res: restify.Response, encoded: Encoded, cacheControl: string,
    alsoVaries: string[] = []): void {
    const encoding = chooseEncoding(req.header('accept-encoding'), encoded.bodies);
    const body = encoded.bodies[encoding] ?? encoded.bodies.identity!;
    const etag = `"${encoded.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    const headers: Record<string, string | number> = {
        'Content-Type': encoded.type,
        'Cache-Control': cacheControl,
        'Vary': ['Accept-Encoding', ...alsoVaries].join(', '),
        'ETag': etag,
    };
    const asked = req.header('if-none-match');
    if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        res.writeHead(304, headers);
        res.end();
        return;
    }
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
}

/** The file names of a source's compressed copies in the cache folder. */
function cacheNames(cacheDir: string, name: string, hash: string): { br: string; gzip: string } {
    const base = path.join(cacheDir, `${hash}-${name}`);
    return { br: `${base}.br`, gzip: `${base}.gz` };
}

function readIfThere(file: string): Buffer | undefined {
    try {
        return fs.readFileSync(file);
    } catch {
        return undefined;
    }
}

/** Writes a file whole or not at all (a rename), so a server stopped midway leaves no half-written copy. */
function writeWhole(file: string, body: Buffer): void {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, body);
    fs.renameSync(temporary, file);
}

/** The static files of the website chat, by hashed URL. */
export class StaticAssets {
    private readonly byUrl = new Map<string, Encoded>();
    private readonly urls = new Map<string, string>();
    /** Settles once every file has its compressed copies (or compressing failed: then they go uncompressed). */
    readonly ready: Promise<void>;

    constructor(sources: readonly StaticSource[], private readonly cacheDir = defaultCacheDir()) {
        const pending: Promise<void>[] = [];
        for (const source of sources) {
            const identity = fs.readFileSync(source.file);
            const hash = contentHash(identity);
            const dot = source.name.lastIndexOf('.');
            const url = `${STATIC_PREFIX}${source.name.slice(0, dot)}.${hash}${source.name.slice(dot)}`;
            const encoded: Encoded = { type: source.type, hash, bodies: { identity } };
            const names = cacheNames(cacheDir, source.name, hash);
            const [br, gz] = [readIfThere(names.br), readIfThere(names.gzip)];
            if (br && gz) {
                encoded.bodies.br = br;
                encoded.bodies.gzip = gz;
            } else {
                pending.push(this.compressInBackground(encoded, names));
            }
            this.byUrl.set(url, encoded);
            this.urls.set(source.name, url);
        }
        this.ready = Promise.all(pending).then(() => undefined);
    }

    /** The hashed URL of a source by its short name (`chat.js`). */
    url(name: string): string {
        const url = this.urls.get(name);
        if (!url) throw new Error(`No static file named ${name}`);
        return url;
    }

    /** Adds the route serving every file: 404 for a name that is not (or no longer) served. */
    mount(server: restify.Server): void {
        const handler: restify.RequestHandler = async (req, res) => {
            const encoded = this.byUrl.get(req.getPath());
            if (!encoded) {
                res.setHeader('Cache-Control', 'no-store');
                res.send(404, { error: { code: 'NotFound', message: 'No such file.' } });
                return;
            }
            sendEncoded(req, res, encoded, IMMUTABLE);
        };
        server.get(`${STATIC_PREFIX}:file`, handler);
        server.head(`${STATIC_PREFIX}:file`, handler);
    }

    private async compressInBackground(encoded: Encoded, names: { br: string; gzip: string }): Promise<void> {
        try {
            const { br, gzip: gz } = await compress(encoded.bodies.identity!);
            encoded.bodies.br = br;
            encoded.bodies.gzip = gz;
            try {
                fs.mkdirSync(this.cacheDir, { recursive: true });
                writeWhole(names.br, br);
                writeWhole(names.gzip, gz);
            } catch {
                // A read-only install keeps the copies in memory only; `npm run build` writes them ahead.
            }
        } catch {
            // Sent uncompressed: slower, never wrong.
        }
    }
}

/** Writes the compressed copies of `sources` into the cache folder (for `npm run build`); resolves to the count. */
export async function precompress(sources: readonly StaticSource[], cacheDir = defaultCacheDir()): Promise<number> {
    const assets = new StaticAssets(sources, cacheDir);
    await assets.ready;
    return sources.length;
}
