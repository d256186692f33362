import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** The header's height and whether the page scrolls sideways. */
async function measure(page: Page): Promise<{ header: number; sideways: boolean }> {
    return await page.evaluate(`(() => ({
        header: document.querySelector('header').getBoundingClientRect().height,
        sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    }))()`) as { header: number; sideways: boolean };
}

describe('the website chat page on a phone, in a browser', function () {
    this.timeout(120_000);
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

    for (const where of ['/', '/chat']) {
        it(`keeps the header of ${where} under 120px at 390px wide, the quick exit first and in view`, async () => {
            const page = await browser!.newPage();
            const w = web.app.knowledge.wording;
            await page.goto(`${web.url}${where}`);
            await page.getByText(/Hello, I.m Signpost/).first().waitFor();
            const { header, sideways } = await measure(page);
            expect(header, 'header height').to.be.below(120);
            expect(sideways, 'no sideways scrolling').to.equal(false);
            const name = where === '/' ? 'page' : 'plain';
            await page.screenshot({ path: path.join(OUTPUT, `header-390-${name}.png`) });
            await page.keyboard.press('Tab');
            expect(await page.evaluate('document.activeElement.id')).to.equal('quick-exit');
            expect(await page.locator('#quick-exit').isVisible()).to.equal(true);
            // The hint is folded on a phone, and opens with a tap (or Enter) on its summary.
            const hint = where === '/' ? w.text('pageQuickExitHint') : w.page('exitHint');
            expect(await page.getByText(hint).first().isVisible()).to.equal(false);
            await page.getByText(w.page('exitFold')).click();
            expect(await page.locator('.exit-fold').getByText(hint).isVisible()).to.equal(true);
            await page.screenshot({ path: path.join(OUTPUT, `header-390-${name}-hint.png`) });
            expect(await axeViolations(page), 'axe').to.deep.equal([]);

            // The keyboard open: a phone's screen of about 390 by 420. The header is one line; the box shows.
            await page.setViewportSize({ width: 390, height: 420 });
            await page.getByText(w.page('exitFold')).click();
            const open = await measure(page);
            expect(open.header, 'header height with the keyboard open').to.be.below(70);
            const box = page.getByRole('textbox').first();
            expect(await box.isVisible()).to.equal(true);
            await page.screenshot({ path: path.join(OUTPUT, `header-keyboard-${name}.png`) });

            // The narrowest phone: nothing scrolls sideways.
            await page.setViewportSize({ width: 320, height: 640 });
            const narrow = await measure(page);
            expect(narrow.sideways, 'no sideways scrolling at 320px').to.equal(false);
            expect(narrow.header, 'header height at 320px').to.be.below(120);
            await page.screenshot({ path: path.join(OUTPUT, `header-320-${name}.png`) });
            await page.close();
        });
    }
});
