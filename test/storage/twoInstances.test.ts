/**
 * Two bot instances against one database, as behind a load balancer. Runs when MONGODB_URI points at a
 * MongoDB-compatible server; each test gets a fresh database, dropped afterwards.
 *
 * The journey runs on two child processes (`node dist/src/index.js`, started as in production from the settings):
 * separate processes share nothing but the database, so a turn that works on the other instance proves the state
 * really lives in the store and not in a module, a cache or a client of one process. The race of two writes to one
 * conversation needs both turns to have read the state before either writes; only in-process instances let a test
 * hold the writes at that point, so that one runs two complete apps in this process, each with its own MongoDB
 * client, cache and server, with a gate under their state stores. The child processes get an unforced burst of
 * simultaneous messages too, where the same rule must hold whichever way the timing falls.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/cli/serverProcess';
import { projectRoot } from '../../src/paths';
import { ETagConflictError, type StateStore, type StoreItems } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import { FakeChannel } from '../helpers/fakeChannel';
import { conversationKey, describeWithMongo, freshDatabase, independentHandle, mongoApp } from '../helpers/mongoBot';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { shippedKnowledge } from '../helpers/app';
import { requestJourney } from '../channels/journeys';

/** `node dist/src/index.js` with only the settings a deployment would give it. */
async function startInstance(mongoUri: string, database: string): Promise<{ url: string; stop: () => Promise<void> }> {
    const tmp = tempDir();
    // The server's PORT setting cannot be 0.
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'index.js')], {
        cwd: projectRoot(),
        env: {
            PATH: process.env.PATH, MONGODB_URI: mongoUri, SIGNPOST_MONGODB_DATABASE: database,
            SIGNPOST_DATA_DIR: tmp.dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`instance did not start: ${err}`)), 30_000);
        child.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('"server.started"')) {
                clearTimeout(timer);
                resolve();
            }
        });
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`instance exited with ${code}: ${err}`));
        });
    });
    return {
        url: `http://127.0.0.1:${port}`,
        stop: async () => {
            if (child.exitCode === null) {
                const exited = new Promise((resolve) => child.once('exit', resolve));
                child.kill('SIGTERM');
                await exited;
            }
            tmp.remove();
        },
    };
}

/** Holds the next `count` state writes until all of them are waiting, then lets them go at once. */
class WriteGate {
    private waiting: (() => void)[] = [];
    private expected = 0;
    /** What each held write tried to store, and how it ended. */
    readonly attempts: { instance: string; changes: StoreItems; outcome?: 'stored' | 'conflict' }[] = [];

    arm(count: number): void {
        this.expected = count;
    }

    wrap(instance: string, inner: StateStore): StateStore {
        return {
            read: (keys) => inner.read(keys),
            delete: (keys) => inner.delete(keys),
            write: async (changes) => {
                if (this.expected > 0) {
                    const attempt: WriteGate['attempts'][number] = {
                        instance, changes: JSON.parse(JSON.stringify(changes)) as StoreItems,
                    };
                    this.attempts.push(attempt);
                    await new Promise<void>((resolve) => {
                        this.waiting.push(resolve);
                        if (this.waiting.length === this.expected) {
                            this.expected = 0;
                            this.waiting.splice(0).forEach((go) => go());
                        }
                    });
                    try {
                        await inner.write(changes);
                        attempt.outcome = 'stored';
                    } catch (err) {
                        if (err instanceof ETagConflictError) attempt.outcome = 'conflict';
                        throw err;
                    }
                    return;
                }
                await inner.write(changes);
            },
        };
    }
}

/**
 * The start of the kind error reply ("say it again"), before the phone numbers that a channel's renderer may turn
 * into links.
 */
const sayItAgain = () => shippedKnowledge().wording.text('error').split(' If ')[0]!;

const withoutETag = (item: Record<string, unknown> | undefined) => {
    const { eTag: _eTag, ...rest } = item ?? {};
    return rest;
};

describeWithMongo({
    title: 'two bot instances against one database',
    pending: 'keeps a conversation whose turns alternate between them',
    note: 'Two-instance suite',
}, function (uri) {
    this.timeout(120_000);
    let database: string;
    let check: { stores: Stores; dropAndClose: () => Promise<void> };
    beforeEach(async () => {
        database = freshDatabase();
        check = await independentHandle(uri, database);
    });
    afterEach(async () => check.dropAndClose());

    describe('as two processes', () => {
        let a: Awaited<ReturnType<typeof startInstance>>;
        let b: Awaited<ReturnType<typeof startInstance>>;
        let toA: FakeChannel;
        let toB: FakeChannel;
        beforeEach(async () => {
            [a, b] = await Promise.all([startInstance(uri, database), startInstance(uri, database)]);
            toA = new FakeChannel(a.url);
            toB = new FakeChannel(b.url);
            await Promise.all([toA.start(), toB.start()]);
        });
        afterEach(async () => {
            await Promise.all([a?.stop(), b?.stop(), toA?.stop(), toB?.stop()]);
        });

        it('keeps a conversation whose turns alternate between them, to a correct request', async () => {
            const w = shippedKnowledge().wording;
            const conv = 'two-instances-journey';
            const turns = requestJourney(w, 'Sam');
            let last = '';
            for (const [i, [say, want]] of turns.entries()) {
                const channel = i % 2 === 0 ? toA : toB;
                const { status, texts } = await channel.say(conv, say);
                last = texts.join('\n');
                const where = `after "${say}" on instance ${i % 2 === 0 ? 'A' : 'B'}:\n${last}`;
                expect(status, where).to.equal(200);
                if (typeof want === 'string') expect(last, where).to.include(want);
                else expect(last, where).to.match(want);
                expect(last, where).to.not.include(sayItAgain());
            }
            const reference = /SP-[A-Z2-9]{6}/.exec(last)![0];
            const stored = await check.stores.escalations.getByReference(reference);
            expect(stored?.conversationId).to.equal(conv);
            expect(stored?.contact).to.deep.include({ method: 'text', value: '07700900456', name: 'Sam',
                bestTime: 'evenings' });
            expect(stored?.summary.needs).to.include.members(['loneliness']);
            expect(JSON.stringify(stored?.summary.preferences)).to.match(/BS5/i);
            expect(await check.stores.escalations.list()).to.have.length(1);
        });

        it('loses no message silently when both take the same conversation at once', async () => {
            const conv = 'two-instances-burst';
            const key = conversationKey('emulator', conv);
            await toA.say(conv, 'I feel lonely');
            for (let round = 1; round <= 6; round++) {
                const texts = [`burst ${round} alpha`, `burst ${round} bravo`];
                const replies = await Promise.all([toA.say(conv, texts[0]!), toB.say(conv, texts[1]!)]);
                const said = ((await check.stores.state.read([key]))[key]?.transcript ?? []) as { text: string }[];
                let retried = 0;
                replies.forEach((reply, i) => {
                    const text = texts[i]!;
                    const kept = said.some((e) => e.text === text);
                    const toldToRetry = reply.texts.some((t) => t.includes(sayItAgain()));
                    expect(reply.status).to.equal(200);
                    expect(kept || toldToRetry, `"${text}" was neither kept nor was its sender told`)
                        .to.equal(true);
                    expect(kept && toldToRetry, `"${text}" was kept, yet its sender was told to retry`)
                        .to.equal(false);
                    if (toldToRetry) retried++;
                });
                // However the timing fell, one of the two won.
                expect(retried, `round ${round}`).to.be.at.most(1);
            }
        });
    });

    describe('as two apps in this process, with both turns held until both have read', () => {
        let one: WebServer;
        let two: WebServer;
        let toOne: FakeChannel;
        let toTwo: FakeChannel;
        const gate = new WriteGate();
        beforeEach(async () => {
            one = await startWebServer({
                app: await mongoApp(uri, database, { wrapState: (s) => gate.wrap('one', s) }),
            });
            two = await startWebServer({
                app: await mongoApp(uri, database, { wrapState: (s) => gate.wrap('two', s) }),
            });
            toOne = new FakeChannel(one.url);
            toTwo = new FakeChannel(two.url);
            await Promise.all([toOne.start(), toTwo.start()]);
        });
        afterEach(async () => {
            await Promise.all([one.stop(), two.stop(), toOne.stop(), toTwo.stop()]);
        });

        it('lets exactly one write win by eTag, tells the other resident to say it again, and loses nothing',
            async () => {
                const w = one.app.knowledge.wording;
                const conv = 'two-instances-race';
                const key = conversationKey('emulator', conv);
                await toOne.say(conv, 'I feel lonely');
                expect((await toTwo.say(conv, 'yes')).texts.join('\n')).to.include(w.text('askWhere'));

                gate.arm(2);
                const [r1, r2] = await Promise.all([toOne.say(conv, 'BS5'), toTwo.say(conv, 'BS16')]);
                expect(gate.attempts.map((t) => t.outcome).sort()).to.deep.equal(['conflict', 'stored']);
                const winner = gate.attempts.find((t) => t.outcome === 'stored')!;
                const [winnerReply, loserReply] = winner.instance === 'one' ? [r1, r2] : [r2, r1];
                expect(winnerReply.texts.join('\n')).to.not.include(sayItAgain());
                expect(loserReply.status).to.equal(200);
                expect(loserReply.texts.join('\n'), 'the loser is told kindly to say it again')
                    .to.include(sayItAgain());

                const stored = (await check.stores.state.read([key]))[key];
                expect(withoutETag(stored), 'the stored state is the winner\'s write')
                    .to.deep.equal(withoutETag(winner.changes[key]));
                const place = winner.instance === 'one' ? 'BS5' : 'BS16';
                const next = await (winner.instance === 'one' ? toTwo : toOne).say(conv, 'any time');
                // The winner's turn showed the results: "any time" there keeps them, on either instance.
                expect(next.texts.join('\n'), 'either instance carries on from the winner\'s state')
                    .to.include(w.text('narrowNo')).and.include(w.text('resultsActions'));
                const after = (await check.stores.state.read([key]))[key]?.transcript as { text: string }[];
                expect(after.map((e) => e.text)).to.include(place);
                expect(one.app.stateStore.stats().degraded || two.app.stateStore.stats().degraded).to.equal(false);
            });
    });
});
