import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { addEscalation, addUser, PASSWORD } from './helpers';

const OUTPUT = path.join(projectRoot(), 'test-output');

describe('the workspace page in headless Chromium', function () {
    this.timeout(60_000);
    let web: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async () => {
        web = await startWebServer();
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await chromium.launchPersistentContext(profile.dir, {
            executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 900 },
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
    });
    after(async () => {
        await browser?.close();
        profile?.remove();
        await web?.stop();
    });

    it('is served with a strict policy that forbids framing', async () => {
        const res = await fetch(`${web.url}/workspace`);
        expect(res.headers.get('content-security-policy')).to.include("frame-ancestors 'none'")
            .and.include("script-src 'self'");
        expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(res.headers.get('x-frame-options')).to.equal('DENY');
    });

    it('lets a connector sign in, find a request, claim it, note it, and close it with an outcome', async () => {
        await addUser(web.app, 'Sam');
        const due = new Date(Date.now() - 3_600_000).toISOString();
        await addEscalation(web.app, { reference: 'SP-OVERDU', dueBy: due, priority: 'urgent',
            summary: { needs: ['loneliness'], inOwnWords: 'I have nobody to talk to since my wife died',
                preferences: ['near BS5', 'Tuesdays'], suggested: [{ id: 'x', name: 'Tea and Chat Club' }],
                crisisShown: true } });
        await addEscalation(web.app, { reference: 'SP-ABCDEF' });
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        // The 401s of "not signed in yet" and the wrong password are expected; Chromium logs them as errors.
        page.on('console', (m) => {
            if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
        });
        await page.goto(`${web.url}/workspace`);
        await page.getByLabel('Email').fill('sam@example.org');
        await page.getByLabel('Password').fill('wrong password here');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('That email and password do not match an account.').waitFor();
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('Signed in as Sam (connector)').waitFor();
        const rows = page.locator('#rows tr');
        await rows.first().waitFor();
        expect(await rows.first().textContent()).to.include('SP-OVERDU').and.include('Overdue').and.include('Urgent');
        await page.screenshot({ path: path.join(OUTPUT, 'workspace-queue.png') });

        await page.getByRole('link', { name: 'SP-OVERDU' }).click();
        await page.getByRole('heading', { name: 'Request SP-OVERDU' }).waitFor();
        await page.getByRole('button', { name: 'Claim' }).click();
        await page.getByText('You have claimed this request.').waitFor();
        await page.getByLabel('Add a note').fill('Rang, left a voicemail');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.locator('#audit li', { hasText: 'Rang, left a voicemail' }).waitFor();
        await page.getByRole('button', { name: 'I have made contact' }).click();
        await page.getByText('Marked as in contact.').waitFor();
        await page.getByLabel('Close with outcome').selectOption('connected');
        await page.screenshot({ path: path.join(OUTPUT, 'workspace-detail.png'), fullPage: true });
        await page.getByRole('button', { name: 'Close', exact: true }).click();
        await page.locator('#facts', { hasText: 'Closed: Connected to a service' }).waitFor();
        const stored = await web.app.stores.escalations.getByReference('SP-OVERDU');
        expect(stored).to.deep.include({ status: 'closed', outcome: 'connected' });
        expect((await web.app.stores.escalations.auditTrail('SP-OVERDU')).map((a) => a.action))
            .to.deep.equal(['created', 'claimed', 'note', 'in-contact', 'closed']);
        expect(errors).to.deep.equal([]);
        await page.close();
    });
});
