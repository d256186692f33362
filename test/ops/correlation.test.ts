import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createLogger, currentCorrelation, withCorrelation } from '../../src/log';
import { FakeChannel } from '../helpers/fakeChannel';
import { testApp } from '../helpers/app';
import { startWebServer, type WebServer } from '../helpers/webServer';

type Line = Record<string, unknown> & { event: string; level: string; requestId?: string; turnId?: string };

describe('log lines', () => {
    it('are JSON with the level, an ISO time and the event, and only the fields given', () => {
        const lines: string[] = [];
        const log = createLogger('info', (l) => lines.push(l));
        log.debug('not.written');
        log.info('handoff.created', { escalation: 'e-1', urgent: false, count: 2, missing: undefined });
        expect(lines).to.have.length(1);
        const line = JSON.parse(lines[0]) as Line;
        expect(line).to.have.keys(['level', 'time', 'event', 'escalation', 'urgent', 'count']);
        expect(line).to.include({ level: 'info', event: 'handoff.created', escalation: 'e-1', urgent: false });
        expect(new Date(line.time as string).toISOString()).to.equal(line.time);
    });

    it('write nothing at level silent', () => {
        const lines: string[] = [];
        createLogger('silent', (l) => lines.push(l)).error('x');
        expect(lines).to.be.empty;
    });

    it('carry the correlation ids in force, a turn\'s inside its request\'s, through awaits', async () => {
        const lines: string[] = [];
        const log = createLogger('info', (l) => lines.push(l));
        await withCorrelation({ requestId: 'r-1' }, async () => {
            log.info('in.request');
            await withCorrelation({ turnId: 't-1' }, async () => {
                await new Promise((resolve) => setTimeout(resolve, 5));
                log.info('in.turn');
                expect(currentCorrelation()).to.deep.equal({ requestId: 'r-1', turnId: 't-1' });
            });
            log.info('after.turn');
        });
        log.info('outside');
        const parsed = lines.map((l) => JSON.parse(l) as Line);
        expect(parsed.map((l) => [l.event, l.requestId, l.turnId])).to.deep.equal([
            ['in.request', 'r-1', undefined], ['in.turn', 'r-1', 't-1'], ['after.turn', 'r-1', undefined],
            ['outside', undefined, undefined],
        ]);
    });
});

describe('when two requests are served at the same time', () => {
    let web: WebServer;
    let channel: FakeChannel;
    const lines: string[] = [];

    before(async () => {
        web = await startWebServer({ app: testApp({ log: createLogger('debug', (l) => lines.push(l)) }) });
        channel = new FakeChannel(web.url);
        await channel.start();
    });
    after(async () => {
        await channel.stop();
        await web.stop();
    });

    const post = (conversationId: string, text: string, headers: Record<string, string> = {}) =>
        fetch(`${web.url}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({
                type: 'message', id: randomUUID(), channelId: 'emulator', serviceUrl: channel.serviceUrl,
                from: { id: `resident-${conversationId}` }, recipient: { id: 'signpost-bot' },
                conversation: { id: conversationId }, text,
            }),
        });

    it('gives each its own request id, in X-Request-Id and on each of its log lines, and each turn its own id',
        async () => {
            lines.length = 0;
            const [a, b] = await Promise.all([post('corr-a', 'I feel lonely'), post('corr-b', 'money is tight')]);
            expect([a.status, b.status]).to.deep.equal([200, 200]);
            const ids = [a.headers.get('x-request-id'), b.headers.get('x-request-id')];
            for (const id of ids) expect(id).to.match(/^[0-9a-f-]{36}$/);
            expect(ids[0]).to.not.equal(ids[1]);

            const parsed = lines.map((l) => JSON.parse(l) as Line);
            const turns = parsed.filter((l) => l.event === 'turn');
            expect(turns).to.have.length(2);
            expect(turns.map((t) => t.requestId).sort()).to.deep.equal([...ids].sort());
            expect(turns[0].turnId).to.be.a('string').and.not.equal(turns[1].turnId);
            for (const turn of turns) {
                // Every line written during that turn carries the turn's request id, and no line mixes the two.
                const ofTurn = parsed.filter((l) => l.turnId === turn.turnId);
                expect(ofTurn.every((l) => l.requestId === turn.requestId)).to.equal(true);
            }
            const mine = parsed.filter((l) => l.requestId === ids[0] || l.requestId === ids[1]);
            expect(mine.length).to.equal(parsed.filter((l) => l.turnId).length);
        });

    it('keeps a request id a proxy in front gave, when it is a UUID or hex', async () => {
        const upstream = randomUUID();
        const res = await post('corr-c', 'hello', { 'X-Request-Id': upstream });
        expect(res.headers.get('x-request-id')).to.equal(upstream);
        const hex = 'a3f9c2e4b5d6a7b8c9d0e1f2a3b4c5d6';
        expect((await fetch(`${web.url}/healthz`, { headers: { 'X-Request-Id': hex } })).headers.get('x-request-id'))
            .to.equal(hex);
    });

    it('replaces any other request id, which could carry words, with its own', async () => {
        lines.length = 0;
        const res = await post('corr-d', 'hello', { 'X-Request-Id': 'margaret-thompson-07700900123' });
        const id = res.headers.get('x-request-id');
        expect(id).to.match(/^[0-9a-f-]{36}$/);
        expect(lines.join('\n')).to.not.include('margaret');
        expect(lines.map((l) => JSON.parse(l) as Line).some((l) => l.requestId === id)).to.equal(true);
    });

    it('logs a request refused before its handler (a 404, a bad body) with its request id', async () => {
        lines.length = 0;
        const missing = await fetch(`${web.url}/no-such-page`);
        const bad = await fetch(`${web.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json',
        });
        expect([missing.status, bad.status]).to.deep.equal([404, 400]);
        const errors = lines.map((l) => JSON.parse(l) as Line).filter((l) => l.event === 'http.error');
        expect(errors.map((l) => l.requestId)).to.deep.equal([
            missing.headers.get('x-request-id'), bad.headers.get('x-request-id'),
        ]);
    });
});
