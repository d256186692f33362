/**
 * A small fake Bot Framework channel, as the Emulator is: it posts activities to the bot's /api/messages with a
 * serviceUrl pointing at its own HTTP server, and collects the bot's replies that arrive there.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface CapturedReply {
    conversationId: string;
    /** The id the channel gave the activity (on a POST), or the one updated (on a PUT). */
    activityId?: string;
    activity: {
        type: string;
        text?: string;
        suggestedActions?: { actions: { title: string; value: unknown }[] };
        attachments?: { contentType: string; content: any }[];
    };
}

export class FakeChannel {
    readonly replies: CapturedReply[] = [];
    /** Activities the bot changed (PUT), as Teams lets it update a card it posted. */
    readonly updates: CapturedReply[] = [];
    private server?: http.Server;
    serviceUrl = '';

    constructor(private readonly botUrl: string, readonly channelId = 'emulator') {}

    /** Listens on `host` (127.0.0.1 by default; another address of this machine for a channel elsewhere). */
    async start(host = '127.0.0.1'): Promise<void> {
        this.server = http.createServer((req, res) => {
            let body = '';
            req.on('data', (chunk: Buffer) => (body += chunk.toString()));
            req.on('end', () => {
                const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
                if (req.method === 'POST' && m) {
                    const activityId = randomUUID();
                    const conversationId = decodeURIComponent(m[1]);
                    this.replies.push({ conversationId, activityId, activity: JSON.parse(body) });
                    res.writeHead(200, { 'content-type': 'application/json' });
                    res.end(JSON.stringify({ id: activityId }));
                } else if (req.method === 'PUT' && m?.[2]) {
                    const activityId = decodeURIComponent(m[2]);
                    const conversationId = decodeURIComponent(m[1]);
                    this.updates.push({ conversationId, activityId, activity: JSON.parse(body) });
                    res.writeHead(200, { 'content-type': 'application/json' });
                    res.end(JSON.stringify({ id: activityId }));
                } else {
                    res.writeHead(404);
                    res.end();
                }
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
        this.serviceUrl = `http://${host}:${(this.server!.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** Posts one activity and returns the HTTP status and the texts of the replies it caused. */
    async send(conversationId: string, partial: Record<string, unknown>): Promise<{ status: number; texts: string[] }> {
        const before = this.replies.length;
        const activity = {
            type: 'message',
            id: randomUUID(),
            channelId: this.channelId,
            serviceUrl: this.serviceUrl,
            timestamp: new Date().toISOString(),
            from: { id: 'resident-http', name: 'resident' },
            recipient: { id: 'signpost-bot', name: 'Signpost' },
            conversation: { id: conversationId },
            locale: 'en-GB',
            ...partial,
        };
        const res = await fetch(`${this.botUrl}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(activity),
        });
        await res.arrayBuffer();
        const texts = this.replies.slice(before).map((r) => r.activity.text ?? '');
        return { status: res.status, texts };
    }

    say(conversationId: string, text: string) {
        return this.send(conversationId, { text });
    }
}
