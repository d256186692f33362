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
  signpost users add --email EMAIL --name NAME [--role connector|lead]
                                         add a workspace account (password read from standard input)
  signpost users list                    list workspace accounts
  signpost users unlock EMAIL            end an account's lock after failed sign-ins, now
  signpost store migrate --from sqlite --to mongodb
                                         copy the embedded store (SIGNPOST_DATA_DIR) to MONGODB_URI
  signpost kb validate [DIR]             check every knowledge file
  signpost kb stats [DIR] [--json]       counts per need and place, and stale listings
  signpost kb locales [DIR] [--stamp CODE]  how each language's wording covers the English (--stamp: record
                                         today's English as translated, after a translator has caught up)
  signpost kb review [DIR] [--json]      what a directory team should fix, record by record (DIR: a knowledge
                                         folder, a feed file, or a folder holding one; --format oruk|hsds)
  signpost kb import SOURCE --format oruk|hsds --out DIR [--name NAME] [--licence TEXT] [--json]
                                         import an Open Referral UK / HSDS feed (file, folder or URL)

match options: --kb DIR, --postcode PC, --online, --free, --day mon..sun, --time morning|afternoon|evening,
               --limit N (default 5), --json`;

async function run(argv: string[]): Promise<CommandResult> {
    const [command, ...rest] = argv;
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
        case undefined:
        case 'help':
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
