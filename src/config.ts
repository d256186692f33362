/**
 * The one place that reads process.env. Settings are parsed once with zod; a bad value stops start-up with
 * a message that names the setting, never its value (it may be a secret).
 */
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths';

const optionalText = z.string().trim().max(500).optional().transform((v) => (v ? v : undefined));

const intInRange = (min: number, max: number, fallback: number) =>
    z.string().trim().optional().transform((v, ctx) => {
        if (v === undefined || v === '') return fallback;
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max) {
            ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
            return z.NEVER;
        }
        return n;
    });

/** Every setting Signpost reads, with its default. Names match Azure App Service settings. */
export const settingsSchema = z.object({
    PORT: intInRange(1, 65535, 3978).describe('TCP port the server listens on'),
    HOST: z.string().trim().max(100).optional().transform((v) => v || '0.0.0.0')
        .describe('Address the server listens on'),
    MicrosoftAppId: optionalText.describe('Bot identity (Azure Bot). Empty: no authentication, local use only'),
    MicrosoftAppPassword: optionalText.describe('Client secret for MicrosoftAppId (MultiTenant or SingleTenant)'),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()
        .describe('How the bot identity authenticates'),
    MicrosoftAppTenantId: optionalText.describe('Tenant of a SingleTenant or UserAssignedMSI bot'),
    SIGNPOST_DATA_DIR: optionalText.describe('Folder for the embedded database (default ./data)'),
    SIGNPOST_KNOWLEDGE_DIR: optionalText.describe('Knowledge folder: directory, needs, wording (default: shipped)'),
    SIGNPOST_SERVICE_NAME: z.string().trim().min(1).max(60).optional().transform((v) => v || 'Signpost')
        .describe('The name residents see'),
    SIGNPOST_STATE_DAYS: intInRange(1, 365, 30).describe('Days a conversation is kept after its last message'),
    SIGNPOST_REFERRAL_DAYS: intInRange(1, 3650, 90)
        .describe('Days a request for contact is kept after it is closed'),
    SIGNPOST_RESPONSE_DAYS: intInRange(1, 30, 2).describe('Working days within which a connector gets in touch'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional().transform((v) => v || 'info')
        .describe('Least important log level written'),
});

export type Settings = z.output<typeof settingsSchema>;

/** Resolved configuration the rest of the product receives. */
export interface Config {
    port: number;
    host: string;
    auth: { appId?: string; appPassword?: string; appType?: string; tenantId?: string };
    dataDir: string;
    knowledgeDir: string;
    serviceName: string;
    stateDays: number;
    referralDays: number;
    responseDays: number;
    logLevel: Settings['LOG_LEVEL'];
}

/** Thrown when a setting is wrong; the message names every bad setting and says what it must be. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Signpost cannot start: ${problems.join('; ')}`);
        this.name = 'ConfigError';
    }
}

/** Parses settings from an environment (process.env by default). Throws ConfigError naming the setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
    const parsed = settingsSchema.safeParse(env);
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map((i) => `setting ${i.path.join('.')} ${i.message}`));
    }
    const s = parsed.data;
    if (s.MicrosoftAppId && s.MicrosoftAppType !== 'UserAssignedMSI' && !s.MicrosoftAppPassword) {
        throw new ConfigError(['setting MicrosoftAppPassword is needed when MicrosoftAppId is set']);
    }
    if (s.MicrosoftAppType && s.MicrosoftAppType !== 'MultiTenant' && !s.MicrosoftAppTenantId) {
        throw new ConfigError([`setting MicrosoftAppTenantId is needed when MicrosoftAppType is ${s.MicrosoftAppType}`]);
    }
    const root = projectRoot();
    return Object.freeze({
        port: s.PORT,
        host: s.HOST,
        auth: {
            appId: s.MicrosoftAppId,
            appPassword: s.MicrosoftAppPassword,
            appType: s.MicrosoftAppType,
            tenantId: s.MicrosoftAppTenantId,
        },
        dataDir: path.resolve(s.SIGNPOST_DATA_DIR ?? path.join(root, 'data')),
        knowledgeDir: path.resolve(s.SIGNPOST_KNOWLEDGE_DIR ?? path.join(root, 'knowledge')),
        serviceName: s.SIGNPOST_SERVICE_NAME,
        stateDays: s.SIGNPOST_STATE_DAYS,
        referralDays: s.SIGNPOST_REFERRAL_DAYS,
        responseDays: s.SIGNPOST_RESPONSE_DAYS,
        logLevel: s.LOG_LEVEL,
    });
}
