import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { withinTime } from '../../src/bot/timeout';

describe('waiting on something for a limited time (withinTime)', () => {
    it('gives the value when it comes in time', async () => {
        expect(await withinTime(Promise.resolve('SP-ABC234'), 1_000)).to.deep.equal({ done: true, value: 'SP-ABC234' });
    });

    it('gives up after the time, without waiting for it or leaving its failure unhandled', async () => {
        let fail!: (err: Error) => void;
        const slow = new Promise<string>((_, reject) => (fail = reject));
        const started = Date.now();
        expect(await withinTime(slow, 30)).to.deep.equal({ done: false });
        expect(Date.now() - started).to.be.lessThan(1_000);
        fail(new Error('too late'));
        await new Promise((resolve) => setImmediate(resolve));
    });

    it('passes on a failure that comes in time', async () => {
        const err = await withinTime(Promise.reject(new Error('store down')), 1_000).catch((e: Error) => e);
        expect((err as Error).message).to.equal('store down');
    });

    it('leaves no timer behind once it has the value: a process can end at once', () => {
        const started = Date.now();
        const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(__dirname, '..', '..', 'src',
            'bot', 'timeout.js'))}).withinTime(Promise.resolve(1), 60000).then(() => console.log('done'))`],
        { encoding: 'utf8', timeout: 20_000 });
        expect(r.stdout.trim()).to.equal('done');
        expect(Date.now() - started).to.be.lessThan(15_000);
    });
});
