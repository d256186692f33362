import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

/** Runs the built `signpost` command as a script would. */
function signpost(args: string[]) {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'bin/signpost.js'), ...args], {
        encoding: 'utf8', timeout: 20_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ORUK = path.join(projectRoot(), 'test', 'fixtures', 'import', 'oruk-v1', 'services.json');

describe('the signpost kb import command', () => {
    let tmp: ReturnType<typeof tempDir>;
    before(() => { tmp = tempDir('signpost-kb-cli-'); });
    after(() => tmp.remove());

    describe('when the feed has some broken records', () => {
        let kb: string;
        let run: ReturnType<typeof signpost>;
        before(() => {
            kb = path.join(tmp.dir, 'kb');
            run = signpost(['kb', 'import', ORUK, '--format', 'oruk', '--out', kb, '--name', 'test-feed']);
        });

        it('exits 0 and prints the counts, reasons, time and memory, with no progress bar off a terminal', () => {
            expect(run.code, run.stderr).to.equal(0);
            expect(run.stdout).to.match(/read 16, imported 10, skipped 6/);
            expect(run.stdout).to.include('name: is missing  [oruk-no-name]');
            expect(run.stdout).to.match(/took \d+\.\d\d s, peak memory \d+ MB/);
            expect(run.stderr).to.equal('');
            expect(fs.existsSync(path.join(kb, 'directory', 'test-feed.json'))).to.equal(true);
        });

        it('makes a folder that kb validate passes and match --kb answers from', () => {
            const validate = signpost(['kb', 'validate', kb]);
            expect(validate.code, validate.stdout).to.equal(0);
            const match = signpost(['match', '--kb', kb, 'walking football', '--postcode', 'DN17', '--json']);
            expect(match.code, match.stderr).to.equal(0);
            const out = JSON.parse(match.stdout);
            expect(out.results[0].id).to.equal('oruk-good');
        });

        it('lists stale listings with their ids and dates in kb stats', () => {
            const stats = signpost(['kb', 'stats', kb]);
            expect(stats.code, stats.stderr).to.equal(0);
            expect(stats.stdout).to.include('not checked for over a year: 1');
            expect(stats.stdout).to.include('2024-01-05  oruk-open-eligibility  Tuesday Table');
            expect(stats.stdout).to.match(/from taxonomy terms: 4, from the listing's words: 5, by hand: 0; no need found, found by their words only: 1/);
        });

        it('gives kb stats as JSON: per need, per place and the stale list', () => {
            const stats = JSON.parse(signpost(['kb', 'stats', kb, '--json']).stdout);
            // The lunch club is loneliness only: a link worker files a lunch club there, not under food.
            expect(stats.perNeed.food).to.equal(3);
            expect(stats.perPlace.Scunthorpe).to.equal(1);
            expect(stats.perPlace['area: North Lincolnshire']).to.equal(1);
            expect(stats.stale)
                .to.deep.equal([{ id: 'oruk-open-eligibility', name: 'Tuesday Table', assured_date: '2024-01-05' }]);
        });

        it('prints the report as JSON with --json', () => {
            const again = signpost(['kb', 'import', ORUK, '--format', 'oruk', '--out', kb, '--name', 'test-feed',
                '--json']);
            const report = JSON.parse(again.stdout);
            expect(report.changes).to.include({ added: 0, unchanged: 10 });
        });
    });

    describe('when it is used wrongly', () => {
        it('exits 2 without a format, an output folder or a source', () => {
            expect(signpost(['kb', 'import', ORUK, '--out', tmp.dir]).code).to.equal(2);
            expect(signpost(['kb', 'import', ORUK, '--format', 'csv', '--out', tmp.dir]).code).to.equal(2);
            expect(signpost(['kb', 'import', ORUK, '--format', 'oruk']).code).to.equal(2);
            expect(signpost(['kb', 'import', '--format', 'oruk', '--out', tmp.dir]).code).to.equal(2);
        });

        it('exits 1 naming a source that is not there or not JSON', () => {
            const nowhere = path.join(tmp.dir, 'nope.json');
            const missing = signpost(['kb', 'import', nowhere, '--format', 'oruk', '--out', tmp.dir]);
            expect(missing.code).to.equal(1);
            expect(missing.stderr).to.include('does not exist');
            const notJson = path.join(tmp.dir, 'bad.json');
            fs.writeFileSync(notJson, '{ not json');
            const bad = signpost(['kb', 'import', notJson, '--format', 'oruk', '--out', tmp.dir]);
            expect(bad.code).to.equal(1);
            expect(bad.stderr).to.include('is not valid JSON');
        });

        it('exits 1 when nothing usable came in', () => {
            const empty = path.join(tmp.dir, 'empty.json');
            fs.writeFileSync(empty, JSON.stringify([{ id: 'x', name: '' }]));
            const run = signpost(['kb', 'import', empty, '--format', 'oruk', '--out', path.join(tmp.dir, 'empty-kb')]);
            expect(run.code).to.equal(1);
            expect(run.stdout).to.include('NOT written: nothing usable came in');
        });
    });
});

describe('the signpost kb review command', () => {
    it('prints the counts first and then the records, for a feed file', () => {
        const run = signpost(['kb', 'review', ORUK]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.match(/^feed .*services\.json \(format oruk\): \d+ records, \d+ with something to fix/);
        expect(run.stdout.indexOf('counts:')).to.be.lessThan(run.stdout.indexOf('records:'));
        expect(run.stdout).to.include('oruk-no-needs');
    });

    it('gives only JSON on standard output with --json, with a stable flag list', () => {
        const run = signpost(['kb', 'review', ORUK, '--json']);
        expect(run.code).to.equal(0);
        const review = JSON.parse(run.stdout) as { counts: Record<string, number>; items: { flags: { flag: string }[
            ] }[] };
        expect(Object.keys(review.counts)).to.deep.equal(['cannot-import', 'no-need', 'not-a-service',
            'seasonal-or-ended', 'stale', 'no-contact', 'no-place', 'cost-unclear', 'cost-contradictory']);
        expect(review.items.length).to.be.greaterThan(0);
    });

    it('reviews the shipped knowledge folder when no folder is given, and refuses a bad option', () => {
        expect(signpost(['kb', 'review', '--json']).code).to.equal(0);
        expect(signpost(['kb', 'review', ORUK, '--format', 'csv']).code).to.equal(2);
        expect(signpost(['kb', 'review', path.join(projectRoot(), 'nope')]).code).to.equal(1);
    });
});

describe('the signpost kb locales command', () => {
    const tmp = tempDir();
    after(() => tmp.remove());

    it('says each language is complete but not reviewed, then names the keys whose English changed, until stamped',
        () => {
            const kb = path.join(tmp.dir, 'kb');
            fs.cpSync(path.join(projectRoot(), 'knowledge'), kb, { recursive: true });
            const fresh = signpost(['kb', 'locales', kb]);
            expect(fresh.code, fresh.stderr).to.equal(0);
            expect(fresh.stdout).to.match(/cy: (\d+) of \1 keys translated, NOT reviewed by a fluent speaker/);
            const file = path.join(kb, 'wording.json');
            const english = JSON.parse(fs.readFileSync(file, 'utf8'));
            english.text.askCost = 'Does it have to be free of charge?';
            fs.writeFileSync(file, JSON.stringify(english, null, 4));
            const changed = signpost(['kb', 'locales', kb]);
            expect(changed.code).to.equal(1);
            expect(changed.stdout).to.include('cy: the English of text.askCost changed since it was translated')
                .and.include('pl: the English of text.askCost changed since it was translated');
            const validate = signpost(['kb', 'validate', kb]);
            expect(validate.code).to.equal(0);
            expect(validate.stdout).to.include('warning: cy has not been reviewed by a fluent speaker');
            expect(signpost(['kb', 'locales', kb, '--stamp', 'cy']).code).to.equal(0);
            const stamped = signpost(['kb', 'locales', kb]);
            expect(stamped.stdout).to.not.include('cy: the English');
            expect(stamped.stdout).to.include('pl: the English of text.askCost');
        });
});
