import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { testApp } from '../helpers/app';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { refusedConnection } from '../helpers/flakyStore';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** Waits until the page shows `text`; keeps a screenshot when it does not. */
async function sees(page: Page, text: string | RegExp): Promise<void> {
    try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, 'plain-failed.png'), fullPage: true });
        throw err;
    }
}

/** Types into the page's message box and sends it, as a resident with no JavaScript would: Enter posts the form. */
async function send(page: Page, text: string): Promise<void> {
    const box = page.getByRole('textbox', { name: 'Type your message' });
    await box.fill(text);
    await Promise.all([page.waitForLoadState('load'), box.press('Enter')]);
}

describe('the website chat with JavaScript off, in a browser', function () {
    this.timeout(120_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    /** A browser with JavaScript, for axe-core only (it is a script): it is shown the very page the other got. */
    let checker: BrowserContext | undefined;
    const profile = tempDir('signpost-chromium-');
    const checkerProfile = tempDir('signpost-chromium-');

    /** axe-core's findings on the page as the browser without JavaScript shows it now (same HTML, same styles). */
    async function axeOn(page: Page): Promise<string[]> {
        const html = await page.content();
        const copy = await checker!.newPage();
        await copy.setViewportSize(page.viewportSize()!);
        await copy.route(page.url(), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
        await copy.goto(page.url());
        const found = await axeViolations(copy);
        await copy.close();
        return found;
    }

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        web = await startWebServer({
            app: testApp({ env: { SIGNPOST_QUICK_EXIT_URL: 'http://127.0.0.1:9/weather' } }),
            limits: { requestsPerWindow: 1000 },
        });
        browser = await launch(profile.dir, { width: 390, height: 844 }, { javaScriptEnabled: false });
        checker = await launch(checkerProfile.dir, { width: 390, height: 844 });
        fs.mkdirSync(OUTPUT, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await checker?.close();
        await web?.stop();
        profile.remove();
        checkerProfile.remove();
    });

    it('holds a whole short conversation: a message, a numbered choice, a place, the results', async () => {
        const page = await browser!.newPage();
        const w = web.app.knowledge.wording;
        await page.goto(web.url);
        await sees(page, /Hello, I.m Signpost/);
        expect(await page.getByRole('status').isVisible(), 'no "Starting the chat..." without a script')
            .to.equal(false);
        // Nor the Shift key, which only a script can listen for.
        await page.getByText(w.page('exitFold')).click();
        expect(await page.locator('.exit-fold p').innerText()).to.equal(w.page('exitHint'));

        await send(page, "I'm lonely and money is tight");
        expect(new URL(page.url()).pathname).to.equal('/chat');
        expect(new URL(page.url()).hash, 'the page opens at the bot\'s answer').to.match(/^#m\d+$/);
        await sees(page, /It sounds like/);
        await sees(page, "I'm lonely and money is tight");
        // The anchor's message is the one the browser opened at.
        const anchored = page.locator(new URL(page.url()).hash);
        expect(await anchored.innerText()).to.match(/It sounds like/);
        // And the keyboard goes on from there: the next Tab reaches its first choice, not the top of the page.
        await page.keyboard.press('Tab');
        expect(await page.evaluate('document.activeElement.textContent')).to.equal(`1. ${w.button('yesRight')}`);

        // The choices are numbered buttons that post the choice.
        const yes = page.getByRole('button', { name: `1. ${w.button('yesRight')}` });
        await Promise.all([page.waitForLoadState('load'), yes.click()]);
        await sees(page, w.text('askWhere'));
        await page.screenshot({ path: path.join(OUTPUT, 'plain-choice.png'), fullPage: true });

        await send(page, 'BS5 6XX');
        await sees(page, w.text('resultsIntro'));
        await page.getByRole('button', { name: w.text('cardFindOutMore') }).first().waitFor();
        await page.getByRole('link', { name: /^Call 0/ }).first().waitFor();
        await page.screenshot({ path: path.join(OUTPUT, 'plain-results.png'), fullPage: true });
        expect(await axeOn(page), 'the plain page passes axe').to.deep.equal([]);

        // A card's button sends its number, as if typed: the details come back.
        await Promise.all([page.waitForLoadState('load'),
            page.getByRole('button', { name: w.text('cardFindOutMore') }).first().click()]);
        await sees(page, /Last checked/);
        await page.close();
    });

    // Each test is a new resident: no cookie from the one before.
    beforeEach(async () => browser?.clearCookies());

    it('keeps a message that could not be sent in the box, says so, and sends it when asked again', async () => {
        const page = await browser!.newPage();
        await page.goto(`${web.url}/chat`);
        await send(page, 'I feel lonely');
        await sees(page, /It sounds like/);

        // The store stops answering: the message cannot be sent.
        const store = web.app.stores.directLine;
        const append = store.append.bind(store);
        store.append = () => Promise.reject(refusedConnection());
        try {
            await send(page, 'I would like to meet people');
        } finally {
            store.append = append;
        }
        const problem = page.getByRole('alert');
        expect(await problem.innerText()).to.contain(web.app.knowledge.wording.page('notSent'));
        const box = page.getByRole('textbox', { name: 'Type your message' });
        expect(await box.inputValue(), 'what was typed is kept').to.equal('I would like to meet people');
        await page.screenshot({ path: path.join(OUTPUT, 'plain-not-sent.png'), fullPage: true });
        expect(await axeOn(page), 'the problem page passes axe').to.deep.equal([]);

        await Promise.all([page.waitForLoadState('load'), box.press('Enter')]);
        expect(await page.getByRole('alert').count(), 'sent this time').to.equal(0);
        expect(await page.getByText('I would like to meet people').count()).to.equal(1);
        await page.close();
    });

    it('has a quick exit that is a plain link, first in the Tab order, and forgets the chat', async () => {
        const page = await browser!.newPage();
        await page.goto(`${web.url}/chat`);
        await send(page, 'I feel lonely');
        await sees(page, /It sounds like/);
        // From the top of the page (no #anchor), Tab reaches the quick exit first.
        await page.goto(`${web.url}/chat`);
        await page.keyboard.press('Tab');
        const first = await page.evaluate('document.activeElement && document.activeElement.id');
        expect(first).to.equal('quick-exit');
        const exit = page.getByRole('link', { name: web.app.knowledge.wording.text('pageQuickExit') });
        expect(await exit.getAttribute('href')).to.equal('/chat/exit');
        // The neutral site is not running in this test: the browser's attempt to go there is enough.
        const leaving = page.waitForRequest('http://127.0.0.1:9/weather');
        await exit.click({ noWaitAfter: true });
        await leaving;
        // Coming back, the chat is gone: the welcome and an empty box.
        const again = await browser!.newPage();
        await again.goto(`${web.url}/chat`);
        await sees(again, /Hello, I.m Signpost/);
        expect(await again.getByText('I feel lonely').count()).to.equal(0);
        await page.close();
        await again.close();
    });
});
