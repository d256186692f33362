/**
 * `signpost store migrate --from sqlite --to mongodb`: copies everything in the embedded file (SIGNPOST_DATA_DIR)
 * to the MongoDB database (MONGODB_URI), or back with --from mongodb --to sqlite. Records are written by id, so
 * running it again changes nothing. It ends with each collection's count in both stores and exits 1 when they
 * differ. Stop the bot first: what it writes during the copy may be missed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config';
import { progressBar, type ProgressStream } from '../import/progress';
import { openStores, storeOptions } from '../storage';
import { openEmbeddedStores } from '../storage/embedded/sqliteStores';
import { RECORD_KINDS, type RecordKind, type StoreRecord } from '../storage/storeMigration';
import type { Stores } from '../storage/stores';
import { UsageError, type CommandResult } from './usage';

const KINDS = ['sqlite', 'mongodb'] as const;
type StoreKind = (typeof KINDS)[number];

/** Records written per batch: one transaction (SQLite) or one bulk write (MongoDB). */
const BATCH = 500;

export interface StoreIo {
    env?: NodeJS.ProcessEnv;
    /** The count table (standard output). */
    out?: (line: string) => void;
    /** Progress and problems (standard error). */
    err?: ProgressStream;
}

/** Runs `signpost store ...`. */
export async function storeCommand(args: string[], io: StoreIo = {}): Promise<CommandResult> {
    const out = io.out ?? ((line: string) => process.stdout.write(line + '\n'));
    const err = io.err ?? process.stderr;
    const [sub, ...rest] = args;
    if (sub !== 'migrate') throw new UsageError('store needs "migrate"');
    let values: { from?: string; to?: string };
    try {
        ({ values } = parseArgs({
            args: rest, options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true,
        }));
    } catch (e) {
        throw new UsageError((e as Error).message);
    }
    const from = values.from as StoreKind;
    const to = values.to as StoreKind;
    if (!KINDS.includes(from) || !KINDS.includes(to) || from === to) {
        throw new UsageError('store migrate needs --from sqlite --to mongodb (or --from mongodb --to sqlite)');
    }
    const config = loadConfig(io.env);
    if (!config.mongodb) throw new UsageError('store migrate needs the setting MONGODB_URI');
    if (from === 'sqlite' && !fs.existsSync(path.join(config.dataDir, 'signpost.db'))) {
        err.write('signpost: there is no embedded database in SIGNPOST_DATA_DIR to copy\n');
        return 1;
    }

    const source = await open(from, config);
    let target: Stores | undefined;
    try {
        target = await open(to, config);
        const sourceCounts = await source.migration.counts();
        const total = RECORD_KINDS.reduce((sum, kind) => sum + sourceCounts[kind], 0);
        const progress = reporter(err, total);
        let done = 0;
        let batch: StoreRecord[] = [];
        for await (const record of source.migration.exportAll()) {
            batch.push(record);
            if (batch.length >= BATCH) {
                await target.migration.importRecords(batch);
                done += batch.length;
                progress.update(done, record.kind);
                batch = [];
            }
        }
        if (batch.length) {
            await target.migration.importRecords(batch);
            done += batch.length;
            progress.update(done, batch[batch.length - 1]!.kind);
        }
        progress.finish();
        const targetCounts = await target.migration.counts();
        const differ = printTable(out, from, to, sourceCounts, targetCounts);
        if (differ.length) {
            err.write(`signpost: the counts differ for ${differ.join(', ')}: the ${to} store held other records, `
                + 'or something wrote to a store during the copy\n');
            return 1;
        }
        return 0;
    } finally {
        await target?.close();
        await source.close();
    }
}

async function open(kind: StoreKind, config: Config): Promise<Stores> {
    return kind === 'sqlite' ? openEmbeddedStores(config.dataDir) : openStores(storeOptions(config));
}

/** A bar on a terminal; otherwise a plain line at every tenth of the way (logs get no carriage returns). */
function reporter(stream: ProgressStream, total: number) {
    if (stream.isTTY) {
        const bar = progressBar('Copying', stream);
        return { update: (done: number, note: string) => bar.update(done, total, note), finish: () => bar.finish() };
    }
    let reported = 0;
    return {
        update(done: number, note: string) {
            const tenth = total ? Math.floor((done / total) * 10) : 10;
            if (tenth > reported || done === total) {
                reported = tenth;
                stream.write(`copied ${done} of ${total} records (${note})\n`);
            }
        },
        finish: () => undefined,
    };
}

/** Prints each kind's counts in both stores; returns the kinds whose counts differ. */
function printTable(out: (line: string) => void, from: StoreKind, to: StoreKind,
    source: Record<RecordKind, number>, target: Record<RecordKind, number>): RecordKind[] {
    const width = Math.max(...RECORD_KINDS.map((k) => k.length), 'collection'.length) + 2;
    const column = (text: string | number) => String(text).padStart(10);
    out(`${'collection'.padEnd(width)}${column(from)}${column(to)}`);
    const differ: RecordKind[] = [];
    for (const kind of RECORD_KINDS) {
        const same = source[kind] === target[kind];
        if (!same) differ.push(kind);
        out(`${kind.padEnd(width)}${column(source[kind])}${column(target[kind])}${same ? '' : '  differs'}`);
    }
    return differ;
}
