import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDirectorySources } from '../../src/knowledge/directory';
import { KNOWLEDGE_SCHEMA_VERSION } from '../../src/knowledge/schema';
import type { Opportunity } from '../../src/knowledge/schema';
import { tempDir } from '../helpers/tmp';
import { byId, quietImport, written } from './helpers';

/** An ORUK v1 list record with prose only, as real council feeds have. */
function service(id: string, description: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        id, name: `Service ${id}`, description, status: 'active', assured_date: '2026-10-01',
        organization: { name: 'A Charity' }, ...extra,
    };
}

describe('importing prose-only records (issue 17 part 1)', () => {
    let tmp: ReturnType<typeof tempDir>;
    let records: Opportunity[];
    let fileText: string;

    before(async () => {
        tmp = tempDir('signpost-prose-');
        const feed = [
            service('helpline', '<p>A free, confidential <b>helpline</b> for carers. Call 0800 123 4567.</p>',
                { name: 'Carer Support' }),
            service('paid', '<p>Friendly walking group. Free parking. Sessions cost £3 per session, every Tuesday '
                + '10am-12pm at Brumby Hall. Feel free to call 01724 297000.</p>'),
            service('structured', '<p>Chair yoga for the over 60s. It is free. Call 01652 111222.</p>', {
                fees: '£2 per class', phones: [{ number: '01724 000111' }],
                regular_schedules: [{ byday: 'FR', opens_at: '14:00', closes_at: '15:00' }],
            }),
            service('silent', '<p>Support for people with dementia and their families across the area.</p>', {
                pc_targetAudience: [{ audienceType: 'Parents>Grandparents' }],
            }),
        ];
        const source = path.join(tmp.dir, 'feed.json');
        fs.writeFileSync(source, JSON.stringify(feed));
        const report = await quietImport(source, 'oruk', path.join(tmp.dir, 'kb'));
        records = written(path.join(tmp.dir, 'kb'), report);
        fileText = fs.readFileSync(path.join(tmp.dir, 'kb', report.file), 'utf8');
    });
    after(() => tmp.remove());

    it('takes phone, price, delivery and who it is for from the description, saying where each came from', () => {
        const r = byId(records, 'helpline');
        expect(r.phone).to.equal('0800 123 4567');
        expect(r.cost_options).to.deep.equal([]);
        expect(r.cost_unknown).to.equal(undefined);
        expect(r.attending_type).to.deep.equal(['phone']);
        expect(r.for_whom?.map((f) => f.value)).to.deep.equal(['carers']);
        const fields = (r.extracted ?? []).map((e) => `${e.field}<-${e.from}`);
        expect(fields).to.include.members(['phone<-description', 'cost_options<-description',
            'attending_type<-description', 'for_whom<-description']);
        expect(r.extracted?.find((e) => e.field === 'phone')?.span).to.contain('0800 123 4567');
    });

    it('lets a stated £ price win over "free parking" and "feel free", and reads the schedule', () => {
        const r = byId(records, 'paid');
        expect(r.cost_options.map((c) => c.amount)).to.deep.equal([3]);
        expect(r.schedules).to.deep.equal([{ byday: ['TU'], opens_at: '10:00', closes_at: '12:00' }]);
        expect(r.phone).to.equal('01724 297000');
        expect(r.location).to.deep.equal({ name: 'Brumby Hall' });
        expect(r.extracted?.find((e) => e.field === 'location')?.value).to.equal('Brumby Hall');
    });

    it('keeps the feed\'s structured fields over the prose', () => {
        const r = byId(records, 'structured');
        expect(r.cost_options.map((c) => c.amount)).to.deep.equal([2]);
        expect(r.phone).to.equal('01724 000111');
        expect(r.schedules.map((s) => s.byday)).to.deep.equal([['FR']]);
    });

    it('does not say "in person" or "free" when the text says neither, and reads an audience path whole', () => {
        const r = byId(records, 'silent');
        expect(r.attending_unknown).to.equal(true);
        expect(r.cost_unknown).to.equal(true);
        expect(r.for_whom?.map((f) => `${f.kind}:${f.value}`)).to.include.members(
            ['condition:dementia', 'audience:Parents > Grandparents']);
        expect(r.eligibility_description).to.contain('Parents');
    });

    it('writes the current schema version, and folders written before it still validate', () => {
        const json = JSON.parse(fileText) as { schema_version?: number; opportunities: unknown[] };
        expect(json.schema_version).to.equal(KNOWLEDGE_SCHEMA_VERSION);
        expect(KNOWLEDGE_SCHEMA_VERSION).to.equal(2);
        const old = { about: 'before versions', source: 'test', opportunities: [{
            id: 'old', name: 'Old record', description: 'A record written by version 1.', organization: { name: 'Org' },
            needs: ['loneliness'], attending_type: ['in-person'], assured_date: '2026-01-01',
        }] };
        const checked = checkDirectorySources([{ file: 'directory/old.json', text: JSON.stringify(old) }]);
        expect(checked.faults).to.deep.equal([]);
        expect(checked.opportunities).to.have.length(1);
        const now = checkDirectorySources([{ file: 'directory/new.json', text: fileText }]);
        expect(now.faults).to.deep.equal([]);
        const future = checkDirectorySources([{ file: 'directory/f.json',
            text: JSON.stringify({ ...old, schema_version: KNOWLEDGE_SCHEMA_VERSION + 1 }) }]);
        expect(future.faults.map((f) => f.field)).to.include('schema_version');
    });
});
