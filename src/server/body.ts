/**
 * Reads request bodies, in place of restify's bodyReader. restify's unpacks gzip with no 'error' listener (one
 * request with a broken gzip body ended the process) and counts the body limit in compressed bytes (200 MB of
 * JSON in 200 KB of gzip was unpacked and parsed, even for a request answered 401).
 *
 * Here the limit (SIGNPOST_LIMIT_BODY_KB) holds both for the bytes sent and for the bytes unpacked: unpacking stops
 * as soon as it is passed (413). gzip and deflate are still taken, as restify took gzip, though no client Signpost
 * serves is known to compress what it sends (Azure Bot Service, browsers): it costs nothing within the limit and
 * keeps a proxy that compresses working. Any other encoding (br, compress, several at once) is 415; a body that is
 * not what its encoding says is 400. JSON nested deeper than MAX_JSON_DEPTH is 400 too, before it is parsed: no
 * client sends that, and code that walks JSON recursively (cloning, storing) could overflow the stack on it.
 */
import zlib from 'node:zlib';
import type restify from 'restify';
import type { Logger } from '../log';

/** The deepest JSON a request may send: activities and workspace bodies are a few levels deep. */
export const MAX_JSON_DEPTH = 64;

/** The encodings a body may come in: what restify took (gzip), and deflate, its sibling. */
const ENCODINGS: Record<string, (() => zlib.Gunzip | zlib.Inflate) | undefined> = {
    'identity': undefined,
    'gzip': () => zlib.createGunzip(),
    'x-gzip': () => zlib.createGunzip(),
    'deflate': () => zlib.createInflate(),
};

/** A handler that reads the body into req.body (text), for restify's jsonBodyParser({ bodyReader: true }). */
export function readBody(options: { maxBytes: number; log: Logger }): restify.RequestHandler {
    const { maxBytes, log } = options;
    return (req, res, next) => {
        if (req.getContentLength() === 0 && !req.isChunked()) return next();
        let settled = false;
        let inflate: zlib.Gunzip | zlib.Inflate | undefined;
        const refuse = (status: number, code: string, message: string) => {
            if (settled) return;
            settled = true;
            inflate?.destroy();
            log.warn('http.body_refused', { status, code });
            res.setHeader('Cache-Control', 'no-store');
            // The rest of the body is not read: the connection closes once the answer is sent.
            res.setHeader('Connection', 'close');
            res.send(status, { error: { code, message } });
            next(false);
        };
        const tooBig = () => refuse(413, 'PayloadTooLarge', `The body is too big (at most ${maxBytes} bytes).`);

        const encoding = String(req.header('content-encoding') ?? '').trim().toLowerCase() || 'identity';
        if (!Object.hasOwn(ENCODINGS, encoding)) {
            res.setHeader('Accept-Encoding', 'gzip, deflate');
            return refuse(415, 'UnsupportedContentEncoding', 'Send the body as it is, or gzip or deflate it.');
        }
        if (req.getContentLength() > maxBytes) return tooBig();

        const chunks: Buffer[] = [];
        let sent = 0;
        let unpacked = 0;
        const keep = (chunk: Buffer) => {
            if (settled) return;
            unpacked += chunk.length;
            if (unpacked > maxBytes) return tooBig();
            chunks.push(chunk);
        };
        const finish = () => {
            if (settled) return;
            const text = Buffer.concat(chunks).toString('utf8');
            if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
                return refuse(400, 'TooDeep', `The JSON is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`);
            }
            settled = true;
            req.body = text;
            next();
        };

        inflate = ENCODINGS[encoding]?.();
        if (inflate) {
            inflate.on('data', keep);
            inflate.on('end', finish);
            // Never without this listener: an 'error' event with none ends the process.
            inflate.on('error', () => refuse(400, 'BadContentEncoding', `The body is not valid ${encoding} data.`));
        }
        req.on('data', (chunk: Buffer) => {
            if (settled) return;
            sent += chunk.length;
            if (sent > maxBytes) return tooBig();
            if (inflate) inflate.write(chunk);
            else keep(chunk);
        });
        req.once('end', () => {
            if (inflate && !settled) inflate.end();
            else finish();
        });
        // The client went away: nobody to answer.
        const gone = () => {
            if (settled) return;
            settled = true;
            inflate?.destroy();
            next(false);
        };
        req.once('error', gone);
        req.once('aborted', gone);
        req.resume();
    };
}

/** True when `text`, read as JSON, opens more than `max` arrays or objects inside one another. */
export function jsonDeeperThan(text: string, max: number): boolean {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 0x5c) i++; // a backslash: the next character is escaped
            else if (c === 0x22) inString = false;
        } else if (c === 0x22) {
            inString = true;
        } else if (c === 0x5b || c === 0x7b) {
            if (++depth > max) return true;
        } else if (c === 0x5d || c === 0x7d) {
            depth--;
        }
    }
    return false;
}
