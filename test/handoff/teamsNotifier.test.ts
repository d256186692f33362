import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config';
import { testApp } from '../helpers/app';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from '../workspace/helpers';

const CHANNEL = '19:connectors@thread.tacv2';

describe('posting new requests to the connectors\' Teams channel', () => {
    let web: WebServer;
    let teams: FakeChannel;
    let resident: FakeChannel;

    beforeEach(async () => {
        // The connectors' channel: only its service URL is used, to capture the cards the bot posts and updates.
        teams = new FakeChannel('http://127.0.0.1:9', 'msteams');
        await teams.start();
        const app = testApp({ env: {
            SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: JSON.stringify(
                { channelId: 'msteams', serviceUrl: teams.serviceUrl, conversation: { id: CHANNEL } }),
            SIGNPOST_PUBLIC_URL: 'https://chat.example.org',
        } });
        web = await startWebServer({ app });
        resident = new FakeChannel(web.url);
        await resident.start();
    });
    afterEach(async () => {
        await resident.stop();
        await teams.stop();
        await web.stop();
    });

    it('posts an Adaptive Card 1.5 with a Claim button, and updates that card when someone claims it', async () => {
        const reference = await askForAPerson(resident, 'teams-loop');
        expect(teams.replies).to.have.length(1);
        const posted = teams.replies[0]!;
        expect(posted.conversationId).to.equal(CHANNEL);
        const attachment = posted.activity.attachments![0]!;
        expect(attachment.contentType).to.equal('application/vnd.microsoft.card.adaptive');
        const card = attachment.content;
        expect(card).to.include({ type: 'AdaptiveCard', version: '1.5' });
        expect(card.body[0].text).to.equal(`New request ${reference}`);
        // Claim works inside Teams (test/handoff/teamsClaim.test.ts); Open goes to the request in the workspace.
        expect(card.actions).to.deep.equal([
            { type: 'Action.Execute', title: 'Claim', verb: 'claim', data: { reference } },
            { type: 'Action.OpenUrl', title: 'Open', url: `https://chat.example.org/workspace#${reference}` },
        ]);
        // The channel is a wider room than the workspace: no contact details or words of the resident.
        expect(JSON.stringify(card)).to.not.include('07700').and.not.include('evenings');
        expect((await web.app.stores.escalations.getByReference(reference))!.noticeId).to.equal(posted.activityId);

        const sam = await addUser(web.app, 'Sam');
        const api = new ApiClient(web.url);
        await api.signIn(sam.email);
        expect((await api.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
        expect(teams.updates).to.have.length(1);
        const update = teams.updates[0]!;
        expect(update).to.include({ conversationId: CHANNEL, activityId: posted.activityId });
        const updated = update.activity.attachments![0]!.content;
        expect(updated.body[0].text).to.equal(`Request ${reference}: claimed by Sam`);
        expect(updated.body[1].facts).to.deep.include({ title: 'Status', value: 'Claimed by Sam' });
        expect(updated.actions).to.deep.equal([
            { type: 'Action.OpenUrl', title: 'Open', url: `https://chat.example.org/workspace#${reference}` }]);
        expect(teams.replies).to.have.length(1);
    });

    it('updates the card to urgent when the resident is shown crisis routes after asking', async () => {
        const reference = await askForAPerson(resident, 'teams-raise');
        const posted = teams.replies[0]!;
        const crisis = await resident.say('teams-raise', 'I want to end my life');
        expect(crisis.texts[0]).to.include(web.app.knowledge.wording.text('crisisIntro'));
        expect((await web.app.stores.escalations.getByReference(reference))?.priority).to.equal('urgent');
        expect(teams.updates).to.have.length(1);
        expect(teams.updates[0]).to.include({ conversationId: CHANNEL, activityId: posted.activityId });
        const card = teams.updates[0]!.activity.attachments![0]!.content;
        expect(card.body[0]).to.include({ text: `New request ${reference}`, color: 'Attention' });
        expect(card.body[1].facts).to.deep.include({ title: 'Priority', value: 'Urgent (the chat touched on crisis)' });
        expect(JSON.stringify(card)).to.not.include('end my life');
        expect(teams.replies).to.have.length(1);
    });
});

describe('the Teams connectors\' channel setting', () => {
    it('takes a conversation reference as JSON, or a channel id and service URL', () => {
        const serviceUrl = 'https://smba.trafficmanager.net/uk/';
        expect(loadConfig({ SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: JSON.stringify(
            { serviceUrl, conversation: { id: '19:a@thread.tacv2', tenantId: 't' } }),
        }).teamsConnectors).to.deep.equal({ channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/',
            conversationId: '19:a@thread.tacv2', tenantId: 't' });
        expect(loadConfig({ SIGNPOST_TEAMS_CONNECTORS_CONVERSATION:
            '19:a@thread.tacv2 https://smba.trafficmanager.net/uk/' }).teamsConnectors).to.deep.equal(
            { channelId: 'msteams', serviceUrl, conversationId: '19:a@thread.tacv2' });
        expect(loadConfig({}).teamsConnectors).to.equal(undefined);
    });

    it('refuses anything else, naming the setting', () => {
        const wrong = ['{"serviceUrl":"https://x"}', '19:a@thread.tacv2', '19:a http://example.org/', '{not json'];
        for (const bad of wrong) {
            expect(() => loadConfig({ SIGNPOST_TEAMS_CONNECTORS_CONVERSATION: bad }), bad).to.throw(ConfigError,
                /SIGNPOST_TEAMS_CONNECTORS_CONVERSATION/);
        }
    });
});
