import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { OUTPUT, axeViolations, launch } from '../helpers/browser';
import { STORE_LIMITS } from '../../src/storage/limits';
import { tempDir } from '../helpers/tmp';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { FakeChannel } from '../helpers/fakeChannel';
import { testApp } from '../helpers/app';
import { ApiClient, addEscalation, addUser, askForAPerson, PASSWORD } from './helpers';


/** A fresh page with no session, collecting script errors (the 401 of "not signed in yet" is expected). */
async function freshPage(browser: BrowserContext, errors: string[]): Promise<Page> {
    await browser.clearCookies();
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
    });
    return page;
}

async function signIn(page: Page, url: string, email: string): Promise<void> {
    await page.goto(url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the workspace page in headless Chromium', function () {
    this.timeout(60_000);
    let web: WebServer;
    let browser: BrowserContext;
    let profile: ReturnType<typeof tempDir>;

    before(async () => {
        // Every test signs in from one address: more than the default 20 sign-ins a minute when the tests run fast.
        web = await startWebServer({ app: testApp({ env: { SIGNPOST_LIMIT_SIGNINS_PER_MINUTE: '200' } }) });
        profile = tempDir('signpost-chromium-');
        fs.mkdirSync(OUTPUT, { recursive: true });
        browser = await launch(profile.dir, { width: 1280, height: 900 });
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
        // Urgent and not yet late: "contact today" (or the day it is owed by), never "Overdue" from the start.
        const soon = new Date(Date.now() + 60_000);
        await addEscalation(web.app, { reference: 'SP-URGENT', dueBy: soon.toISOString(), priority: 'urgent' });
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
        const urgentRow = await rows.filter({ hasText: 'SP-URGENT' }).textContent();
        expect(urgentRow).to.not.include('Overdue');
        expect(urgentRow).to.match(soon.toDateString() === new Date().toDateString()
            ? /Contact today, by \d\d:\d\d/ : /Contact by \w+day \d\d:\d\d/);
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

    it('lets a connector chat live with the resident, end the chat and close, with no WCAG A/AA faults', async () => {
        const channel = new FakeChannel(web.url);
        await channel.start();
        try {
            const w = web.app.knowledge.wording;
            const conv = 'page-live';
            const reference = await askForAPerson(channel, conv);
            await addUser(web.app, 'Robin');
            const errors: string[] = [];
            const page = await freshPage(browser, errors);
            await signIn(page, `${web.url}/workspace`, 'robin@example.org');
            await page.getByText('Signed in as Robin (connector)').waitFor();
            await page.locator('#rows tr', { hasText: reference }).waitFor();
            // Needs are shown by their plain labels, not their ids (SP-ABCDEF, from the test before, has one).
            expect(await page.locator('#rows tr', { hasText: 'SP-ABCDEF' }).textContent())
                .to.include('Feeling lonely or wanting company').and.not.include('loneliness');
            expect(await page.getByRole('link', { name: 'Reports' }).isHidden()).to.equal(true);
            expect(await axeViolations(page), 'queue passes axe').to.deep.equal([]);

            await page.getByRole('link', { name: reference }).click();
            await page.getByRole('heading', { name: `Request ${reference}` }).waitFor();
            await page.getByText('Claim this request to write to the resident.').waitFor();
            expect(await page.locator('#reply-form').isHidden()).to.equal(true);
            await page.getByRole('button', { name: 'Claim' }).click();
            await page.getByText('You have claimed this request.').waitFor();
            expect(await page.getByRole('button', { name: 'End chat' }).isHidden()).to.equal(true);

            const before = channel.replies.length;
            await page.getByLabel('Write to the resident').fill('Hello, I am Robin. When is a good time to ring?');
            await page.getByRole('button', { name: 'Send', exact: true }).click();
            await page.getByText('Sent to the resident.').waitFor();
            await page.locator('#chat li', { hasText: 'When is a good time to ring?' }).waitFor();
            expect(channel.replies.slice(before).map((r) => r.activity.text)).to.deep.equal([
                w.text('relayStarted', { name: 'Robin' }),
                w.text('relayMessage', { name: 'Robin', text: 'Hello, I am Robin. When is a good time to ring?' }),
            ]);
            expect(await page.getByLabel('Write to the resident').inputValue()).to.equal('');

            // The resident answers in their chat; the bot stays silent and the page shows it without a reload.
            const answer = await channel.say(conv, 'Tuesday morning is best, thank you');
            expect(answer.texts).to.deep.equal([]);
            await page.locator('#chat li.from-resident', { hasText: 'Tuesday morning is best' })
                .waitFor({ timeout: 15_000 });

            const api = new ApiClient(web.url);
            await api.signIn('robin@example.org');
            const detail = await api.call('GET', `/escalations/${reference}`);
            expect(detail.body.messages.map((m: { from: string; name?: string; text: string }) =>
                `${m.from} ${m.name ?? ''}: ${m.text}`)).to.deep.equal([
                'connector Robin: Hello, I am Robin. When is a good time to ring?',
                'resident : Tuesday morning is best, thank you',
            ]);

            // A long chat: the page keeps what the store keeps, the newest, and says how many earlier ones went.
            const cap = STORE_LIMITS.liveChatLines;
            for (let i = 1; i <= cap; i++) {
                await web.app.stores.escalations.appendChat(reference,
                    { at: new Date().toISOString(), actor: 'resident', action: 'resident-message',
                        detail: `more ${i}` });
            }
            await page.locator('#chat li', { hasText: `more ${cap}` }).waitFor({ timeout: 15_000 });
            expect(await page.locator('#chat li').count()).to.equal(cap);
            expect(await page.locator('#chat li').first().textContent()).to.include('more 1');
            expect(await page.locator('#chat-dropped').textContent())
                .to.equal(`2 earlier messages are no longer kept. Only the last ${cap} messages are kept.`);

            await page.screenshot({ path: path.join(OUTPUT, 'workspace-reply.png'), fullPage: true });
            expect(await axeViolations(page), 'detail with a live chat passes axe').to.deep.equal([]);

            const ending = channel.replies.length;
            await page.getByRole('button', { name: 'End chat' }).click();
            await page.getByText('Chat ended.', { exact: false }).waitFor();
            expect(channel.replies.slice(ending).map((r) => r.activity.text))
                .to.deep.equal([w.text('relayEnded', { name: 'Robin' })]);
            // The page re-renders the request after saying so: the button goes (this fails if it never does).
            await page.getByRole('button', { name: 'End chat' }).waitFor({ state: 'hidden', timeout: 10_000 });

            await page.getByLabel('Close with outcome').selectOption('advice-given');
            await page.getByRole('button', { name: 'Close', exact: true }).click();
            await page.locator('#facts', { hasText: 'Closed: Advice given' }).waitFor();
            expect(await page.locator('#reply-form').isHidden()).to.equal(true);
            expect((await web.app.stores.escalations.auditTrail(reference)).map((a) => a.action)).to.deep.equal([
                'created', 'claimed', 'relay-started', 'relay-ended', 'closed',
            ]);
            expect(errors).to.deep.equal([]);
            await page.close();
        } finally {
            await channel.stop();
        }
    });

    it('shows leads a report with bar charts, and no WCAG A/AA faults', async () => {
        await addUser(web.app, 'Lee', 'lead');
        await web.app.stores.analytics.recordUnmet(['money-debt', 'housing'], new Date().toISOString());
        await web.app.stores.analytics.recordUnmet(['money-debt'], new Date().toISOString());
        const errors: string[] = [];
        const page = await freshPage(browser, errors);
        await signIn(page, `${web.url}/workspace`, 'lee@example.org');
        await page.getByText('Signed in as Lee (lead)').waitFor();
        await page.getByRole('link', { name: 'Reports' }).click();
        await page.getByRole('heading', { name: 'Reports', level: 2 }).waitFor();
        const unmet = page.locator('#chart-unmet li');
        await unmet.first().waitFor();
        expect(await unmet.allTextContents()).to.deep.equal([
            'Money, debt or benefits worriesfewer than 5', 'Housing or a place to livefewer than 5',
        ]);
        expect(await page.locator('#chart-weeks li').count()).to.equal(12);
        expect(await page.locator('#report-summary').textContent())
            .to.include('Median time from a request to first contact')
            // The tests before marked one request in contact, this week.
            .and.include('(fewer than 5 requests marked as in contact).');
        await page.screenshot({ path: path.join(OUTPUT, 'workspace-reports.png'), fullPage: true });
        expect(await axeViolations(page), 'reports pass axe').to.deep.equal([]);
        expect(errors).to.deep.equal([]);
        await page.close();
    });
    it('lets a lead see a locked account and unlock it, and no WCAG A/AA faults', async () => {
        await addUser(web.app, 'Lou', 'lead');
        await addUser(web.app, 'Pat');
        for (let i = 0; i < 5; i++) await new ApiClient(web.url).signIn('pat@example.org', 'wrong password guess');
        expect((await new ApiClient(web.url).signIn('pat@example.org')).status).to.equal(423);
        const errors: string[] = [];
        const page = await freshPage(browser, errors);
        await signIn(page, `${web.url}/workspace`, 'lou@example.org');
        await page.getByText('Signed in as Lou (lead)').waitFor();
        await page.getByRole('link', { name: 'Accounts' }).click();
        await page.getByRole('heading', { name: 'Accounts', level: 2 }).waitFor();
        const pat = page.getByRole('row').filter({ hasText: 'pat@example.org' });
        expect(await pat.textContent()).to.include('Locked until');
        expect(await axeViolations(page), 'accounts pass axe').to.deep.equal([]);
        await page.getByRole('button', { name: 'Unlock Pat' }).click();
        await page.getByText('Pat can sign in again now.').waitFor();
        await pat.getByText('Can sign in').waitFor();
        expect((await new ApiClient(web.url).signIn('pat@example.org')).status).to.equal(200);
        expect(errors).to.deep.equal([]);
        await page.close();
    });
    it('marks a request whose number another open request has, and shows what a repeat added, with no WCAG faults',
        async () => {
            await addUser(web.app, 'Ash');
            await addEscalation(web.app, { reference: 'SP-SHARE2' });
            await addEscalation(web.app, { reference: 'SP-SHARE3', sameContactAs: ['SP-SHARE2'],
                contact: { method: 'text', value: '07700900123' } });
            await web.app.stores.escalations.mergeRepeat('SP-SHARE2', new Date().toISOString(), { at: new Date().toISOString(),
                actor: 'resident', action: 'repeated', detail: 'urgent; needs: money-debt; method: text' });
            const errors: string[] = [];
            const page = await freshPage(browser, errors);
            await signIn(page, `${web.url}/workspace#SP-SHARE3`, 'ash@example.org');
            await page.getByRole('heading', { name: 'Request SP-SHARE3' }).waitFor();
            expect(await page.locator('#facts').textContent()).to.include('Same phone number as SP-SHARE2');
            expect(await axeViolations(page), 'detail passes axe').to.deep.equal([]);
            await page.locator('#facts').getByRole('link', { name: 'SP-SHARE2' }).click();
            await page.getByRole('heading', { name: 'Request SP-SHARE2' }).waitFor();
            const repeat = await page.locator('#audit li', { hasText: 'asked again' }).textContent();
            expect(repeat).to.include(`new needs: ${web.app.engine.askLabel('money-debt')}`)
                .and.include('by text message').and.not.include('money-debt');
            expect(errors).to.deep.equal([]);
            await page.close();
        });

    it('shows each request\'s language and interpreter wish, and filters the queue by language, with no WCAG faults',
        async () => {
            await addUser(web.app, 'Kai');
            await addEscalation(web.app, { reference: 'SP-LANGPL', language: { code: 'pl', interpreter: true } });
            await addEscalation(web.app, { reference: 'SP-LANGCY', language: { code: 'cy', interpreter: false } });
            const errors: string[] = [];
            const page = await freshPage(browser, errors);
            await signIn(page, `${web.url}/workspace`, 'kai@example.org');
            await page.locator('#rows tr').first().waitFor();
            await page.getByLabel('Language').fill('Polish');
            await page.getByRole('button', { name: 'Show' }).click();
            await page.getByText('Showing 1 of 1.').waitFor();
            expect(await page.locator('#rows tr').textContent()).to.include('SP-LANGPL')
                .and.include('Polish, interpreter wanted');
            expect(await axeViolations(page), 'queue passes axe').to.deep.equal([]);
            await page.getByRole('link', { name: 'SP-LANGPL' }).click();
            await page.getByRole('heading', { name: 'Request SP-LANGPL' }).waitFor();
            expect(await page.locator('#facts').textContent()).to.include('LanguagePolish, interpreter wanted');
            expect(errors).to.deep.equal([]);
            await page.close();
        });

    it('shows a request made for someone else: who they are to the asker, a professional, and their agreement',
        async () => {
            await addUser(web.app, 'Kit');
            await addEscalation(web.app, { reference: 'SP-BEHLF2',
                onBehalf: { relation: 'parent', word: 'dad', professional: false, agrees: 'unsure' } });
            await addEscalation(web.app, { reference: 'SP-BEHLF3',
                onBehalf: { relation: 'client', word: 'client', professional: true, agrees: 'yes',
                    contactOf: 'person' } });
            const errors: string[] = [];
            const page = await freshPage(browser, errors);
            await signIn(page, `${web.url}/workspace#SP-BEHLF2`, 'kit@example.org');
            await page.getByRole('heading', { name: 'Request SP-BEHLF2' }).waitFor();
            const dad = await page.locator('#facts').textContent();
            expect(dad).to.include('asking for their dad').and.include('The asker is not sure')
                .and.include('The contact details are theirs').and.not.include('Referred by a professional');
            expect(await axeViolations(page), 'detail passes axe').to.deep.equal([]);
            await page.goto(`${web.url}/workspace#SP-BEHLF3`);
            await page.getByRole('heading', { name: 'Request SP-BEHLF3' }).waitFor();
            expect(await page.locator('#facts').textContent()).to.include('Referred by a professional')
                .and.include('asking for their client').and.include('Yes, the asker says so')
                .and.include('The contact details are the person\'s own');
            expect(errors).to.deep.equal([]);
            await page.close();
        });

    it('shows the queue fifty at a time, more on request, with requests asked for again marked', async () => {
        await addUser(web.app, 'Mo');
        const abc = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
        for (let i = 0; i < 55; i++) {
            await addEscalation(web.app, { reference: `SP-Q${abc[Math.floor(i / 32)]}${abc[i % 32]}MMM`,
                dueBy: new Date(Date.now() + (i + 1) * 3_600_000).toISOString() });
        }
        await web.app.stores.escalations.mergeRepeat('SP-QAAMMM', new Date().toISOString(),
            { at: new Date().toISOString(), actor: 'resident', action: 'repeated', detail: 'urgent' });
        // The queue shows open requests unless asked for closed ones too.
        const total = (await web.app.stores.escalations.list()).filter((e) => e.status !== 'closed').length;
        const errors: string[] = [];
        const page = await freshPage(browser, errors);
        await signIn(page, `${web.url}/workspace`, 'mo@example.org');
        await page.getByText(`Showing 50 of ${total}.`).waitFor();
        expect(await page.locator('#rows tr').count()).to.equal(50);
        expect(await page.getByRole('row').filter({ hasText: 'SP-QAAMMM' }).textContent())
            .to.include('Urgent (asked again: once)');
        await page.getByRole('button', { name: 'Show more requests' }).click();
        await page.getByText(`Showing ${total} of ${total}.`).waitFor();
        expect(await page.locator('#rows tr').count()).to.equal(total);
        expect(await page.getByRole('button', { name: 'Show more requests' }).isHidden()).to.equal(true);
        expect(await axeViolations(page), 'queue passes axe').to.deep.equal([]);
        expect(errors).to.deep.equal([]);
        await page.close();
    });

    describe('on a phone (390 px) and a tablet (768 px)', () => {
        let closedRef: string;
        before(async () => {
            const kim = await addUser(web.app, 'Kim');
            await addUser(web.app, 'Lou', 'lead');
            await addEscalation(web.app, { reference: 'SP-NARROW', priority: 'urgent',
                dueBy: new Date(Date.now() - 3_600_000).toISOString(),
                contact: { method: 'email', name: 'Pat',
                    value: 'a.very.long.address.for.a.resident@example-housing-association.org.uk' },
                summary: { needs: ['loneliness', 'money-debt'], preferences: [], suggested: [], crisisShown: true,
                    inOwnWords: 'I have nobody to talk to since my wife died' } });
            closedRef = (await addEscalation(web.app, { reference: 'SP-SHUTKM' })).reference;
            const actor = { at: new Date().toISOString(), actor: kim.id };
            await web.app.stores.escalations.change(closedRef, { from: ['new'], to: 'claimed',
                assignee: { id: kim.id, name: 'Kim' }, audit: { ...actor, action: 'claimed' } });
            await web.app.stores.escalations.change(closedRef, { from: ['claimed'], to: 'closed', outcome: 'connected',
                audit: { ...actor, action: 'closed', detail: 'connected' } });
        });

        for (const width of [390, 768]) {
            it(`fits ${width} px with no sideways scroll, "Sign out" in view, and no WCAG A/AA faults`, async () => {
                const profileDir = tempDir('signpost-chromium-narrow-');
                const narrow = await launch(profileDir.dir, { width, height: 844 });
                try {
                    const errors: string[] = [];
                    let page = await freshPage(narrow, errors);
                    await signIn(page, `${web.url}/workspace`, 'kim@example.org');
                    await page.getByText('Signed in as Kim (connector)').waitFor();
                    await page.locator('#rows tr', { hasText: 'SP-NARROW' }).waitFor();
                    const fits = async (what: string) => {
                        const { scroll, client } = await page.evaluate(`({
                            scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                        })`) as { scroll: number; client: number };
                        expect(scroll, `${what}: page width at ${width} px`).to.be.at.most(client);
                        const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
                        expect(signOut, `${what}: Sign out shown`).to.not.equal(null);
                        expect(signOut!.x + signOut!.width, `${what}: Sign out in view`).to.be.at.most(client);
                        expect(await axeViolations(page), `${what} passes axe at ${width} px`).to.deep.equal([]);
                    };
                    await fits('queue');
                    await page.screenshot({ path: `/tmp/i20-queue-${width}.png`, fullPage: true });
                    // The need by a word for it, and the connector's own requests (Kim has only a closed one).
                    expect(await page.locator('#need-list option').count()).to.be.above(5);
                    await page.getByLabel('Need', { exact: true }).fill('lonely');
                    await page.getByLabel('Whose').selectOption('mine');
                    await page.getByRole('button', { name: 'Show', exact: true }).click();
                    await page.getByText('No requests match.').waitFor();
                    await page.getByLabel('Whose').selectOption('');
                    await page.getByRole('button', { name: 'Show', exact: true }).click();
                    await page.locator('#rows tr', { hasText: 'SP-NARROW' }).waitFor();
                    await page.getByRole('link', { name: 'SP-NARROW' }).click();
                    await page.getByRole('heading', { name: 'Request SP-NARROW' }).waitFor();
                    await fits('request');
                    await page.screenshot({ path: `/tmp/i20-detail-${width}.png`, fullPage: true });
                    // The holder of a closed request is told it is closed, not that only its holder may write.
                    await page.goto(`${web.url}/workspace#${closedRef}`);
                    await page.getByRole('heading', { name: `Request ${closedRef}` }).waitFor();
                    const state = await page.locator('#chat-state').textContent();
                    expect(state).to.equal('This request is closed, so nobody can write to the resident from here.');
                    await fits('closed request');
                    await page.screenshot({ path: `/tmp/i20-closed-${width}.png`, fullPage: true });
                    expect(errors).to.deep.equal([]);
                    await page.close();
                    // A lead's pages: the report's bar charts and the accounts.
                    const lead = await freshPage(narrow, errors);
                    await signIn(lead, `${web.url}/workspace`, 'lou@example.org');
                    await lead.getByText('Signed in as Lou (lead)').waitFor();
                    await lead.getByRole('link', { name: 'Reports' }).click();
                    await lead.locator('#chart-weeks li').first().waitFor();
                    page = lead;
                    await fits('reports');
                    await lead.screenshot({ path: `/tmp/i20-reports-${width}.png`, fullPage: true });
                    await lead.getByRole('link', { name: 'Accounts' }).click();
                    await lead.locator('#account-rows tr').first().waitFor();
                    await fits('accounts');
                    await lead.screenshot({ path: `/tmp/i20-accounts-${width}.png`, fullPage: true });
                    expect(errors).to.deep.equal([]);
                    await lead.close();
                } finally {
                    await narrow.close();
                    profileDir.remove();
                }
            });
        }
    });
});
