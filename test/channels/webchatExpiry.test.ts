import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** Waits until the page shows `text`; keeps a screenshot when it does not. */
async function sees(page: Page, text: string | RegExp): Promise<void> {
    try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-expiry-failed.png') });
        throw err;
    }
}

describe('the website chat when its token runs out, in a browser', function () {
    this.timeout(120_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    /** How far the server's clock (its tokens' and its endpoint's) is ahead: a phone asleep for that long. */
    let skewMs = 0;
    const profile = tempDir('signpost-chromium-');

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        web = await startWebServer({ now: () => new Date(Date.now() + skewMs), limits: { requestsPerWindow: 1000 } });
        browser = await launch(profile.dir, { width: 390, height: 844 });
        fs.mkdirSync(OUTPUT, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await web?.stop();
        profile.remove();
    });

    it('says kindly that the chat ended, keeps nothing of it, and starts a new one with the unsent words', async () => {
        const page = await browser!.newPage();
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        const w = web.app.knowledge.wording;
        await page.goto(web.url);
        await page.locator('#shell').waitFor({ state: 'detached', timeout: 15_000 });
        const box = page.getByRole('textbox');
        await box.fill('I feel lonely');
        await box.press('Enter');
        await sees(page, /It sounds like/);
        expect(await page.evaluate('sessionStorage.getItem("signpost.chat")')).to.be.a('string');

        // The phone slept for an hour: the token has run out, and the next message is refused (403).
        skewMs = 3_600_000;
        await box.fill('walking groups');
        await box.press('Enter');
        const ended = page.getByRole('alert').filter({ hasText: w.page('ended') });
        await ended.waitFor({ timeout: 20_000 });
        expect(await ended.innerText()).to.contain(w.page('endedAgain'));
        expect(await page.getByText('I feel lonely').count(), 'the old chat is off the page').to.equal(0);
        expect(await page.evaluate('sessionStorage.getItem("signpost.chat")'), 'and forgotten').to.equal(null);
        const again = page.getByRole('button', { name: w.page('startNew') });
        expect(await page.evaluate('document.activeElement && document.activeElement.textContent'))
            .to.equal(w.page('startNew'));
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-ended.png') });
        expect(await axeViolations(page), 'the ended page passes axe').to.deep.equal([]);

        await again.click();
        await sees(page, /Hello, I.m Signpost/);
        await page.waitForFunction(`(() => {
            const input = document.querySelector('#webchat input[type="text"], #webchat textarea');
            return Boolean(input) && input.value === 'walking groups';
        })()`, undefined, { timeout: 15_000 });
        await page.getByRole('textbox').press('Enter');
        await sees(page, /walking/i);
        expect(await page.getByText('I feel lonely').count()).to.equal(0);
        expect(problems, 'no script errors').to.deep.equal([]);
        await page.close();
    });
});
