import { expect } from 'chai';
import { turnAims, type PairedResult, type TurnBenchResult } from '../../src/cli/benchTurns';

/** A bot's pooled figures with only what the aims read. */
function figures(turnsPerSecond: number, p95: number): TurnBenchResult {
    return {
        store: 'x', cpuMs: 0, replies: 0, turns: turnsPerSecond * 10, seconds: 10, p50: p95 / 2, p95, max: p95,
        failed: 0, conversations: 1,
    };
}

function pair(conversations: number, echo: [number, number], signpost: [number, number]): PairedResult {
    return {
        store: 'embedded (SQLite)', conversations, echo: figures(...echo), signpost: figures(...signpost),
    };
}

describe('turn bench aims (issue 15)', () => {
    it('says met when Signpost gives half the echo bot\'s turns at 50 and its p95 is within 3 ms at 1', () => {
        const lines = turnAims([pair(1, [200, 4], [100, 6.9]), pair(50, [800, 90], [400, 150])], 50);
        const text = lines.join('\n');
        expect(text).to.match(/50 residents.*400 turns\/s.*800 turns\/s.*50%.*: met/);
        expect(text).to.match(/1 resident.*p95 6\.90 ms.*4\.00 ms.*\+2\.90 ms.*: met/);
        expect(text).not.to.contain('not met');
    });

    it('says not met for each aim missed, with both bots\' figures', () => {
        const lines = turnAims([pair(1, [200, 4], [100, 7.5]), pair(50, [800, 90], [392, 150])], 50);
        expect(lines.filter((l) => l.endsWith(': not met'))).to.have.length(2);
        expect(lines.join('\n')).to.match(/49%/).and.to.match(/\+3\.50 ms/);
    });

    it('judges only the embedded store and says when an aim was not measured', () => {
        const mongo = { ...pair(50, [800, 90], [700, 100]), store: 'MongoDB' };
        const lines = turnAims([pair(1, [200, 4], [150, 5]), mongo], 50);
        expect(lines.join('\n')).to.match(/50 residents.*not measured/);
        expect(lines.join('\n')).to.match(/1 resident.*: met/);
    });
});
