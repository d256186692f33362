/**
 * The `signpost` command: serve, chat, match, kb, users, store. See docs and `signpost help`.
 * Exit codes: 0 success, 1 a fault in the input or the data, 2 bad usage.
 */
import { UsageError, type CommandResult } from './usage';

const HELP = `signpost: a social prescribing signposting assistant

  signpost serve                         start the server (same as npm start)
  signpost chat [--kb DIR]               chat with the bot in this terminal
  signpost match [TEXT] [options]        needs and ranked opportunities for one text
  signpost match --batch FILE|- [opts]   one JSON object per input line
  signpost users add --email EMAIL --name NAME [--role connector|lead|curator]
                                         add a workspace account (asks for the password twice at a terminal;
                                         else reads it from standard input)
  signpost users list                    list workspace accounts
  signpost users unlock EMAIL            end an account's lock after failed sign-ins, now
  signpost users link EMAIL AAD-ID       let a Teams user (Entra object id) claim from Teams as this account
  signpost users unlink EMAIL            remove the account's Teams link
  signpost store migrate --from sqlite --to mongodb
                                         copy the embedded store (SIGNPOST_DATA_DIR) to MONGODB_URI
                                         (or --from mongodb --to sqlite)
  signpost kb validate [DIR]             check every knowledge file
  signpost kb stats [DIR] [--json]       counts per need and place, and stale listings
  signpost kb locales [DIR] [--stamp CODE]  how each language's wording covers the English (--stamp: record
                                         today's English as translated, after a translator has caught up)
  signpost kb review [DIR] [--format oruk|hsds] [--json]
                                         what a directory team should fix, record by record (DIR: a knowledge
                                         folder, a feed file, or a folder holding one)
  signpost kb import SOURCE --format oruk|hsds --out DIR [--name NAME] [--licence TEXT] [--json]
                                         import an Open Referral UK / HSDS feed (file, folder or URL)
  signpost help [COMMAND]                this help, or one command's (also signpost COMMAND --help)

match options: --kb DIR, --postcode PC, --online, --free, --day mon..sun, --time morning|afternoon|evening,
               --limit N (default 5), --json

Exit codes: 0 success, 1 a fault in the input or the data, 2 bad usage.`;

/** Each command's own help: its lines of HELP and what its options mean. `signpost COMMAND --help` prints it. */
const COMMAND_HELP: Readonly<Record<string, string>> = {
    serve: `signpost serve
  Starts the server, as npm start does: the website chat at /, the connectors' workspace at /workspace,
  /api/messages, /healthz and, when SIGNPOST_ORUK_API=on, the directory as Open Referral UK at /oruk/services.
  No options: every setting comes from the environment (docs/configuration.md).`,
    chat: `signpost chat [--kb DIR]
  A conversation with the bot in this terminal, with the same dialogs as every channel. Buttons are numbered.
  --kb DIR     a knowledge folder (default: the shipped one, or SIGNPOST_KNOWLEDGE_DIR)`,
    match: `signpost match [TEXT] [options]
signpost match --batch FILE|- [options]
  Needs and ranked opportunities for one text; with --batch, one JSON object out per JSON line in.
  --kb DIR                          a knowledge folder (default: the shipped one)
  --postcode PC                     a postcode, a district (BS5) or a place the knowledge knows
  --online                          online or by phone suits them too (not only in person)
  --free                            only what is free
  --day mon..sun                    a day, or days joined by commas (mon,thu)
  --time morning|afternoon|evening  a time of day
  --limit N                         how many results (default 5)
  --json                            the JSON answer, and nothing else on standard output
  --batch FILE|-                    JSON lines from a file or standard input ({"text": "...", "postcode": "BS5"})`,
    users: `signpost users add --email EMAIL --name NAME [--role connector|lead|curator]
signpost users list
signpost users unlock EMAIL
signpost users link EMAIL AAD-OBJECT-ID
signpost users unlink EMAIL
  Workspace accounts, in the configured store (SIGNPOST_DATA_DIR or MONGODB_URI).
  add      makes an account. At a terminal it asks for the password twice, without showing it, and asks again
           when the two differ or the password is too short; piped, it reads one line from standard input.
  --email  the address they sign in with
  --name   a first name, up to 40 letters, shown to colleagues
  --role   connector (the default), lead (also reassigns requests and sees reports) or curator (works the
           listings to check, and never sees residents' requests)
  list     every account: id, role, name, e-mail (never a password)
  unlock   ends the lock failed sign-ins put on an account, at once
  link     links a Teams user, by their Microsoft Entra object id, to the account: Claim on a request's card in
           Teams then claims as them (replacing any earlier link of either)
  unlink   removes the account's Teams link`,
    store: `signpost store migrate --from sqlite --to mongodb
signpost store migrate --from mongodb --to sqlite
  Copies every record of one store into the other: the embedded database in SIGNPOST_DATA_DIR and MONGODB_URI.
  --from   sqlite or mongodb, the store to copy from
  --to     the other one`,
    kb: `signpost kb validate [DIR]
signpost kb stats [DIR] [--json]
signpost kb review [DIR] [--format oruk|hsds] [--json]
signpost kb locales [DIR] [--stamp CODE] [--json]
signpost kb import SOURCE --format oruk|hsds --out DIR [--name NAME] [--licence TEXT] [--json]
  The knowledge folder (DIR; default: the shipped one).
  validate   checks every knowledge file; lists each fault with its file, record and field (exit 1)
  stats      opportunities per need and per place, and stale listings
  review     what a directory team should fix, record by record; DIR may also be a feed file or a folder
             holding one
  locales    how each language's wording (locales/<code>/) covers the English: keys missing, with other
             placeholders, or whose English changed since it was translated (exit 1)
  --stamp    (locales) record today's English as translated for the language CODE
  import     reads an Open Referral UK / HSDS feed (a JSON file, an HSDS tabular folder or an http(s) API,
             Signpost's own /oruk/services too) into DIR/directory/NAME.json, and prints a report
  --format   oruk (Open Referral UK v1/v2) or hsds (HSDS 3 / ORUK 3 JSON, or an HSDS tabular folder)
  --out      the knowledge folder to write (import)
  --name     the directory file's name (import; default: from SOURCE's name)
  --licence  the feed's licence, kept in the file (import)
  --json     the answer as JSON`,
};

/** Whether the arguments ask for help ("--help" or "-h" anywhere). */
function asksForHelp(args: readonly string[]): boolean {
    return args.includes('--help') || args.includes('-h');
}

async function run(argv: string[]): Promise<CommandResult> {
    const [command, ...rest] = argv;
    if (command !== undefined && COMMAND_HELP[command] !== undefined && asksForHelp(rest)) {
        process.stdout.write(COMMAND_HELP[command] + '\n');
        return 0;
    }
    switch (command) {
        case 'serve':
            await (await import('../index.js')).main();
            return 'running';
        case 'chat':
            return (await import('./chat.js')).chatCommand(rest);
        case 'match':
            return (await import('./match.js')).matchCommand(rest);
        case 'users':
            return (await import('./users.js')).usersCommand(rest);
        case 'store':
            return (await import('./store.js')).storeCommand(rest);
        case 'kb':
            return (await import('./kb.js')).kbCommand(rest);
        case 'help':
            if (rest[0] !== undefined && COMMAND_HELP[rest[0]] !== undefined) {
                process.stdout.write(COMMAND_HELP[rest[0]] + '\n');
                return 0;
            }
            process.stdout.write(HELP + '\n');
            return rest.length === 0 ? 0 : 2;
        case undefined:
        case '--help':
        case '-h':
            process.stdout.write(HELP + '\n');
            return command === undefined ? 2 : 0;
        default:
            throw new UsageError(`unknown command "${command}"`);
    }
}

run(process.argv.slice(2)).then(
    (code) => {
        if (code !== 'running') process.exitCode = code;
    },
    (err: unknown) => {
        if (err instanceof UsageError) {
            process.stderr.write(`signpost: ${err.message}\n\n${HELP}\n`);
            process.exitCode = 2;
        } else {
            process.stderr.write(`signpost: ${(err as Error).message ?? String(err)}\n`);
            process.exitCode = 1;
        }
    },
);
