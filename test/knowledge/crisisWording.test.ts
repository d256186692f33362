/**
 * The crisis wording and its reasons (docs/crisis-wording.md) cannot drift apart, and no crisis sentence uses words
 * that the Samaritans' guidance rules out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../src/paths';

interface WordingFile {
    text: Record<string, string>;
    buttons: Record<string, string>;
}
interface CrisisFile {
    routes: { name: string; how: string }[];
    kinds: { label: string }[];
    helping?: { intro: string; lines: string[]; childLine: string; kindLines?: Record<string, string[]> };
}

const root = projectRoot();
const read = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

/** Sentences that point to emergency help, wherever in the wording they are. */
const EMERGENCY = /999|\b111\b|116 123|85258|danger|emergency/i;

/**
 * Every crisis sentence in the knowledge files: the crisis messages whole (line by line), the call-back button, each
 * route's name and how, each kind's label, and any other sentence of the wording that points to emergency help.
 */
function crisisSentences(): { where: string; text: string }[] {
    const wording = read<WordingFile>('knowledge/wording.json');
    const crisis = read<CrisisFile>('knowledge/crisis.json');
    const out: { where: string; text: string }[] = [];
    for (const [key, value] of Object.entries(wording.text)) {
        const whole = key.startsWith('crisis') || key === 'handoffDoneUrgent';
        for (const line of value.split('\n')) {
            const pieces = whole ? [line] : line.split(/(?<=[.!?])\s+/).filter((s) => EMERGENCY.test(s));
            out.push(...pieces.map((text) => ({ where: `wording.json text.${key}`, text })));
        }
    }
    out.push({ where: 'wording.json buttons.callMeBack', text: wording.buttons.callMeBack });
    for (const route of crisis.routes) {
        out.push({ where: 'crisis.json routes', text: route.name }, { where: 'crisis.json routes', text: route.how });
    }
    out.push(...crisis.kinds.map((k) => ({ where: 'crisis.json kinds', text: k.label })));
    // The words for a helper, when the crisis is about someone else (issue 18).
    if (crisis.helping) {
        out.push(...[crisis.helping.intro, ...crisis.helping.lines, crisis.helping.childLine,
            ...Object.values(crisis.helping.kindLines ?? {}).flat()]
            .map((text) => ({ where: 'crisis.json helping', text })));
    }
    return out;
}

/** Phrases the guidance rules out: crime and success words, and any method or means. */
const BANNED: RegExp[] = [
    /\bcommit(?:s|ted|ting)? suicide\b/i, /\bsuccessful (?:suicide|attempt)\b/i, /\b(?:failed|unsuccessful) attempt\b/i,
    /\b(?:hang|hanging|hanged|noose|rope|ligature)\b/i, /\b(?:jump|jumping|bridge|cliff|train|railway)\b/i,
    /\b(?:cut|cutting|blade|razor|knife|wrists?)\b/i,
    /\b(?:pills?|tablets?|paracetamol|medicine|medication|poison|gas|carbon monoxide|gun|shoot|drown)\w*\b/i,
];

describe('the crisis wording', () => {
    const doc = fs.readFileSync(path.join(root, 'docs/crisis-wording.md'), 'utf8');
    const sentences = crisisSentences();

    it('has found the crisis sentences to check', () => {
        expect(sentences.length).to.be.greaterThan(20);
        expect(sentences.map((s) => s.where)).to.include('wording.json text.crisisIntro')
            .and.include('crisis.json routes').and.include('crisis.json helping');
    });

    it('quotes every crisis sentence of the knowledge files, word for word, in docs/crisis-wording.md', () => {
        const missing = sentences.filter((s) => !doc.includes(s.text)).map((s) => `${s.where}: "${s.text}"`);
        expect(missing, 'quote these in docs/crisis-wording.md, with the reason for their words').to.deep.equal([]);
    });

    it('never says "commit suicide", "successful suicide", "failed attempt" or names a method to a resident', () => {
        // Kind labels are for connectors, who need the clinical words ("Overdose or poisoning"); the rest is read by
        // residents.
        const residents = sentences.filter((s) => s.where !== 'crisis.json kinds');
        const faults = residents.flatMap((s) => BANNED.filter((re) => re.test(s.text))
            .map((re) => `${s.where}: "${s.text}" (${re.source})`));
        expect(faults).to.deep.equal([]);
    });

    it('offers the urgent call-back in words that work without buttons', () => {
        const wording = read<WordingFile>('knowledge/wording.json');
        const commands = (read<{ commands: Record<string, string[]> }>('knowledge/wording.json')).commands.callMe;
        expect(commands).to.include(wording.buttons.callMeBack.toLowerCase());
        const said = /"([^"]+)"/.exec(wording.text.crisisCallBack)?.[1];
        expect(commands, 'the words the offer asks the resident to reply with').to.include(said);
    });
});
