import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDirectory, checkDirectorySources, loadDirectory } from '../../src/knowledge/directory';
import { formatFault, formatFaults, KnowledgeError } from '../../src/knowledge/faults';
import type { KnowledgeFault } from '../../src/knowledge/faults';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const SHIPPED_KB = path.join(ROOT, 'knowledge');

/** The need ids the product knows: the shipped taxonomy, which must contain every id of the shared spec. */
function knownNeedIds(): string[] {
    const text = fs.readFileSync(path.join(SHIPPED_KB, 'needs.json'), 'utf8');
    const taxonomy = JSON.parse(text) as { needs: { id: string }[] };
    return taxonomy.needs.map((n) => n.id);
}

function faultFor(faults: readonly KnowledgeFault[], id: string): KnowledgeFault | undefined {
    return faults.find((f) => f.id === id);
}

describe('loading the directory', () => {
    describe('when every record is valid', () => {
        it('loads them all, with defaults filled in', () => {
            const opportunities = loadDirectory(path.join(FIXTURES, 'ranking-kb'));
            expect(opportunities).to.have.length(11);
            const phone = opportunities.find((o) => o.id === 'r-phone');
            expect(phone?.cost_options).to.deep.equal([]);
            expect(phone?.schedules).to.deep.equal([]);
        });
    });

    describe('when some records are invalid', () => {
        const kb = path.join(FIXTURES, 'faulty-kb');
        const knownNeedIds = ['loneliness', 'physical-activity'];
        const check = (): ReturnType<typeof checkDirectory> => checkDirectory(kb, { knownNeedIds });

        it('reports a bad record with its file, id, field and line', () => {
            const fault = faultFor(check().faults, 'bad-cost');
            expect(fault).to.deep.equal({
                file: 'directory/b-bad.json', id: 'bad-cost', line: 6, field: 'cost_options.0.amount',
                message: 'should be at least 0',
            });
        });

        it('says a missing field is missing', () => {
            expect(faultFor(check().faults, 'bad-missing')).to.include({ field: 'description', message: 'is missing' });
        });

        it('names a record without an id by its place in the file', () => {
            expect(faultFor(check().faults, 'record 3')).to.include({ file: 'directory/b-bad.json', field: 'id' });
        });

        it('reports an id used in two files', () => {
            expect(faultFor(check().faults, 'dup-1')).to.include({ field: 'id', file: 'directory/b-bad.json' });
            expect(faultFor(check().faults, 'dup-1')?.message).to.contain('directory/a-good.json');
        });

        it('reports a need id the taxonomy does not know', () => {
            expect(faultFor(check().faults, 'bad-need')).to.include({ field: 'needs.0' });
        });

        it('explains a bad time and an unknown field in plain words', () => {
            expect(faultFor(check().faults, 'bad-time')?.message).to.equal('should be a time as HH:MM (24-hour clock)');
            expect(faultFor(check().faults, 'bad-key')).to.include({ field: 'colour' });
            expect(faultFor(check().faults, 'bad-key')?.message).to.contain('does not know: colour');
        });

        it('reports a file that is not JSON and goes on with the others', () => {
            const result = check();
            const broken = result.faults.find((f) => f.file === 'directory/c-broken.json');
            expect(broken?.message).to.contain('not valid JSON');
            expect(result.opportunities.map((o) => o.id)).to.deep.equal(['dup-1', 'good-2']);
        });

        it('throws a KnowledgeError carrying every fault from loadDirectory', () => {
            let caught: unknown;
            try {
                loadDirectory(kb, { knownNeedIds });
            } catch (error) {
                caught = error;
            }
            expect(caught).to.be.instanceOf(KnowledgeError);
            expect((caught as KnowledgeError).faults).to.have.length(check().faults.length);
            expect((caught as KnowledgeError).message).to.contain('directory/b-bad.json, line 6, record bad-cost');
        });

        it('formats faults in plain words, one a line', () => {
            const fault = faultFor(check().faults, 'bad-cost')!;
            expect(formatFault(fault)).to.equal(
                'directory/b-bad.json, line 6, record bad-cost, field cost_options.0.amount: should be at least 0');
            expect(formatFaults(check().faults).split('\n')).to.have.length(check().faults.length);
        });
    });

    describe('when checking files already in memory', () => {
        it('reports a file whose opportunities are not a list', () => {
            const text = '{"about":"a","source":"b","opportunities":{}}';
            const result = checkDirectorySources([{ file: 'directory/x.json', text }]);
            expect(result.faults).to.deep.equal([
                { file: 'directory/x.json', field: 'opportunities', message: 'should be a list' },
            ]);
        });

        it('reports a knowledge directory without a directory folder', () => {
            expect(checkDirectory(path.join(FIXTURES, 'no-such-kb')).faults[0]).to.include({ file: 'directory' });
        });
    });

    describe('the schema version (schema_version)', () => {
        const record = (needs: string[]) => ({
            id: 'r1', name: 'Tuesday Club', description: 'A club that meets on Tuesdays.', needs,
            organization: { name: 'Org' }, attending_type: ['in-person'], assured_date: '2026-01-01',
        });
        const file = (version: number | undefined, needs: string[]) => JSON.stringify({
            ...(version === undefined ? {} : { schema_version: version }), about: 'a', source: 'b',
            opportunities: [record(needs)],
        });
        const check = (text: string) => checkDirectorySources([{ file: 'directory/x.json', text }]);

        it('still reads a file written before versions (version 1), every record with a need', () => {
            const result = check(file(undefined, ['loneliness']));
            expect(result.faults).to.deep.equal([]);
            expect(result.opportunities).to.have.length(1);
            expect(check(file(1, ['loneliness'])).faults).to.deep.equal([]);
        });

        it('keeps a record with no need from version 2 on, and carries its service types', () => {
            const text = JSON.stringify({ schema_version: 2, about: 'a', source: 'b',
                opportunities: [{ ...record([]), service_types: ['tai-chi'] }] });
            const result = check(text);
            expect(result.faults).to.deep.equal([]);
            expect(result.opportunities[0]?.needs).to.deep.equal([]);
            expect(result.opportunities[0]?.service_types).to.deep.equal(['tai-chi']);
        });

        it('refuses a record with no need in a version 1 file, saying which version allows it', () => {
            const faults = check(file(undefined, [])).faults;
            expect(faults).to.have.length(1);
            expect(faults[0]).to.include({ id: 'r1', field: 'needs' });
            expect(faults[0]?.message).to.include('schema_version');
        });

        it('refuses a version it does not know yet', () => {
            expect(check(file(3, ['loneliness'])).faults[0]).to.include({ field: 'schema_version' });
        });
    });

    describe('the shipped directory', () => {
        it('has only valid records, with unique ids and known need ids', () => {
            const result = checkDirectory(SHIPPED_KB, { knownNeedIds: knownNeedIds() });
            expect(formatFaults(result.faults)).to.equal('');
            expect(result.files).to.not.be.empty;
            expect(result.opportunities).to.not.be.empty;
        });
    });
});
