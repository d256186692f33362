/**
 * What the website chat keeps of a resident's activity: only what the bot and Web Chat need (the words, a card
 * button's small value, the id Web Chat matches its echo by), never a client's channelData, entities or a large
 * value, which would otherwise be stored whole for SIGNPOST_STATE_DAYS.
 */
import { expect } from 'chai';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

const DL = '/v3/directline';

describe('when the website chat stores what a resident\'s client sent', () => {
    let web: WebServer;
    before(async () => (web = await startWebServer({ limits: { requestsPerWindow: 1000 } })));
    after(async () => web.stop());

    async function openAndPost(activities: Record<string, unknown>[]) {
        const { token, conversationId } = await pageToken(web.url);
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const base = `${web.url}${DL}/conversations`;
        expect((await fetch(base, { method: 'POST', headers, body: '{}' })).status).to.equal(201);
        for (const activity of activities) {
            const res = await fetch(`${base}/${conversationId}/activities`,
                { method: 'POST', headers, body: JSON.stringify(activity) });
            expect(res.status).to.equal(200);
        }
        const stored = await web.app.stores.directLine.since(conversationId, 0, 100);
        return stored.map((e) => e.activity).filter((a) => (a.from as { role?: string }).role === 'user');
    }

    it('keeps the words and Web Chat\'s client activity id, not its channelData, entities or a large value',
        async () => {
            const clientTimestamp = new Date().toISOString();
            const [stored] = await openAndPost([{
                type: 'message', text: 'hello', locale: 'en-GB', textFormat: 'plain',
                from: { id: 'ignored', name: 'Resident' },
                channelData: { clientActivityID: 'abc123', clientTimestamp, pad: 'x'.repeat(20_000) },
                entities: [{ type: 'ClientCapabilities', requiresBotState: true, pad: 'y'.repeat(4000) }],
                value: { pad: 'z'.repeat(4000) },
            }]);
            expect(stored, 'the message is stored').to.not.equal(undefined);
            expect(stored).to.include({ type: 'message', text: 'hello', locale: 'en-GB' });
            expect(stored!.channelData).to.deep.equal({ clientActivityID: 'abc123', clientTimestamp });
            expect(stored).to.not.have.any.keys('entities', 'value');
            const bytes = Buffer.byteLength(JSON.stringify(stored));
            expect(bytes, 'bytes stored for one short message').to.be.below(1024);
        });

    it('keeps a card button\'s small value and an event\'s name, and drops a value over the cap', async () => {
        const stored = await openAndPost([
            { type: 'event', name: 'webchat/join', value: { choice: 'walking' } },
            { type: 'event', name: 'webchat/other', value: { pad: 'v'.repeat(2000) } },
            { type: 'message', text: 'ok', value: 'a'.repeat(5000) },
        ]);
        expect(stored).to.have.length(3);
        expect(stored[0]).to.deep.include({ type: 'event', name: 'webchat/join', value: { choice: 'walking' } });
        expect(stored[1]).to.include({ name: 'webchat/other' }).and.not.have.property('value');
        expect(stored[2]).to.include({ text: 'ok' }).and.not.have.property('value');
        for (const a of stored) expect(Buffer.byteLength(JSON.stringify(a))).to.be.below(1024);
    });
});
