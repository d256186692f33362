import { expect } from 'chai';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import type { StateStore } from '../../src/storage/stateStore';
import type { Stores } from '../../src/storage/stores';
import { Conversation, shippedKnowledge, storedState } from '../helpers/app';
import { flaky, newSwitch, type Switch } from '../helpers/flakyStore';
import { tempDir } from '../helpers/tmp';
import { play } from '../dialogs/play';

const CRISIS_ROUTES = [/999/, /111/, /116 123/, /85258/];

/**
 * The whole bot (TestAdapter) over the embedded store whose state and requests for contact can be switched off as a
 * dead database would be. The same story over a real cut MongoDB connection is test/storage/faults.test.ts.
 */
describe('when the database stops in the middle of a conversation (embedded store, switched off)', () => {
    let tmp: ReturnType<typeof tempDir>;
    let inner: Stores;
    let sw: Switch;
    let app: App;
    let c: Conversation;
    let lines: Record<string, unknown>[];
    let w: App['knowledge']['wording'];

    const build = (state?: StateStore) => {
        tmp = tempDir();
        inner = openEmbeddedStores(tmp.dir);
        sw = newSwitch();
        lines = [];
        const stores: Stores = {
            ...inner,
            state: state ?? flaky(inner.state, sw),
            escalations: flaky(inner.escalations, sw),
            analytics: flaky(inner.analytics, sw),
        };
        app = createApp(loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent' }), {
            knowledge: shippedKnowledge(),
            log: createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
            stores,
        });
        c = new Conversation(app);
        w = app.knowledge.wording;
    };
    afterEach(async () => {
        await app.close();
        tmp.remove();
    });

    it('goes on answering, shows crisis routes, confirms no request, and catches up when it returns', async () => {
        build();
        await play(c, [
            { say: 'I feel lonely', expect: [/It sounds like/] },
            { say: 'yes', expect: [w.text('askWhere')] },
        ]);
        sw.down = true;
        await play(c, [
            { say: 'BS5', expect: [/near BS5/, w.text('resultsIntro')] },
            { say: 'I want to end my life', expect: [...CRISIS_ROUTES, w.text('crisisSafeAsk')] },
            { say: 'talk to a person', expect: [w.text('askMethod')] },
            { say: 'text message', expect: [w.text('askPhone')] },
            { say: '07700900123', expect: [w.text('askName')] },
            { say: 'skip', expect: [w.text('askTime')] },
            { say: 'any time', expect: ['I need your OK'] },
            { say: 'yes', expect: ['read this chat'] },
            { say: 'no', expect: [w.text('handoffFailed')], not: [/reference/i] },
        ]);
        // Tried: its first step (is there an open request from this number to add it to?) was refused.
        expect(sw.refused.openForContact, 'the request was tried').to.equal(1);
        expect(app.stateStore.stats()).to.include({ degraded: true, pending: 1 });
        expect(await inner.escalations.list()).to.have.length(0);
        const events = lines.map((l) => l.event);
        expect(events).to.include('store.degraded');
        expect(events).to.not.include('turn.failed');

        sw.down = false;
        await app.stateStore.recover();
        const stored = await storedState(app);
        expect(stored?.profile, 'the answers given during the outage reached the database')
            .to.deep.include({ crisisShown: true });
        expect(JSON.stringify(stored)).to.include('BS5');
        const [turn] = await play(c, [
            { say: 'talk to a person', expect: [w.text('askMethod')] },
            { say: 'text message' }, { say: '07700900123' }, { say: 'skip' }, { say: 'any time' }, { say: 'yes' },
            { say: 'no', expect: [/Your reference is SP-[A-Z2-9]{6}/] },
        ]).then((turns) => turns.slice(-1));
        const reference = /SP-[A-Z2-9]{6}/.exec(turn!.all)![0];
        const saved = await inner.escalations.getByReference(reference);
        expect(saved?.priority, 'the crisis during the outage made it urgent').to.equal('urgent');
    });

    it('still shows crisis routes when the state cannot be read at all', async () => {
        const broken: StateStore = {
            read: async () => { throw new TypeError('a bug in the store'); },
            write: async () => undefined,
            delete: async () => undefined,
        };
        build(broken);
        const turn = await c.say('I want to end my life');
        for (const route of CRISIS_ROUTES) expect(turn.all).to.match(route);
        expect(turn.texts[0], 'the routes come first').to.match(/999/);
        expect(turn.all).to.include(w.text('error'));
        expect(lines.find((l) => l.event === 'crisis.routes_shown')).to.include({ afterFailure: true });
        const counted = (await app.metrics.registry.getSingleMetric('signpost_crisis_routes_shown_total')!.get())
            .values.reduce((sum, v) => sum + v.value, 0);
        expect(counted, 'routes shown after a failure are counted too').to.equal(1);
        const ordinary = await c.say('I feel lonely');
        expect(ordinary.all).to.not.match(/116 123/);
        expect(ordinary.all).to.include(w.text('error'));
    });
});
