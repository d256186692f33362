/**
 * Each instance polls the store for the curators' decisions (SIGNPOST_CURATION_POLL_SECONDS): a listing hidden
 * through one instance stops being suggested by another within the poll, with no call between them. Two apps on one
 * embedded file stand in for two instances here; curationPage.test.ts does it with two servers on MongoDB.
 */
import { expect } from 'chai';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { decideListing } from '../../src/workspace/curation';
import { shippedKnowledge } from '../helpers/app';
import { until } from '../helpers/mongoBot';
import { tempDir } from '../helpers/tmp';

describe('the curators\' decisions on another instance', function () {
    this.timeout(30_000);
    let tmp: ReturnType<typeof tempDir>;
    let a: App;
    let b: App;

    before(() => {
        tmp = tempDir('signpost-curation-poll-');
        const config = loadConfig({ SIGNPOST_DATA_DIR: tmp.dir, LOG_LEVEL: 'silent',
            SIGNPOST_CURATION_POLL_SECONDS: '1' });
        a = createApp(config, { knowledge: shippedKnowledge(), log: createLogger('silent') });
        b = createApp(config, { knowledge: shippedKnowledge(), log: createLogger('silent') });
    });
    after(async () => {
        await a?.close();
        await b?.close();
        tmp.remove();
    });

    const suggested = (app: App) => {
        const m = app.services.matcher;
        return m.rank({ needs: m.detectNeeds('lonely'), text: 'lonely', prefs: {}, limit: 10, offset: 0 }).results
            .map((r) => r.id);
    };

    it('stops suggesting a listing hidden through the other instance within the poll, and checks its date', async () => {
        const [top] = suggested(b);
        const started = Date.now();
        await decideListing(a.workspace.curation!, top!, 'hidden', 'u-curator', new Date(), '2026-12-02');
        expect(suggested(a)).to.not.include(top);
        await until(() => !suggested(b).includes(top!), 5_000, 'the other instance to hide it');
        expect(Date.now() - started).to.be.below(3_000);
        await decideListing(a.workspace.curation!, top!, 'checked', 'u-curator', new Date(), '2026-12-02');
        await until(() => b.curation.engine.opportunity(top!) === undefined
            && b.curation.record(top!) !== undefined, 5_000, 'the other instance to keep it hidden');
        await decideListing(a.workspace.curation!, top!, 'shown', 'u-curator', new Date(), '2026-12-02');
        await until(() => suggested(b).includes(top!), 5_000, 'the other instance to show it again');
        expect(b.services.matcher.opportunity(top!)!.assured_date).to.equal('2026-12-02');
    });
});
