/**
 * The workspace, live: new requests and residents' messages reach every open workspace page as server-sent events,
 * without a reload. The store is the source of truth, so several instances agree without talking to each other:
 * while at least one page is connected to this instance, it asks the store every few seconds what changed in the
 * last minute (EscalationStore.liveChanges, an indexed query), and tells each page what it has not yet been told.
 * FerretDB has no change streams, hence the polling; with no page connected, nothing is asked.
 *
 * An event holds a kind and a reference only (what any signed-in connector already sees in the queue); the page
 * fetches the rest through the API. Its id is the change's place in time order, so a page that lost its connection
 * resumes after the last event it had (Last-Event-ID), on any instance. Clocks are assumed to agree within the
 * minute looked back (NTP): a change stored with an earlier time than one already sent still reaches a connected
 * page, but not a page resuming after that later one.
 */
import { errorKind, type Logger } from '../log';
import type { EscalationStore, LiveChange } from '../storage/escalationStore';

/** How the feed paces itself; tests shorten the times. */
export interface LiveSettings {
    /** How often the store is asked, while a page is connected. */
    pollMs: number;
    /** How far back each question looks, so a change stored late by a slower clock or a slow write is still seen. */
    lookbackMs: number;
    /** A comment is written to a quiet connection this often, so proxies keep it open. */
    heartbeatMs: number;
    /** Open connections per session (tabs of one browser), beyond which a new one is refused. */
    perSession: number;
    /** Open connections on this instance in all. */
    maxConnections: number;
    /** How long a browser waits before reconnecting (the stream's `retry:`). */
    retryMs: number;
}

/** The pace in production: the store asked every 2.5 s, a heartbeat every 20 s. */
export const LIVE_SETTINGS: LiveSettings = {
    pollMs: 2500, lookbackMs: 60_000, heartbeatMs: 20_000, perSession: 4, maxConnections: 500, retryMs: 3000,
};

/** How many changes one question, or one resume, gives at most. */
const MAX_CHANGES = 200;
/** How far back a resuming page is caught up at most; beyond it the page reloads its queue on `ready`. */
const MAX_RESUME_MS = 3_600_000;

/** Where the stream's events are written: the HTTP mount gives one per connection (src/workspace/api.ts). */
export interface EventSink {
    /** One event: its id (the resume point), its name and its data (one line of JSON). */
    event(name: string, data: unknown, id?: string): void;
    /** A comment line, which a browser ignores: the heartbeat. */
    comment(text: string): void;
    /** How long the browser should wait before reconnecting. */
    retry(ms: number): void;
    /** Ends the response. */
    end(): void;
}

/** Why a stream was closed by the server: the page stops reconnecting and asks the connector to sign in. */
export type EndReason = 'signed-out' | 'expired' | 'shutting-down';

/** What the feed needs: the store's changes, whether a session still holds, a log and a clock. */
export interface LiveDeps {
    escalations: Pick<EscalationStore, 'liveChanges'>;
    /** True while the session exists and has not expired (it may have been ended on another instance). */
    sessionLive: (sessionId: string) => Promise<boolean>;
    log: Logger;
    now: () => Date;
}

/** One open stream. */
interface Connection {
    sessionId: string;
    expiresAt: number;
    sink: EventSink;
    /** Changes at or before this id are not news to this page (it opened, or resumed, after them). */
    floor: string;
    /** Ids already sent, with their times, forgotten once older than the look-back. */
    sent: Map<string, number>;
    lastWrite: number;
}

/** A live change's event id: its time, kind and reference, which sort as liveChanges orders them. */
export function eventId(change: LiveChange): string {
    return `${change.at}_${change.kind}_${change.reference}`;
}

/** A Last-Event-ID the feed wrote (a time, perhaps with a kind and reference); undefined for anything else. */
export function parseEventId(id: string | undefined): { at: string; id: string } | undefined {
    if (!id) return undefined;
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,3})?Z)(?:_(request|message)_(SP-[A-Z0-9]{1,12}))?$/.exec(id);
    if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
    return { at: m[1]!, id };
}

/** What opening a stream may give instead: too many for the session, or for the instance. */
export type Refusal = 'session-full' | 'instance-full';

/** The live feed of one instance: its open streams and the store polling that feeds them. */
export class LiveFeed {
    private readonly connections = new Set<Connection>();
    private timer: NodeJS.Timeout | undefined;
    private running = false;

    constructor(private readonly deps: LiveDeps, readonly settings: LiveSettings = LIVE_SETTINGS) {}

    /** How many streams are open on this instance (for tests and the log). */
    get size(): number {
        return this.connections.size;
    }

    /**
     * Whether a session may open another stream now; checked before the response starts, so a refusal is a plain
     * HTTP error.
     */
    refusal(sessionId: string): Refusal | undefined {
        if (this.connections.size >= this.settings.maxConnections) return 'instance-full';
        let mine = 0;
        for (const c of this.connections) if (c.sessionId === sessionId) mine++;
        return mine >= this.settings.perSession ? 'session-full' : undefined;
    }

    /**
     * Starts a stream for a signed-in session: the retry time, a `ready` event whose id is the resume point (so a
     * page that reconnects before any event is caught up from there), then, when `lastEventId` is one this feed
     * wrote, what changed after it. Returns what the mount calls when the client goes.
     */
    open(session: { id: string; expiresAt: string }, sink: EventSink, lastEventId?: string): () => void {
        const now = this.deps.now();
        const resumed = parseEventId(lastEventId);
        const oldest = new Date(now.getTime() - MAX_RESUME_MS).toISOString();
        const resuming = resumed !== undefined && resumed.at >= oldest;
        const floor = resuming ? resumed.id : now.toISOString();
        const c: Connection = {
            sessionId: session.id, expiresAt: Date.parse(session.expiresAt), sink, floor, sent: new Map(),
            lastWrite: now.getTime(),
        };
        this.connections.add(c);
        sink.retry(this.settings.retryMs);
        sink.event('ready', { resumed: resuming }, floor);
        if (resuming) void this.catchUp(c, resumed.at);
        this.start();
        return () => this.drop(c);
    }

    /** The session was ended on this instance: its streams close at once (other instances see it when they poll). */
    signedOut(sessionId: string): void {
        for (const c of [...this.connections]) if (c.sessionId === sessionId) this.end(c, 'signed-out');
    }

    /** Closes every stream and stops polling (the server is stopping; a page reconnects to another instance). */
    close(): void {
        for (const c of [...this.connections]) this.end(c, 'shutting-down');
        this.stop();
    }

    private drop(c: Connection): void {
        this.connections.delete(c);
        if (this.connections.size === 0) this.stop();
    }

    private end(c: Connection, reason: EndReason): void {
        if (!this.connections.has(c)) return;
        try {
            c.sink.event('end', { reason });
            c.sink.end();
        } catch {
            // The client went already.
        }
        this.drop(c);
    }

    private start(): void {
        if (this.timer) return;
        this.timer = setInterval(() => void this.tick(), this.settings.pollMs);
        this.timer.unref();
    }

    private stop(): void {
        if (this.timer) clearInterval(this.timer);
        this.timer = undefined;
    }

    /** A resuming page: what changed after its last event, from the store (not only the last minute). */
    private async catchUp(c: Connection, since: string): Promise<void> {
        try {
            this.deliver(await this.deps.escalations.liveChanges(since, MAX_CHANGES), [c]);
        } catch (err) {
            this.deps.log.warn('workspace.live_poll_failed', { error: errorKind(err) });
        }
    }

    /** One round: sessions that ended close their streams; what changed is sent; quiet streams get a heartbeat. */
    private async tick(): Promise<void> {
        if (this.running) return;
        this.running = true;
        try {
            await this.closeEnded();
            if (this.connections.size === 0) return;
            const now = this.deps.now().getTime();
            const since = new Date(now - this.settings.lookbackMs).toISOString();
            const changes = await this.deps.escalations.liveChanges(since, MAX_CHANGES);
            this.deliver(changes, [...this.connections]);
            for (const c of this.connections) {
                for (const [id, at] of c.sent) if (at < now - 2 * this.settings.lookbackMs) c.sent.delete(id);
                if (now - c.lastWrite >= this.settings.heartbeatMs) this.write(c, () => c.sink.comment('heartbeat'));
            }
        } catch (err) {
            this.deps.log.warn('workspace.live_poll_failed', { error: errorKind(err) });
        } finally {
            this.running = false;
        }
    }

    /** Sessions that expired, or were ended (here or on another instance), close their streams. */
    private async closeEnded(): Promise<void> {
        const now = this.deps.now().getTime();
        const checked = new Map<string, boolean>();
        for (const c of [...this.connections]) {
            if (c.expiresAt <= now) {
                this.end(c, 'expired');
                continue;
            }
            if (!checked.has(c.sessionId)) checked.set(c.sessionId, await this.deps.sessionLive(c.sessionId));
            if (!checked.get(c.sessionId)) this.end(c, 'signed-out');
        }
    }

    /** Sends each change to each page that has not had it and opened before it. */
    private deliver(changes: readonly LiveChange[], to: readonly Connection[]): void {
        for (const change of changes) {
            const id = eventId(change);
            for (const c of to) {
                if (!this.connections.has(c) || id <= c.floor || c.sent.has(id)) continue;
                c.sent.set(id, Date.parse(change.at));
                this.write(c, () => c.sink.event(change.kind, { kind: change.kind, reference: change.reference }, id));
            }
        }
    }

    private write(c: Connection, act: () => void): void {
        try {
            act();
            c.lastWrite = this.deps.now().getTime();
        } catch {
            this.drop(c);
        }
    }
}
