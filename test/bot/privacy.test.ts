/**
 * Privacy by design, proved on the stored bytes: only a postcode's district is kept, and "delete my data" leaves
 * nothing of the resident behind. Each check reads the stores two ways: through the `Stores` ports (exportAll, the
 * adapter-neutral view every adapter has) and as a raw scan of every table of the embedded SQLite file.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { CHAT_FORGOTTEN_EVENT } from '../../src/channels/directline/endpoint';
import { residentKeyOf } from '../../src/handoff/resident';
import type { Stores } from '../../src/storage/stores';
import { COLLECTIONS, createMongoClient } from '../../src/storage/mongo/connection';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { freshDatabase, mongoApp, mongoUriOrSkip } from '../helpers/mongoBot';
import { openConversation, startWebServer, type WebServer } from '../helpers/webServer';
import { play } from '../dialogs/play';

/** Every row of every table of the SQLite file, as text, with the table it came from. */
function rawRows(dataDir: string): { table: string; text: string }[] {
    const db = new Database(path.join(dataDir, 'signpost.db'), { readonly: true });
    try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        expect(tables.length, 'the file has tables').to.be.greaterThan(5);
        return tables.flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).all() as object[])
            .map((row) => ({ table: name, text: JSON.stringify(row) })));
    } finally {
        db.close();
    }
}

/** Every document of every Signpost collection of a MongoDB database, as text (the raw scan for that adapter). */
async function rawDocuments(uri: string, database: string): Promise<{ table: string; text: string }[]> {
    const client = createMongoClient(uri);
    try {
        const db = client.db(database);
        const out: { table: string; text: string }[] = [];
        for (const name of Object.values(COLLECTIONS)) {
            for (const doc of await db.collection(name).find({}).toArray()) {
                out.push({ table: name, text: JSON.stringify(doc) });
            }
        }
        const others = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)
            .filter((name) => !(Object.values(COLLECTIONS) as string[]).includes(name));
        expect(others, 'collections the scan would miss').to.deep.equal([]);
        return out;
    } finally {
        await client.close();
    }
}

/** Every record the stores hold, through the ports, as text. */
async function portRecords(stores: Stores): Promise<{ table: string; text: string }[]> {
    const out: { table: string; text: string }[] = [];
    for await (const record of stores.migration.exportAll()) {
        out.push({ table: record.kind, text: JSON.stringify(record) });
    }
    return out;
}

/** Where each needle still appears: "table: needle". */
function found(rows: { table: string; text: string }[], needles: string[]): string[] {
    return rows.flatMap((row) => needles.filter((n) => row.text.toLowerCase().includes(n.toLowerCase()))
        .map((n) => `${row.table}: ${n}`));
}

/**
 * Every file in a folder (and its sub-folders), as the bytes on disk: the database, its WAL and shared-memory files
 * and anything else the store left there. Read while the store is open, as a copy of the disk would find them.
 */
function rawFiles(dir: string): { table: string; text: string }[] {
    const out: { table: string; text: string }[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...rawFiles(full));
        else out.push({ table: `file ${entry.name}`, text: fs.readFileSync(full).toString('latin1') });
    }
    return out;
}

/** Personal details typed in the journeys below. */
const details = ['Margaret', 'Thompson', 'margaret.thompson@example.org', '07700 900123', '07700900123', 'so lonely',
    '12/03/1951'];

/** The ids that point at a resident: theirs, their conversation's, and the key that links their requests. */
const ids = (channelId: string, userId: string, conversationId: string) =>
    [userId, conversationId, residentKeyOf(channelId, userId)];

describe('privacy by design', () => {
    describe('when a resident types a full postcode', () => {
        let app: TestApp;
        beforeEach(() => (app = testApp()));
        afterEach(async () => app.dispose());

        it('keeps only its district, in the profile, the transcript and every other stored thing', async () => {
            const c = new Conversation(app);
            await c.join();
            await play(c, [
                { say: 'I live at BS5 9QT and I am so lonely', expect: [/It sounds like/] },
                { say: 'yes' },
                { say: 'bs59qt', expect: [/near BS5/] },
            ]);
            const state = (await app.stores.state.read(['test/conversations/conversation-1/']))[
                'test/conversations/conversation-1/'] as { profile: { prefs: { place?: { label: string } } } };
            expect(state.profile.prefs.place?.label).to.equal('BS5');
            expect(JSON.stringify(state)).to.include('I live at BS5 and I am so lonely');
            for (const rows of [rawRows(app.dataDir), await portRecords(app.stores)]) {
                expect(found(rows, ['9QT']), 'the inward part of the postcode is stored').to.deep.equal([]);
                expect(found(rows, ['BS5']).length, 'the district is kept').to.be.greaterThan(0);
            }
        });
    });

    describe('when a resident asks to delete their data', () => {
        let app: TestApp;
        beforeEach(() => (app = testApp()));
        afterEach(async () => app.dispose());


        async function journeyWithRequest(c: Conversation): Promise<string> {
            await c.join();
            const turns = await play(c, [
                { say: 'My name is Margaret Thompson, born 12/03/1951, and I am so lonely' },
                { say: 'yes' }, { say: 'BS5 6XX' },
                { say: 'talk to a person' }, { say: 'email' }, { say: 'margaret.thompson@example.org' },
                { say: 'Margaret' }, { say: 'my mobile is 07700 900123, mornings' }, { say: 'yes' },
                { say: 'yes', expect: [/Your reference is/] },
            ]);
            return /SP-[A-Z2-9]{6}/.exec(turns.at(-1)!.all)![0];
        }

        it('leaves nothing in any table: state, transcript, conversation reference and the request', async () => {
            const c = new Conversation(app, { userId: 'resident-7f3a', conversationId: 'conversation-91bc' });
            const reference = await journeyWithRequest(c);
            const needles = [...details, ...ids('test', 'resident-7f3a', 'conversation-91bc'), reference];
            expect(found(rawRows(app.dataDir), needles).length, 'the journey was stored').to.be.greaterThan(5);

            await play(c, [{ say: 'delete my data', expect: [app.knowledge.wording.text('deleted'), reference] }]);
            expect(found(rawRows(app.dataDir), needles), 'left in the SQLite file').to.deep.equal([]);
            expect(found(await portRecords(app.stores), needles), 'left in the stores').to.deep.equal([]);
        });

        // The same journey on MongoDB (when MONGODB_URI is set), scanned raw, collection by collection.
        it('leaves nothing in any MongoDB collection either', async function () {
            const uri = mongoUriOrSkip(this);
            const database = freshDatabase();
            const mongo = await mongoApp(uri, database);
            try {
                const c = new Conversation(mongo, { userId: 'resident-7f3a', conversationId: 'conversation-91bc' });
                const reference = await journeyWithRequest(c);
                const needles = [...details, ...ids('test', 'resident-7f3a', 'conversation-91bc'), reference];
                expect(found(await rawDocuments(uri, database), needles).length, 'the journey was stored')
                    .to.be.greaterThan(5);
                await play(c, [
                    { say: 'delete my data', expect: [mongo.knowledge.wording.text('deleted'), reference] },
                ]);
                expect(found(await rawDocuments(uri, database), needles), 'left in MongoDB').to.deep.equal([]);
            } finally {
                await mongo.dispose();
                const client = createMongoClient(uri);
                await client.db(database).dropDatabase().finally(() => client.close());
            }
        });

        it('keeps only the request a connector has already picked up, and says so', async () => {
            const c = new Conversation(app, { userId: 'resident-2b9d', conversationId: 'conversation-44e1' });
            const reference = await journeyWithRequest(c);
            await app.stores.escalations.change(reference, {
                from: ['new'], to: 'claimed', assignee: { id: 'u1', name: 'Sam' },
                audit: { at: new Date().toISOString(), actor: 'u1', action: 'claimed' },
            });
            // The connector has the live chat: "delete my data" still works (and the connector sees it).
            expect(await app.stores.escalations.setRelay(reference, { id: 'u1', name: 'Sam' },
                { at: new Date().toISOString(), actor: 'u1', action: 'relay-started' })).to.equal(true);
            await play(c, [{ say: 'I still want the walking group' }]);
            const [reply] = await play(c, [{ say: 'delete my data' }]);
            // Told exactly what went and what the connector keeps, never that everything was deleted.
            const { wording } = app.knowledge;
            expect(reply!.all).to.not.include(wording.text('deleted'));
            expect(reply!.all).to.include(wording.text('deletedKeptSome' as never));
            expect(reply!.all).to.include(reference);
            for (const kept of ['keptName', 'keptEmail', 'keptBestTime', 'keptNeeds', 'keptChat', 'keptLiveChat']) {
                expect(reply!.all, kept).to.include(wording.text(kept as never));
            }
            expect(reply!.all, 'they chose e-mail').to.not.include(wording.text('keptPhone' as never));
            expect(await app.stores.state.read(['test/conversations/conversation-44e1/'])).to.deep.equal({});
            const trail = await app.stores.escalations.auditTrail(reference);
            // The command is not a message for the connector: it is not kept as one.
            const chat = (await app.stores.escalations.chat(reference))!.lines;
            expect([...trail, ...chat].filter((a) => /delete my data/i.test(a.detail ?? '')), 'the command kept')
                .to.deep.equal([]);
            expect(chat.map((l) => l.detail)).to.deep.equal(['I still want the walking group']);
            // Then the request lets go of the chat: the audit line says why, and holds nothing they typed.
            expect(trail.at(-1)).to.include({ actor: 'resident', action: 'deletion-asked' })
                .and.not.have.property('detail');
            const kept = (await app.stores.escalations.getByReference(reference))!;
            // Kept for its contact details, but it no longer says where the resident's chat is, and the live chat
            // has ended: nothing more reaches them here, and nothing more they write here is kept.
            expect(kept.contact.value).to.equal('margaret.thompson@example.org');
            expect(kept.conversationReference).to.equal(undefined);
            expect(kept.relay).to.equal(undefined);
            expect(await app.stores.escalations.relayFor('test', 'conversation-44e1')).to.equal(undefined);
            const [row] = rawRows(app.dataDir).filter((r) => r.table === 'escalations' && r.text.includes(kept.id));
            expect(JSON.parse(row!.text))
                .to.include({ conversation_reference: null, relay_id: null, relay_name: null });
            expect(found([row!], ['resident-2b9d']), 'their channel user id, which was in the reference')
                .to.deep.equal([]);
            const needles = [...details, ...ids('test', 'resident-2b9d', 'conversation-44e1')];
            const elsewhere = rawRows(app.dataDir).filter((r) =>
                !(r.table === 'escalations' && r.text.includes(kept.id))
                && !(r.table === 'escalation_audit' && r.text.includes(kept.id)));
            expect(found(elsewhere, needles), 'left outside the kept request').to.deep.equal([]);
            // The bot answers them again, and what they write now is not passed on or kept with the request.
            await play(c, [{ say: 'hello', expect: [/.+/] }]);
            expect((await app.stores.escalations.auditTrail(reference)).at(-1)?.action).to.equal('deletion-asked');
        });

        it('keeps the picked-up request on MongoDB without where their chat is, scanned raw', async function () {
            const uri = mongoUriOrSkip(this);
            const database = freshDatabase();
            const mongo = await mongoApp(uri, database);
            try {
                const c = new Conversation(mongo, { userId: 'resident-5c1e', conversationId: 'conversation-77d0' });
                const reference = await journeyWithRequest(c);
                const sam = { id: 'u1', name: 'Sam' };
                const at = new Date().toISOString();
                await mongo.stores.escalations.change(reference, {
                    from: ['new'], to: 'claimed', assignee: sam, audit: { at, actor: 'u1', action: 'claimed' },
                });
                expect(await mongo.stores.escalations.setRelay(reference, sam,
                    { at, actor: 'u1', action: 'relay-started' })).to.equal(true);
                await play(c, [
                    { say: 'delete my data', expect: [/already has your request/], not: [/deleted everything/] },
                ]);
                const kept = (await mongo.stores.escalations.getByReference(reference))!;
                expect(kept.contact.value).to.equal('margaret.thompson@example.org');
                expect(kept.conversationReference).to.equal(undefined);
                expect(kept.relay).to.equal(undefined);
                const rows = await rawDocuments(uri, database);
                const request = rows.filter((r) => r.table === COLLECTIONS.escalations && r.text.includes(kept.id));
                expect(request).to.have.length(1);
                expect(found(request, ['resident-5c1e']), 'their channel user id').to.deep.equal([]);
                expect(JSON.parse(request[0]!.text)).to.not.have.any.keys('conversationReference', 'relay');
                const needles = [...details, ...ids('test', 'resident-5c1e', 'conversation-77d0')];
                const elsewhere = rows.filter((r) => !request.includes(r));
                expect(found(elsewhere, needles), 'left outside the kept request').to.deep.equal([]);
            } finally {
                await mongo.dispose();
                const client = createMongoClient(uri);
                await client.db(database).dropDatabase().finally(() => client.close());
            }
        });
    });

    describe('when the bytes on disk are read after "delete my data" or the retention sweep', () => {
        let web: WebServer;
        beforeEach(async () => (web = await startWebServer({ limits: { requestsPerWindow: 1000 } })));
        afterEach(async () => web.stop());

        const withRequest = ['My name is Margaret Thompson, born 12/03/1951, and I am so lonely', 'talk to a person',
            'email', 'margaret.thompson@example.org', 'Margaret', 'my mobile is 07700 900123, mornings', 'yes', 'yes'];

        it('"delete my data" leaves none of it in any file of the data folder (database, WAL, shared memory)',
            async () => {
                const { say } = await websiteJourney(web, withRequest);
                expect((await web.app.stores.escalations.list())[0]?.contact.value)
                    .to.equal('margaret.thompson@example.org');
                expect(found(rawFiles(web.app.dataDir), details).length, 'the journey is on disk')
                    .to.be.greaterThan(3);
                await say('delete my data');
                expect(found(rawFiles(web.app.dataDir), [...details, 'delete my data']), 'left on disk')
                    .to.deep.equal([]);
            });

        it('the retention sweep leaves none of a conversation in any file of the data folder', async () => {
            await websiteJourney(web, ['My name is Margaret Thompson, born 12/03/1951, and I am so lonely', 'yes',
                'my mobile is 07700 900123', 'margaret.thompson@example.org']);
            expect(found(rawFiles(web.app.dataDir), details).length, 'the journey is on disk').to.be.greaterThan(3);
            const swept = await web.app.stores.sweep(30, new Date(Date.now() + 31 * 86_400_000));
            expect(swept).to.be.greaterThan(1);
            expect(found(rawFiles(web.app.dataDir), details), 'left on disk').to.deep.equal([]);
        });
    });

    describe('when a resident on the website chat asks to delete their data', () => {
        let web: WebServer;
        beforeEach(async () => (web = await startWebServer({ limits: { requestsPerWindow: 1000 } })));
        afterEach(async () => web.stop());

        it('removes what they typed from the stored chat too, leaving only the confirmation', async () => {
            const { say, conversationId } = await websiteJourney(web, [
                'My name is Margaret Thompson and I am so lonely', 'talk to a person', 'phone', '07700 900123',
                'Margaret', 'mornings', 'yes', 'yes']);
            const [request] = await web.app.stores.escalations.list();
            expect(request.contact.value).to.equal('07700900123');
            // The confirmation names the cancelled reference, so only the details are looked for here.
            const needles = [...details];
            expect(found(rawRows(web.app.dataDir), needles).length).to.be.greaterThan(3);

            await say('delete my data');
            expect(found(rawRows(web.app.dataDir), needles), 'left in the SQLite file').to.deep.equal([]);
            expect(found(await portRecords(web.app.stores), needles), 'left in the stores').to.deep.equal([]);
            expect(await web.app.stores.escalations.getByReference(request.reference)).to.equal(undefined);
            // The chat itself stays open, holding only the bot's confirmation, until the retention sweep; then the
            // event that tells the page to forget the conversation (no words in it).
            const left = (await web.app.stores.directLine.since(conversationId, 0, 100))
                .map((e) => e.activity as { type: string; name?: string; text?: string });
            expect(left).to.have.length(2);
            expect(left[0].text).to.include(web.app.knowledge.wording.text('deleted'));
            expect(left[1]).to.include({ type: 'event', name: CHAT_FORGOTTEN_EVENT }).and.not.have.property('text');
        });
    });
});

/** A website chat over real HTTP, saying `texts` in turn; gives back a way to say more, and the chat's id. */
async function websiteJourney(web: WebServer, texts: string[])
    : Promise<{ say: (text: string) => Promise<void>; conversationId: string }> {
    const { token, conversationId } = await openConversation(web.url);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const say = async (text: string) => {
        const res = await fetch(`${web.url}/v3/directline/conversations/${conversationId}/activities`, {
            method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text, from: { id: '' } }),
        });
        expect(res.status, text).to.equal(200);
    };
    for (const text of texts) await say(text);
    return { say, conversationId };
}
