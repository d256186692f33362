/**
 * Issue 21: "Print my list" on the website chat gives a print-friendly page of the saved list only, drawn by the page
 * from the bot's message (no resident data in a URL), in a real browser. The screenshot is kept in test-output/ to be
 * looked at.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, OUTPUT, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

async function sees(page: Page, text: string | RegExp): Promise<void> {
    try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout: 20_000 });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, 'print-saved-list-failed.png'), fullPage: true });
        throw err;
    }
}

describe('printing the saved list from the website chat, in a browser', function () {
    this.timeout(150_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    const profile = tempDir('signpost-chromium-');

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        web = await startWebServer({ limits: { requestsPerWindow: 1000 } });
        browser = await launch(profile.dir, { width: 390, height: 844 });
        fs.mkdirSync(OUTPUT, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await web?.stop();
        profile.remove();
    });

    it('"Print my list" opens the print dialog on a page of the saved list alone', async () => {
        const page = await browser!.newPage();
        // The print dialog cannot be seen headless: counted instead.
        await page.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
        const w = web.app.knowledge.wording;
        await page.goto(web.url);
        await page.locator('#shell').waitFor({ state: 'detached', timeout: 20_000 });
        const box = page.getByRole('textbox');
        await box.fill("I'm lonely and money is tight");
        await box.press('Enter');
        await sees(page, /It sounds like/);
        await page.getByRole('toolbar', { name: 'Suggested actions' })
            .getByRole('button', { name: w.button('yesRight'), exact: true }).click();
        await sees(page, /Where are you/);
        await box.fill('BS5 6XX');
        await box.press('Enter');
        await page.getByText(/^3: /).first().waitFor({ timeout: 20_000 });
        const nameOf = async (n: number) =>
            ((await page.getByText(new RegExp(`^${n}: `)).first().textContent()) ?? '').replace(/^\d+: /, '');
        const [first, third] = [await nameOf(1), await nameOf(3)];
        // The card's Save button, and a typed save.
        await page.getByRole('button', { name: w.text('cardSave') }).first().click();
        // Web Chat's markdown curls the apostrophe of "I've": matched after it.
        await sees(page, `${first} to your list. You have 1 saved.`);
        await box.fill('save 3');
        await box.press('Enter');
        await sees(page, `${third} to your list. You have 2 saved.`);
        expect(await page.evaluate('window.__printed')).to.equal(0);

        await box.fill('print my list');
        await box.press('Enter');
        // Polled through page.evaluate: the page's Content-Security-Policy refuses waitForFunction's eval.
        for (let waited = 0; await page.evaluate('window.__printed') !== 1; waited += 200) {
            expect(waited, 'the print dialog opened').to.be.lessThan(20_000);
            await page.waitForTimeout(200);
        }
        // On screen the print page is hidden: the chat goes on as it was.
        expect(await page.locator('#print-list').isVisible()).to.equal(false);
        expect(page.url()).to.not.include(encodeURIComponent(first).slice(0, 8));

        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: path.join(OUTPUT, 'print-saved-list.png'), fullPage: true });
        const printed = page.locator('#print-list');
        expect(await printed.isVisible()).to.equal(true);
        expect(await printed.getByRole('heading', { name: w.text('printTitle') }).isVisible()).to.equal(true);
        for (const name of [first, third]) {
            expect(await printed.getByRole('heading', { name, exact: true }).isVisible(), name).to.equal(true);
        }
        expect(await printed.getByText(`${w.text('labelWhen')}:`).count()).to.equal(2);
        // Only the list: the conversation, its header and its box are not printed.
        for (const hidden of ['header', '#webchat', 'footer']) {
            expect(await page.locator(hidden).first().isVisible(), hidden).to.equal(false);
        }
        // After the dialog closes, printing the page prints the conversation again (issue 19's print view).
        await page.evaluate('window.dispatchEvent(new Event("afterprint"))');
        expect(await page.locator('#print-list').isVisible()).to.equal(false);
        expect(await page.locator('#webchat').isVisible()).to.equal(true);
        await page.close();
    });
});
