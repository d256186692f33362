/**
 * A flood of fake urgent requests through the real website chat (built-in Direct Line over HTTP on 127.0.0.1): many
 * chats from one address, each with a crisis phrase and "call me". Repeats from one number merge into its open
 * request, the address may make only so many, and every resident still gets crisis routes.
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

    it('merges ten chats with the same number into one urgent request, each told its reference', async () => {
        const answers = [];
        // The same number, written two ways.
        for (let i = 0; i < 10; i++) {
            answers.push(await urgentCallBack(web, i % 2 ? '07700 900456' : '+44 7700 900456'));
        }
        const stored = await web.app.stores.escalations.list();
        expect(stored, 'requests stored').to.have.length(1);
        const [request] = stored;
        expect(request!.priority).to.equal('urgent');
        expect(request!.repeats).to.equal(9);
        for (const a of answers) {
            expect(a.crisis).to.match(/116 123/);
            expect(REFERENCE.exec(a.done)?.[1], a.done).to.equal(request!.reference);
        }
        const trail = await web.app.stores.escalations.auditTrail(request!.reference);
        expect(trail.filter((t) => t.action === 'repeated')).to.have.length(9);
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
        expect(again, again).to.include(w.text('handoffRepeatedUrgent', { reference: reference! }).split('\n')[0]!);
        expect(again).to.match(/116 123/);
        const stored = await web.app.stores.escalations.list();
        expect(stored).to.have.length(1);
        expect(stored[0]).to.deep.include({ repeats: 1, priority: 'urgent', reference });
    });
});
