import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

function start(env: NodeJS.ProcessEnv) {
    const tmp = tempDir();
    try {
        const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist/src/index.js')], {
            env: { ...process.env, SIGNPOST_DATA_DIR: tmp.dir, PORT: '1', ...env },
            encoding: 'utf8',
            timeout: 20_000,
        });
        return { code: r.status, stderr: r.stderr };
    } finally {
        tmp.remove();
    }
}

describe('when Signpost starts with something wrong', () => {
    it('refuses a bad setting, naming it', () => {
        const r = start({ SIGNPOST_STATE_DAYS: 'forever' });
        expect(r.code).to.equal(1);
        expect(r.stderr).to.include('SIGNPOST_STATE_DAYS');
    });

    it('refuses invalid knowledge, naming file, record and field', () => {
        const r = start({ SIGNPOST_KNOWLEDGE_DIR: path.join(projectRoot(), 'test/fixtures/faulty-kb') });
        expect(r.code).to.equal(1);
        expect(r.stderr).to.match(/directory\/b-bad\.json.*record .*field /);
    });
});
