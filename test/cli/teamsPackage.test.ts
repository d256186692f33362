import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG, type PNGWithMetadata } from 'pngjs';
import { loadConfig } from '../../src/config';
import { ACCENT_COLOUR, packageConfig, teamsManifestSchema, writeTeamsPackage } from '../../src/cli/teamsPackage';
import { projectRoot } from '../../src/paths';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** An icon read back by pngjs, which checks every chunk's checksum and the compressed pixels as it parses. */
function readPng(data: Uint8Array): PNGWithMetadata {
    return PNG.sync.read(Buffer.from(data));
}

/** The files of a zip, read back by fflate: a broken directory or compressed stream throws. */
function readZip(data: Buffer): Map<string, Buffer> {
    return new Map(Object.entries(unzipSync(new Uint8Array(data))).map(([name, bytes]) => [name, Buffer.from(bytes)]));
}

describe('the Teams app package', () => {
    const tmp = tempDir();
    after(() => tmp.remove());
    const config = loadConfig({
        MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', SIGNPOST_PUBLIC_URL: 'https://chat.example.org/',
        SIGNPOST_SERVICE_NAME: 'Brackenford Signpost', SIGNPOST_ORGANISATION: 'Brackenford Council',
    });

    it('has a manifest of the Teams v1.17 schema\'s shape, made from the settings', () => {
        const zipPath = writeTeamsPackage(config, shippedKnowledge().wording, tmp.dir, '0.1.0');
        expect(path.basename(zipPath)).to.equal('brackenford-signpost-teams.zip');
        const manifest = JSON.parse(fs.readFileSync(path.join(tmp.dir, 'manifest.json'), 'utf8'));
        expect(teamsManifestSchema.safeParse(manifest).error?.issues ?? []).to.deep.equal([]);
        expect(manifest.id).to.equal(APP_ID);
        expect(manifest.bots[0]).to.deep.include({ botId: APP_ID, scopes: ['personal'] });
        expect(manifest.name.short).to.equal('Brackenford Signpost');
        expect(manifest.developer).to.deep.equal({
            name: 'Brackenford Council', websiteUrl: 'https://chat.example.org',
            privacyUrl: 'https://chat.example.org/#privacy', termsOfUseUrl: 'https://chat.example.org/#privacy',
        });
        expect(manifest.validDomains).to.deep.equal(['chat.example.org']);
        expect(manifest.description.full).to.match(/computer program, not a person/);
    });

    it('has a 192x192 colour icon and a 32x32 outline icon in white on transparent, 8-bit RGBA', () => {
        const color = readPng(fs.readFileSync(path.join(tmp.dir, 'color.png')));
        expect([color.width, color.height, color.colorType, color.depth]).to.deep.equal([192, 192, 6, 8]);
        const outline = readPng(fs.readFileSync(path.join(tmp.dir, 'outline.png')));
        expect([outline.width, outline.height, outline.colorType, outline.depth]).to.deep.equal([32, 32, 6, 8]);
        let drawn = 0;
        for (let i = 0; i < outline.data.length; i += 4) {
            expect([...outline.data.subarray(i, i + 3)]).to.deep.equal([255, 255, 255]);
            if (outline.data[i + 3] > 0) drawn++;
        }
        expect(drawn, 'something is drawn').to.be.within(50, 32 * 32 - 50);
    });

    it('draws the colour icon in white on the accent colour, opaque, the sign inside a margin', () => {
        const color = readPng(fs.readFileSync(path.join(tmp.dir, 'color.png')));
        const accent = [1, 3, 5].map((i) => parseInt(ACCENT_COLOUR.slice(i, i + 2), 16));
        const pixel = (x: number, y: number) => [...color.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
        let white = 0;
        for (let y = 0; y < 192; y++) {
            for (let x = 0; x < 192; x++) {
                const [r, g, b, a] = pixel(x, y);
                expect(a, `alpha at ${x},${y}`).to.equal(255);
                if (r === 255 && g === 255 && b === 255) white++;
                const inMargin = Math.min(x, y, 191 - x, 191 - y) < 192 * 0.12 - 1;
                if (inMargin) expect([r, g, b], `margin at ${x},${y}`).to.deep.equal(accent);
            }
        }
        expect(pixel(96, 96).slice(0, 3), 'the post, in the middle').to.deep.equal([255, 255, 255]);
        expect(white, 'white pixels').to.be.within(192 * 192 * 0.1, 192 * 192 * 0.4);
    });

    it('zips the manifest and both icons at the root, as Teams takes them', () => {
        const files = readZip(fs.readFileSync(path.join(tmp.dir, 'brackenford-signpost-teams.zip')));
        expect([...files.keys()]).to.deep.equal(['manifest.json', 'color.png', 'outline.png']);
        for (const [name, bytes] of files) {
            expect(bytes.equals(fs.readFileSync(path.join(tmp.dir, name))), `${name} as written beside`).to.equal(true);
        }
        const icons = [files.get('color.png')!, files.get('outline.png')!].map((data) => readPng(data).width);
        expect(icons).to.deep.equal([192, 32]);
    });

    it('makes the same bytes from the same settings, so a package can be checked against another', async () => {
        const first = fs.readFileSync(path.join(tmp.dir, 'brackenford-signpost-teams.zip'));
        await new Promise((resolve) => setTimeout(resolve, 2100)); // a zip's clock counts in two seconds
        const again = path.join(tmp.dir, 'again');
        const second = fs.readFileSync(writeTeamsPackage(config, shippedKnowledge().wording, again, '0.1.0'));
        expect(second.equals(first)).to.equal(true);
    });

    it('is refused, naming the setting, without the bot\'s app id or public address', () => {
        const script = path.join(projectRoot(), 'dist/src/cli/teamsPackage.js');
        const noId = spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
        expect(noId.status).to.equal(1);
        expect(noId.stderr).to.include('MicrosoftAppId');
        const noUrl = spawnSync(process.execPath, [script], {
            env: { PATH: process.env.PATH, MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x' }, encoding: 'utf8',
        });
        expect(noUrl.status).to.equal(1);
        expect(noUrl.stderr).to.include('SIGNPOST_PUBLIC_URL');
    });

    describe('made from the Azure deployment\'s parameter file', () => {
        const shipped = path.join(projectRoot(), 'deploymentTemplates', 'azure',
            'template-with-preexisting-rg.parameters.json');
        const script = path.join(projectRoot(), 'dist/src/cli/teamsPackage.js');
        /** The shipped parameter file with some values filled in, written to a temporary folder. */
        const parameterFile = (values: Record<string, unknown>): string => {
            const file = JSON.parse(fs.readFileSync(shipped, 'utf8')) as { parameters: Record<string, unknown> };
            for (const [name, value] of Object.entries(values)) file.parameters[name] = { value };
            const out = path.join(tmp.dir, `p${Math.random().toString(36).slice(2)}.parameters.json`);
            fs.writeFileSync(out, JSON.stringify(file));
            return out;
        };
        const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [script, ...args],
            { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });

        it('takes the app id, the service\'s name and its addresses from the file, as the deployment did', () => {
            const file = parameterFile({
                botName: 'brackenford-signpost', appType: 'SingleTenant', appId: APP_ID,
                serviceName: 'Brackenford Signpost', organisation: 'Brackenford Council',
                privacyUrl: 'https://www.brackenford.gov.uk/privacy',
            });
            const config = packageConfig({ parameters: file }, { SIGNPOST_SERVICE_NAME: 'Somewhere Else' });
            expect(config.auth.appId).to.equal(APP_ID);
            expect(config.serviceName).to.equal('Brackenford Signpost');
            expect(config.publicUrl).to.equal('https://brackenford-signpost.azurewebsites.net');
            expect(config.privacyUrl).to.equal('https://www.brackenford.gov.uk/privacy');
            const out = path.join(tmp.dir, 'from-file');
            const done = run(['--parameters', file, '--out', out]);
            expect(done.stderr).to.equal('');
            expect(done.status).to.equal(0);
            const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
            expect(manifest.bots[0].botId).to.equal(APP_ID);
            expect(manifest.developer.name).to.equal('Brackenford Council');
        });

        it('with a managed identity, takes the app id Azure made from --app-id (or MicrosoftAppId)', () => {
            const file = parameterFile({ botName: 'brackenford-signpost', publicUrl: 'https://chat.example.org' });
            expect(packageConfig({ parameters: file, appId: APP_ID }, {}).auth.appId).to.equal(APP_ID);
            expect(packageConfig({ parameters: file }, { MicrosoftAppId: APP_ID }).auth.appId).to.equal(APP_ID);
            const missing = run(['--parameters', file]);
            expect(missing.status).to.equal(1);
            expect(missing.stderr).to.include('managed identity').and.include('microsoftAppId').and.include('--app-id');
        });

        it('refuses placeholders still in the file, naming the parameter, and writes nothing', () => {
            const out = path.join(tmp.dir, 'placeholder');
            const asShipped = run(['--parameters', shipped, '--app-id', APP_ID, '--out', out]);
            expect(asShipped.status).to.equal(1);
            expect(asShipped.stderr).to.include('parameter botName').and.include('"<your-bot-name>"');
            const appId = run(['--parameters', parameterFile({ botName: 'b', appId: '<your-app-id>' }), '--out', out]);
            expect(appId.status).to.equal(1);
            expect(appId.stderr).to.include('parameter appId').and.include('placeholder');
            const zeros = run(['--app-id', '00000000-0000-0000-0000-000000000000', '--out', out],
                { SIGNPOST_PUBLIC_URL: 'https://chat.example.org' });
            expect(zeros.status).to.equal(1);
            expect(zeros.stderr).to.include('--app-id').and.include('placeholder');
            expect(fs.existsSync(out)).to.equal(false);
        });

        it('names the parameter a bad value came from, and refuses an app id that is not a GUID', () => {
            const file = parameterFile({ botName: 'b', privacyUrl: 'http://insecure.example.org' });
            expect(() => packageConfig({ parameters: file, appId: APP_ID }, {}))
                .to.throw(/setting SIGNPOST_PRIVACY_URL \(parameter privacyUrl in .+\) must start with https:\/\//);
            expect(() => packageConfig({ appId: 'my-bot' }, {})).to.throw(/--app-id option must be the bot's app id/);
            const usage = run(['--colour', 'blue']);
            expect(usage.status).to.equal(2);
            expect(usage.stderr).to.include('usage: npm run teams:package');
        });
    });
});
