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
        ]);
        const log = lines.join('\n').toLowerCase();
        expect(lines.length, 'the journey was logged').to.be.greaterThan(10);
        expect(log).to.include('handoff.created');
        for (const secret of ['margaret', 'thompson', '1951', '12/03', 'bs5', '6xx', '07700', '900123', 'example.org',
            'lonely', 'end my life', 'wheelchair']) {
            expect(log, `"${secret}" leaked into the logs`).to.not.include(secret);
        }
    });
});
