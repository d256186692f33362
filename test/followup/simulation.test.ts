/**
 * The follow-up simulation (issue 22, "Measured"): 200 residents over eight weeks with a fake clock, scheduling
 * reminders and check-ins on every kind of reach, some texting STOP or "delete my data", with two scheduler
 * instances at once and crashes injected between claiming and sending and between sending and recording (the
 * instance dies, is dropped, and another starts). On the embedded store always, and on MongoDB/FerretDB when
 * MONGODB_URI is set. It asserts no message is sent twice (counted at the sending fakes by idempotency key), none
 * is lost, none goes outside 9am-8pm London time, and none goes after STOP or delete; and prints the counts.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { MongoClient } from 'mongodb';
import { FollowupScheduler, scheduleFollowup, type DeliveryResult } from '../../src/followup/scheduler';
import { inSendingHours } from '../../src/followup/hours';
import { createLogger } from '../../src/log';
import { LoggingSender } from '../../src/sending/logging';
import { openEmbeddedStores } from '../../src/storage/embedded/sqliteStores';
import { createMongoClient } from '../../src/storage/mongo/connection';
import { openMongoStores } from '../../src/storage/mongo/mongoStores';
import type {
    ClaimedMessage, NewScheduledMessage, ScheduledMessageStore, ScheduledReach,
} from '../../src/storage/scheduledMessageStore';
import type { Stores } from '../../src/storage/stores';
import { mongoUri } from '../helpers/mongoBot';
import { tempDir } from '../helpers/tmp';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A Monday before the clocks go forward (29 March), so the eight weeks cross a change of time. */
const START = Date.parse('2026-03-02T00:00:00.000Z');
const WEEKS = 8;
const RESIDENTS = 200;
const STEP = 30 * MINUTE;
const LEASE = 10 * MINUTE;

/** A small seeded generator, so a failure can be run again exactly. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

class Crash extends Error {
    constructor(where: string) {
        super(`injected crash ${where}`);
        this.name = 'Crash';
    }
}

/** One server instance: its scheduler and its view of the store, which can die. */
interface Instance {
    scheduler: FollowupScheduler;
    dead: boolean;
}

interface Event {
    at: number;
    run: () => Promise<void>;
}

interface Counts {
    residents: number;
    scheduled: number;
    duplicateSchedules: number;
    sent: number;
    cancelled: number;
    stuck: number;
    stoppedResidents: number;
    deletedResidents: number;
    crashesAfterClaim: number;
    crashesAfterSend: number;
    transientFailures: number;
    resendsSuppressedByKey: number;
    movedToMorning: number;
    instancesStarted: number;
}

async function simulate(stores: Stores, seed: number): Promise<Counts> {
    const rnd = random(seed);
    let clock = START;
    const now = () => new Date(clock);
    const log = createLogger('error', () => undefined);
    const counts: Counts = {
        residents: RESIDENTS, scheduled: 0, duplicateSchedules: 0, sent: 0, cancelled: 0, stuck: 0,
        stoppedResidents: 0, deletedResidents: 0, crashesAfterClaim: 0, crashesAfterSend: 0, transientFailures: 0,
        resendsSuppressedByKey: 0, movedToMorning: 0, instancesStarted: 0,
    };

    // The sending fakes: the logging sender for texts and e-mails to an address, and a Bot Framework stand-in for
    // proactive messages on a stored conversation. Both honour idempotency keys, as the providers do.
    const sender = new LoggingSender(['sms', 'email'], log, () => clock);
    const botSent = new Map<string, string>();
    let botCount = 0;
    /** What reached a provider, by idempotency key: the provider's ids (one per real send) and every call. */
    const atProvider = new Map<string, { providerIds: Set<string>; calls: number; residentKey: string;
        times: number[] }>();
    const inFlight = new Set<string>();
    const violations: string[] = [];

    const providerSend = async (m: ClaimedMessage): Promise<DeliveryResult> => {
        const key = m.idempotencyKey;
        // An assertion thrown here would be taken for a failed send: violations are kept and asserted at the end.
        if (inFlight.has(key)) violations.push(`two instances sending ${key} at once`);
        inFlight.add(key);
        try {
            let providerId: string;
            if (m.reach.via === 'address') {
                const result = await sender.send({
                    kind: m.reach.channel, to: m.reach.address, subject: 'A reminder from Signpost',
                    text: `${m.wordingKey}: ${Object.values(m.data).join(', ')}`, idempotencyKey: key,
                });
                if (!result.ok) return { ok: false, retryable: result.retryable, reason: result.reason };
                providerId = result.providerId!;
            } else {
                providerId = botSent.get(key) ?? `bot-${++botCount}`;
                botSent.set(key, providerId);
            }
            const seen = atProvider.get(key) ?? { providerIds: new Set(), calls: 0, residentKey: m.residentKey,
                times: [] };
            if (seen.calls > 0) counts.resendsSuppressedByKey++;
            seen.calls++;
            seen.providerIds.add(providerId);
            seen.times.push(clock);
            atProvider.set(key, seen);
            return { ok: true };
        } finally {
            inFlight.delete(key);
        }
    };

    const instances: Instance[] = [];
    const startInstance = (): Instance => {
        const instance: Instance = { dead: false, scheduler: undefined as unknown as FollowupScheduler };
        counts.instancesStarted++;
        const alive = () => {
            if (instance.dead) throw new Crash('(already dead)');
        };
        // The instance's view of the store: crashes strike between claim and send, and between send and record.
        const store: ScheduledMessageStore = Object.create(stores.scheduled) as ScheduledMessageStore;
        store.claimDue = async (at, leaseMs, limit) => {
            alive();
            const claimed = await stores.scheduled.claimDue(at, leaseMs, limit);
            if (claimed.length > 0 && rnd() < 0.04) {
                counts.crashesAfterClaim++;
                instance.dead = true;
                throw new Crash('between claim and send');
            }
            return claimed;
        };
        store.markSent = async (id, token, at) => {
            alive();
            if (rnd() < 0.04) {
                counts.crashesAfterSend++;
                instance.dead = true;
                throw new Crash('between send and record');
            }
            return stores.scheduled.markSent(id, token, at);
        };
        store.markFailed = async (id, token, retryAt, at) => {
            alive();
            return stores.scheduled.markFailed(id, token, retryAt, at);
        };
        instance.scheduler = new FollowupScheduler({
            store, log, now, intervalMs: STEP, leaseMs: LEASE, batch: 20, retryMs: 20 * MINUTE,
            deliver: async (m) => {
                alive();
                if (!inSendingHours(now())) violations.push(`sent at ${now().toISOString()}`);
                if (rnd() < 0.03) {
                    counts.transientFailures++;
                    return { ok: false, retryable: true, reason: 'unavailable' };
                }
                return providerSend(m);
            },
        });
        return instance;
    };
    instances.push(startInstance(), startInstance());

    // The residents and what they do.
    const events: Event[] = [];
    const created = new Map<string, { id: string; residentKey: string }>();
    const stoppedAt = new Map<string, number>();
    const end = START + WEEKS * 7 * DAY;
    for (let r = 0; r < RESIDENTS; r++) {
        const residentKey = `resident${String(r).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
        const pick = rnd();
        const reach: ScheduledReach = pick < 0.3 ? { via: 'conversation', channel: 'sms', referenceId: `conv-${r}` }
            : pick < 0.5 ? { via: 'conversation', channel: 'msteams', referenceId: `teams-${r}` }
                : pick < 0.8 ? { via: 'address', channel: 'sms', address: `+4477009${String(r).padStart(5, '0')}` }
                    : { via: 'address', channel: 'email', address: `resident${r}@example.org` };
        const firstSeen = START + Math.floor(rnd() * 5 * 7 * DAY);
        const reminders = 1 + Math.floor(rnd() * 3);
        const schedule = (message: NewScheduledMessage, at: number) => events.push({ at, run: async () => {
            if (!inSendingHours(new Date(message.dueAt))) counts.movedToMorning++;
            const result = await scheduleFollowup(stores.scheduled, message, now());
            if (result.created) {
                counts.scheduled++;
                created.set(message.idempotencyKey, { id: result.id, residentKey });
            } else {
                counts.duplicateSchedules++;
            }
        } });
        for (let i = 0; i < reminders; i++) {
            const session = firstSeen + Math.floor(rnd() * 14 * DAY);
            // The reminder is due the day before the session, at the session's minute of the day (some at night).
            const due = session - DAY;
            const message: NewScheduledMessage = {
                idempotencyKey: `reminder:${residentKey}:${i}`, residentKey, kind: 'reminder', reach,
                wordingKey: 'followupReminder', data: { service: `Service ${i}`, when: new Date(session).toISOString() },
                dueAt: new Date(Math.max(due, firstSeen + MINUTE)).toISOString(),
            };
            schedule(message, firstSeen);
            // Sometimes the same reminder is asked for twice (a double tap, a retried turn): it is kept once.
            if (rnd() < 0.1) schedule(message, firstSeen + 5 * MINUTE);
        }
        schedule({
            idempotencyKey: `check-in:${residentKey}`, residentKey, kind: 'check-in', reach,
            wordingKey: 'followupCheckIn', data: { service: 'Service 0' },
            dueAt: new Date(firstSeen + 14 * DAY + Math.floor(rnd() * DAY)).toISOString(),
        }, firstSeen);
        const leave = rnd();
        if (leave < 0.15) {
            const at = firstSeen + Math.floor(rnd() * 20 * DAY);
            if (leave < 0.05) counts.deletedResidents++;
            else counts.stoppedResidents++;
            // STOP and "delete my data" both cancel the resident's messages and delete the address kept.
            events.push({ at, run: async () => {
                stoppedAt.set(residentKey, at);
                await stores.scheduled.cancelForResident(residentKey, now());
            } });
        }
    }
    events.sort((a, b) => a.at - b.at);

    let next = 0;
    const open = async () => {
        for (const { id } of created.values()) {
            const m = await stores.scheduled.get(id);
            if (m && ['scheduled', 'claimed', 'failed'].includes(m.state)) return true;
        }
        return false;
    };
    for (; clock <= end + 7 * DAY; clock += STEP) {
        // What residents did by now, then every live instance looks, at the same time.
        while (next < events.length && events[next]!.at <= clock) await events[next++]!.run();
        await Promise.all(instances.map(async (instance, i) => {
            try {
                await instance.scheduler.tick();
            } catch (err) {
                if (!(err instanceof Crash)) throw err;
            }
            if (instance.dead) {
                // Drop the dead instance and start another, as a restarted container would.
                await instance.scheduler.stop();
                instances[i] = startInstance();
            }
        }));
        if (clock > end && next >= events.length && clock % DAY === 0 && !(await open())) break;
    }

    expect(violations).to.deep.equal([]);
    // Nothing sent twice: one real send per idempotency key at the fakes.
    for (const [key, seen] of atProvider) {
        expect(seen.providerIds.size, `${key} sent ${seen.providerIds.size} times`).to.equal(1);
        expect(created.has(key), `${key} was never scheduled`).to.equal(true);
    }
    // None lost: every message scheduled was sent (at the provider and in the store) or cancelled.
    for (const [key, { id, residentKey }] of created) {
        const m = (await stores.scheduled.get(id))!;
        expect(['sent', 'cancelled'], `${key} is ${m.state}`).to.include(m.state);
        if (m.state === 'sent') {
            counts.sent++;
            expect(atProvider.has(key), `${key} recorded as sent but never reached the provider`).to.equal(true);
        } else {
            counts.cancelled++;
            expect(stoppedAt.has(residentKey), `${key} cancelled but its resident never stopped`).to.equal(true);
        }
    }
    counts.stuck = await stores.scheduled.countStuck();
    // None outside 9am-8pm London time (also checked at each send), none after STOP or delete.
    for (const [key, seen] of atProvider) {
        for (const t of seen.times) expect(inSendingHours(new Date(t)), `${key} at ${new Date(t).toISOString()}`).to.equal(true);
        const stopped = stoppedAt.get(seen.residentKey);
        if (stopped !== undefined) {
            expect(Math.min(...seen.times), `${key} sent after its resident stopped`).to.be.below(stopped);
        }
    }
    for (const instance of instances) await instance.scheduler.stop();
    return counts;
}

function checkAndPrint(name: string, counts: Counts): void {
    process.stdout.write(`      ${name}: ${JSON.stringify(counts)}\n`);
    expect(counts.sent + counts.cancelled).to.equal(counts.scheduled);
    expect(counts.stuck).to.equal(0);
    // The crashes really happened, and retries after a crash between send and record reached the fakes again.
    expect(counts.crashesAfterClaim).to.be.greaterThan(0);
    expect(counts.crashesAfterSend).to.be.greaterThan(0);
    expect(counts.resendsSuppressedByKey).to.be.greaterThan(0);
    expect(counts.cancelled).to.be.greaterThan(0);
    expect(counts.movedToMorning).to.be.greaterThan(0);
}

describe('follow-up simulation: 200 residents over eight weeks, with crashes', function () {
    this.timeout(900_000);

    it('on the embedded store: none sent twice, none lost, none out of hours, none after STOP', async () => {
        const tmp = tempDir('signpost-followup-');
        const stores = openEmbeddedStores(tmp.dir);
        try {
            checkAndPrint('embedded', await simulate(stores, 22));
        } finally {
            await stores.close();
            tmp.remove();
        }
    });

    it('on MongoDB/FerretDB (MONGODB_URI): the same', async function () {
        const uri = mongoUri();
        if (!uri) {
            process.stdout.write('      MongoDB simulation skipped: MONGODB_URI is not set.\n');
            this.skip();
        }
        const client: MongoClient = createMongoClient(uri!);
        await client.connect();
        const database = `signpost_test_${randomBytes(6).toString('hex')}`;
        const stores = await openMongoStores({ uri: uri!, database, stateDays: 30, client });
        try {
            checkAndPrint('mongodb', await simulate(stores, 22));
        } finally {
            await stores.close();
            await client.db(database).dropDatabase().catch(() => undefined);
            await client.close();
        }
    });
});
