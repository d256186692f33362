/**
 * The live workspace in a real browser: a request made through the bot, on one server instance or another sharing
 * the store, appears on a connector's open page without a reload, announced in a polite live region and counted in
 * the tab title; a resident's message too. On the embedded store with one instance, and on the MongoDB store
 * (FerretDB) with two, where the store is all the instances share.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OUTPUT, axeViolations, launch } from '../helpers/browser';
import { FakeChannel } from '../helpers/fakeChannel';
import { describeWithMongo, freshDatabase, independentHandle, mongoApp } from '../helpers/mongoBot';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { addUser, askForAPerson, PASSWORD } from './helpers';

const TITLE = 'Connectors\' workspace';

/** Signs Sam in on `page` at the server `web`, with the queue showing; script errors are collected. */
async function signedInPage(browser: BrowserContext, web: WebServer, errors: string[]): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    await page.goto(`${web.url}/workspace`);
    await page.getByLabel('Email').fill('sam@example.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Sam (connector)').waitFor();
    await page.locator('#rows tr').first().waitFor();
    return page;
}

/**
 * The scenario on a page served by `pageServer` while the resident talks to `residentServer` (the same one, or
 * another instance on the same store). `shots` names the screenshots.
 */
async function liveScenario(browser: BrowserContext, pageServer: WebServer, residentServer: WebServer, shots: string) {
    await addUser(pageServer.app, 'Sam');
    const errors: string[] = [];
    const page = await signedInPage(browser, pageServer, errors);
    expect(await page.title()).to.equal(TITLE);
    expect(await page.getByLabel('Play a sound for new requests and messages').isChecked(), 'sound off at first')
        .to.equal(false);
    // Marks this load of the page: a reload would lose it.
    await page.evaluate('window.sameLoad = true');

    const channel = new FakeChannel(residentServer.url);
    await channel.start();
    try {
        const reference = await askForAPerson(channel, `live-${shots}`);
        const row = page.locator('#rows tr', { hasText: reference });
        await row.waitFor({ timeout: 20_000 });
        expect(await page.evaluate('window.sameLoad')).to.equal(true);
        const news = page.locator('#live-news');
        await expect_text(news, `New request ${reference}`);
        expect(await news.getAttribute('aria-live')).to.equal('polite');
        expect(await news.getAttribute('role')).to.equal('status');
        expect(await page.title()).to.equal(`(1) ${TITLE}`);
        expect(await row.getAttribute('class')).to.include('fresh');
        await page.screenshot({ path: path.join(OUTPUT, `workspace-live-${shots}.png`) });
        expect(await axeViolations(page), 'the live queue passes axe').to.deep.equal([]);
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: path.join(OUTPUT, `workspace-live-${shots}-390.png`), fullPage: true });
        expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
        await page.setViewportSize({ width: 1280, height: 900 });

        // Opened: no longer counted. Claimed, and a live chat started from this page.
        await page.getByRole('link', { name: reference }).click();
        await page.getByRole('heading', { name: `Request ${reference}` }).waitFor();
        expect(await page.title()).to.equal(TITLE);
        await page.getByRole('button', { name: 'Claim' }).click();
        await page.getByText('You have claimed this request.').waitFor();
        await page.getByLabel('Write to the resident').fill('Hello, I am Sam.');
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.getByText('Sent to the resident.').waitFor();

        // Back on the queue, the resident answers through their server: announced, and counted again.
        await page.getByRole('link', { name: 'Back to the requests' }).click();
        await page.locator('#queue').waitFor();
        const answered = await channel.say(`live-${shots}`, 'Thursday afternoon suits me');
        expect(answered.texts).to.deep.equal([]);
        await expect_text(news, `New message on ${reference}`);
        expect(await page.title()).to.equal(`(1) ${TITLE}`);
        await page.getByRole('link', { name: reference }).click();
        await page.locator('#chat li.from-resident', { hasText: 'Thursday afternoon suits me' }).waitFor();
        expect(await page.title()).to.equal(TITLE);
        expect(await page.evaluate('window.sameLoad')).to.equal(true);

        // The sound: off by default, and remembered once turned on.
        await page.getByLabel('Play a sound for new requests and messages').check();
        await page.reload();
        await page.getByText('Signed in as Sam (connector)').waitFor();
        expect(await page.getByLabel('Play a sound for new requests and messages').isChecked()).to.equal(true);
        expect(errors).to.deep.equal([]);
        await page.close();
    } finally {
        await channel.stop();
    }
}

/** Waits until the locator's text is exactly `text`. */
async function expect_text(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    let last = '';
    while (Date.now() < deadline) {
        last = (await locator.textContent()) ?? '';
        if (last === text) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Expected "${text}", had "${last}"`);
}

describe('the live workspace page on the embedded store, one instance', function () {
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

    it('shows a new request and a resident\'s message without a reload, in the live region and the title', async () => {
        await liveScenario(browser, web, web, 'embedded');
    });
});

describeWithMongo({
    title: 'the live workspace page on the MongoDB store, two instances',
    pending: 'shows a request made through instance B on a page served by instance A',
    note: 'The two-instance live workspace test',
}, function (uri) {
    this.timeout(120_000);
    const database = freshDatabase();
    let a: WebServer;
    let b: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async () => {
        a = await startWebServer({ app: await mongoApp(uri, database) });
        b = await startWebServer({ app: await mongoApp(uri, database) });
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await launch(profile.dir, { width: 1280, height: 900 });
    });
    after(async () => {
        await browser?.close();
        profile?.remove();
        await a?.stop();
        await b?.stop();
        const handle = await independentHandle(uri, database);
        await handle.dropAndClose();
    });

    it('shows a request and a message made through instance B on a page served by instance A, without a reload',
        async () => {
            await liveScenario(browser, a, b, 'two-instances');
        });
});
