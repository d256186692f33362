import { expect } from 'chai';
import { smsSegments, splitForSms } from '../../src/channels/text';
import { loadWording } from '../../src/knowledge/wording';
import { projectRoot } from '../../src/paths';
import path from 'node:path';

describe('texts in Welsh and Polish on SMS', () => {
    const wording = loadWording(path.join(projectRoot(), 'knowledge'));

    it('count 70 characters a segment (67 when split) once a letter is outside the GSM alphabet', () => {
        const polish = 'ł'.padEnd(70, 'a');
        expect(smsSegments(polish)).to.equal(1);
        expect(smsSegments(`${polish}a`)).to.equal(2);
        expect(smsSegments('ŵ'.padEnd(134, 'a'))).to.equal(2);
        expect(smsSegments('ŵ'.padEnd(135, 'a'))).to.equal(3);
        // The same length in GSM letters is one segment.
        expect(smsSegments('l'.padEnd(135, 'a'))).to.equal(1);
    });

    it('split the longest Welsh and Polish sentences into texts of at most four segments, letters kept', () => {
        for (const code of ['cy', 'pl']) {
            const w = wording.in(code);
            const help = w.text('help');
            const parts = splitForSms(help, 4);
            for (const p of parts) expect(smsSegments(p), p).to.be.at.most(4);
            expect(parts.join('\n').replace(/\s+/g, ' ')).to.equal(help.replace(/\s+/g, ' '));
        }
        // The Polish welcome on SMS costs more than the English one: Unicode.
        const vars = { serviceName: 'Signpost', stateDays: 30 };
        expect(smsSegments(wording.in('pl').text('smsWelcome', vars)))
            .to.be.greaterThan(smsSegments(wording.text('smsWelcome', vars)));
    });
});
