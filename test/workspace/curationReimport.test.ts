/**
 * A curator's decisions survive `signpost kb import` of the same feed (issue 21): a real import of a small Open
 * Referral UK fixture, a hide and a check date made through the workspace, the same feed imported again and the app
 * started again on the same store (the hide and the date stand), then the feed changing one record (its hide
 * lapses, and the queue says so, while the other record's check date stands).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { projectRoot } from '../../src/paths';
import { curationQueue, decideListing } from '../../src/workspace/curation';
import { tempDir } from '../helpers/tmp';

const ORUK = path.join(projectRoot(), 'test', 'fixtures', 'import', 'oruk-v1', 'services.json');

/** `signpost kb import`, as a council runs it. */
function kbImport(feed: string, kb: string): void {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'bin/signpost.js'), 'kb', 'import', feed,
        '--format', 'oruk', '--out', kb, '--name', 'test-feed'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).to.equal(0);
}

describe('a curator\'s decisions across `signpost kb import`', function () {
    this.timeout(90_000);
    let tmp: ReturnType<typeof tempDir>;
    let kb: string;
    let data: string;
    let app: App | undefined;
    const today = '2026-12-02';
    const now = () => new Date(`${today}T10:00:00Z`);

    const open = async (): Promise<App> => {
        await app?.close();
        app = createApp(loadConfig({ SIGNPOST_DATA_DIR: data, SIGNPOST_KNOWLEDGE_DIR: kb, LOG_LEVEL: 'silent' }),
            { log: createLogger('silent'), now });
        await app.curation.refresh();
        return app;
    };
    const football = (a: App) => {
        const m = a.services.matcher;
        return m.rank({ needs: m.detectNeeds('walking football'), text: 'walking football', prefs: {}, limit: 20,
            offset: 0 }).results.map((r) => r.id);
    };

    before(() => {
        tmp = tempDir('signpost-curation-reimport-');
        kb = path.join(tmp.dir, 'kb');
        data = path.join(tmp.dir, 'data');
        fs.mkdirSync(data);
        kbImport(ORUK, kb);
    });
    after(async () => {
        await app?.close();
        tmp.remove();
    });

    it('keeps the hide and the check date after the same feed is imported again', async () => {
        const first = await open();
        expect(football(first)).to.include('oruk-good');
        const stale = first.knowledge.opportunities.find((o) => o.id === 'oruk-open-eligibility')!;
        expect(stale.assured_date).to.equal('2024-01-05');
        const parts = first.workspace.curation!;
        await decideListing(parts, 'oruk-good', 'hidden', 'u-curator', now(), today);
        await decideListing(parts, 'oruk-open-eligibility', 'checked', 'u-curator', now(), today);
        expect(football(first)).to.not.include('oruk-good');

        kbImport(ORUK, kb);
        const second = await open();
        expect(second.knowledge.opportunities.find((o) => o.id === 'oruk-good')).to.not.equal(undefined);
        expect(football(second)).to.not.include('oruk-good');
        expect(second.services.matcher.opportunity('oruk-open-eligibility')!.assured_date).to.equal(today);
        const q = await curationQueue(second.workspace.curation!, today, { offset: 0, limit: 100 });
        expect(q.items.find((i) => i.id === 'oruk-good')!.decision).to.deep.include({ hidden: true, lapsed: false });
        expect(q.items.find((i) => i.id === 'oruk-open-eligibility')).to.equal(undefined);
    });

    it('lets the hide lapse once the feed changes that record, says so, and keeps the other decision', async () => {
        const feed = JSON.parse(fs.readFileSync(ORUK, 'utf8')) as { id: string; description: string }[];
        feed.find((s) => s.id === 'oruk-good')!.description =
            '<p>Walking football for the over 50s, now on Tuesdays too. No running, all abilities.</p>';
        const changed = path.join(tmp.dir, 'changed.json');
        fs.writeFileSync(changed, JSON.stringify(feed));
        kbImport(changed, kb);
        const third = await open();
        expect(football(third)).to.include('oruk-good');
        expect(third.services.matcher.opportunity('oruk-open-eligibility')!.assured_date).to.equal(today);
        const q = await curationQueue(third.workspace.curation!, today, { offset: 0, limit: 100 });
        expect(q.items.find((i) => i.id === 'oruk-good')!.decision).to.deep.include({ hidden: false, lapsed: true });
        // Decided again on the record as it is now, the hide applies again.
        await decideListing(third.workspace.curation!, 'oruk-good', 'hidden', 'u-curator', now(), today);
        expect(football(third)).to.not.include('oruk-good');
    });
});
