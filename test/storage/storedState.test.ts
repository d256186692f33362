/**
 * Conversations already stored when a release is deployed (issue 16 part 7): each conversation the previous
 * release (f9dc32b) left stopped at a question (test/fixtures/stored-state/) is loaded into the store, embedded
 * SQLite and MongoDB alike, and the resident sends what they would send next. It carries on at the same question
 * when that still means the same, or restarts kindly with one sentence saying so; never an error, never silence;
 * crisis routes still come first; what the resident said (needs, place) is kept; "delete my data" still deletes.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { DIALOG_STATE_VERSION, DIALOG_VERSION_PROPERTY } from '../../src/bot/storedDialogs';
import { DIRECT_LINE_CHANNEL_ID } from '../../src/channelIds';
import { CHAT_FORGOTTEN_EVENT } from '../../src/channels/directline/endpoint';
import { TOKEN_REFRESH_ROUTE } from '../../src/server/webChat';
import { projectRoot } from '../../src/paths';
import type { TextKey } from '../../src/knowledge/wording';
import { Conversation, testApp, type TestApp, type Turn } from '../helpers/app';
import { conversationKey, describeWithMongo, freshDatabase, mongoApp, until } from '../helpers/mongoBot';
import { openConversation, startWebServer } from '../helpers/webServer';
import { createMongoClient } from '../../src/storage/mongo/connection';

/** One conversation as the release left it (capture.cjs wrote it). */
interface StoredConversation {
    release: string;
    name: string;
    said: string[];
    lastReply: string[];
    state: { key: string; doc: Record<string, unknown> }[];
}

const FIXTURES = path.join(projectRoot(), 'test/fixtures/stored-state/f9dc32b');

function fixture(name: string): StoredConversation {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as StoredConversation;
}

/**
 * What a resident would send next at each stored question, and what must follow: the wording key of the next
 * question (or a pattern), and whether the conversation carries on or restarts.
 */
interface Next {
    say: string;
    expect: (TextKey | RegExp)[];
    outcome: 'carry on' | 'restart';
}

const NEXT: Record<string, Next> = {
    'needs-free-text': { say: 'I feel lonely', expect: [/It sounds like you'd like help with feeling lonely/],
        outcome: 'carry on' },
    'needs-confirm': { say: 'yes', expect: ['askWhere'], outcome: 'carry on' },
    'needs-choose': { say: 'money', expect: ['askWhere'], outcome: 'carry on' },
    'prefs-where': { say: 'BS5 6XX', expect: [/look near BS5/, 'askWhen'], outcome: 'carry on' },
    'prefs-when': { say: 'Tuesday mornings', expect: ['askCost'], outcome: 'carry on' },
    'prefs-cost': { say: 'Free only', expect: ['askAccess'], outcome: 'carry on' },
    'prefs-access': { say: 'Wheelchair access', expect: ['askWorries'], outcome: 'carry on' },
    'prefs-worries': { say: 'I would rather not go alone', expect: [/^1\. /m], outcome: 'carry on' },
    'results': { say: '2', expect: [/Last checked/], outcome: 'carry on' },
    'results-detail': { say: "That's all", expect: ['offerHandoff'], outcome: 'carry on' },
    'offer': { say: 'Yes, please', expect: ['askMethod'], outcome: 'carry on' },
    'change': { say: 'Where I am', expect: ['askWhere'], outcome: 'carry on' },
    'handoff-method': { say: 'Phone call', expect: ['askPhone'], outcome: 'carry on' },
    'handoff-phone': { say: '07700 900123', expect: ['askName'], outcome: 'carry on' },
    'handoff-email': { say: 'pat@example.org', expect: ['askName'], outcome: 'carry on' },
    'handoff-name': { say: 'Pat', expect: ['askTime'], outcome: 'carry on' },
    'handoff-time': { say: 'Mornings', expect: [/I need your OK/], outcome: 'carry on' },
    'handoff-consent': { say: 'Yes, I agree', expect: ['askShareChat'], outcome: 'carry on' },
    'handoff-share': { say: 'Yes', expect: [/Your reference is SP-[A-Z2-9]{6}/], outcome: 'carry on' },
    'handoff-done': { say: 'I need help with money', expect: [/It sounds like you'd like help with/],
        outcome: 'carry on' },
    'handoff-declined': { say: 'hello', expect: ['askNeeds'], outcome: 'carry on' },
    'call-me-at-question': { say: '07700 900123', expect: ['askName'], outcome: 'carry on' },
    'crisis-at-start': { say: 'I need help with money', expect: [/It sounds like you'd like help with/],
        outcome: 'carry on' },
    'crisis-at-question': { say: 'mornings', expect: ['askCost'], outcome: 'carry on' },
    'crisis-call-back': { say: '07700 900123', expect: ['askName'], outcome: 'carry on' },
    'stopped': { say: 'hello', expect: ['askNeeds'], outcome: 'carry on' },
    'deleted': { say: 'hello', expect: ['askNeeds'], outcome: 'carry on' },
};

/** The stored conversations there are. */
function fixtureNames(): string[] {
    return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

/** Writes the conversation's stored rows into the app's state store, as the release left them. */
async function load(app: TestApp, stored: StoredConversation, channelId = 'test', conversationId = stored.name) {
    const items: Record<string, Record<string, unknown>> = {};
    for (const row of stored.state) {
        items[row.key.replace(/^test\/conversations\/[^/]+\//, conversationKey(channelId, conversationId))] = {
            ...row.doc,
        };
    }
    if (stored.state.length) await app.stores.state.write(items);
}

function resident(app: TestApp, stored: StoredConversation): Conversation {
    return new Conversation(app, { userId: `resident-${stored.name}`, conversationId: stored.name });
}

async function stateOf(app: TestApp, name: string, channelId = 'test') {
    const key = conversationKey(channelId, name);
    return (await app.stores.state.read([key]))[key] as Record<string, unknown> | undefined;
}

/** The checks every turn after an upgrade passes: a reply, never the error message. */
function expectAnswered(app: TestApp, turn: Turn): void {
    const w = app.knowledge.wording;
    expect(turn.texts.length, 'never a silent drop').to.be.greaterThan(0);
    expect(turn.all, 'never the error message').to.not.include(w.text('error'));
    expect(turn.all).to.not.match(/something went wrong/i);
}

function expectLines(app: TestApp, turn: Turn, wanted: (TextKey | RegExp)[]): void {
    for (const want of wanted) {
        if (want instanceof RegExp) expect(turn.all).to.match(want);
        else expect(turn.all).to.include(app.knowledge.wording.text(want));
    }
}

/** The behaviour on one store; `open` gives an app over a fresh store of that kind. */
function describeStoredConversations(kind: string, open: () => Promise<TestApp>,
    done: (app: TestApp) => Promise<void>) {
    describe(`conversations stored by release f9dc32b, on the ${kind} store`, function () {
        this.timeout(60_000);
        let app: TestApp;
        beforeEach(async () => (app = await open()));
        afterEach(async () => done(app));

        it('has a next message for every stored conversation', () => {
            expect(fixtureNames()).to.have.length.greaterThan(20);
            expect(Object.keys(NEXT).sort()).to.deep.equal(fixtureNames());
        });

        for (const name of Object.keys(NEXT)) {
            const next = NEXT[name]!;
            it(`${name}: "${next.say}" ${next.outcome === 'carry on' ? 'carries on' : 'restarts kindly'}`, async () => {
                const stored = fixture(name);
                await load(app, stored);
                const turn = await resident(app, stored).say(next.say);
                expectAnswered(app, turn);
                expectLines(app, turn, next.expect);
                const lost = app.knowledge.wording.text('lostPlace');
                if (next.outcome === 'restart') expect(turn.texts.filter((t) => t.includes(lost))).to.have.length(1);
                else expect(turn.all, 'no restart when the question still means the same').to.not.include(lost);
                const after = await stateOf(app, name);
                expect(after?.[DIALOG_VERSION_PROPERTY], 'stamped with this release\'s version')
                    .to.equal(DIALOG_STATE_VERSION);
                type Kept = { needs: string[]; prefs: { place?: unknown } };
                const before = stored.state[0]?.doc.profile as Kept | undefined;
                const kept = after?.profile as Kept;
                if (before?.prefs.place) {
                    expect(kept.prefs.place, 'the place is kept').to.deep.equal(before.prefs.place);
                }
                if (before?.needs.length && !/help with money/.test(next.say)) {
                    expect(kept.needs, 'the needs are kept').to.include.members(before.needs);
                }
            });
        }

        it('restarts kindly, in one sentence, a stack this release cannot continue, keeping the profile', async () => {
            const stored = fixture('prefs-when');
            const doc = stored.state[0]!.doc as { dialogState: { dialogStack: { id: string }[] } };
            // As if the release had a dialog this one dropped: its id is on the stack.
            doc.dialogState.dialogStack[0]!.id = 'oldMainDialog';
            await load(app, stored);
            const turn = await resident(app, stored).say('Tuesday mornings');
            expectAnswered(app, turn);
            const w = app.knowledge.wording;
            expect(turn.texts.filter((t) => t.includes(w.text('lostPlace')))).to.have.length(1);
            expect(turn.all, 'then the first question').to.include(w.text('askNeeds'));
            const kept = (await stateOf(app, 'prefs-when'))?.profile as { needs: string[]; prefs: { place?: unknown } };
            expect(kept.needs).to.deep.equal(['bereavement', 'loneliness']);
            expect(kept.prefs.place).to.deep.include({ outcode: 'BS5' });
        });

        it('restarts kindly a waterfall stopped at a step past its end, reading a need said then', async () => {
            const stored = fixture('prefs-cost');
            const inner = ((stored.state[0]!.doc.dialogState as { dialogStack: { state: unknown }[] })
                .dialogStack[0]!.state as { dialogs: { dialogStack: { state: { stepIndex?: number } }[] } });
            inner.dialogs.dialogStack[0]!.state.stepIndex = 9;
            await load(app, stored);
            const turn = await resident(app, stored).say('I need help with money');
            expectAnswered(app, turn);
            expect(turn.all).to.include(app.knowledge.wording.text('lostPlace'));
            expect(turn.all).to.match(/It sounds like you'd like help with/);
        });

        it('crisis words at a stored question still get the routes first, then "Are you safe right now?"', async () => {
            for (const name of ['needs-confirm', 'prefs-when', 'results', 'handoff-phone', 'crisis-at-start']) {
                const stored = fixture(name);
                await load(app, stored);
                const turn = await resident(app, stored).say('I want to end my life');
                expectAnswered(app, turn);
                const w = app.knowledge.wording;
                expect(turn.texts[0], `${name}: the routes come first`).to.include('999');
                expect(turn.all, name).to.include(w.text('crisisSafeAsk'));
                expect(turn.all, name).to.not.include(w.text('lostPlace'));
                const safe = await resident(app, stored).say('yes');
                expectAnswered(app, safe);
                expect(safe.all, `${name}: a clear yes goes on`).to.not.include(w.text('crisisNotSafe'));
            }
        });

        it('"delete my data" at a stored question deletes the conversation', async () => {
            const stored = fixture('handoff-time');
            await load(app, stored);
            const turn = await resident(app, stored).say('delete my data');
            expectAnswered(app, turn);
            expect(turn.all).to.include(app.knowledge.wording.text('deleted'));
            expect(turn.all).to.not.include(app.knowledge.wording.text('lostPlace'));
            expect(await stateOf(app, 'handoff-time'), 'nothing kept').to.equal(undefined);
        });

        it('a request made after the upgrade carries what the resident said before it', async () => {
            const stored = fixture('offer');
            await load(app, stored);
            const c = resident(app, stored);
            const w = app.knowledge.wording;
            for (const say of [w.button('yesPlease'), w.button('phoneCall'), '07700 900123', 'Pat',
                w.button('mornings'), w.button('agree')]) {
                expectAnswered(app, await c.say(say));
            }
            const done = await c.say(w.button('shareChat'));
            const reference = /SP-[A-Z2-9]{6}/.exec(done.all)?.[0];
            expect(reference, done.all).to.be.a('string');
            const request = await app.stores.escalations.getByReference(reference!);
            expect(request!.summary.needs).to.include('loneliness');
            expect(request!.summary.inOwnWords).to.match(/lonely/);
            expect(request!.summary.preferences.join(' ')).to.match(/BS5/);
        });

        it('a website chat stored by the release carries on over Direct Line, and "delete my data" still works',
            async () => {
                const web = await startWebServer({ app, limits: { requestsPerWindow: 1000 } });
                try {
                    const opened = await openConversation(web.url);
                    const conversationId = opened.conversationId;
                    await load(app, fixture('prefs-when'), DIRECT_LINE_CHANNEL_ID, conversationId);
                    // The page reloaded after the deploy: it refreshes the kept token and carries on the same chat.
                    const refreshed = await fetch(`${web.url}${TOKEN_REFRESH_ROUTE}`, {
                        method: 'POST',
                        headers: { authorization: `Bearer ${opened.token}`, 'content-type': 'application/json' },
                        body: '{}',
                    });
                    expect(refreshed.status).to.equal(200);
                    const grant = await refreshed.json() as { conversationId: string; token: string };
                    expect(grant.conversationId, 'the same conversation').to.equal(conversationId);
                    const token = grant.token;
                    const botSaid = async (from: number) =>
                        (await app.stores.directLine.since(conversationId, from, 100))
                        .filter((e) => (e.activity.from as { role?: string } | undefined)?.role !== 'user');
                    const post = async (text: string) => {
                        const at = (await app.stores.directLine.since(conversationId, 0, 1000)).at(-1)?.seq ?? 0;
                        const res = await fetch(`${web.url}/v3/directline/conversations/${conversationId}/activities`, {
                            method: 'POST',
                            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                            body: JSON.stringify({ type: 'message', text, from: { id: 'ignored' } }),
                        });
                        expect(res.status).to.equal(200);
                        await until(async () => (await botSaid(at)).length > 0, 10_000, 'the bot\'s reply');
                        return (await botSaid(at)).map((e) => String(e.activity.text ?? '')).join('\n');
                    };
                    const w = app.knowledge.wording;
                    const reply = await post('Tuesday mornings');
                    expect(reply).to.include(w.text('askCost'));
                    expect(reply).to.not.include(w.text('error'));
                    expect(reply).to.not.include(w.text('lostPlace'));
                    const deleted = await post('delete my data');
                    expect(deleted).to.include(w.text('deleted'));
                    const events = (await app.stores.directLine.since(conversationId, 0, 1000)).map((e) => e.activity);
                    expect(events.some((a) => a.type === 'event' && a.name === CHAT_FORGOTTEN_EVENT),
                        'the page is told to end the chat for good').to.equal(true);
                    expect(await stateOf(app, conversationId, DIRECT_LINE_CHANNEL_ID)).to.equal(undefined);
                } finally {
                    await web.stop({ dispose: false });
                }
            });
    });
}

describeStoredConversations('embedded SQLite', async () => testApp(), async (app) => app.dispose());

describeWithMongo({
    title: 'conversations stored by release f9dc32b, on MongoDB',
    pending: 'carries on or restarts kindly every stored conversation on MongoDB',
    note: 'Stored-conversation suite',
}, (uri) => {
    const databases = new Map<TestApp, string>();
    describeStoredConversations('MongoDB', async () => {
        const database = freshDatabase();
        const app = await mongoApp(uri, database);
        databases.set(app, database);
        return app;
    }, async (app) => {
        await app.dispose();
        const client = createMongoClient(uri);
        await client.connect();
        await client.db(databases.get(app)!).dropDatabase().catch(() => undefined);
        await client.close();
    });
});
