import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

describe('the terminal chat', () => {
    it('shows buttons as numbered options and takes a number as that choice', () => {
        const tmp = tempDir();
        try {
            const r = spawnSync(process.execPath, [path.join(projectRoot(), 'bin/signpost.js'), 'chat'], {
                input: 'I feel lonely\n1\nskip\nquit\n',
                env: { ...process.env, SIGNPOST_DATA_DIR: tmp.dir },
                encoding: 'utf8',
                timeout: 20_000,
            });
            expect(r.status, r.stderr).to.equal(0);
            expect(r.stdout).to.match(/computer program, not a person/);
            expect(r.stdout).to.match(/It sounds like you'd like help with feeling lonely/);
            expect(r.stdout).to.match(/^ {2}1\. Yes, that's right$/m);
            expect(r.stdout).to.match(/Where are you\?/);
            // Issue 16 part 2: the place is the one question before the results ("skip" answers it).
            expect(r.stdout).to.match(/Here are some things that could suit you/);
            expect(r.stdout.trim()).to.match(/Bye\.$/);
        } finally {
            tmp.remove();
        }
    });
});
