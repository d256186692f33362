/**
 * What the website chat keeps of a resident's activity beyond its words. Everything stored stays for
 * SIGNPOST_STATE_DAYS, so only what the bot or Web Chat reads is kept, each part with a cap: a client's channelData,
 * entities and any large value are dropped before the activity is stored or reaches the bot.
 */

/** The largest `value` kept, in bytes of JSON: a card button's data is a few dozen. */
export const MAX_KEPT_VALUE_BYTES = 512;

/**
 * Of channelData, only what Web Chat matches its own echo by (so a sent message is not shown twice), as short
 * strings. Undefined when there is none of it.
 */
export function keptChannelData(channelData: unknown): Record<string, string> | undefined {
    if (!channelData || typeof channelData !== 'object' || Array.isArray(channelData)) return undefined;
    const data = channelData as Record<string, unknown>;
    const out: Record<string, string> = {};
    if (typeof data.clientActivityID === 'string' && data.clientActivityID.length <= 100) {
        out.clientActivityID = data.clientActivityID;
    }
    if (typeof data.clientTimestamp === 'string' && data.clientTimestamp.length <= 40) {
        out.clientTimestamp = data.clientTimestamp;
    }
    return Object.keys(out).length ? out : undefined;
}

/** A card button's value, when it is small (MAX_KEPT_VALUE_BYTES); a larger one is dropped, not cut. */
export function keptValue(value: unknown): unknown {
    if (value === undefined) return undefined;
    let json: string | undefined;
    try {
        json = JSON.stringify(value);
    } catch {
        return undefined;
    }
    return json !== undefined && Buffer.byteLength(json, 'utf8') <= MAX_KEPT_VALUE_BYTES ? value : undefined;
}
