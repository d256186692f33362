/**
 * Checks on what a client sends as (part of) an activity, shared by /api/messages (src/server/limits.ts) and the
 * built-in Direct Line endpoint. A field of the wrong type, or text that is not Unicode, made botbuilder or the bot
 * fail inside the turn (the client got 200 and nobody was answered); checked here it is a plain 400 before the turn.
 */

/** C0 and C1 control characters (NUL, ESC, DEL...): never in an id. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A lone surrogate: half of a character, which no UTF-8 can carry (String.isWellFormed is ES2024, not in our lib). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` is well-formed UTF-16. */
export function isWellFormed(text: string): boolean {
    return !LONE_SURROGATE.test(text);
}

/** True when `value` holds, anywhere (keys too), a string that is not well-formed UTF-16 (a lone surrogate). */
export function hasMalformedText(value: unknown): boolean {
    // Depth is bounded by the body reader (src/server/body.ts MAX_JSON_DEPTH); iterative anyway.
    const stack: unknown[] = [value];
    while (stack.length) {
        const v = stack.pop();
        if (typeof v === 'string') {
            if (!isWellFormed(v)) return true;
        } else if (Array.isArray(v)) {
            for (const item of v) stack.push(item);
        } else if (v && typeof v === 'object') {
            for (const [k, item] of Object.entries(v)) {
                if (!isWellFormed(k)) return true;
                stack.push(item);
            }
        }
    }
    return false;
}

/** True when `v` is a usable id: a non-empty string of at most `max` characters with no control characters. */
export function isId(v: unknown, max: number): v is string {
    return typeof v === 'string' && v.length > 0 && v.length <= max && !CONTROL.test(v);
}

/** True when `v` is absent (undefined or null) or a string of at most `max` characters. */
export function isOptionalText(v: unknown, max: number): boolean {
    return v === undefined || v === null || (typeof v === 'string' && v.length <= max);
}

/** True when `v` is a JSON object (not null, not a list). */
export function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Why `v` is not a channel account ({ id, name?, role?, aadObjectId? }) as botbuilder reads one, or undefined.
 * `idRequired` false lets the id be missing or empty (Direct Line's clients send `id: ''` or none; the server sets
 * it from the token, whatever they send).
 */
export function accountProblem(v: unknown, idRequired = true): string | undefined {
    if (!isObject(v)) return 'must be an object';
    if (idRequired) {
        if (!isId(v.id, 1000)) return 'needs an id (text, no control characters)';
    } else if (!isOptionalText(v.id, 1000)) {
        return 'id must be text';
    }
    for (const field of ['name', 'role', 'aadObjectId'] as const) {
        if (!isOptionalText(v[field], 1000)) return `${field} must be text`;
    }
    return undefined;
}
