/**
 * Claim from Teams (issue 20, part 8), over the Bot Framework protocol: the real server and its CloudAdapter (no
 * authentication, as locally), invoke activities in the shape Teams sends for an Adaptive Card's Action.Execute, and a
 * fake Teams service that captures the card the bot posts and updates.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { usersCommand } from '../../src/cli/users';
import { LINK_TRIES_PER_TEAMS_USER } from '../../src/handoff/teamsLink';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from '../workspace/helpers';

const CHANNEL = '19:connectors@thread.tacv2';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SAM_AAD = '6a3b8f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ALEX_AAD = '0f1e2d3c-4b5a-4968-8776-655443322110';
const STRANGER_AAD = '11111111-2222-4333-8444-555555555555';

describe('claiming a request from its card in Teams', () => {
    let web: WebServer;
    let teams: FakeChannel;
    let resident: FakeChannel;

    beforeEach(async () => {
        teams = new FakeChannel('http://127.0.0.1:9', 'msteams');
        await teams.start();
        const app = testApp({ env: {
            SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: JSON.stringify({ channelId: 'msteams', serviceUrl: teams.serviceUrl,
                conversation: { id: CHANNEL, tenantId: TENANT } }),
            SIGNPOST_PUBLIC_URL: 'https://chat.example.org',
        } });
        web = await startWebServer({ app });
        resident = new FakeChannel(web.url);
        await resident.start();
    });
    afterEach(async () => {
        await resident.stop();
        await teams.stop();
        await web.stop({ dispose: true });
    });

    /** What Teams posts to /api/messages when someone presses the card's Claim (Universal Actions). */
    function claimActivity(aadObjectId: string, reference: string, over: Record<string, unknown> = {}) {
        return {
            type: 'invoke',
            name: 'adaptiveCard/action',
            id: `f:${randomUUID()}`,
            channelId: 'msteams',
            serviceUrl: teams.serviceUrl,
            timestamp: new Date().toISOString(),
            from: { id: `29:${aadObjectId}`, name: 'A connector', aadObjectId },
            recipient: { id: '28:signpost-bot', name: 'Signpost' },
            conversation: { id: `${CHANNEL};messageid=1700000000000`, isGroup: true, conversationType: 'channel',
                tenantId: TENANT },
            channelData: { tenant: { id: TENANT }, channel: { id: CHANNEL }, team: { id: CHANNEL } },
            replyToId: teams.replies[0]?.activityId,
            locale: 'en-GB',
            value: {
                action: { type: 'Action.Execute', id: 'claim', verb: 'claim', data: { reference } },
                trigger: 'manual',
            },
            ...over,
        };
    }

    /** Posts one activity as Teams would; the HTTP answer (an invoke's answer is its body). */
    async function post(activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
        const res = await fetch(`${web.url}/api/messages`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
    }

    /** A message typed to the bot in a personal chat in Teams; the texts the bot sent back. */
    async function sayInTeams(aadObjectId: string, text: string): Promise<string[]> {
        const before = teams.replies.length;
        const { status } = await post({
            type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: teams.serviceUrl,
            timestamp: new Date().toISOString(), text, locale: 'en-GB',
            from: { id: `29:${aadObjectId}`, name: 'A connector', aadObjectId },
            recipient: { id: '28:signpost-bot', name: 'Signpost' },
            conversation: { id: `a:personal-${aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
            channelData: { tenant: { id: TENANT } },
        });
        expect(status).to.equal(200);
        return teams.replies.slice(before).map((r) => r.activity.text ?? '');
    }

    const wording = (key: Parameters<WebServer['app']['knowledge']['wording']['text']>[0], vars = {}) =>
        web.app.knowledge.wording.text(key, vars);

    /** A lead links the account to the Teams user with the command, as operations.md says. */
    async function leadLinks(email: string, aad: string): Promise<void> {
        const lines: string[] = [];
        const code = await usersCommand(['link', email, aad],
            { env: { SIGNPOST_DATA_DIR: web.app.dataDir, LOG_LEVEL: 'silent' }, out: (l) => lines.push(l) });
        expect(code, lines.join('\n')).to.equal(0);
    }

    it('posts a card whose Claim is an Action.Execute with the reference, and an Open button', async () => {
        const reference = await askForAPerson(resident, 'teams-card');
        const card = teams.replies[0]!.activity.attachments![0]!.content;
        expect(card.version).to.equal('1.5');
        expect(card.actions).to.deep.equal([
            { type: 'Action.Execute', title: 'Claim', verb: 'claim', data: { reference } },
            { type: 'Action.OpenUrl', title: 'Open', url: `https://chat.example.org/workspace#${reference}` },
        ]);
    });

    it('tells a Teams user who is not linked how to link, and claims nothing', async () => {
        const reference = await askForAPerson(resident, 'teams-unlinked');
        const res = await post(claimActivity(STRANGER_AAD, reference));
        expect(res.status).to.equal(200);
        expect(res.body).to.deep.equal({
            statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: wording('teamsLinkFirst'),
        });
        expect((await web.app.stores.escalations.getByReference(reference))!.status).to.equal('new');
        expect(teams.updates).to.have.length(0);
    });

    it('claims as the linked account: the answer is the updated card, the channel\'s card is updated, the audit '
        + 'line says "from Teams"', async () => {
        const reference = await askForAPerson(resident, 'teams-linked');
        const posted = teams.replies[0]!;
        const sam = await addUser(web.app, 'Sam');
        await leadLinks(sam.email, SAM_AAD);

        const res = await post(claimActivity(SAM_AAD.toUpperCase(), reference));
        expect(res.status).to.equal(200);
        expect(res.body).to.include({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
        const card = res.body.value;
        expect(card).to.include({ type: 'AdaptiveCard', version: '1.5' });
        expect(card.body[0].text).to.equal(`Request ${reference}: claimed by Sam`);
        expect(card.body[1].facts).to.deep.include({ title: 'Status', value: 'Claimed by Sam' });
        expect(card.actions.map((a: { title: string }) => a.title)).to.deep.equal(['Open']);

        const stored = (await web.app.stores.escalations.getByReference(reference))!;
        expect(stored).to.deep.include({ status: 'claimed', assignee: { id: sam.id, name: 'Sam' } });
        const audit = await web.app.stores.escalations.auditTrail(reference);
        expect(audit.at(-1)).to.deep.include({ actor: sam.id, action: 'claimed', detail: 'from Teams' });
        // The message in the channel is updated too, for anyone whose Teams shows the card as it was posted.
        expect(teams.updates).to.have.length(1);
        expect(teams.updates[0]).to.include({ conversationId: CHANNEL, activityId: posted.activityId });
        expect(teams.updates[0]!.activity.attachments![0]!.content).to.deep.equal(card);
        // The workspace sees it claimed by Sam.
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        const seen = await api.call('GET', `/escalations/${reference}`);
        expect(seen.body.escalation).to.deep.include({ status: 'claimed' });
        expect(seen.body.audit.at(-1)).to.deep.include({ action: 'claimed', detail: 'from Teams', actorName: 'Sam' });
    });

    it('a curator account holds no resident\'s request: `users link` refuses it, and a curator linked by hand claims '
        + 'nothing', async () => {
        const cara = await addUser(web.app, 'Cara', 'curator');
        const code = await usersCommand(['link', cara.email, SAM_AAD],
            { env: { SIGNPOST_DATA_DIR: web.app.dataDir, LOG_LEVEL: 'silent' }, out: () => undefined });
        expect(code).to.equal(1);
        expect(await web.app.stores.teamsLinks.byAccount(cara.id)).to.equal(undefined);
        // A link made before this check, straight in the store: Claim tells them to link, and claims nothing.
        await web.app.stores.teamsLinks.link({ aadObjectId: SAM_AAD, userId: cara.id, via: 'lead',
            linkedAt: new Date().toISOString() });
        const reference = await askForAPerson(resident, 'teams-curator');
        const res = await post(claimActivity(SAM_AAD, reference));
        expect(res.body.value).to.equal(wording('teamsLinkFirst'));
        const e = await web.app.stores.escalations.getByReference(reference);
        expect(e).to.include({ status: 'new' });
        expect(e!.assignee).to.equal(undefined);
    });

    it('refuses a Teams user of another tenant even with a linked object id', async () => {
        const reference = await askForAPerson(resident, 'teams-tenant');
        const sam = await addUser(web.app, 'Sam');
        await leadLinks(sam.email, SAM_AAD);
        const other = { tenant: { id: '00000000-0000-4000-8000-000000000000' } };
        const res = await post(claimActivity(SAM_AAD, reference, { channelData: other,
            conversation: { id: CHANNEL, conversationType: 'channel', tenantId: other.tenant.id } }));
        expect(res.body).to.include({ type: 'application/vnd.microsoft.activity.message' });
        expect((await web.app.stores.escalations.getByReference(reference))!.status).to.equal('new');
    });

    describe('a claim race between Teams and the workspace', () => {
        let reference: string;
        let alex: ApiClient;
        let sam: { id: string; email: string };
        let alexUser: { id: string };

        beforeEach(async () => {
            reference = await askForAPerson(resident, `teams-race-${randomUUID()}`);
            sam = await addUser(web.app, 'Sam');
            await leadLinks(sam.email, SAM_AAD);
            alexUser = await addUser(web.app, 'Alex');
            alex = new ApiClient(web.url);
            expect((await alex.signIn('alex@example.org')).status).to.equal(200);
        });

        it('Teams first: the workspace is told Sam has it', async () => {
            expect((await post(claimActivity(SAM_AAD, reference))).body.value.body[0].text)
                .to.equal(`Request ${reference}: claimed by Sam`);
            const late = await alex.call('POST', `/escalations/${reference}/claim`);
            expect(late.status).to.equal(409);
            expect(late.body.error.holder).to.deep.include({ name: 'Sam' });
            expect((await web.app.stores.escalations.getByReference(reference))!.assignee!.id).to.equal(sam.id);
        });

        it('workspace first: the card Teams gets back says Alex has it', async () => {
            expect((await alex.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
            const late = await post(claimActivity(SAM_AAD, reference));
            expect(late.body).to.include({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
            expect(late.body.value.body[0].text).to.equal(`Request ${reference}: claimed by Alex`);
            expect(late.body.value.body[1].facts).to.deep.include({ title: 'Status', value: 'Claimed by Alex' });
            expect((await web.app.stores.escalations.getByReference(reference))!.assignee!.id).to.equal(alexUser.id);
            const audit = await web.app.stores.escalations.auditTrail(reference);
            expect(audit.filter((a) => a.action === 'claimed')).to.have.length(1);
        });

        it('at the same moment: one winner, and the loser is told who has it', async () => {
            const [fromTeams, fromWorkspace] = await Promise.all([
                post(claimActivity(SAM_AAD, reference)), alex.call('POST', `/escalations/${reference}/claim`)]);
            const holder = (await web.app.stores.escalations.getByReference(reference))!.assignee!;
            const audit = await web.app.stores.escalations.auditTrail(reference);
            expect(audit.filter((a) => a.action === 'claimed')).to.have.length(1);
            const name = holder.id === sam.id ? 'Sam' : 'Alex';
            expect(fromTeams.body.value.body[0].text).to.equal(`Request ${reference}: claimed by ${name}`);
            if (name === 'Sam') {
                expect(fromWorkspace.status).to.equal(409);
                expect(fromWorkspace.body.error.holder).to.deep.include({ name: 'Sam' });
            } else {
                expect(fromWorkspace.status).to.equal(200);
            }
        });

        it('two Teams users at the same moment: one winner, both cards say who', async () => {
            const alexLinked = await usersCommand(['link', 'alex@example.org', ALEX_AAD],
                { env: { SIGNPOST_DATA_DIR: web.app.dataDir, LOG_LEVEL: 'silent' }, out: () => undefined });
            expect(alexLinked).to.equal(0);
            const answers = await Promise.all([post(claimActivity(SAM_AAD, reference)),
                post(claimActivity(ALEX_AAD, reference))]);
            const holder = (await web.app.stores.escalations.getByReference(reference))!.assignee!;
            const texts = answers.map((a) => a.body.value.body[0].text);
            expect(texts).to.deep.equal([0, 1].map(() => `Request ${reference}: claimed by ${holder.name}`));
        });
    });

    describe('linking with a one-time code from the workspace', () => {
        let sam: { id: string; email: string };
        let api: ApiClient;

        beforeEach(async () => {
            sam = await addUser(web.app, 'Sam');
            api = new ApiClient(web.url);
            await api.signIn(sam.email);
        });

        it('links the Teams user who types the code, once; Claim then works as that account', async () => {
            expect((await api.call('GET', '/teams/link')).body).to.deep.equal({ linked: false });
            const made = await api.call('POST', '/teams/link-code');
            expect(made.status).to.equal(201);
            expect(made.body.code).to.match(/^\d{8}$/);
            expect(Date.parse(made.body.expiresAt) - Date.now()).to.be.within(9 * 60_000, 10 * 60_000 + 1000);

            expect(await sayInTeams(SAM_AAD, `link ${made.body.code}`))
                .to.deep.equal([wording('teamsLinked', { name: 'Sam' })]);
            expect((await api.call('GET', '/teams/link')).body).to.deep.include({ linked: true, via: 'code' });
            // Single use: the same code a second time, from anyone, links nobody.
            expect(await sayInTeams(STRANGER_AAD, `link ${made.body.code}`)).to.deep.equal([wording('teamsLinkWrong')]);
            expect(await web.app.stores.teamsLinks.byTeamsUser(STRANGER_AAD)).to.equal(undefined);

            const reference = await askForAPerson(resident, 'teams-code');
            const res = await post(claimActivity(SAM_AAD, reference));
            expect(res.body.value.body[0].text).to.equal(`Request ${reference}: claimed by Sam`);

            // Unlinked from the workspace: Claim in Teams tells them how to link again.
            expect((await api.call('DELETE', '/teams/link')).body).to.deep.equal({ unlinked: true });
            const reference2 = await askForAPerson(resident, 'teams-code-2');
            expect((await post(claimActivity(SAM_AAD, reference2))).body.value).to.equal(wording('teamsLinkFirst'));
        });

        it('takes the code after the bot\'s @mention in a channel', async () => {
            const made = await api.call('POST', '/teams/link-code');
            expect(await sayInTeams(SAM_AAD, `<at>Signpost</at> link ${made.body.code}`))
                .to.deep.equal([wording('teamsLinked', { name: 'Sam' })]);
        });

        it('never links by what the Teams user says: a wrong code, then too many tries, link nobody', async () => {
            const made = await api.call('POST', '/teams/link-code');
            const wrong = String((Number(made.body.code) + 1) % 100_000_000).padStart(8, '0');
            for (let i = 0; i < LINK_TRIES_PER_TEAMS_USER; i++) {
                expect(await sayInTeams(STRANGER_AAD, `link ${wrong}`)).to.deep.equal([wording('teamsLinkWrong')]);
            }
            // Now even the right code is refused for this Teams user, for a while.
            expect(await sayInTeams(STRANGER_AAD, `link ${made.body.code}`))
                .to.deep.equal([wording('teamsLinkTooMany')]);
            expect(await web.app.stores.teamsLinks.byAccount(sam.id)).to.equal(undefined);
            // Someone saying who they are is not a code: the bot's usual conversation goes on.
            const replies = await sayInTeams(STRANGER_AAD, 'link me to sam@example.org');
            expect(replies.join('\n')).to.not.include(wording('teamsLinked', { name: 'Sam' }));
            expect(await web.app.stores.teamsLinks.byTeamsUser(STRANGER_AAD)).to.equal(undefined);
        });

        it('limits how many codes an account makes in an hour', async () => {
            const statuses: number[] = [];
            for (let i = 0; i < 6; i++) statuses.push((await api.call('POST', '/teams/link-code')).status);
            expect(statuses).to.deep.equal([201, 201, 201, 201, 201, 429]);
        });
    });
});
