/**
 * The language files (knowledge/languages): every language of the eval sets has one, with every line, rules for
 * every crisis kind, and a review flag; the lines are short enough for SMS; a fault names its file and field.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { smsSegments } from '../../src/channels/text';
import { SMS_MAX_SEGMENTS } from '../../src/channels/smsRenderer';
import { KnowledgeError } from '../../src/knowledge/faults';
import { CRISIS_KINDS, LanguageWording, loadLanguages } from '../../src/knowledge/languages';
import { loadWording } from '../../src/knowledge/wording';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const knowledge = path.join(projectRoot(), 'knowledge');
/** The 22 languages of test/fixtures/eval/languages/README.md (ONS TS024 top 20, Kurdish and Welsh). */
const CODES = ['ar', 'bg', 'bn', 'cy', 'el', 'es', 'fa', 'fr', 'gu', 'hu', 'it', 'ku', 'lt', 'pa', 'pl', 'pt', 'ro',
    'ru', 'ta', 'tr', 'ur', 'zh'];
/**
 * The English word a resident says to 999 or 111 where it is not the file's name, as interpreting services list the
 * language: Chinese speakers say Mandarin or Cantonese, Iranians Farsi and Afghans Dari, and "Punjabi" is the spelling.
 */
const INTERPRETER_NAME: Readonly<Record<string, string>> = { zh: 'Mandarin', pa: 'Punjabi', fa: 'Farsi' };

describe('the language files', () => {
    const files = loadLanguages(knowledge);

    it('cover every language of the eval sets, each with every line and a rule for every crisis kind', () => {
        expect(files.map((f) => f.code)).to.deep.equal(CODES);
        for (const f of files) {
            for (const line of [f.wording.crisis, f.wording.child, f.wording.unsupported]) {
                expect(line, f.code).to.be.a('string').and.not.equal('');
            }
            expect(f.person.length, f.code).to.be.greaterThan(0);
            expect(new Set(f.crisis.rules.map((r) => r.kind)), f.code).to.deep.equal(new Set(CRISIS_KINDS));
        }
    });

    it('say 999 with the language\'s name in English, the Samaritans, and Childline and the NSPCC for a child', () => {
        for (const f of files) {
            expect(f.wording.crisis, f.code).to.include('999').and.include(INTERPRETER_NAME[f.code] ?? f.name);
            // Welsh gets the Samaritans' Welsh Language Line.
            expect(f.wording.crisis, f.code).to.include(f.code === 'cy' ? '0808 164 0123' : '116 123');
            expect(f.wording.child, f.code).to.include('0800 1111').and.include('0808 800 5000');
            expect(f.wording.unsupported, f.code).to.include('person');
        }
    });

    it('are marked as not reviewed by a fluent speaker until one has, who and when', () => {
        for (const f of files) {
            if (f.reviewed) expect([f.reviewedBy, f.reviewedOn], f.code).to.not.include(undefined);
            else expect(f.reviewedBy, f.code).to.equal(undefined);
        }
    });

    it('say what the routes really offer, in the reviewed wording', () => {
        const wording = (code: string) => files.find((f) => f.code === code)?.wording;
        // The Welsh Language Line has limited hours: 116 123 any time; no promise of a Welsh-speaking connector.
        expect(wording('cy')?.crisis).to.include('116 123');
        expect(wording('cy')?.unsupported).to.not.include('yn Gymraeg');
        expect(wording('pt')?.child).to.include('Se for sobre uma criança');
        expect(wording('it')?.crisis).to.include('a qualsiasi ora').and.not.include('a ogni ora');
        expect(wording('pl')?.crisis).to.include('Samaritans');
        expect(wording('ku')?.crisis).to.include('Kurmanji').and.include('Sorani');
        // NHS 111 (urgent but not an emergency) in every language, as 999 it has interpreters.
        for (const f of files) expect(f.wording.crisis, f.code).to.include('NHS 111');
    });

    it('let a resident ask for a person in their language, typed with or without accents and marks', () => {
        const wording = loadWording(knowledge);
        wording.addCommandPhrases('talkToPerson', files.flatMap((f) => f.person));
        const bare = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC');
        for (const f of files) {
            // The word the unsupported line tells them to type in their language is one of them ("person" is
            // also the Welsh word).
            const asked = [...f.wording.unsupported.matchAll(/["“„«]([^"”“«»]+)["”“»]/g)]
                .map((m) => (m[1] as string).trim());
            const own = f.code === 'cy' ? asked : asked.filter((w) => w !== 'person');
            expect(own, f.code).to.not.deep.equal([]);
            expect(f.person, f.code).to.include.members(own);
            for (const word of f.person) {
                expect(wording.command(word), `${f.code} ${word}`).to.equal('talkToPerson');
                // Latin, Greek and Cyrillic marks are often left out; other scripts' vowel signs are spelling.
                if (/^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{M} ’']+$/u.test(word)) {
                    expect(wording.command(bare(word)), `${f.code} ${bare(word)}`).to.equal('talkToPerson');
                }
            }
        }
    });

    it('write phone numbers in right-to-left lines so they read in the right order (no right-to-left mark)', () => {
        // A right-to-left mark before "116 123" makes the space between the groups right-to-left, so the groups
        // show swapped ("123 116"); after an English name ("Samaritans") the number runs left to right as dialled.
        for (const f of files) {
            for (const line of Object.values(f.wording)) expect(line, f.code).to.not.match(/[\u200f\u061c]/);
        }
    });

    it('keep the line before the routes, with the Childline line, within the SMS message limit', () => {
        const lines = new LanguageWording(files);
        for (const f of files) {
            const line = lines.crisisLine(f.code, true) as string;
            expect(smsSegments(line), `${f.code}: ${line}`).to.be.at.most(SMS_MAX_SEGMENTS);
            expect(smsSegments(f.wording.unsupported), f.code).to.be.at.most(SMS_MAX_SEGMENTS);
        }
    });

    it('name the file and field of a rule that is not a regular expression or a kind that has no rule', () => {
        const { dir, remove } = tempDir();
        try {
            fs.mkdirSync(path.join(dir, 'languages'));
            const pl = JSON.parse(fs.readFileSync(path.join(knowledge, 'languages', 'pl.json'), 'utf8'));
            pl.crisis.rules = pl.crisis.rules.filter((r: { kind: string }) => r.kind !== 'overdose');
            pl.crisis.rules[0].pattern = '\\bzabi(';
            fs.writeFileSync(path.join(dir, 'languages', 'pl.json'), JSON.stringify(pl));
            expect(() => loadLanguages(dir)).to.throw(KnowledgeError).that.satisfies((e: KnowledgeError) => {
                const said = e.faults.map((f) => `${f.file} ${f.field}: ${f.message}`).join('\n');
                expect(said).to.include('languages/pl.json crisis.rules.0.pattern')
                    .and.include('has no rule for overdose');
                return true;
            });
        } finally {
            remove();
        }
    });
});
