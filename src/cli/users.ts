/**
 * `signpost users add --email EMAIL --name NAME [--role connector|lead|curator]`: creates a workspace account in the
 * configured store. The password is read from standard input (typed twice without echo at a terminal, or piped), never
 * from the command line, where it would be kept in shell history and visible to other users of the machine.
 * `signpost users list` shows the accounts (no hashes). `signpost users unlock EMAIL` ends the lock that failed
 * sign-ins put on an account, at once. `signpost users link EMAIL AAD-OBJECT-ID` links a Microsoft Teams user (their
 * Microsoft Entra object id, from the Teams admin centre or Entra) to the account, so Claim on a request's card in
 * Teams claims as them; `signpost users unlink EMAIL` removes it. A lead runs these, never the Teams user.
 */
import { randomUUID } from 'node:crypto';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { loadSigningKey } from '../channels/directline/tokens';
import { loadConfig } from '../config';
import { KeyedHasher } from '../keyedHash';
import { openStores, storeOptions } from '../storage';
import { WORKSPACE_ROLES, type WorkspaceRole } from '../storage/userStore';
import { Auth } from '../workspace/auth';
import { hashPassword, passwordProblem } from '../workspace/passwords';
import { UsageError, type CommandResult } from './usage';

/** Where `signpost users` reads and writes; the tests give their own. */
export interface UsersIo {
    /** Reads one line, the password, after showing `prompt`; undefined when the input has ended. */
    readPassword?: (prompt: string) => Promise<string | undefined>;
    /** Whether a person is typing (asked twice, and again after a mistake); default: standard input is a terminal. */
    interactive?: boolean;
    out?: (line: string) => void;
    /** Where a problem with the password is said (default standard error). */
    err?: (line: string) => void;
    env?: NodeJS.ProcessEnv;
}

/**
 * The new account's password. A person at a terminal types it twice, unseen, so that a typo cannot lock a connector
 * out of the account they have not used yet, and is asked again after a mismatch or a password too short; a
 * script pipes one line. Undefined when there is none to use (the input ended, or the piped one is too short).
 */
async function newPassword(io: UsersIo): Promise<string | undefined> {
    const read = io.readPassword ?? readPassword;
    const err = io.err ?? ((line: string) => process.stderr.write(`signpost: ${line}\n`));
    if (!(io.interactive ?? process.stdin.isTTY === true)) {
        const password = await read('Password for the new account: ');
        const problem = password === undefined ? 'no password was given' : passwordProblem(password);
        if (problem) err(problem);
        return problem ? undefined : password;
    }
    for (;;) {
        const password = await read('Password for the new account: ');
        if (password === undefined) return undefined;
        const problem = passwordProblem(password);
        if (problem) {
            err(`${problem} Try again.`);
            continue;
        }
        const again = await read('Type it again: ');
        if (again === undefined) return undefined;
        if (again === password) return password;
        err('The two passwords are not the same. Try again.');
    }
}

/** Runs `signpost users ...`. */
export async function usersCommand(args: string[], io: UsersIo = {}): Promise<CommandResult> {
    const out = io.out ?? ((line: string) => process.stdout.write(line + '\n'));
    const [sub, ...rest] = args;
    if (sub === 'unlock') return unlock(rest, out, io.env);
    if (sub === 'link' || sub === 'unlink') return teamsLink(sub, rest, out, io.env);
    const flags = parseFlags(rest);
    if (sub !== 'add' && sub !== 'list') throw new UsageError('users needs "add", "list", "unlock", "link" or "unlink"');
    const email = flags.get('email')?.trim().toLowerCase();
    const name = flags.get('name')?.trim();
    const role = (flags.get('role') ?? 'connector') as WorkspaceRole;
    if (sub === 'add') {
        if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
            throw new UsageError('users add needs --email with an email address');
        }
        if (!name || name.length > 40) throw new UsageError('users add needs --name (a first name, up to 40 letters)');
        if (!WORKSPACE_ROLES.includes(role)) {
            throw new UsageError(`--role must be one of: ${WORKSPACE_ROLES.join(', ')}`);
        }
    }
    const stores = await openStores(storeOptions(loadConfig(io.env)));
    try {
        if (sub === 'list') {
            for (const u of await stores.users.list()) out(`${u.id}  ${u.role.padEnd(9)}  ${u.name}  ${u.email}`);
            return 0;
        }
        const password = await newPassword(io);
        if (password === undefined) return 1;
        const created = await stores.users.create({
            id: randomUUID(), email: email!, name: name!, role, passwordHash: await hashPassword(password),
            createdAt: new Date().toISOString(),
        });
        if (!created) {
            process.stderr.write(`signpost: there is already an account for ${email}\n`);
            return 1;
        }
        out(`Added ${role} ${name} <${email}>. They can sign in at /workspace.`);
        return 0;
    } finally {
        await stores.close();
    }
}

/** `users unlock EMAIL`: the account's lock ends now and its failed sign-ins are forgotten. */
async function unlock(args: string[], out: (line: string) => void, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
    const email = args.length === 1 ? args[0]!.trim().toLowerCase() : undefined;
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
        throw new UsageError('users unlock needs an email address');
    }
    const config = loadConfig(env);
    const stores = await openStores(storeOptions(config));
    try {
        if (!(await stores.users.getByEmail(email))) {
            process.stderr.write(`signpost: there is no account for ${email}\n`);
            return 1;
        }
        // The same key as the server's (the data folder's signing key or SIGNPOST_TOKEN_SECRET), so the same lock.
        const hasher = new KeyedHasher(loadSigningKey(config.dataDir, config.webChat.tokenSecret));
        const auth = new Auth({ users: stores.users, sessions: stores.sessions, attempts: stores.attempts, hasher },
            config.workspace);
        const locked = await auth.lockedUntil(email);
        await auth.unlock(email);
        out(locked ? `Unlocked ${email}. They can sign in again now.`
            : `${email} was not locked. Its failed sign-ins, if any, are forgotten.`);
        return 0;
    } finally {
        await stores.close();
    }
}

/** A Microsoft Entra object id: a GUID. */
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `users link EMAIL AAD-OBJECT-ID` and `users unlink EMAIL`: the account's Teams link, set by a lead. */
async function teamsLink(sub: 'link' | 'unlink', args: string[], out: (line: string) => void,
    env?: NodeJS.ProcessEnv): Promise<CommandResult> {
    const email = args[0]?.trim().toLowerCase();
    const aad = args[1]?.trim().toLowerCase();
    if (args.length !== (sub === 'link' ? 2 : 1) || !email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
        throw new UsageError(sub === 'link' ? 'users link needs an email address and a Teams user\'s object id'
            : 'users unlink needs an email address');
    }
    if (sub === 'link' && !AAD_OBJECT_ID.test(aad ?? '')) {
        throw new UsageError('the Teams user\'s object id looks like 00000000-0000-0000-0000-000000000000');
    }
    const stores = await openStores(storeOptions(loadConfig(env)));
    try {
        const user = await stores.users.getByEmail(email);
        if (!user) {
            process.stderr.write(`signpost: there is no account for ${email}\n`);
            return 1;
        }
        if (sub === 'unlink') {
            const gone = await stores.teamsLinks.unlinkAccount(user.id);
            out(gone ? `Unlinked ${email} from Teams. Claim in Teams no longer works for them.`
                : `${email} was not linked to Teams.`);
            return 0;
        }
        if (user.role === 'curator') {
            // A curator works the directory only: Claim in Teams would give them residents' requests.
            process.stderr.write(`signpost: ${email} is a curator's account; only connectors and leads claim `
                + 'from Teams\n');
            return 1;
        }
        await stores.teamsLinks.link({ aadObjectId: aad!, userId: user.id, via: 'lead',
            linkedAt: new Date().toISOString() });
        out(`Linked ${email} to the Teams user ${aad}. They can claim requests from Teams now.`);
        return 0;
    } finally {
        await stores.close();
    }
}

function parseFlags(args: string[]): Map<string, string> {
    const flags = new Map<string, string>();
    for (let i = 0; i < args.length; i++) {
        const m = /^--(email|name|role)(?:=(.*))?$/.exec(args[i]!);
        if (!m) throw new UsageError(`unknown option "${args[i]}"`);
        const value = m[2] ?? args[++i];
        if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
        flags.set(m[1]!, value);
    }
    return flags;
}

/** Reads one line from standard input; at a terminal, without echoing what is typed. Undefined at its end. */
async function readPassword(prompt: string): Promise<string | undefined> {
    const tty = process.stdin.isTTY === true;
    if (tty) process.stderr.write(prompt);
    // At a terminal, readline echoes to its output: a sink that drops everything keeps the password off screen.
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = readline.createInterface({ input: process.stdin, output: silent, terminal: tty });
    const line = await new Promise<string | undefined>((resolve) => {
        rl.once('line', resolve);
        rl.once('close', () => resolve(undefined));
    });
    rl.close();
    if (tty) process.stderr.write('\n');
    return line?.replace(/\r$/, '');
}
