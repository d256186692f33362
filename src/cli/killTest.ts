/**
 * `npm run killtest`: is every request for contact the bot confirmed still there after crashes?
 *
 * Starts the built server in a child process (embedded store in a temporary folder, or MongoDB when MONGODB_URI is
 * set), and has `--residents` residents at once (default 20) ask for a connector through the website chat (the
 * built-in Direct Line API), each answering whatever the bot last asked (method, number, name, time, consent,
 * sharing the chat) until the bot says "Your reference is SP-XXXXXX"; then the next resident starts. Meanwhile it
 * kills the server with SIGKILL at random moments (`--kills`, default 10), each time starting it again on the same
 * data folder at once. A resident whose request failed waits for the server, reads what the bot said since, and
 * carries on or says it again, as a person whose page reconnects would. After the last kill the residents finish,
 * the server is killed once more, and the store is opened: every reference the bot confirmed must be in it.
 *
 * Usage: npm run killtest -- [--residents 20] [--kills 10] [--seed N]
 * Prints confirmed vs found; exit 0 when they are equal (and something was confirmed), 1 otherwise.
 * Not part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { loadKnowledge } from '../knowledge';
import type { Wording } from '../knowledge/wording';
import { openStores, storeOptions } from '../storage';
import { freePort, startServer, stopServer, type ServerProcess } from './serverProcess';
import { DirectLineConversation, HttpStatusError, UNLIMITED, kindOf, sleep } from './soak';
import { seededRandom as random } from './random';

const REFERENCE = /\bSP-[A-Z2-9]{6}\b/;


/** What a resident answers to each question of the hand-off, found by the question's opening words. */
function answers(wording: Wording, phone: string): [string, string][] {
    const opening = (key: Parameters<Wording['text']>[0]) => {
        const text = wording.text(key, { serviceName: 'Signpost', referralDays: 90 });
        return text.split(/[\n{]/)[0].trim();
    };
    return [
        [opening('askMethod'), 'phone'],
        [opening('askPhone'), phone],
        [opening('askName'), 'skip'],
        [opening('askTime'), 'mornings'],
        [opening('askConsent'), 'yes'],
        [opening('askShareChat'), 'no'],
    ];
}

/** The server, which the killer replaces now and then; residents always talk to the current one. */
interface Lab {
    url: string;
    server: ServerProcess;
    /** Resolves once the server answers again after a kill. */
    ready: Promise<void>;
    stopping: boolean;
}

interface Results {
    /** Reference -> the conversation where the bot confirmed it. */
    confirmed: Map<string, string>;
    conversations: DirectLineConversation[];
    retries: number;
    failures: Map<string, number>;
}

/** Residents one after another until the kills are over, each through to a confirmed reference. */
async function resident(lab: Lab, wording: Wording, next: () => number, results: Results): Promise<void> {
    while (!lab.stopping) {
        const phone = `07700 900${String(Math.floor(next() * 1000)).padStart(3, '0')}`;
        const replies = answers(wording, phone);
        const c = new DirectLineConversation(lab.url);
        try {
            let heard = await retrying(lab, results, () => c.open());
            results.conversations.push(c);
            for (let turn = 0; turn < 40; turn++) {
                const reference = confirmation(heard);
                if (reference) {
                    results.confirmed.set(reference, c.conversationId);
                    break;
                }
                // The last question the bot asked that the resident knows how to answer; else ask for a person.
                const question = [...heard].reverse().find((t) => replies.some(([q]) => t.includes(q)));
                const said = question ? replies.find(([q]) => question.includes(q))![1] : 'talk to a person';
                heard = await retrying(lab, results, () => c.say(said), async () => {
                    // The request failed part-way: what did the bot say meanwhile? Nothing means say it again.
                    const since = await c.read();
                    return since.length ? since : c.say(said);
                });
            }
        } catch (err) {
            // Refused (a 4xx): this resident gives up, the next one starts.
            count(results.failures, kindOf(err));
        }
    }
}

/** The reference in the bot's confirmation, if these messages hold one. */
function confirmation(texts: string[]): string | undefined {
    for (const text of texts) {
        const reference = REFERENCE.exec(text)?.[0];
        if (reference && /reference/i.test(text)) return reference;
    }
    return undefined;
}

function count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Runs `act`; when the server is down (killed) it waits until it is back and runs `recover` (or `act` again). A
 * 4xx is a real answer, not a crash: it is thrown.
 */
async function retrying(lab: Lab, results: Results, act: () => Promise<string[]>,
    recover: () => Promise<string[]> = act): Promise<string[]> {
    let attempt = act;
    for (let tries = 0; ; tries++) {
        try {
            return await attempt();
        } catch (err) {
            if ((err instanceof HttpStatusError && err.status < 500) || tries > 200) throw err;
            results.retries += 1;
            await lab.ready;
            await sleep(20);
            attempt = recover;
        }
    }
}

async function killTest(argv: string[]): Promise<number> {
    const { values } = parseArgs({
        args: argv, strict: true, options: {
            residents: { type: 'string', default: '20' },
            kills: { type: 'string', default: '10' },
            seed: { type: 'string', default: String(Date.now() % 1_000_000) },
        },
    });
    const residents = Number(values.residents);
    const kills = Number(values.kills);
    const seed = Number(values.seed);
    if (![residents, kills, seed].every((v) => Number.isInteger(v) && v >= 0) || residents < 1) {
        process.stderr.write('usage: npm run killtest -- [--residents 20] [--kills 10] [--seed N]\n');
        return 2;
    }
    const next = random(seed);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-killtest-'));
    const config = loadConfig({ ...process.env, SIGNPOST_DATA_DIR: tmp, LOG_LEVEL: 'silent' });
    const wording = loadKnowledge(config.knowledgeDir).wording;
    const port = await freePort();
    const results: Results = { confirmed: new Map(), conversations: [], retries: 0, failures: new Map() };
    let lab: Lab | undefined;
    try {
        const server = await startServer({ port, dataDir: tmp, env: UNLIMITED });
        lab = { url: server.url, server, ready: Promise.resolve(), stopping: false };
        const store = (await (await fetch(`${server.url}/healthz`)).json() as { store: string }).store;
        process.stdout.write(`Signpost kill test: ${residents} residents at once, ${kills} kills (SIGKILL) at random `
            + `moments, store: ${store}, seed ${seed}\n`);
        const running = Array.from({ length: residents }, () => resident(lab!, wording, next, results));

        const killedAt: number[] = [];
        for (let k = 0; k < kills; k++) {
            await sleep(300 + next() * 2700);
            killedAt.push(results.confirmed.size);
            let restarted!: () => void;
            lab.ready = new Promise((resolve) => (restarted = resolve));
            await stopServer(lab.server, 'SIGKILL');
            lab.server = await startServer({ port, dataDir: tmp, env: UNLIMITED });
            restarted();
        }
        // Let every resident reach a reference, then crash once more: nothing may depend on a clean shutdown.
        lab.stopping = true;
        await Promise.race([Promise.all(running), sleep(120_000)]);
        // What the bot told residents, as kept with each conversation, counts too (a reply read by a page that then
        // lost its connection is still a confirmation).
        let fromTranscripts = 0;
        for (const c of results.conversations) {
            c.watermark = '';
            const texts: string[] = [];
            for (let page = 0, before = '-'; page < 10 && c.watermark !== before; page++) {
                before = c.watermark;
                texts.push(...await c.read());
            }
            for (const text of texts) {
                const reference = confirmation([text]);
                if (reference && !results.confirmed.has(reference)) {
                    results.confirmed.set(reference, c.conversationId);
                    fromTranscripts += 1;
                }
            }
        }
        await stopServer(lab.server, 'SIGKILL');

        const stores = await openStores(storeOptions(config));
        const missing: string[] = [];
        try {
            for (const reference of results.confirmed.keys()) {
                if (!(await stores.escalations.getByReference(reference))) missing.push(reference);
            }
        } finally {
            await stores.close();
        }
        const confirmed = results.confirmed.size;
        const found = confirmed - missing.length;
        const failures = [...results.failures].map(([k, v]) => `${k} x${v}`).join(', ') || 'none';
        process.stdout.write([
            `kills: ${killedAt.length} (references confirmed by then: ${killedAt.join(', ')}), and one more at the end`,
            `residents (conversations): ${results.conversations.length}; requests retried after a kill: `
                + `${results.retries}; refused requests: ${failures}`,
            `references confirmed by the bot: ${confirmed} (${fromTranscripts} of them seen only in the kept chats)`,
            `found in the store after the crashes: ${found}`,
            missing.length ? `MISSING: ${missing.join(', ')}` : 'every confirmed reference is in the store',
        ].join('\n') + '\n');
        return confirmed > 0 && found === confirmed ? 0 : 1;
    } catch (err) {
        process.stderr.write(`The kill test could not run: ${(err as Error).message}\n`);
        return 1;
    } finally {
        if (lab) {
            lab.stopping = true;
            await stopServer(lab.server, 'SIGKILL');
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) {
    killTest(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
        process.stderr.write(`${(err as Error).stack}\n`);
        process.exit(1);
    });
}
