import { expect } from 'chai';
import { TokenSigner } from '../../src/channels/directline/tokens';
import { openConversation, pageToken, startWebServer, type WebServer } from '../helpers/webServer';

/** Asks the page's refresh route for a fresh token, as a reloaded page does. */
async function refresh(url: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${url}/api/directline/token/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: '{}',
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
}

describe('the website chat\'s token refresh route (a reloaded page carrying on)', () => {
    let web: WebServer;

    before(async () => (web = await startWebServer()));
    after(async () => web.stop());

    it('gives a fresh token for the same conversation, which reads what was said before', async () => {
        const { conversationId, token } = await openConversation(web.url);
        const fresh = await refresh(web.url, token);
        expect(fresh.status).to.equal(200);
        expect(fresh.body.conversationId).to.equal(conversationId);
        expect(fresh.body.token).to.be.a('string');
        expect(fresh.body.expires_in).to.equal(1800);
        // Direct Line 3.0's reconnect, then the activities from the first: the welcome is there.
        const again = await fetch(`${web.url}/v3/directline/conversations/${conversationId}?watermark=`, {
            headers: { authorization: `Bearer ${String(fresh.body.token)}` },
        });
        expect(again.status).to.equal(200);
        const read = await fetch(`${web.url}/v3/directline/conversations/${conversationId}/activities?watermark=`, {
            headers: { authorization: `Bearer ${String(fresh.body.token)}` },
        });
        const { activities } = await read.json() as { activities: { type: string; text?: string }[] };
        expect(activities.some((a) => a.type === 'message' && /Signpost/.test(a.text ?? ''))).to.equal(true);
    });

    it('refuses (404, start a new chat) a forged token, no token, or a conversation that was never opened',
        async () => {
            expect((await refresh(web.url)).status).to.equal(404);
            expect((await refresh(web.url, 'not.a.token')).status).to.equal(404);
            const { token } = await openConversation(web.url);
            const [head, body] = token.split('.');
            expect((await refresh(web.url, `${head}.${body}.forged`)).status).to.equal(404);
            // A token from the route whose conversation the page never opened: nothing to carry on.
            const unopened = await pageToken(web.url);
            const res = await refresh(web.url, unopened.token);
            expect(res.status).to.equal(404);
            expect(res.body).to.have.nested.property('error.code', 'NotFound');
        });

    it('refuses an expired token, so an old tab starts afresh', async () => {
        const { conversationId } = await openConversation(web.url);
        const old = new Date(Date.now() - 3600_000);
        const expired = new TokenSigner(web.signerKeyForTests(), () => old.getTime()).issue(conversationId, 'dl_x');
        expect((await refresh(web.url, expired.token)).status).to.equal(404);
    });
});
