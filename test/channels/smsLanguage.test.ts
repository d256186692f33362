/**
 * On SMS, the lines the renderer adds are in the resident's language (issue 18): "Reply 1 or 2" under the offer to
 * carry on in Polish or Welsh is said in that language and in English, as the offer is; once the conversation is
 * in Polish or Welsh, no line says "Reply" in English.
 */
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';

describe('SMS reply lines in Welsh and Polish', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    const sms = (id: string) => new Conversation(app, { channelId: 'sms', conversationId: id, userId: id });

    for (const [code, sentence] of [
        ['pl', 'Czuję się bardzo samotna od kiedy zmarł mój mąż'],
        ['cy', "Dw i'n teimlo'n unig iawn ers i fy ngŵr farw y llynedd"],
    ] as const) {
        it(`the offer to carry on in ${code} says how to reply in it and in English`, async () => {
            const turn = await sms(`+4477009001${code === 'pl' ? '11' : '22'}`).say(sentence);
            const theirs = app.knowledge.wording.in(code);
            expect(turn.all, turn.all).to.include(theirs.text('languageOfferSelf'));
            expect(turn.all).to.include(theirs.text('smsReplyNumbers', { numbers: `1 ${theirs.text('or')} 2` }));
            expect(turn.all).to.include('Reply 1 or 2.');
            // Theirs first, as the offer is.
            expect(turn.all.indexOf(theirs.text('smsReplyNumbers', { numbers: `1 ${theirs.text('or')} 2` })))
                .to.be.below(turn.all.indexOf('Reply 1 or 2.'));
        });
    }

    it('after the switch, every reply line is in the chosen language', async () => {
        const c = sms('+447700900133');
        await c.say('Czuję się bardzo samotna od kiedy zmarł mój mąż');
        const said: string[] = [];
        for (const text of ['1', 'Nie jestem pewna', '1', 'BS5 6XX']) said.push((await c.say(text)).all);
        const all = said.join('\n');
        expect(all).to.include('Odpowiedz');
        expect(all, all).to.not.match(/\bReply\b/);
    });
});
