import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import {
    ESCALATION_FIELD_NOTES, PRIVACY_DOC_PATH, RETENTION_SETTINGS, interfaceFields, privacyBlocks, updatePrivacyDoc,
} from '../../src/cli/privacyDoc';
import { settingsSchema } from '../../src/config';
import { projectRoot } from '../../src/paths';

describe('the privacy data map, docs/privacy.md', () => {
    const file = path.join(projectRoot(), PRIVACY_DOC_PATH);

    it('says what the code does: its generated parts are what `npm run docs:privacy` writes', async () => {
        const written = fs.readFileSync(file, 'utf8');
        expect(updatePrivacyDoc(written, await privacyBlocks()) === written,
            `${PRIVACY_DOC_PATH} is out of date with the code: run \`npm run docs:privacy\``).to.equal(true);
    });

    it('has a privacy note for every field a request for contact holds', () => {
        const source = fs.readFileSync(path.join(projectRoot(), 'src/storage/escalationRecord.ts'), 'utf8');
        const fields = interfaceFields(source, 'Escalation').map((f) => f.name);
        expect(fields).to.include.members(['contact', 'summary', 'transcript', 'conversationReference']);
        expect(fields.filter((f) => !(f in ESCALATION_FIELD_NOTES)), 'fields with no note in src/cli/privacyDoc.ts')
            .to.deep.equal([]);
        expect(fs.readFileSync(file, 'utf8')).to.not.include('NOT YET ASSESSED');
    });

    it('lists the retention settings with their defaults from the settings schema', async () => {
        const { retention } = await privacyBlocks();
        for (const name of RETENTION_SETTINGS) {
            const setting = settingsSchema.shape[name];
            expect(retention).to.include(`| \`${name}\` | ${String(setting.parse(undefined))} |`);
        }
    });

    it('lists every table the embedded store makes, with the personal ones among them', async () => {
        const { stores } = await privacyBlocks();
        for (const table of ['state', 'escalations', 'escalation_audit', 'dl_activities', 'sms_opt_outs']) {
            expect(stores).to.include(`| \`${table}\` |`);
        }
    });

    it('reads fields from an interface written over several lines', () => {
        const fields = interfaceFields([
            'export interface Thing {', '    /** The id. */', '    id: string;', '    nested?: {',
            '        a: string;', '        b?: { c: number }[];', '    };', '}',
        ].join('\n'), 'Thing');
        expect(fields).to.deep.equal([
            { name: 'id', optional: false, comment: 'The id.', parts: [] },
            { name: 'nested', optional: true, comment: '', parts: ['a', 'b'] },
        ]);
    });
});
