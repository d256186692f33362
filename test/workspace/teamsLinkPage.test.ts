/**
 * Linking Teams from the workspace page (issue 20, part 8), in headless Chromium: the connector makes a code on their
 * signed-in page, types it to the bot in Teams (a real Bot Framework message to /api/messages), and the page then says
 * their Teams is linked; unlinking from the page works too. At 390 px wide, with axe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { BrowserContext } from 'playwright-core';
import { OUTPUT, axeViolations, launch } from '../helpers/browser';
import { FakeChannel } from '../helpers/fakeChannel';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { PASSWORD, addUser } from './helpers';

const AAD = '6a3b8f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('linking Teams from the workspace page in headless Chromium', function () {
    this.timeout(60_000);
    let web: WebServer;
    let teams: FakeChannel;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async () => {
        teams = new FakeChannel('http://127.0.0.1:9', 'msteams');
        await teams.start();
        web = await startWebServer();
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await launch(profile.dir, { width: 390, height: 844 });
    });
    after(async () => {
        await browser?.close();
        profile?.remove();
        await web?.stop({ dispose: true });
        await teams?.stop();
    });

    it('shows a one-time code to type in Teams; the page then says Teams is linked, and can unlink', async () => {
        const sam = await addUser(web.app, 'Sam');
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
            if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
        });
        await page.goto(`${web.url}/workspace`);
        await page.getByLabel('Email').fill(sam.email);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Claim from Teams').click();
        await page.getByText('Link your Teams to claim requests').waitFor();
        await page.getByRole('button', { name: 'Link Teams' }).click();
        const shown = page.locator('#teams-code-shown');
        await shown.getByText('link ').waitFor();
        const code = /link (\d{8})/.exec(await shown.innerText())![1]!;
        expect(await axeViolations(page), 'the Teams link panel passes axe').to.deep.equal([]);
        expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(390);
        await page.screenshot({ path: path.join(OUTPUT, 'workspace-teams-link-390.png') });

        const res = await fetch(`${web.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
                type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: teams.serviceUrl,
                text: `link ${code}`, from: { id: '29:sam', name: 'Sam Smith', aadObjectId: AAD },
                recipient: { id: '28:bot', name: 'Signpost' }, conversation: { id: 'a:personal-sam' },
            }),
        });
        expect(res.status).to.equal(200);
        expect(teams.replies.at(-1)!.activity.text).to.equal(web.app.knowledge.wording.text('teamsLinked',
            { name: 'Sam' }));

        await page.reload();
        await page.getByText('Claim from Teams').click();
        await page.getByText('Your Teams is linked').waitFor();
        await page.getByRole('button', { name: 'Unlink Teams' }).click();
        await page.getByText('Unlinked. Claim in Teams no longer works for you.').waitFor();
        expect(await web.app.stores.teamsLinks.byAccount(sam.id)).to.equal(undefined);
        expect(errors).to.deep.equal([]);
    });
});
