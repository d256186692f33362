/**
 * The conversation set of issue 16: scripted multi-turn conversations, each played against the real app in-process
 * (the real bot, dialogs and the channel's renderer, over the embedded store in a temporary folder), with checks on
 * what the bot DOES at each turn, not on its exact sentences. Part of `npm run eval`; also runs alone
 * (`node dist/src/cli/evalConversations.js`). The set and its check vocabulary are described in
 * test/fixtures/eval/conversations/README.md. The held-out part is scored but its lines are never printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { openApp, type App } from '../app';
import { SMS_CHANNEL_ID, TEAMS_CHANNEL_ID } from '../channelIds';
import { loadConfig } from '../config';
import { contentOf, type ResultItem } from '../conversation/messages';
import { loadKnowledge, type Knowledge } from '../knowledge';
import { createLogger } from '../log';
import { projectRoot } from '../paths';
import { readJsonl } from './measure';

/** The development part: builders read it, run it and make it pass. */
export const CONVERSATIONS_DEV = 'test/fixtures/eval/conversations/dev.jsonl';
/** The held-out part: written with the dev part, never opened by builders; only its counts and ids are printed. */
export const CONVERSATIONS_HELDOUT = 'test/fixtures/eval/conversations/heldout.jsonl';

/**
 * The clock every conversation runs at, so time words ("today", "open now") and opening hours give the same answer
 * on every run: Tuesday 6 October 2026, 10:30 in London (within the connectors' working hours).
 */
const EVAL_NOW = new Date('2026-10-06T09:30:00Z');

/** The channels a conversation can be played on, and the channelId the app sees for each. */
const CHANNEL_IDS = { webchat: 'webchat', sms: SMS_CHANNEL_ID, msteams: TEAMS_CHANNEL_ID } as const;
type Channel = keyof typeof CHANNEL_IDS;

/**
 * One check on one turn's reply. `shows` names a behaviour (see SHOWS); `wording` a key of knowledge/wording.json
 * (`askWhere` or `text.askWhere`, or `buttons.talkToPerson` for a button); `text` a case-insensitive regex over
 * everything the turn shows; `suggestion` a regex over the suggestions listed this turn (optionally one `field`,
 * optionally only the `first`); `not` and `any` combine checks.
 */
export type Check =
    | { shows: string }
    | { wording: string }
    | { text: string }
    | { suggestion: string; field?: keyof ResultItem; first?: boolean }
    | { not: Check }
    | { any: Check[] };

/**
 * A check on the whole conversation, after its last turn: the turns to the first suggestions; some turn, or every
 * turn, from `from` to `to` (1-based resident messages, both included; default all) passing a check, so a script
 * stays right whichever order a better bot asks its questions in; the request a connector received (`words`: a regex
 * over the resident's own words in it and the chat it carries).
 */
export type EndCheck =
    | { turnsToSuggestionsAtMost: number }
    | { someTurn: Check; from?: number; to?: number }
    | { everyTurn: Check; from?: number; to?: number }
    | { request: { count?: number; needs?: boolean; words?: string; urgent?: boolean; suggested?: boolean } };

/** One resident message and what must and must not be seen in the reply. */
export interface ScriptedTurn {
    say: string;
    /** This message is the first that names a need: turns to the first suggestions are counted from here. */
    need?: boolean;
    must?: Check[];
    mustNot?: Check[];
}

/** One line of the set. */
export interface ConversationCase {
    id: string;
    channel: Channel;
    tags: string[];
    note: string;
    turns: ScriptedTurn[];
    end?: EndCheck[];
}

/** What the resident saw in one turn, and what the dialogs meant by it. */
export interface Observed {
    /** The activities as the dialogs sent them, before the channel's renderer. */
    neutral: Partial<Activity>[];
    /** The activities as the channel sent them. */
    rendered: Partial<Activity>[];
    /** Every text of both, and any text inside cards, joined. */
    text: string;
    buttons: string[];
    /** Keys of knowledge/wording.json whose template is found in the turn. */
    keys: Set<string>;
    contentKinds: Set<string>;
    items: ResultItem[];
    /** The label of a button of knowledge/wording.json, by key. */
    buttonLabel(key: string): string;
}

/** The result of one conversation. */
export interface ConversationResult {
    id: string;
    passed: boolean;
    /** The first failed check, in words (never printed for the held-out part). */
    failure?: string;
    /** Resident messages from the one that names a need to the one whose reply first shows suggestions. */
    turnsToSuggestions?: number;
    /** A need was named (a turn has `need: true`) but no reply in the script showed suggestions. */
    namedNeedWithoutSuggestions: boolean;
}

/** Matches each wording template (its first line, placeholders as wildcards) to find which keys a reply used. */
export class WordingMatcher {
    private readonly patterns: Array<{ key: string; re: RegExp }> = [];
    readonly buttons = new Map<string, string>();

    constructor(file: string) {
        const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as {
            text: Record<string, string>; buttons: Record<string, string>;
        };
        for (const [key, template] of Object.entries(raw.text)) {
            const firstLine = normalise(template.split('\n')[0] ?? '');
            const fixed = firstLine.replace(/\{\w+\}/g, '').trim();
            // Short labels ("Free", "Where") are in every list: they say nothing about what a reply does.
            if (fixed.length < 12) continue;
            const source = firstLine.split(/\{\w+\}/).map((part) => escapeRegex(part).replace(/\s+/g, '\\s+'))
                .join('[\\s\\S]*?');
            this.patterns.push({ key, re: new RegExp(source, 'i') });
        }
        for (const [key, label] of Object.entries(raw.buttons)) this.buttons.set(key, label);
    }

    keysIn(text: string): Set<string> {
        const found = new Set<string>();
        const plain = normalise(text);
        // A "them" variant (issue 18, for someone else) does what its key does.
        for (const { key, re } of this.patterns) if (re.test(plain)) found.add(key).add(key.replace(/Them$/, ''));
        return found;
    }

    has(key: string): boolean {
        return this.patterns.some((p) => p.key === key) || this.buttons.has(key);
    }
}

function normalise(text: string): string {
    return text.replace(/[\u2018\u2019]/g, '\'').replace(/[\u201c\u201d]/g, '"');
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const anyKey = (o: Observed, keys: readonly string[]): boolean => keys.some((k) => o.keys.has(k));
const keyLike = (o: Observed, re: RegExp): boolean => [...o.keys].some((k) => re.test(k));

/**
 * The behaviours a turn can show, each recognised from what the dialogs said the message shows (channelData), from
 * the wording keys found in it, or, for behaviours today's bot does not have yet, from a loose pattern of their
 * meaning. A builder who adds a message kind or wording key for one of these may extend its recogniser here; the
 * set itself is not changed to fit the code.
 */
export const SHOWS: Readonly<Record<string, { means: string; test: (o: Observed) => boolean }>> = {
    'suggestions': {
        means: 'a list of suggested groups or services',
        test: (o) => o.contentKinds.has('results') || anyKey(o, ['resultsIntro', 'resultsMore']),
    },
    'details': { means: 'the details of one suggestion', test: (o) => o.contentKinds.has('details') },
    'crisis-routes': {
        means: 'crisis routes (Samaritans, 999, ...)',
        test: (o) => o.contentKinds.has('crisis') || anyKey(o, ['crisisIntro']),
    },
    'safety-question': {
        means: 'asks whether the resident is safe right now',
        test: (o) => keyLike(o, /safe/i) || /\bare you safe\b|\bsafe (right )?now\b|\bare you somewhere safe\b/i.test(o.text),
    },
    'emergency-number': { means: 'gives 999', test: (o) => /\b999\b/.test(o.text) },
    'call-back-offer': {
        means: 'offers an urgent call-back from a connector',
        test: (o) => anyKey(o, ['crisisCallBack']) || o.buttons.includes(o.buttonLabel('callMeBack')),
    },
    'person-offer': {
        means: 'offers a person, or starts the request for one (how to get in touch, number, consent)',
        // For someone else (issue 18) the request begins with who it is for, or whether the person agrees.
        test: (o) => anyKey(o, ['offerHandoff', 'askMethod', 'askPhone', 'askEmail', 'askConsent', 'askWhoFor',
            'askAgrees', 'askAgreesShe', 'askAgreesHe'])
            || keyLike(o, /^(offer|ask)\w*(handoff|person|connector|human|method)/i),
    },
    'contact-question': {
        means: 'asks how or when a connector should get in touch, or for a number, e-mail or name',
        test: (o) => anyKey(o, ['askMethod', 'askPhone', 'askEmail', 'askName', 'askTime', 'badPhone', 'badEmail',
            'askContactWho', 'askMethodPerson', 'askPhonePerson', 'askEmailPerson', 'askNamePerson', 'askTimePerson']),
    },
    'consent-question': { means: 'asks for OK to pass the request on', test: (o) => anyKey(o, ['askConsent']) },
    'request-made': {
        means: 'confirms a request to a connector, with its reference',
        test: (o) => keyLike(o, /^handoff(Done|Repeated)/) || /\bSP-[A-Z0-9]{6}\b/.test(o.text),
    },
    'question:need': {
        means: 'asks or checks what they would like help with',
        test: (o) => anyKey(o, ['askNeeds', 'chooseNeed', 'reflect']),
    },
    'confirm-need': { means: 'checks the need back with them', test: (o) => anyKey(o, ['reflect']) },
    'question:place': { means: 'asks where they are', test: (o) => anyKey(o, ['askWhere']) || keyLike(o, /^ask(Where|Place)/) },
    'question:time': { means: 'asks when suits them', test: (o) => keyLike(o, /^askWhen/) },
    'question:cost': { means: 'asks about cost', test: (o) => keyLike(o, /^askCost/) },
    'question:access': { means: 'asks about access needs', test: (o) => keyLike(o, /^askAccess/) },
    'question:worries': { means: 'asks what makes it harder to go', test: (o) => keyLike(o, /^askWorries/) },
    'preference-question': {
        means: 'asks any preference question (place, time, cost, access, worries)',
        test: (o) => ['question:place', 'question:time', 'question:cost', 'question:access', 'question:worries']
            .some((s) => SHOWS[s]?.test(o)),
    },
    'not-understood': {
        means: 'says it did not understand, or asks for a number or a valid answer again',
        test: (o) => anyKey(o, ['notSure', 'whereUnknown', 'whenUnknown', 'pickNumber', 'badPhone', 'badEmail'])
            || keyLike(o, /Unknown$|^notSure|^notUnderstood|^didnt/i),
    },
    'stopped': {
        means: 'ends the whole chat',
        test: (o) => anyKey(o, ['stopped', 'smsStopped']),
    },
    'sms-stopped': { means: 'confirms no more texts will be sent', test: (o) => anyKey(o, ['smsStopped']) },
    'goodbye': {
        means: 'a kind reply to thanks or goodbye',
        test: (o) => anyKey(o, ['goodbye', 'handoffNo'])
            || keyLike(o, /goodbye|bye|youreWelcome|thanksReply|takeCare/i)
            || /\btake care\b|\byou'?re (very )?welcome\b|\bglad (i|to|it)\b|\bno problem\b/i.test(normalise(o.text)),
    },
    'off-topic': {
        means: 'says kindly it cannot help with that, and what it can help with',
        test: (o) => keyLike(o, /offTopic|cantHelp|outOfScope|notForMe/i)
            || /\bcan(no|')?t help with (that|this)\b|\bnot something i can\b|\bi can only help\b|\bi can'?t tell you\b|\bi don'?t know about\b/i
                .test(normalise(o.text)),
    },
    'welcome': {
        means: 'the welcome',
        test: (o) => o.contentKinds.has('welcome') || anyKey(o, ['welcome', 'smsWelcome', 'smsStarted']),
    },
    'help': { means: 'the help text', test: (o) => anyKey(o, ['help', 'smsHelp']) },
    'restart': { means: 'starts again', test: (o) => anyKey(o, ['restart']) },
    'answer': {
        means: 'a reply that answers: not "didn\'t understand", not a fresh list, not a question about needs',
        test: (o) => o.rendered.length + o.neutral.length > 0 && !SHOWS['not-understood']?.test(o)
            && !SHOWS.suggestions?.test(o) && !SHOWS['question:need']?.test(o) && !SHOWS.stopped?.test(o),
    },
    'silent': { means: 'sends nothing at all', test: (o) => o.rendered.length === 0 },
};

function describeCheck(check: Check): string {
    return JSON.stringify(check);
}

/** Whether one turn's reply passes a check; throws on a behaviour or wording key the runner does not know. */
export function checkHolds(check: Check, o: Observed, matcher: WordingMatcher): boolean {
    if ('not' in check) return !checkHolds(check.not, o, matcher);
    if ('any' in check) return check.any.some((c) => checkHolds(c, o, matcher));
    if ('shows' in check) {
        const shows = SHOWS[check.shows];
        if (!shows) throw new Error(`unknown "shows": ${check.shows}`);
        return shows.test(o);
    }
    if ('wording' in check) {
        const key = check.wording.replace(/^text\./, '');
        if (key.startsWith('buttons.')) {
            const label = matcher.buttons.get(key.slice('buttons.'.length));
            return label !== undefined && o.buttons.some((b) => b.toLowerCase() === label.toLowerCase());
        }
        if (!matcher.has(key)) throw new Error(`unknown wording key: ${check.wording}`);
        return o.keys.has(key);
    }
    if ('text' in check) return new RegExp(check.text, 'i').test(normalise(o.text));
    const re = new RegExp(check.suggestion, 'i');
    const items = check.first ? o.items.slice(0, 1) : o.items;
    return items.some((item) => {
        const values = check.field ? [item[check.field]] : Object.values(item);
        return values.some((v) => re.test(Array.isArray(v) ? v.join(' ') : String(v ?? '')));
    });
}

/** Strings inside cards (Adaptive Cards, hero cards), so a number shown only on a card is still found. */
function cardText(activity: Partial<Activity>): string {
    const out: string[] = [];
    const walk = (v: unknown): void => {
        if (typeof v === 'string') out.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(activity.attachments ?? []);
    return out.join('\n');
}

/** One turn as the checks see it: the dialogs' activities (before rendering) and the channel's (after). */
export function observe(
    neutral: Partial<Activity>[], rendered: Partial<Activity>[], matcher: WordingMatcher,
): Observed {
    const messages = (list: Partial<Activity>[]) => list.filter((a) => a.type === 'message' || a.type === undefined);
    const texts = [...messages(neutral), ...messages(rendered)].map((a) => `${a.text ?? ''}\n${cardText(a)}`);
    const text = texts.join('\n');
    const buttons = [...messages(neutral), ...messages(rendered)]
        .flatMap((a) => (a.suggestedActions?.actions ?? []).map((x) => String(x.value ?? x.title)));
    const contents = neutral.map((a) => contentOf(a)).filter((c) => c !== undefined);
    const items = contents.flatMap((c) => (c.kind === 'results' ? c.items : []));
    return {
        neutral: messages(neutral), rendered: messages(rendered), text, buttons, keys: matcher.keysIn(text),
        contentKinds: new Set(contents.map((c) => c.kind)), items,
        buttonLabel: (key) => matcher.buttons.get(key) ?? `\u0000${key}`,
    };
}

/** Plays one conversation on a fresh app and checks it. */
async function play(
    c: ConversationCase, knowledge: Knowledge, matcher: WordingMatcher, trace: boolean,
): Promise<ConversationResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-convset-'));
    const log = createLogger('silent');
    const config = loadConfig({ SIGNPOST_DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const app: App = await openApp(config, { knowledge, log, now: () => new Date(EVAL_NOW) });
    const channelId = CHANNEL_IDS[c.channel];
    if (!channelId) throw new Error(`${c.id}: unknown channel ${String(c.channel)}`);
    const conversationId = `convset-${c.id}`;
    const userId = c.channel === 'sms' ? '+447700900123' : `resident-${c.id}`;
    const adapter = new TestAdapter(async (context) => app.bot.run(context), {
        channelId,
        serviceUrl: 'https://example.invalid/',
        from: { id: userId, name: 'resident' },
        recipient: { id: 'signpost', name: 'Signpost' },
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    } as Partial<Activity>);
    adapter.onTurnError = app.onTurnError;
    let neutral: Partial<Activity>[] = [];
    // Registered before the bot runs, so it sees what the dialogs sent before the channel's renderer changes it.
    adapter.use({
        onTurn: async (context: TurnContext, next: () => Promise<void>) => {
            context.onSendActivities(async (_ctx, activities, send) => {
                neutral.push(...activities.map((a) => structuredClone(a)));
                return send();
            });
            await next();
        },
    });
    const seen: Observed[] = [];
    const take = (): Observed => {
        const rendered = adapter.activeQueue.splice(0);
        const o = observe(neutral, rendered, matcher);
        neutral = [];
        return o;
    };
    let needAt: number | undefined;
    let suggestionsAt: number | undefined;
    let failure: string | undefined;
    try {
        if (c.channel !== 'sms') {
            await adapter.receiveActivity({ type: 'conversationUpdate', membersAdded: [{ id: userId, name: 'resident' }] });
            take();
        }
        for (const [i, turn] of c.turns.entries()) {
            await adapter.receiveActivity(turn.say);
            const o = take();
            seen.push(o);
            if (trace) {
                console.log(`  > ${turn.say}`);
                const shown = o.rendered.map((a) => `${a.text ?? ''} ${cardText(a)}`).join(' | ').replace(/\s*\n+\s*/g, ' / ');
                console.log(`    [${[...o.contentKinds, ...o.keys].join(', ')}] ${shown.trim()}`);
            }
            if (turn.need && needAt === undefined) needAt = i;
            if (needAt !== undefined && suggestionsAt === undefined && SHOWS.suggestions?.test(o)) suggestionsAt = i;
            if (failure) continue;
            for (const check of turn.must ?? []) {
                if (!checkHolds(check, o, matcher)) {
                    failure = `turn ${i + 1} ${JSON.stringify(turn.say)}: must ${describeCheck(check)}`;
                    break;
                }
            }
            if (failure) continue;
            for (const check of turn.mustNot ?? []) {
                if (checkHolds(check, o, matcher)) {
                    failure = `turn ${i + 1} ${JSON.stringify(turn.say)}: must not ${describeCheck(check)}`;
                    break;
                }
            }
        }
        const turnsToSuggestions = needAt !== undefined && suggestionsAt !== undefined
            ? suggestionsAt - needAt + 1 : undefined;
        if (!failure) {
            const all = await app.stores.escalations.list();
            const requests = all.filter((e) => e.conversationId === conversationId);
            for (const check of c.end ?? []) {
                const why = endCheckFails(check, turnsToSuggestions, requests, seen, matcher);
                if (why) {
                    failure = `end: ${why}`;
                    break;
                }
            }
        }
        return {
            id: c.id, passed: !failure, failure, turnsToSuggestions,
            namedNeedWithoutSuggestions: needAt !== undefined && suggestionsAt === undefined,
        };
    } finally {
        await app.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A request a connector received, as the store keeps it. */
export type Request = Awaited<ReturnType<App['stores']['escalations']['list']>>[number];

/** Why a conversation-level check fails, or undefined when it holds. */
export function endCheckFails(
    check: EndCheck, turns: number | undefined, requests: Request[], seen: readonly Observed[], matcher: WordingMatcher,
): string | undefined {
    if ('someTurn' in check || 'everyTurn' in check) {
        const from = Math.max(1, check.from ?? 1);
        const to = Math.min(seen.length, check.to ?? seen.length);
        const span = seen.slice(from - 1, to);
        if ('someTurn' in check) {
            return span.some((o) => checkHolds(check.someTurn, o, matcher)) ? undefined
                : `no turn ${from}-${to} has ${describeCheck(check.someTurn)}`;
        }
        const bad = span.findIndex((o) => !checkHolds(check.everyTurn, o, matcher));
        return bad < 0 ? undefined : `turn ${from + bad} fails ${describeCheck(check.everyTurn)} (every turn ${from}-${to})`;
    }
    if ('turnsToSuggestionsAtMost' in check) {
        if (turns === undefined) return `turnsToSuggestionsAtMost ${check.turnsToSuggestionsAtMost}: no suggestions`;
        return turns > check.turnsToSuggestionsAtMost
            ? `turnsToSuggestionsAtMost ${check.turnsToSuggestionsAtMost}: took ${turns}` : undefined;
    }
    const want = check.request;
    if (want.count !== undefined && requests.length !== want.count) {
        return `request count ${want.count}: got ${requests.length}`;
    }
    if (want.count === 0) return undefined;
    const request = requests[0];
    if (!request) return 'request: none was made';
    if (want.needs && request.summary.needs.length === 0) return 'request: carries no needs';
    if (want.words) {
        const words = `${request.summary.inOwnWords ?? ''}\n${JSON.stringify(request.transcript ?? [])}`;
        if (!new RegExp(want.words, 'i').test(words)) return `request: does not carry the words /${want.words}/`;
    }
    if (want.urgent !== undefined && (request.priority === 'urgent') !== want.urgent) {
        return `request: priority ${request.priority}`;
    }
    if (want.suggested && request.summary.suggested.length === 0) return 'request: carries no suggestions';
    return undefined;
}

/** One part of the set, played. */
export interface PartResult {
    name: string;
    results: ConversationResult[];
    ms: number;
}

/** Plays every conversation of a file. */
export async function runConversationFile(
    file: string, knowledge: Knowledge, name: string, trace: readonly string[] = [],
): Promise<PartResult> {
    const matcher = new WordingMatcher(path.join(projectRoot(), 'knowledge', 'wording.json'));
    const cases = readJsonl<ConversationCase>(file);
    const start = performance.now();
    const results: ConversationResult[] = [];
    for (const c of cases) results.push(await play(c, knowledge, matcher, trace.includes(c.id) || trace.includes('all')));
    return { name, results, ms: performance.now() - start };
}

/** The median, or undefined when there are no numbers. */
export function median(xs: readonly number[]): number | undefined {
    if (xs.length === 0) return undefined;
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Prints one part: passes, failures (with the first failed check only when `details`), the median turns. */
export function report(part: PartResult, details: boolean): void {
    const { results } = part;
    const passed = results.filter((r) => r.passed).length;
    const failed = results.filter((r) => !r.passed);
    const turns = results.map((r) => r.turnsToSuggestions).filter((t): t is number => t !== undefined);
    const never = results.filter((r) => r.namedNeedWithoutSuggestions).length;
    console.log(`  ${part.name}: ${passed}/${results.length} conversations passed (${(part.ms / 1000).toFixed(1)} s)`);
    if (details) {
        failed.forEach((r) => console.log(`    FAILED ${r.id}: ${r.failure ?? ''}`));
    } else if (failed.length) {
        console.log(`    failed (${failed.length}): ${failed.map((r) => r.id).join(', ')}`);
    }
    const m = median(turns);
    console.log(`    median turns to first suggestions: ${m === undefined ? 'n/a' : m} (over ${turns.length} that `
        + `reached suggestions; ${never} named a need and never reached them)`);
}

/**
 * The `npm run eval` section: the dev part always, the held-out part unless SIGNPOST_EVAL_NO_HELDOUT is set.
 * Returns the parts, for the eval's summary.
 */
export async function evalConversations(knowledge?: Knowledge): Promise<PartResult[]> {
    const root = projectRoot();
    const kb = knowledge ?? loadKnowledge(path.join(root, 'knowledge'));
    console.log('\n--- Conversation set (issue 16; test/fixtures/eval/conversations) ---');
    const parts: PartResult[] = [];
    // SIGNPOST_EVAL_TRACE=id,id (or all) prints those dev conversations turn by turn; never the held-out part.
    const trace = (process.env.SIGNPOST_EVAL_TRACE ?? '').split(',').filter((t) => t !== '');
    const dev = await runConversationFile(path.join(root, CONVERSATIONS_DEV), kb, `dev (${CONVERSATIONS_DEV})`, trace);
    report(dev, true);
    parts.push(dev);
    const heldOutFile = path.join(root, CONVERSATIONS_HELDOUT);
    if (process.env.SIGNPOST_EVAL_NO_HELDOUT) {
        console.log('  held-out part skipped (SIGNPOST_EVAL_NO_HELDOUT is set)');
    } else if (fs.existsSync(heldOutFile)) {
        const held = await runConversationFile(heldOutFile, kb, 'HELD-OUT (numbers and ids only, lines not printed)');
        report(held, false);
        parts.push(held);
    }
    return parts;
}

if (require.main === module) {
    evalConversations().then(() => {
        process.exitCode = 0;
    }, (error: unknown) => {
        console.error((error as Error).message);
        process.exitCode = 1;
    });
}
