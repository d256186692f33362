/**
 * Issue 20, part 5: a request's plan and outcome in the PRSB Social Prescribing Information Standard's sections, and
 * the closed request exported as its "Message back to GP and referrer": only with the person's recorded agreement,
 * only for the connector holding it or a lead, each export an audit line, and what Signpost does not hold said to be
 * "not collected". Over real HTTP, a real store and a resident's real hand-off.
 */
import { expect } from 'chai';
import { NOT_COLLECTED } from '../../src/handoff/plan';
import { FakeChannel } from '../helpers/fakeChannel';
import { startWebServer, type WebServer } from '../helpers/webServer';
import { ApiClient, addUser, askForAPerson } from './helpers';

describe('the plan and outcome, and the message back to the GP', function () {
    this.timeout(60_000);
    let web: WebServer;
    let channel: FakeChannel;
    let sam: ApiClient;
    let robin: ApiClient;
    let lee: ApiClient;
    let samId: string;
    let leeId: string;

    before(async () => {
        web = await startWebServer();
        channel = new FakeChannel(web.url);
        await channel.start();
        samId = (await addUser(web.app, 'Sam')).id;
        await addUser(web.app, 'Robin');
        leeId = (await addUser(web.app, 'Lee', 'lead')).id;
        sam = new ApiClient(web.url);
        robin = new ApiClient(web.url);
        lee = new ApiClient(web.url);
        await sam.signIn('sam@example.org');
        await robin.signIn('robin@example.org');
        await lee.signIn('lee@example.org');
    });
    after(async () => {
        await channel?.stop();
        await web?.stop();
    });

    const plan = (over: Record<string, unknown> = {}) => ({
        needsAndConcerns: 'Lonely since moving here; worried about the cost of heating.',
        whatMatters: 'Getting out of the house and meeting people who like gardening.',
        supportOffered: 'Walking group on Tuesdays; referred to the money advice service.',
        outcome: 'Goes to the walking group every week and has an appointment about money.',
        gpAgreement: 'agreed', loadedRecordedAt: null, ...over,
    });

    it('records the plan for the holder, refuses others, and exports only a closed request with agreement',
        async () => {
            const reference = await askForAPerson(channel, 'plan-1');
            expect((await sam.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);

            // Someone else's request: not theirs to write or export.
            const other = await robin.call('POST', `/escalations/${reference}/plan`, plan());
            expect(other.status).to.equal(403);
            expect(other.body.error.code).to.equal('NotYours');

            // Bad input: a clear error naming the field, with the limit; nothing saved.
            const long = await sam.call('POST', `/escalations/${reference}/plan`, plan({ outcome: 'x'.repeat(4001) }));
            expect(long.status).to.equal(400);
            expect(JSON.stringify(long.body)).to.include('outcome');
            const unknown = await sam.call('POST', `/escalations/${reference}/plan`, plan({ gpAgreement: 'maybe' }));
            expect(unknown.status).to.equal(400);
            expect((await web.app.stores.escalations.getByReference(reference))!.plan).to.equal(undefined);

            const first = await sam.call('POST', `/escalations/${reference}/plan`, plan({ gpAgreement: 'not-asked' }));
            expect(first.status, JSON.stringify(first.body)).to.equal(200);
            expect(first.body.escalation.plan).to.deep.include({ gpAgreement: 'not-asked',
                whatMatters: 'Getting out of the house and meeting people who like gardening.',
                recordedBy: { id: samId, name: 'Sam' } });
            expect(first.body.escalation.plan.gpAgreementAt).to.equal(undefined);

            // Open: not yet.
            const early = await sam.call('POST', `/escalations/${reference}/gp-message`);
            expect(early.status).to.equal(409);
            expect(early.body.error.code).to.equal('WrongStatus');
            expect((await sam.call('POST', `/escalations/${reference}/close`, { outcome: 'connected' })).status)
                .to.equal(200);
            // Closed, but the person's agreement is not recorded: refused.
            const unasked = await sam.call('POST', `/escalations/${reference}/gp-message`);
            expect(unasked.status).to.equal(409);
            expect(unasked.body.error.code).to.equal('NoAgreement');

            // The outcome is written after closing, with the agreement the person gave on the phone.
            const agreed = await sam.call('POST', `/escalations/${reference}/plan`,
                plan({ loadedRecordedAt: first.body.escalation.plan.recordedAt }));
            expect(agreed.status).to.equal(200);
            expect(agreed.body.escalation.plan.gpAgreementAt).to.be.a('string');
            expect((await robin.call('POST', `/escalations/${reference}/gp-message`)).status).to.equal(403);

            const exported = await sam.call('POST', `/escalations/${reference}/gp-message`);
            expect(exported.status, JSON.stringify(exported.body)).to.equal(200);
            expect(exported.headers.get('content-disposition'))
                .to.equal(`attachment; filename="${reference}-message-to-gp.json"`);
            const m = exported.body;
            expect(m).to.deep.include({ standard: 'PRSB Social Prescribing Information Standard v1.1',
                model: 'Message back to GP and referrer', reference });
            // What Signpost never holds is said to be not collected, never made up.
            expect(m.person).to.deep.include({ nhsNumber: NOT_COLLECTED, dateOfBirth: NOT_COLLECTED,
                address: NOT_COLLECTED, gpPractice: NOT_COLLECTED, name: NOT_COLLECTED });
            expect(m.needsAndConcerns.notes).to.equal(plan().needsAndConcerns);
            expect(m.whatMattersToThePerson).to.equal(plan().whatMatters);
            expect(m.supportOfferedAndReferredTo.notes).to.equal(plan().supportOffered);
            expect(m.outcome).to.deep.equal({ result: 'connected', notes: plan().outcome });
            expect(m.consent).to.deep.include({ shareWithGp: 'agreed', recordedBy: 'Sam' });
            expect(m.socialPrescribingService).to.deep.include({ service: 'Signpost', linkWorker: 'Sam' });
            expect(m.referral.source).to.equal('Self-referral, through the Signpost chat');
            // The phone number given for a call back is not the GP's to have; nor is any account id.
            const all = JSON.stringify(m);
            expect(all).to.not.include('07700').and.not.include('900456').and.not.include(samId);

            // A lead may export it too; each export is an audit line saying who.
            expect((await lee.call('POST', `/escalations/${reference}/gp-message`)).status).to.equal(200);
            const detail = await sam.call('GET', `/escalations/${reference}`);
            const lines = (detail.body.audit as { action: string; actor: string; detail?: string }[]);
            expect(lines.filter((a) => a.action === 'exported').map((a) => [a.actor, a.detail])).to.deep.equal([
                [samId, 'Message back to GP and referrer'], [leeId, 'Message back to GP and referrer'],
            ]);
            expect(lines.filter((a) => a.action === 'plan-recorded').map((a) => a.detail))
                .to.deep.equal(['GP agreement: not-asked', 'GP agreement: agreed']);
        });

    it('keeps the time of the agreement while it stands, and refuses the export once the person says no', async () => {
        const reference = await askForAPerson(channel, 'plan-2');
        expect((await sam.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
        const first = await sam.call('POST', `/escalations/${reference}/plan`, plan());
        const again = await sam.call('POST', `/escalations/${reference}/plan`,
            plan({ outcome: 'Still going.', loadedRecordedAt: first.body.escalation.plan.recordedAt }));
        expect(again.body.escalation.plan.gpAgreementAt).to.equal(first.body.escalation.plan.gpAgreementAt);
        expect((await sam.call('POST', `/escalations/${reference}/close`, { outcome: 'connected' })).status)
            .to.equal(200);
        expect((await sam.call('POST', `/escalations/${reference}/plan`,
            plan({ gpAgreement: 'declined', loadedRecordedAt: again.body.escalation.plan.recordedAt }))).status)
            .to.equal(200);
        const refused = await lee.call('POST', `/escalations/${reference}/gp-message`);
        expect(refused.status).to.equal(409);
        expect(refused.body.error.code).to.equal('NoAgreement');
        const lines = (await web.app.stores.escalations.auditTrail(reference)).map((a) => a.action);
        expect(lines).to.not.include('exported');
    });

    it('refuses a save over a plan someone else saved since it was loaded, and keeps theirs', async () => {
        const reference = await askForAPerson(channel, 'plan-3');
        expect((await sam.call('POST', `/escalations/${reference}/claim`)).status).to.equal(200);
        const first = await sam.call('POST', `/escalations/${reference}/plan`, plan({ gpAgreement: 'not-asked' }));
        const loaded = first.body.escalation.plan.recordedAt as string;
        // Sam and Lee both have the page open on Sam's plan; Lee saves first.
        const lees = await lee.call('POST', `/escalations/${reference}/plan`,
            plan({ whatMatters: 'Lee wrote this after a call.', loadedRecordedAt: loaded }));
        expect(lees.status).to.equal(200);
        const sams = await sam.call('POST', `/escalations/${reference}/plan`,
            plan({ whatMatters: 'Sam wrote this, not knowing.', loadedRecordedAt: loaded }));
        expect(sams.status).to.equal(409);
        expect(sams.body.error).to.deep.include({ code: 'PlanChanged',
            message: 'Someone else changed this plan; reload to see it. What you wrote was not saved.' });
        expect(sams.body.error.recordedBy).to.deep.equal({ name: 'Lee' });
        // A form that loaded no plan cannot overwrite one either.
        const blank = await sam.call('POST', `/escalations/${reference}/plan`, plan({ whatMatters: 'From a blank' }));
        expect(blank.status).to.equal(409);
        const kept = (await web.app.stores.escalations.getByReference(reference))!.plan!;
        expect(kept.whatMatters).to.equal('Lee wrote this after a call.');
        // Based on Lee's, Sam's save goes in.
        const retried = await sam.call('POST', `/escalations/${reference}/plan`,
            plan({ whatMatters: 'Sam wrote this, having read Lee\'s.', loadedRecordedAt: kept.recordedAt }));
        expect(retried.status).to.equal(200);
        // Without saying what it loaded, a save is bad input.
        const { loadedRecordedAt: _gone, ...without } = plan();
        expect((await sam.call('POST', `/escalations/${reference}/plan`, without)).status).to.equal(400);
        const lines = (await web.app.stores.escalations.auditTrail(reference)).map((a) => a.action);
        expect(lines.filter((a) => a === 'plan-recorded')).to.have.length(3);
        // Closed, so that the same resident's next request in this file is not merged into this one.
        expect((await sam.call('POST', `/escalations/${reference}/close`, { outcome: 'connected' })).status)
            .to.equal(200);
    });
});
