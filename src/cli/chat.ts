/** `signpost chat`: a conversation in the terminal, through the same bot and dialogs as every channel. */
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { openApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { TerminalAdapter } from '../channels/terminal';
import { UsageError, type CommandResult } from './usage';

export async function chatCommand(args: string[]): Promise<CommandResult> {
    let values;
    try {
        ({ values } = parseArgs({ args, options: { kb: { type: 'string' } }, strict: true }));
    } catch (err) {
        throw new UsageError((err as Error).message);
    }
    const config = loadConfig({
        ...process.env,
        ...(values.kb ? { SIGNPOST_KNOWLEDGE_DIR: path.resolve(values.kb) } : {}),
    });
    // Logs would interleave with the conversation; the terminal chat keeps them quiet.
    const app = await openApp(config, { log: createLogger('silent') });
    const adapter = new TerminalAdapter((text) => process.stdout.write(text), config.serviceName);
    adapter.onTurnError = app.onTurnError;
    const logic = (context: Parameters<typeof app.bot.run>[0]) => app.bot.run(context);

    process.stdout.write('(Type your message and press Enter. Type quit or press Ctrl+D to leave.)\n');
    await adapter.join(logic);
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '\n> ' });
    rl.prompt();
    for await (const line of rl) {
        const text = line.trim();
        if (/^(quit|exit)$/i.test(text)) break;
        if (text) await adapter.send(text, logic);
        rl.prompt();
    }
    rl.close();
    await app.close();
    process.stdout.write('\nBye.\n');
    return 0;
}
