/**
 * `npm run docs:privacy`: rewrites the generated parts of docs/privacy.md from the code, so the data map a council
 * uses for its DPIA cannot drift from what the product does (a test fails when the page is out of date). What is
 * generated: the retention settings and their defaults (src/config.ts), the caps on what a conversation keeps, the
 * tables the embedded store creates and the collections the MongoDB adapter uses, and the fields of a request for
 * contact (src/storage/escalationRecord.ts) with a note on each. Everything between the markers is replaced; everything
 * else in the page is written by hand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { z } from 'zod';
import { MAX_MESSAGE_LENGTH, MAX_OWN_WORDS } from '../conversation/profile';
import { MAX_STORY_PARTS, MAX_STORY_WORDS } from '../conversation/story';
import { settingsSchema } from '../config';
import { MAX_TRANSCRIPT_CHARS, MAX_TRANSCRIPT_ENTRIES, MAX_TRANSCRIPT_ENTRY } from '../handoff/transcript';
import { projectRoot } from '../paths';
import { openEmbeddedStores } from '../storage/embedded/sqliteStores';
import { STORE_LIMITS } from '../storage/limits';
import { MAX_KEPT_VALUE_BYTES } from '../channels/directline/kept';
import { COLLECTIONS } from '../storage/mongo/connection';

/** Where the page lives, from the project folder. */
export const PRIVACY_DOC_PATH = 'docs/privacy.md';

/** The settings that decide how long personal data is kept. */
export const RETENTION_SETTINGS = [
    'SIGNPOST_STATE_DAYS', 'SIGNPOST_REFERRAL_DAYS', 'SIGNPOST_WORKSPACE_SESSION_HOURS',
] as const;

/**
 * What each field of a request for contact means for privacy. A field added to `Escalation` without a note here is
 * listed as "not yet assessed", and the test that checks this page fails until someone writes one.
 */
export const ESCALATION_FIELD_NOTES: Readonly<Record<string, string>> = {
    id: 'A random id. Not personal on its own.',
    reference: 'The reference the resident is given (SP-XXXXXX).',
    status: 'Where the request is in its lifecycle.',
    priority: 'Urgent when crisis routes were shown in the chat, before the request or after it: special category '
        + '(health) by inference.',
    createdAt: 'When it was made.',
    dueBy: 'When a response is due.',
    residentKey: 'A one-way hash of channel and user id (pseudonymous): links a resident\'s requests.',
    channelId: 'Which channel (webchat, msteams, sms).',
    conversationId: 'The chat\'s id on that channel. For SMS this can contain the phone number.',
    contact: 'Personal: how to reach them (phone or e-mail), the name they chose to give, a good time.',
    summary: 'Personal, may be special category: every need confirmed in the chat (e.g. mental health), their own '
        + 'words for each (or, before a need was confirmed, what they wrote so far; postcodes cut to the district), '
        + 'preferences (district, access needs, worries), everything suggested, whether crisis routes were shown.',
    language: 'The language the resident wrote in (a code such as "pl") and, when not English, whether they would like '
        + 'an interpreter. Personal by context (it can hint at nationality or ethnic origin, not special category on '
        + 'its own); read from their own messages, kept so a connector can arrange an interpreter.',
    consent: 'The consent given: when, and the exact words they agreed to; whether the chat was shared.',
    transcript: 'Personal, may be special category: the chat before the request, only when they agreed to share it.',
    assignee: 'The connector who has it (workspace account id and first name).',
    outcome: 'How it ended.',
    firstContactAt: 'When a connector first made contact.',
    closedAt: 'When it was closed: retention runs from here.',
    updatedAt: 'When the lifecycle last changed.',
    conversationReference: 'Where the resident\'s chat is (channel ids, no name or text), for a connector\'s '
        + 'messages. Kept only with consent; removed when the resident asks to delete their data.',
    relay: 'The connector who has the live chat, while they have it; ended when the resident asks to delete their '
        + 'data.',
    noticeId: 'The id of the Teams message that announced it to connectors (no personal data in that card).',
    residentSeenAt: 'When the resident was last seen in the chat the request came from (their last message, or their '
        + 'website chat page polling or connected): a time only, no address or device. Shown to connectors so they '
        + 'know whether a live message can reach anyone; goes with the request.',
    contactKey: 'A keyed hash of the contact detail (key outside the database): finds the open request when the same '
        + 'resident asks again with that number or e-mail, and counts requests per contact detail. Pseudonymous; never '
        + 'shown to connectors.',
    repeats: 'How many times the same resident asked again with the same contact detail while it was open (merged '
        + 'into it). What a repeat added (new need ids, a different way of contact, urgency) is in its audit line.',
    sameContactAs: 'References of other open requests with the same phone number or e-mail when it was made (a '
        + 'shared phone, a support worker): shown to connectors only, never to residents. Says no more than the two '
        + 'requests\' contact details, which connectors see anyway.',
    plan: 'The connector\'s notes in four sections (needs and concerns, what matters to the person, support offered '
        + 'and referred to, outcome), the person\'s answer about sharing a summary with their GP practice and when it '
        + 'was recorded, and who saved it last (account id and first name). Free text about the person\'s life, which '
        + 'may touch on health: special category data, held on the same consent as the request. Seen by every '
        + 'signed-in connector and lead, as the request is; written only by its holder or a lead. Goes with the '
        + 'request. See "The plan and the message back to the GP" below.',
    onBehalf: 'About a third person, when the resident asked for someone else (issue 18): who they are to the asker '
        + '(a relation such as "parent", and the word used, such as "dad"; never a name), whether the asker is a '
        + 'professional, whether the person knows and agrees, as the asker said, and whose the contact details are '
        + '(`contactOf`: the person\'s own when the asker said to contact them). Together with `summary` it is '
        + 'personal data, and may be special category, about someone who did not use Signpost: see "Requests made '
        + 'for someone else" below. Goes with the request.',
};

const START = (name: string) => `<!-- generated:${name} (npm run docs:privacy; do not edit by hand) -->`;
const END = (name: string) => `<!-- end generated:${name} -->`;

/** One field of a TypeScript interface, as written in the source. */
export interface SourceField {
    name: string;
    optional: boolean;
    /** The doc comment, one line. */
    comment: string;
    /** For an inline object type, its own field names. */
    parts: string[];
}

/**
 * The top-level fields of `export interface NAME { ... }` in a TypeScript source, with their doc comments. A plain
 * reading of the text (fields are indented four spaces, as the house style has them), so it needs no compiler.
 */
export function interfaceFields(source: string, name: string): SourceField[] {
    const start = source.indexOf(`export interface ${name} {`);
    if (start < 0) throw new Error(`No interface ${name} in the source`);
    const lines = source.slice(start).split('\n').slice(1);
    const fields: SourceField[] = [];
    let comment: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (/^}/.test(line)) break;
        const doc = /^ {4}\/\*\*(.*?)(\*\/)?$/.exec(line);
        if (doc) {
            comment = [doc[1]];
            while (!doc[2] && i + 1 < lines.length && !/\*\//.test(lines[i])) comment.push(lines[++i]);
            continue;
        }
        const field = /^ {4}(\w+)(\?)?: (.*)$/.exec(line);
        if (!field) continue;
        let type = field[3];
        // An inline object type may run over several lines: read to its closing brace.
        let depth = (type.match(/{/g) ?? []).length - (type.match(/}/g) ?? []).length;
        while (depth > 0 && i + 1 < lines.length) {
            type += ` ${lines[++i].trim()}`;
            depth = (type.match(/{/g) ?? []).length - (type.match(/}/g) ?? []).length;
        }
        const inline = /^{(.*)}/.exec(type.trim());
        const parts = inline ? [...topLevelNames(inline[1])] : [];
        fields.push({
            name: field[1], optional: Boolean(field[2]), parts,
            comment: comment.join(' ').replace(/\*\/|^\s*\*|\s\*\s/g, ' ').replace(/\s+/g, ' ').trim(),
        });
        comment = [];
    }
    return fields;
}

/** The field names at the top level of an inline object type's body ("a: string; b?: { c: x }[]" -> a, b). */
function topLevelNames(body: string): string[] {
    const names: string[] = [];
    let depth = 0;
    let token = '';
    for (const ch of body) {
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        if (depth === 0 && (ch === ';' || ch === ',')) {
            const m = /^\s*(\w+)\??:/.exec(token);
            if (m) names.push(m[1]);
            token = '';
        } else {
            token += ch;
        }
    }
    const last = /^\s*(\w+)\??:/.exec(token);
    if (last) names.push(last[1]);
    return names;
}

/** The tables the embedded store creates, with their columns: read from a fresh database file. */
export async function embeddedTables(): Promise<{ table: string; columns: string[] }[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-privacy-'));
    try {
        await openEmbeddedStores(dir).close();
        const db = new Database(path.join(dir, 'signpost.db'), { readonly: true });
        try {
            const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'
                AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
            return tables.map((table) => ({
                table,
                columns: (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name),
            }));
        } finally {
            db.close();
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function code(text: string): string {
    return `\`${text}\``;
}

function retentionBlock(): string {
    const shape = settingsSchema.shape as Record<string, z.ZodType>;
    const rows = RETENTION_SETTINGS.map((name) => {
        const setting = shape[name];
        const parsed = setting.safeParse(undefined);
        const fallback = parsed.success ? String(parsed.data) : '(none)';
        return `| ${code(name)} | ${fallback} | ${setting.description ?? ''} |`;
    });
    return [
        '| setting | default | meaning |',
        '|---|---|---|',
        ...rows,
        '',
        'Caps on what one conversation keeps (in the code):',
        '',
        `- the running transcript: the last ${MAX_TRANSCRIPT_ENTRIES} messages, at most ${MAX_TRANSCRIPT_CHARS} `
            + `characters in all and ${MAX_TRANSCRIPT_ENTRY} a message (\`src/handoff/transcript.ts\`);`,
        `- the resident's own words about what matters: ${MAX_OWN_WORDS} characters each time they say it `
            + `(\`src/conversation/profile.ts\`), and the newest ${MAX_STORY_PARTS} such, at most ${MAX_STORY_WORDS} `
            + `characters in all, in a request (\`src/conversation/story.ts\`);`,
        `- a message longer than ${MAX_MESSAGE_LENGTH} characters is not read, only checked for crisis words;`,
        '- of a website-chat message, only what the bot reads (its words, language and time) and Web Chat\'s id for '
            + `it are stored: the browser's other data (channelData, entities) never is, and a card button's value `
            + `only up to `
            + `${MAX_KEPT_VALUE_BYTES} bytes (\`src/channels/directline/kept.ts\`).`,
        '',
        'Caps on what one request for contact keeps (`src/storage/limits.ts`, the same in both stores):',
        '',
        `- its audit trail: the newest ${STORE_LIMITS.auditEntries} lines;`,
        `- its live chat (the messages between a connector and the resident, and when crisis routes were shown): `
            + `the newest ${STORE_LIMITS.liveChatLines} messages; the connector is told how many earlier ones went.`,
    ].join('\n');
}

async function storesBlock(): Promise<string> {
    const tables = await embeddedTables();
    const collections = Object.entries(COLLECTIONS);
    return [
        'Embedded store (one SQLite file, `signpost.db`, in `SIGNPOST_DATA_DIR`), as it creates them:',
        '',
        '| table | columns |',
        '|---|---|',
        ...tables.map((t) => `| ${code(t.table)} | ${t.columns.map(code).join(', ')} |`),
        '',
        'MongoDB (`MONGODB_URI`): the collections the adapter uses (`COLLECTIONS` in '
            + '`src/storage/mongo/connection.ts`):',
        '',
        '| kind | collection |',
        '|---|---|',
        ...collections.map(([kind, name]) => `| ${kind} | ${code(name)} |`),
    ].join('\n');
}

function escalationBlock(): string {
    const source = fs.readFileSync(path.join(projectRoot(), 'src/storage/escalationRecord.ts'), 'utf8');
    const fields = interfaceFields(source, 'Escalation');
    return [
        '| field | kept | in the code | privacy note |',
        '|---|---|---|---|',
        ...fields.map((f) => {
            const name = f.parts.length ? `${code(f.name)} (${f.parts.map(code).join(', ')})` : code(f.name);
            const note = ESCALATION_FIELD_NOTES[f.name] ?? 'NOT YET ASSESSED: add a note in src/cli/privacyDoc.ts';
            return `| ${name} | ${f.optional ? 'sometimes' : 'always'} | ${f.comment || '-'} | ${note} |`;
        }),
    ].join('\n');
}

/** Every generated block of the page, by name. */
export async function privacyBlocks(): Promise<Record<string, string>> {
    return { retention: retentionBlock(), stores: await storesBlock(), escalation: escalationBlock() };
}

/** The page with each generated block replaced. Throws when a block's markers are missing. */
export function updatePrivacyDoc(page: string, blocks: Record<string, string>): string {
    let out = page;
    for (const [name, body] of Object.entries(blocks)) {
        const start = out.indexOf(START(name));
        const end = out.indexOf(END(name));
        if (start < 0 || end < start) throw new Error(`${PRIVACY_DOC_PATH} has no markers for "${name}"`);
        out = `${out.slice(0, start + START(name).length)}\n${body}\n${out.slice(end)}`;
    }
    return out;
}

async function main(): Promise<number> {
    const file = path.join(projectRoot(), PRIVACY_DOC_PATH);
    const before = fs.readFileSync(file, 'utf8');
    const after = updatePrivacyDoc(before, await privacyBlocks());
    if (after !== before) fs.writeFileSync(file, after);
    console.log(`${PRIVACY_DOC_PATH}: ${after === before ? 'already up to date' : 'updated'}`);
    return 0;
}

if (require.main === module) {
    main().then((code) => (process.exitCode = code), (error: Error) => {
        console.error(error.message);
        process.exitCode = 1;
    });
}
