import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Opportunity } from '../../src/knowledge/schema';
import { createLogger } from '../../src/log';
import { ConfigError, loadConfig } from '../../src/config';
import type { Escalation } from '../../src/storage/escalationRecord';
import { Metrics } from '../../src/metrics';
import { instrumentStores } from '../../src/metrics/instrumentStores';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { ETagConflictError } from '../../src/storage/stateStore';
import { ResilientStateStore } from '../../src/storage/resilient';
import { FakeChannel } from '../helpers/fakeChannel';
import { flaky, newSwitch } from '../helpers/flakyStore';
import { tempDir } from '../helpers/tmp';
import { shippedKnowledge, testApp } from '../helpers/app';
import { startWebServer, type WebServer } from '../helpers/webServer';

const TOKEN = 'metrics-token-for-tests-0123456789';

interface Sample {
    name: string;
    labels: Record<string, string>;
    value: number;
}

/** The samples of a Prometheus text exposition. */
function samples(text: string): Sample[] {
    return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
        const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
        if (!m) throw new Error(`not a sample line: ${line}`);
        const labels: Record<string, string> = {};
        for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
        return { name: m[1], labels, value: Number(m[3]) };
    });
}

function value(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
    return all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

/** Scrapes with this token (null: no Authorization header). */
async function scrape(url: string, token: string | null = TOKEN): Promise<Response> {
    return fetch(`${url}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
}

/** A directory with nothing for debt, so asking about debt is an unmet need. */
function noDebtHelp(): Opportunity[] {
    return [{
        id: 'only-lunch', name: 'Eastfield Lunch Club', needs: ['loneliness'],
        organization: { name: 'Test Org' }, keywords: [], attending_type: ['in-person'],
        description: 'A friendly lunch club.',
        location: { name: 'Eastfield Hall', postal_code: 'BS5 6XX', latitude: 51.4627, longitude: -2.5585 },
        cost_options: [], accessibility: [], welcome: [], phone: '01632 960001', assured_date: '2026-10-01',
        schedules: [{ byday: ['MO'], opens_at: '10:00', closes_at: '12:00' }],
    }];
}

describe('metrics at GET /metrics', () => {
    describe('after a resident\'s journey over real HTTP', () => {
        let web: WebServer;
        let channel: FakeChannel;
        const typed: string[] = [];
        let text = '';

        before(async function () {
            this.timeout(60_000);
            const app = testApp({
                env: { SIGNPOST_METRICS_TOKEN: TOKEN },
                knowledge: { ...shippedKnowledge(), opportunities: noDebtHelp() },
            });
            web = await startWebServer({ app });
            channel = new FakeChannel(web.url);
            await channel.start();
            const w = app.knowledge.wording;
            const conv = 'metrics-journey';
            await channel.send(conv, { type: 'conversationUpdate', membersAdded: [{ id: 'resident-http' }] });
            const turns: [string, string | RegExp][] = [
                ['I want to end my life', w.text('crisisSafeAsk')],
                ['yes', w.text('crisisOffer')],
                ['I need help with debt', /It sounds like/],
                // Nothing meets in person (there is no debt help here), so no place is asked: nothing found at once.
                ['yes', w.text('noResults')],
                ['yes please', w.text('askMethod')],
                ['text message', w.text('askPhone')],
                ['07700 900456', w.text('askName')],
                ['Margaret Thompson', w.text('askTime')],
                ['evenings', 'I need your OK'],
                ['yes', 'read this chat'],
                ['no', /Your reference is SP-/],
            ];
            for (const [say, want] of turns) {
                typed.push(say);
                const { status, texts } = await channel.say(conv, say);
                expect(status, say).to.equal(200);
                if (typeof want === 'string') expect(texts.join('\n'), `after "${say}"`).to.include(want);
                else expect(texts.join('\n'), `after "${say}"`).to.match(want);
            }
            // A channel id is the sender's to choose: one made of personal details must not become a label.
            const odd = 'Margaret Thompson 07700 900123';
            typed.push(odd);
            await channel.send('odd-channel', { channelId: odd, text: 'hello' });
            const res = await scrape(web.url);
            expect(res.status).to.equal(200);
            text = await res.text();
        });
        after(async () => {
            await channel.stop();
            await web.stop();
        });

        it('answers in Prometheus text format', async () => {
            const res = await scrape(web.url);
            expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
            expect(res.headers.get('cache-control')).to.equal('no-store');
            expect(text).to.match(/^# HELP signpost_turns_total /m);
            expect(text).to.match(/^# TYPE signpost_turn_duration_seconds histogram$/m);
        });

        it('counts turns and their duration by channel', () => {
            const all = samples(text);
            // The conversation update and each of the journey's messages (the odd channel's one is counted apart).
            expect(value(all, 'signpost_turns_total', { channel: 'emulator' })).to.equal(typed.length);
            expect(value(all, 'signpost_turn_duration_seconds_count', { channel: 'emulator' }))
                .to.equal(typed.length);
            expect(value(all, 'signpost_turn_duration_seconds_sum', { channel: 'emulator' })).to.be.greaterThan(0);
            expect(value(all, 'signpost_turns_total', { channel: 'other' })).to.equal(1);
        });

        it('counts the crisis routes shown, the unmet need and the request made', () => {
            const all = samples(text);
            expect(value(all, 'signpost_crisis_routes_shown_total', { channel: 'emulator' })).to.equal(1);
            const unmet = all.filter((s) => s.name === 'signpost_unmet_matches_total');
            expect(unmet).to.have.length(1);
            expect(shippedKnowledge().taxonomy.needs.map((n) => n.id)).to.include(unmet[0].labels.need);
            expect(unmet[0].value).to.equal(1);
            expect(value(all, 'signpost_escalations_created_total', { priority: 'urgent' })).to.equal(1);
            expect(value(all, 'signpost_escalations_created_total', { priority: 'normal' })).to.equal(0);
        });

        it('reports the queue by status, with the age of the oldest open request', () => {
            const all = samples(text);
            expect(value(all, 'signpost_escalations', { status: 'new' })).to.equal(1);
            expect(value(all, 'signpost_escalations', { status: 'closed' })).to.equal(0);
            const age = value(all, 'signpost_escalation_oldest_open_seconds', { status: 'new' });
            expect(age).to.be.at.least(0).and.below(600);
            expect(value(all, 'signpost_escalation_oldest_open_seconds', { status: 'claimed' })).to.equal(0);
        });

        it('includes the process metrics', () => {
            expect(text).to.match(/^process_cpu_seconds_total /m);
            expect(text).to.match(/^nodejs_eventloop_lag_seconds /m);
        });

        it('never has a label value the resident typed', () => {
            const values = samples(text).flatMap((s) => Object.values(s.labels)).map((v) => v.toLowerCase());
            expect(values).to.not.be.empty;
            for (const v of values) {
                for (const said of typed.map((t) => t.toLowerCase())) {
                    // Short answers ("no", "yes") are parts of ordinary words ("normal"): only whole values count.
                    if (said.length < 5) expect(v, `label value "${v}"`).to.not.equal(said);
                    else expect(v, `label value "${v}"`).to.not.include(said);
                }
                for (const personal of ['margaret', 'thompson', '07700', '900456', '900123', 'bs5']) {
                    expect(v, `label value "${v}"`).to.not.include(personal);
                }
            }
        });

        it('refuses a scrape without the token, or with a wrong one, with 401', async () => {
            for (const token of [null, '', 'wrong-token-wrong-token-wrong', TOKEN.slice(0, -1), `${TOKEN}x`]) {
                const res = await scrape(web.url, token);
                expect(res.status, String(token)).to.equal(401);
                expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
                expect(await res.text()).to.not.include('signpost_turns_total');
            }
            const basic = await fetch(`${web.url}/metrics`, { headers: { authorization: `Basic ${TOKEN}` } });
            expect(basic.status).to.equal(401);
        });
    });

    describe('when no metrics token is set', () => {
        it('has no /metrics at all: 404', async () => {
            const web = await startWebServer();
            try {
                expect((await scrape(web.url)).status).to.equal(404);
                expect((await scrape(web.url, null)).status).to.equal(404);
            } finally {
                await web.stop();
            }
        });
    });

    describe('the metrics token setting', () => {
        it('must be at least 24 characters, and the message does not show it', () => {
            expect(() => loadConfig({ SIGNPOST_METRICS_TOKEN: 'too-short-a-token' }))
                .to.throw(ConfigError, /SIGNPOST_METRICS_TOKEN must be at least 24 characters/)
                .and.satisfy((e: Error) => !e.message.includes('too-short-a-token'));
            expect(loadConfig({ SIGNPOST_METRICS_TOKEN: TOKEN }).metricsToken).to.equal(TOKEN);
            expect(loadConfig({}).metricsToken).to.equal(undefined);
        });
    });

    describe('two apps in one process', () => {
        it('keep separate counts', async () => {
            const a = testApp();
            const b = testApp();
            try {
                a.metrics.crisisRoutesShown('sms');
                const textA = await a.metrics.registry.metrics();
                const textB = await b.metrics.registry.metrics();
                expect(value(samples(textA), 'signpost_crisis_routes_shown_total', { channel: 'sms' })).to.equal(1);
                expect(value(samples(textB), 'signpost_crisis_routes_shown_total', { channel: 'sms' }))
                    .to.equal(undefined);
            } finally {
                await a.dispose();
                await b.dispose();
            }
        });
    });
});

describe('counting store errors', () => {
    class FlakyPort {
        readonly #failures = new Set(['write']);
        calls = 0;
        async read(keys: string[]) {
            this.calls++;
            return Object.fromEntries(keys.map((k) => [k, {}]));
        }
        async write(): Promise<void> {
            if (this.#failures.has('write')) throw new Error('database unavailable');
        }
        delete(): void {
            throw new TypeError('not supported');
        }
        async conflict(): Promise<void> {
            throw new ETagConflictError('key');
        }
    }

    const metricsFor = () => new Metrics({ needIds: [], log: createLogger('silent') });

    it('counts each rejected or thrown call by store and operation, and passes the error on unchanged', async () => {
        const metrics = metricsFor();
        const port = new FlakyPort();
        const stores = instrumentStores({ kind: 'test', state: port, close: async () => undefined },
            (store, operation, err) => metrics.storeError(store, operation, err));
        expect(stores.kind).to.equal('test');
        expect(await stores.state.read(['a'])).to.deep.equal({ a: {} });
        expect(port.calls, 'the real method ran, with its private fields').to.equal(1);
        let caught: unknown;
        await stores.state.write().catch((e: unknown) => (caught = e));
        expect((caught as Error).message).to.equal('database unavailable');
        expect(() => stores.state.delete()).to.throw(TypeError);
        await stores.state.conflict().catch(() => undefined);
        await stores.close();
        const all = samples(await metrics.registry.metrics());
        expect(value(all, 'signpost_store_errors_total', { store: 'state', operation: 'write' })).to.equal(1);
        expect(value(all, 'signpost_store_errors_total', { store: 'state', operation: 'delete' })).to.equal(1);
        expect(value(all, 'signpost_store_errors_total', { operation: 'conflict' }), 'an eTag race is expected')
            .to.equal(undefined);
        expect(value(all, 'signpost_store_errors_total', { operation: 'read' })).to.equal(undefined);
    });

    it('hands out the same port and methods every time', () => {
        const stores = instrumentStores({ state: new FlakyPort() }, () => undefined);
        expect(stores.state).to.equal(stores.state);
        expect(stores.state.read).to.equal(stores.state.read);
    });

    it('counts failures of the real embedded store wired by the app', async () => {
        const app = testApp();
        await app.stores.close();
        await app.stores.escalations.list().catch(() => undefined);
        const all = samples(await app.metrics.registry.metrics());
        expect(value(all, 'signpost_store_errors_total', { store: 'escalations', operation: 'list' })).to.equal(1);
        await app.dispose().catch(() => undefined);
    });
});

describe('the queue metrics', () => {
    const escalation = (status: Escalation['status'], createdAt: string) =>
        ({ id: randomUUID(), status, priority: 'normal', createdAt }) as Escalation;

    it('read the store at most once per cache period, however often they are scraped', async () => {
        let lists = 0;
        const metrics = new Metrics({
            needIds: [], log: createLogger('silent'), now: () => new Date('2026-03-02T12:00:00Z'),
        });
        metrics.watchEscalations({
            list: async () => {
                lists++;
                return [
                    escalation('new', '2026-03-02T11:00:00Z'), escalation('new', '2026-03-02T11:30:00Z'),
                    escalation('claimed', '2026-03-01T12:00:00Z'), escalation('closed', '2026-01-01T12:00:00Z'),
                ];
            },
        });
        const [first] = await Promise.all([metrics.registry.metrics(), metrics.registry.metrics()]);
        await metrics.registry.metrics();
        expect(lists).to.equal(1);
        const all = samples(first);
        expect(value(all, 'signpost_escalations', { status: 'new' })).to.equal(2);
        expect(value(all, 'signpost_escalations', { status: 'closed' })).to.equal(1);
        expect(value(all, 'signpost_escalation_oldest_open_seconds', { status: 'new' })).to.equal(3600);
        expect(value(all, 'signpost_escalation_oldest_open_seconds', { status: 'claimed' })).to.equal(86_400);
        expect(value(all, 'signpost_escalation_oldest_open_seconds', { status: 'closed' })).to.equal(undefined);
    });

    it('still answer the scrape when the store fails, and log it without detail', async () => {
        const lines: string[] = [];
        const metrics = new Metrics({ needIds: [], log: createLogger('warn', (l) => lines.push(l)), queueCacheMs: 0 });
        metrics.watchEscalations({ list: async () => { throw new Error('connection refused to db.example.org'); } });
        const text = await metrics.registry.metrics();
        expect(text).to.include('signpost_turns_total');
        expect(lines.join('\n')).to.include('metrics.queue_failed').and.not.include('example.org');
    });
});

describe('the store outage metrics', () => {
    it('show 0 while the database answers, then 1 and the waiting writes while it does not, then 0 again', async () => {
        const sw = newSwitch();
        const tmp = tempDir();
        const stores = openEmbeddedStores(tmp.dir);
        const store = new ResilientStateStore(flaky(stores.state, sw),
            { log: createLogger('silent'), retryMs: 3_600_000 });
        const metrics = new Metrics({ needIds: [], log: createLogger('silent') });
        metrics.watchStateStore(store);
        const read = async () => samples(await metrics.registry.metrics());
        try {
            await store.write({ conv: { step: 1 } });
            let all = await read();
            expect(value(all, 'signpost_store_degraded')).to.equal(0);
            expect(value(all, 'signpost_store_pending_writes')).to.equal(0);
            expect(value(all, 'signpost_store_recovery_conflicts_total')).to.equal(0);
            sw.down = true;
            await store.write({ conv: { step: 2 } });
            all = await read();
            expect(value(all, 'signpost_store_degraded')).to.equal(1);
            expect(value(all, 'signpost_store_pending_writes')).to.equal(1);
            sw.down = false;
            await store.recover();
            all = await read();
            expect(value(all, 'signpost_store_degraded')).to.equal(0);
            expect(value(all, 'signpost_store_pending_writes')).to.equal(0);
        } finally {
            store.stop();
            await stores.close();
            tmp.remove();
        }
    });
});
