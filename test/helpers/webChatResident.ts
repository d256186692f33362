import { expect } from 'chai';
import { pageToken } from './webServer';

/** A resident on the website chat (self-hosted Direct Line), reading the bot's messages as the page does. */
export class WebChatResident {
    private watermark = 0;
    token = '';
    conversationId = '';

    constructor(private readonly url: string) {}

    async open(): Promise<void> {
        ({ token: this.token, conversationId: this.conversationId } = await pageToken(this.url));
        const res = await fetch(`${this.url}/v3/directline/conversations`, {
            method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
            body: '{}',
        });
        expect(res.status).to.equal(201);
    }

    async say(text: string): Promise<string[]> {
        const res = await fetch(`${this.url}/v3/directline/conversations/${this.conversationId}/activities`, {
            method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', text, from: { id: '' } }),
        });
        expect(res.status, text).to.equal(200);
        return this.read();
    }

    /**
     * The bot's messages since the last read. A connector's message is read as the page shows it, their name above
     * their words ("Sam: Hi"): the name comes from `from.name`, on messages the bot marked a connector's.
     */
    async read(): Promise<string[]> {
        const res = await fetch(
            `${this.url}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`,
            { headers: { authorization: `Bearer ${this.token}` } });
        const body = await res.json() as { watermark: string; activities: { type: string; text?: string;
            from: { role?: string; name?: string }; channelData?: { signpost?: { role?: string } } }[] };
        this.watermark = Number(body.watermark) || this.watermark;
        return body.activities.filter((a) => a.type === 'message' && a.from.role === 'bot')
            .map((a) => (a.channelData?.signpost?.role === 'connector' ? `${a.from.name}: ` : '') + (a.text ?? ''));
    }
}
