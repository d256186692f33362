import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { testApp } from '../helpers/app';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';

/** Clicks one of the suggested actions under the last message. */
async function choose(page: Page, label: string): Promise<void> {
    const toolbar = page.getByRole('toolbar', { name: 'Suggested actions' });
    await toolbar.getByRole('button', { name: label, exact: true }).click();
}

/** Text as Web Chat shows it: its markdown makes straight quotes curly. */
function shown(text: string | RegExp): RegExp {
    if (text instanceof RegExp) return text;
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(escaped.replace(/"/g, '["\u201c\u201d]').replace(/'/g, "['\u2019]"));
}

/** A council's own site, on another origin, with the one tag from docs/embed.md. */
async function councilSite(chatUrl: () => string): Promise<{ server: http.Server; origin: string }> {
    const server = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><html lang="en"><title>Council</title><body><h1>Council</h1>
            <script src="${chatUrl()}/embed.js" defer></script></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

/** Waits until the transcript shows `text`. */
async function sees(page: Page, text: string | RegExp): Promise<void> {
    try {
        await page.getByText(shown(text)).first().waitFor({ state: 'visible', timeout: 15_000 });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-failed.png') });
        throw err;
    }
}

describe('the website chat page in a browser', function () {
    this.timeout(120_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    let council: Awaited<ReturnType<typeof councilSite>> | undefined;
    const profile = tempDir('signpost-chromium-');
    const problems: string[] = [];

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            // .ci/run installs Debian's chromium; on a machine without it this suite cannot run.
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        // The council's site is the one other site allowed to frame the chat (SIGNPOST_EMBED_ORIGINS).
        council = await councilSite(() => web.url);
        web = await startWebServer({
            app: testApp({
                env: { SIGNPOST_EMBED_ORIGINS: council.origin, SIGNPOST_QUICK_EXIT_URL: `${council.origin}/weather` },
            }),
        });
        browser = await launch(profile.dir, { width: 1000, height: 900 });
        fs.mkdirSync(OUTPUT, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await web?.stop();
        council?.server.close();
        profile.remove();
    });

    it('lets a resident type, pick a choice and see recommendations', async () => {
        const page = await browser!.newPage();
        page.on('console', (m) => {
            if (m.type() === 'error') problems.push(m.text());
        });
        page.on('pageerror', (e) => problems.push(e.message));
        const w = web.app.knowledge.wording;
        await page.goto(web.url);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Signpost');
        await sees(page, /Hello, I.m Signpost/);
        expect(await page.locator('#privacy').textContent()).to.match(/keeps what you type for 30 days/);

        const input = page.getByRole('textbox');
        await input.fill("I'm lonely and money is tight");
        await input.press('Enter');
        await sees(page, /It sounds like/);
        await choose(page, w.button('yesRight'));
        await sees(page, w.text('askWhere'));
        await input.fill('BS5 6XX');
        await input.press('Enter');
        // Issue 16 part 2: the place is the one question before the results.
        await sees(page, w.text('resultsIntro'));
        await sees(page, /^1: /);
        await page.getByRole('button', { name: w.text('cardFindOutMore') }).first().waitFor();
        await page.getByRole('button', { name: /^Call 0/ }).first().waitFor();
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-results.png') });
        expect(await axeViolations(page), 'results cards pass axe').to.deep.equal([]);

        // A card's button sends its number, as if typed: the details come back as a card.
        await page.getByRole('button', { name: w.text('cardFindOutMore') }).first().click();
        await sees(page, /Last checked/);

        // The visible "talk to a person" button starts the hand-off from anywhere.
        await page.getByRole('button', { name: w.button('talkToPerson') }).first().click();
        await sees(page, w.text('askMethod'));
        await page.close();
        expect(problems, 'no script errors or CSP violations').to.deep.equal([]);
    });

    it('works with the keyboard alone and has no WCAG 2.2 AA faults that axe can find', async () => {
        const page = await browser!.newPage();
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(web.url);
        await sees(page, /Hello, I.m Signpost/);
        // From the top of the page, Tab reaches the "talk to a person" button and then the message box.
        const reached: string[] = [];
        for (let i = 0; i < 25; i++) {
            await page.keyboard.press('Tab');
            const focused = await page.evaluate(`(() => {
                const el = document.activeElement;
                return el ? el.tagName + ':' + el.id + ':' + (el.getAttribute('aria-label') || '') : '';
            })()`) as string;
            reached.push(focused);
            if (/^(INPUT|TEXTAREA)/.test(focused)) break;
        }
        // A link that looks and acts as a button (as GOV.UK's "Exit this page"): it works with no script too.
        expect(reached[0]).to.match(/^A:quick-exit/);
        expect(reached[1]).to.match(/^BUTTON:talk-to-person/);
        expect(reached[reached.length - 1], reached.join(' > ')).to.match(/^(INPUT|TEXTAREA)/);
        await page.keyboard.type('help');
        await page.keyboard.press('Enter');
        await sees(page, /You can type:/);
        // New messages are announced: Web Chat keeps a live region for screen readers.
        expect(await page.locator('[aria-live="polite"]').count()).to.be.greaterThan(0);
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-mobile.png') });

        const violations = await axeViolations(page);
        expect(violations).to.deep.equal([]);
        await page.close();
    });

    it('shows the welcome and takes typing before Web Chat has loaded, and loses nothing when it takes over',
        async () => {
            const page = await browser!.newPage();
            await page.setViewportSize({ width: 390, height: 844 });
            const errors: string[] = [];
            page.on('console', (m) => {
                if (m.type() === 'error') errors.push(m.text());
            });
            page.on('pageerror', (e) => errors.push(e.message));
            // The Web Chat bundle is held back, as a slow connection would, until the test lets it through.
            let release!: () => void;
            const released = new Promise<void>((resolve) => (release = resolve));
            await page.route(/\/static\/webchat\.[0-9a-f]+\.js$/, async (route) => {
                await released;
                await route.continue();
            });
            const w = web.app.knowledge.wording;
            // Not 'domcontentloaded': that waits for the deferred scripts, the held-back bundle among them.
            await page.goto(web.url, { waitUntil: 'commit' });
            const log = page.getByRole('log');
            await log.getByText(/Hello, I.m Signpost/).waitFor({ state: 'visible', timeout: 15_000 });
            expect(await page.evaluate('typeof window.WebChat')).to.equal('undefined');
            await page.screenshot({ path: path.join(OUTPUT, 'webchat-first-paint.png') });
            expect(await axeViolations(page), 'the first form passes axe').to.deep.equal([]);

            // A message sent now is shown and kept; a second one is left half-typed in the box.
            const box = page.getByRole('textbox', { name: w.text('pageMessageLabel') });
            await box.fill("I'm lonely and money is tight");
            await box.press('Enter');
            await log.getByText("I'm lonely and money is tight").waitFor();
            await box.fill('BS5');
            expect(await page.getByRole('button', { name: w.text('pageSend') }).isVisible()).to.equal(true);

            release();
            // Web Chat takes over: the message goes once, the bot answers it, the half-typed words are in its box.
            await sees(page, /It sounds like/);
            await page.waitForTimeout(1000);
            expect(await page.locator('#shell').count(), 'the first form is gone').to.equal(0);
            const sent = page.locator('#webchat .webchat__bubble--from-user');
            expect(await sent.count(), 'one message from the resident').to.equal(1);
            expect(await sent.innerText()).to.match(shown("I'm lonely and money is tight"));
            expect(await page.getByRole('textbox').inputValue()).to.equal('BS5');
            expect(await axeViolations(page), 'Web Chat after the takeover passes axe').to.deep.equal([]);
            expect(errors, 'no script errors or CSP violations').to.deep.equal([]);
            await page.close();
        });

    it('carries on as the plain chat, losing nothing typed, when the Web Chat bundle does not arrive', async () => {
        const page = await browser!.newPage();
        const w = web.app.knowledge.wording;
        let fail!: () => void;
        const failing = new Promise<void>((resolve) => (fail = resolve));
        await page.route(/\/static\/webchat\.[0-9a-f]+\.js$/, async (route) => {
            await failing;
            await route.abort();
        });
        await page.goto(web.url, { waitUntil: 'commit' });
        const box = page.getByRole('textbox', { name: w.text('pageMessageLabel') });
        await box.fill('I feel lonely');
        await box.press('Enter');
        await page.getByRole('log').getByText('I feel lonely').waitFor();
        fail();
        const status = page.getByRole('status');
        await status.getByText(w.page('simpler')).waitFor({ timeout: 15_000 });
        // What was sent from the first form never went: it is back in the box, not shown as sent.
        expect(await box.inputValue()).to.equal('I feel lonely');
        expect(await page.getByRole('log').getByText('I feel lonely').count()).to.equal(0);
        await Promise.all([page.waitForURL(/\/chat#m\d+$/), box.press('Enter')]);
        await sees(page, /It sounds like/);
        expect(await page.getByText('I feel lonely').count()).to.equal(1);
        await page.close();
    });

    it('leaves at once for a neutral site with the quick exit, and Back or a new visit never shows the chat',
        async () => {
            const page = await browser!.newPage();
            const w = web.app.knowledge.wording;
            await page.goto(`${council!.origin}/before`);
            await page.goto(web.url);
            await sees(page, /Hello, I.m Signpost/);
            await page.locator('#shell').waitFor({ state: 'detached', timeout: 15_000 });
            await page.getByRole('textbox').fill('I feel lonely');
            await page.getByRole('textbox').press('Enter');
            await sees(page, /It sounds like/);
            const kept = await page.evaluate('sessionStorage.getItem("signpost.chat")') as string | null;
            expect(kept, 'the chat is kept for a reload').to.be.a('string');
            const hint = page.locator('#quick-exit-hint').getByText(w.text('pageQuickExitHint'));
            expect(await hint.isVisible(), 'said in full on a wide screen').to.equal(true);

            await page.getByRole('button', { name: w.text('pageQuickExit') }).click();
            await page.waitForURL(`${council!.origin}/weather`);
            // The chat's entry was replaced: Back goes to the page before it, not to the chat.
            await page.goBack();
            expect(page.url()).to.equal(`${council!.origin}/before`);
            // Coming back starts a new chat: the kept one was forgotten.
            await page.goto(web.url);
            await page.locator('#shell').waitFor({ state: 'detached', timeout: 15_000 });
            await sees(page, /Hello, I.m Signpost/);
            expect(await page.getByText('I feel lonely').count(), 'the old chat is not shown').to.equal(0);
            const now = JSON.parse(await page.evaluate('sessionStorage.getItem("signpost.chat")') as string) as
                { conversationId: string };
            expect(now.conversationId).to.not.equal((JSON.parse(kept!) as { conversationId: string }).conversationId);

            // The Shift key three times does the same, from the first moment (Web Chat need not have loaded).
            await page.goto(web.url, { waitUntil: 'commit' });
            await page.locator('#quick-exit').waitFor();
            for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
            await page.waitForURL(`${council!.origin}/weather`);
            await page.close();
        });

    it('can be embedded in another site with one script tag, once that site is allowed', async () => {
        const page = await browser!.newPage();
        await page.goto(`${council!.origin}/`);
        const launcher = page.getByRole('button', { name: 'Chat with Signpost' });
        expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
        await launcher.click();
        const chat = page.frameLocator('iframe[title="Chat with Signpost"]');
        await chat.getByText(/Hello, I.m Signpost/).first().waitFor({ timeout: 15_000 });
        const close = page.getByRole('button', { name: web.app.knowledge.wording.text('pageCloseChat') });
        expect(await close.getAttribute('aria-expanded')).to.equal('true');
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-embedded.png') });
        await close.click();
        expect(await page.locator('iframe').count()).to.equal(0);
        // The quick exit in the panel takes the whole council page away, not only the panel.
        await launcher.click();
        await chat.getByRole('button', { name: web.app.knowledge.wording.text('pageQuickExit') }).click();
        await page.waitForURL(`${council!.origin}/weather`);
        await page.close();
    });

    it('is not shown in the frame of a site that is not allowed to embed it', async () => {
        const other = await councilSite(() => web.url);
        after(() => other.server.close());
        const page = await browser!.newPage();
        const refused = new Promise<string>((resolve) => page.on('console', (m) => {
            if (/frame-ancestors/.test(m.text())) resolve(m.text());
        }));
        await page.goto(`${other.origin}/`);
        await page.getByRole('button', { name: 'Chat with Signpost' }).click();
        expect(await Promise.race([refused, page.waitForTimeout(10_000).then(() => 'no refusal')]))
            .to.match(/(Refused to frame|Framing) .*frame-ancestors 'self' http:\/\/localhost:\d+/);
        const chat = page.frameLocator('iframe[title="Chat with Signpost"]');
        expect(await chat.getByText(/Hello, I.m Signpost/).count()).to.equal(0);
        await page.close();
    });
});
