/** `signpost kb validate|stats [DIR]`: check a knowledge folder, or count what it holds. */
import path from 'node:path';
import { loadKnowledge, type Knowledge } from '../knowledge';
import { KnowledgeError, formatFaults } from '../knowledge/faults';
import { projectRoot } from '../paths';
import { UsageError, type CommandResult } from './usage';

/** A listing not checked for this many days is stale. */
const STALE_DAYS = 365;

export async function kbCommand(args: string[]): Promise<CommandResult> {
    const [sub, dirArg, ...extra] = args;
    if (extra.length) throw new UsageError(`kb ${sub}: unexpected "${extra.join(' ')}"`);
    const dir = path.resolve(dirArg ?? path.join(projectRoot(), 'knowledge'));
    switch (sub) {
        case 'validate':
            return validate(dir);
        case 'stats':
            process.stdout.write(stats(loadKnowledge(dir)));
            return 0;
        case 'import':
            throw new UsageError('kb import is not available in this version yet');
        default:
            throw new UsageError(`unknown kb command "${sub ?? ''}"`);
    }
}

function validate(dir: string): CommandResult {
    try {
        const k = loadKnowledge(dir);
        process.stdout.write(`${dir}: valid. ${k.opportunities.length} opportunities, ${k.taxonomy.needs.length} needs, `
            + `${k.places.places.length} places, ${k.places.outcodes.size} postcode districts.\n`);
        return 0;
    } catch (err) {
        if (!(err instanceof KnowledgeError)) throw err;
        process.stdout.write(`${dir}: ${err.faults.length} fault(s)\n${formatFaults(err.faults)}\n`);
        return 1;
    }
}

function stats(k: Knowledge, today = new Date()): string {
    const perNeed = new Map(k.taxonomy.needs.map((n) => [n.id, 0]));
    const perPlace = new Map<string, number>();
    let stale = 0;
    for (const o of k.opportunities) {
        for (const id of o.needs) perNeed.set(id, (perNeed.get(id) ?? 0) + 1);
        const place = o.location?.city ?? (o.attending_type.includes('in-person') ? 'unknown' : 'online or phone');
        perPlace.set(place, (perPlace.get(place) ?? 0) + 1);
        if (today.getTime() - Date.parse(o.assured_date) > STALE_DAYS * 86_400_000) stale++;
    }
    const lines = [`${k.opportunities.length} opportunities`, '', 'per need:'];
    for (const [id, n] of perNeed) lines.push(`  ${id.padEnd(20)} ${n}${n === 0 ? '  <- nothing listed' : ''}`);
    lines.push('', 'per place:');
    for (const [place, n] of [...perPlace].sort((a, b) => b[1] - a[1])) lines.push(`  ${place.padEnd(20)} ${n}`);
    lines.push('', `not checked for over a year: ${stale}`);
    return lines.join('\n') + '\n';
}
