import { expect } from 'chai';
import WebSocket from 'ws';
import { testApp } from '../helpers/app';
import { tempDir } from '../helpers/tmp';
import { pageToken, startWebServer, type WebServer } from '../helpers/webServer';

// botframework-directlinejs is a browser library: in Node it needs XMLHttpRequest and WebSocket, as a browser has.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(globalThis as Record<string, unknown>).XMLHttpRequest ??= require('xhr2');
(globalThis as Record<string, unknown>).WebSocket ??= WebSocket;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DirectLine } = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

type DlActivity = { type: string; id?: string; text?: string; from: { id: string; role?: string };
    suggestedActions?: { actions: { value?: unknown; title?: string }[] }; attachments?: unknown[] };

/** A resident using the real Direct Line client, collecting what the bot says. */
class Resident {
    readonly fromBot: DlActivity[] = [];
    readonly client: InstanceType<typeof DirectLine>;
    private readonly subscription: { unsubscribe(): void };

    constructor(url: string, token: string, webSocket: boolean, conversationId?: string) {
        this.client = new DirectLine({
            token, conversationId, domain: `${url}/v3/directline`, webSocket, pollingInterval: 200,
        });
        this.subscription = this.client.activity$.subscribe((a) => {
            const activity = a as unknown as DlActivity;
            if (activity.from.role === 'bot') this.fromBot.push(activity);
        });
    }

    /** Says something and waits until the bot's replies include `want`; returns what the bot said since. */
    async say(text: string, want: RegExp | string): Promise<string> {
        const before = this.fromBot.length;
        await new Promise<void>((resolve, reject) => {
            this.client.postActivity({ type: 'message', text, from: { id: 'someone-else', name: 'resident' } } as never)
                .subscribe({ next: () => resolve(), error: reject });
        });
        return this.waitFor(want, before);
    }

    async waitFor(want: RegExp | string, from = 0, timeoutMs = 10_000): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const said = this.fromBot.slice(from).map((a) => a.text ?? '').join('\n');
            if (typeof want === 'string' ? said.includes(want) : want.test(said)) return said;
            if (Date.now() > deadline) throw new Error(`the bot did not say ${String(want)}; it said:\n${said}`);
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    end(): void {
        this.subscription.unsubscribe();
        this.client.end();
    }
}

for (const mode of ['polling', 'WebSocket'] as const) {
    describe(`when a resident chats through botframework-directlinejs (${mode})`, () => {
        let web: WebServer;
        let resident: Resident | undefined;
        before(async () => (web = await startWebServer()));
        after(async () => {
            resident?.end();
            await web.stop();
        });

        it('is welcomed, and goes from what matters to a request for contact', async () => {
            const w = web.app.knowledge.wording;
            const { token } = await pageToken(web.url);
            resident = new Resident(web.url, token, mode === 'WebSocket');
            expect((resident.client as unknown as { webSocket: boolean }).webSocket).to.equal(mode === 'WebSocket');
            await resident.waitFor(/computer program/);
            const steps: [string, RegExp | string][] = [
                ["I'm lonely and money is tight", /It sounds like/],
                [w.button('yesRight'), w.text('askWhere')],
                // Issue 16 part 2: the place is the one question before the results.
                ['BS5 6XX', w.text('resultsActions')],
                ['1', w.text('resultsActions')],
                [w.button('thatsAll'), w.text('offerHandoff')],
                [w.button('yesPlease'), w.text('askMethod')],
                [w.button('phoneCall'), w.text('askPhone')],
                ['07700 900123', w.text('askName')],
                [w.button('skip'), w.text('askTime')],
                [w.button('mornings'), 'I need your OK'],
                [w.button('agree'), 'read this chat'],
                [w.button('shareChat'), /Your reference is SP-[A-Z2-9]{6}/],
            ];
            for (const [say, want] of steps) await resident.say(say, want);

            const results = resident.fromBot.find((a) => a.attachments?.length === 3);
            expect(results, 'results arrive as three cards').to.not.equal(undefined);
            const buttons = resident.fromBot.find((a) => a.suggestedActions)?.suggestedActions?.actions ?? [];
            expect(buttons.length, 'choices arrive as buttons').to.be.greaterThan(0);

            const requests = await web.app.stores.escalations.list();
            expect(requests).to.have.length(1);
            expect(requests[0].channelId).to.equal('directline');
            // The resident is who the token says, not who the client claimed to be.
            expect(requests[0].residentKey).to.not.equal('someone-else');
        });
    });
}

describe('when the server restarts in the middle of a website chat', () => {
    const tmp = tempDir();
    after(() => tmp.remove());

    it('keeps the conversation: what was said, and where the resident was', async () => {
        const key = Buffer.alloc(32, 7);
        const env = { SIGNPOST_DATA_DIR: tmp.dir };
        let web = await startWebServer({ app: testApp({ env }), key });
        const w = web.app.knowledge.wording;
        const { token, conversationId } = await pageToken(web.url);
        const resident = new Resident(web.url, token, false);
        await resident.waitFor(/computer program/);
        await resident.say("I'm lonely", /It sounds like/);
        resident.end();
        await web.stop({ dispose: false });
        await web.app.close();

        web = await startWebServer({ app: testApp({ env }), key });
        try {
            const res = await fetch(`${web.url}/v3/directline/conversations/${conversationId}/activities?watermark=`, {
                headers: { authorization: `Bearer ${token}` },
            });
            expect(res.status).to.equal(200);
            const body = await res.json() as { activities: DlActivity[]; watermark: string };
            const texts = body.activities.map((a) => a.text ?? '');
            expect(texts.join('\n')).to.match(/computer program/).and.match(/It sounds like/).and.include("I'm lonely");

            // A page reloaded after the restart reconnects to its conversation (GET conversations/:id).
            const again = new Resident(web.url, token, true, conversationId);
            await again.say(w.button('yesRight'), w.text('askWhere'));
            again.end();
        } finally {
            await web.stop();
        }
    });
});
