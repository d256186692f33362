import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledge } from '../../src/knowledge';
import type { ImportReport } from '../../src/import/report';
import type { Opportunity } from '../../src/knowledge/schema';
import { tempDir } from '../helpers/tmp';
import { byId, FIXTURES, quietImport, SHARED_DATA, skippedFor, written } from './helpers';

describe('importing HSDS 3 / ORUK 3 JSON', () => {
    let tmp: ReturnType<typeof tempDir>;
    let report: ImportReport;
    let records: Opportunity[];

    before(async () => {
        tmp = tempDir('signpost-hsds-');
        report = await quietImport(path.join(FIXTURES, 'hsds3', 'services.json'), 'hsds', tmp.dir);
        records = written(tmp.dir, report);
    });
    after(() => tmp.remove());

    it('reads a page of services and skips the broken one with every fault named', () => {
        expect([report.read, report.imported, report.skipped.total]).to.deep.equal([3, 2, 1]);
        for (const field of ['name:', 'description:', 'organization.name:', 'assured_date:']) {
            expect(skippedFor(report, field).ids, field).to.deep.equal(['hsds-broken']);
        }
        // No need found is not a fault (directory schema version 2): such a record is kept, found by its words.
        expect(skippedFor(report, 'needs:').ids).to.deep.equal([]);
    });

    it('maps attributes\' taxonomy terms, an ordinal schedule, phones, coordinates and access', () => {
        const walk = byId(records, 'hsds-walk');
        expect(walk.needs).to.deep.equal(['physical-activity', 'nature']);
        expect(walk.schedules).to.deep.equal([
            { byday: ['TU'], opens_at: '14:00', closes_at: '15:30', description: 'First Tuesday of the month' },
        ]);
        expect(walk.phone).to.equal('+44 1652 123456');
        expect(walk.location?.latitude).to.equal(53.55);
        expect(walk.accessibility).to.deep.equal(['wheelchair', 'hearing-loop']);
        expect(walk.last_modified).to.equal('2026-10-11T09:00:00Z');
        expect(walk.organization.url).to.equal('https://ramblers.example.org/');
    });

    it('marks a service at a virtual location as online, and a zero price as free', () => {
        const online = byId(records, 'hsds-online');
        expect(online.attending_type).to.deep.equal(['online']);
        expect(online.place_source).to.equal('remote');
        expect(online.cost_options[0]?.amount).to.equal(0);
    });
});

describe('importing an HSDS 3 tabular package', () => {
    let tmp: ReturnType<typeof tempDir>;
    let report: ImportReport;
    let records: Opportunity[];

    before(async () => {
        tmp = tempDir('signpost-tabular-');
        report = await quietImport(path.join(FIXTURES, 'hsds3-tabular'), 'hsds', tmp.dir);
        records = written(tmp.dir, report);
    });
    after(() => tmp.remove());

    it('joins the tables into services and skips the broken rows', () => {
        expect([report.read, report.imported, report.skipped.total]).to.deep.equal([4, 2, 2]);
        expect(skippedFor(report, 'name: is missing').ids).to.deep.equal(['tab-3']);
        expect(skippedFor(report, 'organization.name: is missing').ids).to.deep.equal(['tab-4']);
        expect(report.file).to.equal('directory/hsds3-tabular.json');
    });

    it('follows service_at_locations to locations and addresses, and attributes to taxonomy terms', () => {
        const garden = byId(records, 'tab-1');
        expect(garden.location).to.deep.equal({
            name: 'Crowle Allotments', address_1: 'Godnow Road', city: 'Crowle', postal_code: 'DN17 4EE',
        });
        expect(garden.needs).to.deep.equal(['nature']);
        expect(garden.cost_options[0]).to.include({ amount: 5, option: 'Membership' });
        expect(garden.organization)
            .to.deep.equal({ name: 'Isle of Axholme Growers', url: 'https://growers.example.org/' });
    });

    it('keeps a line break inside a quoted cell as text, and dates a record by last_modified', () => {
        const money = byId(records, 'tab-2');
        expect(money.description).to.equal('Free advice on debt, bills and benefits. Call us, we can help.');
        expect(money.assured_date).to.equal('2026-10-01');
        expect(money.needs).to.deep.equal(['money-debt']);
        expect(money.area_served).to.equal('North Lincolnshire');
        expect(money.schedules[0]?.byday).to.deep.equal(['MO', 'TU', 'WE', 'TH', 'FR']);
    });
});

describe('the official HSDS 3 worked example (../shared/data/hsds3-spec-examples)', function () {
    const examples = path.join(SHARED_DATA, 'hsds3-spec-examples', 'examples');
    let tmp: ReturnType<typeof tempDir>;

    before(function () {
        if (!fs.existsSync(examples)) {
            console.log(`      (skipped: ${examples} is not here; the shared data is optional)`);
            this.skip();
        }
        tmp = tempDir('signpost-hsds-example-');
    });
    after(() => tmp?.remove());

    for (const [source, what] of [['csv', 'tabular package'], ['service_full.json', 'service_full JSON'],
        ['tabular.json', 'tabular JSON'], ['service_list.json', 'paginated list']] as const) {
        it(`imports its ${what} cleanly: the one service, nothing skipped`, async () => {
            const out = path.join(tmp.dir, source);
            const report = await quietImport(path.join(examples, source), 'hsds', out);
            expect([report.read, report.imported, report.skipped.total]).to.deep.equal([1, 1, 0]);
            const [service] = written(out, report);
            expect(service?.name).to.equal('Community Counselling');
            expect(service?.needs).to.deep.equal(['mental-wellbeing']);
            expect(loadKnowledge(out).opportunities).to.have.length(1);
        });
    }

    it('leaves out the example\'s impossible coordinates and its non-UK postcode, and says so', async () => {
        const out = path.join(tmp.dir, 'full-again');
        const report = await quietImport(path.join(examples, 'service_full.json'), 'hsds', out);
        const [service] = written(out, report);
        expect(service?.location?.latitude).to.equal(undefined);
        expect(service?.location?.postal_code).to.equal(undefined);
        expect(service?.cost_options[0]).to.include({ amount: 35, currency: 'GBP' });
        const reasons = report.notes.map((n) => n.reason);
        expect(reasons).to.include('location.latitude: the coordinates are outside the UK: left out');
        expect(reasons).to.include('location.postal_code: is not a UK postcode: left out');
    });
});
