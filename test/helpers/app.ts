/**
 * A real Signpost for tests: the shipped knowledge (loaded once), a real SQLite file in a temp folder, and the
 * real bot, driven through botbuilder's TestAdapter as a channel would.
 */
import type { ReviewOf } from '../../src/workspace/curation';
import type { Sender } from '../../src/sending/port';
import { TestAdapter, type Activity } from 'botbuilder';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { loadKnowledge, type Knowledge } from '../../src/knowledge';
import { createLogger, type Logger } from '../../src/log';
import { projectRoot } from '../../src/paths';
import path from 'node:path';
import { tempDir } from './tmp';

let shipped: Knowledge | undefined;

/** The shipped knowledge, loaded once for the whole test run. */
export function shippedKnowledge(): Knowledge {
    return (shipped ??= loadKnowledge(path.join(projectRoot(), 'knowledge')));
}

export interface TestApp extends App {
    dataDir: string;
    dispose(): Promise<void>;
}

/** An app over a fresh temporary data folder. */
export function testApp(options: {
    knowledge?: Knowledge; log?: Logger; env?: NodeJS.ProcessEnv; now?: () => Date;
    /** The importer's review checks for the curation queue, as src/index.ts gives them. */
    review?: ReviewOf;
    /** A sender instead of the settings' (a recording one, to read what went out and to make sends fail). */
    sender?: Sender;
} = {}): TestApp {
    const tmp = tempDir();
    const config = loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent', ...options.env });
    const app = createApp(config, {
        knowledge: options.knowledge ?? shippedKnowledge(),
        log: options.log ?? createLogger('silent'),
        now: options.now,
        ...(options.review ? { review: options.review } : {}),
        ...(options.sender ? { sender: options.sender } : {}),
    });
    return Object.assign(app, {
        dataDir: tmp.dir,
        dispose: async () => {
            await app.close();
            tmp.remove();
        },
    });
}

/** What the bot sent in one turn. */
export interface Turn {
    texts: string[];
    /** Buttons offered on the last message of the turn. */
    buttons: string[];
    /** All the turn's texts joined, for easy matching. */
    all: string;
    activities: Partial<Activity>[];
}

/** One resident talking to the bot over the TestAdapter. */
export class Conversation {
    readonly adapter: TestAdapter;

    constructor(readonly app: App, options: {
        channelId?: string; userId?: string; conversationId?: string;
        /** The locale the channel sends with every activity ("cy-GB"), as Web Chat and Teams do. */
        locale?: string;
    } = {}) {
        this.adapter = new TestAdapter(async (context) => app.bot.run(context), {
            channelId: options.channelId ?? 'test',
            from: { id: options.userId ?? 'resident-1', name: 'resident' },
            recipient: { id: 'signpost', name: 'Signpost' },
            conversation: { id: options.conversationId ?? 'conversation-1', isGroup: false, conversationType: 'personal', name: '' },
            ...(options.locale ? { locale: options.locale } : {}),
        } as Partial<Activity>);
        this.adapter.onTurnError = app.onTurnError;
    }

    /** The resident opens the chat (web chat and Teams send this; SMS does not). */
    async join(): Promise<Turn> {
        await this.adapter.receiveActivity({
            type: 'conversationUpdate',
            membersAdded: [{ id: 'resident-1', name: 'resident' }],
        });
        return this.drain();
    }

    async say(text: string): Promise<Turn> {
        await this.adapter.receiveActivity(text);
        return this.drain();
    }

    private drain(): Turn {
        const activities = this.adapter.activeQueue.splice(0);
        const texts = activities.filter((a) => a.type === 'message').map((a) => a.text ?? '');
        const last = [...activities].reverse().find((a) => a.type === 'message');
        const buttons = (last?.suggestedActions?.actions ?? []).map((a) => String(a.value ?? a.title));
        return { texts, buttons, all: texts.join('\n'), activities };
    }
}

/** The stored state of a TestAdapter conversation, straight from the store ({} when there is none). */
export async function storedState(app: App, conversationId = 'conversation-1', channelId = 'test') {
    const key = `${channelId}/conversations/${conversationId}/`;
    return (await app.stores.state.read([key]))[key] as
        | { profile?: { needs: string[] }; [k: string]: unknown }
        | undefined;
}
