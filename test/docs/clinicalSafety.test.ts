/**
 * The hazard log (docs/clinical-safety.md) names, for each control, the test that proves it. This keeps it true:
 * every named test must still exist, with that title, in that file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const doc = fs.readFileSync(path.join(root, 'docs/clinical-safety.md'), 'utf8');

/** Every "`test/file.ts` — “title”" in the log; a reference may run over a line break. */
function namedTests(): { file: string; title: string }[] {
    const flat = doc.replace(/\s*\n\s*/g, ' ');
    return [...flat.matchAll(/`(test\/[^`]+\.ts)` — “([^”]+)”/g)].map((m) => ({ file: m[1], title: m[2] }));
}

/** The title as it may be written in a test's source: in single, double or back quotes. */
function written(source: string, title: string): boolean {
    return [title, title.replace(/'/g, "\\'")].some((t) => source.includes(`'${t}'`) || source.includes(`"${t}"`)
        || source.includes(`\`${t}\``));
}

describe('the clinical safety hazard log', () => {
    const named = namedTests();

    it('names a test for the controls of every hazard', () => {
        const hazards = [...doc.matchAll(/^## (H\d+)\. /gm)].map((m) => m[1]);
        expect(hazards).to.deep.equal(
            ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9', 'H10', 'H11', 'H12', 'H13', 'H14', 'H15', 'H16']);
        for (const section of doc.split(/^## (?=H\d+\. )/m).slice(1)) {
            const id = section.slice(0, 3);
            expect(section, `${id} has no test named`).to.match(/`test\/[^`]+\.ts` —/);
            expect(section, `${id} rates its risk`).to.match(/\*\*Initial:\*\*/).and.match(/\*\*Residual:\*\*/);
        }
        expect(named.length).to.be.greaterThan(30);
    });

    it('names only tests that exist, with their exact titles, in the files it says', () => {
        const missing = named.filter(({ file, title }) => {
            const full = path.join(root, file);
            return !fs.existsSync(full) || !written(fs.readFileSync(full, 'utf8'), title);
        }).map(({ file, title }) => `${file}: “${title}”`);
        expect(missing, 'tests named in docs/clinical-safety.md that do not exist').to.deep.equal([]);
    });

    it('says unreviewed wording in other languages must be reviewed by fluent speakers before going live', () => {
        const h11 = doc.split(/^## (?=H\d+\. )/m).find((s) => s.startsWith('H11.')) ?? '';
        expect(h11).to.match(/crisis in another language is missed or misread/)
            .and.match(/fluent speakers must review/).and.match(/"reviewed": false/);
    });

    it('says the deploying organisation must appoint a clinical safety officer', () => {
        expect(doc).to.match(/Clinical safety officer \(CSO\): the deploying organisation must appoint one/);
    });
});
