import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { settingsSchema } from '../../src/config';
import { projectRoot } from '../../src/paths';
import {
    appSettings, checkApiVersions, checkAppSettings, checkNoMultiTenant, checkParameterFile, checkReferences,
    checkResourceTargets, checkSecrets, compareBicepArm, isExpression, looksLikeSecret, nestedTemplates, parseBicep,
    parseExpression, settingCandidates, show, type JsonObject,
} from './armChecks';

const AZURE = path.join(projectRoot(), 'deploymentTemplates', 'azure');
const TEMPLATES = ['template-with-new-rg', 'template-with-preexisting-rg'];

/**
 * Resource types whose newest generally available API version is more than two years old, or about to be (looked
 * up in November 2026: Azure Bot Service's is 2022-09-15, Application Insights components' 2020-02-02, role
 * assignments' 2022-04-01, user-assigned identities' 2024-11-30; diagnostic settings have only previews, the
 * newest 2021-05-01-preview). The templates must use exactly these; every other type must use a version from the
 * last two years. When Azure publishes a newer version of one of them, move the templates to it and drop it here.
 */
const NEWEST_PUBLISHED: Record<string, string> = {
    'Microsoft.ManagedIdentity/userAssignedIdentities': '2024-11-30',
    'Microsoft.BotService/botServices': '2022-09-15',
    'Microsoft.BotService/botServices/channels': '2022-09-15',
    'Microsoft.Insights/components': '2020-02-02',
    'Microsoft.Authorization/roleAssignments': '2022-04-01',
    'Microsoft.Insights/diagnosticSettings': '2021-05-01-preview',
};

/** App Service and Application Insights settings the templates may set besides Signpost's own. */
const PLATFORM_SETTINGS = new Set([
    'APPLICATIONINSIGHTS_CONNECTION_STRING', 'ApplicationInsightsAgent_EXTENSION_VERSION',
    'WEBSITE_NODE_DEFAULT_VERSION', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'WEBSITE_RUN_FROM_PACKAGE',
]);

/**
 * What a production deployment must set: the bot identity (the password only for SingleTenant, empty otherwise),
 * the public address, the token signing key shared by every instance, the MongoDB store, Azure Direct Line (empty
 * when its channel is off), the service's name, the log level and where telemetry goes.
 */
const REQUIRED_IN_PRODUCTION = [
    'MicrosoftAppId', 'MicrosoftAppType', 'MicrosoftAppTenantId', 'MicrosoftAppPassword', 'SIGNPOST_PUBLIC_URL',
    'SIGNPOST_TOKEN_SECRET', 'MONGODB_URI', 'DIRECT_LINE_SECRET', 'DIRECT_LINE_ENDPOINT', 'SIGNPOST_SERVICE_NAME',
    'LOG_LEVEL', 'APPLICATIONINSIGHTS_CONNECTION_STRING',
];

/** Settings that carry a secret: when set, each must be a Key Vault reference. */
const SECRET_SETTINGS = [
    'MicrosoftAppPassword', 'SIGNPOST_TOKEN_SECRET', 'MONGODB_URI', 'DIRECT_LINE_SECRET', 'SIGNPOST_METRICS_TOKEN',
];

/** What the templates make, and nothing else. */
const RESOURCE_TYPES = [
    'Microsoft.ManagedIdentity/userAssignedIdentities', 'Microsoft.OperationalInsights/workspaces',
    'Microsoft.Insights/components', 'Microsoft.KeyVault/vaults', 'Microsoft.Authorization/roleAssignments',
    'Microsoft.DocumentDB/mongoClusters', 'Microsoft.DocumentDB/mongoClusters/firewallRules',
    'Microsoft.Web/serverfarms', 'Microsoft.Web/sites', 'Microsoft.Web/sites/config',
    'Microsoft.Insights/diagnosticSettings', 'Microsoft.BotService/botServices',
    'Microsoft.BotService/botServices/channels', 'Microsoft.KeyVault/vaults/secrets',
];

const rules = {
    known: new Set(Object.keys(settingsSchema.shape)),
    platform: PLATFORM_SETTINGS,
    required: REQUIRED_IN_PRODUCTION,
};

function readJson(file: string): JsonObject {
    return JSON.parse(fs.readFileSync(path.join(AZURE, file), 'utf8')) as JsonObject;
}

function text(file: string): string {
    return fs.readFileSync(path.join(AZURE, file), 'utf8');
}

const clone = <T>(value: T): T => structuredClone(value);

type Resource = JsonObject & { type: string; name: string; properties: JsonObject };

function resources(t: JsonObject): Resource[] {
    return t.resources as Resource[];
}

function resourceOf(t: JsonObject, type: string, nameIncludes = ''): Resource {
    const found = resources(t).find((r) => r.type === type && String(r.name).includes(nameIncludes));
    if (!found) throw new Error(`no ${type} ${nameIncludes}`);
    return found;
}

const inner = () => readJson('template-with-preexisting-rg.json');

describe('the Azure deployment templates', () => {
    it('are two entry points, each with its Bicep and a parameter file, all of them JSON that parses', () => {
        const files = fs.readdirSync(AZURE).sort();
        for (const name of TEMPLATES) {
            expect(files).to.include.members([`${name}.json`, `${name}.bicep`, `${name}.parameters.json`]);
        }
        for (const file of files.filter((f) => f.endsWith('.json'))) {
            expect(() => readJson(file), file).not.to.throw();
        }
        expect(readJson('template-with-new-rg.json').$schema).to.match(/subscriptionDeploymentTemplate\.json#$/);
        expect(readJson('template-with-preexisting-rg.json').$schema).to.match(/\/deploymentTemplate\.json#$/);
    });

    for (const name of TEMPLATES) {
        describe(`${name}.json`, () => {
            const template = readJson(`${name}.json`);

            it('declares every parameter and variable it uses, uses every one it declares, calls only ARM functions',
                () => {
                    expect(checkReferences(template)).to.deep.equal([]);
                });

            it('points only at resources it declares, and depends on every resource it reads', () => {
                expect(checkResourceTargets(template)).to.deep.equal([]);
            });

            it('has no secret in a default, an output or a plain string, and secret parameters are secure', () => {
                expect(checkSecrets(template)).to.deep.equal([]);
            });

            it('uses API versions from the last two years (or a type\'s newest, where that is older)', () => {
                expect(checkApiVersions(template, new Date(), NEWEST_PUBLISHED)).to.deep.equal([]);
            });

            it('offers only SingleTenant and UserAssignedMSI bot identities, never multi-tenant', () => {
                expect(checkNoMultiTenant(template, text(`${name}.json`) + text(`${name}.parameters.json`)
                    + text(`${name}.bicep`))).to.deep.equal([]);
            });

            it('has a parameter file of placeholders and plain choices, naming only its parameters', () => {
                expect(checkParameterFile(readJson(`${name}.parameters.json`), template)).to.deep.equal([]);
            });

            it('declares the same parameters, resource types, outputs and app settings as its Bicep', () => {
                expect(compareBicepArm(parseBicep(text(`${name}.bicep`)), template)).to.deep.equal([]);
            });
        });
    }

    describe('template-with-new-rg', () => {
        const outer = readJson('template-with-new-rg.json');

        it('makes the resource group, then deploys template-with-preexisting-rg into it unchanged', () => {
            expect(resources(outer).map((r) => r.type)).to.deep.equal([
                'Microsoft.Resources/resourceGroups', 'Microsoft.Resources/deployments',
            ]);
            const [nested] = nestedTemplates(outer);
            const { metadata: _description, ...same } = inner();
            expect(nested.template).to.deep.equal(same);
            const deployment = resourceOf(outer, 'Microsoft.Resources/deployments');
            expect(deployment.resourceGroup).to.equal('[parameters(\'resourceGroupName\')]');
        });

        it('passes every parameter through, with the same definitions', () => {
            const params = outer.parameters as JsonObject;
            const innerParams = inner().parameters as JsonObject;
            expect(Object.keys(params)).to.deep.equal(['resourceGroupName', ...Object.keys(innerParams)]);
            for (const [name, p] of Object.entries(innerParams)) {
                if (name === 'location') continue; // the new group's region: deployment().location
                expect(params[name], name).to.deep.equal(p);
            }
            const bicep = parseBicep(text('template-with-new-rg.bicep'));
            expect(bicep.modules).to.deep.equal([{ symbol: 'signpost', path: 'template-with-preexisting-rg.bicep' }]);
            expect(bicep.moduleParams.get('signpost')).to.deep.equal(Object.keys(innerParams));
        });
    });

    describe('what template-with-preexisting-rg makes', () => {
        const t = inner();
        const params = t.parameters as JsonObject;

        it('is a web app and its plan, an identity, an Azure Bot and channels, Key Vault, logs and MongoDB', () => {
            expect([...new Set(resources(t).map((r) => r.type))].sort()).to.deep.equal([...RESOURCE_TYPES].sort());
        });

        it('runs Node 20 on Linux with WebSockets, a /healthz check, npm start, HTTPS only, no FTP, TLS 1.2', () => {
            const site = resourceOf(t, 'Microsoft.Web/sites');
            expect(site.kind).to.equal('app,linux');
            expect(site.properties).to.deep.include({ httpsOnly: true });
            expect(site.properties.siteConfig).to.deep.include({
                linuxFxVersion: 'NODE|20-lts', webSocketsEnabled: true, healthCheckPath: '/healthz',
                appCommandLine: 'npm start', ftpsState: 'Disabled', minTlsVersion: '1.2', alwaysOn: true,
            });
            expect(resourceOf(t, 'Microsoft.Web/serverfarms').properties).to.deep.equal({ reserved: true });
        });

        it('gives the web app the user-assigned identity, and Key Vault references resolve with it', () => {
            const site = resourceOf(t, 'Microsoft.Web/sites');
            const identity = site.identity as JsonObject;
            expect(identity.type).to.equal('UserAssigned');
            const ids = Object.keys(identity.userAssignedIdentities as JsonObject);
            expect(ids).to.have.length(1);
            expect(site.properties.keyVaultReferenceIdentity).to.equal(ids[0]);
            expect(ids[0]).to.include('Microsoft.ManagedIdentity/userAssignedIdentities');
        });

        it('keeps secrets in a Key Vault with RBAC, which that identity reads as Key Vault Secrets User', () => {
            const vault = resourceOf(t, 'Microsoft.KeyVault/vaults');
            expect(vault.properties).to.deep.include({ enableRbacAuthorization: true });
            expect(vault.properties).not.to.have.property('accessPolicies');
            const role = resourceOf(t, 'Microsoft.Authorization/roleAssignments');
            expect(role.scope).to.equal('[format(\'Microsoft.KeyVault/vaults/{0}\', variables(\'keyVaultName\'))]');
            expect(JSON.stringify(t.variables)).to.include('4633458b-17de-408a-b874-0445c86b69e6');
            expect(role.properties.roleDefinitionId).to.equal('[variables(\'keyVaultSecretsUserRoleId\')]');
            expect(role.properties.principalId).to.match(/userAssignedIdentities.*\.principalId\]$/);
            const secrets = resources(t).filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets')
                .map((r) => show(parseExpression(r.name.slice(1, -1))));
            expect(secrets.map((s) => /'([a-z-]+)'\)$/.exec(s)?.[1])).to.deep.equal([
                'microsoft-app-password', 'token-secret', 'metrics-token', 'mongodb-uri', 'direct-line-secret',
                'twilio-auth-token',
            ]);
        });

        it('makes each channel (Direct Line, Teams, SMS) optional, by a yes/no parameter', () => {
            for (const [channel, flag] of [['DirectLineChannel', 'enableDirectLine'], ['MsTeamsChannel', 'enableTeams'],
                ['SmsChannel', 'enableSms']]) {
                const r = resourceOf(t, 'Microsoft.BotService/botServices/channels', channel);
                expect(r.condition, channel).to.equal(`[parameters('${flag}')]`);
                expect((params[flag] as JsonObject).type).to.equal('bool');
            }
            const sms = resourceOf(t, 'Microsoft.BotService/botServices/channels', 'SmsChannel');
            const twilio = sms.properties.properties as JsonObject;
            expect(twilio.accountSID).to.equal('[parameters(\'twilioAccountSid\')]');
            expect(twilio.authToken).to.equal('[parameters(\'twilioAuthToken\')]');
            expect((params.twilioAccountSid as JsonObject).type).to.equal('securestring');
            expect((params.twilioAuthToken as JsonObject).type).to.equal('securestring');
        });

        it('uses an existing MongoDB, or makes a Cosmos DB for MongoDB (vCore) cluster only when asked', () => {
            expect((params.databaseMode as JsonObject).allowedValues).to.deep.equal(['existing', 'cosmos']);
            const mongo = ['Microsoft.DocumentDB/mongoClusters', 'Microsoft.DocumentDB/mongoClusters/firewallRules'];
            for (const type of mongo) {
                expect(resourceOf(t, type).condition).to.equal('[equals(parameters(\'databaseMode\'), \'cosmos\')]');
            }
            const cluster = resourceOf(t, 'Microsoft.DocumentDB/mongoClusters');
            expect((cluster.properties.administrator as JsonObject).password)
                .to.equal('[parameters(\'cosmosAdminPassword\')]');
            expect((params.cosmosAdminPassword as JsonObject).type).to.equal('securestring');
            expect((params.mongodbUri as JsonObject).type).to.equal('securestring');
            const uri = resourceOf(t, 'Microsoft.KeyVault/vaults/secrets', 'mongodb-uri').properties.value as string;
            expect(uri).to.include('parameters(\'mongodbUri\')').and.include('connectionString');
        });
    });

    describe('the app settings', () => {
        const t = inner();
        const settings = appSettings(t);

        it('are settings Signpost reads (settingsSchema) or named platform settings, and include every one '
            + 'production needs', () => {
            expect(checkAppSettings(t, rules)).to.deep.equal([]);
        });

        it('give every secret as a Key Vault reference', () => {
            for (const key of SECRET_SETTINGS) {
                const value = settings.get(key);
                if (value === undefined) continue;
                expect(value, key).to.be.a('string').and.include('@Microsoft.KeyVault(SecretUri=');
                expect(value, key).to.include('Microsoft.KeyVault/vaults/secrets');
            }
        });

        it('have defaults, choices and example values that Signpost accepts', () => {
            const files = TEMPLATES.map((n) => readJson(`${n}.parameters.json`));
            const shape = settingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
            let tried = 0;
            for (const [key, values] of settingCandidates(t, files)) {
                if (!shape[key]) continue;
                for (const value of values) {
                    expect(shape[key].safeParse(value).success, `${key}=${value}`).to.equal(true);
                    tried++;
                }
            }
            expect(tried).to.be.greaterThan(20);
        });
    });

    describe('each check finds the fault it is for', () => {
        const base = inner();

        it('a parameter or variable declared and not used, used and not declared, or a function ARM lacks', () => {
            const t = clone(base);
            (t.parameters as JsonObject).spare = { type: 'string', defaultValue: '' };
            (t.variables as JsonObject).unused = 'x';
            resourceOf(t, 'Microsoft.Web/sites').properties.httpsOnly = '[parameters(\'httpsOnly\')]';
            resourceOf(t, 'Microsoft.Web/serverfarms').kind = '[toLowerCase(variables(\'planKind\'))]';
            expect(checkReferences(t)).to.have.members([
                'template resources[8].properties.httpsOnly: parameters(\'httpsOnly\') is not declared',
                'template resources[7].kind: toLowerCase() is not an ARM template function',
                'template resources[7].kind: variables(\'planKind\') is not declared',
                'template: parameter spare is never used',
                'template: variable unused is never used',
            ]);
        });

        it('a nested deployment passing a parameter its template lacks, or not passing one it needs', () => {
            const t = readJson('template-with-new-rg.json');
            const props = resourceOf(t, 'Microsoft.Resources/deployments').properties;
            (props.parameters as JsonObject).colour = { value: 'blue' };
            delete (props.parameters as JsonObject).botName;
            const faults = checkReferences(t);
            expect(faults).to.include('resources[1]: passes colour, which the nested template lacks');
            expect(faults).to.include('resources[1]: does not pass botName, which the nested template needs');
        });

        it('a resource pointed at but not declared, a bad dependsOn or scope, and reading without depending', () => {
            const t = clone(base);
            const site = resourceOf(t, 'Microsoft.Web/sites');
            site.properties.serverFarmId = '[resourceId(\'Microsoft.Web/serverfarms\', \'another-plan\')]';
            site.dependsOn = ['[resourceId(\'Microsoft.Web/sites\', parameters(\'webAppName\'))]', 'plan'];
            resourceOf(t, 'Microsoft.Authorization/roleAssignments').scope
                = '[format(\'Microsoft.KeyVault/vaults/{0}\', \'some-other-vault\')]';
            const bot = resourceOf(t, 'Microsoft.BotService/botServices');
            bot.dependsOn = [];
            const faults = checkResourceTargets(t);
            expect(faults).to.include('template resources[8].properties.serverFarmId: points at '
                + 'Microsoft.Web/serverfarms \'another-plan\', which the template does not declare');
            expect(faults).to.include('template resources[8].dependsOn[0]: a resource cannot depend on itself');
            expect(faults).to.include('template resources[8].dependsOn[1]: must be a resourceId() of a resource in '
                + 'the template');
            expect(faults).to.include('template resources[4].scope: points at Microsoft.KeyVault/vaults '
                + '\'some-other-vault\', which the template does not declare');
            expect(faults.some((f) => f.startsWith('template resources[11] (Microsoft.BotService/botServices): reads '
                + 'Microsoft.Web/sites'))).to.equal(true);
        });

        it('a secure parameter with a default, a secret-sounding plain parameter, a secret output or literal', () => {
            const t = clone(base);
            (t.parameters as JsonObject).tokenSecret = { type: 'securestring', defaultValue: 'changeme-please' };
            (t.parameters as JsonObject).cosmosAdminPassword = { type: 'string', defaultValue: '' };
            (t.outputs as JsonObject).leak = { type: 'string', value: '[parameters(\'tokenSecret\')]' };
            (t.outputs as JsonObject).keys = {
                type: 'string', value: '[listChannelWithKeys(resourceId(\'Microsoft.BotService/botServices/channels\', '
                    + 'parameters(\'botName\'), \'DirectLineChannel\'), \'2022-09-15\').setting.sites[0].key]',
            };
            resourceOf(t, 'Microsoft.Web/sites').tags = { note: 'mongodb+srv://admin:hunter2@db.example.net/' };
            expect(checkSecrets(t)).to.deep.equal([
                'template: secure parameter tokenSecret has a default value',
                'template: parameter cosmosAdminPassword sounds secret but is not securestring',
                'template: output leak gives away secure parameter tokenSecret',
                'template: output keys gives away listChannelWithKeys()',
                'template parameters.tokenSecret.defaultValue: looks like a secret',
                'template resources[8].tags.note: looks like a secret',
            ]);
        });

        it('an API version over two years old, a preview, or an exempt type off its newest version', () => {
            const t = clone(base);
            resourceOf(t, 'Microsoft.Web/sites').apiVersion = '2022-03-01';
            resourceOf(t, 'Microsoft.KeyVault/vaults').apiVersion = '2026-02-01-preview';
            resourceOf(t, 'Microsoft.BotService/botServices').apiVersion = '2021-03-01';
            const faults = checkApiVersions(t, new Date('2026-11-25T12:00:00Z'), NEWEST_PUBLISHED);
            expect(faults).to.deep.equal([
                'template resources[3]: Microsoft.KeyVault/vaults@2026-02-01-preview is a preview',
                'template resources[8]: Microsoft.Web/sites@2022-03-01 is older than 2024-11-25',
                'template resources[11]: Microsoft.BotService/botServices must use 2022-09-15, its newest version, '
                    + 'not 2021-03-01',
            ]);
            expect(checkApiVersions(base, new Date('2030-01-01T00:00:00Z'), NEWEST_PUBLISHED).length,
                'the same template, years later').to.be.greaterThan(5);
        });

        it('a parameter file naming an unknown parameter, holding a secret or a wrong value, or missing one', () => {
            const t = clone(base);
            const file = readJson('template-with-preexisting-rg.parameters.json');
            const given = file.parameters as JsonObject;
            given.colour = { value: 'blue' };
            given.tokenSecret = { value: '<your-token-secret>' };
            given.organisation = { value: 'Kz9xQ2mP4vL8nR1tW6yB3cF7hJ0' };
            given.appId = { value: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' };
            given.enableSms = { value: 'no' };
            given.appType = { value: 'MultiTenant' };
            delete given.botName;
            expect(checkParameterFile(file, t)).to.deep.equal([
                'parameter appType is not one of UserAssignedMSI, SingleTenant',
                'parameter appId looks like a secret',
                'parameter enableSms should be bool',
                'parameter organisation looks like a secret',
                'parameter colour is not declared by the template',
                'parameter tokenSecret is secure: give it on the command line, not in a file',
                'parameter botName is needed but not in the file',
            ]);
        });

        it('an app setting Signpost does not read, a missing required one, or a secret passed in plain', () => {
            const t = clone(base);
            const settings = resourceOf(t, 'Microsoft.Web/sites/config', 'appsettings').properties;
            settings.SIGNPOST_COLOUR = 'blue';
            settings.MONGODB_URI = '[parameters(\'mongodbUri\')]';
            delete settings.SIGNPOST_TOKEN_SECRET;
            const faults = checkAppSettings(t, { ...rules, known: new Set([...rules.known, 'MONGODB_URI']) });
            expect(faults).to.include('app setting SIGNPOST_COLOUR is not a setting Signpost reads (settingsSchema) '
                + 'nor an allowed platform one');
            expect(faults).to.include('app setting MONGODB_URI passes secure parameter mongodbUri in plain: use a Key '
                + 'Vault reference');
            expect(faults).to.include('app setting SIGNPOST_TOKEN_SECRET is required but not set');
        });

        it('a multi-tenant bot identity, allowed or written anywhere', () => {
            const t = clone(base);
            ((t.parameters as JsonObject).appType as JsonObject).allowedValues = ['MultiTenant', 'SingleTenant'];
            expect(checkNoMultiTenant(t, '')).to.deep.equal([
                'template: msaAppType may be MultiTenant, SingleTenant; only SingleTenant and UserAssignedMSI',
            ]);
            const literal = clone(base);
            delete resourceOf(literal, 'Microsoft.BotService/botServices').properties.msaAppType;
            expect(checkNoMultiTenant(literal, '"msaAppType": "MultiTenant"')).to.deep.equal([
                'the template mentions MultiTenant',
                'template resources[11]: the bot has no msaAppType (Azure\'s default is MultiTenant)',
            ]);
        });

        it('a Bicep file that differs from its ARM JSON', () => {
            const bicep = text('template-with-preexisting-rg.bicep')
                .replace('param organisation string = \'\'', 'param organization string = \'\'')
                .replace('@secure()\nparam metricsToken', 'param metricsToken')
                .replace('Microsoft.Web/sites@2025-03-01', 'Microsoft.Web/sites@2024-11-01')
                .replace('    LOG_LEVEL: logLevel\n', '');
            expect(compareBicepArm(parseBicep(bicep), base)).to.deep.equal([
                'parameter metricsToken: secure in one file only',
                'parameter organization is in the Bicep only',
                'parameter organisation is in the ARM JSON only',
                'resource type Microsoft.Web/sites@2024-11-01 is in the Bicep only',
                'resource type Microsoft.Web/sites@2025-03-01 is in the ARM JSON only',
                `app settings differ: Bicep ${parseBicep(bicep).appSettingKeys.join(', ')}; ARM `
                    + `${[...appSettings(base).keys()].sort().join(', ')}`,
            ]);
        });

        it('tells secrets from placeholders', () => {
            for (const secret of [
                'mongodb+srv://signpost:Tr0ub4dor@cluster0.example.mongodb.net/', 'AC0123456789abcdef0123456789abcdef',
                '0123456789abcdef0123456789abcdef', '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
                'abC8Q~x1yZ2wV3uT4sR5qP6oN7mL8kJ9iH0gF', 'dGhpcyBpcyBhIHJhbmRvbSBrZXkgMTIzNDU2Nzg5MA==',
                'password123', 'AccountName=x;AccountKey=abc', '-----BEGIN PRIVATE KEY-----',
            ]) {
                expect(looksLikeSecret(secret), secret).to.equal(true);
            }
            expect(looksLikeSecret('Hunter2!x', true)).to.equal(true);
            for (const plain of [
                '', '<your-bot-name>', '<your-twilio-auth-token>', 'https://<your-app>.azurewebsites.net', 'uksouth',
                'Mon-Fri 09:00-17:00', 'Europe/London', 'Signpost', '00000000-0000-0000-0000-000000000000',
                'AllowAllAzureServicesAndResourcesWithinAzureIps', 'https://directline.botframework.com/v3/directline',
            ]) {
                expect(looksLikeSecret(plain, true), plain).to.equal(false);
            }
        });

        it('reads ARM expressions, quotes and all', () => {
            const e = parseExpression('format(\'it\'\'s {0}\', reference(resourceId(\'A/b\', \'x\'), \'2025-01-01\')'
                + '.outputs[\'y\'].value)');
            expect(show(e)).to.equal('format(\'it\'\'s {0}\', reference(resourceid(\'A/b\', \'x\'), \'2025-01-01\')'
                + '.outputs[\'y\'].value)');
            expect(isExpression('[[not an expression]')).to.equal(false);
            expect(() => parseExpression('concat(\'a\'')).to.throw(/expected , or \)/);
        });
    });
});
