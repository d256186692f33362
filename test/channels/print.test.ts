import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, OUTPUT, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** Waits until the page shows `text`. */
async function sees(page: Page, text: string | RegExp): Promise<void> {
    await page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** What a printed page shows: nothing of the page's controls, and the whole conversation. */
async function printed(page: Page, name: string): Promise<void> {
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
    await page.pdf({ path: path.join(OUTPUT, `${name}.pdf`), format: 'A4', printBackground: true });
}

describe('printing or saving the suggestions, in a browser', function () {
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

    it('prints the whole Web Chat conversation and its suggestions, without the page\'s controls', async () => {
        const page = await browser!.newPage();
        const w = web.app.knowledge.wording;
        await page.goto(web.url);
        await page.locator('#shell').waitFor({ state: 'detached', timeout: 15_000 });
        const box = page.getByRole('textbox');
        await box.fill("I'm lonely and money is tight");
        await box.press('Enter');
        await sees(page, /It sounds like/);
        await page.getByRole('toolbar', { name: 'Suggested actions' })
            .getByRole('button', { name: w.button('yesRight'), exact: true }).click();
        await sees(page, /Where are you/);
        await box.fill('BS5 6XX');
        await box.press('Enter');
        await page.getByText(/^3: /).first().waitFor({ timeout: 15_000 });
        await page.waitForTimeout(500);

        await printed(page, 'print-webchat');
        for (const hidden of ['header', 'footer', '.webchat__send-box', '.webchat__suggested-actions']) {
            expect(await page.locator(hidden).first().isVisible(), hidden).to.equal(false);
        }
        // The whole conversation, from the welcome to the last suggestion, in one long page.
        const transcript = page.locator('.webchat__basic-transcript__scrollable .webchat__bubble__content');
        for (const text of [/Hello, I.m Signpost/, /^1: /, /^3: /]) {
            expect(await transcript.getByText(text).first().isVisible(), String(text)).to.equal(true);
        }
        const { top, bottom } = await page.evaluate(`(() => {
            const texts = [...document.querySelectorAll('.webchat__basic-transcript__scrollable *')]
                .filter((e) => e.childElementCount === 0);
            const hello = texts.find((e) => /Hello, I.m Signpost/.test(e.textContent));
            const last = texts.filter((e) => /^3: /.test(e.textContent)).pop();
            const y = (e) => e.getBoundingClientRect().top + scrollY;
            return { top: y(hello), bottom: y(last) };
        })()`) as { top: number; bottom: number };
        expect(bottom - top, 'laid out in full, not in a scrolling box').to.be.greaterThan(844);
        // A card's call button is printed as its words, with the number.
        expect(await page.getByRole('button', { name: /^Call 0/ }).first().isVisible()).to.equal(true);
        await page.close();
    });

    it('prints the page without JavaScript with links written out', async () => {
        const page = await browser!.newPage();
        await page.goto(`${web.url}/chat`);
        const box = page.getByRole('textbox', { name: 'Type your message' });
        await box.fill('I need money advice near BS5 6XX');
        await Promise.all([page.waitForURL(/#m\d+$/), box.press('Enter')]);
        const w = web.app.knowledge.wording;
        await Promise.all([page.waitForURL(/#m\d+$/),
            page.getByRole('button', { name: `1. ${w.button('yesRight')}` }).click()]);
        await Promise.all([page.waitForLoadState('load'),
            page.getByRole('button', { name: w.text('cardFindOutMore') }).first().click()]);
        await page.getByText(/Last checked/).first().waitFor();
        await printed(page, 'print-plain');
        for (const hidden of ['header', 'footer', '#shell-form', '.plain-new', '.plain-choices']) {
            expect(await page.locator(hidden).first().isVisible(), hidden).to.equal(false);
        }
        expect(await page.getByText('I need money advice').isVisible()).to.equal(true);
        // A website link is printed with its address after it.
        const after = await page.evaluate(`(() => {
            const a = [...document.querySelectorAll('.plain-messages a[href^="http"]')].pop();
            return a.getAttribute('href') + ' ' + getComputedStyle(a, '::after').content;
        })()`) as string;
        const [href, content] = [after.slice(0, after.indexOf(' ')), after.slice(after.indexOf(' ') + 1)];
        expect(content).to.equal(`" (${href})"`);
        await page.close();
    });
});
