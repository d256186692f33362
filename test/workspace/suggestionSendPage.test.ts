/**
 * Sending chosen listings by text from the workspace page, in headless Chromium at a phone's width: the resident
 * asked for a text at their mobile, so beside "Send 2 to the resident" (the live chat) the page offers "Send by
 * text"; the text goes to the provider from Sam at the service, and the request's history says so without the number.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { OutboundKind, OutboundMessage, Sender, SendResult } from '../../src/sending/port';
import { testApp } from '../helpers/app';
import { OUTPUT, axeViolations, launch } from '../helpers/browser';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { addUser, askForAPerson, claimOnPage } from './helpers';

/** The provider at the sending port: records what it is given. */
class RecordingSender implements Sender {
    readonly sent: OutboundMessage[] = [];
    readonly kinds: readonly OutboundKind[] = ['sms', 'email'];
    async send(message: OutboundMessage): Promise<SendResult> {
        this.sent.push(structuredClone(message));
        return { ok: true, providerId: `p${this.sent.length}` };
    }
}

describe('sending suggestions by text from the workspace page in headless Chromium', function () {
    this.timeout(90_000);
    let web: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;
    const sender = new RecordingSender();

    before(async () => {
        web = await startWebServer({ app: testApp({ sender }) });
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await launch(profile.dir, { width: 390, height: 844 });
    });
    after(async () => {
        await browser?.close();
        profile?.remove();
        await web?.stop({ dispose: true });
    });

    it('offers "Send by text" for a resident who asked for texts, sends it, and shows the audit line', async () => {
        const channel = new FakeChannel(web.url);
        await channel.start();
        try {
            // The resident asks to be contacted by text at 07700 900456.
            const reference = await askForAPerson(channel, 'suggest-by-text');
            await addUser(web.app, 'Sam');
            const { page, errors } = await claimOnPage(browser, web.url, reference);

            await page.getByRole('link', { name: 'Find support for this person' }).click();
            await page.getByText(`For request ${reference}.`).waitFor();
            expect(await page.locator('#directory-for').textContent()).to.include('or by text');
            await page.getByLabel('What the person needs').fill('I feel lonely since my wife died');
            await page.getByRole('button', { name: 'Search', exact: true }).click();
            await page.locator('#listings > li').first().waitFor();
            const names = (await page.locator('#listings > li h3').allTextContents()).slice(0, 2);
            // Nothing chosen: no way to send.
            expect(await page.getByRole('button', { name: 'Send by text' }).isVisible()).to.equal(false);
            await page.getByLabel(`Choose ${names[0]}`).check();
            await page.getByLabel(`Choose ${names[1]}`).check();
            const byText = page.getByRole('button', { name: 'Send by text' });
            await byText.waitFor();
            await page.getByRole('button', { name: 'Send 2 to the resident' }).waitFor();
            expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
            await byText.scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(OUTPUT, 'workspace-send-by-text-390.png') });
            expect(await axeViolations(page), 'the directory passes axe').to.deep.equal([]);

            await byText.click();
            await page.getByText(`Sent by text: ${names[0]}; ${names[1]}.`).waitFor();
            await page.getByRole('heading', { name: `Request ${reference}` }).waitFor();
            const line = page.locator('#audit li', { hasText: 'Sam suggested to the resident: 2 services, by text' });
            await line.waitFor();
            expect(await line.textContent()).to.include(`${names[0]}; ${names[1]}`).and.not.include('900456');
            expect(sender.sent).to.have.length(1);
            expect(sender.sent[0]).to.include({ kind: 'sms', to: '+447700900456' });
            expect(sender.sent[0]!.text).to.include(`From Sam at ${web.app.config.serviceName}`);
            expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
            await line.scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(OUTPUT, 'workspace-sent-by-text-390.png') });
            expect(errors).to.deep.equal([]);
            await page.close();
        } finally {
            await channel.stop();
        }
    });
});
