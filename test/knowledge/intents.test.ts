/**
 * The intent files (knowledge/intents): one per language, English from the start, validated at start-up so a bad
 * edit names its file and field instead of reaching a resident.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeError } from '../../src/knowledge/faults';
import { loadIntents, QUESTION_TOPICS } from '../../src/knowledge/intents';
import { loadKnowledge } from '../../src/knowledge';
import { projectRoot } from '../../src/paths';
import { tempDir } from '../helpers/tmp';

const knowledge = path.join(projectRoot(), 'knowledge');

describe('the intent files', () => {
    it('has English, valid, with every question topic and no phrase twice in one list', () => {
        const en = loadIntents(knowledge).get('en');
        expect(en).to.not.equal(undefined);
        expect(Object.keys(en!.question.topics)).to.deep.equal([...QUESTION_TOPICS]);
        for (const [name, list] of [['yes', en!.yes], ['no', en!.no], ['thanks', en!.thanks]] as const) {
            expect(new Set(list).size, name).to.equal(list.length);
        }
        // A word can not be both yes and no.
        expect(en!.yes.filter((y) => en!.no.includes(y))).to.deep.equal([]);
    });

    it('is loaded and checked with the rest of the knowledge', () => {
        expect(loadKnowledge(knowledge).intents.get('en')?.language).to.equal('en');
    });

    describe('a faulty file', () => {
        let tmp: ReturnType<typeof tempDir>;
        beforeEach(() => {
            tmp = tempDir();
            fs.mkdirSync(path.join(tmp.dir, 'intents'));
        });
        afterEach(() => tmp.remove());
        const write = (name: string, change: (d: Record<string, unknown>) => void) => {
            const data = JSON.parse(fs.readFileSync(path.join(knowledge, 'intents', 'en.json'), 'utf8'));
            change(data);
            fs.writeFileSync(path.join(tmp.dir, 'intents', name), JSON.stringify(data));
        };
        const faultOf = () => {
            try {
                loadIntents(tmp.dir);
            } catch (err) {
                expect(err).to.be.instanceOf(KnowledgeError);
                return (err as KnowledgeError).faults.map((f) => `${f.file} ${f.field ?? ''} ${f.message}`).join('\n');
            }
            return 'no fault';
        };

        it('names a phrase in capitals', () => {
            write('en.json', (d) => { (d.yes as string[]).push('Aye'); });
            expect(faultOf()).to.match(/intents\/en\.json.*yes/).and.match(/lower case/);
        });
        it('names a missing list', () => {
            write('en.json', (d) => { delete d.no; });
            expect(faultOf()).to.match(/intents\/en\.json.*no/);
        });
        it('names a file whose language is not its name', () => {
            write('en.json', () => undefined);
            write('cy.json', () => undefined);
            expect(faultOf()).to.match(/intents\/cy\.json.*language "en"/);
        });
        it('needs English', () => {
            expect(faultOf()).to.match(/intents\/en\.json.*missing/);
        });
    });
});
