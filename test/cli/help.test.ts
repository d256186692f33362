import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/** Runs the built `signpost` command; its exit code and standard output. */
function signpost(...args: string[]): { code: number | null; stdout: string } {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist/src/cli/main.js'), ...args], {
        encoding: 'utf8', timeout: 20_000,
    });
    return { code: r.status, stdout: r.stdout };
}

/** Every command and the options it takes (the parseArgs options of src/cli/*.ts). */
const OPTIONS: Readonly<Record<string, readonly string[]>> = {
    serve: [],
    chat: ['--kb'],
    match: ['--kb', '--postcode', '--online', '--free', '--day', '--time', '--limit', '--json', '--batch'],
    users: ['add', 'list', 'unlock', 'link', 'unlink', '--email', '--name', '--role'],
    store: ['migrate', '--from', '--to'],
    kb: ['validate', 'stats', 'review', 'import', '--format', '--out', '--name', '--licence', '--json'],
};

describe('signpost --help (issue 23)', () => {
    it('lists every command and every option, exit 0', () => {
        const { code, stdout } = signpost('--help');
        expect(code).to.equal(0);
        for (const [command, options] of Object.entries(OPTIONS)) {
            expect(stdout).to.include(`signpost ${command}`);
            for (const option of options) expect(stdout, `${command} ${option}`).to.include(option);
        }
    });

    for (const [command, options] of Object.entries(OPTIONS)) {
        it(`signpost ${command} --help and signpost help ${command} say what each of its options does`, () => {
            const own = signpost(command, ...(command === 'kb' || command === 'users' ? ['add'] : []), '--help');
            expect(own.code).to.equal(0);
            expect(own.stdout).to.match(new RegExp(`^signpost ${command}`));
            for (const option of options) expect(own.stdout, option).to.match(new RegExp(`\\s${option}\\s`));
            expect(signpost('help', command).stdout).to.equal(own.stdout);
        });
    }

    it('still says the whole help with exit 2 when no command is given, as before', () => {
        const { code, stdout } = signpost();
        expect(code).to.equal(2);
        expect(stdout).to.include('signpost kb import SOURCE');
    });
});
