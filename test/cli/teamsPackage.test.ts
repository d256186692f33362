import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadConfig } from '../../src/config';
import { packageConfig, teamsManifestSchema, writeTeamsPackage } from '../../src/cli/teamsPackage';
import { projectRoot } from '../../src/paths';
import { shippedKnowledge } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** Width, height and RGBA pixels of a PNG written without filtering (as ours are). */
function readPng(data: Buffer): { width: number; height: number; rgba: Buffer } {
    expect(data.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
    let offset = 8;
    let width = 0;
    let height = 0;
    const idat: Buffer[] = [];
    while (offset < data.length) {
        const length = data.readUInt32BE(offset);
        const type = data.toString('ascii', offset + 4, offset + 8);
        const body = data.subarray(offset + 8, offset + 8 + length);
        expect(data.readUInt32BE(offset + 8 + length), `${type} checksum`).to.equal(zlib.crc32(data.subarray(offset + 4,
            offset + 8 + length)));
        if (type === 'IHDR') {
            width = body.readUInt32BE(0);
            height = body.readUInt32BE(4);
            expect([...body.subarray(8, 10)]).to.deep.equal([8, 6]); // 8-bit RGBA
        }
        if (type === 'IDAT') idat.push(body);
        offset += 12 + length;
    }
    const rows = zlib.inflateSync(Buffer.concat(idat));
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
        expect(rows[y * (width * 4 + 1)], 'row filter').to.equal(0);
        rows.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
    }
    return { width, height, rgba };
}

/** The files at the root of a zip, read through its central directory. */
function readZip(data: Buffer): Map<string, Buffer> {
    const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const count = data.readUInt16LE(end + 10);
    let offset = data.readUInt32LE(end + 16);
    const files = new Map<string, Buffer>();
    for (let i = 0; i < count; i++) {
        expect(data.readUInt32LE(offset)).to.equal(0x02014b50);
        const size = data.readUInt32LE(offset + 20);
        const nameLength = data.readUInt16LE(offset + 28);
        const local = data.readUInt32LE(offset + 42);
        const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const content = zlib.inflateRawSync(data.subarray(start, start + size));
        expect(zlib.crc32(content), `${name} checksum`).to.equal(data.readUInt32LE(offset + 16));
        files.set(name, content);
        offset += 46 + nameLength + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
    }
    return files;
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

    it('has a 192x192 colour icon and a 32x32 outline icon in white on transparent', () => {
        const color = readPng(fs.readFileSync(path.join(tmp.dir, 'color.png')));
        expect([color.width, color.height]).to.deep.equal([192, 192]);
        const outline = readPng(fs.readFileSync(path.join(tmp.dir, 'outline.png')));
        expect([outline.width, outline.height]).to.deep.equal([32, 32]);
        let drawn = 0;
        for (let i = 0; i < outline.rgba.length; i += 4) {
            expect([...outline.rgba.subarray(i, i + 3)]).to.deep.equal([255, 255, 255]);
            if (outline.rgba[i + 3] > 0) drawn++;
        }
        expect(drawn, 'something is drawn').to.be.within(50, 32 * 32 - 50);
    });

    it('zips the manifest and both icons at the root, as Teams takes them', () => {
        const files = readZip(fs.readFileSync(path.join(tmp.dir, 'brackenford-signpost-teams.zip')));
        expect([...files.keys()]).to.deep.equal(['manifest.json', 'color.png', 'outline.png']);
        expect(files.get('manifest.json')!.equals(fs.readFileSync(path.join(tmp.dir, 'manifest.json')))).to.equal(true);
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
