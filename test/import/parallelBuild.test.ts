import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesiseFeed } from '../../src/cli/benchImport';
import { readProse } from '../../src/import/prose';
import { buildAll, contextFor, threadsFor } from '../../src/import/parallelBuild';
import type { BuildPlan } from '../../src/import/parallelBuild';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';
import { FIXTURES, quietImport } from './helpers';

const SHIPPED = path.join(projectRoot(), 'knowledge');
const FEED = path.join(FIXTURES, 'oruk-v1', 'services.json');

describe('kb import on every core (parallelBuild.ts)', () => {
    const plan: BuildPlan = { supportDir: SHIPPED, shippedDir: SHIPPED, today: '2026-11-01', labeller: true,
        types: true, reader: 'oruk' };

    it('builds the same records, in the same order, on two threads as on one', async () => {
        const base = JSON.parse(fs.readFileSync(FEED, 'utf8')) as Record<string, unknown>[];
        const records = synthesiseFeed(base, 300);
        const ctx = contextFor(plan);
        const one = await buildAll(records, plan, ctx, 1);
        const two = await buildAll(records, plan, ctx, 2);
        // The second slice was built by a worker thread, not by this thread after a worker failed.
        expect(one).to.deep.include({ slices: 1, byWorkers: 0 });
        expect(two).to.deep.include({ slices: 2, byWorkers: 1 });
        expect(two.built.map((b) => b.id)).to.deep.equal(records.map((r) => (r as { id: string }).id));
        expect(JSON.stringify(two.built)).to.equal(JSON.stringify(one.built));
    });

    it('writes a byte-identical folder whatever the number of threads', async () => {
        const tmp = tempDir('signpost-parallel-');
        try {
            const base = JSON.parse(fs.readFileSync(FEED, 'utf8')) as Record<string, unknown>[];
            const source = path.join(tmp.dir, 'feed.json');
            fs.writeFileSync(source, JSON.stringify(synthesiseFeed(base, 200)));
            const one = await quietImport(source, 'oruk', path.join(tmp.dir, 'one'), { threads: 1 });
            const three = await quietImport(source, 'oruk', path.join(tmp.dir, 'three'), { threads: 3 });
            expect(three.imported).to.equal(one.imported);
            expect(one.build).to.deep.equal({ slices: 1, byWorkers: 0 });
            expect(three.build).to.deep.equal({ slices: 3, byWorkers: 2 });
            expect(fs.readFileSync(path.join(tmp.dir, 'three', three.file), 'utf8'))
                .to.equal(fs.readFileSync(path.join(tmp.dir, 'one', one.file), 'utf8'));
        } finally {
            tmp.remove();
        }
    });

    it('uses one thread for a small feed, one per free core, and at most four', () => {
        expect(threadsFor(500, 8, 0)).to.equal(1);
        expect(threadsFor(10_000, 1, 0)).to.equal(1);
        expect(threadsFor(10_000, 2, 0.2)).to.equal(2);
        expect(threadsFor(100_000, 16, 0)).to.equal(4);
        // A busy machine: no core is free, and another thread would only add its start.
        expect(threadsFor(10_000, 2, 14)).to.equal(1);
        expect(threadsFor(10_000, 4, 2)).to.equal(2);
    });

    it('never lets one record\'s facts change what the next record of the same organisation reads', () => {
        // Both services leave how they are given to their organisation's description, which says nothing of it; the
        // first is a group people go to. The second says nothing at all and must stay unknown, read first or second.
        const org = { field: 'organization.description', text: 'A local charity helping people in the town.' };
        const group = [{ field: 'name', text: 'Knit and Natter' }, { field: 'description', text: 'A knitting group '
            + 'for all.' }, org];
        const quiet = [{ field: 'name', text: 'Benefits Information' }, { field: 'description', text: 'Information '
            + 'about benefits for local people.' }, org];
        const alone = readProse(quiet).delivery;
        expect(readProse(group).delivery.map((d) => d.value)).to.deep.equal(['in-person']);
        expect(alone).to.deep.equal([]);
        expect(readProse(quiet).delivery).to.deep.equal([]);
    });
});
