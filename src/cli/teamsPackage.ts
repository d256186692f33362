/**
 * `npm run teams:package`: the Microsoft Teams app package (manifest v1.17, colour and outline icons, zipped) made
 * from the settings, into deploymentTemplates/teams/. Icons are drawn here, so nothing is fetched, and written by
 * pngjs; fflate zips the files. The manifest is checked against the shape of the v1.17 schema before anything is
 * written.
 *
 * `npm run teams:package -- --parameters deploymentTemplates/azure/template-with-preexisting-rg.parameters.json`
 * takes the bot's app id, the service's name and its addresses from the same parameter file the Azure deployment
 * used, so the package and the deployment cannot disagree. Without it, they come from the settings (environment).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config';
import { KnowledgeError } from '../knowledge/faults';
import { loadWording, type Wording } from '../knowledge/wording';
import { projectRoot } from '../paths';

export const MANIFEST_VERSION = '1.17';
const SCHEMA_URL = 'https://developer.microsoft.com/en-us/json-schemas/teams/'
    + `v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
/** The brand colour behind the colour icon and in Teams' accent (white on it passes WCAG AA). */
export const ACCENT_COLOUR = '#0B3D6E';

const https = z.string().max(2048).regex(/^https:\/\//, 'must start with https://');
const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    'must be a GUID');

/** The parts of the Teams v1.17 manifest schema a bot-only app uses: required fields, lengths and patterns. */
export const teamsManifestSchema = z.object({
    $schema: z.literal(SCHEMA_URL),
    manifestVersion: z.literal(MANIFEST_VERSION),
    version: z.string().regex(/^([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)\.([0-9]|[1-9][0-9]*)$/).max(256),
    id: guid,
    developer: z.object({
        name: z.string().min(1).max(32),
        websiteUrl: https,
        privacyUrl: https,
        termsOfUseUrl: https,
    }).strict(),
    name: z.object({ short: z.string().min(1).max(30), full: z.string().min(1).max(100) }).strict(),
    description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }).strict(),
    icons: z.object({ color: z.string().min(1).max(2048), outline: z.string().min(1).max(2048) }).strict(),
    accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    bots: z.array(z.object({
        botId: guid,
        scopes: z.array(z.enum(['team', 'personal', 'groupChat'])).min(1).max(3),
        supportsFiles: z.boolean(),
        isNotificationOnly: z.boolean(),
    }).strict()).length(1),
    permissions: z.array(z.enum(['identity', 'messageTeamMembers'])),
    validDomains: z.array(z.string().max(2048).regex(/^[^/:]+$/, 'a host name, without https:// or a path')).max(16),
}).strict();

export type TeamsManifest = z.infer<typeof teamsManifestSchema>;

/** Thrown when a setting the package needs is missing; the message names it. */
export class TeamsPackageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'TeamsPackageError';
    }
}

/** The manifest for this deployment: the bot's app id, the service's name and public address. */
export function buildManifest(config: Config, wording: Wording, version: string): TeamsManifest {
    const appId = config.auth.appId;
    if (!appId) throw new TeamsPackageError('setting MicrosoftAppId is needed: the Azure Bot\'s app id (a GUID)');
    if (!config.publicUrl?.startsWith('https://')) {
        throw new TeamsPackageError('setting SIGNPOST_PUBLIC_URL is needed: this server\'s public https:// address');
    }
    const privacyUrl = config.privacyUrl ?? `${config.publicUrl}/#privacy`;
    const { serviceName } = config;
    const manifest = {
        $schema: SCHEMA_URL,
        manifestVersion: MANIFEST_VERSION,
        version,
        id: appId,
        developer: {
            name: config.organisation,
            websiteUrl: config.publicUrl,
            privacyUrl,
            termsOfUseUrl: config.termsUrl ?? privacyUrl,
        },
        name: { short: serviceName.slice(0, 30), full: serviceName },
        description: {
            short: wording.text('teamsShortDescription').slice(0, 80),
            full: wording.text('teamsFullDescription', { serviceName, stateDays: config.stateDays }),
        },
        icons: { color: 'color.png', outline: 'outline.png' },
        accentColor: ACCENT_COLOUR,
        bots: [{ botId: appId, scopes: ['personal'], supportsFiles: false, isNotificationOnly: false }],
        permissions: ['identity', 'messageTeamMembers'],
        validDomains: [new URL(config.publicUrl).hostname],
    };
    const parsed = teamsManifestSchema.safeParse(manifest);
    if (!parsed.success) {
        throw new TeamsPackageError(`the Teams manifest would be invalid: ${parsed.error.issues
            .map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    return parsed.data;
}

/** Writes manifest.json, color.png, outline.png and the zip Teams takes into `outDir`. Returns the zip's path. */
export function writeTeamsPackage(config: Config, wording: Wording, outDir: string, version: string): string {
    const manifest = buildManifest(config, wording, version);
    const files: [string, Buffer][] = [
        ['manifest.json', Buffer.from(JSON.stringify(manifest, null, 4) + '\n')],
        ['color.png', signpostIcon(192, 'color')],
        ['outline.png', signpostIcon(32, 'outline')],
    ];
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, data] of files) fs.writeFileSync(path.join(outDir, name), data);
    const slug = config.serviceName.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'signpost';
    const zipPath = path.join(outDir, `${slug}-teams.zip`);
    fs.writeFileSync(zipPath, zip(files));
    return zipPath;
}

/** True where the signpost (a post with two arrow boards) covers the point (u, v) of a unit square. */
function onSignpost(u: number, v: number): boolean {
    if (u > 0.46 && u < 0.54 && v > 0.18 && v < 0.9) return true; // post
    if (u > 0.34 && u < 0.66 && v > 0.86 && v < 0.92) return true; // foot
    if (v > 0.24 && v < 0.42) { // board pointing right
        if (u > 0.26 && u < 0.7) return true;
        if (u >= 0.7 && u < 0.7 + (0.09 - Math.abs(v - 0.33))) return true;
    }
    if (v > 0.48 && v < 0.66) { // board pointing left
        if (u > 0.3 && u < 0.74) return true;
        if (u <= 0.3 && u > 0.3 - (0.09 - Math.abs(v - 0.57))) return true;
    }
    return false;
}

/**
 * A square PNG of the signpost: 'color' is white on the accent colour (opaque); 'outline' is white on transparent,
 * as Teams requires for its 32x32 outline icon. Edges are smoothed by sampling each pixel 4x4 times. pngjs writes
 * it: 8 bits a channel, RGBA, which Teams takes for both icons.
 */
export function signpostIcon(size: number, kind: 'color' | 'outline'): Buffer {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(ACCENT_COLOUR.slice(i, i + 2), 16));
    const image = new PNG({ width: size, height: size });
    const margin = kind === 'color' ? 0.12 : 0;
    const n = 4;
    for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
            let hits = 0;
            for (let sy = 0; sy < n; sy++) {
                for (let sx = 0; sx < n; sx++) {
                    const u = ((x + (sx + 0.5) / n) / size - margin) / (1 - 2 * margin);
                    const v = ((y + (sy + 0.5) / n) / size - margin) / (1 - 2 * margin);
                    if (onSignpost(u, v)) hits++;
                }
            }
            const cover = hits / (n * n);
            const i = (y * size + x) * 4;
            if (kind === 'outline') {
                image.data.set([255, 255, 255, Math.round(cover * 255)], i);
            } else {
                const mix = (c: number) => Math.round(c + (255 - c) * cover);
                image.data.set([mix(r), mix(g), mix(b), 255], i);
            }
        }
    }
    return PNG.sync.write(image, { colorType: 6, bitDepth: 8 });
}

/**
 * When every file in the zip says it was made, so the same settings give the same bytes (fflate would stamp the time
 * of writing). Local midnight, as fflate reads the date's local fields: 2024-01-01 00:00 in any time zone.
 */
const ZIP_TIME = new Date(2024, 0, 1);

/** A zip of files at its root (deflated), by fflate, in the order given. */
function zip(files: [string, Buffer][]): Buffer {
    const entries = Object.fromEntries(files.map(([name, data]) => [name, new Uint8Array(data)]));
    return Buffer.from(zipSync(entries, { level: 9, mtime: ZIP_TIME }));
}

// --- settings from a deployment parameter file ---

/** Template parameters (deploymentTemplates/azure) the package uses, and the settings they become. */
const PARAMETER_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
    serviceName: 'SIGNPOST_SERVICE_NAME',
    organisation: 'SIGNPOST_ORGANISATION',
    publicUrl: 'SIGNPOST_PUBLIC_URL',
    privacyUrl: 'SIGNPOST_PRIVACY_URL',
    termsUrl: 'SIGNPOST_TERMS_URL',
    stateDays: 'SIGNPOST_STATE_DAYS',
    appId: 'MicrosoftAppId',
});

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A value still to be filled in: "<your-bot-name>", or the all-zero GUID of examples. */
export function isPlaceholder(value: string): boolean {
    return /<[^<>]*>/.test(value) || /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(value.trim());
}

/** What a parameter file says, as settings, with where each setting came from (for messages). */
export interface ParameterSettings {
    settings: Record<string, string>;
    /** Setting name -> "parameter NAME in FILE". */
    sources: Record<string, string>;
    /** The file's appType: with UserAssignedMSI the app id is made by Azure, so it is not in the file. */
    appType?: string;
}

/**
 * Reads an ARM parameter file (deploymentTemplates/azure/*.parameters.json) into the settings the package needs. A
 * value still a placeholder is refused, naming the parameter. Without publicUrl, the address is the web app's own
 * (https://WEBAPP.azurewebsites.net), as the template makes it.
 */
export function settingsFromParameterFile(file: string): ParameterSettings {
    const shown = path.relative(process.cwd(), file) || file;
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
        throw new TeamsPackageError(`cannot read the parameter file ${shown}: ${(err as Error).message}`);
    }
    const params = (json as { parameters?: unknown })?.parameters;
    if (!params || typeof params !== 'object' || Array.isArray(params)) {
        throw new TeamsPackageError(`${shown} is not a deployment parameter file (it has no "parameters")`);
    }
    const value = (name: string): string | undefined => {
        const entry = (params as Record<string, { value?: unknown } | undefined>)[name];
        const v = entry?.value;
        if (v === undefined || v === null || v === '') return undefined;
        const text = String(v);
        if (isPlaceholder(text)) {
            throw new TeamsPackageError(`parameter ${name} in ${shown} is still the placeholder "${text}": put in `
                + 'the value you deployed with');
        }
        return text;
    };
    const result: ParameterSettings = { settings: {}, sources: {}, appType: value('appType') };
    for (const [param, setting] of Object.entries(PARAMETER_SETTINGS)) {
        const v = value(param);
        if (v === undefined) continue;
        result.settings[setting] = v;
        result.sources[setting] = `parameter ${param} in ${shown}`;
    }
    if (!result.settings.SIGNPOST_PUBLIC_URL) {
        const param = value('webAppName') !== undefined ? 'webAppName' : 'botName';
        const host = value(param);
        if (host) {
            result.settings.SIGNPOST_PUBLIC_URL = `https://${host}.azurewebsites.net`;
            result.sources.SIGNPOST_PUBLIC_URL = `parameter ${param} in ${shown}`;
        }
    }
    return result;
}

/** Where the package's settings come from: a parameter file, an app id given on the command line, the environment. */
export interface PackageOptions {
    parameters?: string;
    appId?: string;
}

/**
 * The configuration the package is made from. A parameter file's values win over the environment's; --app-id wins
 * over both. Only the app id of the bot identity is needed: its secret and type play no part in the package.
 */
export function packageConfig(options: PackageOptions, env: NodeJS.ProcessEnv): Config {
    const file = options.parameters ? settingsFromParameterFile(path.resolve(options.parameters)) : undefined;
    const {
        MicrosoftAppId: envAppId, MicrosoftAppPassword: _password, MicrosoftAppType: _type,
        MicrosoftAppTenantId: _tenant, ...rest
    } = env;
    const appId = (options.appId ?? file?.settings.MicrosoftAppId ?? envAppId)?.trim() || undefined;
    const where = options.appId !== undefined ? 'the --app-id option'
        : file?.settings.MicrosoftAppId !== undefined ? file.sources.MicrosoftAppId : 'setting MicrosoftAppId';
    if (appId !== undefined && isPlaceholder(appId)) {
        throw new TeamsPackageError(`${where} is still the placeholder "${appId}": put in the bot's app id`);
    }
    if (appId !== undefined && !GUID.test(appId)) {
        throw new TeamsPackageError(`${where} must be the bot's app id, a GUID like `
            + '3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    }
    if (appId === undefined && file) {
        throw new TeamsPackageError(file.appType === 'SingleTenant'
            ? `the bot's app id is needed: set parameter appId in ${options.parameters} (the app registration's `
                + 'application id), or give --app-id'
            : 'the bot\'s app id is needed: with a managed identity (appType UserAssignedMSI) Azure makes it when you '
                + 'deploy. Read it from the deployment\'s output microsoftAppId (az deployment group show '
                + '--resource-group RG --name DEPLOYMENT --query properties.outputs.microsoftAppId.value -o tsv) '
                + 'and give it as --app-id');
    }
    let config: Config;
    try {
        config = loadConfig({ ...rest, ...file?.settings, MicrosoftAppId: undefined });
    } catch (err) {
        if (err instanceof ConfigError && file) {
            // Name the parameter a bad value came from, not only the setting it became.
            throw new ConfigError(err.problems.map((p) => p.replace(/^setting (\w+)/, (all, name: string) =>
                file.sources[name] ? `${all} (${file.sources[name]})` : all)));
        }
        throw err;
    }
    return { ...config, auth: { appId } };
}

const USAGE = 'usage: npm run teams:package [-- --parameters FILE.parameters.json] [--app-id GUID] [--out DIR]';

/** The command: reads the settings, writes the package, says where; a missing setting is named, exit 1. */
export function main(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): number {
    let options: PackageOptions & { out?: string };
    try {
        const { values } = parseArgs({
            args: argv,
            options: { 'parameters': { type: 'string' }, 'app-id': { type: 'string' }, 'out': { type: 'string' } },
            allowPositionals: false,
        });
        options = { parameters: values.parameters, appId: values['app-id'], out: values.out };
    } catch (err) {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    try {
        const config = packageConfig(options, env);
        const wording = loadWording(config.knowledgeDir);
        const pkgFile = path.join(projectRoot(), 'package.json');
        const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string };
        const out = options.out ? path.resolve(options.out)
            : path.join(projectRoot(), 'deploymentTemplates', 'teams');
        const zipPath = writeTeamsPackage(config, wording, out, pkg.version);
        process.stdout.write(`Teams app package written: ${path.relative(process.cwd(), zipPath)}\n`
            + 'Upload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin centre.\n');
        return 0;
    } catch (err) {
        if (err instanceof TeamsPackageError || err instanceof ConfigError || err instanceof KnowledgeError) {
            process.stderr.write(`Cannot make the Teams app package: ${err.message}\n`);
            return 1;
        }
        throw err;
    }
}

if (require.main === module) process.exitCode = main();
