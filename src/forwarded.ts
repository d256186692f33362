/**
 * The X-Forwarded- headers a proxy in front adds (For, Host, Proto), read one way wherever they are read: the
 * request limits (src/server/limits.ts), the workspace's Origin check and Direct Line's public address. It sits
 * here, below server, channels and workspace, so each can use it without importing the others.
 */

/** What is read of a request: restify's Request has it, and so does anything with the same method. */
export interface HeaderSource {
    header(name: string): string | undefined;
}

/**
 * The entry of the X-Forwarded- header `name` that the outermost trusted proxy wrote, or undefined when there is
 * none or `trustProxy` (how many proxies in front add themselves, SIGNPOST_TRUST_PROXY) is 0: anyone can send these
 * headers, so without a trusted proxy they are never believed. Each proxy appends its entry on the right, so the
 * Nth from the right is the one the outermost trusted proxy saw; entries a client made up (on the left) are never
 * used.
 */
export function forwardedValue(req: HeaderSource, name: string, trustProxy: number): string | undefined {
    if (trustProxy <= 0) return undefined;
    const hops = String(req.header(name) ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    return hops.length ? hops[Math.max(0, hops.length - trustProxy)] : undefined;
}
