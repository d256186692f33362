/**
 * The directory search on the workspace page, in headless Chromium: a connector searches from a request, reads the
 * reasons and the details, chooses two listings and sends them into the resident's live chat, and the request's
 * history says who suggested what.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { OUTPUT, axeViolations, launch } from '../helpers/browser';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { addUser, askForAPerson, claimOnPage } from './helpers';

describe('the workspace directory search in headless Chromium', function () {
    this.timeout(90_000);
    let web: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async () => {
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

    it('searches as the bot does and sends chosen listings into the live chat, recorded as suggested by Sam',
        async () => {
            const channel = new FakeChannel(web.url);
            await channel.start();
            try {
                const reference = await askForAPerson(channel, 'directory-page');
                await addUser(web.app, 'Sam');
                const { page, errors } = await claimOnPage(browser, web.url, reference);

                await page.getByRole('link', { name: 'Find support for this person' }).click();
                await page.getByRole('heading', { name: 'Search the directory' }).waitFor();
                await page.getByText(`For request ${reference}.`).waitFor();
                await page.getByLabel('What the person needs').fill('I feel lonely since my wife died');
                await page.getByRole('button', { name: 'Search', exact: true }).click();
                const items = page.locator('#listings > li');
                await items.first().waitFor();
                expect(await page.locator('#directory-understood').textContent())
                    .to.include('Feeling lonely or wanting company');
                // The same listings, in the same order, as the API (and so the bot's engine) gives.
                const api = await fetch(`${web.url}/workspace/api/directory?text=`
                    + encodeURIComponent('I feel lonely since my wife died'), {
                    headers: { cookie: (await browser.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
                }).then((r) => r.json()) as { results: { name: string; why: string[] }[] };
                expect(await page.locator('#listings > li h3').allTextContents())
                    .to.deep.equal(api.results.map((r) => r.name));
                expect(await items.first().textContent()).to.include(`Why: ${api.results[0]!.why.join(' ')}`);
                await items.first().locator('summary').click();
                await items.first().getByText('Last checked:').waitFor();

                const [first, second] = api.results.map((r) => r.name);
                await page.getByLabel(`Choose ${first}`).check();
                await page.getByLabel(`Choose ${second}`).check();
                await page.getByRole('button', { name: 'Send 2 to the resident' }).waitFor();
                await page.screenshot({ path: path.join(OUTPUT, 'workspace-directory.png'), fullPage: true });
                expect(await axeViolations(page), 'the directory passes axe').to.deep.equal([]);
                await page.setViewportSize({ width: 390, height: 844 });
                expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
                await page.screenshot({ path: path.join(OUTPUT, 'workspace-directory-390.png') });
                await page.setViewportSize({ width: 1280, height: 900 });

                const before = channel.replies.length;
                await page.getByRole('button', { name: 'Send 2 to the resident' }).click();
                await page.getByText(`Sent to the resident: ${first}; ${second}.`).waitFor();
                await page.getByRole('heading', { name: `Request ${reference}` }).waitFor();
                await page.locator('#audit li', { hasText: `Sam suggested to the resident: ${first}; ${second}` })
                    .waitFor();
                await page.locator('#chat li.from-connector', { hasText: first! }).waitFor();
                const said = channel.replies.slice(before).map((r) => r.activity.text ?? '').join('\n');
                expect(said).to.include(`1. ${first}`).and.include(`2. ${second}`);
                await page.screenshot({ path: path.join(OUTPUT, 'workspace-directory-sent.png'), fullPage: true });
                expect(errors).to.deep.equal([]);
                await page.close();
            } finally {
                await channel.stop();
            }
        });
});
