import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledge } from '../../src/knowledge';
import { languagesDir } from '../../src/knowledge/languages';
import type { ImportReport } from '../../src/import/report';
import type { Opportunity } from '../../src/knowledge/schema';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';
import { byId, FIXTURES, quietImport, skippedFor, written } from './helpers';

describe('importing an Open Referral UK v1 feed', () => {
    const source = path.join(FIXTURES, 'oruk-v1', 'services.json');
    let tmp: ReturnType<typeof tempDir>;
    let report: ImportReport;
    let records: Opportunity[];

    before(async () => {
        tmp = tempDir('signpost-oruk-');
        report = await quietImport(source, 'oruk', tmp.dir);
        records = written(tmp.dir, report);
    });
    after(() => tmp.remove());

    describe('the counts', () => {
        it('reads every record and imports the valid ones', () => {
            expect(report.read).to.equal(16);
            expect(report.imported).to.equal(10);
            expect(report.skipped.total).to.equal(6);
            expect(records).to.have.length(10);
            expect(report.written).to.equal(true);
        });

        it('names each skipped record with its id, field and reason', () => {
            expect(skippedFor(report, 'name: is missing').ids).to.deep.equal(['oruk-no-name']);
            expect(skippedFor(report, 'organization.name: is missing').ids).to.deep.equal(['oruk-no-org']);
            expect(skippedFor(report, 'id: is missing').ids).to.deep.equal(['record 8']);
            expect(skippedFor(report, 'status: is "inactive"').ids).to.deep.equal(['oruk-inactive']);
            expect(skippedFor(report, 'id: is used twice').ids).to.deep.equal(['oruk-good']);
            expect(skippedFor(report, 'assured_date: is missing').ids).to.deep.equal(['oruk-no-date']);
        });

        it('keeps a record whose words name no need, with none, rather than dropping it', () => {
            expect(skippedFor(report, 'needs:').ids).to.deep.equal([]);
            expect(byId(records, 'oruk-no-needs').needs).to.deep.equal([]);
            expect(report.needs.none).to.equal(1);
        });

        it('keeps the first of two records with the same id', () => {
            expect(byId(records, 'oruk-good').name).to.equal('Scunthorpe Walking Football');
        });
    });

    describe('a full record', () => {
        let good: Opportunity;
        before(() => { good = byId(records, 'oruk-good'); });

        it('has plain text and an SMS summary', () => {
            expect(good.description).to.equal('Walking football for the over 50s & anyone returning to sport. '
                + 'No running. All abilities. Tea £1 after.');
            expect(good.summary?.length).to.be.at.most(160);
        });

        it('takes its need from its LGA service type and keeps the reason', () => {
            expect(good.needs).to.deep.equal(['physical-activity']);
            expect(good.need_reasons).to.deep.equal([
                {
                    need: 'physical-activity', source: 'taxonomy',
                    detail: 'LGA service type 641 "Sports clubs and groups"',
                },
            ]);
            expect(good.keywords).to.include('Sports clubs and groups');
        });

        it('keeps its coordinates and normalises its postcode', () => {
            expect(good.location)
                .to.include({ postal_code: 'DN17 1AB', latitude: 53.5801, longitude: -0.6502, city: 'Scunthorpe' });
            expect(good.place_source).to.equal('coordinates');
            expect(good.attending_type).to.deep.equal(['in-person']);
        });

        it('maps schedules, prices, phone, web address, eligibility and access', () => {
            expect(good.schedules).to.deep.equal([{ byday: ['MO', 'WE'], opens_at: '10:00', closes_at: '11:30' }]);
            expect(good.cost_options).to.deep.equal([
                { option: 'Per session', amount: 2.5, currency: 'GBP', amount_description: 'First session free' },
            ]);
            expect(good.phone).to.equal('01724 296 296');
            expect(good.url).to.equal('https://www.example.org/walking-football');
            expect(good.eligibility_description).to.equal('Adults. Ages 50 and over.');
            expect(good.accessibility).to.deep.equal(['wheelchair', 'accessible-toilet']);
            expect(good.assured_date).to.equal('2026-10-01');
        });

        it('leaves out a redacted e-mail and says so without printing it', () => {
            expect(good.email).to.equal(undefined);
            const note = report.notes.find((n) => n.reason.startsWith('email:'));
            expect(note?.ids).to.include('oruk-good');
            expect(JSON.stringify(report)).to.not.include('redacted@example.org');
        });

        it('ignores a supplier\'s own fields', () => {
            expect(good).to.not.have.property('pc_supplier_extra');
        });
    });

    describe('places and how people take part', () => {
        it('marks an online service as remote, not far away', () => {
            const online = byId(records, 'oruk-online');
            expect(online.attending_type).to.deep.equal(['online']);
            expect(online.place_source).to.equal('remote');
            expect(online.location).to.equal(undefined);
        });

        it('marks a home-visit service across an area as covering it', () => {
            const area = byId(records, 'oruk-area');
            expect(area.attending_type).to.deep.equal(['home-visit']);
            expect(area.area_served).to.equal('North Lincolnshire');
            expect(area.place_source).to.equal('area');
        });

        it('places a service without a venue by a full postcode written in its description', () => {
            const food = byId(records, 'oruk-text-postcode');
            expect(food.location).to.deep.equal({ postal_code: 'DN16 2AB' });
            expect(food.place_source).to.equal('postcode-in-text');
        });

        it('leaves out coordinates outside the UK and a postcode that is not one, and reports both', () => {
            const bad = byId(records, 'oruk-bad-place');
            expect(bad.location).to.deep.equal({ name: 'The Library', address_1: '1 High Street', city: 'Brigg' });
            expect(bad.place_source).to.equal('unknown');
            const reasons = report.notes.filter((n) => n.ids.includes('oruk-bad-place')).map((n) => n.reason);
            expect(reasons).to.include('location.latitude: the coordinates are outside the UK: left out');
            expect(reasons).to.include('location.postal_code: is not a UK postcode: left out');
        });

        it('places a venue with only a postcode by its district', () => {
            expect(byId(records, 'oruk-long').place_source).to.equal('postcode');
        });
    });

    describe('needs', () => {
        it('reads an OpenActive activity by its URI', () => {
            expect(byId(records, 'oruk-online').needs).to.deep.equal(['physical-activity', 'mental-wellbeing']);
        });

        it('gives no need for a council-function LGA type, so the service\'s own words decide', () => {
            const pantry = byId(records, 'oruk-council-type');
            expect(pantry.needs).to.deep.equal(['food']);
            expect(pantry.need_reasons?.[0]?.source).to.equal('text');
        });

        it('reads the words of an LGA need term and an Open Eligibility term', () => {
            expect(byId(records, 'oruk-esd-need').needs).to.deep.equal(['loneliness']);
            expect(byId(records, 'oruk-esd-need').need_reasons?.[0]?.source).to.equal('taxonomy');
            expect(byId(records, 'oruk-open-eligibility').needs).to.deep.equal(['food']);
        });

        it('finds needs in the words of a service without terms, naming the words', () => {
            const area = byId(records, 'oruk-area');
            expect(area.needs).to.deep.equal(['loneliness']);
            expect(area.need_reasons?.[0]?.detail).to.include('befriending');
        });
    });

    describe('long descriptions', () => {
        it('shortens them to the schema\'s 2000 characters at a sentence, and reports it', () => {
            const long = byId(records, 'oruk-long');
            expect(long.description.length).to.be.at.most(2000);
            expect(long.description.endsWith('.')).to.equal(true);
            const note = report.notes.find((n) => n.reason.startsWith('description: was longer'));
            expect(note?.ids).to.deep.equal(['oruk-long']);
        });
    });

    describe('the knowledge folder it makes', () => {
        it('loads, with the shipped taxonomy, crisis rules, wording and postcode table copied in', () => {
            const knowledge = loadKnowledge(tmp.dir);
            expect(knowledge.opportunities).to.have.length(10);
            for (const file of ['needs.json', 'crisis.json', 'wording.json', 'outcodes.csv', 'places.json']) {
                expect(fs.existsSync(path.join(tmp.dir, file)), file).to.equal(true);
            }
            expect(report.support.find((s) => s.file === 'needs.json')?.action).to.equal('copied');
        });

        it('copies in every language\'s crisis rules and lines, so the folder runs on the rules it holds', () => {
            const json = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
            const shipped = json(path.join(projectRoot(), 'knowledge', 'languages'));
            expect(json(path.join(tmp.dir, 'languages'))).to.deep.equal(shipped);
            expect(languagesDir(tmp.dir)).to.equal(path.join(tmp.dir, 'languages'));
            expect(loadKnowledge(tmp.dir).languages?.length).to.equal(shipped.length);
            expect(report.support.find((s) => s.file === 'languages/pl.json')?.action).to.equal('copied');
            expect(report.support.find((s) => s.file === 'intents/en.json')?.action).to.equal('copied');
            expect(report.support.find((s) => s.file === 'locales/cy/wording.json')?.action).to.equal('copied');
        });

        it('writes places from the towns its venues name', () => {
            const knowledge = loadKnowledge(tmp.dir);
            expect(knowledge.places.places.map((p) => p.name)).to.include.members(['Scunthorpe', 'Brigg']);
            expect(report.support.find((s) => s.file === 'places.json')?.action).to.equal('written');
        });

        it('counts one stale listing', () => {
            expect(report.stale).to.equal(1);
        });
    });
});
