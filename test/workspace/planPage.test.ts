/**
 * Issue 20, part 5, on the workspace page in headless Chromium: a connector records a request's plan and outcome in
 * the PRSB sections with the person's agreement to share with their GP, closes it, and exports the message back to
 * the GP as a JSON file; the history says so. At desktop width and at 390 px, with axe-core.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { addUser, askForAPerson, claimOnPage } from './helpers';

describe('the plan and the message back to the GP on the workspace page, in headless Chromium', function () {
    this.timeout(90_000);
    let web: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        web = await startWebServer();
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await launch(profile.dir, { width: 1280, height: 900 });
    });
    after(async () => {
        await browser?.close();
        profile?.remove();
        await web?.stop();
    });

    it('records a plan with the person\'s agreement, closes, and exports the message as a file', async () => {
        const channel = new FakeChannel(web.url);
        await channel.start();
        try {
            const reference = await askForAPerson(channel, 'plan-page');
            await addUser(web.app, 'Sam');
            const { page, errors } = await claimOnPage(browser, web.url, reference, { expected: /status of (401|409)/ });

            await page.getByRole('heading', { name: 'Plan and outcome' }).waitFor();
            await page.getByLabel('Needs and concerns').fill('Lonely since moving; worried about heating bills.');
            await page.getByLabel('What matters to the person').fill('Being outdoors, and meeting people.');
            await page.getByLabel('Support offered and referred to')
                .fill('Walking group on Tuesdays; referred to money advice.');
            await page.getByLabel('They agreed').check();
            await page.getByRole('button', { name: 'Save the plan' }).click();
            await page.getByText('Plan saved.').waitFor();
            await page.getByText(/GP: they agreed \(recorded/).waitFor();
            expect(await page.getByRole('button', { name: 'Export the message to the GP' }).isDisabled())
                .to.equal(true);

            await page.getByLabel('Close with outcome').selectOption('connected');
            await page.getByRole('button', { name: 'Close', exact: true }).click();
            await page.locator('#message', { hasText: 'Closed.' }).waitFor();
            // The outcome, written after closing; what was written before is still in the boxes.
            expect(await page.getByLabel('Needs and concerns').inputValue())
                .to.equal('Lonely since moving; worried about heating bills.');
            await page.getByLabel('Outcome', { exact: true }).fill('Goes every week; has a money appointment.');
            await page.getByRole('button', { name: 'Save the plan' }).click();
            await page.getByText('Plan saved.').waitFor();
            await page.screenshot({ path: path.join(OUTPUT, 'workspace-plan.png'), fullPage: true });
            expect(await axeViolations(page), 'the plan passes axe').to.deep.equal([]);

            const [download] = await Promise.all([
                page.waitForEvent('download'),
                page.getByRole('button', { name: 'Export the message to the GP' }).click(),
            ]);
            expect(download.suggestedFilename()).to.equal(`${reference}-message-to-gp.json`);
            const file = path.join(profile.dir, 'gp.json');
            await download.saveAs(file);
            const message = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
            expect(message.model).to.equal('Message back to GP and referrer');
            expect(message.person).to.deep.include({ nhsNumber: 'not collected', dateOfBirth: 'not collected',
                address: 'not collected' });
            expect(message.outcome).to.deep.equal({ result: 'connected',
                notes: 'Goes every week; has a money appointment.' });
            expect(message.whatMattersToThePerson).to.equal('Being outdoors, and meeting people.');
            await page.getByText(`Exported as ${reference}-message-to-gp.json.`).waitFor();
            await page.locator('#audit li', { hasText: 'Sam exported the message back to the GP' }).waitFor();

            // Meanwhile a lead saves the plan from another page: Sam's save is refused, and Sam's words stay put.
            const stored = (await web.app.stores.escalations.getByReference(reference))!.plan!;
            const lees = { ...stored, outcome: 'Lee: rang the group, all well.', recordedAt: new Date().toISOString(),
                recordedBy: { id: 'lee', name: 'Lee' } };
            expect(await web.app.stores.escalations.setPlan(reference, lees,
                { at: lees.recordedAt, actor: 'lee', action: 'plan-recorded' }, stored.recordedAt)).to.equal('saved');
            await page.getByLabel('Outcome', { exact: true }).fill('Sam: she has made a friend there.');
            await page.getByRole('button', { name: 'Save the plan' }).click();
            await page.getByText('Someone else changed this plan; reload to see it.').waitFor();
            expect(await page.getByLabel('Outcome', { exact: true }).inputValue())
                .to.equal('Sam: she has made a friend there.');
            expect((await web.app.stores.escalations.getByReference(reference))!.plan!.outcome)
                .to.equal('Lee: rang the group, all well.');

            await page.setViewportSize({ width: 390, height: 844 });
            expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
            await page.locator('#plan-area').scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(OUTPUT, 'workspace-plan-390.png'), fullPage: true });
            expect(await axeViolations(page), 'the plan at 390 px passes axe').to.deep.equal([]);
            expect(errors).to.deep.equal([]);
            await page.close();
        } finally {
            await channel.stop();
        }
    });
});
