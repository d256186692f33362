/**
 * "Where is the second one?" in Polish and Welsh, at the results: the ordinal names a suggestion, and the question is
 * answered about it; the list is never replaced by a search for an English word the ordinal looks like ("druga" is
 * not "drug").
 */
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from './play';

describe('ordinals and questions at the results in Welsh and Polish', () => {
    let app: TestApp;
    beforeEach(() => {
        app = testApp();
    });
    afterEach(async () => app.dispose());

    /** Words of the drug and gambling services: what "druga" read as "drug" showed. */
    const drugs = /Alcohol and Drug|Gambling|Addiction/;

    it('answers "gdzie jest ta druga?" about the second suggestion, in Polish', async () => {
        const c = new Conversation(app, { conversationId: 'pl-ordinal', locale: 'pl-PL' });
        const [, list] = await play(c, [
            { say: 'czuję się samotna, mieszkam w BS5', expect: [/Czy dobrze rozumiem/] },
            { say: 'tak', expect: [/^2\. /m], not: [drugs] },
        ]);
        const second = /^2\. (.+)$/m.exec(list!.all)![1]!;
        await play(c, [
            { say: 'gdzie jest ta druga?', expect: [second], not: [drugs, /^1\. /m] },
            { say: 'czy to jest za darmo?', expect: [/Koszt/], not: [drugs] },
            { say: 'a pierwsza?', not: [drugs] },
        ]);
    });

    it('answers "ble mae\'r ail un?" about the second suggestion, in Welsh', async () => {
        const c = new Conversation(app, { conversationId: 'cy-ordinal', locale: 'cy-GB' });
        const [, list] = await play(c, [
            { say: 'dw i\'n unig, dw i\'n byw yn BS5' },
            { say: 'ie', expect: [/^2\. /m] },
        ]);
        const second = /^2\. (.+)$/m.exec(list!.all)![1]!;
        await play(c, [
            { say: 'ble mae\'r ail un?', expect: [second], not: [drugs, /^1\. /m] },
            { say: 'ydy e am ddim?', expect: [/Cost/] },
        ]);
    });
});
