import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CONFIG_DOC_PATH, configurationDoc, describeSettings } from '../../src/cli/configDoc';
import { settingsSchema } from '../../src/config';
import { projectRoot } from '../../src/paths';

describe('the configuration reference, docs/configuration.md', () => {
    it('is what `npm run docs:config` writes from the settings schema', () => {
        const file = path.join(projectRoot(), CONFIG_DOC_PATH);
        const written = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
        expect(written === configurationDoc(),
            `${CONFIG_DOC_PATH} is out of date with src/config.ts: run \`npm run docs:config\``).to.equal(true);
    });

    it('names every setting once, each with its meaning', () => {
        const settings = describeSettings();
        expect(settings.map((s) => s.name)).to.deep.equal(Object.keys(settingsSchema.shape));
        for (const s of settings) expect(s.meaning, `${s.name} has no .describe()`).to.not.equal('');
    });

    it('takes defaults and limits from the schema itself', () => {
        const byName = new Map(describeSettings().map((s) => [s.name, s]));
        expect(byName.get('PORT')).to.deep.include({
            default: '3978', allowed: ['must be a whole number from 1 to 65535'],
        });
        expect(byName.get('LOG_LEVEL')!.allowed).to.deep.equal(['one of `debug`, `info`, `warn`, `error`, `silent`']);
        expect(byName.get('LOG_LEVEL')!.default).to.equal('info');
        expect(byName.get('SIGNPOST_CONNECTOR_HOURS')!.default).to.equal('Mon-Fri 09:00-17:00');
        expect(byName.get('SIGNPOST_METRICS_TOKEN')).to.deep.include({
            default: undefined, allowed: ['must be at least 24 characters'],
        });
    });

    it('describes a schema it has never seen', () => {
        const schema = z.object({
            A_NUMBER: z.string().optional().transform((v) => Number(v ?? 7)).describe('a number'),
            A_CHOICE: z.enum(['x', 'y']).optional().describe('a | choice <with> brackets'),
            A_TEXT: z.string().min(2).max(9).optional().describe('some text'),
        });
        const doc = configurationDoc(describeSettings(schema));
        expect(doc).to.include('| `A_NUMBER` | `7` | any text | a number |');
        expect(doc).to.include('| `A_CHOICE` | empty | one of `x`, `y` | a \\| choice &lt;with&gt; brackets |');
        expect(doc).to.include('| `A_TEXT` | empty | 2 to 9 characters | some text |');
    });
});
