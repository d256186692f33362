import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeRecords } from '../../src/import/merge';
import type { Opportunity } from '../../src/knowledge/schema';
import { tempDir } from '../helpers/tmp';
import { quietImport, written } from './helpers';

function service(id: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        id, name, status: 'active', assured_date: '2026-10-01', organization: { name: 'Community Hub' },
        description: 'A friendly coffee morning to meet new people and make friends.', ...extra,
    };
}

describe('importing the same source again', () => {
    let tmp: ReturnType<typeof tempDir>;
    let feed: string;
    const save = (services: unknown[]): void => fs.writeFileSync(feed, JSON.stringify(services));

    beforeEach(() => {
        tmp = tempDir('signpost-reimport-');
        feed = path.join(tmp.dir, 'feed.json');
    });
    afterEach(() => tmp.remove());

    it('updates records in place by id, adds new ones at the end and removes those gone, reporting each', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A'), service('b', 'Coffee Morning B'), service('c', 'Coffee Morning C')]);
        const first = await quietImport(feed, 'oruk', out);
        expect(first.changes).to.include({ added: 3, updated: 0, unchanged: 0 });

        save([
            service('d', 'Coffee Morning D'), service('c', 'Coffee Morning C, now on Fridays'),
            service('a', 'Coffee Morning A'),
        ]);
        const second = await quietImport(feed, 'oruk', out);
        expect(second.changes).to.deep.equal({ added: 1, updated: 1, unchanged: 1, removed: ['b'], keptPrevious: [] });
        const records = written(out, second);
        expect(records.map((r) => r.id)).to.deep.equal(['a', 'c', 'd']);
        expect(records[1]?.name).to.equal('Coffee Morning C, now on Fridays');
        expect(second.file).to.equal(first.file);
    });

    it('keeps the previous version of a record that is now invalid in the source, and says so', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A'), service('b', 'Coffee Morning B')]);
        await quietImport(feed, 'oruk', out);
        save([service('a', 'Coffee Morning A'), service('b', 'Coffee Morning B', { organization: {} })]);
        const again = await quietImport(feed, 'oruk', out);
        expect(again.changes.keptPrevious).to.deep.equal(['b']);
        expect(again.changes.removed).to.deep.equal([]);
        expect(written(out, again).find((r) => r.id === 'b')?.organization.name).to.equal('Community Hub');
    });

    it('removes a record whose status says it has closed', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A'), service('b', 'Coffee Morning B')]);
        await quietImport(feed, 'oruk', out);
        save([service('a', 'Coffee Morning A'), service('b', 'Coffee Morning B', { status: 'defunct' })]);
        const again = await quietImport(feed, 'oruk', out);
        expect(again.changes.removed).to.deep.equal(['b']);
    });

    it('writes nothing and says so when nothing usable came in, keeping the last good file', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A')]);
        const first = await quietImport(feed, 'oruk', out);
        save([service('a', '')]);
        const broken = await quietImport(feed, 'oruk', out);
        expect(broken.written).to.equal(false);
        expect(broken.imported).to.equal(0);
        expect(written(out, first).map((r) => r.id)).to.deep.equal(['a']);
    });

    it('says loudly when the folder will not load, here because another file uses the same id', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A')]);
        await quietImport(feed, 'oruk', out);
        const report = await quietImport(feed, 'oruk', out, { name: 'second-copy' });
        expect(report.loads).to.have.length(1);
        expect(report.loads[0]).to.include('record a, field id: is used twice');
    });

    it('keeps an owner\'s own places.json and needs.json', async () => {
        const out = path.join(tmp.dir, 'kb');
        save([service('a', 'Coffee Morning A')]);
        await quietImport(feed, 'oruk', out);
        const places = path.join(out, 'places.json');
        const edited = fs.readFileSync(places, 'utf8').replace('"places": []', '"places": [{"name": "Brigg", '
            + '"aliases": [], "latitude": 53.55, "longitude": -0.49}]');
        fs.writeFileSync(places, edited);
        const again = await quietImport(feed, 'oruk', out);
        expect(fs.readFileSync(places, 'utf8')).to.equal(edited);
        expect(again.support.every((s) => s.action === 'kept')).to.equal(true);
        expect(again.loads).to.deep.equal([]);
    });
});

describe('merging records', () => {
    const record = (id: string, name: string): Opportunity => ({
        id, name, description: 'A description long enough.', organization: { name: 'Org' }, needs: ['food'],
        keywords: [], attending_type: ['in-person'], schedules: [], cost_options: [], accessibility: [], welcome: [],
        assured_date: '2026-01-01',
    });

    it('does not count a change of key order as an update', () => {
        const old = record('a', 'A');
        const reordered = Object.fromEntries(Object.entries(old).reverse()) as Opportunity;
        expect(mergeRecords([old], [reordered], new Set()).unchanged).to.deep.equal(['a']);
    });
});
