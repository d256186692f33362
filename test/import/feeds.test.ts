import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKnowledge } from '../../src/knowledge';
import { formatReport } from '../../src/import/report';
import { brokenCount, syntheticFeed } from '../helpers/syntheticFeed';
import { tempDir } from '../helpers/tmp';
import { quietImport, SHARED_DATA, skippedFor } from './helpers';

describe('importing a 10,000-service synthetic feed', function () {
    // Timing is printed by `signpost kb import` (elapsed and peak memory), not asserted: tests must not depend on
    // the machine's speed. Some 12 s on an idle 2-core machine; room for a busy one.
    this.timeout(60_000);
    it('imports every valid service and skips exactly the broken ones', async () => {
        const tmp = tempDir('signpost-10k-');
        try {
            const feed = path.join(tmp.dir, 'feed.json');
            fs.writeFileSync(feed, JSON.stringify(syntheticFeed(10_000)));
            const report = await quietImport(feed, 'oruk', path.join(tmp.dir, 'kb'));
            const broken = brokenCount(10_000);
            expect(report.read).to.equal(10_000);
            expect(skippedFor(report, 'name: is missing').count).to.equal(broken.noName);
            expect(skippedFor(report, 'organization.name: is missing').count).to.equal(broken.noOrganization);
            expect(report.skipped.total).to.equal(broken.noName + broken.noOrganization);
            expect(report.imported).to.equal(10_000 - report.skipped.total);
            expect(report.needs.fromTaxonomy + report.needs.fromText + report.needs.none).to.equal(report.imported);
            expect(loadKnowledge(path.join(tmp.dir, 'kb')).opportunities).to.have.length(report.imported);
        } finally {
            tmp.remove();
        }
    });
});

describe('the real North Lincolnshire feed (../shared/data/oruk-north-lincolnshire)', () => {
    const feed = path.join(SHARED_DATA, 'oruk-north-lincolnshire', 'north_lincolnshire_oruk.json');

    it('imports with a full report: counts, reasons, needs and places', async function () {
        if (!fs.existsSync(feed)) {
            console.log(`      (skipped: ${feed} is not here; it is never copied into the project)`);
            this.skip();
        }
        const tmp = tempDir('signpost-northlincs-');
        try {
            const report = await quietImport(feed, 'oruk', tmp.dir);
            expect(report.read).to.equal(738);
            expect(report.imported + report.skipped.total).to.equal(738);
            // Most of a real directory must come through; those that do not are named with a reason.
            expect(report.imported).to.be.above(600);
            for (const tally of report.skipped.byReason) {
                expect(tally.reason).to.match(/^[a-z_.]+: /);
                expect(tally.ids.length).to.be.above(0);
            }
            expect(Object.keys(report.needs.perNeed)).to.have.length.above(18);
            expect(report.needs.fromText + report.needs.none).to.equal(report.imported);
            // Nothing is dropped for want of a need: a service whose words name none is kept, found by its words.
            expect(report.imported).to.equal(738);
            expect(report.needs.none).to.be.below(100);
            // The feed has e-mail addresses (redacted in our copy): none may reach the report.
            const text = formatReport(report);
            expect(text).to.not.match(/@/);
            expect(text).to.include('none found, kept and found by their words');
            expect(loadKnowledge(tmp.dir).opportunities).to.have.length(report.imported);
        } finally {
            tmp.remove();
        }
    });
});
