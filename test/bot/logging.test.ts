import { expect } from 'chai';
import { createLogger } from '../../src/log';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from '../dialogs/play';

describe('when a resident shares personal details', () => {
    let app: TestApp;
    const lines: string[] = [];
    beforeEach(() => {
        lines.length = 0;
        app = testApp({ log: createLogger('debug', (line) => lines.push(line)) });
    });
    afterEach(async () => app.dispose());

    it('keeps every one of them out of the logs', async () => {
        const c = new Conversation(app);
        await c.join();
        await play(c, [
            { say: 'My name is Margaret Thompson, born 12/03/1951, I live at BS5 6XX and I am so lonely' },
            { say: 'yes' }, { say: 'BS5 6XX' }, { say: 'Tuesday mornings' }, { say: 'free' }, { say: 'wheelchair' },
            { say: 'I would rather not go alone' }, { say: "that's all" }, { say: 'yes please' }, { say: 'email' },
            { say: 'margaret.thompson@example.org' }, { say: 'Margaret' }, { say: 'mornings' },
            { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            { say: 'I want to end my life' },
            { say: 'talk to a person' }, { say: 'phone' }, { say: '07700 900123' },
            { say: 'Maggie, date of birth 1 April 1950' }, { say: 'after 3pm' }, { say: 'yes' },
            { say: 'yes', expect: [/marked your request as urgent/] },
            // The urgent call-back asked for by name, a mobile written the international way, then deletion.
            { say: 'my partner hits me' }, { say: 'call me' }, { say: '+44 7700 900456' }, { say: 'skip' },
            { say: 'any time' }, { say: 'yes' }, { say: 'no', expect: [/Your reference is/] },
            { say: 'delete my data', expect: [/deleted everything/] },
        ]);
        // Ids are random hex (a turn id may hold "1950" or "7700" by chance): they are not what is looked for.
        const log = lines.join('\n').toLowerCase()
            .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
        expect(lines.length, 'the journey was logged').to.be.greaterThan(10);
        expect(log).to.include('handoff.created');
        // The e-mail request made before the crisis was raised to urgent: logged by its id alone.
        expect(log).to.include('handoff.raised_urgent');
        expect(log).to.include('crisis.routes_shown').and.include('resident.call_back_asked')
            .and.include('resident.data_deleted');
        // Name, date of birth, postcode, phone numbers, e-mail, and what they said.
        for (const secret of ['margaret', 'thompson', 'maggie', '1951', '12/03', '1 april', '1950', 'bs5', '6xx',
            '07700', '7700', '900123', '900456', 'example.org', 'after 3pm', 'lonely', 'end my life', 'hits me',
            'wheelchair']) {
            expect(log, `"${secret}" leaked into the logs`).to.not.include(secret);
        }
    });
});
