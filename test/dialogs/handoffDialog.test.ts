import { expect } from 'chai';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { HandoffDialog } from '../../dialogs/handoffDialog';
import { testApp, type TestApp } from '../helpers/app';

/** The hand-off dialog on its own, through botbuilder-testing's DialogTestClient. */
describe('the hand-off dialog', () => {
    let app: TestApp;
    let client: DialogTestClient;
    let w: TestApp['knowledge']['wording'];
    beforeEach(() => {
        app = testApp();
        w = app.knowledge.wording;
        client = new DialogTestClient('test', new HandoffDialog(app.services), undefined, [], app.conversationState);
    });
    afterEach(async () => app.dispose());

    async function turns(rows: [string, string | RegExp][]) {
        for (const [say, want] of rows) {
            const reply = await client.sendActivity(say);
            let text = reply?.text ?? '';
            for (let next = client.getNextReply(); next; next = client.getNextReply()) text += '\n' + (next.text ?? '');
            if (typeof want === 'string') expect(text, `after "${say}"`).to.include(want);
            else expect(text, `after "${say}"`).to.match(want);
        }
    }

    describe('when the resident gives an e-mail address and agrees', () => {
        it('stores the request and ends with its reference', async () => {
            await turns([
                ['hello', w.text('askMethod')],
                ['email please', w.text('askEmail')],
                ['not an address', w.text('badEmail')],
                ['sam@example.org', w.text('askName')],
                ['Sam', w.text('askTime')],
                ['afternoons', 'I need your OK'],
                ['maybe', 'I need your OK'],
                ['yes', w.text('askShareChat')],
                ['no', /Your reference is SP-/],
            ]);
            expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
            const [stored] = await app.stores.escalations.list();
            expect(stored.contact).to.deep.equal({ method: 'email', value: 'sam@example.org', name: 'Sam', bestTime: 'afternoons' });
            expect(client.dialogTurnResult.result).to.equal(stored.reference);
        });
    });

    describe('when the resident says no to sharing', () => {
        it('ends without storing anything', async () => {
            await turns([
                ['hi', w.text('askMethod')],
                ['phone', w.text('askPhone')],
                ['+44 7700 900123', w.text('askName')],
                ['skip', w.text('askTime')],
                ['any time', 'I need your OK'],
                ['no', w.text('consentNo')],
            ]);
            expect(client.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
            expect(await app.stores.escalations.list()).to.have.length(0);
        });
    });

    describe('when the resident asks for another way to get in touch at the number or address question', () => {
        it('asks for an e-mail address instead of a phone number', async () => {
            await turns([
                ['hi', w.text('askMethod')],
                ['phone call', w.text('askPhone')],
                ['actually can they email me instead', w.text('askEmail')],
                ['sam@example.org', w.text('askName')],
            ]);
        });

        it('asks for a number instead of an e-mail address, for a text', async () => {
            await turns([
                ['hi', w.text('askMethod')],
                ['email', w.text('askEmail')],
                ['oh, could they text me instead?', w.text('askPhone')],
                ['07700 900123', w.text('askName')],
            ]);
        });

        it('still reads a number given with words around it as the number', async () => {
            await turns([
                ['hi', w.text('askMethod')],
                ['phone', w.text('askPhone')],
                ['call me on 07700 900123', w.text('askName')],
            ]);
        });
    });
});
