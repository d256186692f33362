/** Workspace test helpers: accounts made straight in the store, and a small cookie-keeping API client. */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { App } from '../../src/app';
import type { WorkspaceRole } from '../../src/storage/userStore';
import { hashPassword } from '../../src/workspace/passwords';
import type { FakeChannel } from '../helpers/fakeChannel';
import { sampleEscalation } from '../storage/contract';

export const PASSWORD = 'correct horse battery';

let hashed: Promise<string> | undefined;

/** Adds an account (all share one hash of PASSWORD, so making twenty stays quick). */
export async function addUser(app: App, name: string, role: WorkspaceRole = 'connector') {
    const id = randomUUID();
    await app.stores.users.create({
        id, email: `${name.toLowerCase()}@example.org`, name, role,
        passwordHash: await (hashed ??= hashPassword(PASSWORD)), createdAt: new Date().toISOString(),
    });
    return { id, email: `${name.toLowerCase()}@example.org`, name };
}

/** Stores a new request for contact. */
export async function addEscalation(app: App, over: Parameters<typeof sampleEscalation>[0] = {}) {
    const e = sampleEscalation({ id: randomUUID(), ...over });
    await app.stores.escalations.create(e);
    return e;
}

/** One signed-in browser, as far as the API sees it: a cookie and a CSRF token. */
export class ApiClient {
    cookie = '';
    csrf = '';

    constructor(private readonly base: string) {}

    async signIn(email: string, password = PASSWORD) {
        const res = await this.call('POST', '/session', { email, password });
        if (res.status === 200) {
            this.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
            this.csrf = (res.body as { csrfToken: string }).csrfToken;
        }
        return res;
    }

    async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
        // As the page does: every change sends a JSON body, even an empty one.
        if (body === undefined && method !== 'GET') body = {};
        const res = await fetch(`${this.base}/workspace/api${path}`, {
            method,
            headers: {
                ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
                ...(this.cookie ? { cookie: this.cookie } : {}),
                ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
                ...headers,
            },
            body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as Record<string, any> : {} };
    }
}

/** A resident's hand-off over the Bot Framework protocol, to the point where the request is stored. */
export async function askForAPerson(channel: FakeChannel, conv: string, shareChat = false): Promise<string> {
    await channel.send(conv,
        { type: 'conversationUpdate', membersAdded: [{ id: 'resident-http' }, { id: 'signpost-bot' }] });
    for (const say of ['talk to a person', 'text message', '07700 900456', 'skip', 'evenings']) {
        const { status } = await channel.say(conv, say);
        expect(status, say).to.equal(200);
    }
    expect((await channel.say(conv, 'yes')).status).to.equal(200);
    const done = await channel.say(conv, shareChat ? 'yes' : 'no');
    const m = /Your reference is (SP-[A-Z2-9]{6})/.exec(done.texts.join('\n'));
    expect(m, done.texts.join('\n')).to.not.equal(null);
    return m![1];
}

/**
 * A workspace page in the browser that collects the page's errors (console errors other than those `expected`, such
 * as the 401 before sign-in), signed in as `email`, with the request `reference` opened and claimed.
 */
export async function claimOnPage(browser: BrowserContext, url: string, reference: string,
    options: { email?: string; expected?: RegExp } = {}): Promise<{ page: Page; errors: string[] }> {
    const expected = options.expected ?? /status of 401/;
    const errors: string[] = [];
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        if (m.type() === 'error' && !expected.test(m.text())) errors.push(m.text());
    });
    await page.goto(`${url}/workspace`);
    await page.getByLabel('Email').fill(options.email ?? 'sam@example.org');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: reference }).click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.getByText('You have claimed this request.').waitFor();
    return { page, errors };
}
