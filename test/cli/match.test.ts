import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

/** Runs the built `signpost` command as a script would. */
function signpost(args: string[], input?: string) {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'bin/signpost.js'), ...args], {
        input, encoding: 'utf8', timeout: 20_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the signpost match command', () => {
    describe('when asked for JSON', () => {
        it('prints only the contract\'s JSON: needs, ranked results with reasons, widened', () => {
            const r = signpost(['match', 'skint and lonely', '--postcode', 'bs56xx', '--free', '--limit', '3', '--json']);
            expect(r.code, r.stderr).to.equal(0);
            const out = JSON.parse(r.stdout);
            expect(out.text).to.equal('skint and lonely');
            expect(out.crisis).to.equal(false);
            expect(out.needs.map((n: { id: string }) => n.id)).to.include.members(['money-debt', 'loneliness']);
            for (const n of out.needs) expect(n.score).to.be.within(0, 1);
            expect(out.results).to.have.length(3);
            for (const res of out.results) {
                expect(res).to.include.keys(['id', 'name', 'needs', 'score', 'why']);
                expect(res.why).to.include('free');
                expect(res.score).to.be.within(0, 1);
            }
            const scores = out.results.map((res: { score: number }) => res.score);
            expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
            expect(out.widened).to.be.an('array');
        });

        it('gives the message\'s language, and no needs guessed out of another language', () => {
            const english = JSON.parse(signpost(['match', 'skint and lonely', '--json']).stdout);
            expect(english.language).to.equal('en');
            const polish = JSON.parse(signpost(['match', 'czuję się bardzo samotna, szukam grupy spacerowej',
                '--json']).stdout);
            expect(polish.language).to.equal('pl');
            expect(polish.needs).to.deep.equal([]);
            expect(polish.results).to.deep.equal([]);
            expect(polish.crisis).to.equal(false);
        });

        it('marks a crisis in another language', () => {
            const out = JSON.parse(signpost(['match', 'chce sie zabic', '--json']).stdout);
            expect(out).to.deep.include({ crisis: true, language: 'pl', results: [] });
        });

        it('finds no need in small talk', () => {
            const out = JSON.parse(signpost(['match', 'hello', '--json']).stdout);
            expect(out.needs).to.deep.equal([]);
        });

        it('marks a crisis and offers no listings', () => {
            const out = JSON.parse(signpost(['match', 'I want to end it all', '--json']).stdout);
            expect(out.crisis).to.equal(true);
            expect(out.results).to.deep.equal([]);
        });
    });

    describe('when given a batch', () => {
        it('answers one line per input line, in order, with an error line for bad JSON', () => {
            const input = '{"text": "walking group", "postcode": "BS16"}\nnot json\n{"text": "food bank", "free": true}\n';
            const r = signpost(['match', '--batch', '-'], input);
            expect(r.code, r.stderr).to.equal(0);
            const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
            expect(lines).to.have.length(3);
            expect(lines[0].needs[0].id).to.equal('physical-activity');
            expect(lines[1]).to.have.key('error');
            expect(lines[2].needs[0].id).to.equal('food');
        });
    });

    describe('when the input is wrong', () => {
        it('exits 1 naming an unknown postcode', () => {
            const r = signpost(['match', 'lonely', '--postcode', 'ZZ99', '--json']);
            expect(r.code).to.equal(1);
            expect(r.stderr).to.include('unknown postcode');
            expect(r.stdout).to.equal('');
        });

        it('exits 2 on bad usage', () => {
            expect(signpost(['match']).code).to.equal(2);
            expect(signpost(['match', 'x', '--colour', 'red']).code).to.equal(2);
            expect(signpost(['frobnicate']).code).to.equal(2);
        });
    });
});

describe('the signpost kb validate command', () => {
    it('passes the shipped knowledge', () => {
        const r = signpost(['kb', 'validate']);
        expect(r.code, r.stdout + r.stderr).to.equal(0);
        expect(r.stdout).to.match(/valid\. \d+ opportunities/);
    });

    it('lists each fault with file, record and field, and exits 1', () => {
        const r = signpost(['kb', 'validate', path.join(projectRoot(), 'test/fixtures/faulty-kb')]);
        expect(r.code).to.equal(1);
        expect(r.stdout).to.match(/directory\/b-bad\.json.*record .*field /);
    });
});
