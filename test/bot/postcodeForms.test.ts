/**
 * Only a postcode's district is stored, however the resident types the postcode (issue 13, item 5): proved on the
 * raw bytes of the SQLite file and through the ports, for forms the bot understands but used to keep whole.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { Conversation, testApp, type TestApp } from '../helpers/app';
import { play } from '../dialogs/play';

/** Every row of every table of the SQLite file, as text, folded to plain forms (full-width, no-break spaces). */
function rawText(dataDir: string): string {
    const db = new Database(path.join(dataDir, 'signpost.db'), { readonly: true });
    try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        return tables.flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).all() as object[])
            .map((row) => JSON.stringify(row))).join('\n').normalize('NFKC');
    } finally {
        db.close();
    }
}

/** The inward code 9QT however it is spaced, cased or punctuated (JSON escapes such as \t included). */
const INWARD = /9(?:[^a-z0-9]|\\[tn]){0,4}q(?:[^a-z0-9]|\\[tn]){0,4}t/i;

describe('keeping only the district of a postcode typed in an unusual form', () => {
    let app: TestApp;
    beforeEach(() => (app = testApp()));
    afterEach(async () => app.dispose());

    const journeys = [['I live at BS5\t9QT and I am so lonely', 'B S 5 9 Q T'],
        ['I live at BS5-9QT and I am so lonely', 'ＢＳ５\u00A0９ＱＴ'], ['I live at BS5 9 QT and I am so lonely', 'bs5/9qt']];
    for (const [sentence, answer] of journeys) {
        it(`stores no inward code for ${JSON.stringify(sentence)} then ${JSON.stringify(answer)}`, async () => {
            const c = new Conversation(app);
            await c.join();
            await play(c, [
                { say: sentence, expect: [/It sounds like/] },
                { say: 'yes' },
                { say: answer, expect: [/near BS5/] },
            ]);
            const text = rawText(app.dataDir);
            expect(text, 'the journey was stored').to.include('so lonely');
            expect(INWARD.exec(text)?.[0], 'the inward part of the postcode is stored').to.equal(undefined);
            expect(text).to.include('BS5');
        });
    }
});
