/**
 * Every crisis answer the engine gives on every message of the eval sets, as one line each: the proof that a change
 * made for speed changes no result. Run it before and after the change and compare the two files (or their last
 * line, a digest of all the others).
 *
 * Messages: every `text` and every conversation turn's `say` of test/fixtures/eval/**\/*.jsonl, each as written and
 * hidden in each way of `HIDINGS`, and the bench journey's messages. Per message: crisis kinds, whether a crisis,
 * the crisis language (with the child flag and the romanised twin), the language line a resident would be shown,
 * and the identified language.
 *
 * Usage: node dist/src/cli/crisisSnapshot.js [--out file] (default: standard output). Prints the count and the
 * digest on standard error.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadKnowledge } from '../knowledge';
import { LanguageWording } from '../knowledge/languages';
import { createEngine } from '../matching/engine';
import { conversationMatching } from '../conversation/matching';
import { projectRoot } from '../paths';
import { HIDINGS } from './hide';

/** Every .jsonl file under a folder, in a stable order. */
function jsonlFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((e) => e.isDirectory() ? jsonlFiles(path.join(dir, e.name))
            : e.name.endsWith('.jsonl') ? [path.join(dir, e.name)] : []);
}

/** The messages of one eval line: its text, or its conversation's turns. */
function messagesOf(line: unknown): string[] {
    const record = line as { text?: unknown; turns?: Array<{ say?: unknown }> };
    const out: string[] = [];
    if (typeof record.text === 'string') out.push(record.text);
    for (const turn of record.turns ?? []) if (typeof turn.say === 'string') out.push(turn.say);
    return out;
}

function main(): void {
    const { values } = parseArgs({ options: { out: { type: 'string' } } });
    const root = projectRoot();
    const knowledge = loadKnowledge(path.join(root, 'knowledge'));
    const engine = createEngine({ ...knowledge, whyWording: knowledge.wording.why });
    const matching = conversationMatching(engine, new LanguageWording(knowledge.languages ?? []));
    const texts: string[] = ['money is tight and I\'m lonely', 'yes', 'bs5 6xx', 'any time', 'skip', 'nothing', 'no',
        'that\'s all', 'no thanks'];
    for (const file of jsonlFiles(path.join(root, 'test', 'fixtures', 'eval'))) {
        for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
            if (raw.trim() === '') continue;
            for (const text of messagesOf(JSON.parse(raw))) {
                texts.push(text, ...HIDINGS.map(([, hide]) => hide(text)));
            }
        }
    }
    const hash = createHash('sha256');
    const lines: string[] = [];
    for (const text of texts) {
        // Each question asked fresh, as a turn asks them, in the order a crisis turn asks them.
        const kinds = matching.crisisKinds(text);
        const line = JSON.stringify({
            text, kinds, crisis: engine.isCrisis(text), crisisLanguage: engine.crisisLanguage(text) ?? null,
            crisisLine: matching.crisisLine(text) ?? null, language: matching.language(text),
        });
        lines.push(line);
        hash.update(line).update('\n');
    }
    const digest = hash.digest('hex');
    const output = `${lines.join('\n')}\n${JSON.stringify({ count: lines.length, digest })}\n`;
    if (values.out) fs.writeFileSync(values.out, output);
    else process.stdout.write(output);
    process.stderr.write(`${lines.length} messages, digest ${digest}\n`);
}

main();
