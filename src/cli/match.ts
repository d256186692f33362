/**
 * `signpost match`: needs and ranked opportunities for one text, or one JSON line per input line with --batch.
 * The JSON shape is a contract (docs: shared spec cli.md): add fields freely, never rename or remove one.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadKnowledge } from '../knowledge';
import type { DayCode, TimeOfDay } from '../knowledge/schema';
import { createEngine, type Engine } from '../matching/engine';
import type { Preferences } from '../matching/types';
import { mergeWishes } from '../matching/wishes';
import { projectRoot } from '../paths';
import { UsageError, type CommandResult } from './usage';

const DAYS: Record<string, DayCode> = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' };
const TIMES = ['morning', 'afternoon', 'evening'];
/** The longest text one match accepts, as in a chat message. */
const MAX_TEXT = 2000;
const MAX_LIMIT = 50;
/**
 * Control characters and bidirectional overrides are never words, and echoed to a terminal they can rewrite the
 * screen; each becomes a space, so "lonely\u0000skint" still reads as two words.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** One request, from the options or from a --batch line (same names). */
interface MatchRequest {
    text?: unknown;
    postcode?: unknown;
    online?: unknown;
    free?: unknown;
    day?: unknown;
    time?: unknown;
    limit?: unknown;
}

/** A fault in one request: exit 1 (or an {"error"} line in a batch). */
class InputFault extends Error {}

export async function matchCommand(args: string[]): Promise<CommandResult> {
    let parsed;
    try {
        parsed = parseArgs({
            args,
            allowPositionals: true,
            strict: true,
            options: {
                kb: { type: 'string' },
                postcode: { type: 'string' },
                online: { type: 'boolean' },
                free: { type: 'boolean' },
                day: { type: 'string' },
                time: { type: 'string' },
                limit: { type: 'string' },
                json: { type: 'boolean' },
                batch: { type: 'string' },
            },
        });
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.batch === undefined && positionals.length === 0) throw new UsageError('match needs a TEXT or --batch FILE');
    if (values.batch !== undefined && positionals.length) throw new UsageError('give either TEXT or --batch, not both');

    const knowledge = loadKnowledge(values.kb ? path.resolve(values.kb) : path.join(projectRoot(), 'knowledge'));
    const engine = createEngine({
        ...knowledge, whyWording: knowledge.wording.why, wishWords: knowledge.wording.wishes,
    });
    const defaults: MatchRequest = {
        postcode: values.postcode, online: values.online, free: values.free, day: values.day, time: values.time,
        limit: values.limit,
    };

    if (values.batch !== undefined) {
        const input = values.batch === '-' ? process.stdin : fs.createReadStream(values.batch);
        const failed = await new Promise<string | undefined>((resolve) => {
            input.once('error', (err: Error) => resolve(err.message));
            input.once('readable', () => resolve(undefined));
            input.once('end', () => resolve(undefined));
        });
        if (failed) throw new InputFault(`cannot read ${values.batch}: ${failed}`);
        for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
            if (!line.trim()) continue;
            process.stdout.write(JSON.stringify(batchLine(engine, line, defaults)) + '\n');
        }
        return 0;
    }

    const outcome = matchOne(engine, { ...defaults, text: positionals.join(' ') });
    process.stdout.write(values.json ? JSON.stringify(outcome, null, 2) + '\n' : describe(outcome));
    return 0;
}

function batchLine(engine: Engine, line: string, defaults: MatchRequest): object {
    let request: unknown;
    try {
        request = JSON.parse(line);
    } catch {
        return { error: 'this line is not valid JSON' };
    }
    if (!request || typeof request !== 'object' || Array.isArray(request)) {
        return { error: 'each line must be a JSON object such as {"text": "..."}' };
    }
    try {
        return matchOne(engine, { ...defaults, ...(request as MatchRequest) });
    } catch (err) {
        if (err instanceof InputFault) return { error: err.message };
        throw err;
    }
}

/** The contract's output for one request. Throws InputFault on a bad field. */
export function matchOne(engine: Engine, request: MatchRequest) {
    if (typeof request.text !== 'string') throw new InputFault('"text" must be some words');
    const text = request.text.replace(CONTROL_CHARACTERS, ' ');
    if (!text.trim()) throw new InputFault('"text" must be some words');
    if (text.length > MAX_TEXT) throw new InputFault(`"text" must be at most ${MAX_TEXT} characters`);
    // What the words themselves say ("not Sundays", "I can pay", "I'm a young mum") is honoured as in the bot.
    const prefs = mergeWishes(preferencesOf(engine, request), engine.readWishes(text));
    const limit = limitOf(request.limit);
    const crisis = engine.isCrisis(text);
    const language = engine.language(text);
    // The needs are read from English words only: out of another language they would be guesses (a Polish message
    // about loneliness read as money worries). The bot answers such a message with one line in its language.
    const needs = language === 'en' ? engine.detectNeeds(text) : [];
    // In a crisis the bot shows crisis routes, not listings: words like "end it all" must not rank a table-tennis club.
    const { results, widened } = crisis || language !== 'en' ? { results: [], widened: [] }
        : engine.rank({ needs, text, prefs, limit });
    return {
        text,
        crisis,
        language,
        needs: needs.map((n) => ({ id: n.id, score: round(n.score) })),
        results: results.map((r) => ({
            id: r.id,
            name: r.name,
            needs: r.needs,
            score: round(r.score),
            why: r.why,
            ...(r.distanceKm !== undefined ? { distanceKm: round(r.distanceKm, 1) } : {}),
        })),
        widened,
    };
}

function preferencesOf(engine: Engine, r: MatchRequest): Preferences {
    const prefs: Preferences = {};
    if (r.postcode !== undefined) {
        if (typeof r.postcode !== 'string') throw new InputFault('"postcode" must be text');
        const place = engine.resolvePlace(r.postcode);
        if (!place) throw new InputFault(`unknown postcode or place "${r.postcode.slice(0, 20)}"`);
        prefs.place = place;
    }
    if (r.online !== undefined) prefs.onlineOk = flag(r.online, 'online');
    if (r.free !== undefined) prefs.freeOnly = flag(r.free, 'free');
    if (r.day !== undefined) {
        const days = String(r.day).toLowerCase().split(',').map((d) => DAYS[d.trim().slice(0, 3)]);
        if (days.some((d) => !d)) throw new InputFault('"day" must be mon, tue, wed, thu, fri, sat or sun');
        prefs.days = days;
    }
    if (r.time !== undefined) {
        const times = String(r.time).toLowerCase().split(',').map((t) => t.trim());
        if (times.some((t) => !TIMES.includes(t))) throw new InputFault('"time" must be morning, afternoon or evening');
        prefs.times = times as TimeOfDay[];
    }
    return prefs;
}

function flag(value: unknown, name: string): boolean {
    if (typeof value !== 'boolean') throw new InputFault(`"${name}" must be true or false`);
    return value;
}

function limitOf(value: unknown): number {
    if (value === undefined) return 5;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new InputFault(`"limit" must be a whole number from 1 to ${MAX_LIMIT}`);
    return n;
}

function round(n: number, places = 2): number {
    const f = 10 ** places;
    return Math.round(n * f) / f;
}

function describe(o: ReturnType<typeof matchOne>): string {
    const lines = [`text: ${o.text}`];
    if (o.crisis) lines.push('CRISIS: the bot shows crisis routes first');
    if (o.language !== 'en') lines.push(`language: ${o.language} (the bot answers with one line in it)`);
    lines.push(`needs: ${o.needs.map((n) => `${n.id} (${n.score})`).join(', ') || 'none'}`);
    if (o.widened.length) lines.push(`widened: ${o.widened.join(', ')}`);
    o.results.forEach((r, i) => {
        lines.push(`${i + 1}. ${r.name} [${r.id}] score ${r.score}`);
        lines.push(`   why: ${r.why.join('; ')}`);
    });
    if (!o.results.length) lines.push('no results');
    return lines.join('\n') + '\n';
}

export { InputFault };
