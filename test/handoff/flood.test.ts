/**
 * A flood of fake urgent requests through the real website chat (built-in Direct Line over HTTP on 127.0.0.1): many
 * chats from one address, each with a crisis phrase and "call me". One number may make only so many requests a day,
 * and the address only so many an hour; a resident asking again in their own chat is merged into their request;
 * nobody is ever given someone else's reference; every resident still gets crisis routes.
 */
import { expect } from 'chai';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

const DL = '/v3/directline';

/** One resident's website chat: posts what they type and returns the bot's replies to it. */
async function openChat(web: WebServer) {
    const { token, conversationId } = await pageToken(web.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const started = await fetch(`${web.url}${DL}/conversations`, { method: 'POST', headers, body: '{}' });
    expect(started.status).to.equal(201);
    let watermark = '';
    const say = async (text: string): Promise<string> => {
        const res = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities`, {
            method: 'POST', headers, body: JSON.stringify({ type: 'message', from: { id: 'x' }, text }),
        });
        expect(res.status, text).to.equal(200);
        const got = await fetch(`${web.url}${DL}/conversations/${conversationId}/activities?watermark=${watermark}`,
            { headers });
        const body = await got.json() as
            { activities: { from: { role?: string }; text?: string }[]; watermark: string };
        watermark = body.watermark;
        return body.activities.filter((a) => a.from.role === 'bot').map((a) => a.text ?? '').join('\n');
    };
    return { say };
}

/** A crisis, "call me", the number, consent: the bot's last answer. */
async function urgentCallBack(web: WebServer, number: string): Promise<{ crisis: string; done: string }> {
    const chat = await openChat(web);
    const crisis = await chat.say('I want to end my life');
    for (const text of ['call me', number, 'skip', 'any time', 'yes']) await chat.say(text);
    return { crisis, done: await chat.say('no') };
}

const REFERENCE = /Your reference is (SP-[A-Z2-9]{6})/;

describe('a flood of urgent requests from one address', function () {
    this.timeout(120_000);
    let web: WebServer;

    beforeEach(async () => {
        web = await startWebServer({ limits: { requestsPerWindow: 10_000 } });
    });
    afterEach(async () => web.stop({ dispose: true }));

    it('makes three requests of ten chats with one number, refuses the rest kindly, tells nobody another\'s reference',
        async () => {
            const answers = [];
            // The same number, written two ways: a shared phone, or someone flooding the queue with it.
            for (let i = 0; i < 10; i++) {
                answers.push(await urgentCallBack(web, i % 2 ? '07700 900456' : '+44 7700 900456'));
            }
            const stored = await web.app.stores.escalations.list();
            expect(stored, 'requests stored').to.have.length(3);
            expect(new Set(stored.map((e) => e.residentKey)).size, 'one per resident').to.equal(3);
            expect(stored.every((e) => e.priority === 'urgent' && e.repeats === undefined)).to.equal(true);
            const told = answers.slice(0, 3).map((a) => REFERENCE.exec(a.done)?.[1]);
            expect([...told].sort(), 'each told their own reference')
                .to.deep.equal(stored.map((e) => e.reference).sort());
            // The connectors see which requests share the number; the residents are never told.
            const third = stored.find((e) => e.reference === told[2])!;
            expect(third.sameContactAs).to.deep.equal([told[0], told[1]]);
            for (const a of answers.slice(0, 3)) expect(a.done).to.not.match(/SP-[A-Z2-9]{6}[\s\S]*SP-/);
            const refused = web.app.knowledge.wording.text('handoffLimited').split('\n')[0]!;
            for (const a of answers.slice(3)) {
                expect(a.done, a.done).to.include(refused).and.match(/116 123/).and.match(/999/);
                expect(a.done).to.not.match(/SP-[A-Z2-9]{6}/);
            }
            for (const a of answers) expect(a.crisis).to.match(/116 123/);
        });

    it('lets one address make a few requests an hour, then refuses kindly with the crisis numbers', async () => {
        const done: string[] = [];
        for (let i = 0; i < 8; i++) done.push((await urgentCallBack(web, `07700 90010${i}`)).done);
        expect(await web.app.stores.escalations.list(), 'requests stored').to.have.length(6);
        expect(done.slice(0, 6).every((d) => REFERENCE.test(d))).to.equal(true);
        // The first line as written (the website chat draws numbers as tel: links and line breaks as Markdown).
        const refused = web.app.knowledge.wording.text('handoffLimited').split('\n')[0]!;
        for (const d of done.slice(6)) {
            expect(d, d).to.include(refused).and.match(/116 123/).and.match(/999/);
            expect(d).to.not.match(REFERENCE);
        }
    });
    it('tells a resident who asks again in the same chat that it is the same request, still urgent', async () => {
        const chat = await openChat(web);
        await chat.say('I want to end my life');
        const steps = ['call me', '07700 900456', 'skip', 'any time', 'yes', 'no'];
        let first = '';
        for (const text of steps) first = await chat.say(text);
        const reference = REFERENCE.exec(first)?.[1];
        let again = '';
        for (const text of steps) again = await chat.say(text);
        const w = web.app.knowledge.wording;
        const method = w.button('phoneCall').toLowerCase();
        const said = w.text('handoffRepeatedUrgent', { reference: reference!, method }).split('\n');
        expect(again, again).to.include(said[0]!).and.include(said[1]!).and.include('by phone call');
        expect(again).to.match(/116 123/);
        const stored = await web.app.stores.escalations.list();
        expect(stored).to.have.length(1);
        expect(stored[0]).to.deep.include({ repeats: 1, priority: 'urgent', reference });
    });
});
