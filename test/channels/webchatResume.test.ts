import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { testApp } from '../helpers/app';
import { CHROMIUM, OUTPUT, launch } from '../helpers/browser';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, PASSWORD, addUser } from '../workspace/helpers';

/** Screenshots for the report (not committed): what a connector and a resident see. */
const SHOTS = process.env.SIGNPOST_SHOTS_DIR ?? OUTPUT;

/** Waits until the resident's chat shows `text`. */
async function sees(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
    try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout });
    } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, 'webchat-resume-failed.png') });
        throw err;
    }
}

/** Types a message into the website chat and sends it. */
async function type(page: Page, text: string): Promise<void> {
    const input = page.getByRole('textbox');
    await input.fill(text);
    await input.press('Enter');
}

/** The conversation this tab keeps for a reload, as the page stored it. */
async function keptConversation(page: Page): Promise<string | undefined> {
    return await page.evaluate(`(() => {
        const kept = JSON.parse(sessionStorage.getItem('signpost.chat') || 'null');
        return kept ? kept.conversationId : undefined;
    })()`) as string | undefined;
}

describe('the website chat carried on across a reload, and live delivery, in a browser', function () {
    this.timeout(120_000);
    let web: WebServer;
    let browser: BrowserContext | undefined;
    let skewMs = 0;
    const profile = tempDir('signpost-chromium-');

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) {
            if (process.env.CI) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
            this.skip();
        }
        // The app's clock can be moved on (the resident unseen for a while); Direct Line's tokens keep real time.
        const app = testApp({ now: () => new Date(Date.now() + skewMs) });
        web = await startWebServer({ app, limits: { requestsPerWindow: 1000 } });
        browser = await launch(profile.dir, { width: 1000, height: 900 });
        fs.mkdirSync(OUTPUT, { recursive: true });
        fs.mkdirSync(SHOTS, { recursive: true });
    });
    after(async () => {
        await browser?.close();
        await web?.stop();
        profile.remove();
    });

    it('keeps the chat, the reference and the connector after a reload, and a connector\'s message arrives',
        async () => {
            const page = await browser!.newPage();
            const problems: string[] = [];
            page.on('pageerror', (e) => problems.push(e.message));
            await page.goto(web.url);
            await sees(page, /Hello, I.m Signpost/);
            await page.getByRole('button', { name: web.app.knowledge.wording.button('talkToPerson') }).click();
            for (const say of ['email', 'me@example.org', 'skip', 'any time', 'yes', 'no']) {
                await page.waitForTimeout(300);
                await type(page, say);
            }
            await sees(page, /Your reference is SP-/);
            const text = await page.locator('#webchat').textContent() ?? '';
            const reference = /Your reference is (SP-[A-Z2-9]{6})/.exec(text)![1];
            const conversation = await keptConversation(page);
            expect(conversation).to.be.a('string');

            await page.reload();
            // The same conversation, with what was said before the reload.
            await sees(page, `Your reference is ${reference}`);
            expect(await keptConversation(page)).to.equal(conversation);

            const sam = await addUser(web.app, 'Sam');
            const api = new ApiClient(web.url);
            await api.signIn(sam.email);
            expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            const sent = await api.call('POST', `/escalations/${reference}/messages`,
                { text: 'Hello, I am Sam. I got your request.' });
            expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
            await sees(page, 'Hello, I am Sam. I got your request.');
            await page.screenshot({ path: path.join(SHOTS, 'resident-after-reload.png') });

            // What they write now reaches Sam, in the same request's chat.
            await type(page, 'Thank you Sam');
            await page.waitForTimeout(1000);
            const detail = await api.call('GET', `/escalations/${reference}`);
            expect(detail.body.messages.map((m: { from: string; text: string }) => `${m.from}: ${m.text}`))
                .to.include('resident: Thank you Sam');
            expect(problems).to.deep.equal([]);
            await page.close();
        });

    it('starts a new chat after "delete my data", and after endForGood()', async () => {
        const page = await browser!.newPage();
        await page.goto(web.url);
        await sees(page, /Hello, I.m Signpost/);
        await page.waitForFunction('sessionStorage.getItem("signpost.chat") !== null');
        const first = await keptConversation(page);
        await page.evaluate('window.SignpostChat.endForGood()');
        await page.reload();
        await sees(page, /Hello, I.m Signpost/);
        await page.waitForFunction('sessionStorage.getItem("signpost.chat") !== null');
        const second = await keptConversation(page);
        expect(second).to.be.a('string').and.not.equal(first);

        await type(page, 'delete my data');
        await sees(page, /deleted everything I kept/);
        // The page forgets the conversation as soon as the server says the data went.
        await page.waitForFunction('sessionStorage.getItem("signpost.chat") === null', undefined, { timeout: 15_000 });
        await page.reload();
        await sees(page, /Hello, I.m Signpost/);
        await page.waitForFunction('sessionStorage.getItem("signpost.chat") !== null');
        expect(await keptConversation(page)).to.not.equal(second);
        await page.close();
    });

    it('shows the connector "not delivered" when the resident\'s chat has gone, and keeps the message', async () => {
        const resident = await browser!.newPage();
        await resident.goto(web.url);
        await sees(resident, /Hello, I.m Signpost/);
        await resident.getByRole('button', { name: web.app.knowledge.wording.button('talkToPerson') }).click();
        for (const say of ['email', 'me@example.org', 'skip', 'any time', 'yes', 'no']) {
            await resident.waitForTimeout(300);
            await type(resident, say);
        }
        await sees(resident, /Your reference is SP-/);
        const text = await resident.locator('#webchat').textContent() ?? '';
        const reference = /Your reference is (SP-[A-Z2-9]{6})/.exec(text)![1];

        await addUser(web.app, 'Robin');
        const page = await browser!.newPage();
        await page.goto(`${web.url}/workspace`);
        await page.getByLabel('Email').fill('robin@example.org');
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('button', { name: 'Claim' }).click();
        await page.getByText('You have claimed this request.').waitFor();
        await page.locator('#presence', { hasText: 'The resident is in the chat now (website chat' }).waitFor();
        await page.getByLabel('Write to the resident').fill('Hello, it is Robin.');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.getByText('Sent to the resident.').waitFor();
        await page.locator('#chat li', { hasText: 'Hello, it is Robin.' }).locator('.delivered').waitFor();
        // Named above a bubble of its own (issue 20), not "Robin: ..." in the text.
        await resident.locator('.connector-activity', { hasText: 'Hello, it is Robin.' })
            .locator('.connector-name', { hasText: 'Robin' }).waitFor({ timeout: 15_000 });

        // The resident closes the page; two minutes on, nothing has been seen of them.
        await resident.close();
        skewMs = 120_000;
        await page.reload();
        await page.locator('#presence', { hasText: 'The resident has left the chat' }).waitFor();
        await page.getByLabel('Write to the resident').fill('Are you still there?');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.getByText('Not delivered: the resident has left the chat.', { exact: false }).first().waitFor();
        expect(await page.getByText('Sent to the resident.').count()).to.equal(0);
        await page.locator('#chat li', { hasText: 'Are you still there?' })
            .locator('.not-delivered', { hasText: 'Not delivered' }).waitFor();
        await page.screenshot({ path: path.join(SHOTS, 'workspace-not-delivered.png'), fullPage: true });
        await page.close();
    });
});
