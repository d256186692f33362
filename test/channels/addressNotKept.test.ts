import { expect } from 'chai';
import type { OutboundKind, OutboundMessage, SendResult, Sender } from '../../src/sending/port';
import { openConversation, startWebServer, type WebServer } from '../helpers/webServer';

/** The sending port as a provider would take it: records what it was given. */
class RecordingSender implements Sender {
    readonly sent: OutboundMessage[] = [];
    readonly kinds: readonly OutboundKind[] = ['sms', 'email'];

    async send(message: OutboundMessage): Promise<SendResult> {
        this.sent.push(message);
        return { ok: true, providerId: `p${this.sent.length}` };
    }
}

/**
 * Issue 21: a number or address typed to send the saved list is used once and not kept. On the website chat every
 * message is also kept in the chat's own history (so a reload shows the chat): there the typed address is replaced
 * after the turn by a line saying it is not kept.
 */
describe('the website chat keeps no address typed to send a list', () => {
    let web: WebServer;
    let sender: RecordingSender;
    before(async () => {
        web = await startWebServer({ limits: { requestsPerWindow: 1000 } });
        sender = new RecordingSender();
        web.app.services.sender = sender;
    });
    after(async () => web.stop());

    it('sends to the address, then keeps only "not kept" in its place in the chat history', async () => {
        const { conversationId, token } = await openConversation(web.url);
        const base = `${web.url}/v3/directline/conversations/${conversationId}/activities`;
        const say = async (text: string) => {
            const res = await fetch(base, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'message', text, from: { id: 'x' } }),
            });
            expect(res.status, text).to.equal(200);
        };
        const w = web.app.knowledge.wording;
        for (const text of ['I feel lonely', 'yes', 'BS5', 'save 1', 'send me these', w.button('email'),
            'someone.person@example.org']) {
            await say(text);
        }
        expect(sender.sent.map((m) => m.to)).to.deep.equal(['someone.person@example.org']);
        const res = await fetch(base, { headers: { authorization: `Bearer ${token}` } });
        const history = JSON.stringify(await res.json());
        expect(history).to.not.contain('someone.person');
        expect(history).to.contain(JSON.stringify(w.text('addressNotKept')).slice(1, -1));
        expect(history, 'the rest of the chat is kept').to.contain('I feel lonely');
    });
});
