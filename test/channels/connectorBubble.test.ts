/**
 * Issue 20, part 7: in the website chat a community connector looks like a person. Their messages carry their first
 * name (never their surname or account id) and are drawn in a bubble of their own with the name above it; the page's
 * footer says who the resident is chatting with while the connector has the chat, and goes back to its usual line
 * when they leave. The page without JavaScript names each connector line too. In headless Chromium at 390 px.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { testApp } from '../helpers/app';
import { CHROMIUM, OUTPUT, axeViolations, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser } from '../workspace/helpers';

async function sees(page: Page, text: string | RegExp, name = 'connector-failed'): Promise<void> {
    try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
        throw err;
    }
}

/** Types a message into the website chat and sends it. */
async function type(page: Page, text: string): Promise<void> {
    const input = page.getByRole('textbox');
    await input.fill(text);
    await input.press('Enter');
}

/** Sends a message from the page without JavaScript (Enter posts the form). */
async function post(page: Page, text: string): Promise<void> {
    const box = page.getByRole('textbox', { name: 'Type your message' });
    await box.fill(text);
    await Promise.all([page.waitForLoadState('load'), box.press('Enter')]);
}

describe('a connector in the website chat, in a browser at 390 px', function () {
    this.timeout(120_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    let plain: BrowserContext | undefined;
    const profile = tempDir('signpost-chromium-');
    const plainProfile = tempDir('signpost-chromium-');

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        web = await startWebServer({ app: testApp(), limits: { requestsPerWindow: 1000 } });
        browser = await launch(profile.dir, { width: 390, height: 844 });
        plain = await launch(plainProfile.dir, { width: 390, height: 844 }, { javaScriptEnabled: false });
        fs.mkdirSync(OUTPUT, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await plain?.close();
        await web?.stop();
        profile.remove();
        plainProfile.remove();
    });

    it('names the connector above a bubble of their own, and the footer says who has the chat until they leave',
        async () => {
            const w = web.app.knowledge.wording;
            const page = await browser!.newPage();
            const problems: string[] = [];
            page.on('pageerror', (e) => problems.push(e.message));
            await page.goto(web.url);
            await sees(page, /Hello, I.m Signpost/);
            const usual = await page.locator('#privacy').textContent() ?? '';
            expect(usual).to.include('is a computer program, not a person');
            await page.getByRole('button', { name: w.button('talkToPerson') }).click();
            for (const say of ['email', 'me@example.org', 'skip', 'any time', 'yes', 'no']) {
                await page.waitForTimeout(300);
                await type(page, say);
            }
            await sees(page, /Your reference is SP-/);
            const reference = /Your reference is (SP-[A-Z2-9]{6})/
                .exec(await page.locator('#webchat').textContent() ?? '')![1]!;

            const sam = await addUser(web.app, 'Sam');
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            const sent = await api.call('POST', `/escalations/${reference}/messages`,
                { text: 'Hello, I am Sam. I got your request.' });
            expect(sent.status, JSON.stringify(sent.body)).to.equal(201);

            // The words alone in the bubble, the first name above it, in a bubble that is not the bot's.
            const said = page.locator('.connector-activity', { hasText: 'Hello, I am Sam. I got your request.' });
            await said.waitFor({ timeout: 15_000 });
            expect(await said.locator('.connector-name').textContent()).to.equal('Sam');
            expect(await said.textContent()).to.not.include('Sam: Hello');
            const colours = await said.locator('.webchat__bubble__content').evaluate((el) => {
                const style = el.ownerDocument.defaultView!.getComputedStyle(el);
                return { background: style.backgroundColor, border: style.borderLeftWidth };
            });
            const botBubble = page.locator('.webchat__bubble__content', { hasText: 'Your reference is' }).first();
            const botBackground = await botBubble.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
            expect(colours.background).to.not.equal(botBackground);
            expect(colours.border).to.equal('4px');
            await page.locator('#privacy', { hasText: 'You are chatting with Sam, a community connector.' })
                .waitFor({ timeout: 5000 });
            // The bot's own lines stay the bot's: "You're now chatting with Sam" is not named as Sam's.
            expect(await page.locator('.connector-activity', { hasText: 'You\'re now chatting with Sam' }).count())
                .to.equal(0);

            // The activity as the page gets it: the first name, the bot's id, nothing of Sam's account.
            const kept = await page.evaluate('JSON.parse(sessionStorage.getItem("signpost.chat"))') as
                { conversationId: string; token: string };
            const read = await fetch(`${web.url}/v3/directline/conversations/${kept.conversationId}/activities`, {
                headers: { authorization: `Bearer ${kept.token}` },
            }).then((r) => r.json()) as { activities: { text?: string; from: Record<string, unknown>;
                channelData?: unknown }[] };
            const message = read.activities.find((a) => a.text === 'Hello, I am Sam. I got your request.')!;
            expect(message.from.name).to.equal('Sam');
            expect(message.from.role).to.equal('bot');
            expect(JSON.stringify(message)).to.not.include(sam.id).and.not.include(sam.email);
            expect(message.channelData).to.deep.equal({ signpost: { relay: 'message', connector: 'Sam',
                role: 'connector' } });

            await page.screenshot({ path: path.join(OUTPUT, 'webchat-connector-390.png') });
            expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
            expect(await axeViolations(page), 'the page with a connector passes axe').to.deep.equal([]);

            // A reload replays the chat: still named, the footer still says Sam has it.
            await page.reload();
            await page.locator('.connector-activity .connector-name').first().waitFor({ timeout: 15_000 });
            await page.locator('#privacy', { hasText: 'You are chatting with Sam' }).waitFor({ timeout: 5000 });

            expect((await api.call('POST', `/escalations/${reference}/end-chat`)).status).to.equal(200);
            await sees(page, 'Sam has left the chat.');
            await page.locator('#privacy', { hasText: usual }).waitFor({ timeout: 5000 });
            await page.screenshot({ path: path.join(OUTPUT, 'webchat-connector-left-390.png') });
            expect(problems).to.deep.equal([]);
            await page.close();
        });

    it('names each connector line on the page without JavaScript, and says in the footer who has the chat',
        async () => {
            const w = web.app.knowledge.wording;
            const page = await plain!.newPage();
            await page.goto(`${web.url}/chat`);
            await post(page, w.button('talkToPerson'));
            for (const say of ['email', 'plain@example.org', 'skip', 'any time', 'yes', 'no']) await post(page, say);
            await sees(page, /Your reference is SP-/, 'plain-connector-failed');
            const reference = /Your reference is (SP-[A-Z2-9]{6})/.exec(await page.content())![1]!;
            const robin = await addUser(web.app, 'Robin');
            const api = new ApiClient(web.url);
            await api.signIn(robin.email);
            expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            expect((await api.call('POST', `/escalations/${reference}/messages`, { text: 'Hi, it is Robin.' })).status)
                .to.equal(201);
            await page.reload();
            const line = page.locator('li.shell-from-connector', { hasText: 'Hi, it is Robin.' });
            await line.waitFor();
            // Seen, not only heard: the heading is on the screen.
            const heading = line.getByRole('heading', { name: 'Robin said:' });
            expect(await heading.isVisible()).to.equal(true);
            expect(await page.locator('li.shell-from-bot h3.visually-hidden', { hasText: 'Signpost said:' }).count())
                .to.be.above(0);
            expect(await page.locator('#privacy').textContent())
                .to.equal('You are chatting with Robin, a community connector.');
            await page.screenshot({ path: path.join(OUTPUT, 'plain-connector-390.png'), fullPage: true });

            expect((await api.call('POST', `/escalations/${reference}/end-chat`)).status).to.equal(200);
            await page.reload();
            await sees(page, 'Robin has left the chat.', 'plain-connector-failed');
            expect(await page.locator('#privacy').textContent()).to.include('is a computer program, not a person');
            await page.close();
        });
});
